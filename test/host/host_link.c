/*
** host_link.c: two modules compiled by wasm2obj, used through the headers
** wasm2obj --header wrote for them (link_lib.h, link_app.h, link_bad.h):
** typed direct calls with traps caught by WRT_TRY scopes, values passed
** between the modules (lib's function and memory imported by app), typed host
** imports, and a clean error when an import's type does not match.
*/
#include <string.h>

#include "host.h"
#include "link_app.h"
#include "link_bad.h"
#include "link_lib.h"

/* Typed host imports of link_app.wat (declared in link_app.h). */
typedef struct app_env {
  int32_t logged[64];
  int n_logged;
} app_env;

void link_app_import_env_log(void *env, int32_t p0) {
  app_env *a = env;
  if (a->n_logged < 64)
    a->logged[a->n_logged] = p0;
  a->n_logged++;
}

int64_t link_app_import_env_twice(void *env, int64_t p0) {
  (void)env;
  return p0 * 2;
}

/* Direct calls with their C types; no trap, so the scope ends WRT_OK. */
static void link_typed_calls(void) {
  host_env h;
  if (!host_env_init(&h))
    return;
  wrt_instance *lib = NULL;
  wrt_diag diag = {0};
  wrt_trap trap;
  if (!T_EQ_U64(link_lib_instantiate(h.s, h.l, &lib, &diag, &trap), WRT_OK))
    goto done;
  wrt_scope sc;
  volatile int32_t sum = 0, neg = 0, bumps = 0;
  volatile int64_t wide = 0;
  volatile double scaled = 0;
  WRT_TRY(h.s, &sc) {
    sum = link_lib_add(lib, 40, 2);
    neg = link_lib_neg(lib, 7);
    wide = link_lib_wide(lib, INT64_C(0x12345678));
    scaled = link_lib_scale(lib, 2.5, 4.0f);
    link_lib_bump(lib);
    bumps = link_lib_bump(lib);
  }
  T_EQ_U64(wrt_scope_end(&sc, &trap), WRT_OK);
  T_EQ_U64(sum, 42);
  T_EQ_U64((uint32_t)neg, (uint32_t)-7);
  T_EQ_U64((uint64_t)wide, (uint64_t)INT64_C(0x1234567800) - 1);
  T_CHECK(scaled == 10.0);
  T_EQ_U64(bumps, 2);
  wrt_global *counter = link_lib_counter(lib);
  if (T_CHECK(counter != NULL))
    T_EQ_U64(wrt_global_get(counter).of.i32, 2);
done:
  host_env_fini(&h);
}

/* 1 / d in a scope of its own (setjmp stays out of the caller's loop). */
static wrt_err divide_in_scope(wrt_store *s, wrt_instance *lib, int32_t d, volatile int *reached,
                               wrt_trap *trap) {
  wrt_scope sc;
  WRT_TRY(s, &sc) {
    link_lib_divide(lib, 1, d);
    *reached = 1;
  }
  return wrt_scope_end(&sc, trap);
}

/* A trap in a direct call unwinds to the scope; the next scope works. */
static void link_direct_trap(void) {
  host_env h;
  if (!host_env_init(&h))
    return;
  wrt_instance *lib = host_inst(&h, &link_lib__module);
  if (!lib)
    goto done;
  for (int round = 0; round < 1000; round++) {
    wrt_trap trap;
    volatile int reached = 0;
    wrt_err err = divide_in_scope(h.s, lib, round % 2, &reached, &trap); /* traps on even rounds */
    if (round % 2 == 0) {
      if (!T_EQ_U64(err, WRT_ETRAP) || !T_EQ_U64(trap.code, WRT_TRAP_DIV_BY_ZERO) ||
          !T_EQ_U64(reached, 0))
        break;
    } else if (!T_EQ_U64(err, WRT_OK) || !T_EQ_U64(reached, 1)) {
      break;
    }
  }
  wrt_scope sc;
  wrt_trap trap;
  WRT_TRY(h.s, &sc) {
    link_lib_recurse(lib, 0);
  }
  T_EQ_U64(wrt_scope_end(&sc, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_STACK_EXHAUSTED);
  T_EQ_U64(trap.n_frames, WRT_TRAP_FRAMES); /* deep: the innermost 16 */
  T_EQ_U64(trap.frames[WRT_TRAP_FRAMES - 1].func_idx, 6);
  if (!HOST_ASAN) { /* a guard-page fault: the backtrace starts at the faulting PC */
    WRT_TRY(h.s, &sc) {
      link_lib_peek(lib, -8);
    }
    if (T_EQ_U64(wrt_scope_end(&sc, &trap), WRT_ETRAP) && T_EQ_U64(trap.n_frames, 1)) {
      T_EQ_U64(trap.code, WRT_TRAP_OOB);
      T_EQ_U64(trap.frames[0].func_idx, 8);
    }
  }
done:
  host_env_fini(&h);
}

/* divmod(a, b) through the C-ABI wrapper, in a scope of its own. */
static wrt_err divmod_in_scope(wrt_store *s, wrt_instance *lib, int32_t a, int32_t b, int32_t *q,
                               int32_t *r, wrt_trap *trap) {
  wrt_scope sc;
  WRT_TRY(s, &sc) {
    link_lib_divmod(lib, a, b, q, r);
  }
  return wrt_scope_end(&sc, trap);
}

/* Several results come back through pointers, still a direct call. */
static void link_multi_results(void) {
  host_env h;
  if (!host_env_init(&h))
    return;
  wrt_instance *lib = host_inst(&h, &link_lib__module);
  int32_t q = 0, r = 0;
  wrt_trap trap;
  if (lib && T_EQ_U64(divmod_in_scope(h.s, lib, 47, 5, &q, &r, &trap), WRT_OK)) {
    T_EQ_U64(q, 9);
    T_EQ_U64(r, 2);
  }
  if (lib) {
    T_EQ_U64(divmod_in_scope(h.s, lib, 1, 0, &q, &r, &trap), WRT_ETRAP);
    T_EQ_U64(trap.code, WRT_TRAP_DIV_BY_ZERO);
  }
  host_env_fini(&h);
}

/* app imports lib's add and memory plus two typed host functions. */
static void link_two_modules(void) {
  host_env h;
  app_env env = {0};
  if (!host_env_init(&h))
    return;
  wrt_instance *lib = host_inst(&h, &link_lib__module), *app = NULL;
  if (!lib || !T_EQ_U64(wrt_linker_define_instance(h.l, "lib", lib), WRT_OK) ||
      !T_EQ_U64(link_app_define_imports(h.s, h.l, &env), WRT_OK) ||
      !(app = host_inst(&h, &link_app__module)))
    goto done;
  wrt_scope sc;
  wrt_trap trap;
  volatile int32_t sum = 0, seen = 0;
  volatile int64_t quad = 0;
  WRT_TRY(h.s, &sc) {
    sum = link_app_sum_to(app, 10);
    link_app_poke(app, 64, 0x5eed);
    seen = link_lib_peek(lib, 64); /* app wrote into lib's memory */
    quad = link_app_quad(app, 21);
  }
  T_EQ_U64(wrt_scope_end(&sc, &trap), WRT_OK);
  T_EQ_U64(sum, 55);
  T_EQ_U64(seen, 0x5eed);
  T_EQ_U64(quad, 84);
  int32_t again = 0;
  T_EQ_U64(link_app_add_again(app, 20, 22, &again, &trap), WRT_OK); /* lib's add via app */
  T_EQ_U64(again, 42);
  /* A trap in lib called from app: the backtrace holds both functions. */
  WRT_TRY(h.s, &sc) {
    link_app_divide_plus1(app, 1, 0);
  }
  if (T_EQ_U64(wrt_scope_end(&sc, &trap), WRT_ETRAP) && T_EQ_U64(trap.n_frames, 2)) {
    T_EQ_U64(trap.frames[0].func_idx, 5); /* lib's divide */
    T_EQ_U64(trap.frames[1].func_idx, 6); /* app's divide_plus1: 4 function imports, then sum_to, poke */
    T_EQ_U64(trap.func_idx, 5);
  }
  T_EQ_U64(env.n_logged, 11);
  T_EQ_U64(env.logged[10], 55);
  T_EQ_U64(env.logged[3], 6);
  wrt_memory *mem = link_lib_mem(lib);
  if (T_CHECK(mem != NULL)) {
    int32_t v;
    memcpy(&v, wrt_memory_data(mem) + 64, 4);
    T_EQ_U64(v, 0x5eed);
  }
done:
  host_env_fini(&h);
}

/* lib.add imported as (i64, i64) -> i64: an error, never a call. */
static void link_type_mismatch(void) {
  host_env h;
  if (!host_env_init(&h))
    return;
  wrt_instance *lib = host_inst(&h, &link_lib__module), *bad = NULL;
  wrt_diag diag = {0};
  wrt_trap trap;
  if (lib && T_EQ_U64(wrt_linker_define_instance(h.l, "lib", lib), WRT_OK)) {
    T_EQ_U64(link_bad_instantiate(h.s, h.l, &bad, &diag, &trap), WRT_ELINK);
    T_PREFIX(diag.msg, "incompatible import type");
    T_CHECK(bad == NULL);
  }
  host_env_fini(&h);
}

const t_case host_link_cases[] = {
    {"link_typed_calls", link_typed_calls},     {"link_direct_trap", link_direct_trap},
    {"link_multi_results", link_multi_results}, {"link_two_modules", link_two_modules},
    {"link_type_mismatch", link_type_mismatch},
};
const size_t host_link_n_cases = T_COUNT(host_link_cases);
