/*
** host_refs.c: references across the host/Wasm boundary. Externrefs made by
** the host go through parameters, results, an exported global and an
** exported table (written and read from both sides) and keep their
** identity; funcrefs taken from instance A run A's code with A's state when
** B calls them through call_indirect or the host calls them directly.
** Also imports between instances (refs_imp.wat imports A's function, memory,
** global and table) and a link failure on a mismatched import type.
*/
#include <string.h>

#include "host.h"

static wrt_externref *call_ref(host_env *h, wrt_instance *inst, const char *name,
                               const wrt_val *args, size_t n) {
  return host_call1(h, inst, name, args, n, WRT_EXTERNREF).of.externref;
}

static int32_t call_i32(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                        size_t n) {
  return host_call1(h, inst, name, args, n, WRT_I32).of.i32;
}

/* Embedder data the refs point at; only the addresses matter. */
static int data1, data2;

/* Parameters and results: id(r) is r, and null stays null. */
static void refs_externref_args(void) {
  host_env h;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  wrt_externref *r1 = wrt_externref_new(h.s, &data1);
  wrt_externref *r2 = wrt_externref_new(h.s, &data2);
  if (!a || !T_CHECK(r1 && r2 && r1 != r2))
    goto done;
  for (int i = 0; i < 100; i++) {
    wrt_externref *r = i % 2 ? r2 : r1;
    wrt_externref *got = call_ref(&h, a, "id", (wrt_val[]){HOST_EXTERNREF_VAL(r)}, 1);
    if (!T_CHECK(got == r) || !T_CHECK(wrt_externref_data(got) == (i % 2 ? &data2 : &data1)))
      break;
  }
  T_CHECK(call_ref(&h, a, "id", (wrt_val[]){HOST_EXTERNREF_VAL(NULL)}, 1) == NULL);
  T_EQ_U64(call_i32(&h, a, "is_null", (wrt_val[]){HOST_EXTERNREF_VAL(NULL)}, 1), 1);
  T_EQ_U64(call_i32(&h, a, "is_null", (wrt_val[]){HOST_EXTERNREF_VAL(r1)}, 1), 0);
  /* A funcref is not an externref: the call is refused before any Wasm runs. */
  wrt_val res;
  T_EQ_U64(wrt_call(h.s, host_func(a, "id"), (wrt_val[]){HOST_FUNCREF_VAL(NULL)}, 1, &res, 1, NULL),
           WRT_EINVAL);
done:
  host_env_fini(&h);
}

/* The exported mutable externref global "eg", written from either side. */
static void refs_externref_global(void) {
  host_env h;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  wrt_global *eg = host_global(a, "eg");
  wrt_externref *r1 = wrt_externref_new(h.s, &data1);
  wrt_externref *r2 = wrt_externref_new(h.s, &data2);
  if (!eg)
    goto done;
  wrt_val v = wrt_global_get(eg);
  T_EQ_U64(v.kind, WRT_EXTERNREF);
  T_CHECK(v.of.externref == NULL);
  /* Wasm writes, host reads. */
  host_call0(&h, a, "eg_set", (wrt_val[]){HOST_EXTERNREF_VAL(r1)}, 1);
  v = wrt_global_get(eg);
  T_CHECK(v.kind == WRT_EXTERNREF && v.of.externref == r1);
  T_CHECK(wrt_externref_data(v.of.externref) == &data1);
  T_CHECK(call_ref(&h, a, "eg_get", NULL, 0) == r1);
  /* Host writes, Wasm reads. */
  T_EQ_U64(wrt_global_set(eg, HOST_EXTERNREF_VAL(r2)), WRT_OK);
  wrt_externref *got = call_ref(&h, a, "eg_get", NULL, 0);
  T_CHECK(got == r2);
  T_CHECK(wrt_externref_data(got) == &data2);
  /* Null from both sides. */
  T_EQ_U64(wrt_global_set(eg, HOST_EXTERNREF_VAL(NULL)), WRT_OK);
  T_CHECK(call_ref(&h, a, "eg_get", NULL, 0) == NULL);
  host_call0(&h, a, "eg_set", (wrt_val[]){HOST_EXTERNREF_VAL(r1)}, 1);
  host_call0(&h, a, "eg_set", (wrt_val[]){HOST_EXTERNREF_VAL(NULL)}, 1);
  T_CHECK(wrt_global_get(eg).of.externref == NULL);
  /* Wrong kinds are refused and change nothing. */
  T_EQ_U64(wrt_global_set(eg, WRT_I32_VAL(1)), WRT_EINVAL);
  T_EQ_U64(wrt_global_set(eg, HOST_FUNCREF_VAL(NULL)), WRT_EINVAL);
  T_CHECK(wrt_global_get(eg).of.externref == NULL);
done:
  host_env_fini(&h);
}

/* The exported externref table "etab" (size 4), written from either side. */
static void refs_externref_table(void) {
  host_env h;
  wrt_trap trap;
  wrt_val v, res;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  wrt_table *et = host_table(a, "etab");
  wrt_externref *r1 = wrt_externref_new(h.s, &data1);
  wrt_externref *r2 = wrt_externref_new(h.s, &data2);
  if (!et)
    goto done;
  T_EQ_U64(wrt_table_size(et), 4);
  for (uint32_t i = 0; i < 4; i++)
    T_CHECK(wrt_table_get(et, i, &v) == WRT_OK && v.kind == WRT_EXTERNREF && !v.of.externref);
  /* Wasm table.set, host reads. */
  host_call0(&h, a, "et_set", (wrt_val[]){WRT_I32_VAL(1), HOST_EXTERNREF_VAL(r1)}, 2);
  T_CHECK(wrt_table_get(et, 1, &v) == WRT_OK && v.of.externref == r1);
  T_CHECK(wrt_externref_data(v.of.externref) == &data1);
  T_CHECK(call_ref(&h, a, "et_get", (wrt_val[]){WRT_I32_VAL(1)}, 1) == r1);
  /* Host sets, Wasm table.get. */
  T_EQ_U64(wrt_table_set(et, 3, HOST_EXTERNREF_VAL(r2)), WRT_OK);
  wrt_externref *got = call_ref(&h, a, "et_get", (wrt_val[]){WRT_I32_VAL(3)}, 1);
  T_CHECK(got == r2);
  T_CHECK(wrt_externref_data(got) == &data2);
  T_CHECK(call_ref(&h, a, "et_get", (wrt_val[]){WRT_I32_VAL(1)}, 1) == r1); /* untouched */
  /* Null from both sides. */
  T_EQ_U64(wrt_table_set(et, 1, HOST_EXTERNREF_VAL(NULL)), WRT_OK);
  T_CHECK(call_ref(&h, a, "et_get", (wrt_val[]){WRT_I32_VAL(1)}, 1) == NULL);
  host_call0(&h, a, "et_set", (wrt_val[]){WRT_I32_VAL(3), HOST_EXTERNREF_VAL(NULL)}, 2);
  T_CHECK(wrt_table_get(et, 3, &v) == WRT_OK && v.of.externref == NULL);
  /* Out of range: EINVAL for the host, a trap for Wasm. */
  T_EQ_U64(wrt_table_get(et, 4, &v), WRT_EINVAL);
  T_EQ_U64(wrt_table_set(et, 4, HOST_EXTERNREF_VAL(r1)), WRT_EINVAL);
  T_EQ_U64(wrt_table_set(et, 0, HOST_FUNCREF_VAL(NULL)), WRT_EINVAL);
  T_EQ_U64(wrt_call(h.s, host_func(a, "et_get"), (wrt_val[]){WRT_I32_VAL(4)}, 1, &res, 1, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_TABLE_OOB);
  T_EQ_U64(wrt_call(h.s, host_func(a, "et_set"),
                    (wrt_val[]){WRT_I32_VAL(4), HOST_EXTERNREF_VAL(r1)}, 2, NULL, 0, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_TABLE_OOB);
done:
  host_env_fini(&h);
}

/* Calls B's call0(i) / call1(i, x), which call_indirect through B's table. */
static int32_t b_call0(host_env *h, wrt_instance *b, int32_t i) {
  return call_i32(h, b, "call0", (wrt_val[]){WRT_I32_VAL(i)}, 1);
}

static int32_t b_call1(host_env *h, wrt_instance *b, int32_t i, int32_t x) {
  return call_i32(h, b, "call1", (wrt_val[]){WRT_I32_VAL(i), WRT_I32_VAL(x)}, 2);
}

/* The funcrefs A hands out (export, table element, ref.func) are one record
** per function, and calling them directly runs A's code. */
static void refs_funcref_sources(void) {
  host_env h;
  wrt_val v;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  wrt_table *aft = host_table(a, "ftab");
  wrt_func *get_g = host_func(a, "get_g");
  wrt_global *ag = host_global(a, "g");
  if (!aft || !get_g || !ag)
    goto done;
  T_CHECK(wrt_table_get(aft, 0, &v) == WRT_OK && v.kind == WRT_FUNCREF);
  T_CHECK(v.of.funcref == get_g);
  T_CHECK(wrt_table_get(aft, 1, &v) == WRT_OK && v.kind == WRT_FUNCREF && v.of.funcref);
  wrt_func *add_g = v.of.funcref;
  T_CHECK(wrt_table_get(aft, 2, &v) == WRT_OK && v.of.funcref == NULL);
  wrt_val r = host_call1(&h, a, "ref_add_g", NULL, 0, WRT_FUNCREF);
  T_CHECK(r.of.funcref == add_g);
  if (!add_g)
    goto done;
  wrt_functype ft = wrt_func_type(h.s, add_g);
  T_CHECK(ft.n_params == 1 && ft.params[0] == WRT_I32 && ft.n_results == 1 &&
          ft.results[0] == WRT_I32);
  /* A funcref from a table, called directly. */
  wrt_val res;
  T_EQ_U64(wrt_call(h.s, add_g, (wrt_val[]){WRT_I32_VAL(5)}, 1, &res, 1, NULL), WRT_OK);
  T_EQ_U64(res.of.i32, 105);
  T_EQ_U64(wrt_global_set(ag, WRT_I32_VAL(1000)), WRT_OK);
  T_EQ_U64(wrt_call(h.s, add_g, (wrt_val[]){WRT_I32_VAL(5)}, 1, &res, 1, NULL), WRT_OK);
  T_EQ_U64(res.of.i32, 1005);
  T_EQ_U64(wrt_call(h.s, add_g, NULL, 0, &res, 1, NULL), WRT_EINVAL);
done:
  host_env_fini(&h);
}

/* A's funcrefs in B's table, put there by the host API and by B's own
** table.set; B's call_indirect must run A's code against A's global. */
static void refs_funcref_cross(void) {
  host_env h;
  wrt_val v;
  wrt_trap trap;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  wrt_instance *b = host_inst(&h, &refs_b__module);
  wrt_table *aft = host_table(a, "ftab"), *bft = host_table(b, "ftab");
  wrt_global *ag = host_global(a, "g");
  wrt_func *get_g = host_func(a, "get_g");
  if (!aft || !bft || !ag || !get_g)
    goto done;
  wrt_func *add_g = host_call1(&h, a, "ref_add_g", NULL, 0, WRT_FUNCREF).of.funcref;
  /* Host API: B[0] = A.get_g (the export). */
  T_EQ_U64(wrt_table_set(bft, 0, HOST_FUNCREF_VAL(get_g)), WRT_OK);
  /* Through Wasm: B.put(1, A.add_g) (from ref.func), B.put(2, A.ftab[0]). */
  host_call0(&h, b, "put", (wrt_val[]){WRT_I32_VAL(1), HOST_FUNCREF_VAL(add_g)}, 2);
  T_CHECK(wrt_table_get(aft, 0, &v) == WRT_OK);
  host_call0(&h, b, "put", (wrt_val[]){WRT_I32_VAL(2), v}, 2);
  T_CHECK(wrt_table_get(bft, 1, &v) == WRT_OK && v.of.funcref == add_g);
  T_CHECK(wrt_table_get(bft, 2, &v) == WRT_OK && v.of.funcref == get_g);

  T_EQ_U64(b_call0(&h, b, 0), 100); /* A's $g, not B's (7) */
  T_EQ_U64(b_call1(&h, b, 1, 5), 105);
  T_EQ_U64(b_call0(&h, b, 2), 100);
  T_EQ_U64(wrt_global_set(ag, WRT_I32_VAL(555)), WRT_OK);
  T_EQ_U64(b_call0(&h, b, 0), 555);
  T_EQ_U64(b_call1(&h, b, 1, 5), 560);
  T_EQ_U64(call_i32(&h, a, "get_g", NULL, 0), 555);
  T_EQ_U64(call_i32(&h, b, "get_g", NULL, 0), 7);
  T_EQ_U64(wrt_global_get(host_global(b, "g")).of.i32, 7);

  /* Signatures are engine-wide: B's check against A's function works. */
  T_EQ_U64(wrt_call(h.s, host_func(b, "call0"), (wrt_val[]){WRT_I32_VAL(1)}, 1, &v, 1, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_INDIRECT_SIG);
  T_EQ_U64(wrt_call(h.s, host_func(b, "call0"), (wrt_val[]){WRT_I32_VAL(3)}, 1, &v, 1, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_INDIRECT_NULL);
  /* Null through B.put clears the slot. */
  host_call0(&h, b, "put", (wrt_val[]){WRT_I32_VAL(0), HOST_FUNCREF_VAL(NULL)}, 2);
  T_CHECK(wrt_table_get(bft, 0, &v) == WRT_OK && v.of.funcref == NULL);
done:
  host_env_fini(&h);
}

/* refs_imp imports A's get_g, mem, g and ftab through the linker; each is
** shared, not copied: changes show on the other side. */
static void refs_imports(void) {
  host_env h;
  wrt_val v;
  wrt_trap trap;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *a = host_inst(&h, &refs_a__module);
  if (!a || !T_EQ_U64(wrt_linker_define_instance(h.l, "a", a), WRT_OK))
    goto done;
  wrt_instance *imp = host_inst(&h, &refs_imp__module);
  wrt_memory *mem = host_memory(a, "mem");
  wrt_global *g = host_global(a, "g");
  wrt_table *ft = host_table(a, "ftab");
  if (!imp || !mem || !g || !ft)
    goto done;
  /* Function. */
  T_EQ_U64(call_i32(&h, imp, "call_get_g", NULL, 0), 100);
  /* Global: host -> importer, importer -> A's code and the host. */
  T_EQ_U64(wrt_global_set(g, WRT_I32_VAL(321)), WRT_OK);
  T_EQ_U64(call_i32(&h, imp, "gget", NULL, 0), 321);
  host_call0(&h, imp, "gset", (wrt_val[]){WRT_I32_VAL(77)}, 1);
  T_EQ_U64(call_i32(&h, a, "get_g", NULL, 0), 77);
  T_EQ_U64(wrt_global_get(g).of.i32, 77);
  T_EQ_U64(call_i32(&h, imp, "call_get_g", NULL, 0), 77);
  /* Memory: one page, shared. */
  T_EQ_U64(wrt_memory_size(mem), 65536);
  wrt_memory_data(mem)[10] = 0x5a;
  T_EQ_U64(call_i32(&h, imp, "peek", (wrt_val[]){WRT_I32_VAL(10)}, 1), 0x5a);
  host_call0(&h, imp, "poke", (wrt_val[]){WRT_I32_VAL(65535), WRT_I32_VAL(0xc3)}, 2);
  T_EQ_U64(wrt_memory_data(mem)[65535], 0xc3);
  /* Table: A's elements, and a host update seen by the importer. */
  T_EQ_U64(call_i32(&h, imp, "tsize", NULL, 0), 4);
  T_EQ_U64(call_i32(&h, imp, "tcall", (wrt_val[]){WRT_I32_VAL(0)}, 1), 77);
  T_EQ_U64(wrt_call(h.s, host_func(imp, "tcall"), (wrt_val[]){WRT_I32_VAL(2)}, 1, &v, 1, &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_INDIRECT_NULL);
  T_EQ_U64(wrt_table_set(ft, 2, HOST_FUNCREF_VAL(host_func(a, "get_g"))), WRT_OK);
  T_EQ_U64(call_i32(&h, imp, "tcall", (wrt_val[]){WRT_I32_VAL(2)}, 1), 77);
done:
  host_env_fini(&h);
}

/* refs_bad imports a.get_g as (i32) -> i32; A's is () -> i32. */
static void refs_link_mismatch(void) {
  host_env h;
  wrt_diag diag;
  wrt_instance *inst = NULL;
  if (!host_env_init(&h))
    goto done;
  /* Without a definition: unknown import. */
  memset(&diag, 0, sizeof diag);
  T_EQ_U64(wrt_instantiate(h.s, &refs_bad__module, h.l, &inst, &diag, NULL), WRT_ELINK);
  T_EQ_U64(diag.code, WRT_ELINK);
  T_CONTAINS(diag.msg, "unknown import");
  wrt_instance *a = host_inst(&h, &refs_a__module);
  if (!a || !T_EQ_U64(wrt_linker_define_instance(h.l, "a", a), WRT_OK))
    goto done;
  memset(&diag, 0, sizeof diag);
  T_EQ_U64(wrt_instantiate(h.s, &refs_bad__module, h.l, &inst, &diag, NULL), WRT_ELINK);
  T_EQ_U64(diag.code, WRT_ELINK);
  T_CONTAINS(diag.msg, "incompatible import type");
  T_CONTAINS(diag.msg, "get_g");
  /* The failed link left A and the linker usable. */
  T_CHECK(host_inst(&h, &refs_imp__module) != NULL);
  T_EQ_U64(call_i32(&h, a, "get_g", NULL, 0), 100);
done:
  host_env_fini(&h);
}

static wrt_trap_code twice_i32(void *env, const wrt_val *args, wrt_val *results) {
  (void)env;
  results[0] = WRT_I32_VAL(args[0].of.i32 * 2);
  return WRT_TRAP_NONE;
}

static wrt_trap_code sub_i64(void *env, const wrt_val *args, wrt_val *results) {
  (void)env;
  results[0] = WRT_I64_VAL(args[0].of.i64 - args[1].of.i64);
  return WRT_TRAP_NONE;
}

/* Host functions called through a table by a module that imports no
** function of their type: one made before the module (adopted at its
** instantiation), one made after it (adopted at creation). */
static void refs_host_in_table(void) {
  host_env h;
  if (!host_env_init(&h))
    return;
  static const uint8_t i32s[] = {WRT_I32}, i64s[] = {WRT_I64, WRT_I64};
  wrt_functype unop = {1, 1, i32s, i32s}, binop = {2, 1, i64s, i64s};
  wrt_func *before = wrt_func_new_host(h.s, &unop, twice_i32, NULL);
  wrt_instance *inst = host_inst(&h, &tblhost__module);
  wrt_func *after = wrt_func_new_host(h.s, &binop, sub_i64, NULL);
  wrt_table *tab = inst ? host_table(inst, "tab") : NULL;
  if (!T_CHECK(before && after && tab))
    goto done;
  T_EQ_U64(wrt_table_set(tab, 0, HOST_FUNCREF_VAL(before)), WRT_OK);
  T_EQ_U64(wrt_table_set(tab, 1, HOST_FUNCREF_VAL(after)), WRT_OK);
  wrt_val r = host_call1(&h, inst, "call_unop", (wrt_val[]){WRT_I32_VAL(0), WRT_I32_VAL(21)}, 2,
                         WRT_I32);
  T_EQ_U64(r.of.i32, 42);
  r = host_call1(&h, inst, "call_binop",
                 (wrt_val[]){WRT_I32_VAL(1), WRT_I64_VAL(50), WRT_I64_VAL(8)}, 3, WRT_I64);
  T_EQ_U64(r.of.i64, 42);
  /* the wrong type through the table is a trap, not a call */
  wrt_trap trap;
  wrt_func *f = host_func(inst, "call_unop");
  if (f) {
    wrt_val res;
    T_EQ_U64(wrt_call(h.s, f, (wrt_val[]){WRT_I32_VAL(1), WRT_I32_VAL(1)}, 2, &res, 1, &trap),
             WRT_ETRAP);
    T_EQ_U64(trap.code, WRT_TRAP_INDIRECT_SIG);
  }
done:
  host_env_fini(&h);
}

const t_case host_ref_cases[] = {
    {"refs_host_in_table", refs_host_in_table},
    {"refs_externref_args", refs_externref_args},
    {"refs_externref_global", refs_externref_global},
    {"refs_externref_table", refs_externref_table},
    {"refs_funcref_sources", refs_funcref_sources},
    {"refs_funcref_cross", refs_funcref_cross},
    {"refs_imports", refs_imports},
    {"refs_link_mismatch", refs_link_mismatch},
};
const size_t host_ref_n_cases = T_COUNT(host_ref_cases);
