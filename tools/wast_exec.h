/*
** wast_exec.h: the execution half of the spec runner, shared by wrt-wast (in
** its own process) and wrt-exec (on a cross target, under qemu-user). It
** depends on libc and libwrt-rt only: no json-c, no LLVM, no aotc, so that it
** cross-compiles with the runtime. wast_exec.c runs the command lines that
** wrt-exec.c's header documents, in one store per script; wast_value.c reads,
** compares and prints values; wast_report.c counts and prints outcomes and
** keeps the status file. Nothing here is a public API.
*/
#ifndef WAST_EXEC_H
#define WAST_EXEC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrt.h"

#if defined(__GNUC__)
#define WAST_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WAST_PRINTF_LIKE(fmt, args)
#endif

/* ---------------------------------------------------------------- wast_report.c */

_Noreturn void wast_die_oom(void);
char *wast_printf(const char *fmt, ...) WAST_PRINTF_LIKE(1, 2);
void *wast_xrealloc(void *p, size_t n);

/* A growable NUL-terminated string; {0} is empty. */
typedef struct wast_buf {
  char *p;
  size_t len, cap;
} wast_buf;

void wast_buf_add(wast_buf *b, const char *fmt, ...) WAST_PRINTF_LIKE(2, 3);
void wast_buf_fini(wast_buf *b);

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

/* The script's command names ("assert_return"), in wast_kind order. */
extern const char *const wast_kind_names[WAST_KIND_COUNT];

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

void wast_tally_add(wast_tally *into, const wast_tally *t);
wast_count wast_tally_sum(const wast_tally *t);

/* Where one script's outcomes go: counted in t, printed as "rel:LINE: FAIL ...". */
typedef struct wast_report {
  const char *rel; /* the script's display name */
  bool verbose;    /* also print skips, message mismatches and spectest prints */
  wast_tally t;
} wast_report;

/* The command an outcome belongs to. */
typedef struct wast_cmd {
  const char *type; /* as the script spells it: "assert_return" */
  int line;         /* in the .wast file */
  wast_kind kind;
} wast_cmd;

void wast_report_pass(wast_report *r, const wast_cmd *c);
void wast_report_fail(wast_report *r, const wast_cmd *c, const char *fmt, ...)
    WAST_PRINTF_LIKE(3, 4);
void wast_report_vfail(wast_report *r, const wast_cmd *c, const char *fmt, va_list ap);
void wast_report_skipped(wast_report *r, const wast_cmd *c, const char *fmt, ...)
    WAST_PRINTF_LIKE(3, 4);
void wast_report_vskipped(wast_report *r, const wast_cmd *c, const char *fmt, va_list ap);
/* A message that differs from the script's wording although the outcome
** class is right: counted, and listed with -v. */
void wast_report_mismatch(wast_report *r, const wast_cmd *c, const char *want, const char *got);

/*
** The status file wrt-exec keeps for wrt-wast: the counts so far and the
** command in progress, rewritten around every command, so that a crash or a
** timeout on the target costs one failure at a known line rather than the
** script's results. The layout is fixed-width little-endian words, the same
** for every target. `current` has line 0 between commands; `done` is set
** once the whole script ran.
*/
typedef struct wast_status {
  wast_tally t; /* by_kind and mismatches only */
  wast_cmd current;
  bool done;
} wast_status;

/* Writes s at the start of fd; false (errno set) on an I/O error. */
bool wast_status_write(int fd, const wast_status *s);
/* Reads a status file; false if it is missing, short or not one. current.type
** points into wast_kind_names. */
bool wast_status_read(const char *path, wast_status *s);

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

/*
** One value of the script, an argument or an expected result. val.kind is
** always set; the rest refines it: nan[] per float lane (nan[0] for scalar
** f32/f64), any_ref for a non-null funcref of unknown identity, has_ref_n
** for `ref.extern ref_n` (val.of.externref is that reference once resolved
** in a store), and has_value false when the script gives only the type.
*/
typedef struct wast_expected {
  wrt_val val;
  uint8_t lane; /* wast_lane, v128 only */
  uint8_t nan[4];
  bool any_ref;
  bool has_value;
  bool has_ref_n;
  uint64_t ref_n;
} wast_expected;

/*
** Parses a value token of the command format: "TYPE:BITS" with BITS the
** unsigned decimal of the bit pattern (as wast2json writes it),
** "v128:LANE:L0,L1,...", "funcref:null", "externref:N", and where `patterns`
** allows (expected results only) "f32:nan:canonical", a bare "TYPE" and a
** non-null funcref of any identity. With refs, `ref.extern N` is resolved
** to the store's reference; with NULL it is only checked (wrt-wast does
** that before sending a value to wrt-exec).
*/
bool wast_value_decode(const char *tok, bool patterns, wast_refs *refs, wast_expected *out,
                       char *why, size_t why_size);
bool wast_expected_matches(const wast_expected *e, const wrt_val *v);
/* "i32:0x0000002a (42)", "f32:nan:canonical", "v128:i16x8[...]", "externref:3", ... */
void wast_expected_format(const wast_expected *e, char *buf, size_t size);
/* Formats v; a v128 is shown with the lanes of `lane` (i32 lanes if NONE). */
void wast_value_format(const wrt_val *v, wast_lane lane, const wast_refs *refs, char *buf,
                       size_t size);
const char *wast_kind_name(uint8_t kind);

/* ---------------------------------------------------------------- wast_exec.c */

typedef struct wast_session wast_session;

/* The per-script store with the spectest module, reporting into r (which
** must outlive the session); relative shared-object paths of module
** commands are resolved against dir. With `pooling`, the engine uses the
** pooling allocator with the limits of wast_pool_limits. NULL (after printing
** why) if the runtime cannot start. */
wast_session *wast_session_new(wast_report *r, const char *dir, bool pooling);
/* Frees the store, then closes every loaded module (their code and
** descriptors must outlive the instances). NULL is allowed. */
void wast_session_free(wast_session *s);

/* The command a line holds (type, line, kind), without running it; false if
** the line does not start with a command name and a line number. */
bool wast_line_peek(const char *text, wast_cmd *c);
/* Whether text is a "script STRING" line; if so, *name is the display
** name, unquoted in place. Other lines are left alone. */
bool wast_line_script(char *text, char **name);
/* Runs one line of the command format (no newline). The text is modified:
** strings are unquoted in place. Malformed lines are counted failures. */
void wast_session_exec(wast_session *s, char *text);
/* Appends s[0..len) (any bytes) as a quoted string of the command format. */
void wast_buf_quote(wast_buf *b, const char *s, size_t len);

#endif
