/*
** test_wrt_call.c: execution with hand-written modules: host imports through
** exit trampolines, traps from the trap libcall and from host functions,
** guard-page faults (10,000 in a row, on another thread, and unrelated
** crashes that must not be swallowed), the stack limit and exhaustion,
** nested calls, and the bulk memory/table libcalls' bounds-before-write rule.
** Fault cases are skipped under ASan, which owns SIGSEGV there.
*/
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_wrt.h"

#define SKIP_UNDER_ASAN()                                                                          \
  do {                                                                                             \
    if (TW_ASAN) {                                                                                 \
      t_skip("fault handling is ASan's under ASan");                                               \
      return;                                                                                      \
    }                                                                                              \
  } while (0)

static int32_t call1(tw_env *t, wrt_instance *inst, const char *name, const int32_t *args,
                     size_t n, wrt_err want, wrt_trap *trap) {
  int32_t r = 0;
  wrt_err err = tw_call_i(t, tw_func(inst, name), args, n, &r, trap);
  if (!T_EQ_U64(err, want))
    T_FAIL("calling %s", name);
  return r;
}

static void call_arg_checks(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_func *add = tw_func(tw_inst_m1(&t), "add");
  wrt_val args[2] = {WRT_I32_VAL(1), WRT_I64_VAL(2)}, res[2];
  T_EQ_U64(wrt_call(t.s, add, args, 2, res, 1, NULL), WRT_EINVAL); /* i64 for i32 */
  args[1] = WRT_I32_VAL(2);
  T_EQ_U64(wrt_call(t.s, add, args, 1, res, 1, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_call(t.s, add, args, 2, res, 0, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_call(t.s, add, args, 2, res, 2, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_call(t.s, add, NULL, 2, res, 1, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_call(t.s, add, args, 2, res, 1, NULL), WRT_OK);
  T_EQ_U64(res[0].of.i32, 3);
done:
  tw_env_fini(&t);
}

static void call_host_import(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  T_EQ_U64(call1(&t, inst, "call_host", (int32_t[]){4, 5}, 2, WRT_OK, NULL), 9);
done:
  tw_env_fini(&t);
}

static void trap_libcall_named(void) {
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  for (int i = 0; i < 3; i++) {
    call1(&t, inst, "boom", NULL, 0, WRT_ETRAP, &trap);
    T_EQ_U64(trap.code, WRT_TRAP_UNREACHABLE);
    T_EQ_STR(trap.msg, "unreachable");
    T_EQ_U64(trap.func_idx, M1_F_BOOM);
    T_EQ_STR(trap.func_name, "boom");
  }
  T_EQ_U64(call1(&t, inst, "add", (int32_t[]){1, 2}, 2, WRT_OK, &trap), 3);
  T_EQ_U64(trap.code, WRT_TRAP_NONE);
done:
  tw_env_fini(&t);
}

/* ---------------------------------------------------------------- faults */

static void fault_oob_repeated(void) {
  SKIP_UNDER_ASAN();
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_func *load = tw_func(inst, "load");
  int32_t r = 0;
  T_EQ_U64(tw_call_i(&t, load, (int32_t[]){16}, 1, &r, NULL), WRT_OK);
  T_EQ_MEM(&r, 4, "hell", 4);
  int bad = 0;
  for (int i = 0; i < 10000 && bad < 5; i++) {
    memset(&trap, 0, sizeof trap);
    if (tw_call_i(&t, load, (int32_t[]){65536 + (i % 1000) * 4096}, 1, &r, &trap) != WRT_ETRAP ||
        trap.code != WRT_TRAP_OOB || trap.func_idx != M1_F_LOAD ||
        strcmp(trap.func_name, "load") != 0)
      bad++;
  }
  T_EQ_U64(bad, 0);
  T_EQ_STR(trap.msg, "out of bounds memory access");
  /* The far end of the 32-bit index space, and a load straddling the end. */
  T_EQ_U64(tw_call_i(&t, load, (int32_t[]){-4}, 1, &r, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_OOB);
  T_EQ_U64(tw_call_i(&t, load, (int32_t[]){65534}, 1, &r, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_OOB);
  /* After growing, the same address is memory, and zero. */
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){1}, 1, WRT_OK, NULL), 1);
  r = -1;
  T_EQ_U64(tw_call_i(&t, load, (int32_t[]){65536}, 1, &r, &trap), WRT_OK);
  T_EQ_U64(r, 0);
done:
  tw_env_fini(&t);
}

static wrt_trap_code h_crash_null(void *env, const wrt_val *args, wrt_val *results) {
  (void)env, (void)args;
  results[0] = WRT_I32_VAL(*(volatile int32_t *)(uintptr_t)args[0].of.i32); /* address 0 */
  return WRT_TRAP_NONE;
}

static wrt_trap_code h_crash_guard(void *env, const wrt_val *args, wrt_val *results) {
  (void)args;
  /* A guard page of a registered memory, but touched by host code. */
  results[0] = WRT_I32_VAL(*(volatile int32_t *)(wrt_memory_data(env) + (1u << 20)));
  return WRT_TRAP_NONE;
}

/* In a child process: a host function called from Wasm crashes. The runtime
** must leave that crash to the previous handler (t.h's, which exits 1) or the
** default action (SIGSEGV), never turn it into a trap. */
static int crash_child(wrt_host_fn crash) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO), dup2(devnull, STDERR_FILENO);
    tw_env t;
    if (!tw_env_init(&t))
      _exit(3);
    wrt_instance *inst = tw_inst_m1(&t);
    wrt_extern mem;
    wrt_instance_export(inst, "mem", &mem);
    static const uint8_t ii_i[] = {WRT_I32, WRT_I32, WRT_I32};
    wrt_functype ft = {2, 1, ii_i, ii_i + 2};
    wrt_extern f = {.kind = WRT_EXTERN_FUNC,
                    .of.func = wrt_func_new_host(t.s, &ft, crash, mem.of.memory)};
    wrt_linker_define(t.l, "env", "add_host", f);
    inst = tw_inst_m1(&t);
    int32_t r;
    wrt_err err = tw_call_i(&t, tw_func(inst, "call_host"), (int32_t[]){0, 0}, 2, &r, NULL);
    _exit(err == WRT_ETRAP ? 4 : 5); /* swallowed: the failure this test looks for */
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid)
    return -1;
  return status;
}

static void fault_not_swallowed(void) {
  SKIP_UNDER_ASAN();
  wrt_host_fn crashes[] = {h_crash_null, h_crash_guard};
  for (size_t i = 0; i < T_COUNT(crashes); i++) {
    int status = crash_child(crashes[i]);
    bool died = (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) ||
                (WIFEXITED(status) && WEXITSTATUS(status) == 1);
    if (!T_CHECK(died))
      T_FAIL("crash %zu: status 0x%x", i, (unsigned)status);
  }
}

static void *fault_thread(void *arg) {
  int *bad = arg;
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t)) {
    *bad = -1;
    return NULL;
  }
  wrt_instance *inst = tw_inst_m1(&t);
  for (int i = 0; i < 1000; i++) {
    int32_t r;
    if (tw_call_i(&t, tw_func(inst, "load"), (int32_t[]){1 << 20}, 1, &r, &trap) != WRT_ETRAP ||
        trap.code != WRT_TRAP_OOB)
      (*bad)++;
  }
  tw_env_fini(&t);
  return NULL;
}

/* Every thread gets its own alternate stack and frame chain. */
static void fault_other_threads(void) {
  SKIP_UNDER_ASAN();
  pthread_t th[2];
  int bad[2] = {0, 0};
  for (int i = 0; i < 2; i++)
    T_EQ_U64(pthread_create(&th[i], NULL, fault_thread, &bad[i]), 0);
  for (int i = 0; i < 2; i++) {
    pthread_join(th[i], NULL);
    T_EQ_U64(bad[i], 0);
  }
}

/* ---------------------------------------------------------------- stack */

static uintptr_t store_limit_word(wrt_func *f) {
  return *(uintptr_t *)((void **)f->vmctx)[WRT_VMCTX_STACK_LIMIT];
}

static void stack_limit_set(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_func *probe = tw_func(tw_inst_m1(&t), "probe");
  if (!probe)
    goto done;
  T_EQ_U64(store_limit_word(probe), 0);
  tw_probe_sp = tw_probe_limit = 0;
  T_EQ_U64(tw_call_i(&t, probe, NULL, 0, NULL, NULL), WRT_OK);
  T_CHECK(tw_probe_limit != 0);
  T_CHECK(tw_probe_sp > tw_probe_limit);
  uintptr_t room = tw_probe_sp - tw_probe_limit;
  T_CHECK(room < ((uintptr_t)1 << 20) && room > ((uintptr_t)1 << 20) - (64 << 10));
  T_EQ_U64(store_limit_word(probe), 0); /* restored after the call */
  wrt_store_set_max_wasm_stack(t.s, 100 << 10);
  T_EQ_U64(tw_call_i(&t, probe, NULL, 0, NULL, NULL), WRT_OK);
  room = tw_probe_sp - tw_probe_limit;
  T_CHECK(room < (100 << 10) && room > (36 << 10));
done:
  tw_env_fini(&t);
}

static void stack_exhaustion(void) {
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  int32_t depth[3];
  for (int i = 0; i < 3; i++) {
    if (i == 2)
      wrt_store_set_max_wasm_stack(t.s, 128 << 10);
    tw_recurse_depth = 0;
    call1(&t, inst, "recurse", (int32_t[]){0}, 1, WRT_ETRAP, &trap);
    T_EQ_U64(trap.code, WRT_TRAP_STACK_EXHAUSTED);
    T_EQ_STR(trap.msg, "call stack exhausted");
    T_EQ_STR(trap.func_name, "recurse");
    depth[i] = tw_recurse_depth;
  }
  T_CHECK(depth[0] > 100);
  T_EQ_U64(depth[0], depth[1]); /* the same budget each time */
  T_CHECK(depth[2] < depth[0] / 4);
  T_EQ_U64(call1(&t, inst, "add", (int32_t[]){1, 2}, 2, WRT_OK, NULL), 3);
done:
  tw_env_fini(&t);
}

/* ---------------------------------------------------------------- host functions, nesting */

static wrt_trap_code h_host_trap(void *env, const wrt_val *args, wrt_val *results) {
  (void)env, (void)args, (void)results;
  return WRT_TRAP_HOST;
}

/* Replaces env.add_host with fn (env passed through) and instantiates m1. */
static wrt_instance *m1_with_host(tw_env *t, wrt_host_fn fn, void *env) {
  static const uint8_t ii_i[] = {WRT_I32, WRT_I32, WRT_I32};
  wrt_functype ft = {2, 1, ii_i, ii_i + 2};
  wrt_extern f = {.kind = WRT_EXTERN_FUNC, .of.func = wrt_func_new_host(t->s, &ft, fn, env)};
  if (!T_CHECK(f.of.func) || !T_EQ_U64(wrt_linker_define(t->l, "env", "add_host", f), WRT_OK))
    return NULL;
  return tw_inst_m1(t);
}

static void host_trap(void) {
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = m1_with_host(&t, h_host_trap, NULL);
  call1(&t, inst, "call_host", (int32_t[]){1, 2}, 2, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_HOST);
  T_EQ_STR(trap.msg, "host trap");
  T_EQ_U64(call1(&t, inst, "add", (int32_t[]){1, 2}, 2, WRT_OK, NULL), 3);
done:
  tw_env_fini(&t);
}

typedef struct nest_env {
  tw_env *t;
  wrt_func *target; /* called by the host function with (a, b) */
  int calls;
} nest_env;

/* Host function that calls back into Wasm: host -> wasm -> host -> wasm. */
static wrt_trap_code h_reenter(void *env, const wrt_val *args, wrt_val *results) {
  nest_env *n = env;
  wrt_val res[1];
  wrt_trap trap;
  if (++n->calls == 50)
    return WRT_TRAP_HOST;
  size_t n_results = wrt_func_type(n->t->s, n->target).n_results;
  wrt_err err = wrt_call(n->t->s, n->target, args, 2, res, n_results, &trap);
  if (err == WRT_ETRAP)
    return trap.code; /* propagate the inner trap outward */
  if (err != WRT_OK)
    return WRT_TRAP_HOST;
  results[0] = WRT_I32_VAL(res[0].of.i32 * 10);
  return WRT_TRAP_NONE;
}

static void nested_calls(void) {
  tw_env t;
  wrt_trap trap;
  nest_env n = {&t, NULL, 0};
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = m1_with_host(&t, h_reenter, &n);
  if (!(n.target = tw_func(inst, "add")))
    goto done;
  T_EQ_U64(call1(&t, inst, "call_host", (int32_t[]){2, 3}, 2, WRT_OK, NULL), 50);
  n.target = tw_func(inst, "copy"); /* (i32 i32 i32) -> (): wrong arity for two args */
  call1(&t, inst, "call_host", (int32_t[]){2, 3}, 2, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_HOST); /* EINVAL inside becomes a host trap */
  /* 50 levels of host -> Wasm -> host; the innermost host call traps and
  ** every level passes the trap outward. */
  n.target = tw_func(inst, "call_host");
  n.calls = 0;
  call1(&t, inst, "call_host", (int32_t[]){2, 3}, 2, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_HOST);
  T_EQ_U64(n.calls, 50);
  T_EQ_U64(call1(&t, inst, "add", (int32_t[]){1, 2}, 2, WRT_OK, NULL), 3);
done:
  tw_env_fini(&t);
}

static wrt_trap_code h_call_boom(void *env, const wrt_val *args, wrt_val *results) {
  nest_env *n = env;
  wrt_trap trap;
  (void)args, (void)results;
  n->calls++;
  if (wrt_call(n->t->s, n->target, NULL, 0, NULL, 0, &trap) != WRT_ETRAP)
    return WRT_TRAP_NONE;
  return trap.code;
}

static void nested_trap(void) {
  tw_env t;
  wrt_trap trap;
  nest_env n = {&t, NULL, 0};
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = m1_with_host(&t, h_call_boom, &n);
  if (!(n.target = tw_func(inst, "boom")))
    goto done;
  for (int i = 0; i < 100; i++) {
    call1(&t, inst, "call_host", (int32_t[]){0, 0}, 2, WRT_ETRAP, &trap);
    if (!T_EQ_U64(trap.code, WRT_TRAP_UNREACHABLE))
      break;
  }
  T_EQ_U64(n.calls, 100);
  T_EQ_U64(call1(&t, inst, "add", (int32_t[]){1, 2}, 2, WRT_OK, NULL), 3);
done:
  tw_env_fini(&t);
}

/* ---------------------------------------------------------------- bulk libcalls */

static void bulk_memory_bounds(void) {
  tw_env t;
  wrt_trap trap;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_extern me;
  if (!inst || !T_EQ_U64(wrt_instance_export(inst, "mem", &me), WRT_OK))
    goto done;
  uint8_t *m = wrt_memory_data(me.of.memory);
  call1(&t, inst, "fill", (int32_t[]){0, 0xaa, 65536}, 3, WRT_OK, NULL);
  T_CHECK(m[0] == 0xaa && m[65535] == 0xaa);
  call1(&t, inst, "fill", (int32_t[]){65530, 1, 7}, 3, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_OOB);
  T_EQ_STR(trap.func_name, "fill"); /* named from the libcall's return address */
  T_EQ_U64(m[65530], 0xaa);         /* bounds are checked before any write */
  call1(&t, inst, "fill", (int32_t[]){65536, 1, 0}, 3, WRT_OK, NULL);
  call1(&t, inst, "fill", (int32_t[]){65537, 1, 0}, 3, WRT_ETRAP, &trap);

  memcpy(m, "abcdef", 6);
  call1(&t, inst, "copy", (int32_t[]){1, 0, 5}, 3, WRT_OK, NULL);
  T_EQ_MEM(m, 6, "aabcde", 6); /* overlapping, forwards */
  call1(&t, inst, "copy", (int32_t[]){0, 1, 5}, 3, WRT_OK, NULL);
  T_EQ_MEM(m, 6, "abcdee", 6); /* overlapping, backwards */
  call1(&t, inst, "copy", (int32_t[]){65535, 0, 2}, 3, WRT_ETRAP, &trap);
  call1(&t, inst, "copy", (int32_t[]){0, 65535, 2}, 3, WRT_ETRAP, &trap);
  T_EQ_MEM(m, 2, "ab", 2);
  T_EQ_U64(m[65535], 0xaa);

  call1(&t, inst, "init", (int32_t[]){10, 0, 3}, 3, WRT_OK, NULL);
  T_EQ_MEM(m + 10, 3, "xyz", 3);
  call1(&t, inst, "init", (int32_t[]){20, 1, 3}, 3, WRT_ETRAP, &trap); /* past the segment */
  T_EQ_U64(m[20], 0xaa);
  call1(&t, inst, "init", (int32_t[]){65535, 0, 2}, 3, WRT_ETRAP, &trap); /* past memory */
  T_EQ_U64(m[65535], 0xaa);
  call1(&t, inst, "drops", NULL, 0, WRT_OK, NULL);
  /* spec: a dropped segment behaves as empty. */
  call1(&t, inst, "init", (int32_t[]){10, 0, 0}, 3, WRT_OK, NULL);
  call1(&t, inst, "init", (int32_t[]){65536, 0, 0}, 3, WRT_OK, NULL);
  call1(&t, inst, "init", (int32_t[]){65537, 0, 0}, 3, WRT_ETRAP, &trap);
  call1(&t, inst, "init", (int32_t[]){10, 0, 1}, 3, WRT_ETRAP, &trap);
  call1(&t, inst, "init", (int32_t[]){10, 1, 0}, 3, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_OOB);
done:
  tw_env_fini(&t);
}

static void bulk_table_bounds(void) {
  tw_env t;
  wrt_trap trap;
  wrt_val v;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_extern te;
  if (!inst || !T_EQ_U64(wrt_instance_export(inst, "tab", &te), WRT_OK))
    goto done;
  wrt_table *tab = te.of.table;
  wrt_func *add = tw_func(inst, "add"), *boom = tw_func(inst, "boom");
  wrt_func *call_host = tw_func(inst, "call_host");
  /* Initially [null add call_host null]; e1 is [boom null]. */
  call1(&t, inst, "tinit", (int32_t[]){3, 0, 2}, 3, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_TABLE_OOB);
  T_EQ_STR(trap.func_name, "tinit");
  T_EQ_U64(wrt_table_get(tab, 3, &v), WRT_OK);
  T_CHECK(v.of.funcref == NULL); /* nothing written */
  call1(&t, inst, "tinit", (int32_t[]){0, 0, 1}, 3, WRT_OK, NULL);
  T_EQ_U64(wrt_table_get(tab, 0, &v), WRT_OK);
  T_CHECK(v.of.funcref == boom);
  /* [boom add call_host null] -> copy(1, 0, 3) -> [boom boom add call_host] */
  call1(&t, inst, "tcopy", (int32_t[]){1, 0, 3}, 3, WRT_OK, NULL);
  wrt_func *want[4] = {boom, boom, add, call_host};
  for (uint32_t i = 0; i < 4; i++) {
    T_EQ_U64(wrt_table_get(tab, i, &v), WRT_OK);
    T_CHECK(v.of.funcref == want[i]);
  }
  call1(&t, inst, "tcopy", (int32_t[]){2, 0, 3}, 3, WRT_ETRAP, &trap);
  call1(&t, inst, "tcopy", (int32_t[]){4, 0, 0}, 3, WRT_OK, NULL);
  call1(&t, inst, "tcopy", (int32_t[]){5, 0, 0}, 3, WRT_ETRAP, &trap);
  T_EQ_U64(trap.code, WRT_TRAP_TABLE_OOB);
  T_EQ_U64(call1(&t, inst, "tgrow", (int32_t[]){4}, 1, WRT_OK, NULL), 4);
  T_EQ_U64(call1(&t, inst, "tgrow", (int32_t[]){1}, 1, WRT_OK, NULL), -1); /* max 8 */
  T_EQ_U64(call1(&t, inst, "tgrow", (int32_t[]){0}, 1, WRT_OK, NULL), 8);
  T_EQ_U64(wrt_table_size(tab), 8);
  T_EQ_U64(wrt_table_get(tab, 7, &v), WRT_OK);
  T_CHECK(v.of.funcref == NULL);
  call1(&t, inst, "drops", NULL, 0, WRT_OK, NULL);
  call1(&t, inst, "tinit", (int32_t[]){0, 0, 0}, 3, WRT_OK, NULL);
  call1(&t, inst, "tinit", (int32_t[]){0, 0, 1}, 3, WRT_ETRAP, &trap);
done:
  tw_env_fini(&t);
}

static void grow_libcall(void) {
  tw_env t;
  if (!tw_env_init(&t))
    goto done;
  wrt_instance *inst = tw_inst_m1(&t);
  wrt_extern me;
  if (!inst || !T_EQ_U64(wrt_instance_export(inst, "mem", &me), WRT_OK))
    goto done;
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){0}, 1, WRT_OK, NULL), 1);
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){1}, 1, WRT_OK, NULL), 1);
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){2}, 1, WRT_OK, NULL), -1); /* max 3 */
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){1}, 1, WRT_OK, NULL), 2);
  T_EQ_U64(call1(&t, inst, "grow", (int32_t[]){1}, 1, WRT_OK, NULL), -1);
  T_EQ_U64(wrt_memory_size(me.of.memory), 3 * 65536);
  T_EQ_U64(wrt_memory_grow(me.of.memory, 1), (uint64_t)-1);
done:
  tw_env_fini(&t);
}

const t_case wrt_call_cases[] = {
    {"call_arg_checks", call_arg_checks},
    {"call_host_import", call_host_import},
    {"trap_libcall_named", trap_libcall_named},
    {"fault_oob_repeated", fault_oob_repeated},
    {"fault_not_swallowed", fault_not_swallowed},
    {"fault_other_threads", fault_other_threads},
    {"stack_limit_set", stack_limit_set},
    {"stack_exhaustion", stack_exhaustion},
    {"host_trap", host_trap},
    {"nested_calls", nested_calls},
    {"nested_trap", nested_trap},
    {"bulk_memory_bounds", bulk_memory_bounds},
    {"bulk_table_bounds", bulk_table_bounds},
    {"grow_libcall", grow_libcall},
};
const size_t wrt_call_n_cases = T_COUNT(wrt_call_cases);
