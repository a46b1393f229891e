/*
** wast.h: internals shared by the spec runner's files. wrt-wast.c owns the
** command line, the script loop, the skip list and the front-end checks;
** wast_exec.c runs modules and actions in a wrt store; wast_value.c parses,
** compares and prints the script's values. Nothing here is a public API.
*/
#ifndef WAST_H
#define WAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "aotc.h"
#include "wrt.h"

#if defined(__GNUC__)
#define WAST_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WAST_PRINTF_LIKE(fmt, args)
#endif

typedef struct wast_options {
  const char *features; /* --features=SPEC, applied after the proposal feature, or NULL */
  const char *workdir;
  const char *suite;     /* --suite=DIR, or NULL */
  const char *skip_path; /* --skip=FILE, or NULL */
  int opt_level;         /* -O0..-O3, passed to cg_options.opt_level */
  int bounds_checks;     /* WRT_BOUNDS_GUARD, WRT_BOUNDS_EXPLICIT, or -1: cg's default */
  bool validate_only;    /* today's front-end checks only; no code generation */
  bool verbose;
  bool trace;       /* print each command before running it */
  bool no_fork;     /* run scripts in this process (for debuggers) instead of a child each */
  unsigned timeout; /* seconds per script in its child; 0 = none */
} wast_options;

/* Command kinds, for the per-kind totals of the summary. */
typedef enum wast_kind {
  WAST_MODULE,
  WAST_REGISTER,
  WAST_ACTION,
  WAST_ASSERT_RETURN,
  WAST_ASSERT_TRAP,
  WAST_ASSERT_EXHAUSTION,
  WAST_ASSERT_MALFORMED,
  WAST_ASSERT_INVALID,
  WAST_ASSERT_UNLINKABLE,
  WAST_ASSERT_UNINSTANTIABLE,
  WAST_OTHER, /* a command type the runner does not know */
  WAST_KIND_COUNT
} wast_kind;

typedef struct wast_count {
  unsigned long passed, failed, skipped;
} wast_count;

/*
** Counters for one file or the whole run. Every command that is checked ends
** in exactly one of passed/failed/skipped of its kind, so "P/T" compares like
** with like. na_text (text-format modules, the text parser's business) and
** not_run (execution commands under --validate-only) are outside P/T.
** file_failures counts scripts that could not be converted or loaded at all;
** each adds one failure to the final line but no check.
*/
typedef struct wast_tally {
  wast_count by_kind[WAST_KIND_COUNT];
  unsigned long na_text, not_run, mismatches, file_failures;
} wast_tally;

typedef struct wast_session wast_session;
typedef struct wast_skip wast_skip;
typedef struct wast_shared wast_shared;

/* Everything a command handler may need about the script being run. */
typedef struct wast_file {
  const wast_options *opt;
  const char *rel;      /* display name: path relative to the suite, or as given */
  const char *json_dir; /* directory holding the .json and its .wasm files */
  uint32_t features;
  wast_tally t;
  wast_session *exec;  /* the file's store and modules; NULL with --validate-only */
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

_Noreturn void wast_die_oom(void);
char *wast_printf(const char *fmt, ...) WAST_PRINTF_LIKE(1, 2);
void *wast_xrealloc(void *p, size_t n);

void wast_pass(wast_file *f, const wast_command *c);
void wast_fail(wast_file *f, const wast_command *c, const char *fmt, ...) WAST_PRINTF_LIKE(3, 4);
void wast_skipped(wast_file *f, const wast_command *c, const char *fmt, ...) WAST_PRINTF_LIKE(3, 4);
/* A message that differs from the script's wording although the outcome
** class is right: counted, and listed with -v. */
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

/* Runs argv[0] (PATH search) with stdout and stderr sent to `log`. Returns
** true on exit status 0; otherwise writes why into `why`. */
bool wast_spawn(const char *const *argv, const char *log, char *why, size_t why_size);
/* The first line of a log file (without the newline), or "" if none. */
void wast_log_first_line(const char *log, char *buf, size_t size);

/* ---------------------------------------------------------------- wast_exec.c */

/* The per-file store: NULL (after printing why) if the runtime cannot start. */
wast_session *wast_session_new(wast_file *f);
/* Frees the store, then closes every loaded module (their code and
** descriptors must outlive the instances). NULL is allowed. */
void wast_session_free(wast_session *s);
/* A `module` command was skipped: later actions on it are skipped too. */
void wast_session_module_skipped(wast_file *f, const wast_command *c);

void wast_exec_module(wast_file *f, const wast_command *c);
void wast_exec_register(wast_file *f, const wast_command *c);
void wast_exec_action(wast_file *f, const wast_command *c);
void wast_exec_assert_return(wast_file *f, const wast_command *c);
void wast_exec_assert_trap(wast_file *f, const wast_command *c);
void wast_exec_assert_exhaustion(wast_file *f, const wast_command *c);
void wast_exec_assert_unlinkable(wast_file *f, const wast_command *c);
void wast_exec_assert_uninstantiable(wast_file *f, const wast_command *c);

/* ---------------------------------------------------------------- wast_value.c */

/* Lane interpretation of a v128 in the script ("lane_type"). */
typedef enum wast_lane {
  WAST_LANE_NONE = 0,
  WAST_LANE_I8,
  WAST_LANE_I16,
  WAST_LANE_I32,
  WAST_LANE_I64,
  WAST_LANE_F32,
  WAST_LANE_F64
} wast_lane;

/* Float patterns an expected value may use instead of exact bits. */
typedef enum wast_nan {
  WAST_NAN_NONE = 0,
  WAST_NAN_CANONICAL, /* "nan:canonical": only the top mantissa bit set, either sign */
  WAST_NAN_ARITHMETIC /* "nan:arithmetic": any NaN with the top mantissa bit set */
} wast_nan;

/*
** One expected result. val.kind is always set; the rest refines it:
** nan[] per float lane (nan[0] for scalar f32/f64), any_ref for a non-null
** funcref of unknown identity, ref_n for messages, and has_value false when the script gives
** only the type (assert_trap's "expected").
*/
typedef struct wast_expected {
  wrt_val val;
  uint8_t lane; /* wast_lane, v128 only */
  uint8_t nan[4];
  bool any_ref;
  bool has_value;
  uint64_t ref_n; /* the script's number of an expected non-null externref */
} wast_expected;

/*
** The script's host references: `ref.extern N` is one wrt_externref per N per
** store, created on first use, so that identity is pointer equality.
** Invariant: v[i].n are distinct; the refs belong to `store`.
*/
typedef struct wast_ref_entry {
  uint64_t n;
  wrt_externref *ref;
} wast_ref_entry;

typedef struct wast_refs {
  wrt_store *store;
  wast_ref_entry *v;
  size_t len, cap;
} wast_refs;

void wast_refs_init(wast_refs *r, wrt_store *store);
void wast_refs_fini(wast_refs *r);

/* Parses an argument ({"type", "value"[, "lane_type"]}) into a value. */
bool wast_value_parse(json_object *o, wast_refs *refs, wrt_val *out, char *why, size_t why_size);
/* Parses an expected result; NaN patterns and non-null funcrefs are allowed. */
bool wast_expected_parse(json_object *o, wast_refs *refs, wast_expected *out, char *why,
                         size_t why_size);
bool wast_expected_matches(const wast_expected *e, const wrt_val *v);
/* "i32:0x0000002a (42)", "f32:nan:canonical", "v128:i16x8[...]", "externref:3", ... */
void wast_expected_format(const wast_expected *e, char *buf, size_t size);
/* Formats v; a v128 is shown with the lanes of `lane` (i32 lanes if NONE). */
void wast_value_format(const wrt_val *v, wast_lane lane, const wast_refs *refs, char *buf,
                       size_t size);
const char *wast_kind_name(uint8_t kind);

#endif
