/*
** fiber.c: Wasm calls on fiber stacks, and host functions that suspend them
** (wrt_fiber_*). A fiber owns a stack from the engine's allocator (a pool
** slot or its own mapping, with an inaccessible guard page below) and runs
** one wrt_call on it. Switching is arch/<cpu>.S's wrt_fiber_switch: callee-
** saved registers and the stack pointer, no signal mask and no system call.
**
** What a switch carries besides the registers (all per thread, all restored
** when the fiber switches back):
**   wrt_call_top       each side has its own chain of call frames, so a trap
**                      unwinds within the stack it happened on;
**   store->stack_limit the fiber's outermost wrt_call sets it from the fiber
**                      stack's bounds; the resumer's value comes back after;
**   current fiber      and its stack's low end, which stack_limit_here (the
**                      budget) and the fault handler (guard page = stack
**                      exhaustion) read through wrt_thread_stack_low.
** Under AddressSanitizer the switches are announced to it
** (__sanitizer_start/finish_switch_fiber).
**
** A fiber suspended in a host function may be freed: its stack is dropped
** with whatever frames are on it (Wasm, runtime and the host function's;
** nothing of the runtime's lives elsewhere).
*/
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#endif
#ifndef FIBER_ASAN
#define FIBER_ASAN 0
#endif

#if FIBER_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
#endif

/* arch/<cpu>.S */
void wrt_fiber_switch(void **save_sp, void *to_sp);
void wrt_fiber_entry(void);
noreturn void wrt_fiber_main(wrt_fiber *fb);

typedef enum fiber_state { FIBER_NEW, FIBER_RUNNING, FIBER_SUSPENDED, FIBER_DONE } fiber_state;

struct wrt_fiber {
  wrt_store *store;
  wrt_func *func;
  wrt_val *args, *results; /* copies; n_args and n_results values */
  size_t n_args, n_results;
  wrt_stack stack;
  fiber_state state;
  void *sp;         /* the fiber's saved stack pointer while it is not running */
  void *resumer_sp; /* the resumer's while the fiber runs */
  /* The fiber's side, kept while it is suspended. */
  wrt_call_frame *top;
  uintptr_t limit;
  /* The resumer's side, kept while the fiber runs. */
  wrt_call_frame *resumer_top;
  uintptr_t resumer_limit;
  wrt_fiber *resumer_fiber;
  /* The outcome, once DONE. */
  wrt_err err;
  wrt_trap trap;
#if FIBER_ASAN
  void *fake_stack;
  const void *resumer_bottom;
  size_t resumer_size;
#endif
};

static _Thread_local wrt_fiber *current;

wrt_fiber *wrt_fiber_self(void) {
  return current;
}

/* ------------------------------------------------------------ the initial frame */

/* Lays out, at the top of the new stack, the frame wrt_fiber_switch pops:
** callee-saved registers (all zero but the one carrying the fiber) and the
** return address wrt_fiber_entry, with the stack aligned as the ABI wants
** at wrt_fiber_main's entry. Frame pointers are zero: backtraces end here. */
static void *initial_frame(wrt_fiber *fb) {
  uintptr_t top = (uintptr_t)fb->stack.hi & ~(uintptr_t)15;
  uintptr_t entry = (uintptr_t)wrt_fiber_entry;
#if defined(__x86_64__)
  uintptr_t *sp = (uintptr_t *)(top - 72); /* r15 r14 r13 r12 rbx rbp ret, then padding */
  memset(sp, 0, 72);
  sp[4] = (uintptr_t)fb; /* rbx */
  sp[6] = entry;
#elif defined(__aarch64__)
  uintptr_t *sp = (uintptr_t *)(top - 160); /* x19..x28 x29 x30 d8..d15 */
  memset(sp, 0, 160);
  sp[0] = (uintptr_t)fb; /* x19 */
  sp[11] = entry;        /* x30 */
#elif defined(__riscv) && __riscv_xlen == 64
  uintptr_t *sp = (uintptr_t *)(top - 208); /* ra s0..s11 fs0..fs11 */
  memset(sp, 0, 208);
  sp[0] = entry;         /* ra */
  sp[2] = (uintptr_t)fb; /* s1 */
#elif defined(__arm__)
  uintptr_t *sp = (uintptr_t *)(top - 104); /* d8..d15 (16 words), r4..r12, lr */
  memset(sp, 0, 104);
  sp[16] = (uintptr_t)fb; /* r4 */
  sp[25] = entry;         /* lr, popped into pc */
#else
#error "no fiber switch for this architecture (libwrt-rt/arch/)"
#endif
  return sp;
}

/* ------------------------------------------------------------ switching */

/* Into the fiber, from its resumer; returns when it suspends or finishes. */
static void switch_in(wrt_fiber *fb) {
  wrt_store *s = fb->store;
  fb->resumer_top = wrt_call_top;
  fb->resumer_limit = s->stack_limit;
  fb->resumer_fiber = current;
  wrt_call_top = fb->top;
  s->stack_limit = fb->limit;
  current = fb;
  wrt_stack_low_set((uintptr_t)fb->stack.lo);
  fb->state = FIBER_RUNNING;
#if FIBER_ASAN
  void *fake = NULL;
  __sanitizer_start_switch_fiber(&fake, fb->stack.lo, (size_t)(fb->stack.hi - fb->stack.lo));
  wrt_fiber_switch(&fb->resumer_sp, fb->sp);
  __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
  wrt_fiber_switch(&fb->resumer_sp, fb->sp);
#endif
  /* Back on the resumer's stack: its side again. */
  current = fb->resumer_fiber;
  wrt_stack_low_set(current ? (uintptr_t)current->stack.lo : 0);
  wrt_call_top = fb->resumer_top;
  s->stack_limit = fb->resumer_limit;
}

/* Out of the fiber, to its resumer (state already set); returns when
** resumed (never, for a finished fiber). */
static void switch_out(wrt_fiber *fb) {
  fb->top = wrt_call_top;
  fb->limit = fb->store->stack_limit;
#if FIBER_ASAN
  __sanitizer_start_switch_fiber(fb->state == FIBER_DONE ? NULL : &fb->fake_stack,
                                 fb->resumer_bottom, fb->resumer_size);
  wrt_fiber_switch(&fb->sp, fb->resumer_sp);
  __sanitizer_finish_switch_fiber(fb->fake_stack, &fb->resumer_bottom, &fb->resumer_size);
#else
  wrt_fiber_switch(&fb->sp, fb->resumer_sp);
#endif
}

noreturn void wrt_fiber_main(wrt_fiber *fb) {
#if FIBER_ASAN
  __sanitizer_finish_switch_fiber(NULL, &fb->resumer_bottom, &fb->resumer_size);
#endif
  fb->err = wrt_call(fb->store, fb->func, fb->args, fb->n_args, fb->results, fb->n_results,
                     &fb->trap);
  fb->state = FIBER_DONE;
  switch_out(fb);
  abort(); /* a finished fiber is never switched to */
}

/* ------------------------------------------------------------ API */

static void fiber_destroy(wrt_fiber *fb) {
  wrt_allocator *a = fb->store->engine->alloc;
  if (fb->stack.lo)
    a->ops->stack_free(a, &fb->stack);
  wrt_free(fb->args, fb->n_args * sizeof *fb->args);
  wrt_free(fb->results, fb->n_results * sizeof *fb->results);
  wrt_free(fb, sizeof *fb);
}

wrt_fiber *wrt_fiber_new(wrt_store *s, wrt_func *f, const wrt_val *args, size_t n_args,
                         size_t n_results, wrt_diag *diag) {
  if (!s || !f || (n_args && !args))
    return wrt_diag_set(diag, WRT_EINVAL, "wrt_fiber_new: NULL store, function or arguments"),
           NULL;
  const wrt_sig *sig = wrt_sig_of(f->type_id);
  if (n_args != sig->n_params || n_results != sig->n_results)
    return wrt_diag_set(diag, WRT_EINVAL, "wrt_fiber_new: the function takes %u arguments and "
                        "returns %u results", sig->n_params, sig->n_results),
           NULL;
  wrt_fiber *fb = wrt_calloc(1, sizeof *fb);
  if (!fb)
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory creating a fiber"), NULL;
  fb->store = s;
  fb->func = f;
  fb->n_args = n_args;
  fb->n_results = n_results;
  fb->args = wrt_calloc(n_args, sizeof *fb->args);
  fb->results = wrt_calloc(n_results, sizeof *fb->results);
  wrt_allocator *a = s->engine->alloc;
  if (!fb->args || !fb->results) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory creating a fiber");
    fiber_destroy(fb);
    return NULL;
  }
  if (!a->ops->stack_alloc(a, s->engine->fiber_stack_bytes, &fb->stack, diag)) {
    memset(&fb->stack, 0, sizeof fb->stack);
    fiber_destroy(fb);
    return NULL;
  }
  if (n_args)
    memcpy(fb->args, args, n_args * sizeof *args);
  fb->sp = initial_frame(fb);
  return fb;
}

wrt_err wrt_fiber_resume(wrt_fiber *fb, bool *done, wrt_val *results, wrt_trap *trap) {
  wrt_trap_set(trap, WRT_TRAP_NONE);
  if (done)
    *done = false;
  if (!fb || (fb->state != FIBER_NEW && fb->state != FIBER_SUSPENDED))
    return WRT_EINVAL; /* running (resumed from inside itself) or finished */
  wrt_signals_thread_init();
  switch_in(fb);
  if (fb->state != FIBER_DONE)
    return WRT_OK; /* suspended */
  if (done)
    *done = true;
  if (fb->err == WRT_OK && results && fb->n_results)
    memcpy(results, fb->results, fb->n_results * sizeof *results);
  if (trap && fb->err == WRT_ETRAP)
    *trap = fb->trap;
  return fb->err;
}

wrt_err wrt_fiber_suspend(void) {
  wrt_fiber *fb = current;
  if (!fb)
    return WRT_EINVAL;
  fb->state = FIBER_SUSPENDED;
  switch_out(fb);
  return WRT_OK; /* resumed: switch_in restored this side */
}

void wrt_fiber_free(wrt_fiber *fb) {
  if (!fb)
    return;
  if (fb->state == FIBER_RUNNING)
    abort(); /* freeing the stack we are running on */
  fiber_destroy(fb);
}
