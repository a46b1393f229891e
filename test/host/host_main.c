/*
** host_main.c: the entry point of test_host, the host integration test: Wasm
** modules compiled by wasm2obj, linked into this binary and run through
** libwrt-rt's public API. It only lists the case tables of the other files.
** Usage: test_host [-v] [NAME-SUBSTRING]
*/
#define T_IMPLEMENTATION
#include "t.h"

extern const t_case host_trap_cases[];
extern const size_t host_trap_n_cases;
extern const t_case host_ref_cases[];
extern const size_t host_ref_n_cases;
extern const t_case host_multi_cases[];
extern const size_t host_multi_n_cases;
extern const t_case host_link_cases[];
extern const size_t host_link_n_cases;
extern const t_case host_pool_cases[];
extern const size_t host_pool_n_cases;
extern const t_case host_fiber_cases[];
extern const size_t host_fiber_n_cases;
extern const t_case host_epoch_cases[];
extern const size_t host_epoch_n_cases;

static const t_suite suites[] = {
    {host_trap_cases, &host_trap_n_cases},
    {host_ref_cases, &host_ref_n_cases},
    {host_multi_cases, &host_multi_n_cases},
    {host_link_cases, &host_link_n_cases},
    {host_pool_cases, &host_pool_n_cases},
    {host_fiber_cases, &host_fiber_n_cases},
    {host_epoch_cases, &host_epoch_n_cases},
};

int main(int argc, char **argv) {
  t_init(argc, argv);
  return t_run_suites(suites, T_COUNT(suites));
}
