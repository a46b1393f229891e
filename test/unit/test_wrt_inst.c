/*
** test_wrt_inst.c: instantiation with hand-written modules: calls, exports of
** every kind, imports from instances and from host objects, link errors
** (unknown import, incompatible import type per kind), ABI checks, global
** initialisers, element/data segments (including partial failure), start
** functions and host functions adopting exit trampolines.
*/
#include <string.h>

#include "test_wrt.h"

static void instantiate_and_call(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_func *add = tw_func(inst, "add");
  int32_t r = 0;
  T_EQ_U64(tw_call_i(&t, add, (int32_t[]){2, 3}, 2, &r, NULL), WRT_OK);
  T_EQ_U64(r, 5);
  T_EQ_U64(tw_call_i(&t, add, (int32_t[]){INT32_MAX, 1}, 2, &r, NULL), WRT_OK);
  T_EQ_U64((uint32_t)r, 0x80000000u); /* i32.add wraps */
  /* Typed results through wrt_call directly. */
  wrt_val args[2] = {WRT_I32_VAL(-7), WRT_I32_VAL(3)}, res;
  wrt_trap trap;
  T_EQ_U64(wrt_call(t.s, add, args, 2, &res, 1, &trap), WRT_OK);
  T_EQ_U64(res.kind, WRT_I32);
  T_EQ_U64(res.of.i32, -4);
  wrt_functype ft = wrt_func_type(t.s, add);
  T_EQ_U64(ft.n_params, 2);
  T_EQ_U64(ft.n_results, 1);
done:
  tw_env_fini(&t);
}

static void check_export_names(wrt_instance *inst) {
  const wrt_module_desc *d = tw_m1();
  T_EQ_U64(wrt_instance_export_count(inst), d->n_exports);
  for (uint32_t i = 0; i < d->n_exports; i++) {
    const char *name = NULL;
    wrt_extern e;
    if (!T_EQ_U64(wrt_instance_export_at(inst, i, &name, &e), WRT_OK))
      return;
    T_EQ_MEM(name, strlen(name), d->exports[i].name.ptr, d->exports[i].name.len);
    T_EQ_U64(e.kind, d->exports[i].kind);
  }
  wrt_extern e;
  T_EQ_U64(wrt_instance_export_at(inst, d->n_exports, NULL, &e), WRT_EINVAL);
  T_EQ_U64(wrt_instance_export(inst, "nope", &e), WRT_EINVAL);
}

static wrt_extern export_of(wrt_instance *inst, const char *name, uint8_t kind) {
  wrt_extern e;
  memset(&e, 0, sizeof e);
  if (!T_EQ_U64(wrt_instance_export(inst, name, &e), WRT_OK) || !T_EQ_U64(e.kind, kind))
    memset(&e, 0, sizeof e);
  return e;
}

static void exports_every_kind(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  if (!inst)
    goto done;
  check_export_names(inst);
  wrt_func *add = export_of(inst, "add", WRT_EXTERN_FUNC).of.func;
  wrt_func *call_host = export_of(inst, "call_host", WRT_EXTERN_FUNC).of.func;
  if (!T_CHECK(add && call_host))
    goto done;
  T_CHECK(add->entry != NULL && add->code != NULL && add->vmctx != NULL);
  /* A re-exported import is the exporter's own record. */
  T_CHECK(export_of(inst, "host", WRT_EXTERN_FUNC).of.func == t.add_host);
  T_CHECK(export_of(inst, "g_base", WRT_EXTERN_GLOBAL).of.global == t.base);

  wrt_memory *mem = export_of(inst, "mem", WRT_EXTERN_MEMORY).of.memory;
  if (T_CHECK(mem)) {
    T_EQ_U64(wrt_memory_size(mem), 65536);
    T_EQ_MEM(wrt_memory_data(mem) + 16, 5, "hello", 5); /* data d0 at global.get base */
  }
  wrt_table *tab = export_of(inst, "tab", WRT_EXTERN_TABLE).of.table;
  wrt_val v;
  if (T_CHECK(tab)) {
    T_EQ_U64(wrt_table_size(tab), 4);
    T_EQ_U64(wrt_table_get(tab, 0, &v), WRT_OK);
    T_CHECK(v.of.funcref == NULL);
    T_EQ_U64(wrt_table_get(tab, 1, &v), WRT_OK);
    T_CHECK(v.of.funcref == add); /* elem e0 at 1: [add call_host] */
    T_EQ_U64(wrt_table_get(tab, 2, &v), WRT_OK);
    T_CHECK(v.of.funcref == call_host);
  }
  wrt_global *g1 = export_of(inst, "g1", WRT_EXTERN_GLOBAL).of.global;
  wrt_global *g2 = export_of(inst, "g2", WRT_EXTERN_GLOBAL).of.global;
  wrt_global *g3 = export_of(inst, "g3", WRT_EXTERN_GLOBAL).of.global;
  wrt_global *g4 = export_of(inst, "g4", WRT_EXTERN_GLOBAL).of.global;
  if (T_CHECK(g1 && g2 && g3 && g4)) {
    T_EQ_U64(wrt_global_get(g1).of.i32, 16 + 5);
    T_EQ_U64(wrt_global_get(g2).kind, WRT_I64);
    T_EQ_U64(wrt_global_get(g2).of.i64, (uint64_t)-2);
    T_CHECK(wrt_global_get(g3).of.funcref == add);
    T_CHECK(wrt_global_get(g4).of.f64 == 1.5);
    T_EQ_U64(wrt_global_set(g2, WRT_I64_VAL(1)), WRT_EINVAL); /* immutable */
  }
done:
  tw_env_fini(&t);
}

/* An exported defined global is the vmctx slot compiled code uses. */
static void globals_shared_with_code(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_func *get_g1 = tw_func(inst, "get_g1");
  wrt_global *g1 = export_of(inst, "g1", WRT_EXTERN_GLOBAL).of.global;
  int32_t r = 0;
  if (!T_CHECK(get_g1 && g1))
    goto done;
  T_EQ_U64(tw_call_i(&t, get_g1, NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, 21);
  T_EQ_U64(wrt_global_set(g1, WRT_I32_VAL(-3)), WRT_OK);
  T_EQ_U64(tw_call_i(&t, get_g1, NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, -3);
  /* Another base changes the initialiser's global.get. */
  wrt_global *base2 = wrt_global_new(t.s, WRT_I32, false, WRT_I32_VAL(100));
  wrt_extern g = {.kind = WRT_EXTERN_GLOBAL, .of.global = base2};
  T_EQ_U64(wrt_linker_define(t.l, "env", "base", g), WRT_OK);
  wrt_instance *inst2 = tw_inst_m1(&t);
  T_EQ_U64(tw_call_i(&t, tw_func(inst2, "get_g1"), NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, 105);
done:
  tw_env_fini(&t);
}

static void imports_from_instance(void) {
  tw_env t;
  wrt_instance *m1 = NULL, *m2 = NULL;
  wrt_diag d;
  int32_t r = 0;
  if (!tw_env_init(&t) || !(m1 = tw_inst_m1(&t)))
    goto done;
  T_EQ_U64(wrt_linker_define_instance(t.l, "m1", m1), WRT_OK);
  if (!T_EQ_U64(wrt_instantiate(t.s, tw_m2(), t.l, &m2, &d, NULL), WRT_OK)) {
    T_FAIL("%s", d.msg);
    goto done;
  }
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "sum3"), (int32_t[]){1, 2}, 2, &r, NULL), WRT_OK);
  T_EQ_U64(r, 1 + 2 + 21); /* m1.add, then m1.g1 through the import pointer */
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "peek"), (int32_t[]){16}, 1, &r, NULL), WRT_OK);
  T_EQ_U64(r, 'h');
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "peek"), (int32_t[]){100}, 1, &r, NULL), WRT_OK);
  T_EQ_U64(r, 'a'); /* m2's data segment went into m1's memory */
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "tsize"), NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, 4);
  T_EQ_U64(tw_call_i(&t, tw_func(m1, "tgrow"), (int32_t[]){2}, 1, &r, NULL), WRT_OK);
  T_EQ_U64(r, 4);
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "tsize"), NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, 6); /* the importer sees the growth */
  /* Mutating the exported global is visible to the importer. */
  T_EQ_U64(wrt_global_set(export_of(m1, "g1", WRT_EXTERN_GLOBAL).of.global, WRT_I32_VAL(0)),
           WRT_OK);
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "sum3"), (int32_t[]){1, 2}, 2, &r, NULL), WRT_OK);
  T_EQ_U64(r, 3);
  T_CHECK(tw_func(m2, "add2") == tw_func(m1, "add"));
  T_CHECK(export_of(m2, "mem2", WRT_EXTERN_MEMORY).of.memory ==
          export_of(m1, "mem", WRT_EXTERN_MEMORY).of.memory);
done:
  tw_env_fini(&t);
}

static void imports_from_host_objects(void) {
  tw_env t;
  wrt_instance *m1 = NULL, *m2 = NULL;
  wrt_diag d;
  int32_t r = 0;
  if (!tw_env_init(&t) || !(m1 = tw_inst_m1(&t)))
    goto done;
  wrt_table *tab = wrt_table_new(t.s, WRT_FUNCREF, 5, 0, false, NULL);
  wrt_memory *mem = wrt_memory_new(t.s, 2, 3, true);
  wrt_global *g = wrt_global_new(t.s, WRT_I32, true, WRT_I32_VAL(1000));
  if (!T_CHECK(tab && mem && g))
    goto done;
  wrt_extern e = {.kind = WRT_EXTERN_FUNC, .of.func = tw_func(m1, "add")};
  T_EQ_U64(wrt_linker_define(t.l, "m1", "add", e), WRT_OK);
  e = (wrt_extern){.kind = WRT_EXTERN_TABLE, .of.table = tab};
  T_EQ_U64(wrt_linker_define(t.l, "m1", "tab", e), WRT_OK);
  e = (wrt_extern){.kind = WRT_EXTERN_MEMORY, .of.memory = mem};
  T_EQ_U64(wrt_linker_define(t.l, "m1", "mem", e), WRT_OK);
  e = (wrt_extern){.kind = WRT_EXTERN_GLOBAL, .of.global = g};
  T_EQ_U64(wrt_linker_define(t.l, "m1", "g1", e), WRT_OK);
  if (!T_EQ_U64(wrt_instantiate(t.s, tw_m2(), t.l, &m2, &d, NULL), WRT_OK)) {
    T_FAIL("%s", d.msg);
    goto done;
  }
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "sum3"), (int32_t[]){1, 2}, 2, &r, NULL), WRT_OK);
  T_EQ_U64(r, 1003);
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "tsize"), NULL, 0, &r, NULL), WRT_OK);
  T_EQ_U64(r, 5);
  T_EQ_MEM(wrt_memory_data(mem) + 100, 3, "abc", 3);
  wrt_memory_data(mem)[65536 + 5] = 'Z';
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "peek"), (int32_t[]){65536 + 5}, 1, &r, NULL), WRT_OK);
  T_EQ_U64(r, 'Z');
done:
  tw_env_fini(&t);
}

static void unknown_import(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  wrt_instance *inst = (wrt_instance *)&inst;
  wrt_diag d;
  T_EQ_U64(wrt_instantiate(s, tw_m1(), l, &inst, &d, NULL), WRT_ELINK);
  T_EQ_U64(d.code, WRT_ELINK);
  T_EQ_STR(d.msg, "unknown import: env.add_host");
  T_CHECK(inst == NULL);
  T_EQ_U64(wrt_instantiate(s, tw_m1(), NULL, &inst, &d, NULL), WRT_ELINK);
  T_EQ_U64(wrt_instantiate(s, NULL, l, &inst, &d, NULL), WRT_EINVAL);
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void incompatible_import_types(void) {
  static const char *const detail[TW_BAD_COUNT] = {
      [TW_BAD_FUNC_TYPE] = "m1.add expects func (i32) -> (i32), got func (i32 i32) -> (i32)",
      [TW_BAD_TABLE_ELEM] = "m1.tab expects table externref 4.., got table funcref 4..8",
      [TW_BAD_TABLE_MIN] = "m1.tab expects table funcref 5.., got table funcref 4..8",
      [TW_BAD_TABLE_MAX] = "m1.tab expects table funcref 4..7, got table funcref 4..8",
      [TW_BAD_MEM_MIN] = "m1.mem expects memory 2..3, got memory 1..3",
      [TW_BAD_MEM_MAX] = "m1.mem expects memory 1..2, got memory 1..3",
      [TW_BAD_MEM_64] = "m1.mem expects memory i64 1..3, got memory 1..3",
      [TW_BAD_GLOBAL_MUT] = "m1.g1 expects global i32, got global mut i32",
      [TW_BAD_GLOBAL_TYPE] = "m1.g1 expects global mut i64, got global mut i32",
      [TW_BAD_KIND] = "m1.g1 expects memory 1..3, got global",
  };
  tw_env t;
  wrt_instance *m1 = NULL, *inst = NULL;
  wrt_diag d;
  if (!tw_env_init(&t) || !(m1 = tw_inst_m1(&t)))
    goto done;
  T_EQ_U64(wrt_linker_define_instance(t.l, "m1", m1), WRT_OK);
  if (!T_EQ_U64(wrt_instantiate(t.s, tw_m2_variant(TW_OK_SUBTYPE), t.l, &inst, &d, NULL), WRT_OK))
    T_FAIL("subtype: %s", d.msg);
  for (int w = TW_BAD_FUNC_TYPE; w < TW_BAD_COUNT; w++) {
    wrt_err err = wrt_instantiate(t.s, tw_m2_variant(w), t.l, &inst, &d, NULL);
    if (!T_EQ_U64(err, WRT_ELINK))
      T_FAIL("variant %d", w);
    T_CHECK(inst == NULL);
    if (w == TW_BAD_UNKNOWN) {
      T_EQ_STR(d.msg, "unknown import: m1.nope");
      continue;
    }
    T_PREFIX(d.msg, "incompatible import type: ");
    T_CONTAINS(d.msg, detail[w]);
  }
done:
  tw_env_fini(&t);
}

static void abi_mismatch(void) {
  tw_env t;
  wrt_instance *inst = NULL;
  wrt_diag d;
  if (!tw_env_init(&t))
    goto done;
  wrt_module_desc bad = *tw_m1();
  bad.abi_version = WRT_ABI_VERSION + 1;
  T_EQ_U64(wrt_instantiate(t.s, &bad, t.l, &inst, &d, NULL), WRT_EABI);
  T_CONTAINS(d.msg, "ABI");
  bad = *tw_m1();
  bad.ptr_size = sizeof(void *) == 8 ? 4 : 8;
  T_EQ_U64(wrt_instantiate(t.s, &bad, t.l, &inst, &d, NULL), WRT_EABI);
  T_CONTAINS(d.msg, "pointers");
  bad = *tw_m1();
  bad.vmctx_size += 16;
  T_EQ_U64(wrt_instantiate(t.s, &bad, t.l, &inst, &d, NULL), WRT_EABI);
  bad = *tw_m1();
  bad.n_imports = 1; /* the global import would be left unresolved */
  T_EQ_U64(wrt_instantiate(t.s, &bad, t.l, &inst, &d, NULL), WRT_EABI);
  T_CHECK(inst == NULL);
done:
  tw_env_fini(&t);
}

static wrt_func *table_at(wrt_table *t, uint32_t i) {
  wrt_val v;
  if (!T_EQ_U64(wrt_table_get(t, i, &v), WRT_OK))
    return NULL;
  return v.of.funcref;
}

static void elem_segment_partial_failure(void) {
  tw_env t;
  wrt_instance *inst = NULL;
  wrt_diag d;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  T_EQ_U64(wrt_instantiate(t.s, tw_segs_elem_oob(), t.l, &inst, &d, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_TABLE_OOB);
  T_EQ_STR(trap.msg, "out of bounds table access");
  T_EQ_STR(d.msg, "out of bounds table access");
  if (!T_CHECK(inst != NULL)) /* kept, as the spec requires */
    goto done;
  wrt_table *tab = export_of(inst, "tab", WRT_EXTERN_TABLE).of.table;
  wrt_memory *mem = export_of(inst, "mem", WRT_EXTERN_MEMORY).of.memory;
  if (!T_CHECK(tab && mem))
    goto done;
  T_CHECK(table_at(tab, 0) == tw_func(inst, "nop")); /* the first segment stays */
  T_CHECK(table_at(tab, 1) == NULL);                 /* the failing one wrote nothing */
  T_EQ_U64(wrt_memory_data(mem)[0], 0);              /* data segments never ran */
done:
  tw_env_fini(&t);
}

static void data_segment_partial_failure(void) {
  tw_env t;
  wrt_instance *inst = NULL;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  T_EQ_U64(wrt_instantiate(t.s, tw_segs_data_oob(), t.l, &inst, NULL, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_OOB);
  T_EQ_STR(trap.msg, "out of bounds memory access");
  if (!T_CHECK(inst != NULL))
    goto done;
  wrt_memory *mem = export_of(inst, "mem", WRT_EXTERN_MEMORY).of.memory;
  wrt_table *tab = export_of(inst, "tab", WRT_EXTERN_TABLE).of.table;
  if (T_CHECK(mem && tab)) {
    T_EQ_MEM(wrt_memory_data(mem), 2, "ok", 2);
    T_EQ_U64(wrt_memory_data(mem)[65535], 0); /* nothing of the failing segment */
    T_CHECK(table_at(tab, 0) == tw_func(inst, "nop"));
  }
  /* The instance still works. */
  T_EQ_U64(tw_call_i(&t, tw_func(inst, "nop"), NULL, 0, NULL, NULL), WRT_OK);
done:
  tw_env_fini(&t);
}

static void start_function(void) {
  tw_env t;
  wrt_instance *inst = NULL;
  wrt_diag d;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  T_EQ_U64(wrt_instantiate(t.s, tw_m1_start_ok(), t.l, &inst, &d, &trap), WRT_OK);
  if (T_CHECK(inst))
    T_EQ_U64(wrt_global_get(export_of(inst, "g1", WRT_EXTERN_GLOBAL).of.global).of.i32, 42);
  inst = NULL;
  T_EQ_U64(wrt_instantiate(t.s, tw_m1_start_trap(), t.l, &inst, &d, &trap), WRT_ETRAP);
  T_CHECK(inst != NULL);
  T_EQ_U64(trap.code, WRT_TRAP_UNREACHABLE);
  T_EQ_U64(trap.func_idx, M1_F_BOOM);
  T_EQ_STR(trap.func_name, "boom");
  T_EQ_STR(d.msg, "unreachable");
  /* Segments ran before the start function. */
  if (inst)
    T_EQ_MEM(wrt_memory_data(export_of(inst, "mem", WRT_EXTERN_MEMORY).of.memory) + 16, 5,
             "hello", 5);
done:
  tw_env_fini(&t);
}

typedef int32_t (*fn_ii_i)(void *, int32_t, int32_t);

/* A host function never imported still gets an exit trampoline of its
** signature from any module that has one, so compiled code can call it
** through a table. */
static void host_code_adopted(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  T_CHECK(t.add_host->code == NULL);
  static const uint8_t ii_i[] = {WRT_I32, WRT_I32, WRT_I32};
  wrt_functype ft = {2, 1, ii_i, ii_i + 2};
  wrt_func *other = wrt_func_new_host(t.s, &ft, NULL, NULL);
  T_CHECK(other == NULL); /* a NULL callback is refused */
  wrt_extern host;
  wrt_instance *inst = tw_inst_m1(&t);
  if (!inst || !T_EQ_U64(wrt_instance_export(inst, "host", &host), WRT_OK))
    goto done;
  T_CHECK(t.add_host->code == tw_m1()->funcs[M1_F_ADD_HOST].code);
  T_CHECK(t.add_host->entry == NULL);
  /* Call it the way compiled code does (no wrt_call needed: it does not trap). */
  T_EQ_U64(((fn_ii_i)t.add_host->code)(t.add_host->vmctx, 20, 22), 42);
done:
  tw_env_fini(&t);
}

static void memory64_cap(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_instance *inst = NULL;
  wrt_diag d;
  if (!T_EQ_U64(wrt_instantiate(s, tw_mem64(), NULL, &inst, &d, NULL), WRT_OK)) {
    T_FAIL("%s", d.msg);
    goto done;
  }
  wrt_memory *m = export_of(inst, "mem", WRT_EXTERN_MEMORY).of.memory;
  if (!T_CHECK(m))
    goto done;
  /* A 64-bit memory reaches what the 8 GiB reservation allows, no more. */
  uint64_t cap = WRT_GUARD_RESERVATION / 65536;
  T_EQ_U64(wrt_memory_grow(m, cap), (uint64_t)-1);
  T_EQ_U64(wrt_memory_grow(m, cap - 1), 1);
  T_EQ_U64(wrt_memory_size(m), WRT_GUARD_RESERVATION);
  T_EQ_U64(wrt_memory_grow(m, 1), (uint64_t)-1);
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void many_instances(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  for (int i = 0; i < 64; i++) {
    wrt_instance *inst = tw_inst_m1(&t);
    if (!inst)
      break;
    T_EQ_U64(wrt_linker_define_instance(t.l, "m1", inst), WRT_OK);
  }
  int32_t r = 0;
  wrt_instance *m2 = NULL;
  T_EQ_U64(wrt_instantiate(t.s, tw_m2(), t.l, &m2, NULL, NULL), WRT_OK);
  T_EQ_U64(tw_call_i(&t, tw_func(m2, "sum3"), (int32_t[]){1, 1}, 2, &r, NULL), WRT_OK);
  T_EQ_U64(r, 23);
done:
  tw_env_fini(&t); /* everything goes with the store: ASan checks for leaks */
}

const t_case wrt_inst_cases[] = {
    {"instantiate_and_call", instantiate_and_call},
    {"exports_every_kind", exports_every_kind},
    {"globals_shared_with_code", globals_shared_with_code},
    {"imports_from_instance", imports_from_instance},
    {"imports_from_host_objects", imports_from_host_objects},
    {"unknown_import", unknown_import},
    {"incompatible_import_types", incompatible_import_types},
    {"abi_mismatch", abi_mismatch},
    {"elem_segment_partial_failure", elem_segment_partial_failure},
    {"data_segment_partial_failure", data_segment_partial_failure},
    {"start_function", start_function},
    {"host_code_adopted", host_code_adopted},
    {"memory64_cap", memory64_cap},
    {"many_instances", many_instances},
};
const size_t wrt_inst_n_cases = T_COUNT(wrt_inst_cases);
