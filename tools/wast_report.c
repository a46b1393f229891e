/*
** wast_report.c: what wrt-wast and wrt-exec share besides running commands:
** allocation helpers, a string builder, the outcome counters and their
** "rel:LINE: FAIL type: ..." lines, and the status file through which
** wrt-exec hands its counts to wrt-wast. It runs nothing and parses no
** script (wast_exec.c, and wrt-wast.c for the JSON scripts).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wast_exec.h"

/* ---------------------------------------------------------------- allocation */

_Noreturn void wast_die_oom(void) {
  /* A test runner cannot do anything useful without memory; there is no caller to report to. */
  fputs("wrt-wast: out of memory\n", stderr);
  exit(1);
}

void *wast_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q)
    wast_die_oom();
  return q;
}

char *wast_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    wast_die_oom();
  char *s = wast_xrealloc(NULL, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

void wast_buf_add(wast_buf *b, const char *fmt, ...) {
  for (;;) {
    /* Formats in place; a second round after growing is rare. */
    size_t room = b->cap - b->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0)
      wast_die_oom();
    if ((size_t)n < room) {
      b->len += (size_t)n;
      return;
    }
    size_t need = b->len + (size_t)n + 1;
    b->cap = need > 2 * b->cap ? (need > 64 ? need : 64) : 2 * b->cap;
    b->p = wast_xrealloc(b->p, b->cap);
  }
}

void wast_buf_fini(wast_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------- outcomes */

const char *const wast_kind_names[WAST_KIND_COUNT] = {
    [WAST_MODULE] = "module",
    [WAST_REGISTER] = "register",
    [WAST_ACTION] = "action",
    [WAST_ASSERT_RETURN] = "assert_return",
    [WAST_ASSERT_TRAP] = "assert_trap",
    [WAST_ASSERT_EXHAUSTION] = "assert_exhaustion",
    [WAST_ASSERT_MALFORMED] = "assert_malformed",
    [WAST_ASSERT_INVALID] = "assert_invalid",
    [WAST_ASSERT_UNLINKABLE] = "assert_unlinkable",
    [WAST_ASSERT_UNINSTANTIABLE] = "assert_uninstantiable",
    [WAST_OTHER] = "other",
};

void wast_tally_add(wast_tally *into, const wast_tally *t) {
  for (int k = 0; k < WAST_KIND_COUNT; k++) {
    into->by_kind[k].passed += t->by_kind[k].passed;
    into->by_kind[k].failed += t->by_kind[k].failed;
    into->by_kind[k].skipped += t->by_kind[k].skipped;
  }
  into->na_text += t->na_text;
  into->not_run += t->not_run;
  into->mismatches += t->mismatches;
  into->file_failures += t->file_failures;
}

wast_count wast_tally_sum(const wast_tally *t) {
  wast_count sum = {0, 0, 0};
  for (int k = 0; k < WAST_KIND_COUNT; k++) {
    sum.passed += t->by_kind[k].passed;
    sum.failed += t->by_kind[k].failed;
    sum.skipped += t->by_kind[k].skipped;
  }
  return sum;
}

void wast_report_pass(wast_report *r, const wast_cmd *c) {
  r->t.by_kind[c->kind].passed++;
}

void wast_report_vfail(wast_report *r, const wast_cmd *c, const char *fmt, va_list ap) {
  r->t.by_kind[c->kind].failed++;
  printf("%s:%d: FAIL %s: ", r->rel, c->line, c->type);
  vprintf(fmt, ap);
  putchar('\n');
}

void wast_report_fail(wast_report *r, const wast_cmd *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wast_report_vfail(r, c, fmt, ap);
  va_end(ap);
}

void wast_report_vskipped(wast_report *r, const wast_cmd *c, const char *fmt, va_list ap) {
  r->t.by_kind[c->kind].skipped++;
  if (!r->verbose)
    return;
  printf("%s:%d: skipped %s: ", r->rel, c->line, c->type);
  vprintf(fmt, ap);
  putchar('\n');
}

void wast_report_skipped(wast_report *r, const wast_cmd *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wast_report_vskipped(r, c, fmt, ap);
  va_end(ap);
}

void wast_report_mismatch(wast_report *r, const wast_cmd *c, const char *want, const char *got) {
  r->t.mismatches++;
  if (r->verbose)
    printf("%s:%d: message mismatch: expected \"%s\", got \"%s\"\n", r->rel, c->line, want, got);
}

/* ---------------------------------------------------------------- status file */

/* Word indexes: a magic number, then the fields, then 3 counts per kind. */
enum {
  ST_MAGIC,
  ST_DONE,
  ST_LINE,
  ST_KIND,
  ST_MISMATCHES,
  ST_COUNTS,
  ST_WORDS = ST_COUNTS + 3 * WAST_KIND_COUNT
};
static const uint64_t status_magic = UINT64_C(0x3174617473657277); /* "wrtstat1" */

bool wast_status_write(int fd, const wast_status *s) {
  uint64_t w[ST_WORDS] = {0};
  w[ST_MAGIC] = status_magic;
  w[ST_DONE] = s->done;
  w[ST_LINE] = (uint64_t)(s->current.line > 0 ? s->current.line : 0);
  w[ST_KIND] = (uint64_t)s->current.kind;
  w[ST_MISMATCHES] = s->t.mismatches;
  for (int k = 0; k < WAST_KIND_COUNT; k++) {
    w[ST_COUNTS + 3 * k] = s->t.by_kind[k].passed;
    w[ST_COUNTS + 3 * k + 1] = s->t.by_kind[k].failed;
    w[ST_COUNTS + 3 * k + 2] = s->t.by_kind[k].skipped;
  }
  unsigned char bytes[8 * ST_WORDS];
  for (size_t i = 0; i < 8 * ST_WORDS; i++)
    bytes[i] = (unsigned char)(w[i / 8] >> (8 * (i % 8)));
  ssize_t n = pwrite(fd, bytes, sizeof bytes, 0);
  if (n >= 0 && (size_t)n != sizeof bytes)
    errno = EIO;
  return n >= 0 && (size_t)n == sizeof bytes;
}

bool wast_status_read(const char *path, wast_status *s) {
  memset(s, 0, sizeof *s);
  unsigned char bytes[8 * ST_WORDS];
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, bytes, sizeof bytes);
  close(fd);
  if (n != (ssize_t)sizeof bytes)
    return false;
  uint64_t w[ST_WORDS] = {0};
  for (size_t i = 0; i < 8 * ST_WORDS; i++)
    w[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
  if (w[ST_MAGIC] != status_magic || w[ST_KIND] >= WAST_KIND_COUNT || w[ST_LINE] > INT32_MAX)
    return false;
  s->done = w[ST_DONE] != 0;
  s->current.line = (int)w[ST_LINE];
  s->current.kind = (wast_kind)w[ST_KIND];
  s->current.type = wast_kind_names[s->current.kind];
  s->t.mismatches = (unsigned long)w[ST_MISMATCHES];
  for (int k = 0; k < WAST_KIND_COUNT; k++) {
    s->t.by_kind[k].passed = (unsigned long)w[ST_COUNTS + 3 * k];
    s->t.by_kind[k].failed = (unsigned long)w[ST_COUNTS + 3 * k + 1];
    s->t.by_kind[k].skipped = (unsigned long)w[ST_COUNTS + 3 * k + 2];
  }
  return true;
}
