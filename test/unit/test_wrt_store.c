/*
** test_wrt_store.c: the runtime's objects without compiled code: the ABI
** symbol, trap strings, signature interning, host-created memories (grow
** limits), tables, globals, externrefs, host functions called directly, and
** the linker's argument checks.
*/
#include <stdio.h>
#include <string.h>

#include "test_wrt.h"

static void abi_symbol(void) {
  T_EQ_STR(WRT_ABI_SYMBOL, "wrt_abi_v4");
  T_EQ_U64(wrt_abi_v4, WRT_ABI_VERSION);
}

static void trap_strings(void) {
  static const struct {
    wrt_trap_code code;
    const char *text;
  } want[] = {
      {WRT_TRAP_UNREACHABLE, "unreachable"},
      {WRT_TRAP_OOB, "out of bounds memory access"},
      {WRT_TRAP_DIV_BY_ZERO, "integer divide by zero"},
      {WRT_TRAP_INT_OVERFLOW, "integer overflow"},
      {WRT_TRAP_INVALID_CONVERSION, "invalid conversion to integer"},
      {WRT_TRAP_INDIRECT_NULL, "uninitialized element"},
      {WRT_TRAP_INDIRECT_SIG, "indirect call type mismatch"},
      {WRT_TRAP_TABLE_OOB, "out of bounds table access"},
      {WRT_TRAP_STACK_EXHAUSTED, "call stack exhausted"},
      {WRT_TRAP_NULL_REF, "null reference"},
      {WRT_TRAP_HOST, "host trap"},
      {WRT_TRAP_UNDEFINED_ELEMENT, "undefined element"},
      {WRT_TRAP_EXIT, "exit"},
      {WRT_TRAP_INTERRUPTED, "interrupted"},
  };
  for (size_t i = 0; i < T_COUNT(want); i++)
    T_EQ_STR(wrt_trap_str(want[i].code), want[i].text);
  for (int c = 0; c <= WRT_EINVAL; c++)
    T_CHECK(wrt_err_str((wrt_err)c)[0] != '\0');
}

static wrt_trap_code h_nop(void *env, const wrt_val *args, wrt_val *results) {
  (void)env, (void)args, (void)results;
  return WRT_TRAP_NONE;
}

static void engine_interns_structurally(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s1 = wrt_store_new(e), *s2 = wrt_store_new(e);
  uint8_t a[] = {WRT_I32, WRT_F64, WRT_I64}, b[] = {WRT_I32, WRT_F64, WRT_I64};
  uint8_t c[] = {WRT_I32, WRT_F64};
  wrt_functype ta = {2, 1, a, a + 2}, tb = {2, 1, b, b + 2}, tc = {1, 1, c, c + 1};
  wrt_functype tv = {0, 0, NULL, NULL}, tbad = {1, 0, (const uint8_t[]){0x42}, NULL};
  wrt_func *fa = wrt_func_new_host(s1, &ta, h_nop, NULL);
  wrt_func *fb = wrt_func_new_host(s2, &tb, h_nop, NULL);
  wrt_func *fc = wrt_func_new_host(s1, &tc, h_nop, NULL);
  wrt_func *fv = wrt_func_new_host(s1, &tv, h_nop, NULL);
  if (!T_CHECK(fa && fb && fc && fv))
    goto done;
  T_CHECK(fa->type_id != 0);
  T_EQ_U64(fa->type_id, fb->type_id); /* same structure, other store, other arrays */
  T_CHECK(fa->type_id != fc->type_id);
  T_CHECK(fv->type_id != fc->type_id);
  T_CHECK(wrt_func_new_host(s1, &tbad, h_nop, NULL) == NULL); /* 0x42 is no value type */
  wrt_functype got = wrt_func_type(s1, fa);
  T_EQ_U64(got.n_params, 2);
  T_EQ_U64(got.n_results, 1);
  T_EQ_MEM(got.params, 2, a, 2);
  T_EQ_U64(got.results[0], WRT_I64);
  T_EQ_U64(wrt_func_type(s1, fv).n_params + wrt_func_type(s1, fv).n_results, 0);
  /* Many distinct signatures force the intern table to grow. */
  for (uint32_t n = 0; n < 200; n++) {
    uint8_t params[200];
    memset(params, WRT_I32, sizeof params);
    wrt_functype t = {n, 0, params, NULL};
    wrt_func *f = wrt_func_new_host(s2, &t, h_nop, NULL);
    if (!T_CHECK(f) || !T_EQ_U64(wrt_func_type(s2, f).n_params, n))
      break;
  }
  T_EQ_U64(wrt_func_new_host(s2, &ta, h_nop, NULL)->type_id, fa->type_id);
done:
  wrt_store_free(s1);
  wrt_store_free(s2);
  wrt_engine_free(e);
}

static bool all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i])
      return false;
  return true;
}

static void memory_grow_limits(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_memory *m = wrt_memory_new(s, 1, 2, true);
  if (!T_CHECK(m))
    goto done;
  T_EQ_U64(wrt_memory_size(m), 65536);
  uint8_t *base = wrt_memory_data(m);
  base[0] = 1, base[65535] = 2;
  T_EQ_U64(wrt_memory_grow(m, 0), 1);
  T_EQ_U64(wrt_memory_grow(m, 1), 1);
  T_EQ_U64(wrt_memory_size(m), 2 * 65536);
  T_CHECK(wrt_memory_data(m) == base); /* the base never moves */
  T_CHECK(all_zero(base + 65536, 65536));
  base[2 * 65536 - 1] = 3;
  T_EQ_U64(wrt_memory_grow(m, 1), (uint64_t)-1); /* past the maximum */
  T_EQ_U64(wrt_memory_grow(m, UINT64_MAX), (uint64_t)-1);
  T_EQ_U64(wrt_memory_size(m), 2 * 65536);

  /* Without a maximum: 65536 pages (4 GiB) and not one more. */
  wrt_memory *big = wrt_memory_new(s, 0, 0, false);
  if (T_CHECK(big)) {
    T_EQ_U64(wrt_memory_size(big), 0);
    T_EQ_U64(wrt_memory_grow(big, 65536), 0);
    T_EQ_U64(wrt_memory_size(big), UINT64_C(1) << 32);
    T_EQ_U64(wrt_memory_grow(big, 1), (uint64_t)-1);
    wrt_memory_data(big)[(UINT64_C(1) << 32) - 1] = 7; /* the last byte is usable */
  }
  T_CHECK(wrt_memory_new(s, 65537, 0, false) == NULL);
  T_CHECK(wrt_memory_new(s, 2, 1, true) == NULL);
  T_CHECK(wrt_memory_new(s, 0, 65537, true) == NULL);
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void table_host_api(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_functype tv = {0, 0, NULL, NULL};
  wrt_func *f = wrt_func_new_host(s, &tv, h_nop, NULL);
  wrt_table *t = wrt_table_new(s, WRT_FUNCREF, 2, 4, true, f);
  wrt_val v;
  if (!T_CHECK(t && f))
    goto done;
  T_EQ_U64(wrt_table_size(t), 2);
  T_EQ_U64(wrt_table_get(t, 1, &v), WRT_OK);
  T_EQ_U64(v.kind, WRT_FUNCREF);
  T_CHECK(v.of.funcref == f);
  wrt_val null_f = {.kind = WRT_FUNCREF, .of.funcref = NULL};
  T_EQ_U64(wrt_table_set(t, 0, null_f), WRT_OK);
  T_EQ_U64(wrt_table_get(t, 0, &v), WRT_OK);
  T_CHECK(v.of.funcref == NULL);
  T_EQ_U64(wrt_table_get(t, 2, &v), WRT_EINVAL);
  T_EQ_U64(wrt_table_set(t, 2, null_f), WRT_EINVAL);
  T_EQ_U64(wrt_table_set(t, 0, WRT_I32_VAL(1)), WRT_EINVAL);

  wrt_externref *r = wrt_externref_new(s, &v);
  wrt_table *xt = wrt_table_new(s, WRT_EXTERNREF, 1, 0, false, NULL);
  wrt_val rv = {.kind = WRT_EXTERNREF, .of.externref = r};
  if (T_CHECK(r && xt)) {
    T_CHECK(wrt_externref_data(r) == &v);
    T_EQ_U64(wrt_table_set(xt, 0, rv), WRT_OK);
    T_EQ_U64(wrt_table_get(xt, 0, &v), WRT_OK);
    T_EQ_U64(v.kind, WRT_EXTERNREF);
    T_CHECK(v.of.externref == r);
    T_EQ_U64(wrt_table_set(xt, 0, null_f), WRT_EINVAL);
  }
  T_CHECK(wrt_externref_data(NULL) == NULL);
  T_CHECK(wrt_table_new(s, WRT_I32, 1, 1, true, NULL) == NULL);
  T_CHECK(wrt_table_new(s, WRT_FUNCREF, 3, 2, true, NULL) == NULL);
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void global_host_api(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_global *gi = wrt_global_new(s, WRT_I32, true, WRT_I32_VAL(-5));
  wrt_global *gc = wrt_global_new(s, WRT_F64, false, WRT_F64_VAL(2.5));
  wrt_global *gl = wrt_global_new(s, WRT_I64, true, WRT_I64_VAL(INT64_MIN));
  wrt_val vv = {.kind = WRT_V128};
  for (int i = 0; i < 16; i++)
    vv.of.v128[i] = (uint8_t)i;
  wrt_global *gv = wrt_global_new(s, WRT_V128, false, vv);
  if (!T_CHECK(gi && gc && gl && gv))
    goto done;
  T_EQ_U64(wrt_global_get(gi).kind, WRT_I32);
  T_EQ_U64(wrt_global_get(gi).of.i32, -5);
  T_EQ_U64(wrt_global_set(gi, WRT_I32_VAL(9)), WRT_OK);
  T_EQ_U64(wrt_global_get(gi).of.i32, 9);
  T_EQ_U64(wrt_global_set(gi, WRT_I64_VAL(9)), WRT_EINVAL); /* wrong type */
  T_EQ_U64(wrt_global_set(gc, WRT_F64_VAL(1.0)), WRT_EINVAL); /* immutable */
  T_CHECK(wrt_global_get(gc).of.f64 == 2.5);
  T_EQ_U64(wrt_global_get(gl).of.i64, (uint64_t)INT64_MIN);
  T_EQ_MEM(wrt_global_get(gv).of.v128, 16, vv.of.v128, 16);
  T_CHECK(wrt_global_new(s, WRT_I32, true, WRT_I64_VAL(1)) == NULL);
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static wrt_trap_code h_swap(void *env, const wrt_val *args, wrt_val *results) {
  (void)env;
  results[0] = WRT_F64_VAL(args[1].of.f64);
  results[1] = WRT_I32_VAL(args[0].of.i32);
  return WRT_TRAP_NONE;
}

static wrt_trap_code h_trap(void *env, const wrt_val *args, wrt_val *results) {
  (void)args, (void)results;
  return (wrt_trap_code)(intptr_t)env;
}

static void host_call_direct(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  static const uint8_t ty[] = {WRT_I32, WRT_F64, WRT_F64, WRT_I32};
  wrt_functype t = {2, 2, ty, ty + 2}, tv = {0, 0, NULL, NULL};
  wrt_func *f = wrt_func_new_host(s, &t, h_swap, NULL);
  wrt_func *ft = wrt_func_new_host(s, &tv, h_trap, (void *)(intptr_t)WRT_TRAP_DIV_BY_ZERO);
  wrt_func *fbad = wrt_func_new_host(s, &tv, h_trap, (void *)(intptr_t)999);
  wrt_val args[2] = {WRT_I32_VAL(7), WRT_F64_VAL(0.25)}, res[2];
  wrt_trap trap;
  if (!T_CHECK(f && ft && fbad))
    goto done;
  T_EQ_U64(wrt_call(s, f, args, 2, res, 2, &trap), WRT_OK);
  T_EQ_U64(res[0].kind, WRT_F64);
  T_CHECK(res[0].of.f64 == 0.25);
  T_EQ_U64(res[1].kind, WRT_I32);
  T_EQ_U64(res[1].of.i32, 7);
  T_EQ_U64(trap.code, WRT_TRAP_NONE);
  T_EQ_U64(wrt_call(s, f, args, 1, res, 2, &trap), WRT_EINVAL);
  T_EQ_U64(wrt_call(s, f, args, 2, res, 1, &trap), WRT_EINVAL);
  wrt_val wrong[2] = {WRT_I64_VAL(7), WRT_F64_VAL(0.25)};
  T_EQ_U64(wrt_call(s, f, wrong, 2, res, 2, &trap), WRT_EINVAL);
  T_EQ_U64(wrt_call(s, NULL, NULL, 0, NULL, 0, &trap), WRT_EINVAL);
  T_EQ_U64(wrt_call(s, ft, NULL, 0, NULL, 0, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_DIV_BY_ZERO);
  T_EQ_STR(trap.msg, "integer divide by zero");
  T_EQ_U64(trap.func_idx, UINT32_MAX);
  T_EQ_U64(wrt_call(s, fbad, NULL, 0, NULL, 0, NULL), WRT_ETRAP); /* trap may be NULL */
  T_EQ_U64(wrt_call(s, fbad, NULL, 0, NULL, 0, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_HOST); /* out-of-range codes become "host trap" */
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void linker_args(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  wrt_global *g = wrt_global_new(s, WRT_I32, false, WRT_I32_VAL(1));
  wrt_extern ok = {.kind = WRT_EXTERN_GLOBAL, .of.global = g};
  wrt_extern bad_kind = {.kind = 9, .of.global = g};
  wrt_extern null_obj = {.kind = WRT_EXTERN_GLOBAL, .of.global = NULL};
  T_EQ_U64(wrt_linker_define(l, "m", "g", ok), WRT_OK);
  T_EQ_U64(wrt_linker_define(l, "m", "g", ok), WRT_OK); /* redefinition replaces */
  T_EQ_U64(wrt_linker_define(l, NULL, "g", ok), WRT_EINVAL);
  T_EQ_U64(wrt_linker_define(l, "m", NULL, ok), WRT_EINVAL);
  T_EQ_U64(wrt_linker_define(l, "m", "g", bad_kind), WRT_EINVAL);
  T_EQ_U64(wrt_linker_define(l, "m", "g", null_obj), WRT_EINVAL);
  T_EQ_U64(wrt_linker_define(NULL, "m", "g", ok), WRT_EINVAL);
  T_EQ_U64(wrt_linker_define_instance(l, "m", NULL), WRT_EINVAL);
  char name[32];
  for (int i = 0; i < 1000; i++) { /* forces several rehashes */
    snprintf(name, sizeof name, "g%d", i);
    if (!T_EQ_U64(wrt_linker_define(l, "many", name, ok), WRT_OK))
      break;
  }
  wrt_linker_free(l);
  wrt_linker_free(NULL);
  wrt_store_free(s);
  wrt_store_free(NULL);
  wrt_engine_free(e);
  wrt_engine_free(NULL);
}

const t_case wrt_store_cases[] = {
    {"abi_symbol", abi_symbol},
    {"trap_strings", trap_strings},
    {"engine_interns_structurally", engine_interns_structurally},
    {"memory_grow_limits", memory_grow_limits},
    {"table_host_api", table_host_api},
    {"global_host_api", global_host_api},
    {"host_call_direct", host_call_direct},
    {"linker_args", linker_args},
};
const size_t wrt_store_n_cases = T_COUNT(wrt_store_cases);
