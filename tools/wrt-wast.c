/*
** wrt-wast.c: the spec-suite runner. It converts each .wast script with wabt's
** wast2json, reads the command list with json-c and runs it: modules are
** decoded, validated, compiled and linked, and every execution command becomes
** a line of wrt-exec's command format (wast_convert.c) that runs in this
** process (wast_exec.c, values in wast_value.c) or, with --target, on that
** target under qemu-user (wast_cross.c). This file owns the command line, the
** suite listing, the skip list, the per-command dispatch and the front-end
** checks (assert_malformed, assert_invalid, and everything under
** --validate-only). It does not parse the text format: that is wast2json's job.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wast.h"

extern char **environ;

/* Proposals whose tests run in --suite mode; each name is both a wast2json
** --enable-NAME flag and an aotc feature name. */
static const char *const suite_proposals[] = {"tail-call", "extended-const", "multi-memory",
                                              "memory64"};

/* Lines of a failing wast2json's log echoed to the output; the rest stays in the log. */
enum { LOG_ECHO_LINES = 10 };

/* Default optimisation level: -O1 keeps the suite fast while still running
** the passes that most often expose lowering bugs. */
enum { DEFAULT_OPT_LEVEL = 1 };

/* Seconds one command may run in a script's child before it counts as hung:
** far above the slowest command of the suite (seconds, also under ASan, but
** a code generator's quadratic pass has taken minutes before), low enough
** that a runaway loop in compiled code does not stall a suite run for long. */
enum { DEFAULT_TIMEOUT = 120 };

/* ---------------------------------------------------------------- small utilities */

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/*
** Reads a whole file into a malloc'd buffer with a terminating NUL (json-c needs
** one; the decoder ignores it because *size excludes it). A heap copy rather than
** mmap lets ASan catch a decoder reading past the end. Returns NULL with errno set.
*/
static uint8_t *read_file(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf)
    wast_die_oom();
  for (;;) {
    if (cap - len < 2) {
      cap *= 2;
      uint8_t *nbuf = realloc(buf, cap);
      if (!nbuf)
        wast_die_oom();
      buf = nbuf;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, fp);
    len += got;
    if (got == 0)
      break;
  }
  /* fread sets errno on a read error (EISDIR for a directory); keep it for the message. */
  int err = ferror(fp) ? (errno ? errno : EIO) : 0;
  fclose(fp);
  if (err) {
    free(buf);
    errno = err;
    return NULL;
  }
  buf[len] = 0;
  *size = len;
  return buf;
}

/* mkdir -p: creates every missing component of path. Returns false with errno set. */
static bool make_dirs(const char *path) {
  char *p = wast_printf("%s", path);
  bool ok = true;
  int err = 0;
  for (char *s = p + 1; ok; s++) {
    bool last = *s == 0;
    if (*s != '/' && !last)
      continue;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      err = errno;
      ok = false;
    }
    if (last)
      break;
    *s = '/';
  }
  free(p);
  errno = err;
  return ok;
}

/* Name of a file's directory under the workdir: the display path minus ".wast",
** with '/' replaced so that every script gets its own flat directory. */
static char *work_subdir(const char *rel) {
  while (rel[0] == '/' || (rel[0] == '.' && rel[1] == '/'))
    rel += rel[0] == '/' ? 1 : 2;
  char *s = wast_printf("%s", rel);
  if (has_suffix(s, ".wast"))
    s[strlen(s) - 5] = 0;
  for (char *c = s; *c; c++)
    if (*c == '/')
      *c = '_';
  if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
    free(s);
    s = wast_printf("_");
  }
  return s;
}

/* ---------------------------------------------------------------- outcomes */

/* The shared reporting functions, with the command as they know it. */
static wast_cmd cmd_of(const wast_command *c) {
  return (wast_cmd){.type = c->type, .line = c->line, .kind = c->kind};
}

void wast_pass(wast_file *f, const wast_command *c) {
  wast_cmd k = cmd_of(c);
  wast_report_pass(&f->rep, &k);
}

void wast_fail(wast_file *f, const wast_command *c, const char *fmt, ...) {
  wast_cmd k = cmd_of(c);
  va_list ap;
  va_start(ap, fmt);
  wast_report_vfail(&f->rep, &k, fmt, ap);
  va_end(ap);
}

void wast_skipped(wast_file *f, const wast_command *c, const char *fmt, ...) {
  wast_cmd k = cmd_of(c);
  va_list ap;
  va_start(ap, fmt);
  wast_report_vskipped(&f->rep, &k, fmt, ap);
  va_end(ap);
}

void wast_mismatch(wast_file *f, const wast_command *c, const char *want, const char *got) {
  wast_cmd k = cmd_of(c);
  wast_report_mismatch(&f->rep, &k, want, got);
}

const char *wast_need_string(wast_file *f, const wast_command *c, json_object *obj,
                             const char *key) {
  json_object *v;
  if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  wast_fail(f, c, "missing string field \"%s\"", key);
  return NULL;
}

/*
** Whether a module command's module is a binary we can check. wast2json writes
** "module_type" only on assertion commands; absent means binary. Text modules
** (assert_malformed of quoted text) exercise the text parser, not ours: n/a.
** Returns false after recording the outcome when there is nothing to check.
*/
bool wast_module_is_binary(wast_file *f, const wast_command *c) {
  json_object *v;
  if (!json_object_object_get_ex(c->obj, "module_type", &v))
    return true;
  const char *mt = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
  if (strcmp(mt, "binary") == 0)
    return true;
  if (strcmp(mt, "text") == 0) {
    f->rep.t.na_text++;
    return false;
  }
  wast_fail(f, c, "unknown module_type \"%s\"", mt);
  return false;
}

/* ---------------------------------------------------------------- front-end checks */

/*
** A failure without a diagnostic, or a diagnostic with a success return, is a
** front-end contract violation and is reported as AOTC_EINTERNAL rather than
** silently accepted.
*/
bool wast_load_module(const wast_file *f, const char *filename, uint8_t **bytes_out,
                      aotc_module **m_out, aotc_diag *d) {
  aotc_diag_init(d);
  *bytes_out = NULL;
  *m_out = NULL;
  char *path = wast_printf("%s/%s", f->json_dir, filename);
  size_t size = 0;
  uint8_t *bytes = read_file(path, &size);
  if (!bytes) {
    aotc_diag_set(d, AOTC_EIO, AOTC_NO_OFFSET, "cannot read %s: %s", path, strerror(errno));
    free(path);
    return false;
  }
  free(path);

  aotc_options opt = {.features = f->features};
  aotc_module *m = aotc_module_decode(bytes, size, &opt, d);
  bool ok = m != NULL && aotc_module_validate(m, d);
  if (!ok && d->code == AOTC_OK)
    aotc_diag_set(d, AOTC_EINTERNAL, AOTC_NO_OFFSET, "front end failed without a diagnostic");
  if (ok && d->code != AOTC_OK)
    ok = false;
  if (!ok) {
    aotc_module_free(m);
    free(bytes);
    return false;
  }
  *bytes_out = bytes;
  *m_out = m;
  return true;
}

/* Decodes and validates only; d explains a failure. */
static bool check_binary(const wast_file *f, const char *filename, aotc_diag *d) {
  uint8_t *bytes;
  aotc_module *m;
  if (!wast_load_module(f, filename, &bytes, &m, d))
    return false;
  aotc_module_free(m);
  free(bytes);
  return true;
}

/* --validate-only "module", assert_unlinkable, assert_uninstantiable: these
** modules are valid and only fail later, so they must decode and validate. */
static void run_valid_module(wast_file *f, const wast_command *c) {
  if (!wast_module_is_binary(f, c))
    return;
  const char *filename = wast_need_string(f, c, c->obj, "filename");
  if (!filename)
    return;
  aotc_diag d;
  if (check_binary(f, filename, &d)) {
    wast_pass(f, c);
    return;
  }
  char buf[512];
  aotc_diag_format(&d, filename, buf, sizeof buf);
  wast_fail(f, c, "expected a valid module, got %s", buf);
}

/*
** Shared by assert_malformed and assert_invalid: the module must be rejected with
** class `want`. The message is compared by prefix only, and a different wording
** is a "message mismatch" rather than a failure: the class is what the spec
** requires, the wording is a convention we follow as closely as we can. A
** rejection whose diagnostic has no byte offset fails: every decoding and
** validation error must point into the input.
*/
static void expect_rejection(wast_file *f, const wast_command *c, aotc_err want) {
  if (!wast_module_is_binary(f, c))
    return;
  const char *filename = wast_need_string(f, c, c->obj, "filename");
  const char *text = filename ? wast_need_string(f, c, c->obj, "text") : NULL;
  if (!text)
    return;
  aotc_diag d;
  if (check_binary(f, filename, &d)) {
    wast_fail(f, c, "module decoded and validated; expected %s \"%s\"", aotc_err_str(want), text);
    return;
  }
  char buf[512];
  aotc_diag_format(&d, filename, buf, sizeof buf);
  if (d.code != want) {
    wast_fail(f, c, "expected %s \"%s\", got %s", aotc_err_str(want), text, buf);
    return;
  }
  if (d.offset == AOTC_NO_OFFSET) {
    wast_fail(f, c, "diagnostic without a byte offset: %s", buf);
    return;
  }
  wast_pass(f, c);
  if (strncmp(d.msg, text, strlen(text)) != 0)
    wast_mismatch(f, c, text, d.msg);
}

static void run_assert_malformed(wast_file *f, const wast_command *c) {
  expect_rejection(f, c, AOTC_EMALFORMED);
}

static void run_assert_invalid(wast_file *f, const wast_command *c) {
  expect_rejection(f, c, AOTC_EINVALID);
}

/* ---------------------------------------------------------------- skip list */

/*
** One line of --skip=FILE: "relative/path.wast[:LINE]  reason". LINE 0 means
** the whole file. `used` is set when a command was skipped by the entry and
** `seen` when its file ran, so that stale entries can be reported.
*/
struct wast_skip {
  char *path;
  int line;
  char *reason;
  int src_line;
  bool used, seen;
};

typedef struct skip_list {
  wast_skip *v;
  size_t n, cap;
} skip_list;

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = 0;
  return s;
}

/* Parses one non-comment line into l; false (after printing why) if malformed. */
static bool skip_parse_line(const char *src, int lineno, char *line, skip_list *l) {
  size_t k = strcspn(line, " \t");
  char *reason = trim(line + k);
  line[k] = 0;
  if (!*reason) {
    fprintf(stderr, "wrt-wast: %s:%d: skip entry \"%s\" needs a reason\n", src, lineno, line);
    return false;
  }
  int at = 0;
  char *colon = strrchr(line, ':');
  if (colon && colon[1]) {
    char *end;
    long v = strtol(colon + 1, &end, 10);
    if (*end || v <= 0 || v > 1000000000) {
      fprintf(stderr, "wrt-wast: %s:%d: bad line number in \"%s\"\n", src, lineno, line);
      return false;
    }
    at = (int)v;
    *colon = 0;
  }
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->v = wast_xrealloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n++] = (wast_skip){.path = wast_printf("%s", line),
                             .line = at,
                             .reason = wast_printf("%s", reason),
                             .src_line = lineno};
  return true;
}

/* Reads the skip file; blank lines and lines starting with '#' are ignored. */
static bool skip_load(const char *path, skip_list *l) {
  size_t size;
  char *text = (char *)read_file(path, &size);
  if (!text) {
    fprintf(stderr, "wrt-wast: cannot read skip list %s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = true;
  int lineno = 0;
  for (char *line = text, *next; ok && line; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = 0;
    lineno++;
    char *s = trim(line);
    if (*s && *s != '#')
      ok = skip_parse_line(path, lineno, s, l);
  }
  free(text);
  return ok;
}

static void skip_free(skip_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].path);
    free(l->v[i].reason);
  }
  free(l->v);
}

/* An entry names a script by its display path or by a trailing part of it,
** so that "i32.wast" also matches ../shared/testsuite/i32.wast given as FILE. */
static bool skip_names(const wast_skip *s, const char *rel) {
  size_t n = strlen(rel), k = strlen(s->path);
  return n >= k && strcmp(rel + n - k, s->path) == 0 && (n == k || rel[n - k - 1] == '/');
}

/* The entries naming rel, NULL-terminated (malloc'd), marked seen. */
static wast_skip **skip_select(skip_list *l, const char *rel) {
  wast_skip **sel = wast_xrealloc(NULL, (l->n + 1) * sizeof *sel);
  size_t k = 0;
  for (size_t i = 0; i < l->n; i++) {
    if (skip_names(&l->v[i], rel)) {
      l->v[i].seen = true;
      sel[k++] = &l->v[i];
    }
  }
  sel[k] = NULL;
  return sel;
}

/* The entry skipping a command at `line` (a whole-file entry matches all), or NULL. */
static wast_skip *skip_find(wast_skip **sel, int line) {
  for (; sel && *sel; sel++)
    if ((*sel)->line == 0 || (*sel)->line == line)
      return *sel;
  return NULL;
}

/* Entries whose script ran without any command matching: likely stale. */
static void skip_report_unused(const skip_list *l, const char *src) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].seen && !l->v[i].used)
      printf("wrt-wast: %s:%d: note: \"%s:%d\" matched no command\n", src, l->v[i].src_line,
             l->v[i].path, l->v[i].line);
}

/* ---------------------------------------------------------------- script execution */

/*
** Command dispatch. `validate` runs under --validate-only (NULL: counted as
** "not run"), `execute` otherwise. A type without a row is a failure when
** executing (the runner does not understand the script) and "not run" when
** only validating, as before execution existed.
*/
typedef void (*command_fn)(wast_file *f, const wast_command *c);
static const struct {
  const char *type;
  wast_kind kind;
  command_fn validate, execute;
} command_table[] = {
    {"module", WAST_MODULE, run_valid_module, wast_exec_module},
    {"register", WAST_REGISTER, NULL, wast_exec_register},
    {"action", WAST_ACTION, NULL, wast_exec_action},
    {"assert_return", WAST_ASSERT_RETURN, NULL, wast_exec_assert_return},
    {"assert_trap", WAST_ASSERT_TRAP, NULL, wast_exec_assert_trap},
    {"assert_exhaustion", WAST_ASSERT_EXHAUSTION, NULL, wast_exec_assert_exhaustion},
    {"assert_malformed", WAST_ASSERT_MALFORMED, run_assert_malformed, run_assert_malformed},
    {"assert_invalid", WAST_ASSERT_INVALID, run_assert_invalid, run_assert_invalid},
    {"assert_unlinkable", WAST_ASSERT_UNLINKABLE, run_valid_module, wast_exec_assert_unlinkable},
    {"assert_uninstantiable", WAST_ASSERT_UNINSTANTIABLE, run_valid_module,
     wast_exec_assert_uninstantiable},
};
enum { N_COMMAND_TYPES = sizeof command_table / sizeof command_table[0] };

/* Whether commands execute (in this process or through wrt-exec), as
** opposed to --validate-only. */
static bool executing(const wast_file *f) {
  return f->exec || f->script;
}

/* Records a skip; a skipped module also makes the commands that use it skips. */
static void skip_command(wast_file *f, const wast_command *c, wast_skip *s) {
  s->used = true;
  wast_skipped(f, c, "%s", s->reason);
  if (c->kind == WAST_MODULE && executing(f))
    wast_module_skipped(f, c);
}

/*
** What a script's child shares with the parent (MAP_SHARED): the counts so
** far and the command in progress, so that a crash or a hang costs one
** failure at a known line instead of the file's results, and used[] mirrors
** the used flags of f->skips.
*/
struct wast_shared {
  wast_tally t;
  int line;
  wast_kind kind;
  char type[32];
  bool ok; /* convert_and_run's result, valid once the child exits normally */
  unsigned char used[];
};

static void progress_begin(wast_file *f, const wast_command *c) {
  if (!f->shared)
    return;
  /* Re-armed per command, so the limit bounds one command, not the script. */
  alarm(f->opt->timeout);
  f->shared->line = c->line;
  f->shared->kind = c->kind;
  snprintf(f->shared->type, sizeof f->shared->type, "%s", c->type);
}

static void progress_end(wast_file *f) {
  if (!f->shared)
    return;
  f->shared->t = f->rep.t;
  for (size_t i = 0; f->skips[i]; i++)
    f->shared->used[i] = f->skips[i]->used;
}

static void dispatch(wast_file *f, wast_command *c) {
  size_t i = 0;
  while (i < N_COMMAND_TYPES && strcmp(c->type, command_table[i].type) != 0)
    i++;
  c->kind = i < N_COMMAND_TYPES ? command_table[i].kind : WAST_OTHER;
  progress_begin(f, c);
  wast_skip *s = skip_find(f->skips, c->line);
  /* A text-format module is n/a whether skipped or not: skips count only
  ** commands that would otherwise have been checked. */
  if (s && wast_module_is_binary(f, c))
    skip_command(f, c, s);
  if (s) {
    progress_end(f);
    return;
  }
  command_fn fn = i == N_COMMAND_TYPES ? NULL
                  : executing(f)       ? command_table[i].execute
                                       : command_table[i].validate;
  if (f->opt->trace) {
    printf("%s:%d: %s\n", f->rel, c->line, c->type);
    fflush(stdout);
  }
  if (fn)
    fn(f, c);
  else if (executing(f))
    wast_fail(f, c, "unknown command type");
  else
    f->rep.t.not_run++;
  progress_end(f);
}

static void run_command(wast_file *f, json_object *obj, size_t index) {
  wast_command c = {.obj = obj, .type = "command", .line = 0, .kind = WAST_OTHER};
  json_object *v;
  bool has_type =
      json_object_object_get_ex(obj, "type", &v) && json_object_is_type(v, json_type_string);
  if (has_type)
    c.type = json_object_get_string(v);
  if (!json_object_object_get_ex(obj, "line", &v) || !json_object_is_type(v, json_type_int)) {
    wast_fail(f, &c, "command %zu has no integer \"line\"", index);
    return;
  }
  c.line = json_object_get_int(v);
  if (!has_type) {
    wast_fail(f, &c, "command %zu has no string \"type\"", index);
    return;
  }
  dispatch(f, &c);
}

/*
** wabt 1.0.32's wast2json writes the expected types of an assert_trap or an
** action on a function with several results without separating commas:
** [{"type": "i32"}{"type": "i64"}]. Returns the text with the commas put in
** (a new buffer; text is freed), or text itself when it needs none.
*/
static char *json_fix_separators(char *text, size_t *size) {
  static const char bad[] = "}{\"type\"";
  size_t extra = 0;
  for (char *p = strstr(text, bad); p; p = strstr(p + 1, bad))
    extra++;
  if (extra == 0)
    return text;
  char *out = malloc(*size + extra + 1), *o = out;
  if (!out)
    wast_die_oom();
  for (const char *p = text; *p; p++) {
    *o++ = *p;
    if (p[0] == '}' && strncmp(p + 1, bad + 1, sizeof bad - 2) == 0)
      *o++ = ',';
  }
  *o = 0;
  *size = (size_t)(o - out);
  free(text);
  return out;
}

/*
** Parses the script and runs its commands. A script that cannot be read or has
** no command list is one file failure (returns false); a malformed command is a
** counted failure of that command only.
*/
static bool run_script(wast_file *f, const char *json_path) {
  size_t size = 0;
  char *text = (char *)read_file(json_path, &size);
  if (!text) {
    printf("%s: FAIL cannot read %s: %s\n", f->rel, json_path, strerror(errno));
    return false;
  }
  text = json_fix_separators(text, &size);
  enum json_tokener_error jerr = json_tokener_success;
  json_object *root = json_tokener_parse_verbose(text, &jerr);
  free(text);
  json_object *cmds = NULL;
  if (!root) {
    printf("%s: FAIL %s: bad JSON: %s\n", f->rel, json_path, json_tokener_error_desc(jerr));
    return false;
  }
  if (!json_object_is_type(root, json_type_object) ||
      !json_object_object_get_ex(root, "commands", &cmds) ||
      !json_object_is_type(cmds, json_type_array)) {
    printf("%s: FAIL %s: no \"commands\" array\n", f->rel, json_path);
    json_object_put(root);
    return false;
  }
  size_t n = json_object_array_length(cmds);
  for (size_t i = 0; i < n; i++) {
    json_object *obj = json_object_array_get_idx(cmds, i);
    if (!json_object_is_type(obj, json_type_object)) {
      wast_command c = {.obj = obj, .type = "command", .line = 0, .kind = WAST_OTHER};
      wast_fail(f, &c, "command %zu is not an object", i);
      continue;
    }
    run_command(f, obj, i);
  }
  json_object_put(root);
  return true;
}

/* ---------------------------------------------------------------- child processes */

bool wast_spawn(const char *const *argv, const char *log, int *status_out, char *why,
                size_t why_size) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (log) {
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
  }
  pid_t pid;
  /* posix_spawnp takes char *const argv[] for historical reasons but does not
  ** write it; it passes arguments verbatim, so paths need no shell quoting. */
  int err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)(uintptr_t)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err) {
    snprintf(why, why_size, "cannot run %s: %s", argv[0], strerror(err));
    return false;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      snprintf(why, why_size, "waiting for %s: %s", argv[0], strerror(errno));
      return false;
    }
  }
  if (status_out)
    *status_out = status;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return true;
  if (WIFEXITED(status))
    snprintf(why, why_size, "%s exited with status %d", argv[0], WEXITSTATUS(status));
  else
    snprintf(why, why_size, "%s killed by signal %d", argv[0], WTERMSIG(status));
  return false;
}

void wast_log_first_line(const char *log, char *buf, size_t size) {
  buf[0] = 0;
  FILE *fp = fopen(log, "r");
  if (!fp)
    return;
  if (fgets(buf, (int)size, fp))
    buf[strcspn(buf, "\n")] = 0;
  fclose(fp);
}

/* Prints the first lines of a failed conversion's log, indented under the FAIL line. */
static void echo_log(const char *log_path) {
  FILE *fp = fopen(log_path, "r");
  if (!fp)
    return;
  char line[512];
  for (int n = 0; n < LOG_ECHO_LINES && fgets(line, sizeof line, fp); n++)
    printf("    %s%s", line, strchr(line, '\n') ? "" : "\n");
  fclose(fp);
}

/* ---------------------------------------------------------------- wast2json */

/*
** The aotc feature for a script under ".../proposals/NAME/", or 0. NAME must be
** a feature aotc knows; other proposal directories are converted and checked
** with default features (and will mostly fail, which is the honest answer).
*/
static uint32_t proposal_feature(const char *path) {
  for (const char *p = strstr(path, "proposals/"); p; p = strstr(p + 1, "proposals/")) {
    if (p != path && p[-1] != '/')
      continue;
    const char *name = p + strlen("proposals/");
    const char *end = strchr(name, '/');
    if (!end)
      continue;
    char fname[64];
    size_t n = (size_t)(end - name);
    if (n >= sizeof fname)
      continue;
    memcpy(fname, name, n);
    fname[n] = '\0';
    uint32_t bit = aotc_feature_from_name(fname);
    if (bit)
      return bit;
  }
  return 0;
}

/* Runs `wast2json [--enable-NAME] WAST -o JSON`, logging to LOG. Prints why on failure. */
static bool run_wast2json(const wast_file *f, const char *wast, const char *json, const char *log,
                          uint32_t proposal, bool quiet) {
  char *enable = NULL;
  const char *argv[6];
  int argc = 0;
  argv[argc++] = "wast2json";
  if (proposal && !(aotc_features_default() & proposal))
    argv[argc++] = enable = wast_printf("--enable-%s", aotc_feature_name(proposal));
  argv[argc++] = wast;
  argv[argc++] = "-o";
  argv[argc++] = json;
  argv[argc] = NULL;
  char why[512];
  bool ok = wast_spawn(argv, log, NULL, why, sizeof why);
  free(enable);
  if (!ok && !quiet) {
    printf("%s: FAIL %s (log: %s)\n", f->rel, why, log);
    echo_log(log);
  }
  return ok;
}

/*
** Features a proposal's scripts were written against, beyond the proposal
** itself. The memory64 proposal's tests (at the pinned commit) predate
** reference types: its binary.wast expects call_indirect's table byte to be a
** reserved zero ("zero flag expected"), which reference types reinterpret as a
** table index. Its modules use nothing from reference types.
*/
static uint32_t proposal_base_features(uint32_t proposal) {
  uint32_t f = aotc_features_default();
  if (proposal == AOTC_FEAT_MEMORY64)
    f &= ~(uint32_t)AOTC_FEAT_REFERENCE_TYPES;
  return f;
}

/* Working features for one script: its base, plus its proposal, then --features. */
static bool file_features(const wast_options *opt, uint32_t proposal, uint32_t *feat) {
  *feat = proposal_base_features(proposal) | proposal;
  if (!opt->features)
    return true;
  aotc_diag d;
  aotc_diag_init(&d);
  return aotc_features_parse(opt->features, feat, &d);
}

/* ---------------------------------------------------------------- files */

/* A whole-file skip entry among sel, or NULL. */
static wast_skip *skip_whole(wast_skip **sel) {
  for (; *sel; sel++)
    if ((*sel)->line == 0)
      return *sel;
  return NULL;
}

/* Converts the script and runs it in a fresh store; false is a file failure. */
static bool convert_and_run(wast_file *f, const char *wast, const char *json, const char *log,
                            uint32_t proposal) {
  wast_skip *whole = skip_whole(f->skips);
  if (!run_wast2json(f, wast, json, log, proposal, whole != NULL)) {
    if (!whole)
      return false;
    /* A skipped script that does not even convert is one skip, not a failure. */
    whole->used = true;
    f->rep.t.by_kind[WAST_OTHER].skipped++;
    if (f->opt->verbose)
      printf("%s: skipped: %s (and wast2json failed)\n", f->rel, whole->reason);
    return true;
  }
  /* A store per script, as the spec's scripts assume (here, or in wrt-exec
  ** with --target); none when nothing executes. */
  bool execute = !f->opt->validate_only && !whole;
  if (execute && f->opt->target) {
    if (!wast_cross_begin(f))
      return false;
  } else if (execute) {
    f->exec = wast_session_new(&f->rep, f->json_dir, f->opt->pooling);
    if (!f->exec)
      return false;
  }
  bool ok = run_script(f, json);
  if (f->script && ok) {
    ok = wast_cross_finish(f);
  } else if (f->script) {
    fclose(f->script);
    f->script = NULL;
  }
  wast_session_free(f->exec);
  f->exec = NULL;
  return ok;
}

void wast_describe_status(const wast_options *opt, int status, char *buf, size_t n) {
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    snprintf(buf, n, "timed out (over %u s)", opt->timeout);
  else if (WIFSIGNALED(status))
    snprintf(buf, n, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    snprintf(buf, n, "exited with status %d", WEXITSTATUS(status));
}

/*
** convert_and_run in a child process. Compiled code, the code generator and
** the runtime are all under test: if one of them takes the process down, the
** script's counts so far survive in shared memory and the command that was
** running becomes one failure, instead of the whole run losing its results.
*/
static bool run_forked(wast_file *f, const char *wast, const char *json, const char *log,
                       uint32_t proposal) {
  size_t n_sel = 0;
  while (f->skips[n_sel])
    n_sel++;
  size_t size = sizeof(wast_shared) + n_sel;
  wast_shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sh == MAP_FAILED)
    return convert_and_run(f, wast, json, log, proposal);
  memset(sh, 0, size);
  fflush(stdout); /* or the child would print the parent's buffered output again */
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    f->shared = sh;
    sh->ok = convert_and_run(f, wast, json, log, proposal);
    progress_end(f);
    exit(0);
  }
  int status = 0;
  bool waited = pid > 0;
  while (waited && waitpid(pid, &status, 0) < 0)
    waited = errno == EINTR;
  if (!waited) {
    printf("%s: FAIL cannot run the script in a child: %s\n", f->rel, strerror(errno));
    munmap(sh, size);
    return false;
  }
  f->rep.t = sh->t;
  for (size_t i = 0; i < n_sel; i++)
    f->skips[i]->used = f->skips[i]->used || sh->used[i];
  bool ok = sh->ok;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char how[128];
    wast_describe_status(f->opt, status, how, sizeof how);
    wast_command c = {.obj = NULL, .type = sh->type, .line = sh->line, .kind = sh->kind};
    if (!sh->type[0])
      c.type = "script", c.kind = WAST_OTHER;
    wast_fail(f, &c, "the runner %s here; the rest of the script did not run", how);
    ok = true; /* the script's counts are known, so print them */
  }
  munmap(sh, size);
  return ok;
}

/* Converts and runs one script, printing its "rel: P/T" line, and adds to *total. */
static void run_file(const wast_options *opt, skip_list *skips, const char *wast, const char *rel,
                     wast_tally *total) {
  char *sub = work_subdir(rel);
  char *dir = wast_printf("%s/%s", opt->workdir, sub);
  const char *base = strrchr(wast, '/') ? strrchr(wast, '/') + 1 : wast;
  char *stem = wast_printf("%s", base);
  if (has_suffix(stem, ".wast"))
    stem[strlen(stem) - 5] = 0;
  char *json = wast_printf("%s/%s.json", dir, *stem ? stem : "_");
  char *log = wast_printf("%s/wast2json.log", dir);
  uint32_t proposal = proposal_feature(wast);

  wast_file f = {.opt = opt,
                 .rel = rel,
                 .json_dir = dir,
                 .rep = {.rel = rel, .verbose = opt->verbose},
                 .skips = skip_select(skips, rel)};
  bool ok = file_features(opt, proposal, &f.features);
  if (!ok)
    printf("%s: FAIL bad --features\n", rel); /* parse_args checked it; kept for safety */
  if (ok && !make_dirs(dir)) {
    printf("%s: FAIL cannot create %s: %s\n", rel, dir, strerror(errno));
    ok = false;
  }
  if (ok)
    ok = opt->no_fork ? convert_and_run(&f, wast, json, log, proposal)
                      : run_forked(&f, wast, json, log, proposal);
  if (ok) {
    wast_count sum = wast_tally_sum(&f.rep.t);
    printf("%s: %lu/%lu", rel, sum.passed, sum.passed + sum.failed);
    if (sum.skipped)
      printf(" (%lu skipped)", sum.skipped);
    putchar('\n');
  } else {
    f.rep.t.file_failures++;
  }
  wast_tally_add(total, &f.rep.t);
  free(f.skips);
  free(sub);
  free(dir);
  free(stem);
  free(json);
  free(log);
}

/* ---------------------------------------------------------------- suite listing */

typedef struct path_list {
  char **paths; /* malloc'd, each malloc'd */
  size_t n, cap;
} path_list;

static void list_push(path_list *l, char *path) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->paths = wast_xrealloc(l->paths, l->cap * sizeof *l->paths);
  }
  l->paths[l->n++] = path;
}

static void list_free(path_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->paths[i]);
  free(l->paths);
}

static int is_wast_entry(const struct dirent *e) {
  return e->d_name[0] != '.' && has_suffix(e->d_name, ".wast");
}

/* Appends "rel_dir/NAME.wast" for each regular *.wast file in suite/rel_dir, in
** name order (alphasort in the C locale, since we never call setlocale). */
static bool list_dir(const char *suite, const char *rel_dir, path_list *out) {
  char *dir = rel_dir ? wast_printf("%s/%s", suite, rel_dir) : wast_printf("%s", suite);
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, is_wast_entry, alphasort);
  if (n < 0) {
    int err = errno;
    free(dir);
    errno = err;
    return false;
  }
  for (int i = 0; i < n; i++) {
    char *full = wast_printf("%s/%s", dir, ents[i]->d_name);
    struct stat st;
    if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
      list_push(out, rel_dir ? wast_printf("%s/%s", rel_dir, ents[i]->d_name)
                             : wast_printf("%s", ents[i]->d_name));
    free(full);
    free(ents[i]);
  }
  free(ents);
  free(dir);
  return true;
}

/* Every top-level script, then each supported proposal's scripts. */
static bool list_suite(const wast_options *opt, path_list *out) {
  if (!list_dir(opt->suite, NULL, out)) {
    fprintf(stderr, "wrt-wast: cannot read suite %s: %s\n", opt->suite, strerror(errno));
    return false;
  }
  for (size_t i = 0; i < sizeof suite_proposals / sizeof suite_proposals[0]; i++) {
    char *rel_dir = wast_printf("proposals/%s", suite_proposals[i]);
    if (!list_dir(opt->suite, rel_dir, out) && opt->verbose)
      printf("wrt-wast: skipping %s/%s: %s\n", opt->suite, rel_dir, strerror(errno));
    free(rel_dir);
  }
  return true;
}

/* Display name of an explicit FILE: relative to --suite when it lies inside it. */
static const char *display_name(const wast_options *opt, const char *path) {
  if (opt->suite) {
    size_t n = strlen(opt->suite);
    while (n > 1 && opt->suite[n - 1] == '/')
      n--;
    if (strncmp(path, opt->suite, n) == 0 && path[n] == '/')
      return path + n + 1;
  }
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  return path;
}

/* ---------------------------------------------------------------- command line */

static void usage(FILE *out) {
  fputs("usage: wrt-wast [OPTIONS] [FILE.wast ...]\n"
        "  Converts each script with wast2json, compiles its modules (cg_compile_object,\n"
        "  ld.lld-19 -shared, dlopen), instantiates them in one wrt store per script and\n"
        "  checks every assertion. Without FILEs, --suite=DIR runs DIR/*.wast and\n"
        "  DIR/proposals/{tail-call,extended-const,multi-memory,memory64}/*.wast.\n"
        "  --features=SPEC      aotc feature list applied after the defaults and the\n"
        "                       script's proposal (e.g. all, -simd, +memory64)\n"
        "  --workdir=DIR        where converted scripts and compiled modules go\n"
        "                       (default: wrt-wast.out)\n"
        "  --bounds-checks=guard|explicit  memory bounds checking of compiled code\n"
        "  -O0 .. -O3           code generator optimisation level (default -O1)\n"
        "  --epoch-interruption  compile with epoch checks (never triggered: no deadline)\n"
        "  --allocator=pooling|on-demand  instance allocator of each script's engine\n"
        "                       (default on-demand; pooling: wrt.h's default limits,\n"
        "                       any number of memories and tables per module)\n"
        "  --validate-only      only decode and validate modules (no code generation)\n"
        "  --target=TRIPLE      compile for TRIPLE (aarch64-linux-gnu, riscv64-linux-gnu,\n"
        "                       arm-linux-gnueabihf, x86_64-linux-gnu) and run each\n"
        "                       script's commands with wrt-exec built for it, under\n"
        "                       qemu-user unless TRIPLE is the host's architecture\n"
        "  --exec=PATH          that wrt-exec (default: BINDIR/../cross-exec/TRIPLE/wrt-exec,\n"
        "                       as scripts/cross-exec builds it)\n"
        "  --skip=FILE          skip list: lines \"path.wast[:LINE]  reason\"; skipped\n"
        "                       commands are counted and shown with -v\n"
        "  --trace              print each command before running it\n"
        "  --no-fork            run scripts in this process (for a debugger); by default\n"
        "                       each runs in a child, so a crash costs one failure\n"
        "  --timeout=SECONDS    limit per command in a script's child (default 120;\n"
        "                       0 = none)\n"
        "  -v                   list message mismatches, skips and spectest prints\n",
        out);
}

static bool parse_timeout(const char *s, unsigned *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s < '0' || *s > '9' || *end || v > 86400)
    return false;
  *out = (unsigned)v;
  return true;
}

/* One option; false if it is unknown or malformed. */
static bool parse_option(const char *a, wast_options *opt) {
  if (strncmp(a, "--features=", 11) == 0)
    opt->features = a + 11;
  else if (strncmp(a, "--workdir=", 10) == 0 && a[10])
    opt->workdir = a + 10;
  else if (strncmp(a, "--suite=", 8) == 0 && a[8])
    opt->suite = a + 8;
  else if (strncmp(a, "--skip=", 7) == 0 && a[7])
    opt->skip_path = a + 7;
  else if (strncmp(a, "--target=", 9) == 0 && a[9])
    opt->target = a + 9;
  else if (strncmp(a, "--exec=", 7) == 0 && a[7])
    opt->exec_path = a + 7;
  else if (strcmp(a, "--bounds-checks=guard") == 0)
    opt->bounds_checks = WRT_BOUNDS_GUARD;
  else if (strcmp(a, "--bounds-checks=explicit") == 0)
    opt->bounds_checks = WRT_BOUNDS_EXPLICIT;
  else if (a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3])
    opt->opt_level = a[2] - '0';
  else if (strcmp(a, "--epoch-interruption") == 0)
    opt->epoch_interruption = true;
  else if (strcmp(a, "--allocator=pooling") == 0)
    opt->pooling = true;
  else if (strcmp(a, "--allocator=on-demand") == 0)
    opt->pooling = false;
  else if (strcmp(a, "--validate-only") == 0)
    opt->validate_only = true;
  else if (strcmp(a, "--trace") == 0)
    opt->trace = true;
  else if (strcmp(a, "--no-fork") == 0)
    opt->no_fork = true;
  else if (strncmp(a, "--timeout=", 10) == 0)
    return parse_timeout(a + 10, &opt->timeout);
  else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
    opt->verbose = true;
  else
    return false;
  return true;
}

/* Returns 0 to run, 1 after --help, 2 on a usage error; *first_file indexes argv. */
static int parse_args(int argc, char **argv, wast_options *opt, int *first_file) {
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || a[1] == 0)
      break;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 1;
    }
    if (!parse_option(a, opt)) {
      fprintf(stderr, "wrt-wast: unknown option %s\n", a);
      usage(stderr);
      return 2;
    }
  }
  *first_file = i;
  if (i == argc && !opt->suite) {
    fprintf(stderr, "wrt-wast: no scripts: give FILE.wast or --suite=DIR\n");
    usage(stderr);
    return 2;
  }
  if (opt->features) {
    /* Check the spec once here so a typo is a usage error, not a failure per file. */
    uint32_t feat = aotc_features_default();
    aotc_diag d;
    aotc_diag_init(&d);
    if (!aotc_features_parse(opt->features, &feat, &d)) {
      fprintf(stderr, "wrt-wast: --features=%s: %s\n", opt->features, d.msg);
      return 2;
    }
  }
  if (opt->target && !opt->validate_only && !wast_cross_init(opt))
    return 2;
  return 0;
}

/* The totals by command kind on one line (the make step shows the last few
** lines of the log), then the line scripts/summarize adds up. */
static void print_summary(const wast_options *opt, const wast_tally *t, unsigned long files) {
  if (t->file_failures)
    printf("wrt-wast: %lu file%s could not be converted or loaded\n", t->file_failures,
           t->file_failures == 1 ? "" : "s");
  printf("wrt-wast: %lu files; by command:", files);
  const char *sep = " ";
  for (int k = 0; k < WAST_KIND_COUNT; k++) {
    const wast_count *c = &t->by_kind[k];
    if (!c->passed && !c->failed && !c->skipped)
      continue;
    printf("%s%s %lu/%lu", sep, wast_kind_names[k], c->passed, c->passed + c->failed);
    if (c->skipped)
      printf(" (%lu skipped)", c->skipped);
    sep = ", ";
  }
  printf("\nwrt-wast: %lu n/a (text format), ", t->na_text);
  if (opt->validate_only)
    printf("%lu not run (--validate-only), ", t->not_run);
  printf("%lu message mismatches\n", t->mismatches);
  wast_count sum = wast_tally_sum(t);
  printf("%lu passed, %lu failed", sum.passed, sum.failed + t->file_failures);
  if (sum.skipped)
    printf(", %lu skipped", sum.skipped);
  putchar('\n');
}

/* Runs every script; returns the number of files. */
static unsigned long run_all(const wast_options *opt, skip_list *skips, const path_list *scripts,
                             char **files, int n_files, wast_tally *total) {
  unsigned long n = 0;
  for (size_t i = 0; i < scripts->n; i++, n++) {
    char *path = wast_printf("%s/%s", opt->suite, scripts->paths[i]);
    run_file(opt, skips, path, scripts->paths[i], total);
    free(path);
  }
  for (int i = 0; i < n_files; i++, n++)
    run_file(opt, skips, files[i], display_name(opt, files[i]), total);
  return n;
}

int main(int argc, char **argv) {
  /* Whole lines reach the log even if compiled code takes the process down. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  wast_options opt = {.workdir = "wrt-wast.out",
                      .opt_level = DEFAULT_OPT_LEVEL,
                      .bounds_checks = -1,
                      .timeout = DEFAULT_TIMEOUT};
  int first = 0;
  int rc = parse_args(argc, argv, &opt, &first);
  if (rc)
    return rc == 1 ? 0 : 2;

  skip_list skips = {0};
  path_list scripts = {0};
  bool from_suite = first == argc;
  rc = 0;
  if (opt.skip_path && !skip_load(opt.skip_path, &skips))
    rc = 2;
  if (!rc && from_suite && !list_suite(&opt, &scripts))
    rc = 2;
  if (!rc && !make_dirs(opt.workdir)) {
    fprintf(stderr, "wrt-wast: cannot create %s: %s\n", opt.workdir, strerror(errno));
    rc = 2;
  }
  if (!rc) {
    wast_tally total;
    memset(&total, 0, sizeof total);
    unsigned long files =
        run_all(&opt, &skips, &scripts, argv + first, from_suite ? 0 : argc - first, &total);
    if (opt.skip_path)
      skip_report_unused(&skips, opt.skip_path);
    print_summary(&opt, &total, files);
    wast_count sum = wast_tally_sum(&total);
    rc = sum.failed == 0 && total.file_failures == 0 ? 0 : 1;
  }
  list_free(&scripts);
  skip_free(&skips);
  fflush(stdout);
  return rc;
}
