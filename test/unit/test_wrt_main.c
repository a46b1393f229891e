/*
** test_wrt_main.c: the entry point of the test_wrt binary (libwrt-rt's unit
** tests). It only lists the case tables exported by the other test_wrt_*.c
** files; the hand-written modules they use are in test_wrt_mods.c.
** Usage: test_wrt [-v] [NAME-SUBSTRING]
*/
#define T_IMPLEMENTATION
#include "t.h"

extern const t_case wrt_store_cases[];
extern const size_t wrt_store_n_cases;
extern const t_case wrt_inst_cases[];
extern const size_t wrt_inst_n_cases;
extern const t_case wrt_call_cases[];
extern const size_t wrt_call_n_cases;
extern const t_case wrt_wasi_cases[];
extern const size_t wrt_wasi_n_cases;

static const t_suite suites[] = {
    {wrt_store_cases, &wrt_store_n_cases},
    {wrt_inst_cases, &wrt_inst_n_cases},
    {wrt_call_cases, &wrt_call_n_cases},
    {wrt_wasi_cases, &wrt_wasi_n_cases},
};

int main(int argc, char **argv) {
  t_init(argc, argv);
  return t_run_suites(suites, T_COUNT(suites));
}
