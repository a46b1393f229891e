/*
** wast.h: the host side of the spec runner. wrt-wast.c owns the command
** line, the script loop, the skip list and the front-end checks;
** wast_convert.c turns each JSON command into a line of wrt-exec's command
** format (compiling and linking its modules) and hands it to the executor;
** wast_cross.c runs those lines on another target through wrt-exec under
** qemu-user. Executing lines is wast_exec.h's business, shared with
** wrt-exec. Nothing here is a public API.
*/
#ifndef WAST_H
#define WAST_H

#include <stdio.h>

#include <json-c/json.h>

#include "aotc.h"
#include "wast_exec.h"

typedef struct wast_options {
  const char *features; /* --features=SPEC, applied after the proposal feature, or NULL */
  const char *workdir;
  const char *suite;     /* --suite=DIR, or NULL */
  const char *skip_path; /* --skip=FILE, or NULL */
  const char *target;    /* --target=TRIPLE: compile for it, execute with wrt-exec; or NULL */
  const char *exec_path; /* --exec=PATH, else set by wast_cross_init: the wrt-exec to run */
  const char *qemu;      /* set by wast_cross_init: "qemu-aarch64", or NULL to run natively */
  const char *sysroot;   /* set by wast_cross_init: qemu's -L, the target's libraries */
  int opt_level;         /* -O0..-O3, passed to cg_options.opt_level */
  int bounds_checks;     /* WRT_BOUNDS_GUARD, WRT_BOUNDS_EXPLICIT, or -1: cg's default */
  bool pooling;          /* --allocator=pooling: the stores' engines pool their instances */
  bool epoch_interruption; /* --epoch-interruption: compile with epoch checks */
  bool validate_only;    /* today's front-end checks only; no code generation */
  bool verbose;
  bool trace;       /* print each command before running it */
  bool no_fork;     /* run scripts in this process (for debuggers) instead of a child each */
  unsigned timeout; /* seconds per command in a script's child (or wrt-exec); 0 = none */
} wast_options;

typedef struct wast_skip wast_skip;
typedef struct wast_shared wast_shared;

/*
** Everything a command handler may need about the script being run. When
** executing, exactly one of exec (in this process) and script (the command
** file for wrt-exec, with --target) is set; neither with --validate-only.
*/
typedef struct wast_file {
  const wast_options *opt;
  const char *rel;      /* display name: path relative to the suite, or as given */
  const char *json_dir; /* directory holding the .json, its .wasm files and our outputs */
  uint32_t features;
  wast_report rep;     /* counts and FAIL lines of this script (rep.rel == rel) */
  wast_session *exec;  /* the file's store and modules */
  FILE *script;        /* json_dir/exec.txt, for wrt-exec */
  unsigned n_modules;  /* names the next compiled module m<n>, files <n>.o and <n>.so */
  wast_skip **skips;   /* skip entries naming this file, NULL-terminated */
  wast_shared *shared; /* progress seen by the parent when running in a child, or NULL */
} wast_file;

/* One command of the script. type and line are checked before dispatch. */
typedef struct wast_command {
  json_object *obj; /* borrowed from the parsed script */
  const char *type;
  int line;
  wast_kind kind;
} wast_command;

/* ---------------------------------------------------------------- wrt-wast.c */

/* Outcomes of f's command c (wast_report_* with f->rep). */
void wast_pass(wast_file *f, const wast_command *c);
void wast_fail(wast_file *f, const wast_command *c, const char *fmt, ...) WAST_PRINTF_LIKE(3, 4);
void wast_skipped(wast_file *f, const wast_command *c, const char *fmt, ...) WAST_PRINTF_LIKE(3, 4);
void wast_mismatch(wast_file *f, const wast_command *c, const char *want, const char *got);

/* A string field the handler cannot do without; a missing one is a counted failure. */
const char *wast_need_string(wast_file *f, const wast_command *c, json_object *obj,
                             const char *key);
/* Whether an assertion's module is binary; text modules are counted n/a. */
bool wast_module_is_binary(wast_file *f, const wast_command *c);

/* Reads, decodes and validates the script's module `filename`. On success the
** caller owns *bytes and *m (free the module first: it borrows the bytes). */
bool wast_load_module(const wast_file *f, const char *filename, uint8_t **bytes, aotc_module **m,
                      aotc_diag *d);

/* Runs argv[0] (PATH search) with stdout and stderr sent to `log`, or
** inherited when log is NULL. Returns true on exit status 0; otherwise
** writes why into `why` and, if status is not NULL, the wait status there. */
bool wast_spawn(const char *const *argv, const char *log, int *status, char *why, size_t why_size);
/* The first line of a log file (without the newline), or "" if none. */
void wast_log_first_line(const char *log, char *buf, size_t size);
/* How a child ended: "was killed by signal 11 (Segmentation fault)",
** "exited with status 1", "timed out (over 120 s)" for SIGALRM. */
void wast_describe_status(const wast_options *opt, int status, char *buf, size_t n);

/* ---------------------------------------------------------------- wast_convert.c */

/* The execution handlers of the dispatch table: each converts its command
** and passes it to the executor (wast_emit). */
void wast_exec_module(wast_file *f, const wast_command *c);
void wast_exec_register(wast_file *f, const wast_command *c);
void wast_exec_action(wast_file *f, const wast_command *c);
void wast_exec_assert_return(wast_file *f, const wast_command *c);
void wast_exec_assert_trap(wast_file *f, const wast_command *c);
void wast_exec_assert_exhaustion(wast_file *f, const wast_command *c);
void wast_exec_assert_unlinkable(wast_file *f, const wast_command *c);
void wast_exec_assert_uninstantiable(wast_file *f, const wast_command *c);
/* A `module` command was skipped: later actions on it are skipped too. */
void wast_module_skipped(wast_file *f, const wast_command *c);

/* ---------------------------------------------------------------- wast_cross.c */

/* Checks --target and sets opt->exec_path (unless given), qemu and sysroot;
** false (after printing why) if the run cannot work. Call once, first. */
bool wast_cross_init(wast_options *opt);
/* Opens f->script (json_dir/exec.txt) for the script's commands; false
** after printing a FAIL line. */
bool wast_cross_begin(wast_file *f);
/* Closes f->script, runs it with wrt-exec and adds its counts to f->rep
** (a crash or timeout there is one failure at its command). False, after
** printing why, if wrt-exec did not run at all. */
bool wast_cross_finish(wast_file *f);

#endif
