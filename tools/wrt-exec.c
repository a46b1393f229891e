/*
** wrt-exec.c: the spec runner's executor, for running a script's compiled
** modules where they can run: wrt-wast --target=TRIPLE compiles and links on
** the host and starts this program (built for TRIPLE) under qemu-user. It
** depends on libc and libwrt-rt only; commands run through wast_exec.c, the
** same code wrt-wast uses in its own process. It never compiles anything.
**
**   wrt-exec [-v] [--trace] [--timeout=SECONDS] [--status=FILE] SCRIPT
**
** SCRIPT is one command per line; blank lines and lines starting with '#'
** are ignored. LINE is the command's line in the .wast file, for messages.
** A STRING is "-" (absent) or double-quoted, with every byte below 0x20 or
** above 0x7e, '"' and '\' written as \XX (two lower-case hex digits).
** Relative shared-object paths are relative to SCRIPT's directory.
**
**   script STRING                      the .wast display name, for messages
**   module LINE NAME SO PREFIX         dlopen SO, instantiate PREFIX__module;
**                                      it becomes current, and NAME's if given
**   module_failed LINE NAME            the host could not build this module
**   module_skipped LINE NAME           the host's skip list skipped it
**   register LINE NAME AS              exports of NAME (or current) as AS
**   action LINE ACTION
**   assert_return LINE ACTION => VALUE...
**   assert_trap LINE TEXT ACTION       also assert_exhaustion
**   assert_trap LINE TEXT module SO PREFIX   also assert_uninstantiable,
**                                      assert_unlinkable: instantiation fails
**   ACTION := invoke MODULE FIELD VALUE... | get MODULE FIELD
**
** NAME, AS, SO, PREFIX, TEXT, MODULE and FIELD are STRINGs (NAME and MODULE
** may be "-": the current module). A VALUE is TYPE:BITS with BITS the
** unsigned decimal of the bit pattern (i32:4294967295, f32:1065353216),
** v128:LANE:L0,L1,... (v128:i16:1,2,3,4,5,6,7,8), funcref:null,
** externref:null or externref:N; expected results may also be
** f32:nan:canonical, f64:nan:arithmetic (also as v128 lanes), a bare TYPE
** (any value) and funcref:N (any non-null function). Example:
**
**   script "i32.wast"
**   module 3 - "0.so" "m0"
**   assert_return 100 invoke - "add" i32:1 i32:1 => i32:2
**   assert_trap 120 "integer divide by zero" invoke - "div_s" i32:1 i32:0
**
** Output: a "rel:LINE: FAIL type: why" line per failure (and with -v skips,
** message mismatches and spectest prints), then "N passed, N failed[, N
** skipped]". With --status=FILE the counts go to FILE instead (wast_status,
** kept current around every command, for wrt-wast) and no summary is printed.
** Exit status: 0 if nothing failed, 1 otherwise, 2 on a usage or I/O error.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wast_exec.h"

typedef struct exec_options {
  bool verbose;
  bool trace;
  unsigned timeout; /* seconds per command; 0 = none */
  const char *status_path;
  const char *script;
} exec_options;

static void usage(FILE *out) {
  fputs("usage: wrt-exec [-v] [--trace] [--timeout=SECONDS] [--status=FILE] SCRIPT\n"
        "  Runs a spec script that wrt-wast --target converted and compiled: see the\n"
        "  command format at the top of tools/wrt-exec.c.\n",
        out);
}

static bool parse_args(int argc, char **argv, exec_options *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-v") == 0) {
      o->verbose = true;
    } else if (strcmp(a, "--trace") == 0) {
      o->trace = true;
    } else if (strncmp(a, "--timeout=", 10) == 0) {
      char *end;
      unsigned long v = strtoul(a + 10, &end, 10);
      if (a[10] < '0' || a[10] > '9' || *end || v > 86400)
        return false;
      o->timeout = (unsigned)v;
    } else if (strncmp(a, "--status=", 9) == 0 && a[9]) {
      o->status_path = a + 9;
    } else if (a[0] != '-' && !o->script) {
      o->script = a;
    } else {
      return false;
    }
  }
  return o->script != NULL;
}

/* The directory part of path ("." if none), malloc'd. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return wast_printf(".");
  if (slash == path)
    return wast_printf("/");
  return wast_printf("%.*s", (int)(slash - path), path);
}

typedef struct exec_state {
  const exec_options *o;
  wast_report r;
  wast_status st;
  int status_fd; /* -1 without --status */
  bool io_error;
} exec_state;

static void status_update(exec_state *x) {
  if (x->status_fd < 0 || x->io_error)
    return;
  x->st.t = x->r.t;
  if (!wast_status_write(x->status_fd, &x->st)) {
    fprintf(stderr, "wrt-exec: cannot write %s: %s\n", x->o->status_path, strerror(errno));
    x->io_error = true;
  }
}

/* One command line: the status names it while it runs, so that a crash or
** SIGALRM (the default action ends the process) is pinned to it. */
static void run_line(exec_state *x, wast_session *s, char *line) {
  wast_cmd c = {.type = "command", .line = 0, .kind = WAST_OTHER};
  wast_line_peek(line, &c); /* a malformed line keeps c as it is, and fails when run */
  x->st.current = c;
  status_update(x);
  if (x->o->trace) {
    printf("%s:%d: %s\n", x->r.rel, c.line, c.type);
    fflush(stdout);
  }
  alarm(x->o->timeout);
  wast_session_exec(s, line);
  alarm(0);
  x->st.current.line = 0;
  status_update(x);
}

/* Runs every line of fp in one session; false on a read error. */
static bool run_script(exec_state *x, FILE *fp, char **rel) {
  char *dir = dir_of(x->o->script);
  wast_session *s = NULL;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  bool ok = true;
  while (ok && (len = getline(&line, &cap, fp)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = 0;
    if (len == 0 || line[0] == '#')
      continue;
    char *name;
    if (wast_line_script(line, &name)) {
      free(*rel);
      x->r.rel = *rel = wast_printf("%s", name);
      continue;
    }
    /* The store is made on the first command, once the name is known. */
    if (!s && !(s = wast_session_new(&x->r, dir, false)))
      ok = false;
    else
      run_line(x, s, line);
  }
  if (ferror(fp)) {
    fprintf(stderr, "wrt-exec: reading %s: %s\n", x->o->script, strerror(errno));
    ok = false;
  }
  wast_session_free(s);
  free(line);
  free(dir);
  return ok;
}

int main(int argc, char **argv) {
  /* Whole lines reach the log even if compiled code takes the process down. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  exec_options o = {0};
  if (!parse_args(argc, argv, &o)) {
    usage(stderr);
    return 2;
  }
  FILE *fp = fopen(o.script, "r");
  if (!fp) {
    fprintf(stderr, "wrt-exec: cannot open %s: %s\n", o.script, strerror(errno));
    return 2;
  }
  char *rel = wast_printf("%s", o.script);
  exec_state x = {.o = &o, .r = {.rel = rel, .verbose = o.verbose}, .status_fd = -1};
  if (o.status_path) {
    x.status_fd = open(o.status_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (x.status_fd < 0) {
      fprintf(stderr, "wrt-exec: cannot create %s: %s\n", o.status_path, strerror(errno));
      fclose(fp);
      free(rel);
      return 2;
    }
  }
  bool ok = run_script(&x, fp, &rel);
  fclose(fp);
  x.st.done = ok;
  status_update(&x);
  if (x.status_fd >= 0 && close(x.status_fd) != 0)
    x.io_error = true;
  wast_count sum = wast_tally_sum(&x.r.t);
  if (x.status_fd < 0) {
    printf("%lu passed, %lu failed", sum.passed, sum.failed);
    if (sum.skipped)
      printf(", %lu skipped", sum.skipped);
    putchar('\n');
  }
  free(rel);
  fflush(stdout);
  if (!ok || x.io_error)
    return 2;
  return sum.failed ? 1 : 0;
}
