/*
** host_epoch.c: epoch interruption (epoch.wat, compiled with
** --epoch-interruption; traps.wat without): an infinite loop stopped by an
** epoch bump from another thread, a deadline passed before the call traps at
** the first function entry, no deadline means no interruption, a store that
** yields suspends its fiber instead and runs on when resumed, and an engine
** requiring the checks refuses a module without them.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

extern const wrt_module_desc epoch__module;

typedef struct bumper {
  wrt_engine *e;
  const char *name; /* the function called */
  int ms;
  atomic_bool stopped; /* set by the test once the call returned */
} bumper;

/* Bumps the epoch after b->ms; if the call has not returned 10 s later the
** interruption is broken and the test would hang: end the process instead. */
static void *bump_later(void *arg) {
  bumper *b = arg;
  struct timespec ts = {0, (long)b->ms * 1000000L}, tick = {0, 10000000L};
  nanosleep(&ts, NULL);
  wrt_engine_increment_epoch(b->e);
  for (int i = 0; i < 1000 && !atomic_load(&b->stopped); i++)
    nanosleep(&tick, NULL);
  if (!atomic_load(&b->stopped)) {
    fprintf(stderr, "FAIL: %s() not interrupted within 10 s\n", b->name);
    _exit(1);
  }
  return NULL;
}

/* `name`(args) runs far longer than the test: a bump from another thread
** 50 ms after the call starts stops it. */
static void stopped_by_bump(const char *name, const wrt_val *args, size_t n_args, size_t n_results) {
  host_env h;
  if (!host_env_init(&h))
    goto done;
  wrt_func *spin = host_func(host_inst(&h, &epoch__module), name);
  if (!spin)
    goto done;
  wrt_store_set_epoch_deadline(h.s, 1);
  bumper b = {h.e, name, 50, false};
  pthread_t th;
  if (!T_EQ_U64(pthread_create(&th, NULL, bump_later, &b), 0))
    goto done;
  wrt_trap trap;
  wrt_val res;
  T_EQ_U64(wrt_call(h.s, spin, args, n_args, &res, n_results, &trap), WRT_ETRAP);
  atomic_store(&b.stopped, true);
  pthread_join(th, NULL);
  T_EQ_U64(trap.code, WRT_TRAP_INTERRUPTED);
  T_EQ_STR(trap.msg, "interrupted");
done:
  host_env_fini(&h);
}

/* spin() loops forever (a loop header check). */
static void epoch_stops_infinite_loop(void) {
  stopped_by_bump("spin", NULL, 0, 0);
}

/* fib(60) recurses for hours without a loop (function entry checks). */
static void epoch_stops_recursion(void) {
  stopped_by_bump("fib", (wrt_val[]){WRT_I32_VAL(60)}, 1, 1);
}

/* scribble() stores 2^40 bytes in a loop the optimiser unrolls (the checks
** go into the optimised code: one per unrolled step). */
static void epoch_stops_optimised_loop(void) {
  stopped_by_bump("scribble", NULL, 0, 0);
}

/* count(n) for an n past what a loop may run without checks (a short
** counted loop runs a copy without them: codegen/epoch_version.c). */
#define LONG_COUNT (1 << 28)

/* name(args) on inst: its i32 result. */
static uint32_t call_u32(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                         size_t n_args) {
  return (uint32_t)host_call1(h, inst, name, args, n_args, WRT_I32).of.i32;
}

/* name(args) on inst (one result) traps with "interrupted"; returns the
** trapping function's index. */
static uint32_t interrupted(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                            size_t n_args) {
  wrt_val res;
  wrt_trap trap = {0};
  T_EQ_U64(wrt_call(h->s, host_func(inst, name), args, n_args, &res, 1, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_INTERRUPTED);
  return trap.func_idx;
}

/* A deadline already passed traps at the first check (count's loop header);
** a function without loops and calls has no check (it ends in bounded time);
** without a deadline nothing is interrupted however far the epoch moves; a
** deadline two ticks away is due at the second bump, not the first. */
static void epoch_deadlines(void) {
  host_env h;
  wrt_instance *inst = host_env_init(&h) ? host_inst(&h, &epoch__module) : NULL;
  if (!inst)
    goto done;
  const wrt_val n_long[] = {WRT_I32_VAL(LONG_COUNT)}, n_short[] = {WRT_I32_VAL(1000)};
  for (int i = 0; i < 5; i++)
    wrt_engine_increment_epoch(h.e);
  T_EQ_U64(call_u32(&h, inst, "count", (wrt_val[]){WRT_I32_VAL(100000)}, 1), 100000);
  wrt_store_set_epoch_deadline(h.s, 0);
  T_EQ_U64(interrupted(&h, inst, "count", n_long, 1), 1); /* count: the check at its loop header */
  T_EQ_U64(call_u32(&h, inst, "leaf", NULL, 0), 5); /* no check */
  wrt_store_set_epoch_deadline(h.s, 10);
  T_EQ_U64(call_u32(&h, inst, "leaf", NULL, 0), 5);
  wrt_store_set_epoch_deadline(h.s, UINT64_MAX);
  T_EQ_U64(wrt_engine_epoch(h.e), 5);
  wrt_store_set_epoch_deadline(h.s, 2);
  wrt_engine_increment_epoch(h.e);
  T_EQ_U64(call_u32(&h, inst, "count", n_short, 1), 1000);
  wrt_engine_increment_epoch(h.e);
  interrupted(&h, inst, "count", n_long, 1);
  wrt_store_set_epoch_deadline(h.s, 1); /* a new deadline clears the due flag */
  T_EQ_U64(call_u32(&h, inst, "count", n_short, 1), 1000);
done:
  host_env_fini(&h);
}

/* With yielding on, a passed deadline suspends the fiber; resumed, the code
** runs on with a fresh deadline and finishes. */
static void epoch_yields_on_fiber(void) {
  host_env h;
  wrt_instance *inst = host_env_init(&h) ? host_inst(&h, &epoch__module) : NULL;
  wrt_fiber *fb = NULL;
  if (!inst)
    goto done;
  wrt_store_epoch_deadline_yield(h.s, 1000);
  wrt_store_set_epoch_deadline(h.s, 1);
  fb = wrt_fiber_new(h.s, host_func(inst, "count"), (wrt_val[]){WRT_I32_VAL(LONG_COUNT / 16)}, 1, 1,
                     NULL);
  if (!T_CHECK(fb != NULL))
    goto done;
  int suspensions = 0;
  bool done = false;
  wrt_val res = WRT_I32_VAL(0);
  for (int round = 0; !done && round < 10; round++) {
    if (round < 3)
      wrt_engine_increment_epoch(h.e); /* the deadline passes (again) */
    if (!T_EQ_U64(wrt_fiber_resume(fb, &done, &res, NULL), WRT_OK))
      break;
    suspensions += !done;
  }
  T_CHECK(done);
  T_EQ_U64(res.of.i32, LONG_COUNT / 16);
  T_EQ_U64(suspensions, 1); /* after it, the deadline is 1000 ticks away */
done:
  wrt_fiber_free(fb);
  host_env_fini(&h);
}

static uint32_t mix_expected(uint32_t n) {
  uint32_t h = 0;
  for (uint32_t i = 0; i < n; i++)
    h = h * 31 + (i ^ (i >> 3));
  return h;
}

/* mix(n) computes the same with or without a due deadline while its loop is
** short (the copy without a check runs: at most 2^22 instructions); past
** that it runs the loop with the check, which a due deadline stops. */
static void epoch_short_loops_unchecked(void) {
  host_env h;
  wrt_instance *inst = host_env_init(&h) ? host_inst(&h, &epoch__module) : NULL;
  if (!inst)
    goto done;
  static const uint32_t ns[] = {0, 1, 7, 8, 1000, 65537, 1u << 23};
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    T_EQ_U64(call_u32(&h, inst, "mix", (wrt_val[]){WRT_I32_VAL(ns[i])}, 1), mix_expected(ns[i]));
  wrt_store_set_epoch_deadline(h.s, 0);
  T_EQ_U64(call_u32(&h, inst, "mix", (wrt_val[]){WRT_I32_VAL(1000)}, 1), mix_expected(1000));
  interrupted(&h, inst, "mix", (wrt_val[]){WRT_I32_VAL(1 << 23)}, 1);
done:
  host_env_fini(&h);
}

static uint32_t stride_expected(uint32_t n, uint32_t s) {
  uint32_t h = 0;
  for (uint32_t i = 0; i < n; i += s)
    h += i;
  return h;
}

/* stride(n, s) as mix, with a step from outside the loop: short runs go
** unchecked, a step of 0 or one that wraps past n loops forever and must
** run checked (a bump stops it). */
static void epoch_stride_loops(void) {
  host_env h;
  wrt_instance *inst = host_env_init(&h) ? host_inst(&h, &epoch__module) : NULL;
  if (!inst)
    goto done;
  static const uint32_t cases[][2] = {{0, 1}, {10, 3}, {1000, 7}, {1u << 24, 1}, {0xfffff000u, 0x1000}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    T_EQ_U64(call_u32(&h, inst, "stride", (wrt_val[]){WRT_I32_VAL(cases[i][0]), WRT_I32_VAL(cases[i][1])}, 2),
             stride_expected(cases[i][0], cases[i][1]));
  wrt_store_set_epoch_deadline(h.s, 0);
  T_EQ_U64(call_u32(&h, inst, "stride", (wrt_val[]){WRT_I32_VAL(1000), WRT_I32_VAL(7)}, 2),
           stride_expected(1000, 7));
done:
  host_env_fini(&h);
  stopped_by_bump("stride", (wrt_val[]){WRT_I32_VAL(10), WRT_I32_VAL(0)}, 2, 1);
  stopped_by_bump("stride", (wrt_val[]){WRT_I32_VAL((int32_t)0xfffffff0u), WRT_I32_VAL(0x10000000)}, 2, 1);
}

/* An engine that requires the checks refuses a module compiled without. */
static void epoch_required(void) {
  wrt_engine_config c = {.epoch_interruption = true};
  wrt_engine *e = wrt_engine_new_with(&c, NULL);
  wrt_diag diag = {0};
  if (!T_CHECK(e != NULL))
    return;
  T_EQ_U64(wrt_engine_admit(e, &epoch__module, &diag), WRT_OK);
  T_EQ_U64(wrt_engine_admit(e, &traps__module, &diag), WRT_EABI);
  T_CONTAINS(diag.msg, "--epoch-interruption");
  wrt_engine_free(e);
}

const t_case host_epoch_cases[] = {
    {"epoch_stops_infinite_loop", epoch_stops_infinite_loop},
    {"epoch_stops_recursion", epoch_stops_recursion},
    {"epoch_stops_optimised_loop", epoch_stops_optimised_loop},
    {"epoch_deadlines", epoch_deadlines},
    {"epoch_yields_on_fiber", epoch_yields_on_fiber},
    {"epoch_short_loops_unchecked", epoch_short_loops_unchecked},
    {"epoch_stride_loops", epoch_stride_loops},
    {"epoch_required", epoch_required},
};
const size_t host_epoch_n_cases = T_COUNT(host_epoch_cases);
