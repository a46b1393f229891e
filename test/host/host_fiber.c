/*
** host_fiber.c: Wasm on fiber stacks (fiber.wat) with a host function that
** suspends: 10,000 suspensions in a loop with both allocators, traps, stack
** exhaustion and guard-page faults after a suspension, a fiber freed while
** suspended (its pooled stack comes back), and the misuse errors.
*/
#include <string.h>

#include "host.h"

extern const wrt_module_desc fiber__module;

/* host.wait(x): suspends the fiber, then returns 2x. Counts calls in *env. */
static wrt_trap_code wait_fn(void *env, const wrt_val *args, wrt_val *results) {
  (*(int *)env)++;
  if (wrt_fiber_suspend() != WRT_OK)
    return WRT_TRAP_HOST; /* not on a fiber */
  results[0] = WRT_I32_VAL(args[0].of.i32 * 2);
  return WRT_TRAP_NONE;
}

typedef struct fiber_env {
  wrt_engine *e;
  wrt_store *s;
  wrt_instance *inst;
  int waits;
} fiber_env;

/* An engine (pooling when pool is set: one fiber stack), a store, fiber.wat. */
static bool fiber_env_init(fiber_env *fe, bool pool) {
  wrt_engine_config c = {.allocator = pool ? WRT_ALLOCATOR_POOLING : WRT_ALLOCATOR_ON_DEMAND};
  c.pool = (wrt_pool_limits){.instances = 2, .memories = 2, .tables = 2, .fiber_stacks = 1,
                             .memory_pages = 16};
  fe->waits = 0;
  fe->e = wrt_engine_new_with(&c, NULL);
  fe->s = fe->e ? wrt_store_new(fe->e) : NULL;
  fe->inst = NULL;
  host_env h = {fe->e, fe->s, fe->s ? wrt_linker_new(fe->s) : NULL};
  static const uint8_t i32[] = {WRT_I32};
  wrt_functype ft = {1, 1, i32, i32};
  wrt_func *w = h.l ? wrt_func_new_host(fe->s, &ft, wait_fn, &fe->waits) : NULL;
  if (T_CHECK(w != NULL) &&
      T_EQ_U64(wrt_linker_define(h.l, "host", "wait",
                                 (wrt_extern){.kind = WRT_EXTERN_FUNC, .of.func = w}),
               WRT_OK))
    fe->inst = host_inst(&h, &fiber__module);
  wrt_linker_free(h.l);
  return fe->inst != NULL;
}

static void fiber_env_fini(fiber_env *fe) {
  wrt_store_free(fe->s);
  wrt_engine_free(fe->e);
}

static wrt_fiber *fiber_of(fiber_env *fe, const char *name, const wrt_val *args, size_t n_args,
                           size_t n_results) {
  wrt_diag diag = {0};
  wrt_fiber *fb = wrt_fiber_new(fe->s, host_func(fe->inst, name), args, n_args, n_results, &diag);
  if (!fb)
    T_FAIL("wrt_fiber_new(%s): %s", name, diag.msg);
  return fb;
}

/* loop(10000) suspends in every call of host.wait; resuming it 10,000 times
** finishes it with the sum of 2i. */
static void fiber_loop(void) {
  for (int pool = 0; pool < 2; pool++) {
    fiber_env fe;
    if (!fiber_env_init(&fe, pool)) {
      fiber_env_fini(&fe);
      continue;
    }
    wrt_fiber *fb = fiber_of(&fe, "loop", (wrt_val[]){WRT_I32_VAL(10000)}, 1, 1);
    bool done = false;
    int resumes = 0;
    wrt_val res = WRT_I32_VAL(0);
    wrt_trap trap;
    while (fb && !done && resumes <= 10001) {
      if (!T_EQ_U64(wrt_fiber_resume(fb, &done, &res, &trap), WRT_OK))
        break;
      resumes++;
    }
    T_CHECK(done);
    T_EQ_U64(resumes, 10001);
    T_EQ_U64(fe.waits, 10000);
    T_EQ_U64(res.of.i32, 99990000); /* sum of 2i for i < 10000 */
    T_EQ_U64(wrt_fiber_resume(fb, &done, &res, &trap), WRT_EINVAL); /* finished */
    wrt_fiber_free(fb);
    fiber_env_fini(&fe);
  }
}

/* Runs `name` on a fiber: the first resume must suspend (when it waits),
** the next one trap with `code`. */
static void expect_fiber_trap(const char *name, bool waits, wrt_trap_code code, const char *msg) {
  for (int pool = 0; pool < 2; pool++) {
    fiber_env fe;
    size_t n_results = strcmp(name, "wait_then_trap") != 0;
    size_t n_args = strcmp(name, "recurse") == 0;
    wrt_val arg = WRT_I32_VAL(0);
    wrt_fiber *fb = fiber_env_init(&fe, pool) ? fiber_of(&fe, name, &arg, n_args, n_results) : NULL;
    bool done = false;
    wrt_trap trap;
    wrt_val res;
    if (fb && waits) {
      T_EQ_U64(wrt_fiber_resume(fb, &done, &res, &trap), WRT_OK);
      T_CHECK(!done);
    }
    if (fb && T_EQ_U64(wrt_fiber_resume(fb, &done, &res, &trap), WRT_ETRAP)) {
      T_CHECK(done);
      T_EQ_U64(trap.code, code);
      T_EQ_STR(trap.msg, msg);
    }
    /* The thread's own stack works as before afterwards. */
    if (fb && code != WRT_TRAP_STACK_EXHAUSTED) {
      wrt_trap t2;
      T_EQ_U64(wrt_call(fe.s, host_func(fe.inst, "recurse"), (wrt_val[]){WRT_I32_VAL(0)}, 1, &res,
                        1, &t2),
               WRT_ETRAP);
      T_EQ_U64(t2.code, WRT_TRAP_STACK_EXHAUSTED);
    }
    wrt_fiber_free(fb);
    fiber_env_fini(&fe);
  }
}

static void fiber_traps(void) {
  expect_fiber_trap("wait_then_trap", true, WRT_TRAP_UNREACHABLE, "unreachable");
  expect_fiber_trap("recurse", false, WRT_TRAP_STACK_EXHAUSTED, "call stack exhausted");
  expect_fiber_trap("wait_then_recurse", true, WRT_TRAP_STACK_EXHAUSTED, "call stack exhausted");
  if (!HOST_ASAN) /* a guard-page fault needs the runtime's SIGSEGV handler */
    expect_fiber_trap("wait_then_oob", true, WRT_TRAP_OOB, "out of bounds memory access");
}

/* A suspended fiber can be freed; the pool's only stack comes back. Misuse
** is an error, not a crash. */
static void fiber_drop(void) {
  fiber_env fe;
  if (!fiber_env_init(&fe, true)) {
    fiber_env_fini(&fe);
    return;
  }
  bool done = true;
  for (int round = 0; round < 3; round++) {
    wrt_fiber *fb = fiber_of(&fe, "loop", (wrt_val[]){WRT_I32_VAL(5)}, 1, 1);
    if (!fb)
      break;
    if (round == 0) { /* the pool has one stack */
      wrt_diag diag = {0};
      T_CHECK(wrt_fiber_new(fe.s, host_func(fe.inst, "loop"), (wrt_val[]){WRT_I32_VAL(5)}, 1, 1,
                            &diag) == NULL);
      T_CONTAINS(diag.msg, "(fiber_stacks)");
    }
    T_EQ_U64(wrt_fiber_resume(fb, &done, NULL, NULL), WRT_OK);
    T_CHECK(!done);
    T_CHECK(wrt_fiber_self() == NULL);
    wrt_fiber_free(fb); /* suspended in host.wait */
  }
  wrt_diag diag = {0};
  T_CHECK(wrt_fiber_new(fe.s, host_func(fe.inst, "loop"), NULL, 0, 1, &diag) == NULL);
  T_CONTAINS(diag.msg, "takes 1 arguments");
  T_EQ_U64(wrt_fiber_suspend(), WRT_EINVAL);
  /* host.wait outside a fiber traps as a host function */
  wrt_val res;
  wrt_trap trap;
  T_EQ_U64(wrt_call(fe.s, host_func(fe.inst, "loop"), (wrt_val[]){WRT_I32_VAL(1)}, 1, &res, 1,
                    &trap),
           WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_HOST);
  fiber_env_fini(&fe);
}

const t_case host_fiber_cases[] = {
    {"fiber_loop", fiber_loop},
    {"fiber_traps", fiber_traps},
    {"fiber_drop", fiber_drop},
};
const size_t host_fiber_n_cases = T_COUNT(host_fiber_cases);
