/*
** t.h: the single-header unit-test harness. Test files put their cases in a
** static table of {name, fn}; one file per binary defines T_IMPLEMENTATION
** before including this header and calls t_init() and t_run_suites() (or uses
** T_MAIN for a one-table binary).
**
** Checks are plain expressions that record a failure (with file:line) and
** evaluate to whether the check held. They never return or jump: a failing
** check lets the case go on, so its cleanup always runs. When later steps make
** no sense after a failure, say so explicitly: `if (!T_CHECK(m != NULL)) goto fail;`.
**
** A case that cannot run in this build (fault tests under ASan, say) calls
** t_skip(reason) and returns; it is then counted as skipped, not passed.
**
** Output: one line per failed check, a "FAIL name" line per failed case, and as
** the very last line exactly "N passed, M failed" (counting cases), or
** "N passed, M failed, K skipped" when cases were skipped. The exit
** status is 1 when any case failed. An optional argument selects the cases
** whose name contains it; "-v" also prints "ok name" for passing cases.
*/
#ifndef T_H
#define T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct t_case {
  const char *name;
  void (*fn)(void);
} t_case;

#define T_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* The check primitives; use the macros below. Each returns whether the check held. */
bool t_check_(bool ok, const char *file, int line, const char *expr);
bool t_eq_u64_(uint64_t a, uint64_t b, const char *file, int line, const char *ea, const char *eb);
bool t_eq_str_(const char *a, const char *b, const char *file, int line, const char *ea,
               const char *eb);
bool t_prefix_(const char *s, const char *prefix, const char *file, int line, const char *es);
bool t_contains_(const char *s, const char *needle, const char *file, int line, const char *es);
bool t_eq_mem_(const void *a, size_t alen, const void *b, size_t blen, const char *file, int line,
               const char *ea, const char *eb);
/* Records a failure with a free-form message (printf style). Always returns false. */
bool t_fail_(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#define T_CHECK(cond) t_check_(!!(cond), __FILE__, __LINE__, #cond)
#define T_EQ_U64(a, b) t_eq_u64_((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a, #b)
#define T_EQ_STR(a, b) t_eq_str_((a), (b), __FILE__, __LINE__, #a, #b)
/* s starts with prefix (NULL s fails). */
#define T_PREFIX(s, prefix) t_prefix_((s), (prefix), __FILE__, __LINE__, #s)
/* s contains needle (NULL s fails). */
#define T_CONTAINS(s, needle) t_contains_((s), (needle), __FILE__, __LINE__, #s)
/* Two byte ranges are equal, e.g. a borrowed name against a C string. */
#define T_EQ_MEM(a, alen, b, blen) t_eq_mem_((a), (alen), (b), (blen), __FILE__, __LINE__, #a, #b)
#define T_FAIL(...) t_fail_(__FILE__, __LINE__, __VA_ARGS__)

/* Marks the running case as skipped; `why` is printed under -v. A case with a
** failed check still counts as failed. */
void t_skip(const char *why);

/* A table exported by another file: `n` points at its length, so a static
** array of suites can be built from `extern const size_t x_n_cases;`. */
typedef struct t_suite {
  const t_case *cases;
  const size_t *n;
} t_suite;

/* Parses argv: "-v" and an optional case-name filter (substring). */
void t_init(int argc, char **argv);
/* Runs every selected case of every suite, prints the summary line and returns
** the exit status (0 or 1). */
int t_run_suites(const t_suite *suites, size_t n_suites);
/* The same for a binary with a single table. */
int t_run(const t_case *cases, size_t n);

#define T_MAIN(table)                                                                              \
  int main(int argc, char **argv) {                                                                \
    t_init(argc, argv);                                                                            \
    return t_run((table), T_COUNT(table));                                                         \
  }

/* ------------------------------------------------------------------ implementation */
#ifdef T_IMPLEMENTATION

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct {
  size_t passed, failed, skipped, planned, started;
  unsigned case_fails; /* failed checks in the running case */
  const char *skip_why; /* set by t_skip in the running case */
  const char *current; /* name of the running case */
  const char *filter;
  bool verbose;
} t_state;

static void t_note(const char *file, int line) {
  t_state.case_fails++;
  fprintf(stdout, "%s:%d: [%s] ", file, line, t_state.current ? t_state.current : "?");
}

bool t_check_(bool ok, const char *file, int line, const char *expr) {
  if (ok)
    return true;
  t_note(file, line);
  fprintf(stdout, "check failed: %s\n", expr);
  return false;
}

bool t_eq_u64_(uint64_t a, uint64_t b, const char *file, int line, const char *ea, const char *eb) {
  if (a == b)
    return true;
  t_note(file, line);
  fprintf(stdout, "%s == %s: got %llu (0x%llx), expected %llu (0x%llx)\n", ea, eb,
          (unsigned long long)a, (unsigned long long)a, (unsigned long long)b,
          (unsigned long long)b);
  return false;
}

bool t_eq_str_(const char *a, const char *b, const char *file, int line, const char *ea,
               const char *eb) {
  if (a && b && strcmp(a, b) == 0)
    return true;
  if (!a && !b)
    return true;
  t_note(file, line);
  fprintf(stdout, "%s == %s: got \"%s\", expected \"%s\"\n", ea, eb, a ? a : "(null)",
          b ? b : "(null)");
  return false;
}

bool t_prefix_(const char *s, const char *prefix, const char *file, int line, const char *es) {
  if (s && strncmp(s, prefix, strlen(prefix)) == 0)
    return true;
  t_note(file, line);
  fprintf(stdout, "%s: got \"%s\", expected a string starting with \"%s\"\n", es, s ? s : "(null)",
          prefix);
  return false;
}

bool t_contains_(const char *s, const char *needle, const char *file, int line, const char *es) {
  if (s && strstr(s, needle))
    return true;
  t_note(file, line);
  fprintf(stdout, "%s: got \"%s\", expected it to contain \"%s\"\n", es, s ? s : "(null)", needle);
  return false;
}

bool t_eq_mem_(const void *a, size_t alen, const void *b, size_t blen, const char *file, int line,
               const char *ea, const char *eb) {
  if (alen == blen && (alen == 0 || (a && b && memcmp(a, b, alen) == 0)))
    return true;
  t_note(file, line);
  fprintf(stdout, "%s == %s: got \"%.*s\" (%zu bytes), expected \"%.*s\" (%zu bytes)\n", ea, eb,
          a ? (int)alen : 0, a ? (const char *)a : "", alen, b ? (int)blen : 0,
          b ? (const char *)b : "", blen);
  return false;
}

bool t_fail_(const char *file, int line, const char *fmt, ...) {
  t_note(file, line);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
  return false;
}

void t_skip(const char *why) {
  t_state.skip_why = why ? why : "skipped";
}

/* A crash inside a case still ends the log with a summary line, counting the
** crashed case and every case not yet run as failed. Only async-signal-safe
** calls here. Sanitizers that install their own handlers take precedence. */
static void t_put(const char *s) {
  ssize_t r = write(STDOUT_FILENO, s, strlen(s));
  (void)r;
}

static void t_put_num(size_t v) {
  char buf[24];
  size_t i = sizeof buf;
  buf[--i] = '\0';
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  t_put(buf + i);
}

static void t_on_signal(int sig) {
  t_put("CRASH in case ");
  t_put(t_state.current ? t_state.current : "?");
  t_put(" (signal ");
  t_put_num((size_t)sig);
  t_put(")\n");
  t_put_num(t_state.passed);
  t_put(" passed, ");
  t_put_num(t_state.failed + 1 + (t_state.planned - t_state.started));
  t_put(" failed\n");
  _exit(1);
}

void t_init(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0)
      t_state.verbose = true;
    else
      t_state.filter = argv[i];
  }
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
  for (size_t i = 0; i < T_COUNT(sigs); i++) {
    struct sigaction old, sa;
    /* Leave a sanitizer's handler in place: its report is worth more. */
    if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
      continue;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = t_on_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigaction(sigs[i], &sa, NULL);
  }
}

static bool t_selected(const t_case *c) {
  return !t_state.filter || strstr(c->name, t_state.filter);
}

static void t_run_cases(const t_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!t_selected(&cases[i]))
      continue;
    t_state.started++;
    t_state.current = cases[i].name;
    t_state.case_fails = 0;
    t_state.skip_why = NULL;
    cases[i].fn();
    if (t_state.case_fails) {
      t_state.failed++;
      printf("FAIL %s\n", cases[i].name);
    } else if (t_state.skip_why) {
      t_state.skipped++;
      if (t_state.verbose)
        printf("skip %s: %s\n", cases[i].name, t_state.skip_why);
    } else {
      t_state.passed++;
      if (t_state.verbose)
        printf("ok %s\n", cases[i].name);
    }
    fflush(stdout);
    t_state.current = NULL;
  }
}

int t_run_suites(const t_suite *suites, size_t n_suites) {
  for (size_t s = 0; s < n_suites; s++)
    for (size_t i = 0; i < *suites[s].n; i++)
      t_state.planned += t_selected(&suites[s].cases[i]);
  for (size_t s = 0; s < n_suites; s++)
    t_run_cases(suites[s].cases, *suites[s].n);
  if (t_state.skipped)
    printf("%zu passed, %zu failed, %zu skipped\n", t_state.passed, t_state.failed,
           t_state.skipped);
  else
    printf("%zu passed, %zu failed\n", t_state.passed, t_state.failed);
  fflush(stdout);
  return t_state.failed ? 1 : 0;
}

int t_run(const t_case *cases, size_t n) {
  t_suite one = {cases, &n};
  return t_run_suites(&one, 1);
}

#endif /* T_IMPLEMENTATION */
#endif /* T_H */
