/*
** call.c: calls from the embedder into functions (wrt_call), the per-thread
** chain of call frames that traps unwind to, the stack limit compiled code
** checks, and the trap libcall. Faults reach the same chain through the
** signal handler in signal.c; host functions called from Wasm go through
** func.c (wrt_rt_host_call).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/* Argument/result counts up to this many slots convert without allocating. */
#define SMALL_SLOTS 16
/* Stack kept free below the limit for the trap path itself (the libcall,
** longjmp) and for libcalls made near the limit. */
#define STACK_MARGIN ((uintptr_t)64 << 10)

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

_Thread_local wrt_call_frame *wrt_call_top;

/* ------------------------------------------------------------ traps */

/* ------------------------------------------------------------ backtraces */

/* One frame record of the frame-pointer chain (compiled code keeps frame
** pointers; so does the runtime): the caller's frame pointer and the return
** address, at per-architecture offsets from the frame pointer. */
static bool frame_record(const void *fp, const void **next_fp, const void **ra) {
  const void *const *p = fp;
#if defined(__x86_64__) || defined(__aarch64__) || defined(__arm__)
  *next_fp = p[0];
  *ra = p[1];
#elif defined(__riscv)
  *next_fp = p[-2];
  *ra = p[-1];
#else
  (void)p, (void)next_fp, (void)ra;
  return false;
#endif
  return true;
}

/* Collects the Wasm frames of the chain starting at fp into f->trap_pcs:
** runtime frames before the first Wasm frame are skipped, and the walk ends
** at the first non-Wasm frame after it (the entry trampoline's caller, whose
** frames need not have frame pointers). Frames must move up the stack. */
static void collect_backtrace(wrt_call_frame *f, const void *fp) {
  const uintptr_t max_frame = (uintptr_t)16 << 20;
  for (int steps = 0; fp && steps < 64 && f->trap_n_pcs < WRT_TRAP_FRAMES; steps++) {
    const void *next, *ra;
    if (!frame_record(fp, &next, &ra) || !ra)
      break;
    const char *pc = (const char *)ra - 1; /* inside the call instruction's function */
    if (wrt_store_is_wasm_pc(f->store, pc))
      f->trap_pcs[f->trap_n_pcs++] = pc;
    else if (f->trap_n_pcs > 0)
      break;
    if ((uintptr_t)next <= (uintptr_t)fp || (uintptr_t)next - (uintptr_t)fp > max_frame)
      break;
    fp = next;
  }
}

static noreturn void unwind(wrt_call_frame *f, uint32_t code, const wrt_module_desc *desc,
                            uint32_t func_idx, const void *pc) {
  f->trap_code = code;
  f->trap_desc = desc;
  f->trap_func = func_idx;
  f->trap_pc = pc;
  longjmp(f->jb, 1);
}

static noreturn void no_frame(uint32_t code) {
  /* Compiled code ran without wrt_call or a WRT_TRY scope (a typed header
  ** call, say): there is nowhere to unwind to, and returning would run on. */
  fprintf(stderr, "wrt: trap outside wrt_call or WRT_TRY: %s\n", wrt_trap_str((wrt_trap_code)code));
  abort();
}

/* ------------------------------------------------------------ traps */

NOINLINE noreturn void wrt_trap_raise(uint32_t code, const wrt_module_desc *desc, uint32_t func_idx,
                                      const void *pc) {
  wrt_call_frame *f = wrt_call_top;
  if (!f)
    no_frame(code);
  f->trap_n_pcs = 0;
  collect_backtrace(f, __builtin_frame_address(0));
  unwind(f, code, desc, func_idx, pc);
}

noreturn void wrt_trap_raise_at(uint32_t code, const void *pc, const void *fp) {
  wrt_call_frame *f = wrt_call_top;
  if (!f)
    no_frame(code);
  f->trap_n_pcs = 0;
  f->trap_pcs[f->trap_n_pcs++] = pc;
  collect_backtrace(f, fp);
  unwind(f, code, NULL, UINT32_MAX, pc);
}

void wrt_rt_trap(void *vmctx, uint32_t code, uint32_t func_idx) {
  if (NEVER(code == WRT_TRAP_NONE || code >= WRT_TRAP_COUNT))
    code = WRT_TRAP_HOST; /* a codegen bug; keep wrt_trap.code a valid enum value */
  /* Without a function index, the caller's address still names it. */
  const char *ra = __builtin_return_address(0);
  wrt_trap_raise(code, wrt_vmctx_instance(vmctx)->desc, func_idx,
                 func_idx == UINT32_MAX ? ra - 1 : NULL);
}

noreturn void wrt_libcall_trap(void *vmctx, wrt_trap_code code, void *ra) {
  /* One byte back from the return address stays inside the calling function
  ** even when the call was its last instruction. */
  wrt_trap_raise(code, wrt_vmctx_instance(vmctx)->desc, UINT32_MAX, (const char *)ra - 1);
}

const wrt_name *wrt_desc_func_name(const wrt_module_desc *desc, uint32_t func_idx) {
  uint32_t lo = 0, hi = desc->n_func_names;
  while (lo < hi) { /* sorted by func_idx */
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t idx = desc->func_names[mid].func_idx;
    if (idx == func_idx)
      return &desc->func_names[mid].name;
    if (idx < func_idx)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static void copy_name(char *dst, size_t size, const wrt_module_desc *desc, uint32_t func_idx) {
  const wrt_name *name = desc && func_idx != UINT32_MAX ? wrt_desc_func_name(desc, func_idx) : NULL;
  memset(dst, 0, size);
  if (name)
    memcpy(dst, name->ptr, name->len < size - 1 ? name->len : size - 1);
}

/* Fills the embedder's trap record from the frame a trap unwound to. */
static void trap_from_frame(const wrt_call_frame *f, wrt_trap *trap) {
  const wrt_module_desc *desc = f->trap_desc;
  uint32_t func_idx = f->trap_func;
  if (func_idx == UINT32_MAX && f->trap_pc &&
      !wrt_store_func_at_pc(f->store, f->trap_pc, &desc, &func_idx))
    func_idx = UINT32_MAX;
  memset(trap, 0, sizeof *trap);
  trap->code = (wrt_trap_code)f->trap_code;
  trap->func_idx = func_idx;
  snprintf(trap->msg, sizeof trap->msg, "%s", wrt_trap_str(trap->code));
  copy_name(trap->func_name, sizeof trap->func_name, desc, func_idx);
  for (uint32_t i = 0; i < f->trap_n_pcs && i < WRT_TRAP_FRAMES; i++) {
    const wrt_module_desc *d = NULL;
    uint32_t idx = UINT32_MAX;
    if (!wrt_store_func_at_pc(f->store, f->trap_pcs[i], &d, &idx))
      continue; /* a trampoline */
    trap->frames[trap->n_frames].func_idx = idx;
    copy_name(trap->frames[trap->n_frames].func_name, sizeof trap->frames[0].func_name, d, idx);
    trap->n_frames++;
  }
}

size_t wrt_trap_format(const wrt_trap *t, char *buf, size_t n) {
  if (!t)
    return 0;
  size_t len = 0;
#define APPEND(...)                                                                      \
  do {                                                                                   \
    int k_ = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, __VA_ARGS__); \
    len += k_ > 0 ? (size_t)k_ : 0;                                                      \
  } while (0)
  APPEND("trap: %s\n", t->msg);
  if (t->func_idx != UINT32_MAX && t->func_name[0])
    APPEND("  in %s (func %u)\n", t->func_name, t->func_idx);
  else if (t->func_idx != UINT32_MAX)
    APPEND("  in func %u\n", t->func_idx);
  if (t->n_frames)
    APPEND("wasm backtrace:\n");
  for (uint32_t i = 0; i < t->n_frames && i < WRT_TRAP_FRAMES; i++) {
    if (t->frames[i].func_name[0])
      APPEND("  %2u: %s (func %u)\n", i, t->frames[i].func_name, t->frames[i].func_idx);
    else
      APPEND("  %2u: func %u\n", i, t->frames[i].func_idx);
  }
#undef APPEND
  return len;
}

void wrt_trap_set(wrt_trap *trap, wrt_trap_code code) {
  if (!trap)
    return;
  memset(trap, 0, sizeof *trap);
  trap->code = code;
  trap->func_idx = UINT32_MAX;
  snprintf(trap->msg, sizeof trap->msg, "%s", wrt_trap_str(code));
}

/* ------------------------------------------------------------ frames and the stack limit */

/* The lowest SP compiled code may use: max_wasm_stack below the current SP,
** but never closer than STACK_MARGIN to the end of the thread's stack. */
static uintptr_t stack_limit_here(const wrt_store *s) {
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  uintptr_t limit = sp > s->max_wasm_stack ? sp - s->max_wasm_stack : 0;
  uintptr_t low = wrt_thread_stack_low();
  if (low && low + STACK_MARGIN > limit)
    limit = low + STACK_MARGIN;
  return limit;
}

/* Nested calls (host -> Wasm -> host -> Wasm) keep the outermost call's
** limit: the budget is per thread, not per call. */
static void frame_push(wrt_call_frame *f, wrt_store *s) {
  f->prev = wrt_call_top;
  f->store = s;
  f->limit = f->prev ? f->prev->limit : stack_limit_here(s);
  f->saved_limit = s->stack_limit;
  f->trap_code = WRT_TRAP_NONE;
  f->trap_func = UINT32_MAX;
  f->trap_pc = NULL;
  f->trap_desc = NULL;
  s->stack_limit = f->limit;
  wrt_call_top = f;
}

/* Frames pop in order even after a trap: the trap unwound to the innermost
** frame, which is the one popping. */
static void frame_pop(wrt_call_frame *f) {
  if (NEVER(wrt_call_top != f))
    abort(); /* the chain is corrupt: later traps would jump into dead frames */
  f->store->stack_limit = f->saved_limit;
  wrt_call_top = f->prev;
}

/* Runs a Wasm function through its array-call entry trampoline; false when a
** trap unwound here. Kept out of line so that nothing of wrt_call's own
** state lives in registers across setjmp. */
static NOINLINE bool call_guarded(wrt_call_frame *f, const wrt_funcref *rec, wrt_raw *io) {
  /* Plain setjmp (no signal mask syscall per call): a trap from the fault
  ** handler restores the interrupted mask before it jumps (signal.c). */
  if (setjmp(f->jb))
    return false;
  ((void (*)(void *, void *, wrt_raw *))rec->entry)(rec->code, rec->vmctx, io);
  return true;
}

/* ------------------------------------------------------------ scopes for direct calls */

void wrt_scope_begin(wrt_store *s, wrt_scope *sc) {
  wrt_signals_thread_init();
  frame_push(sc, s);
}

wrt_err wrt_scope_end(wrt_scope *sc, wrt_trap *trap) {
  frame_pop(sc);
  bool trapped = sc->trap_code != WRT_TRAP_NONE;
  if (trap) {
    if (trapped)
      trap_from_frame(sc, trap);
    else
      wrt_trap_set(trap, WRT_TRAP_NONE);
  }
  return trapped ? WRT_ETRAP : WRT_OK;
}

/* ------------------------------------------------------------ wrt_call */

static bool args_match(const wrt_sig *sig, const wrt_val *args, size_t n_args, size_t n_results) {
  if (n_args != sig->n_params || n_results != sig->n_results)
    return false;
  for (size_t i = 0; i < n_args; i++)
    if (args[i].kind != sig->types[i])
      return false;
  return true;
}

/* A host function called directly: no Wasm runs, so no frame is needed (a
** nested wrt_call inside it sets up its own). */
static wrt_err call_host(wrt_func *f, const wrt_val *args, wrt_val *results, wrt_trap *trap) {
  wrt_trap_code code = wrt_host_invoke(f->vmctx, args, results);
  if (code == WRT_TRAP_NONE)
    return WRT_OK;
  wrt_trap_set(trap, code);
  return WRT_ETRAP;
}

static wrt_err call_wasm(wrt_store *s, wrt_func *f, const wrt_val *args, wrt_val *results,
                         wrt_trap *trap) {
  const wrt_sig *sig = wrt_sig_of(f->type_id);
  size_t n = sig->n_params > sig->n_results ? sig->n_params : sig->n_results;
  wrt_raw small[SMALL_SLOTS], *io = small;
  if (n > SMALL_SLOTS && !(io = wrt_calloc(n, sizeof *io)))
    return WRT_ENOMEM;
  for (uint32_t i = 0; i < sig->n_params; i++)
    io[i] = wrt_val_to_raw(&args[i]);
  wrt_signals_thread_init();
  wrt_call_frame frame;
  frame_push(&frame, s);
  bool ok = call_guarded(&frame, f, io);
  frame_pop(&frame);
  if (ok)
    for (uint32_t i = 0; i < sig->n_results; i++)
      results[i] = wrt_raw_to_val(&io[i], sig->types[sig->n_params + i]);
  else if (trap)
    trap_from_frame(&frame, trap);
  if (io != small)
    wrt_free(io, n * sizeof *io);
  return ok ? WRT_OK : WRT_ETRAP;
}

wrt_err wrt_call(wrt_store *s, wrt_func *f, const wrt_val *args, size_t n_args, wrt_val *results,
                 size_t n_results, wrt_trap *trap) {
  wrt_trap_set(trap, WRT_TRAP_NONE);
  if (!s || !f || (n_args && !args) || (n_results && !results))
    return WRT_EINVAL;
  if (!args_match(wrt_sig_of(f->type_id), args, n_args, n_results))
    return WRT_EINVAL;
  if (!f->entry)
    return call_host(f, args, results, trap);
  return call_wasm(s, f, args, results, trap);
}
