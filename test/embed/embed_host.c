/*
** embed_host.c: test_embed, WASI modules used from the embedding API (#5 item
** 4): a reactor (reactor.c: _initialize, then typed direct calls through the
** header wasm2obj wrote) and a command (command.c: wrt_wasi_run, its exit
** status and proc_exit), with stdout captured through a WASI stdio fd.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define T_IMPLEMENTATION
#include "command.h"
#include "reactor.h"
#include "t.h"

typedef struct fixture {
  wrt_engine *e;
  wrt_store *s;
  wrt_linker *l;
  wrt_wasi *w;
  FILE *out; /* the program's stdout */
} fixture;

static bool setup(fixture *f, int argc, const char *const *argv) {
  memset(f, 0, sizeof *f);
  f->out = tmpfile();
  static const char *const env[] = {"REACTOR_VAR=hello"};
  wrt_wasi_config c = {.argc = argc, .argv = argv, .n_env = 1, .env = env,
                       .stdio = {-1, f->out ? fileno(f->out) : -1, 2}};
  wrt_diag diag = {0};
  f->w = wrt_wasi_new(&c, &diag);
  f->e = wrt_engine_new();
  f->s = f->e ? wrt_store_new(f->e) : NULL;
  f->l = f->s ? wrt_linker_new(f->s) : NULL;
  return T_CHECK(f->out && f->w && f->l) && T_EQ_U64(wrt_wasi_define(f->w, f->s, f->l), WRT_OK);
}

static void teardown(fixture *f) {
  wrt_linker_free(f->l);
  wrt_store_free(f->s);
  wrt_engine_free(f->e);
  wrt_wasi_free(f->w);
  if (f->out)
    fclose(f->out);
}

/* What the program wrote to stdout so far. */
static const char *output(fixture *f, char *buf, size_t size) {
  size_t n = (size_t)pread(fileno(f->out), buf, size - 1, 0);
  buf[n < size ? n : 0] = '\0';
  return buf;
}

/* The typed calls, each in a function of its own so that no local of the
** case lives across setjmp (the habit docs/USING.md recommends). */
static wrt_err direct_calls(wrt_store *s, wrt_instance *inst, wrt_memory *mem, int32_t r[3],
                            wrt_trap *trap) {
  static const char words[] = "three little words";
  wrt_scope sc;
  WRT_TRY(s, &sc) {
    r[0] = reactor_greet(inst);
    int32_t buf = reactor_buf_alloc(inst, (int32_t)sizeof words);
    memcpy(wrt_memory_data(mem) + buf, words, sizeof words);
    r[1] = reactor_count_words(inst, buf, (int32_t)sizeof words - 1);
    r[2] = reactor_env_len(inst);
  }
  return wrt_scope_end(&sc, trap);
}

static wrt_err fail_call(wrt_store *s, wrt_instance *inst, wrt_trap *trap) {
  wrt_scope sc;
  WRT_TRY(s, &sc) {
    reactor_fail(inst, 0);
  }
  return wrt_scope_end(&sc, trap);
}

static void reactor_calls(void) {
  fixture f;
  wrt_instance *inst = NULL;
  wrt_diag diag = {0};
  wrt_trap trap;
  char text[256];
  if (!setup(&f, 1, (const char *[]){"reactor"}) ||
      !T_EQ_U64(reactor_instantiate(f.s, f.l, &inst, &diag, &trap), WRT_OK) ||
      !T_EQ_U64(wrt_wasi_bind(f.w, inst, &diag), WRT_OK) ||
      !T_EQ_U64(wrt_wasi_initialize(f.w, f.s, inst, &trap), WRT_OK))
    goto done;
  int status;
  T_EQ_U64(wrt_wasi_run(f.w, f.s, inst, &status, &trap), WRT_EINVAL); /* no _start */
  wrt_memory *mem = reactor_memory(inst);
  if (!T_CHECK(mem != NULL))
    goto done;
  int32_t r[3] = {0};
  T_EQ_U64(direct_calls(f.s, inst, mem, r, &trap), WRT_OK);
  T_EQ_U64(r[0], 11);
  T_EQ_U64(r[1], 3);
  T_EQ_U64(r[2], 5);
  T_EQ_STR(output(&f, text, sizeof text), "initialized\n");
  T_EQ_U64(fail_call(f.s, inst, &trap), WRT_ETRAP);
  T_EQ_U64(trap.code, WRT_TRAP_DIV_BY_ZERO);
  T_CHECK(trap.n_frames >= 1 && !strcmp(trap.frames[0].func_name, "fail"));
done:
  teardown(&f);
}

/* A command from the API: arguments in, stdout and the exit status out. */
static void command_run(const char *const *argv, int argc, int want_status, const char *want_out) {
  fixture f;
  wrt_instance *inst = NULL;
  wrt_diag diag = {0};
  wrt_trap trap;
  char text[256];
  int status = -1;
  if (setup(&f, argc, argv) &&
      T_EQ_U64(command_instantiate(f.s, f.l, &inst, &diag, &trap), WRT_OK) &&
      T_EQ_U64(wrt_wasi_bind(f.w, inst, &diag), WRT_OK) &&
      T_EQ_U64(wrt_wasi_run(f.w, f.s, inst, &status, &trap), WRT_OK)) {
    T_EQ_U64(status, want_status);
    T_EQ_STR(output(&f, text, sizeof text), want_out);
    int exit_status = -1;
    T_EQ_U64(wrt_wasi_exit_status(f.w, &exit_status), true); /* wasi-libc calls proc_exit */
    T_EQ_U64(exit_status, want_status);
  }
  teardown(&f);
}

static void command_return(void) {
  command_run((const char *[]){"cmd", "a"}, 2, 2, "[cmd][a]\n");
}

static void command_exit(void) {
  command_run((const char *[]){"cmd", "x", "7"}, 3, 7, "[cmd][x][7]\n");
}

static const t_case cases[] = {
    {"reactor_calls", reactor_calls},
    {"command_return", command_return},
    {"command_exit", command_exit},
};

int main(int argc, char **argv) {
  t_init(argc, argv);
  return t_run(cases, T_COUNT(cases));
}
