/*
** wasm2obj: the command-line compiler. Reads as the pipeline: map the input,
** decode, validate, codegen an object, then optionally write the typed header
** (wasm2obj_header.c) and link an executable (wasm2obj_link.c). Option
** parsing, progress and diagnostics printing live here; the work is in aotc/
** and codegen/. Exit codes: 0 ok, 1 bad input, 2 usage, 3 I/O or internal.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <llvm-c/Core.h>

#include "aotc.h"
#include "aotc_dump.h"
#include "cg.h"
#include "wasm2obj.h"
#include "wrt_abi.h"

#define WRT_VERSION "0.1.0"
/* Options baked into an executable (--dir, --env, --no-inherit-env). */
#define MAX_EXE_OPTS 256

typedef struct options {
  const char *input;
  const char *output;
  const char *header;
  uint32_t features;
  bool validate_only, dump, exe;
  int progress; /* -1 auto (a terminal), 0 off, 1 on */
  bool guard_requested;
  unsigned jobs; /* -j: threads for big modules (default: the online CPUs) */
  size_t shard_bytes; /* --shard-bytes (tests): 0 = CG_SHARD_BYTES */
  cg_options cg;
  w2o_link link;
  const char *exe_opts[MAX_EXE_OPTS + 1];
  uint32_t n_exe_opts;
  char name_buf[128];
} options;

static void usage(FILE *out) {
  fputs("usage: wasm2obj [options] input.wasm [-o out.o] [--header=out.h]\n"
        "       wasm2obj --exe [options] input.wasm -o program\n"
        "\n"
        "Compiles a WebAssembly module ahead of time into a native object file, or\n"
        "(--exe) a WASI command into a native executable.\n"
        "\n"
        "options:\n"
        "  --validate-only     decode and validate only; exit 0 if the module is valid\n"
        "                      (with --header: write the header, no object)\n"
        "  --dump              print the decoded module (sections, segments, instructions)\n"
        "  --features=LIST     comma-separated feature changes applied in order:\n"
        "                      all, none, default, NAME, +NAME, -NAME. Names:\n"
        "                      mutable-globals sign-extension saturating-float-to-int\n"
        "                      multi-value bulk-memory reference-types simd (default on);\n"
        "                      tail-call extended-const multi-memory memory64 (default off)\n"
        "  -o FILE             output object (default: the input with .o)\n"
        "  -O0 -O1 -O2 -O3     LLVM optimisation level (default -O2)\n"
        "  --bounds-checks=guard|explicit\n"
        "                      guard: 8 GiB reservation + guard pages, no checks (64-bit\n"
        "                      default); explicit: compiled checks on every access\n"
        "  --epoch-interruption  check whether the engine's epoch has reached the store's\n"
        "                      deadline at loop headers and entries of functions that\n"
        "                      call out, so that the\n"
        "                      embedder can stop or (on a fiber) pause running code\n"
        "                      from another thread (wrt_engine_increment_epoch)\n"
        "  --name=PREFIX       symbol prefix; the descriptor is PREFIX__module\n"
        "                      (default: the input file's stem, sanitised)\n"
        "  --target=TRIPLE     x86_64-linux-gnu, aarch64-linux-gnu, armv7-linux-gnueabihf\n"
        "                      (32-bit: explicit bounds checks), riscv64-linux-gnu\n"
        "                      (default: the host)\n"
        "  --cpu=NAME          LLVM CPU name (default per target, e.g. x86-64)\n"
        "  --cpu-features=LIST LLVM target features, e.g. +sse4.1,+avx2 (default per\n"
        "                      target; riscv64: +m,+a,+f,+d,+c)\n"
        "  -j N, --jobs=N      threads for modules with over 1 MiB of code, which are\n"
        "                      compiled in shards of ~1 MiB (default: the online CPUs;\n"
        "                      the object does not depend on N)\n"
        "  --shard-bytes=N     shard size in bytes of code (default 1048576; for tests)\n"
        "  --header=FILE       also write a C header with typed prototypes for the\n"
        "                      exports (direct calls, no trampoline) and imports\n"
        "\n"
        "executables:\n"
        "  --exe               link a native executable (-o FILE) that runs the module\n"
        "                      as a WASI command: args, environment, stdio, exit status\n"
        "  --dir=HOST[::GUEST] preopen directory HOST (resolved at run time, relative to\n"
        "                      the working directory) as GUEST (default: HOST)\n"
        "  --env=K=V           add an environment variable\n"
        "  --no-inherit-env    the program sees only --env variables (default: also the\n"
        "                      environment it is started with)\n"
        "  --runtime=FILE      the libwrt-rt.a to link (default: ../lib/libwrt-rt.a next to\n"
        "                      wasm2obj, ../lib/<multiarch>/libwrt-rt.a for cross targets)\n"
        "  -static             link statically (default for cross targets)\n"
        "  -v                  print the link command\n"
        "                      Linking runs $WRT_CC, else LLVM's clang, with -fuse-ld=lld.\n"
        "\n"
        "  --progress          show progress on stderr (default: only on a terminal)\n"
        "  --no-progress       never show progress\n"
        "  --debug             dump LLVM IR on internal verifier errors\n"
        "  --help              show this help\n"
        "  --version           show the version\n"
        "\n"
        "Diagnostics: FILE:0xOFFSET: error: MESSAGE (func N). Exit codes: 0 ok,\n"
        "1 malformed/invalid/unsupported input, 2 usage error, 3 I/O, link or internal\n"
        "error. Tail calls are validated but not compiled yet.\n",
        out);
}

static void version(void) {
  unsigned major, minor, patch;
  LLVMGetVersion(&major, &minor, &patch);
  printf("wasm2obj %s (LLVM %u.%u.%u)\n", WRT_VERSION, major, minor, patch);
}

/* Returns -1 to continue, or an exit code. */
/* The default prefix: the file stem with non-identifier characters as '_'. */
static void default_name(options *o) {
  const char *base = strrchr(o->input, '/');
  base = base ? base + 1 : o->input;
  size_t n = 0;
  for (const char *p = base; *p && *p != '.' && n + 1 < sizeof o->name_buf; p++, n++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    o->name_buf[n] = ok ? c : '_';
  }
  o->name_buf[n] = '\0';
  if (n == 0 || (o->name_buf[0] >= '0' && o->name_buf[0] <= '9')) {
    memmove(o->name_buf + 1, o->name_buf, n + 1 < sizeof o->name_buf - 1 ? n + 1 : sizeof o->name_buf - 2);
    o->name_buf[0] = '_';
  }
  o->cg.name = o->name_buf;
}

/* -j N: 1..256 threads. */
static unsigned parse_jobs(const char *text) {
  long n = strtol(text, NULL, 10);
  return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static int parse_cg_option(const char *a, options *o) {
  if (!strcmp(a, "-O0") || !strcmp(a, "-O1") || !strcmp(a, "-O2") || !strcmp(a, "-O3")) {
    o->cg.opt_level = a[2] - '0';
  } else if (!strcmp(a, "--bounds-checks=guard")) {
    o->cg.bounds_checks = WRT_BOUNDS_GUARD;
    o->guard_requested = true;
  } else if (!strcmp(a, "--bounds-checks=explicit")) {
    o->cg.bounds_checks = WRT_BOUNDS_EXPLICIT;
    o->guard_requested = false;
  } else if (!strcmp(a, "--epoch-interruption")) {
    o->cg.epoch_interruption = true;
  } else if (!strncmp(a, "--name=", 7) && a[7]) {
    o->cg.name = a + 7;
  } else if (!strncmp(a, "--target=", 9) && a[9]) {
    o->cg.triple = a + 9;
  } else if (!strncmp(a, "--cpu=", 6) && a[6]) {
    o->cg.cpu = a + 6;
  } else if (!strncmp(a, "--cpu-features=", 15)) {
    o->cg.cpu_features = a + 15;
  } else if (!strncmp(a, "--shard-bytes=", 14)) {
    long n = strtol(a + 14, NULL, 10);
    o->shard_bytes = n < 1 ? 1 : (size_t)n;
  } else if (!strcmp(a, "--debug")) {
    o->cg.debug = true;
  } else if ((!strncmp(a, "-j", 2) && a[2] >= '1' && a[2] <= '9') || !strncmp(a, "--jobs=", 7)) {
    o->jobs = parse_jobs(a + (a[1] == 'j' ? 2 : 7));
  } else {
    return 0;
  }
  return 1;
}

/* Options of --exe and --header; 0 if a is none of them, -1 on an error. */
static int parse_output_option(const char *a, options *o) {
  if (!strcmp(a, "--exe")) {
    o->exe = true;
  } else if (!strncmp(a, "--dir=", 6) || !strncmp(a, "--env=", 6) ||
             !strcmp(a, "--no-inherit-env")) {
    if ((a[2] == 'd' && !a[6]) || (a[2] == 'e' && !strchr(a + 6, '='))) {
      fprintf(stderr, "wasm2obj: error: %s: expected --dir=HOST[::GUEST] or --env=K=V\n", a);
      return -1;
    }
    if (o->n_exe_opts == MAX_EXE_OPTS) {
      fprintf(stderr, "wasm2obj: error: more than %d --dir/--env options\n", MAX_EXE_OPTS);
      return -1;
    }
    o->exe_opts[o->n_exe_opts++] = a;
  } else if (!strncmp(a, "--runtime=", 10) && a[10]) {
    o->link.runtime = a + 10;
  } else if (!strcmp(a, "-static")) {
    o->link.is_static = true;
  } else if (!strcmp(a, "-v")) {
    o->link.verbose = true;
  } else if (!strncmp(a, "--header=", 9) && a[9]) {
    o->header = a + 9;
  } else if (!strcmp(a, "--progress") || !strcmp(a, "--no-progress")) {
    o->progress = a[2] == 'p';
  } else {
    return 0;
  }
  return 1;
}

static int parse_args(int argc, char **argv, options *o) {
  o->features = aotc_features_default();
  cg_options_init(&o->cg);
  o->cg.name = NULL;
  o->progress = -1;
  int rc;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return EXIT_OK;
    } else if (!strcmp(a, "--version")) {
      version();
      return EXIT_OK;
    } else if (!strcmp(a, "--validate-only")) {
      o->validate_only = true;
    } else if (!strcmp(a, "--dump")) {
      o->dump = true;
    } else if (!strncmp(a, "--features=", 11)) {
      aotc_diag d;
      aotc_diag_init(&d);
      if (!aotc_features_parse(a + 11, &o->features, &d)) {
        fprintf(stderr, "wasm2obj: error: %s\n", d.msg);
        return EXIT_USAGE;
      }
    } else if (!strcmp(a, "-o") && i + 1 < argc) {
      o->output = argv[++i];
    } else if (!strcmp(a, "-j") && i + 1 < argc) {
      o->jobs = parse_jobs(argv[++i]);
    } else if (parse_cg_option(a, o)) {
      continue;
    } else if ((rc = parse_output_option(a, o)) != 0) {
      if (rc < 0)
        return EXIT_USAGE;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "wasm2obj: error: unknown option '%s' (see --help)\n", a);
      return EXIT_USAGE;
    } else if (o->input) {
      fprintf(stderr, "wasm2obj: error: more than one input file\n");
      return EXIT_USAGE;
    } else {
      o->input = a;
    }
  }
  if (!o->input) {
    fprintf(stderr, "wasm2obj: error: no input file (see --help)\n");
    return EXIT_USAGE;
  }
  if (o->exe && !o->output) {
    fprintf(stderr, "wasm2obj: error: --exe needs -o FILE\n");
    return EXIT_USAGE;
  }
  if (!o->exe && o->n_exe_opts) {
    fprintf(stderr, "wasm2obj: error: --dir, --env and --no-inherit-env need --exe\n");
    return EXIT_USAGE;
  }
  if (o->guard_requested && cg_target_pointer_bits(o->cg.triple) == 32) {
    fprintf(stderr, "wasm2obj: error: --bounds-checks=guard needs a 64-bit target (%s has no "
                    "room for 8 GiB reservations; it uses explicit checks)\n", o->cg.triple);
    return EXIT_USAGE;
  }
  if (!o->cg.name)
    default_name(o);
  o->cg.exe_main = o->exe;
  o->cg.exe_opts = o->exe_opts;
  o->link.triple = o->cg.triple;
  return -1;
}

/* Maps the input read-only; an empty file maps to an empty buffer. */
static int map_input(const char *path, const uint8_t **bytes, size_t *size) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    fprintf(stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return EXIT_IO;
  }
  *size = (size_t)st.st_size;
  *bytes = (const uint8_t *)"";
  if (*size) {
    void *p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      fprintf(stderr, "%s: error: cannot map: %s\n", path, strerror(errno));
      close(fd);
      return EXIT_IO;
    }
    *bytes = p;
  }
  close(fd);
  return EXIT_OK;
}

static int report(const aotc_diag *d, const char *file) {
  char buf[512];
  aotc_diag_format(d, file, buf, sizeof buf);
  fprintf(stderr, "%s\n", buf);
  switch (d->code) {
  case AOTC_EMALFORMED:
  case AOTC_EINVALID:
  case AOTC_EUNSUPPORTED:
  case AOTC_ELIMIT: return EXIT_BAD_INPUT;
  default: return EXIT_IO;
  }
}

/* ------------------------------------------------------------ progress */

typedef struct progress {
  struct timespec start, last;
  bool tty;
  int last_tenth; /* logs: one line per 10% */
} progress;

static double seconds_since(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static const char *phase_text(const char *phase) {
  return !strcmp(phase, "optimize") ? "optimizing" : !strcmp(phase, "emit") ? "writing the object" : phase;
}

/* On a terminal: one line rewritten at most 10 times a second. Elsewhere
** (with --progress): a line per 10% of the functions and per phase. */
static void show_progress(void *ctx, const char *phase, uint32_t done, uint32_t total) {
  progress *p = ctx;
  double elapsed = seconds_since(&p->start);
  bool lower = !strcmp(phase, "lower");
  if (p->tty) {
    if (lower && done != total && seconds_since(&p->last) < 0.1)
      return;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    if (lower)
      fprintf(stderr, "\rwasm2obj: %u/%u functions lowered (%.1f s)\033[K", done, total, elapsed);
    else
      fprintf(stderr, "\rwasm2obj: %s (%.1f s)\033[K", phase_text(phase), elapsed);
    return;
  }
  int tenth = total ? (int)((uint64_t)done * 10 / total) : 10;
  if (lower && tenth == p->last_tenth)
    return;
  p->last_tenth = tenth;
  if (lower)
    fprintf(stderr, "wasm2obj: %u/%u functions lowered (%.1f s)\n", done, total, elapsed);
  else
    fprintf(stderr, "wasm2obj: %s (%.1f s)\n", phase_text(phase), elapsed);
}

static void end_progress(const progress *p) {
  if (p->tty)
    fprintf(stderr, "\r\033[K");
  fprintf(stderr, "wasm2obj: done in %.1f s\n", seconds_since(&p->start));
}

/* ------------------------------------------------------------ --cpu, --cpu-features */

/* LLVM only warns about an unknown CPU or feature (and may then abort in
** code generation), with no way to ask beforehand through its C API. So a
** child process compiles an empty function with the user's choice, its
** stderr captured: a crash or any "not a recognized" line rejects it. */
static int check_cpu(const options *o) {
  static const uint8_t empty_func[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0,
                                       3, 2, 1, 0, 10, 4, 1, 2, 0, 11};
  if (!o->cg.cpu && !o->cg.cpu_features)
    return EXIT_OK;
  int fds[2];
  fflush(NULL);
  pid_t pid = pipe(fds) == 0 ? fork() : -1;
  if (pid < 0)
    return EXIT_OK; /* cannot check; compile anyway */
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    aotc_diag d;
    aotc_diag_init(&d);
    aotc_options aopt = {.features = aotc_features_default()};
    aotc_module *m = aotc_module_decode(empty_func, sizeof empty_func, &aopt, &d);
    cg_options cg = o->cg;
    cg.exe_main = false;
    cg.progress = NULL;
    bool ok = m && aotc_module_validate(m, &d) && cg_compile_object(m, &cg, "/dev/null", &d);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  char text[1024];
  size_t n = 0;
  ssize_t k;
  while ((k = read(fds[0], text + n, sizeof text - 1 - n)) > 0 || (k < 0 && errno == EINTR))
    n += k > 0 ? (size_t)k : 0;
  close(fds[0]);
  text[n] = '\0';
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    continue;
  bool rejected = strstr(text, "not a recognized") || !WIFEXITED(status) || WEXITSTATUS(status);
  if (!rejected)
    return EXIT_OK;
  char *nl = strchr(text, '\n');
  if (nl)
    *nl = '\0';
  fprintf(stderr, "wasm2obj: error: --cpu=%s --cpu-features=%s rejected by LLVM for this target: %s\n",
          o->cg.cpu ? o->cg.cpu : "(default)", o->cg.cpu_features ? o->cg.cpu_features : "(default)",
          text[0] ? text : "code generation failed");
  return EXIT_USAGE;
}

/* ------------------------------------------------------------ the pipeline */

static void default_output(const options *o, char *buf, size_t size) {
  const char *dot = strrchr(o->input, '.');
  size_t n = dot && !strchr(dot, '/') ? (size_t)(dot - o->input) : strlen(o->input);
  snprintf(buf, size, "%.*s.o", (int)n, o->input);
}

static bool name_is(aotc_name n, const char *s) {
  return n.len == strlen(s) && !memcmp(n.ptr, s, n.len);
}

/* --exe runs the module as a WASI command: it must export _start and import
** nothing but WASI (the executable has nothing else to link it with). */
static int check_command(const options *o, const aotc_module *m) {
  bool has_start = false;
  for (uint32_t i = 0; i < m->n_exports; i++)
    if (m->exports[i].kind == AOTC_EXTERN_FUNC && name_is(m->exports[i].name, "_start")) {
      const aotc_functype *ft = &m->types[m->func_types[m->exports[i].idx]];
      has_start = ft->n_params == 0 && ft->n_results == 0;
    }
  if (!has_start) {
    fprintf(stderr, "%s: error: --exe needs a WASI command: the module exports no "
                    "function _start () -> ()\n", o->input);
    return EXIT_BAD_INPUT;
  }
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *imp = &m->imports[i];
    if (!name_is(imp->module, "wasi_snapshot_preview1")) {
      fprintf(stderr, "%s:0x%zx: error: --exe provides only wasi_snapshot_preview1; "
                      "import %.*s.%.*s cannot be satisfied\n", o->input, imp->off,
              (int)imp->module.len, imp->module.ptr, (int)imp->name.len, imp->name.ptr);
      return EXIT_BAD_INPUT;
    }
  }
  return EXIT_OK;
}

/* Code generation, then for --exe the link step (through a temporary object
** that is always removed). */
static int emit(const options *o, const aotc_module *m) {
  char path[4096];
  const char *dir = getenv("TMPDIR");
  if (o->exe) {
    snprintf(path, sizeof path, "%s/wasm2obj-XXXXXX.o", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 2);
    if (fd < 0) {
      fprintf(stderr, "wasm2obj: error: cannot create a temporary file: %s\n", strerror(errno));
      return EXIT_IO;
    }
    close(fd);
  } else if (o->output) {
    snprintf(path, sizeof path, "%s", o->output);
  } else {
    default_output(o, path, sizeof path);
  }
  cg_options cg = o->cg;
  progress p = {.tty = isatty(2) == 1, .last_tenth = -1};
  clock_gettime(CLOCK_MONOTONIC, &p.start);
  if (o->progress == 1 || (o->progress == -1 && p.tty)) {
    cg.progress = show_progress;
    cg.progress_ctx = &p;
  }
  aotc_diag d;
  aotc_diag_init(&d);
  unsigned jobs = o->jobs;
  if (!jobs) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
  }
  int rc = w2o_compile(m, &cg, jobs, o->shard_bytes, path, &d);
  if (rc < 0)
    rc = report(&d, o->input);
  if (cg.progress)
    end_progress(&p);
  if (rc == EXIT_OK && o->exe)
    rc = w2o_link_exe(&o->link, path, o->output);
  if (o->exe)
    unlink(path);
  return rc;
}

static int compile(const options *o, const uint8_t *bytes, size_t size) {
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_options aopt = {.features = o->features};
  aotc_module *m = aotc_module_decode(bytes, size, &aopt, &d);
  if (!m)
    return report(&d, o->input);
  int rc = EXIT_OK;
  if (!aotc_module_validate(m, &d)) {
    rc = report(&d, o->input);
  } else if (o->dump) {
    if (!aotc_module_dump(m, stdout, &d))
      rc = report(&d, o->input);
  } else if (o->validate_only) {
    if (o->header) /* a header without an object: e.g. for a separate build step */
      rc = w2o_write_header(m, o->cg.name, o->input, o->header);
  } else {
    if (o->exe)
      rc = check_command(o, m);
    if (rc == EXIT_OK && o->header)
      rc = w2o_write_header(m, o->cg.name, o->input, o->header);
    if (rc == EXIT_OK)
      rc = emit(o, m);
  }
  aotc_module_free(m);
  return rc;
}

int main(int argc, char **argv) {
  options o = {0};
  int rc = parse_args(argc, argv, &o);
  if (rc >= 0)
    return rc;
  const uint8_t *bytes;
  size_t size;
  rc = check_cpu(&o);
  if (rc != EXIT_OK)
    return rc;
  rc = map_input(o.input, &bytes, &size);
  if (rc != EXIT_OK)
    return rc;
  rc = compile(&o, bytes, size);
  if (size)
    munmap((void *)(uintptr_t)bytes, size);
  return rc;
}
