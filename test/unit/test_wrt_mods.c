/*
** test_wrt_mods.c: hand-written "compiled modules" for the runtime tests, in
** the shape wasm2obj emits (wrt_abi.h): wasm-call functions reading the
** vmctx at the layout's offsets, per-signature entry trampolines
** (array-call -> wasm-call) and exit trampolines (wasm-call -> host via
** wrt_rt_host_call), and the module descriptors. All code that may fault or
** trap sits in one section, whose bounds are the modules' text range.
*/
#include <string.h>

#include "test_wrt.h"

/* The "compiled code": its own section, never inlined into test code. */
#define HAND __attribute__((section("wrt_hand_text"), noinline, used))
extern const char __start_wrt_hand_text[], __stop_wrt_hand_text[];

#define NAME(s) {(s), (uint32_t)(sizeof(s) - 1)}
#define EXPR(a) {(a), (uint32_t)sizeof(a)}
#define NO_EXPR {NULL, 0}

uintptr_t tw_probe_sp, tw_probe_limit;
int32_t tw_recurse_depth;

/* ---------------------------------------------------------------- vmctx access */

static const wrt_vmctx_counts m1_counts = {.n_memories = 1,
                                           .n_tables = 1,
                                           .n_global_imports = 1,
                                           .n_func_imports = 1,
                                           .n_types = 5,
                                           .n_globals_def = 4,
                                           .n_funcs_def = M1_F_COUNT - 1};
static const wrt_vmctx_counts m2_counts = {.n_memories = 1,
                                           .n_tables = 1,
                                           .n_global_imports = 1,
                                           .n_func_imports = 1,
                                           .n_types = 5,
                                           .n_funcs_def = 3};

static wrt_vmctx_layout lay(const wrt_vmctx_counts *c) {
  return wrt_vmctx_layout_for(c, (uint32_t)sizeof(void *));
}

static void *vm_ptr(void *vmctx, uint32_t off, uint32_t i) {
  return ((void **)(void *)((char *)vmctx + off))[i];
}

static uintptr_t vm_stack_limit(void *vmctx) {
  return *(uintptr_t *)((void **)vmctx)[WRT_VMCTX_STACK_LIMIT];
}

static wrt_global_def *m1_defined_global(void *vmctx, uint32_t def_idx) {
  return (wrt_global_def *)(void *)((char *)vmctx + lay(&m1_counts).globals) + def_idx;
}

/* ---------------------------------------------------------------- trampolines */

typedef int32_t (*fn_ii_i)(void *, int32_t, int32_t);
typedef int32_t (*fn_i_i)(void *, int32_t);
typedef int32_t (*fn_v_i)(void *);
typedef void (*fn_v_v)(void *);
typedef void (*fn_iii_v)(void *, int32_t, int32_t, int32_t);

HAND static void entry_ii_i(void *code, void *vmctx, wrt_raw *io) {
  io[0].i32 = ((fn_ii_i)code)(vmctx, io[0].i32, io[1].i32);
}
HAND static void entry_i_i(void *code, void *vmctx, wrt_raw *io) {
  io[0].i32 = ((fn_i_i)code)(vmctx, io[0].i32);
}
HAND static void entry_v_i(void *code, void *vmctx, wrt_raw *io) {
  io[0].i32 = ((fn_v_i)code)(vmctx);
}
HAND static void entry_v_v(void *code, void *vmctx, wrt_raw *io) {
  (void)io;
  ((fn_v_v)code)(vmctx);
}
HAND static void entry_iii_v(void *code, void *vmctx, wrt_raw *io) {
  ((fn_iii_v)code)(vmctx, io[0].i32, io[1].i32, io[2].i32);
}

/* Exit trampoline of (i32 i32) -> i32: `vmctx` is the host function's context. */
HAND static int32_t exit_ii_i(void *host_ctx, int32_t a, int32_t b) {
  wrt_raw io[2];
  memset(io, 0, sizeof io);
  io[0].i32 = a;
  io[1].i32 = b;
  wrt_rt_host_call(host_ctx, io);
  return io[0].i32;
}

/* ---------------------------------------------------------------- m1's functions */

HAND static int32_t f_add(void *vmctx, int32_t a, int32_t b) {
  (void)vmctx;
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* Calls import 0 the way compiled code does: through the record's code. */
HAND static int32_t f_call_host(void *vmctx, int32_t a, int32_t b) {
  const wrt_funcref *r = vm_ptr(vmctx, lay(&m1_counts).func_imports, 0);
  return ((fn_ii_i)r->code)(r->vmctx, a, b);
}

/* An unchecked (guard-mode) load: beyond the memory it faults. */
HAND static int32_t f_load(void *vmctx, int32_t addr) {
  const wrt_memory_def *m = vm_ptr(vmctx, lay(&m1_counts).memories, 0);
  return *(volatile int32_t *)(m->base + (uint32_t)addr);
}

HAND static void f_boom(void *vmctx) {
  wrt_rt_trap(vmctx, WRT_TRAP_UNREACHABLE, M1_F_BOOM);
}

HAND static int32_t f_grow(void *vmctx, int32_t delta) {
  return (int32_t)wrt_rt_memory_grow(vmctx, 0, (uint32_t)delta);
}

HAND static int32_t f_get_g1(void *vmctx) {
  return m1_defined_global(vmctx, 0)->i32;
}

HAND static void f_set_g1(void *vmctx) {
  m1_defined_global(vmctx, 0)->i32 = 42;
}

/* The prologue stack check codegen emits, then unbounded recursion; the
** volatile pad keeps frames real and the call out of tail position. */
HAND static int32_t f_recurse(void *vmctx, int32_t n) {
  if ((uintptr_t)__builtin_frame_address(0) < vm_stack_limit(vmctx))
    wrt_rt_trap(vmctx, WRT_TRAP_STACK_EXHAUSTED, M1_F_RECURSE);
  volatile char pad[256];
  pad[0] = (char)n;
  tw_recurse_depth = n;
  if (n > 100000000)
    return 0;
  return f_recurse(vmctx, n + 1) + pad[0];
}

HAND static void f_probe(void *vmctx) {
  tw_probe_sp = (uintptr_t)__builtin_frame_address(0);
  tw_probe_limit = vm_stack_limit(vmctx);
}

/* Traps in libcalls are named from the libcall's return address, which a
** tail call would take away: the volatile store after the call keeps it a
** real call, as it is whenever the bulk operation is not the last one. */
static volatile int after_libcall;

HAND static void f_fill(void *vmctx, int32_t dst, int32_t val, int32_t n) {
  wrt_rt_memory_fill(vmctx, 0, (uint32_t)dst, (uint32_t)val, (uint32_t)n);
  after_libcall = 1;
}
HAND static void f_copy(void *vmctx, int32_t dst, int32_t src, int32_t n) {
  wrt_rt_memory_copy(vmctx, 0, 0, (uint32_t)dst, (uint32_t)src, (uint32_t)n);
}
HAND static void f_init(void *vmctx, int32_t dst, int32_t src, int32_t n) {
  wrt_rt_memory_init(vmctx, 0, 1, (uint32_t)dst, (uint32_t)src, (uint32_t)n);
}
HAND static void f_tinit(void *vmctx, int32_t dst, int32_t src, int32_t n) {
  wrt_rt_table_init(vmctx, 0, 1, (uint32_t)dst, (uint32_t)src, (uint32_t)n);
  after_libcall = 1;
}
HAND static void f_tcopy(void *vmctx, int32_t dst, int32_t src, int32_t n) {
  wrt_rt_table_copy(vmctx, 0, 0, (uint32_t)dst, (uint32_t)src, (uint32_t)n);
}
HAND static void f_drops(void *vmctx) {
  wrt_rt_data_drop(vmctx, 1);
  wrt_rt_elem_drop(vmctx, 1);
}
HAND static int32_t f_tgrow(void *vmctx, int32_t delta) {
  return (int32_t)wrt_rt_table_grow(vmctx, 0, NULL, (uint32_t)delta);
}

/* ---------------------------------------------------------------- m2's functions */

HAND static int32_t f_sum3(void *vmctx, int32_t a, int32_t b) {
  wrt_vmctx_layout l = lay(&m2_counts);
  const wrt_funcref *r = vm_ptr(vmctx, l.func_imports, 0);
  const wrt_global_def *g = vm_ptr(vmctx, l.global_imports, 0);
  return ((fn_ii_i)r->code)(r->vmctx, a, b) + g->i32;
}

HAND static int32_t f_peek(void *vmctx, int32_t addr) {
  const wrt_memory_def *m = vm_ptr(vmctx, lay(&m2_counts).memories, 0);
  return m->base[(uint32_t)addr];
}

HAND static int32_t f_tsize(void *vmctx) {
  const wrt_table_def *t = vm_ptr(vmctx, lay(&m2_counts).tables, 0);
  return (int32_t)t->size;
}

HAND static void f_nop(void *vmctx) {
  (void)vmctx;
}

/* ---------------------------------------------------------------- shared types */

enum { T_II_I, T_I_I, T_V_V, T_V_I, T_III_V, T_COUNT };
static const uint8_t ty_ii_i[] = {WRT_I32, WRT_I32, WRT_I32};
static const uint8_t ty_i_i[] = {WRT_I32, WRT_I32};
static const uint8_t ty_v_i[] = {WRT_I32};
static const uint8_t ty_iii_v[] = {WRT_I32, WRT_I32, WRT_I32};
static const wrt_type_desc types[T_COUNT] = {
    {2, 1, ty_ii_i, (void *)exit_ii_i}, {1, 1, ty_i_i, NULL}, {0, 0, NULL, NULL},
    {0, 1, ty_v_i, NULL}, {3, 0, ty_iii_v, NULL}};

/* Constant expressions. */
static const uint8_t x_i32_0[] = {0x41, 0x00, 0x0b};
static const uint8_t x_i32_1[] = {0x41, 0x01, 0x0b};
static const uint8_t x_i32_100[] = {0x41, 0xe4, 0x00, 0x0b};
static const uint8_t x_i32_65535[] = {0x41, 0xff, 0xff, 0x03, 0x0b};
static const uint8_t x_base[] = {0x23, 0x00, 0x0b};
static const uint8_t x_base_plus_5[] = {0x23, 0x00, 0x41, 0x05, 0x6a, 0x0b};
static const uint8_t x_i64_m2[] = {0x42, 0x7e, 0x0b};
static const uint8_t x_f64_1_5[] = {0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x0b};
static const uint8_t x_ref_add[] = {0xd2, M1_F_ADD, 0x0b};
static const uint8_t x_ref_call_host[] = {0xd2, M1_F_CALL_HOST, 0x0b};
static const uint8_t x_ref_boom[] = {0xd2, M1_F_BOOM, 0x0b};
static const uint8_t x_ref_grow[] = {0xd2, M1_F_GROW, 0x0b};
static const uint8_t x_ref_0[] = {0xd2, 0x00, 0x0b};
static const uint8_t x_null_func[] = {0xd0, 0x70, 0x0b};

static void finish(wrt_module_desc *d) {
  d->vmctx_size = wrt_vmctx_layout_for(&d->counts, (uint32_t)sizeof(void *)).size;
}

/* ---------------------------------------------------------------- m1 */

static const wrt_import_desc m1_imports[] = {
    {NAME("env"), NAME("add_host"), WRT_EXTERN_FUNC, 0},
    {NAME("env"), NAME("base"), WRT_EXTERN_GLOBAL, 0},
};

static const wrt_func_desc m1_funcs[M1_F_COUNT] = {
    [M1_F_ADD_HOST] = {(void *)exit_ii_i, NULL, T_II_I},
    [M1_F_ADD] = {(void *)f_add, (void *)entry_ii_i, T_II_I},
    [M1_F_CALL_HOST] = {(void *)f_call_host, (void *)entry_ii_i, T_II_I},
    [M1_F_LOAD] = {(void *)f_load, (void *)entry_i_i, T_I_I},
    [M1_F_BOOM] = {(void *)f_boom, (void *)entry_v_v, T_V_V},
    [M1_F_GROW] = {(void *)f_grow, (void *)entry_i_i, T_I_I},
    [M1_F_GET_G1] = {(void *)f_get_g1, (void *)entry_v_i, T_V_I},
    [M1_F_RECURSE] = {(void *)f_recurse, (void *)entry_i_i, T_I_I},
    [M1_F_PROBE] = {(void *)f_probe, (void *)entry_v_v, T_V_V},
    [M1_F_FILL] = {(void *)f_fill, (void *)entry_iii_v, T_III_V},
    [M1_F_COPY] = {(void *)f_copy, (void *)entry_iii_v, T_III_V},
    [M1_F_INIT] = {(void *)f_init, (void *)entry_iii_v, T_III_V},
    [M1_F_TINIT] = {(void *)f_tinit, (void *)entry_iii_v, T_III_V},
    [M1_F_TCOPY] = {(void *)f_tcopy, (void *)entry_iii_v, T_III_V},
    [M1_F_DROPS] = {(void *)f_drops, (void *)entry_v_v, T_V_V},
    [M1_F_TGROW] = {(void *)f_tgrow, (void *)entry_i_i, T_I_I},
    [M1_F_SET_G1] = {(void *)f_set_g1, (void *)entry_v_v, T_V_V},
};

static const wrt_table_desc m1_tables[] = {{WRT_FUNCREF, {4, 8, 1, 0}}};
static const wrt_limits_desc m1_memories[] = {{1, 3, 1, 0}};
static const wrt_global_desc m1_globals[] = {
    {WRT_I32, 0, NO_EXPR},
    {WRT_I32, 1, EXPR(x_base_plus_5)},
    {WRT_I64, 0, EXPR(x_i64_m2)},
    {WRT_FUNCREF, 0, EXPR(x_ref_add)},
    {WRT_F64, 0, EXPR(x_f64_1_5)},
};

static const wrt_export_desc m1_exports[] = {
    {NAME("add"), WRT_EXTERN_FUNC, M1_F_ADD},
    {NAME("call_host"), WRT_EXTERN_FUNC, M1_F_CALL_HOST},
    {NAME("load"), WRT_EXTERN_FUNC, M1_F_LOAD},
    {NAME("boom"), WRT_EXTERN_FUNC, M1_F_BOOM},
    {NAME("grow"), WRT_EXTERN_FUNC, M1_F_GROW},
    {NAME("get_g1"), WRT_EXTERN_FUNC, M1_F_GET_G1},
    {NAME("recurse"), WRT_EXTERN_FUNC, M1_F_RECURSE},
    {NAME("probe"), WRT_EXTERN_FUNC, M1_F_PROBE},
    {NAME("fill"), WRT_EXTERN_FUNC, M1_F_FILL},
    {NAME("copy"), WRT_EXTERN_FUNC, M1_F_COPY},
    {NAME("init"), WRT_EXTERN_FUNC, M1_F_INIT},
    {NAME("tinit"), WRT_EXTERN_FUNC, M1_F_TINIT},
    {NAME("tcopy"), WRT_EXTERN_FUNC, M1_F_TCOPY},
    {NAME("drops"), WRT_EXTERN_FUNC, M1_F_DROPS},
    {NAME("tgrow"), WRT_EXTERN_FUNC, M1_F_TGROW},
    {NAME("mem"), WRT_EXTERN_MEMORY, 0},
    {NAME("tab"), WRT_EXTERN_TABLE, 0},
    {NAME("g1"), WRT_EXTERN_GLOBAL, 1},
    {NAME("g_base"), WRT_EXTERN_GLOBAL, 0},
    {NAME("host"), WRT_EXTERN_FUNC, M1_F_ADD_HOST},
    {NAME("g2"), WRT_EXTERN_GLOBAL, 2},
    {NAME("g3"), WRT_EXTERN_GLOBAL, 3},
    {NAME("g4"), WRT_EXTERN_GLOBAL, 4},
};

static const wrt_expr m1_e0[] = {EXPR(x_ref_add), EXPR(x_ref_call_host)};
static const wrt_expr m1_e1[] = {EXPR(x_ref_boom), EXPR(x_null_func)};
static const wrt_expr m1_e2[] = {EXPR(x_ref_grow)};
static const wrt_elem_desc m1_elems[] = {
    {WRT_SEG_ACTIVE, WRT_FUNCREF, 0, EXPR(x_i32_1), 2, m1_e0},
    {WRT_SEG_PASSIVE, WRT_FUNCREF, 0, NO_EXPR, 2, m1_e1},
    {WRT_SEG_DECLARATIVE, WRT_FUNCREF, 0, NO_EXPR, 1, m1_e2},
};
static const wrt_data_desc m1_datas[] = {
    {WRT_SEG_ACTIVE, 0, EXPR(x_base), (const uint8_t *)"hello", 5},
    {WRT_SEG_PASSIVE, 0, NO_EXPR, (const uint8_t *)"xyz", 3},
};
static const wrt_func_name m1_names[] = {
    {M1_F_ADD, NAME("add")},       {M1_F_LOAD, NAME("load")}, {M1_F_BOOM, NAME("boom")},
    {M1_F_RECURSE, NAME("recurse")}, {M1_F_FILL, NAME("fill")}, {M1_F_TINIT, NAME("tinit")},
};

#define COUNT(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

static wrt_module_desc m1_desc = {
    .abi_version = WRT_ABI_VERSION,
    .ptr_size = sizeof(void *),
    .bounds_checks = WRT_BOUNDS_GUARD,
    .name = NAME("m1"),
    .counts = m1_counts,
    .n_types = T_COUNT,
    .types = types,
    .n_imports = COUNT(m1_imports),
    .imports = m1_imports,
    .n_funcs = M1_F_COUNT,
    .n_func_imports = 1,
    .funcs = m1_funcs,
    .n_tables = 1,
    .tables = m1_tables,
    .n_memories = 1,
    .memories = m1_memories,
    .n_globals = COUNT(m1_globals),
    .n_global_imports = 1,
    .globals = m1_globals,
    .n_exports = COUNT(m1_exports),
    .exports = m1_exports,
    .n_elems = COUNT(m1_elems),
    .elems = m1_elems,
    .n_datas = COUNT(m1_datas),
    .datas = m1_datas,
    .start_func = UINT32_MAX,
    .n_func_names = COUNT(m1_names),
    .func_names = m1_names,
    .text_begin = __start_wrt_hand_text,
    .text_end = __stop_wrt_hand_text,
};

const wrt_module_desc *tw_m1(void) {
  finish(&m1_desc);
  return &m1_desc;
}

const wrt_module_desc *tw_m1_start_trap(void) {
  static wrt_module_desc d;
  d = *tw_m1();
  d.start_func = M1_F_BOOM;
  return &d;
}

const wrt_module_desc *tw_m1_start_ok(void) {
  static wrt_module_desc d;
  d = *tw_m1();
  d.start_func = M1_F_SET_G1;
  return &d;
}

/* ---------------------------------------------------------------- m2 */

static const wrt_import_desc m2_imports[] = {
    {NAME("m1"), NAME("add"), WRT_EXTERN_FUNC, 0},
    {NAME("m1"), NAME("tab"), WRT_EXTERN_TABLE, 0},
    {NAME("m1"), NAME("mem"), WRT_EXTERN_MEMORY, 0},
    {NAME("m1"), NAME("g1"), WRT_EXTERN_GLOBAL, 0},
};
static const wrt_func_desc m2_funcs[] = {
    {(void *)exit_ii_i, NULL, T_II_I},
    {(void *)f_sum3, (void *)entry_ii_i, T_II_I},
    {(void *)f_peek, (void *)entry_i_i, T_I_I},
    {(void *)f_tsize, (void *)entry_v_i, T_V_I},
};
static const wrt_table_desc m2_tables[] = {{WRT_FUNCREF, {4, 0, 0, 0}}};
static const wrt_limits_desc m2_memories[] = {{1, 3, 1, 0}};
static const wrt_global_desc m2_globals[] = {{WRT_I32, 1, NO_EXPR}};
static const wrt_export_desc m2_exports[] = {
    {NAME("sum3"), WRT_EXTERN_FUNC, 1}, {NAME("peek"), WRT_EXTERN_FUNC, 2},
    {NAME("tsize"), WRT_EXTERN_FUNC, 3}, {NAME("add2"), WRT_EXTERN_FUNC, 0},
    {NAME("mem2"), WRT_EXTERN_MEMORY, 0},
};
static const wrt_data_desc m2_datas[] = {
    {WRT_SEG_ACTIVE, 0, EXPR(x_i32_100), (const uint8_t *)"abc", 3},
};

static wrt_module_desc m2_desc = {
    .abi_version = WRT_ABI_VERSION,
    .ptr_size = sizeof(void *),
    .bounds_checks = WRT_BOUNDS_GUARD,
    .name = NAME("m2"),
    .counts = m2_counts,
    .n_types = T_COUNT,
    .types = types,
    .n_imports = COUNT(m2_imports),
    .imports = m2_imports,
    .n_funcs = COUNT(m2_funcs),
    .n_func_imports = 1,
    .funcs = m2_funcs,
    .n_tables = 1,
    .n_table_imports = 1,
    .tables = m2_tables,
    .n_memories = 1,
    .n_memory_imports = 1,
    .memories = m2_memories,
    .n_globals = 1,
    .n_global_imports = 1,
    .globals = m2_globals,
    .n_exports = COUNT(m2_exports),
    .exports = m2_exports,
    .n_datas = COUNT(m2_datas),
    .datas = m2_datas,
    .start_func = UINT32_MAX,
    .text_begin = __start_wrt_hand_text,
    .text_end = __stop_wrt_hand_text,
};

const wrt_module_desc *tw_m2(void) {
  finish(&m2_desc);
  return &m2_desc;
}

/* Each variant gets its own copies of m2's arrays with one declaration changed. */
const wrt_module_desc *tw_m2_variant(int which) {
  static wrt_module_desc d[TW_BAD_COUNT];
  static wrt_import_desc imports[TW_BAD_COUNT][4];
  static wrt_func_desc funcs[TW_BAD_COUNT][4];
  static wrt_table_desc tables[TW_BAD_COUNT][1];
  static wrt_limits_desc mems[TW_BAD_COUNT][1];
  static wrt_global_desc globals[TW_BAD_COUNT][1];
  if (which < 0 || which >= TW_BAD_COUNT)
    return NULL;
  d[which] = *tw_m2();
  memcpy(imports[which], m2_imports, sizeof m2_imports);
  memcpy(funcs[which], m2_funcs, sizeof m2_funcs);
  tables[which][0] = m2_tables[0];
  mems[which][0] = m2_memories[0];
  globals[which][0] = m2_globals[0];
  d[which].imports = imports[which];
  d[which].funcs = funcs[which];
  d[which].tables = tables[which];
  d[which].memories = mems[which];
  d[which].globals = globals[which];
  wrt_table_desc *t = &tables[which][0];
  wrt_limits_desc *m = &mems[which][0];
  switch (which) {
  case TW_OK_SUBTYPE: t->lim.min = 3, m->max = 4; break;
  case TW_BAD_FUNC_TYPE: funcs[which][0].type_idx = T_I_I; break;
  case TW_BAD_TABLE_ELEM: t->elem_type = WRT_EXTERNREF; break;
  case TW_BAD_TABLE_MIN: t->lim.min = 5; break;
  case TW_BAD_TABLE_MAX: t->lim.has_max = 1, t->lim.max = 7; break;
  case TW_BAD_MEM_MIN: m->min = 2; break;
  case TW_BAD_MEM_MAX: m->max = 2; break;
  case TW_BAD_MEM_64: m->is64 = 1; break;
  case TW_BAD_GLOBAL_MUT: globals[which][0].mut = 0; break;
  case TW_BAD_GLOBAL_TYPE: globals[which][0].type = WRT_I64; break;
  case TW_BAD_KIND: imports[which][2].name = (wrt_name)NAME("g1"); break;
  case TW_BAD_UNKNOWN: imports[which][0].name = (wrt_name)NAME("nope"); break;
  }
  return &d[which];
}

/* ---------------------------------------------------------------- segs, mem64 */

static const wrt_func_desc segs_funcs[] = {{(void *)f_nop, (void *)entry_v_v, T_V_V}};
static const wrt_table_desc segs_tables[] = {{WRT_FUNCREF, {2, 0, 0, 0}}};
static const wrt_limits_desc segs_memories[] = {{1, 0, 0, 0}};
static const wrt_export_desc segs_exports[] = {
    {NAME("tab"), WRT_EXTERN_TABLE, 0},
    {NAME("mem"), WRT_EXTERN_MEMORY, 0},
    {NAME("nop"), WRT_EXTERN_FUNC, 0},
};
static const wrt_expr segs_one[] = {EXPR(x_ref_0)};
static const wrt_expr segs_two[] = {EXPR(x_ref_0), EXPR(x_ref_0)};
static const wrt_elem_desc segs_elems[] = {
    {WRT_SEG_ACTIVE, WRT_FUNCREF, 0, EXPR(x_i32_0), 1, segs_one},
    {WRT_SEG_ACTIVE, WRT_FUNCREF, 0, EXPR(x_i32_1), 2, segs_two}, /* 1 + 2 > 2 */
};
static const wrt_data_desc segs_datas[] = {
    {WRT_SEG_ACTIVE, 0, EXPR(x_i32_0), (const uint8_t *)"ok", 2},
    {WRT_SEG_ACTIVE, 0, EXPR(x_i32_65535), (const uint8_t *)"xx", 2}, /* one byte past */
};

static wrt_module_desc segs_base(void) {
  wrt_module_desc d = {
      .abi_version = WRT_ABI_VERSION,
      .ptr_size = sizeof(void *),
      .bounds_checks = WRT_BOUNDS_GUARD,
      .name = NAME("segs"),
      .counts = {.n_memories = 1, .n_tables = 1, .n_types = T_COUNT, .n_funcs_def = 1},
      .n_types = T_COUNT,
      .types = types,
      .n_funcs = 1,
      .funcs = segs_funcs,
      .n_tables = 1,
      .tables = segs_tables,
      .n_memories = 1,
      .memories = segs_memories,
      .n_exports = COUNT(segs_exports),
      .exports = segs_exports,
      .elems = segs_elems,
      .datas = segs_datas,
      .start_func = UINT32_MAX,
      .text_begin = __start_wrt_hand_text,
      .text_end = __stop_wrt_hand_text,
  };
  finish(&d);
  return d;
}

const wrt_module_desc *tw_segs_elem_oob(void) {
  static wrt_module_desc d;
  d = segs_base();
  d.n_elems = 2;
  d.n_datas = 1; /* must not be applied: the elements trap first */
  return &d;
}

const wrt_module_desc *tw_segs_data_oob(void) {
  static wrt_module_desc d;
  d = segs_base();
  d.n_elems = 1;
  d.n_datas = 2;
  return &d;
}

const wrt_module_desc *tw_mem64(void) {
  static const wrt_limits_desc mems[] = {{1, 0, 0, 1}};
  static const wrt_export_desc exports[] = {{NAME("mem"), WRT_EXTERN_MEMORY, 0}};
  static wrt_module_desc d = {
      .abi_version = WRT_ABI_VERSION,
      .ptr_size = sizeof(void *),
      .bounds_checks = WRT_BOUNDS_EXPLICIT,
      .name = NAME("mem64"),
      .counts = {.n_memories = 1},
      .n_memories = 1,
      .memories = mems,
      .n_exports = 1,
      .exports = exports,
      .start_func = UINT32_MAX,
  };
  finish(&d);
  return &d;
}

/* ---------------------------------------------------------------- fixtures */

static wrt_trap_code h_add(void *env, const wrt_val *args, wrt_val *results) {
  (void)env;
  results[0] = WRT_I32_VAL(args[0].of.i32 + args[1].of.i32);
  return WRT_TRAP_NONE;
}

bool tw_env_init(tw_env *t) {
  static const uint8_t ii_i[] = {WRT_I32, WRT_I32, WRT_I32};
  wrt_functype ft = {2, 1, ii_i, ii_i + 2};
  memset(t, 0, sizeof *t);
  t->e = wrt_engine_new();
  t->s = t->e ? wrt_store_new(t->e) : NULL;
  t->l = t->s ? wrt_linker_new(t->s) : NULL;
  if (!T_CHECK(t->l != NULL))
    return false;
  t->add_host = wrt_func_new_host(t->s, &ft, h_add, NULL);
  t->base = wrt_global_new(t->s, WRT_I32, false, WRT_I32_VAL(16));
  if (!T_CHECK(t->add_host && t->base))
    return false;
  wrt_extern f = {.kind = WRT_EXTERN_FUNC, .of.func = t->add_host};
  wrt_extern g = {.kind = WRT_EXTERN_GLOBAL, .of.global = t->base};
  return T_EQ_U64(wrt_linker_define(t->l, "env", "add_host", f), WRT_OK) &&
         T_EQ_U64(wrt_linker_define(t->l, "env", "base", g), WRT_OK);
}

void tw_env_fini(tw_env *t) {
  wrt_store_free(t->s);
  wrt_linker_free(t->l);
  wrt_engine_free(t->e);
  memset(t, 0, sizeof *t);
}

wrt_instance *tw_inst_m1(tw_env *t) {
  wrt_instance *inst = NULL;
  wrt_diag d;
  wrt_err err = wrt_instantiate(t->s, tw_m1(), t->l, &inst, &d, NULL);
  if (!T_EQ_U64(err, WRT_OK))
    T_FAIL("instantiate m1: %s", d.msg);
  return err == WRT_OK ? inst : NULL;
}

wrt_func *tw_func(wrt_instance *inst, const char *name) {
  wrt_extern e;
  if (!inst || !T_EQ_U64(wrt_instance_export(inst, name, &e), WRT_OK) ||
      !T_EQ_U64(e.kind, WRT_EXTERN_FUNC))
    return NULL;
  return e.of.func;
}

wrt_err tw_call_i(tw_env *t, wrt_func *f, const int32_t *args, size_t n, int32_t *out,
                  wrt_trap *trap) {
  wrt_val a[8], r[1];
  if (!f || n > 8)
    return WRT_EINVAL;
  for (size_t i = 0; i < n; i++)
    a[i] = WRT_I32_VAL(args[i]);
  size_t n_results = wrt_func_type(t->s, f).n_results;
  wrt_err err = wrt_call(t->s, f, a, n, r, n_results, trap);
  if (err == WRT_OK && n_results && out)
    *out = r[0].of.i32;
  return err;
}
