/*
** test_wrt.h: shared by the test_wrt*.c files. Until codegen exists, the
** "compiled modules" are written by hand in C (test_wrt_mods.c): functions in
** the wasm-call convention, per-signature entry and exit trampolines, and
** module descriptors shaped exactly as wasm2obj will emit them. Test files
** reach them through the accessors below and call the libcalls the way
** compiled code does, through the prototypes declared here.
*/
#ifndef TEST_WRT_H
#define TEST_WRT_H

#include "t.h"
#include "wrt.h"

/* The libcalls, as compiled code declares them (from the one list). */
WRT_LIBCALLS(WRT_LIBCALL_PROTOTYPE)
extern const int wrt_abi_v4;

/* Fault tests need the runtime's own SIGSEGV handling, which sanitizers
** replace; under ASan they are skipped (STYLE.md §10). */
#if defined(__has_feature)
#define TW_HAS_FEATURE(x) __has_feature(x)
#else
#define TW_HAS_FEATURE(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || TW_HAS_FEATURE(address_sanitizer)
#define TW_ASAN 1
#else
#define TW_ASAN 0
#endif

/* ---------------------------------------------------------------- hand modules
**
** m1 ("the library"): imports env.add_host : (i32 i32) -> i32 (func 0) and
** env.base : i32 (global 0); one memory (1..3 pages), one funcref table
** (4..8), globals g1 = base + 5 (mut i32), g2 = -2 (i64), g3 = ref.func 1,
** g4 = 1.5 (f64); elem e0 active at 1 [f1 f2], e1 passive [f4 null],
** e2 declarative [f5]; data d0 active at `base` "hello", d1 passive "xyz".
** Exports are listed in M1_EXPORTS order.
*/
enum {
  M1_F_ADD_HOST, /* import */
  M1_F_ADD,
  M1_F_CALL_HOST,
  M1_F_LOAD,
  M1_F_BOOM,
  M1_F_GROW,
  M1_F_GET_G1,
  M1_F_RECURSE,
  M1_F_PROBE,
  M1_F_FILL,
  M1_F_COPY,
  M1_F_INIT,
  M1_F_TINIT,
  M1_F_TCOPY,
  M1_F_DROPS,
  M1_F_TGROW,
  M1_F_SET_G1,
  M1_F_COUNT
};
const wrt_module_desc *tw_m1(void);
/* m1 with a start function: "boom" (traps) or "set_g1" (g1 := 42). */
const wrt_module_desc *tw_m1_start_trap(void);
const wrt_module_desc *tw_m1_start_ok(void);

/* m2 ("the client"): imports m1.add (func 0), m1.tab (table funcref min 4),
** m1.mem (memory 1..3), m1.g1 (global mut i32); exports sum3(a, b) =
** add(a, b) + g1, peek(addr) = mem[addr] (byte), tsize() = table size, and
** re-exports "add2" = its import, "mem2" = its memory; data at 100 "abc". */
const wrt_module_desc *tw_m2(void);
/* m2 with one import declaration changed. TW_OK_SUBTYPE still links (table
** min 3 without max, memory max 4: the actual limits are subtypes); each
** TW_BAD_* variant must fail with "incompatible import type", except
** TW_BAD_UNKNOWN (m1.nope: "unknown import"). */
enum {
  TW_OK_SUBTYPE,
  TW_BAD_FUNC_TYPE,
  TW_BAD_TABLE_ELEM,
  TW_BAD_TABLE_MIN,
  TW_BAD_TABLE_MAX,
  TW_BAD_MEM_MIN,
  TW_BAD_MEM_MAX,
  TW_BAD_MEM_64,
  TW_BAD_GLOBAL_MUT,
  TW_BAD_GLOBAL_TYPE,
  TW_BAD_KIND,
  TW_BAD_UNKNOWN,
  TW_BAD_COUNT
};
const wrt_module_desc *tw_m2_variant(int which);

/* segs: memory 1 page, table 2; elem e0 at 0 [f0], then either e1 at 1
** [f0 f0] (out of bounds) or data d0 at 0 "ok", d1 at 65535 "xx" (out of
** bounds). Exports "tab", "mem", "nop". */
const wrt_module_desc *tw_segs_elem_oob(void);
const wrt_module_desc *tw_segs_data_oob(void);
/* mem64: one 64-bit memory without a maximum, exported as "mem". */
const wrt_module_desc *tw_mem64(void);

/* Set by m1's probe(): its frame address and the stack limit it saw. */
extern uintptr_t tw_probe_sp, tw_probe_limit;
/* Deepest level m1's recurse() reached in its last run. */
extern int32_t tw_recurse_depth;

/* ---------------------------------------------------------------- fixtures */

typedef struct tw_env {
  wrt_engine *e;
  wrt_store *s;
  wrt_linker *l;
  wrt_func *add_host; /* env.add_host: a + b */
  wrt_global *base;   /* env.base: i32 16 */
} tw_env;

/* Engine, store, linker, and env.add_host / env.base defined in the linker. */
bool tw_env_init(tw_env *t);
void tw_env_fini(tw_env *t);
/* Instantiates m1 in t (fails the case on error). */
wrt_instance *tw_inst_m1(tw_env *t);
/* The exported function `name`, or NULL (failing the case). */
wrt_func *tw_func(wrt_instance *inst, const char *name);
/* Calls a function of i32s returning at most one i32 (result in *out). */
wrt_err tw_call_i(tw_env *t, wrt_func *f, const int32_t *args, size_t n, int32_t *out,
                  wrt_trap *trap);

#endif
