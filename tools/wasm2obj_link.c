/*
** wasm2obj_link.c: the link step of `wasm2obj --exe`. The compiled object
** already contains `main` (codegen/exe.c); this finds the target's runtime
** library and a compiler driver, and runs
**
**   clang [--target=T -static] -fuse-ld=lld OBJ libwrt-rt.a -lm -o OUT
**
** The clang driver is used (rather than ld.lld directly) because it knows
** where the target's crt files and libc live; the linker is LLVM's lld.
** $WRT_CC replaces the driver (words split on spaces: "cc -fsanitize=address"
** links an ASan runtime library).
** The runtime is looked up next to wasm2obj: BINDIR/../lib/libwrt-rt.a for
** the host, BINDIR/../lib/<multiarch>/libwrt-rt.a for other targets (the
** layout of both the build tree and `make install`), or given by --runtime.
*/
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cg.h"
#include "wasm2obj.h"

#ifndef WRT_LLVM_BINDIR
#define WRT_LLVM_BINDIR "/usr/lib/llvm-19/bin"
#endif

extern char **environ;

/* The directory holding the running wasm2obj (no trailing slash). */
static bool self_dir(char *buf, size_t size) {
  ssize_t n = readlink("/proc/self/exe", buf, size - 1);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (!slash)
    return false;
  *slash = '\0';
  return true;
}

static bool find_runtime(const w2o_link *l, char *buf, size_t size) {
  buf[0] = '\0';
  if (l->runtime) {
    int n = snprintf(buf, size, "%s", l->runtime);
    return n > 0 && (size_t)n < size && access(buf, R_OK) == 0;
  }
  const char *want = cg_target_multiarch(l->triple), *host = cg_target_multiarch(NULL);
  char dir[PATH_MAX];
  if (!want || !self_dir(dir, sizeof dir))
    return false;
  int n = host && !strcmp(want, host) ? snprintf(buf, size, "%s/../lib/libwrt-rt.a", dir)
                                       : snprintf(buf, size, "%s/../lib/%s/libwrt-rt.a", dir, want);
  return n > 0 && (size_t)n < size && access(buf, R_OK) == 0;
}

/* The driver command: $WRT_CC split on spaces (e.g. "cc -fsanitize=address"),
** else the clang of the LLVM wasm2obj was built with, else clang-19. Words
** go into argv[0..]; returns their count (at most max), 0 if none. */
static int driver_words(char *buf, size_t size, char **argv, int max) {
  const char *env = getenv("WRT_CC");
  if (env && *env)
    snprintf(buf, size, "%s", env);
  else
    w2o_llvm_tool("clang", buf, size);
  int n = 0;
  for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w && n < max;
       w = strtok_r(NULL, " \t", &save))
    argv[n++] = w;
  return n;
}

/* gcc finds `ld.lld` for -fuse-ld=lld only on its program path: point it at
** the LLVM that wasm2obj was built with (clang finds its own). */
static bool needs_lld_path(const char *driver) {
  const char *base = strrchr(driver, '/');
  base = base ? base + 1 : driver;
  return strncmp(base, "clang", 5) != 0;
}

int w2o_run(char *const *argv, bool verbose) {
  if (verbose) {
    for (int i = 0; argv[i]; i++)
      fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
    fputc('\n', stderr);
  }
  pid_t pid;
  int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  if (err) {
    fprintf(stderr, "wasm2obj: error: cannot run %s: %s\n", argv[0], strerror(err));
    return EXIT_IO;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return EXIT_IO;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "wasm2obj: error: %s failed\n", argv[0]);
    return EXIT_IO;
  }
  return EXIT_OK;
}

const char *w2o_llvm_tool(const char *tool, char *buf, size_t size) {
  int n = snprintf(buf, size, "%s/%s", WRT_LLVM_BINDIR, tool);
  if (n < 0 || (size_t)n >= size || access(buf, X_OK) != 0)
    snprintf(buf, size, "%s-19", tool); /* on PATH, Debian's name */
  return buf;
}

int w2o_link_exe(const w2o_link *l, const char *obj, const char *out) {
  char rt[PATH_MAX];
  if (!find_runtime(l, rt, sizeof rt)) {
    const char *ma = cg_target_multiarch(l->triple);
    fprintf(stderr,
            "wasm2obj: error: no runtime library for %s: %s not found (build it with "
            "`make TARGET=%s`, or pass --runtime=PATH)\n",
            ma ? ma : "this target", rt, ma ? ma : "TRIPLE");
    return EXIT_IO;
  }
  const char *ma = cg_target_multiarch(l->triple), *host = cg_target_multiarch(NULL);
  bool cross = ma && host && strcmp(ma, host) != 0;
  char target[128];
  snprintf(target, sizeof target, "--target=%s", ma ? ma : "");
  char *argv[48], words[1024];
  int n = driver_words(words, sizeof words, argv, 32);
  if (n == 0) {
    fprintf(stderr, "wasm2obj: error: WRT_CC is empty\n");
    return EXIT_USAGE;
  }
  if (needs_lld_path(argv[0]))
    argv[n++] = "-B" WRT_LLVM_BINDIR "/";
  if (cross)
    argv[n++] = target;
  if (cross || l->is_static)
    argv[n++] = "-static";
  argv[n++] = "-fuse-ld=lld";
  argv[n++] = (char *)(uintptr_t)obj;
  argv[n++] = rt;
  argv[n++] = "-lm";
  argv[n++] = "-o";
  argv[n++] = (char *)(uintptr_t)out;
  argv[n] = NULL;
  return w2o_run(argv, l->verbose);
}
