/*
** host_multi.c: multi-value across the boundary: a Wasm function with three
** results of different types called through wrt_call, and a host function
** import with three results called from Wasm (multi.wat), whose results Wasm
** reorders and changes so that a swapped or lost value shows.
*/
#include "host.h"

/* The host side of multi.wat's "host"."divmod": (a, b) -> (a / b, a % b,
** (i64)a * b * 2^16). Counts its calls in *env. */
static wrt_trap_code divmod(void *env, const wrt_val *args, wrt_val *results) {
  int32_t a = args[0].of.i32, b = args[1].of.i32;
  (*(int *)env)++;
  if (b == 0)
    return WRT_TRAP_DIV_BY_ZERO;
  results[0] = WRT_I32_VAL(a / b);
  results[1] = WRT_I32_VAL(a % b);
  results[2] = WRT_I64_VAL((int64_t)a * b * 65536);
  return WRT_TRAP_NONE;
}

static const uint8_t divmod_params[] = {WRT_I32, WRT_I32};
static const uint8_t divmod_results[] = {WRT_I32, WRT_I32, WRT_I64};

/* Defines host.divmod in h's linker and instantiates multi.wat. */
static wrt_instance *multi_inst(host_env *h, int *calls) {
  wrt_functype ft = {2, 3, divmod_params, divmod_results};
  wrt_func *f = wrt_func_new_host(h->s, &ft, divmod, calls);
  if (!T_CHECK(f != NULL))
    return NULL;
  wrt_extern ext = {.kind = WRT_EXTERN_FUNC, .of.func = f};
  if (!T_EQ_U64(wrt_linker_define(h->l, "host", "divmod", ext), WRT_OK))
    return NULL;
  return host_inst(h, &multi__module);
}

/* triple(n) = (n, n * 10^12, n / 4) through wrt_call. */
static void multi_results(void) {
  host_env h;
  int calls = 0;
  wrt_val res[3];
  wrt_trap trap;
  if (!host_env_init(&h))
    goto done;
  wrt_func *triple = host_func(multi_inst(&h, &calls), "triple");
  if (!triple)
    goto done;
  static const int32_t ns[] = {5, -3, 0, 2000000};
  for (size_t i = 0; i < T_COUNT(ns); i++) {
    int32_t n = ns[i];
    T_EQ_U64(wrt_call(h.s, triple, (wrt_val[]){WRT_I32_VAL(n)}, 1, res, 3, &trap), WRT_OK);
    T_EQ_U64(res[0].kind, WRT_I32);
    T_EQ_U64(res[1].kind, WRT_I64);
    T_EQ_U64(res[2].kind, WRT_F64);
    T_EQ_U64(res[0].of.i32, n);
    T_EQ_U64(res[1].of.i64, (int64_t)n * 1000000000000);
    if (!T_CHECK(res[2].of.f64 == n / 4.0))
      T_FAIL("triple(%d): f64 result %g, expected %g", (int)n, res[2].of.f64, n / 4.0);
  }
  /* Asking for fewer results than the signature has is an error, not a trap. */
  T_EQ_U64(wrt_call(h.s, triple, (wrt_val[]){WRT_I32_VAL(1)}, 1, res, 1, &trap), WRT_EINVAL);
  T_EQ_U64(calls, 0);
done:
  host_env_fini(&h);
}

/* via_host(a, b): divmod(a, b) = (q, r, p) from the host, returned as
** (p + 1, r, q). */
static void multi_host_import(void) {
  host_env h;
  int calls = 0;
  wrt_val res[3];
  wrt_trap trap;
  if (!host_env_init(&h))
    goto done;
  wrt_func *via = host_func(multi_inst(&h, &calls), "via_host");
  if (!via)
    goto done;
  static const int32_t ab[][2] = {{17, 5}, {-17, 5}, {1000000, -3}, {INT32_MAX, 2}};
  for (size_t i = 0; i < T_COUNT(ab); i++) {
    int32_t a = ab[i][0], b = ab[i][1];
    T_EQ_U64(wrt_call(h.s, via, (wrt_val[]){WRT_I32_VAL(a), WRT_I32_VAL(b)}, 2, res, 3, &trap),
             WRT_OK);
    T_EQ_U64(res[0].kind, WRT_I64);
    T_EQ_U64(res[1].kind, WRT_I32);
    T_EQ_U64(res[2].kind, WRT_I32);
    T_EQ_U64(res[0].of.i64, (int64_t)a * b * 65536 + 1);
    T_EQ_U64(res[1].of.i32, a % b);
    T_EQ_U64(res[2].of.i32, a / b);
  }
  T_EQ_U64(calls, (int)T_COUNT(ab));
  /* A host trap in the import comes back as the call's trap. */
  T_EQ_U64(wrt_call(h.s, via, (wrt_val[]){WRT_I32_VAL(1), WRT_I32_VAL(0)}, 2, res, 3, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_DIV_BY_ZERO);
  T_EQ_U64(calls, (int)T_COUNT(ab) + 1);
done:
  host_env_fini(&h);
}

const t_case host_multi_cases[] = {
    {"multi_results", multi_results},
    {"multi_host_import", multi_host_import},
};
const size_t host_multi_n_cases = T_COUNT(host_multi_cases);
