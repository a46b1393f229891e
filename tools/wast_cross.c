/*
** wast_cross.c: wrt-wast --target=TRIPLE. Everything that needs LLVM,
** wast2json or json-c stays on the host; a script's commands, converted by
** wast_convert.c into JSON_DIR/exec.txt, run in one go through wrt-exec built
** for the target (scripts/cross-exec), under qemu-user with the target's
** libraries (-L /usr/<gnu triple>), or directly when the target is the
** host's architecture. wrt-exec's status file carries its counts back.
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "wast.h"

/* The Linux targets codegen supports (codegen/target.c), by the triple's
** architecture: the qemu-user binary and where Debian's cross libc lives. */
static const struct {
  const char *arch, *qemu, *sysroot;
} cross_targets[] = {
    {"aarch64", "qemu-aarch64", "/usr/aarch64-linux-gnu"},
    {"arm64", "qemu-aarch64", "/usr/aarch64-linux-gnu"},
    {"riscv64", "qemu-riscv64", "/usr/riscv64-linux-gnu"},
    {"arm", "qemu-arm", "/usr/arm-linux-gnueabihf"},
    {"armv7", "qemu-arm", "/usr/arm-linux-gnueabihf"},
    {"armv7l", "qemu-arm", "/usr/arm-linux-gnueabihf"},
    {"x86_64", "qemu-x86_64", "/usr/x86_64-linux-gnu"},
};

/* The default executor: BINDIR/../cross-exec/TRIPLE/wrt-exec, where
** scripts/cross-exec puts it for the build tree wrt-wast lives in. */
static char *default_exec_path(const char *triple) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    return NULL;
  self[n] = 0;
  char *slash = strrchr(self, '/');
  if (slash)
    *slash = 0;
  return wast_printf("%s/../cross-exec/%s/wrt-exec", self, triple);
}

bool wast_cross_init(wast_options *opt) {
  char arch[32] = "";
  sscanf(opt->target, "%31[^-]", arch);
  size_t i = 0, n = sizeof cross_targets / sizeof cross_targets[0];
  while (i < n && strcmp(arch, cross_targets[i].arch) != 0)
    i++;
  if (i == n || !strstr(opt->target, "linux-gnu")) {
    fprintf(stderr, "wrt-wast: --target=%s: not a supported Linux target\n", opt->target);
    return false;
  }
  struct utsname u;
  bool native = uname(&u) == 0 && strcmp(u.machine, cross_targets[i].arch) == 0;
  opt->qemu = native ? NULL : cross_targets[i].qemu;
  opt->sysroot = cross_targets[i].sysroot;
  if (!opt->exec_path) {
    /* Kept until exit: options live as long as the run. */
    opt->exec_path = default_exec_path(opt->target);
    if (!opt->exec_path) {
      fprintf(stderr, "wrt-wast: cannot find my own path; give --exec=PATH\n");
      return false;
    }
  }
  if (access(opt->exec_path, X_OK) != 0) {
    fprintf(stderr, "wrt-wast: %s: %s (build it with scripts/cross-exec, or give --exec=PATH)\n",
            opt->exec_path, strerror(errno));
    return false;
  }
  return true;
}

bool wast_cross_begin(wast_file *f) {
  char *path = wast_printf("%s/exec.txt", f->json_dir);
  f->script = fopen(path, "w");
  if (!f->script) {
    printf("%s: FAIL cannot create %s: %s\n", f->rel, path, strerror(errno));
    free(path);
    return false;
  }
  free(path);
  wast_buf b = {0};
  wast_buf_add(&b, "# wrt-wast --target=%s; run with wrt-exec (tools/wrt-exec.c)\nscript ",
               f->opt->target);
  wast_buf_quote(&b, f->rel, strlen(f->rel));
  fprintf(f->script, "%s\n", b.p);
  wast_buf_fini(&b);
  return true;
}

/* Runs wrt-exec on the command file; *status is its wait status. */
static bool run_exec(wast_file *f, const char *script, const char *status_path, int *status,
                     char *why, size_t n) {
  const wast_options *opt = f->opt;
  char *timeout = wast_printf("--timeout=%u", opt->timeout);
  char *status_arg = wast_printf("--status=%s", status_path);
  const char *argv[10];
  int argc = 0;
  if (opt->qemu) {
    argv[argc++] = opt->qemu;
    argv[argc++] = "-L";
    argv[argc++] = opt->sysroot;
  }
  argv[argc++] = opt->exec_path;
  argv[argc++] = timeout;
  argv[argc++] = status_arg;
  if (opt->verbose)
    argv[argc++] = "-v";
  if (opt->trace)
    argv[argc++] = "--trace";
  argv[argc++] = script;
  argv[argc] = NULL;
  /* The per-command alarm of this child (wrt-wast.c) must not fire while
  ** wrt-exec runs: it would orphan it. wrt-exec keeps its own per command. */
  alarm(0);
  fflush(stdout);
  bool ok = wast_spawn(argv, NULL, status, why, n);
  free(timeout);
  free(status_arg);
  return ok;
}

bool wast_cross_finish(wast_file *f) {
  if (fclose(f->script) != 0) {
    f->script = NULL;
    printf("%s: FAIL cannot write the command file: %s\n", f->rel, strerror(errno));
    return false;
  }
  f->script = NULL;
  char *script = wast_printf("%s/exec.txt", f->json_dir);
  char *status_path = wast_printf("%s/exec.status", f->json_dir);
  unlink(status_path);
  int status = 0;
  char why[512];
  bool exited_ok = run_exec(f, script, status_path, &status, why, sizeof why);
  wast_status st;
  bool have = wast_status_read(status_path, &st);
  if (have) {
    wast_tally_add(&f->rep.t, &st.t);
    if (!st.done) {
      char how[128];
      wast_describe_status(f->opt, status, how, sizeof how);
      wast_cmd c = st.current.line ? st.current
                                   : (wast_cmd){.type = "script", .line = 0, .kind = WAST_OTHER};
      wast_report_fail(&f->rep, &c, "wrt-exec %s here; the rest of the script did not run", how);
    }
  } else {
    printf("%s: FAIL %s did not run the script: %s\n", f->rel, f->opt->exec_path,
           exited_ok ? "no status file" : why);
  }
  free(script);
  free(status_path);
  return have;
}
