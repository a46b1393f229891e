/*
** host_traps.c: traps never kill the host. Every trap kind of traps.wat is
** raised 10,000 times through wrt_call; each call must come back as
** WRT_ETRAP with the right code, the spec's message and the trapping
** function (index and name), and the instance must still answer normal calls
** afterwards. Guard-page faults (out-of-bounds loads and stores) have their
** own case, skipped under ASan; explicit and libcall traps run everywhere.
*/
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "host.h"

#define REPEAT 10000

/* Function indices in traps.wat (see its header). */
enum {
  F_UNREACHABLE = 2,
  F_LOAD,
  F_STORE,
  F_DIV_U,
  F_DIV_S,
  F_TRUNC,
  F_CALL_IND,
  F_TABLE_GET,
  F_FILL,
  F_COPY,
  F_RECURSE,
  F_SUM_TO,
  F_COUNT
};

/*
** Plain wat2wasm writes no name section (and wabt 1.0.32 drops custom
** sections even from `(module binary ...)`), so the names wasm2obj would take
** from one are attached here, to a copy of the descriptor: same code, same
** layout, plus the sorted func_names table a name section would produce.
*/
static const char *const trap_names[F_COUNT] = {
    [F_UNREACHABLE] = "unreachable",
    [F_LOAD] = "load",
    [F_STORE] = "store",
    [F_DIV_U] = "div_u",
    [F_DIV_S] = "div_s",
    [F_TRUNC] = "trunc",
    [F_CALL_IND] = "call_ind",
    [F_TABLE_GET] = "table_get",
    [F_FILL] = "fill",
    [F_COPY] = "copy",
    [F_RECURSE] = "recurse",
    [F_SUM_TO] = "sum_to",
};
static wrt_func_name named_funcs[F_COUNT];
static wrt_module_desc named_traps;

static const wrt_module_desc *traps_named(void) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < F_COUNT; i++)
    if (trap_names[i])
      named_funcs[n++] = (wrt_func_name){i, {trap_names[i], (uint32_t)strlen(trap_names[i])}};
  named_traps = traps__module;
  named_traps.n_func_names = n;
  named_traps.func_names = named_funcs;
  return &named_traps;
}

static const char *name_of(uint32_t func_idx) {
  return func_idx < F_COUNT && trap_names[func_idx] ? trap_names[func_idx] : "";
}

/* The spec's wording for each trap (written out, not taken from wrt_trap_str,
** so that a wrong table there shows). */
static const char *spec_msg(wrt_trap_code code) {
  switch (code) {
  case WRT_TRAP_UNREACHABLE:
    return "unreachable";
  case WRT_TRAP_OOB:
    return "out of bounds memory access";
  case WRT_TRAP_DIV_BY_ZERO:
    return "integer divide by zero";
  case WRT_TRAP_INT_OVERFLOW:
    return "integer overflow";
  case WRT_TRAP_INVALID_CONVERSION:
    return "invalid conversion to integer";
  case WRT_TRAP_INDIRECT_NULL:
    return "uninitialized element";
  case WRT_TRAP_INDIRECT_SIG:
    return "indirect call type mismatch";
  case WRT_TRAP_TABLE_OOB:
    return "out of bounds table access";
  case WRT_TRAP_STACK_EXHAUSTED:
    return "call stack exhausted";
  case WRT_TRAP_UNDEFINED_ELEMENT:
    return "undefined element";
  default:
    return "(no expectation)";
  }
}

/* One way to trap: the export, its arguments (converted to the parameter
** types, i32 or f32) and the trap code and function it must report. */
typedef struct trap_kind {
  const char *what, *export_name;
  double args[3];
  wrt_trap_code code;
  uint32_t func_idx;
} trap_kind;

/* Guard-page faults: the address is past the one page of memory. */
static const trap_kind fault_kinds[] = {
    {"load at 64 KiB", "load", {65536}, WRT_TRAP_OOB, F_LOAD},
    {"load straddling the end", "load", {65534}, WRT_TRAP_OOB, F_LOAD},
    {"load at 4 GiB - 4", "load", {-4}, WRT_TRAP_OOB, F_LOAD},
    {"store at 64 KiB", "store", {65536, 7}, WRT_TRAP_OOB, F_STORE},
    {"store straddling the end", "store", {65533, 7}, WRT_TRAP_OOB, F_STORE},
};

/* Explicit checks in compiled code, and bounds checks in libcalls. */
static const trap_kind explicit_kinds[] = {
    {"unreachable", "unreachable", {0}, WRT_TRAP_UNREACHABLE, F_UNREACHABLE},
    {"7 / 0", "div_u", {7, 0}, WRT_TRAP_DIV_BY_ZERO, F_DIV_U},
    {"INT_MIN / -1", "div_s", {INT32_MIN, -1}, WRT_TRAP_INT_OVERFLOW, F_DIV_S},
    {"trunc NaN", "trunc", {NAN}, WRT_TRAP_INVALID_CONVERSION, F_TRUNC},
    {"trunc 3e9", "trunc", {3e9}, WRT_TRAP_INT_OVERFLOW, F_TRUNC},
    {"trunc -inf", "trunc", {-INFINITY}, WRT_TRAP_INT_OVERFLOW, F_TRUNC},
    {"call_indirect past the table", "call_ind", {3}, WRT_TRAP_UNDEFINED_ELEMENT, F_CALL_IND},
    {"call_indirect to null", "call_ind", {1}, WRT_TRAP_INDIRECT_NULL, F_CALL_IND},
    {"call_indirect, wrong type", "call_ind", {2}, WRT_TRAP_INDIRECT_SIG, F_CALL_IND},
    {"table.get past the table", "table_get", {2}, WRT_TRAP_TABLE_OOB, F_TABLE_GET},
    {"memory.fill past the end", "fill", {65000, 1000}, WRT_TRAP_OOB, F_FILL},
    {"memory.copy, source out", "copy", {0, 65000, 1000}, WRT_TRAP_OOB, F_COPY},
    {"memory.copy, destination out", "copy", {65000, 0, 1000}, WRT_TRAP_OOB, F_COPY},
};

static const trap_kind stack_kind = {
    "unbounded recursion", "recurse", {0}, WRT_TRAP_STACK_EXHAUSTED, F_RECURSE};

/* Traps raised inside a runtime libcall (see traps_libcall_func). */
static bool in_libcall(const trap_kind *k) {
  return k->func_idx == F_FILL || k->func_idx == F_COPY;
}

static bool trap_is(const trap_kind *k, wrt_err err, const wrt_trap *trap, bool check_func) {
  if (err != WRT_ETRAP || trap->code != k->code || strcmp(trap->msg, spec_msg(k->code)) != 0)
    return false;
  return !check_func ||
         (trap->func_idx == k->func_idx && strcmp(trap->func_name, name_of(k->func_idx)) == 0);
}

/* Builds k's arguments for f's parameter types; false (the case failed) if
** f does not take at most three i32/f32 parameters. */
static bool kind_args(host_env *h, wrt_func *f, const trap_kind *k, wrt_val *args, size_t *n_args,
                      size_t *n_results) {
  wrt_functype ft = wrt_func_type(h->s, f);
  if (!T_CHECK(ft.n_params <= 3 && ft.n_results <= 1))
    return false;
  for (uint32_t i = 0; i < ft.n_params; i++) {
    if (ft.params[i] == WRT_I32)
      args[i] = WRT_I32_VAL((int32_t)k->args[i]);
    else if (ft.params[i] == WRT_F32)
      args[i] = WRT_F32_VAL((float)k->args[i]);
    else
      return T_FAIL("%s: unexpected parameter type 0x%x", k->export_name, ft.params[i]);
  }
  *n_args = ft.n_params;
  *n_results = ft.n_results;
  return true;
}

/* Calls k `times` times. The first wrong outcome is reported in detail, the
** rest only counted, so that a broken kind does not flood the log. */
static void trap_repeat(host_env *h, wrt_instance *inst, const trap_kind *k, int times,
                        bool check_func) {
  wrt_func *f = host_func(inst, k->export_name);
  wrt_val args[3], res[1];
  size_t n_args = 0, n_results = 0;
  if (!f || !kind_args(h, f, k, args, &n_args, &n_results))
    return;
  int wrong = 0;
  for (int i = 0; i < times; i++) {
    wrt_trap trap;
    wrt_err err = wrt_call(h->s, f, args, n_args, res, n_results, &trap);
    if (trap_is(k, err, &trap, check_func))
      continue;
    if (wrong++ == 0) {
      T_FAIL("%s: call %d of %d did not trap as expected", k->what, i + 1, times);
      T_EQ_U64(err, WRT_ETRAP);
      T_EQ_U64(trap.code, k->code);
      T_EQ_STR(trap.msg, spec_msg(k->code));
      if (check_func) {
        T_EQ_U64(trap.func_idx, k->func_idx);
        T_EQ_STR(trap.func_name, name_of(k->func_idx));
      }
    }
  }
  if (wrong)
    T_FAIL("%s: %d of %d calls wrong", k->what, wrong, times);
}

/* Known memory contents that normal_calls() checks: a word at each end of
** the page. Offset 65000, where the failed fill and copy point, stays 0. */
static void memory_prepare(host_env *h, wrt_instance *inst) {
  host_call0(h, inst, "store", (wrt_val[]){WRT_I32_VAL(0), WRT_I32_VAL(0x11223344)}, 2);
  host_call0(h, inst, "store", (wrt_val[]){WRT_I32_VAL(65532), WRT_I32_VAL(0x01020304)}, 2);
}

static int32_t call_i32(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                        size_t n) {
  return host_call1(h, inst, name, args, n, WRT_I32).of.i32;
}

/* The instance still works after traps, and no failed access wrote memory. */
static void normal_calls(host_env *h, wrt_instance *inst, const char *after) {
  unsigned wrong = 0;
  wrong +=
      !T_EQ_U64(call_i32(h, inst, "div_u", (wrt_val[]){WRT_I32_VAL(100), WRT_I32_VAL(7)}, 2), 14);
  wrong +=
      !T_EQ_U64(call_i32(h, inst, "div_s", (wrt_val[]){WRT_I32_VAL(-7), WRT_I32_VAL(2)}, 2), -3);
  wrong += !T_EQ_U64(call_i32(h, inst, "trunc", (wrt_val[]){WRT_F32_VAL(-2.75f)}, 1), -2);
  wrong += !T_EQ_U64(call_i32(h, inst, "call_ind", (wrt_val[]){WRT_I32_VAL(0)}, 1), 42);
  wrong += !T_EQ_U64(call_i32(h, inst, "sum_to", (wrt_val[]){WRT_I32_VAL(100)}, 1), 5050);
  wrong += !T_EQ_U64(call_i32(h, inst, "load", (wrt_val[]){WRT_I32_VAL(0)}, 1), 0x11223344);
  wrong += !T_EQ_U64(call_i32(h, inst, "load", (wrt_val[]){WRT_I32_VAL(65532)}, 1), 0x01020304);
  wrong += !T_EQ_U64(call_i32(h, inst, "load", (wrt_val[]){WRT_I32_VAL(65000)}, 1), 0);
  wrt_val r = host_call1(h, inst, "table_get", (wrt_val[]){WRT_I32_VAL(1)}, 1, WRT_EXTERNREF);
  wrong += !T_CHECK(r.of.externref == NULL);
  if (wrong)
    T_FAIL("%u normal call(s) wrong after: %s", wrong, after);
}

/* Every kind REPEAT times, each followed by the normal calls. The trapping
** function is checked for all but libcall traps when check_libcall_func is
** false. */
static void run_kinds(const trap_kind *kinds, size_t n, int times, bool check_libcall_func) {
  host_env h;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *inst = host_inst(&h, traps_named());
  if (!inst)
    goto done;
  memory_prepare(&h, inst);
  for (size_t i = 0; i < n; i++) {
    trap_repeat(&h, inst, &kinds[i], times, check_libcall_func || !in_libcall(&kinds[i]));
    normal_calls(&h, inst, kinds[i].what);
  }
done:
  host_env_fini(&h);
}

static void traps_explicit(void) {
  run_kinds(explicit_kinds, T_COUNT(explicit_kinds), REPEAT, false);
}

/*
** KNOWN BUG (codegen/memory.c and codegen/table.c, call_lc): libcalls that
** may trap are emitted as ordinary calls, which LLVM turns into tail calls
** (`pop %rbp; jmp wrt_rt_memory_fill`) when nothing follows them. The
** libcall's return address is then outside Wasm code (here call.c's
** call_guarded: the entry trampoline tail-calls too), so the runtime
** cannot tell which Wasm function trapped: func_idx is
** UINT32_MAX and func_name empty instead of the calling function. Expected
** to fail until those calls are marked notail like Wasm calls (call.c).
*/
static void traps_libcall_func(void) {
  run_kinds(explicit_kinds, T_COUNT(explicit_kinds), 100, true);
}

static void traps_fault(void) {
  if (HOST_ASAN) {
    t_skip("out-of-bounds loads/stores trap through SIGSEGV, which ASan owns in this build");
    return;
  }
  run_kinds(fault_kinds, T_COUNT(fault_kinds), REPEAT, true);
}

/*
** Stack exhaustion: once at the default limit (1 MiB), then 10,000 times at
** 64 KiB to keep the case fast. The depth reached must scale with the limit
** (about 16x), which shows the limit is what stopped the recursion.
*/
static void traps_stack(void) {
  host_env h;
  if (!host_env_init(&h))
    goto done;
  wrt_instance *inst = host_inst(&h, traps_named());
  wrt_global *depth = host_global(inst, "depth");
  if (!inst || !depth)
    goto done;
  memory_prepare(&h, inst);
  trap_repeat(&h, inst, &stack_kind, 3, true);
  int32_t deep = wrt_global_get(depth).of.i32;
  wrt_store_set_max_wasm_stack(h.s, (size_t)64 << 10);
  trap_repeat(&h, inst, &stack_kind, REPEAT, true);
  int32_t shallow = wrt_global_get(depth).of.i32;
  bool ok = T_CHECK(shallow >= 256);
  ok = T_CHECK(deep > 8 * shallow) && ok;
  if (!ok)
    T_FAIL("recursion depth: %d at 1 MiB, %d at 64 KiB", (int)deep, (int)shallow);
  normal_calls(&h, inst, stack_kind.what);
done:
  host_env_fini(&h);
}

/* One call of bigframe's `big` on the calling thread; the trap's code. */
static void *big_frames_call(void *arg) {
  wrt_trap_code *code = arg;
  host_env h;
  if (host_env_init(&h)) {
    wrt_instance *inst = host_inst(&h, &bigframe__module);
    wrt_func *big = inst ? host_func(inst, "big") : NULL;
    wrt_val x = WRT_I32_VAL(0), r;
    wrt_trap trap;
    if (big && T_EQ_U64(wrt_call(h.s, big, &x, 1, &r, 1, &trap), WRT_ETRAP))
      *code = trap.code;
    if (inst)
      host_call1(&h, inst, "ok", NULL, 0, WRT_I32);
  }
  host_env_fini(&h);
  return NULL;
}

/*
** Frames bigger than the stack that is left (520 KB, on a thread with a 256 KiB
** stack): the frame must never be written past the end of the stack. On
** x86_64 and aarch64, stack probes make the first touch fault in the guard
** page, which the runtime turns into "call stack exhausted"; on riscv64 and
** armv7 (no probes in LLVM 19) the prologue checks that the whole frame fits,
** with the frame size the back end reported (codegen/unit.c). Without either
** the process died with SIGSEGV, or wrote into whatever lies below the stack.
*/
static void traps_big_frames(void) {
  if (HOST_ASAN) {
    t_skip("the guard-page fault goes through SIGSEGV, which ASan owns in this build");
    return;
  }
  for (int i = 0; i < 3; i++) {
    pthread_attr_t attr;
    pthread_t t;
    wrt_trap_code code = WRT_TRAP_NONE;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)256 << 10);
    bool started = T_CHECK(pthread_create(&t, &attr, big_frames_call, &code) == 0);
    pthread_attr_destroy(&attr);
    if (!started)
      return;
    pthread_join(t, NULL);
    T_EQ_U64(code, WRT_TRAP_STACK_EXHAUSTED);
  }
  wrt_trap_code code = WRT_TRAP_NONE;
  big_frames_call(&code); /* and on the main thread's stack */
  T_EQ_U64(code, WRT_TRAP_STACK_EXHAUSTED);
}

const t_case host_trap_cases[] = {
    {"traps_explicit", traps_explicit},
    {"traps_libcall_func", traps_libcall_func},
    {"traps_fault", traps_fault},
    {"traps_stack", traps_stack},
    {"traps_big_frames", traps_big_frames},
};
const size_t host_trap_n_cases = T_COUNT(host_trap_cases);
