/*
** wrt-wast.c: the spec-suite runner. It converts each .wast script with wabt's
** wast2json, reads the command list with json-c and checks every binary module
** against the front end (aotc_module_decode + aotc_module_validate): valid modules
** must pass, assert_malformed/assert_invalid must fail with the right aotc_err.
** It does not parse the text format (that is wast2json's job) and does not yet
** compile, link or run modules: execution commands are counted as "not run yet".
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "aotc.h"

extern char **environ;

/* Proposals whose tests run in --suite mode; each name is both a wast2json
** --enable-NAME flag and an aotc feature name. */
static const char *const suite_proposals[] = {"tail-call", "extended-const", "multi-memory",
                                              "memory64"};

/* Lines of a failing wast2json's log echoed to the output; the rest stays in the log. */
enum { LOG_ECHO_LINES = 10 };

typedef struct options {
  const char *features; /* --features=SPEC, applied after the proposal feature, or NULL */
  const char *workdir;
  const char *suite; /* --suite=DIR, or NULL */
  bool verbose;
} options;

/*
** Counters for one file or for the whole run. Invariant: passed <= checks, and
** checks excludes n/a and not-run commands, so "P/T" compares like with like.
** file_failures counts scripts that could not be converted or loaded at all; each
** adds one failure to the final line but no check.
*/
typedef struct tally {
  unsigned long passed, checks, na_text, not_run, mismatches, file_failures;
} tally;

/*
** Everything a command handler may need about the script being run. Execution
** handlers added later keep their state (current module, registered instances) here.
*/
typedef struct wast_file {
  const options *opt;
  const char *rel;      /* display name: path relative to the suite, or as given */
  const char *json_dir; /* directory holding the .json and its .wasm files */
  uint32_t features;
  tally t;
} wast_file;

/* One command of the script. type and line are checked before dispatch. */
typedef struct command {
  json_object *obj; /* borrowed from the parsed script */
  const char *type;
  int line;
} command;

/* ---------------------------------------------------------------- small utilities */

static void die_oom(void) {
  /* A test runner cannot do anything useful without memory; there is no caller to report to. */
  fputs("wrt-wast: out of memory\n", stderr);
  exit(1);
}

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

static char *str_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
static char *str_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    die_oom();
  char *s = malloc((size_t)n + 1);
  if (!s)
    die_oom();
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

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
    die_oom();
  for (;;) {
    if (cap - len < 2) {
      cap *= 2;
      uint8_t *nbuf = realloc(buf, cap);
      if (!nbuf)
        die_oom();
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
  char *p = str_printf("%s", path);
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
  char *s = str_printf("%s", rel);
  if (has_suffix(s, ".wast"))
    s[strlen(s) - 5] = 0;
  for (char *c = s; *c; c++)
    if (*c == '/')
      *c = '_';
  if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
    free(s);
    s = str_printf("_");
  }
  return s;
}

/* ---------------------------------------------------------------- outcomes */

static void record_pass(wast_file *f) {
  f->t.checks++;
  f->t.passed++;
}

static void record_fail(wast_file *f, const command *c, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void record_fail(wast_file *f, const command *c, const char *fmt, ...) {
  f->t.checks++;
  printf("%s:%d: FAIL %s: ", f->rel, c->line, c->type);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

/* A string field the handler cannot do without; a missing one is a counted failure. */
static const char *need_string(wast_file *f, const command *c, const char *key) {
  json_object *v;
  if (json_object_object_get_ex(c->obj, key, &v) && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  record_fail(f, c, "missing string field \"%s\"", key);
  return NULL;
}

/*
** Whether a module command's module is a binary we can check. wast2json writes
** "module_type" only on assertion commands; absent means binary. Text modules
** (assert_malformed of quoted text) exercise the text parser, not ours: n/a.
** Returns false after recording the outcome when there is nothing to check.
*/
static bool module_is_binary(wast_file *f, const command *c) {
  json_object *v;
  if (!json_object_object_get_ex(c->obj, "module_type", &v))
    return true;
  const char *mt = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
  if (strcmp(mt, "binary") == 0)
    return true;
  if (strcmp(mt, "text") == 0) {
    f->t.na_text++;
    return false;
  }
  record_fail(f, c, "unknown module_type \"%s\"", mt);
  return false;
}

/* ---------------------------------------------------------------- front-end checks */

/*
** Decodes and validates the script's module `filename` with the file's features.
** Returns true if both succeed; otherwise d explains why. A failure without a
** diagnostic, or a diagnostic with a success return, is a front-end contract
** violation and is reported as AOTC_EINTERNAL rather than silently accepted.
*/
static bool check_binary(const wast_file *f, const char *filename, aotc_diag *d) {
  aotc_diag_init(d);
  char *path = str_printf("%s/%s", f->json_dir, filename);
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
  if (m)
    aotc_module_free(m);
  free(bytes);

  if (!ok && d->code == AOTC_OK)
    aotc_diag_set(d, AOTC_EINTERNAL, AOTC_NO_OFFSET, "front end failed without a diagnostic");
  if (ok && d->code != AOTC_OK)
    ok = false;
  return ok;
}

/* "module": a plain module must decode and validate. */
static void run_module(wast_file *f, const command *c) {
  if (!module_is_binary(f, c))
    return;
  const char *filename = need_string(f, c, "filename");
  if (!filename)
    return;
  aotc_diag d;
  if (check_binary(f, filename, &d)) {
    record_pass(f);
    return;
  }
  char buf[512];
  aotc_diag_format(&d, filename, buf, sizeof buf);
  record_fail(f, c, "expected a valid module, got %s", buf);
}

/* assert_unlinkable / assert_uninstantiable: the module is valid and only fails
** at link or instantiation time, so for now it must decode and validate. */
static void run_assert_valid_module(wast_file *f, const command *c) {
  run_module(f, c);
}

/*
** Shared by assert_malformed and assert_invalid: the module must be rejected with
** class `want`. The message is compared by prefix only, and a different wording
** is a "message mismatch" rather than a failure: the class is what the spec
** requires, the wording is a convention we follow as closely as we can.
*/
static void expect_rejection(wast_file *f, const command *c, aotc_err want) {
  if (!module_is_binary(f, c))
    return;
  const char *filename = need_string(f, c, "filename");
  const char *text = filename ? need_string(f, c, "text") : NULL;
  if (!text)
    return;
  aotc_diag d;
  if (check_binary(f, filename, &d)) {
    record_fail(f, c, "module decoded and validated; expected %s \"%s\"", aotc_err_str(want), text);
    return;
  }
  if (d.code != want) {
    char buf[512];
    aotc_diag_format(&d, filename, buf, sizeof buf);
    record_fail(f, c, "expected %s \"%s\", got %s", aotc_err_str(want), text, buf);
    return;
  }
  record_pass(f);
  if (strncmp(d.msg, text, strlen(text)) != 0) {
    f->t.mismatches++;
    if (f->opt->verbose)
      printf("%s:%d: message mismatch: expected \"%s\", got \"%s\"\n", f->rel, c->line, text,
             d.msg);
  }
}

static void run_assert_malformed(wast_file *f, const command *c) {
  expect_rejection(f, c, AOTC_EMALFORMED);
}

static void run_assert_invalid(wast_file *f, const command *c) {
  expect_rejection(f, c, AOTC_EINVALID);
}

/* ---------------------------------------------------------------- script execution */

/*
** Command dispatch. A command type without a row is counted as "not run yet"
** (register, action, assert_return, assert_trap, assert_exhaustion today):
** running modules later means adding rows here, not restructuring the loop.
*/
typedef void (*command_fn)(wast_file *f, const command *c);
static const struct {
  const char *type;
  command_fn run;
} command_table[] = {
    {"module", run_module},
    {"assert_malformed", run_assert_malformed},
    {"assert_invalid", run_assert_invalid},
    {"assert_unlinkable", run_assert_valid_module},
    {"assert_uninstantiable", run_assert_valid_module},
};

static void run_command(wast_file *f, json_object *obj, size_t index) {
  command c = {.obj = obj, .type = "command", .line = 0};
  json_object *v;
  bool has_type =
      json_object_object_get_ex(obj, "type", &v) && json_object_is_type(v, json_type_string);
  if (has_type)
    c.type = json_object_get_string(v);
  if (!json_object_object_get_ex(obj, "line", &v) || !json_object_is_type(v, json_type_int)) {
    record_fail(f, &c, "command %zu has no integer \"line\"", index);
    return;
  }
  c.line = json_object_get_int(v);
  if (!has_type) {
    record_fail(f, &c, "command %zu has no string \"type\"", index);
    return;
  }
  for (size_t i = 0; i < sizeof command_table / sizeof command_table[0]; i++) {
    if (strcmp(c.type, command_table[i].type) == 0) {
      command_table[i].run(f, &c);
      return;
    }
  }
  f->t.not_run++;
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
      command c = {.obj = obj, .type = "command", .line = 0};
      record_fail(f, &c, "command %zu is not an object", i);
      continue;
    }
    run_command(f, obj, i);
  }
  json_object_put(root);
  return true;
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

/*
** Runs `wast2json [--enable-NAME] WAST -o JSON` with stdout and stderr sent to
** LOG. posix_spawnp passes arguments verbatim, so paths need no shell quoting.
** Returns true on exit status 0; otherwise prints why.
*/
static bool run_wast2json(const wast_file *f, const char *wast, const char *json, const char *log,
                          uint32_t proposal) {
  char *enable = NULL;
  const char *argv[6];
  int argc = 0;
  argv[argc++] = "wast2json";
  if (proposal && !(aotc_features_default() & proposal))
    argv[argc++] = enable = str_printf("--enable-%s", aotc_feature_name(proposal));
  argv[argc++] = wast;
  argv[argc++] = "-o";
  argv[argc++] = json;
  argv[argc] = NULL;

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  /* posix_spawnp takes char *const argv[] for historical reasons but does not write it. */
  int err = posix_spawnp(&pid, "wast2json", &fa, NULL, (char *const *)(uintptr_t)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  free(enable);
  if (err) {
    printf("%s: FAIL cannot run wast2json: %s\n", f->rel, strerror(err));
    return false;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      printf("%s: FAIL waiting for wast2json: %s\n", f->rel, strerror(errno));
      return false;
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return true;
  if (WIFEXITED(status))
    printf("%s: FAIL wast2json exited with status %d (log: %s)\n", f->rel, WEXITSTATUS(status),
           log);
  else
    printf("%s: FAIL wast2json killed by signal %d (log: %s)\n", f->rel, WTERMSIG(status), log);
  echo_log(log);
  return false;
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
static bool file_features(const options *opt, uint32_t proposal, uint32_t *feat) {
  *feat = proposal_base_features(proposal) | proposal;
  if (!opt->features)
    return true;
  aotc_diag d;
  aotc_diag_init(&d);
  return aotc_features_parse(opt->features, feat, &d);
}

static void tally_add(tally *into, const tally *t) {
  into->passed += t->passed;
  into->checks += t->checks;
  into->na_text += t->na_text;
  into->not_run += t->not_run;
  into->mismatches += t->mismatches;
  into->file_failures += t->file_failures;
}

/* Converts and runs one script, printing its "rel: P/T" line, and adds to *total. */
static void run_file(const options *opt, const char *wast, const char *rel, tally *total) {
  char *sub = work_subdir(rel);
  char *dir = str_printf("%s/%s", opt->workdir, sub);
  const char *base = strrchr(wast, '/') ? strrchr(wast, '/') + 1 : wast;
  char *stem = str_printf("%s", base);
  if (has_suffix(stem, ".wast"))
    stem[strlen(stem) - 5] = 0;
  char *json = str_printf("%s/%s.json", dir, *stem ? stem : "_");
  char *log = str_printf("%s/wast2json.log", dir);
  uint32_t proposal = proposal_feature(wast);

  wast_file f = {.opt = opt, .rel = rel, .json_dir = dir};
  bool ok = file_features(opt, proposal, &f.features);
  if (!ok)
    printf("%s: FAIL bad --features\n", rel); /* parse_args checked it; kept for safety */
  if (ok && !make_dirs(dir)) {
    printf("%s: FAIL cannot create %s: %s\n", rel, dir, strerror(errno));
    ok = false;
  }
  ok = ok && run_wast2json(&f, wast, json, log, proposal) && run_script(&f, json);
  if (ok)
    printf("%s: %lu/%lu\n", rel, f.t.passed, f.t.checks);
  else
    f.t.file_failures++;
  tally_add(total, &f.t);
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
    char **np = realloc(l->paths, l->cap * sizeof *np);
    if (!np)
      die_oom();
    l->paths = np;
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
  char *dir = rel_dir ? str_printf("%s/%s", suite, rel_dir) : str_printf("%s", suite);
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, is_wast_entry, alphasort);
  if (n < 0) {
    int err = errno;
    free(dir);
    errno = err;
    return false;
  }
  for (int i = 0; i < n; i++) {
    char *full = str_printf("%s/%s", dir, ents[i]->d_name);
    struct stat st;
    if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
      list_push(out, rel_dir ? str_printf("%s/%s", rel_dir, ents[i]->d_name)
                             : str_printf("%s", ents[i]->d_name));
    free(full);
    free(ents[i]);
  }
  free(ents);
  free(dir);
  return true;
}

/* Every top-level script, then each supported proposal's scripts. */
static bool list_suite(const options *opt, path_list *out) {
  if (!list_dir(opt->suite, NULL, out)) {
    fprintf(stderr, "wrt-wast: cannot read suite %s: %s\n", opt->suite, strerror(errno));
    return false;
  }
  for (size_t i = 0; i < sizeof suite_proposals / sizeof suite_proposals[0]; i++) {
    char *rel_dir = str_printf("proposals/%s", suite_proposals[i]);
    if (!list_dir(opt->suite, rel_dir, out) && opt->verbose)
      printf("wrt-wast: skipping %s/%s: %s\n", opt->suite, rel_dir, strerror(errno));
    free(rel_dir);
  }
  return true;
}

/* Display name of an explicit FILE: relative to --suite when it lies inside it. */
static const char *display_name(const options *opt, const char *path) {
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
  fputs("usage: wrt-wast [--features=SPEC] [--workdir=DIR] [--suite=DIR] [-v] [FILE.wast ...]\n"
        "  Converts each script with wast2json and checks its binary modules against the\n"
        "  aotc front end (decode + validate). Without FILEs, --suite=DIR runs DIR/*.wast\n"
        "  and DIR/proposals/{tail-call,extended-const,multi-memory,memory64}/*.wast.\n"
        "  --features=SPEC  aotc feature list applied after the defaults and the\n"
        "                   script's proposal (e.g. all, -simd, +memory64)\n"
        "  --workdir=DIR    where wast2json output goes (default: wrt-wast.out)\n"
        "  -v               list message mismatches and skipped directories\n",
        out);
}

/* Returns 0 to run, 1 after --help, 2 on a usage error; *first_file indexes argv. */
static int parse_args(int argc, char **argv, options *opt, int *first_file) {
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || a[1] == 0)
      break;
    if (strncmp(a, "--features=", 11) == 0)
      opt->features = a + 11;
    else if (strncmp(a, "--workdir=", 10) == 0 && a[10])
      opt->workdir = a + 10;
    else if (strncmp(a, "--suite=", 8) == 0 && a[8])
      opt->suite = a + 8;
    else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
      opt->verbose = true;
    else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 1;
    } else {
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
  return 0;
}

static void print_summary(const tally *t, unsigned long files) {
  if (t->file_failures)
    printf("wrt-wast: %lu file%s could not be converted or loaded\n", t->file_failures,
           t->file_failures == 1 ? "" : "s");
  printf("wrt-wast: %lu files, %lu/%lu checks passed; %lu n/a (text), %lu not run yet, "
         "%lu message mismatches\n",
         files, t->passed, t->checks, t->na_text, t->not_run, t->mismatches);
  printf("%lu passed, %lu failed\n", t->passed, t->checks - t->passed + t->file_failures);
}

int main(int argc, char **argv) {
  options opt = {.workdir = "wrt-wast.out"};
  int first = 0;
  int rc = parse_args(argc, argv, &opt, &first);
  if (rc)
    return rc == 1 ? 0 : 2;

  path_list scripts = {0};
  bool from_suite = first == argc;
  if (from_suite && !list_suite(&opt, &scripts)) {
    list_free(&scripts);
    return 2;
  }
  if (!make_dirs(opt.workdir)) {
    fprintf(stderr, "wrt-wast: cannot create %s: %s\n", opt.workdir, strerror(errno));
    list_free(&scripts);
    return 2;
  }

  tally total = {0};
  unsigned long files = 0;
  if (from_suite) {
    for (size_t i = 0; i < scripts.n; i++, files++) {
      char *path = str_printf("%s/%s", opt.suite, scripts.paths[i]);
      run_file(&opt, path, scripts.paths[i], &total);
      free(path);
    }
  } else {
    for (int i = first; i < argc; i++, files++)
      run_file(&opt, argv[i], display_name(&opt, argv[i]), &total);
  }
  list_free(&scripts);
  print_summary(&total, files);
  fflush(stdout);
  return total.passed == total.checks && total.file_failures == 0 ? 0 : 1;
}
