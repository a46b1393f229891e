/*
** wasi_main.c: wrt_wasi_main, the `main` of executables made by
** `wasm2obj --exe`: it parses the options baked in at compile time, builds
** the WASI configuration (the process's arguments, its environment plus
** --env, --dir preopens, stdio 0-2), instantiates the module and runs
** _start. Its result is the process's exit status: the program's (0 or the
** proc_exit value), WRT_WASI_TRAP_STATUS after a trap, or 1 when the module
** cannot be set up (message "wrt: error: ..." on stderr).
*/
#include "wasi_internal.h"

#include <stdio.h>
#include <unistd.h>

/* What the baked options and the process give the configuration. The
** arrays own the strings they list only where *_own says so. */
typedef struct main_opts {
  const char **dir_host, **dir_guest;
  char **dir_copy; /* host part of "HOST::GUEST", copied; NULL otherwise */
  uint32_t n_dirs;
  const char **env;
  int n_env;
  bool inherit_env;
} main_opts;

static size_t count_opts(const char *const *opts) {
  size_t n = 0;
  while (opts && opts[n])
    n++;
  return n;
}

static void opts_free(main_opts *mo, size_t n_opts, size_t n_env_cap) {
  for (uint32_t i = 0; mo->dir_copy && i < mo->n_dirs; i++)
    if (mo->dir_copy[i])
      wrt_free(mo->dir_copy[i], strlen(mo->dir_copy[i]) + 1);
  wrt_free(mo->dir_copy, n_opts * sizeof *mo->dir_copy);
  wrt_free(mo->dir_host, n_opts * sizeof *mo->dir_host);
  wrt_free(mo->dir_guest, n_opts * sizeof *mo->dir_guest);
  wrt_free(mo->env, n_env_cap * sizeof *mo->env);
}

/* "--dir=HOST[::GUEST]". */
static bool add_dir(main_opts *mo, const char *spec) {
  const char *sep = strstr(spec, "::");
  uint32_t i = mo->n_dirs++;
  if (!sep) {
    mo->dir_host[i] = mo->dir_guest[i] = spec;
    return true;
  }
  mo->dir_copy[i] = wrt_strndup(spec, (size_t)(sep - spec));
  mo->dir_host[i] = mo->dir_copy[i];
  mo->dir_guest[i] = sep + 2;
  return mo->dir_copy[i] != NULL;
}

static bool parse_opts(main_opts *mo, const char *const *opts, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *o = opts[i];
    if (strncmp(o, "--dir=", 6) == 0) {
      if (!add_dir(mo, o + 6))
        return false;
    } else if (strncmp(o, "--env=", 6) == 0 && strchr(o + 6, '=')) {
      /* Collected below, after the inherited environment is known. */
    } else if (strcmp(o, "--no-inherit-env") == 0) {
      mo->inherit_env = false;
    } else {
      fprintf(stderr, "wrt: error: unknown option baked into the executable: %s\n", o);
      return false;
    }
  }
  return true;
}

/* Whether `var` ("K=V") sets a key that one of the --env options sets. */
static bool overridden(const char *var, const char *const *opts, size_t n) {
  size_t klen = strcspn(var, "=");
  for (size_t i = 0; i < n; i++)
    if (strncmp(opts[i], "--env=", 6) == 0 && strncmp(opts[i] + 6, var, klen) == 0 &&
        opts[i][6 + klen] == '=')
      return true;
  return false;
}

/* The environment: the host's (unless --no-inherit-env) without the keys
** that --env sets, then the --env entries in order. */
static bool build_env(main_opts *mo, const char *const *opts, size_t n, size_t cap) {
  mo->env = wrt_calloc(cap, sizeof *mo->env);
  if (!mo->env)
    return false;
  for (char **e = environ; mo->inherit_env && e && *e; e++)
    if (!overridden(*e, opts, n))
      mo->env[mo->n_env++] = *e;
  for (size_t i = 0; i < n; i++)
    if (strncmp(opts[i], "--env=", 6) == 0 && strchr(opts[i] + 6, '='))
      mo->env[mo->n_env++] = opts[i] + 6;
  return true;
}

/* "wrt: trap: MSG", the function and the backtrace (WRT_TRAP_FRAMES lines
** at most, so 4 KiB is plenty). */
static void print_trap(const wrt_trap *trap) {
  char buf[4096];
  wrt_trap_format(trap, buf, sizeof buf);
  fprintf(stderr, "wrt: %s", buf);
}

/* Instantiates and runs; returns the exit status. */
static int run(wrt_wasi *w, wrt_store *s, wrt_linker *l, const wrt_module_desc *desc) {
  wrt_diag diag = {WRT_OK, ""};
  wrt_trap trap;
  wrt_instance *inst = NULL;
  int status = 0;
  wrt_err err = wrt_wasi_define(w, s, l);
  if (err != WRT_OK) {
    fprintf(stderr, "wrt: error: cannot define WASI functions: %s\n", wrt_err_str(err));
    return 1;
  }
  err = wrt_instantiate(s, desc, l, &inst, &diag, &trap);
  if (err == WRT_ETRAP && trap.code == WRT_TRAP_EXIT && wrt_wasi_exit_status(w, &status))
    return status; /* proc_exit from the start function */
  if (err == WRT_ETRAP) {
    print_trap(&trap);
    return WRT_WASI_TRAP_STATUS;
  }
  if (err == WRT_OK)
    err = wrt_wasi_bind(w, inst, &diag);
  if (err != WRT_OK) {
    fprintf(stderr, "wrt: error: %s\n", diag.msg[0] ? diag.msg : wrt_err_str(err));
    return 1;
  }
  err = wrt_wasi_run(w, s, inst, &status, &trap);
  if (err == WRT_ETRAP) {
    print_trap(&trap);
    return WRT_WASI_TRAP_STATUS;
  }
  if (err != WRT_OK) {
    fprintf(stderr, "wrt: error: the module exports no _start function () -> ()\n");
    return 1;
  }
  return status;
}

int wrt_wasi_main(const wrt_module_desc *desc, int argc, char **argv, const char *const *opts) {
  size_t n_opts = count_opts(opts), n_host_env = 0;
  for (char **e = environ; e && *e; e++)
    n_host_env++;
  size_t env_cap = n_host_env + n_opts;
  main_opts mo = {.inherit_env = true};
  mo.dir_host = wrt_calloc(n_opts, sizeof *mo.dir_host);
  mo.dir_guest = wrt_calloc(n_opts, sizeof *mo.dir_guest);
  mo.dir_copy = wrt_calloc(n_opts, sizeof *mo.dir_copy);
  int status = 1;
  if (!mo.dir_host || !mo.dir_guest || !mo.dir_copy || !parse_opts(&mo, opts, n_opts) ||
      !build_env(&mo, opts, n_opts, env_cap))
    goto done;
  wrt_wasi_config cfg = {
      .argc = argc,
      .argv = (const char *const *)argv,
      .n_env = mo.n_env,
      .env = mo.env,
      .n_dirs = mo.n_dirs,
      .dir_host = mo.dir_host,
      .dir_guest = mo.dir_guest,
      .use_default_stdio = true,
  };
  wrt_diag diag = {WRT_OK, ""};
  wrt_wasi *w = wrt_wasi_new(&cfg, &diag);
  if (!w) {
    fprintf(stderr, "wrt: error: %s\n", diag.msg);
    goto done;
  }
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = e ? wrt_store_new(e) : NULL;
  wrt_linker *l = s ? wrt_linker_new(s) : NULL;
  if (l)
    status = run(w, s, l, desc);
  else
    fprintf(stderr, "wrt: error: out of memory\n");
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
  wrt_wasi_free(w);
done:
  opts_free(&mo, n_opts, env_cap);
  return status;
}
