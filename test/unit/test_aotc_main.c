/*
** test_aotc_main.c: the entry point of the test_aotc binary. It only lists the
** case tables exported by the other test_aotc_*.c files; the cases live there.
** Usage: test_aotc [-v] [NAME-SUBSTRING]
*/
#define T_IMPLEMENTATION
#include "t.h"

extern const t_case aotc_reader_cases[];
extern const size_t aotc_reader_n_cases;
extern const t_case aotc_decode_cases[];
extern const size_t aotc_decode_n_cases;
extern const t_case aotc_validate_cases[];
extern const size_t aotc_validate_n_cases;

static const t_suite suites[] = {
    {aotc_reader_cases, &aotc_reader_n_cases},
    {aotc_decode_cases, &aotc_decode_n_cases},
    {aotc_validate_cases, &aotc_validate_n_cases},
};

int main(int argc, char **argv) {
  t_init(argc, argv);
  return t_run_suites(suites, T_COUNT(suites));
}
