/*
** fuzz_wasi.c: libFuzzer target for WASI preview 1 (libwrt-rt/wasi/). Each
** input is a sequence of calls of the wrappers of test/fuzz/wasi_calls.wat
** (compiled by our wasm2obj, called through its --header in WRT_TRY scopes)
** with arguments drawn from the input: pointers in and out of bounds, huge
** lengths, bad fds, paths from a dictionary of `..`, symlinks, NULs and long
** names. The guest sees one preopen, `sandbox`, inside a scratch tree made
** at start-up. The oracles: the sanitizers, and the invariants of check_*
** and LLVMFuzzerTestOneInput (errno range; nothing outside the sandbox
** changed, read or opened; no host fd leaked). The input format and the
** tree are described at their code.
*/
#include "wasi/wasi_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasi_calls.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Calls per input: enough for open, write, rename, read back; few enough
** that an input runs in well under a millisecond. */
#define MAX_CALLS 64
/* Host file size limit (RLIMIT_FSIZE): fd_allocate, fd_pwrite and
** fd_filestat_set_size at huge offsets get EFBIG instead of filling the disk. */
#define FSIZE_LIMIT (UINT64_C(16) << 20)

/* Guest memory map (page 0). The harness writes the structures it builds
** (results, iovec arrays, subscriptions, paths) here; everything else is
** the input's fill, repeated over the page. */
enum {
  RES_AREA = 0,     /* result pointers: 0..1023 */
  IOV_AREA = 1024,  /* iovec arrays (up to 80 entries) */
  SUB_AREA = 4096,  /* poll subscriptions */
  DATA_AREA = 8192, /* buffers */
  PATH_AREA = 16384 /* two paths per call, 8 KiB each */
};
#define MAX_PATH_BYTES 8192

/* For functions whose comparisons libFuzzer must not see (and learn from). */
#define NO_COVERAGE __attribute__((noinline, no_sanitize("coverage")))

/* ------------------------------------------------------------ the operations */

typedef int32_t (*call_fn)(wrt_instance *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                           int64_t, int64_t, int64_t);

/*
** Argument roles, one letter per role (S and V take two parameters):
**   F fd          P buffer pointer   L length (after a P)   R result pointer
**   D result pointer of a new fd (which later F arguments then use)
**   S path (ptr, len)   V iovec array (ptr, count)   B subscriptions   N their count
**   O u64 offset/size   T timestamp   W rights   X flags   C clock id   A small enum
** check_ops compares them with the parameter types of WASI_FUNCS.
*/
typedef struct op {
  const char *name;
  const char *roles;
  call_fn fn;
  bool mutates; /* may change the sandbox tree (which is then rebuilt) */
} op;

#define OP(name, roles, mutates) {#name, roles, wasi_calls_##name, mutates}
static const op ops[] = {
    OP(args_get, "PP", false),
    OP(args_sizes_get, "RR", false),
    OP(environ_get, "PP", false),
    OP(environ_sizes_get, "RR", false),
    OP(clock_res_get, "CR", false),
    OP(clock_time_get, "CTR", false),
    OP(fd_advise, "FOOA", false),
    OP(fd_allocate, "FOO", true),
    OP(fd_close, "F", false),
    OP(fd_datasync, "F", false),
    OP(fd_fdstat_get, "FR", false),
    OP(fd_fdstat_set_flags, "FX", false),
    OP(fd_fdstat_set_rights, "FWW", false),
    OP(fd_filestat_get, "FR", false),
    OP(fd_filestat_set_size, "FO", true),
    OP(fd_filestat_set_times, "FTTX", true),
    OP(fd_pread, "FVOR", false),
    OP(fd_prestat_get, "FR", false),
    OP(fd_prestat_dir_name, "FPL", false),
    OP(fd_pwrite, "FVOR", true),
    OP(fd_read, "FVR", false),
    OP(fd_readdir, "FPLOR", false),
    OP(fd_renumber, "FF", false),
    OP(fd_seek, "FOAR", false),
    OP(fd_sync, "F", false),
    OP(fd_tell, "FR", false),
    OP(fd_write, "FVR", true),
    OP(path_create_directory, "FS", true),
    OP(path_filestat_get, "FXSR", false),
    OP(path_filestat_set_times, "FXSTTX", true),
    OP(path_link, "FXSFS", true),
    OP(path_open, "FXSXWWXD", true),
    OP(path_readlink, "FSPLR", false),
    OP(path_remove_directory, "FS", true),
    OP(path_rename, "FSFS", true),
    OP(path_symlink, "SFS", true),
    OP(path_unlink_file, "FS", true),
    OP(poll_oneoff, "BPNR", false),
    OP(proc_raise, "A", false),
    OP(sched_yield, "", false),
    OP(random_get, "PL", false),
    OP(sock_accept, "FXD", false),
    OP(sock_recv, "FVXRR", false),
    OP(sock_send, "FVXR", false),
    OP(sock_shutdown, "FA", false),
};
#undef OP
#define N_OPS (sizeof ops / sizeof ops[0])
/* Pseudo-operations after the WASI ones: write bytes into guest memory,
** grow the memory. */
enum { OP_POKE = N_OPS, OP_GROW, N_ALL_OPS };

/* An operation byte picks through this table (set by check_ops), which
** weighs the path functions 4 and the transfers 2 against the others: the
** sandbox is in the paths, and what reads and writes through them. */
static uint8_t op_pick[256];
static uint32_t open_op; /* the index of path_open */

/* ------------------------------------------------------------ global state */

/*
** The scratch tree, made once (paths below are relative to `root`):
**   top, outside/{secret, sub/f, link}, mid/sibling   hold the marker
**   mid/sandbox/      the guest's only preopen; rebuilt after an input in
**                     which a function that changes it succeeded (ops[].mutates)
**                     or path_open was asked to create or truncate
**   stdio/{in, out}   the guest's fds 0 (read only) and 1, 2; never compared
** Everything but mid/sandbox and stdio is the "outside": its listing (names,
** types, modes, sizes, mtimes, ctimes, link counts, inodes, contents, link
** targets) must equal `pristine` after every input.
*/
static struct {
  char root[PATH_MAX], sandbox[PATH_MAX + 32];
  uint8_t marker[16]; /* random bytes in every outside file: a read out shows */
  char *pristine;     /* the outside listing at start-up */
  size_t pristine_len;
  struct stat outside[32]; /* the outside entries, for invariant 4 */
  size_t n_outside;
  bool dirty; /* the sandbox must be rebuilt before the next input */
  bool trace; /* WRT_FUZZ_WASI_TRACE: print every call */
  wrt_engine *engine;
  /* Statistics, printed at exit. */
  uint64_t inputs, rebuilds, calls, ok[N_OPS], called[N_OPS];
} g;

/* The calls of the current input, printed when an invariant fails. */
typedef struct call_rec {
  uint32_t op;
  int64_t a[9];
  int32_t r;
  uint8_t n_paths;
  char path[2][48]; /* the start of the paths the harness wrote */
  size_t path_len[2];
} call_rec;
static call_rec trace_buf[MAX_CALLS];
static unsigned trace_n;

/* Parameters per operation (roles S and V take two), and the index of the
** D parameter or -1; set by check_ops. */
static size_t n_params[N_OPS];
static int fd_param[N_OPS];

static void print_call(FILE *f, const call_rec *c) {
  if (c->op >= N_OPS) {
    fprintf(f, "  (%s)\n", c->op == OP_POKE ? "poke" : "grow");
    return;
  }
  fprintf(f, "  %s(", ops[c->op].name);
  for (size_t i = 0; i < n_params[c->op]; i++)
    fprintf(f, "%s%#llx", i ? ", " : "", (unsigned long long)c->a[i]);
  fprintf(f, ") = %d", c->r);
  for (unsigned k = 0; k < c->n_paths; k++) {
    fprintf(f, "%s\"", k ? ", " : "  paths: ");
    size_t n = c->path_len[k] < sizeof c->path[k] ? c->path_len[k] : sizeof c->path[k];
    for (size_t i = 0; i < n; i++) {
      unsigned char ch = (unsigned char)c->path[k][i];
      fprintf(f, ch >= 32 && ch < 127 && ch != '"' && ch != '\\' ? "%c" : "\\x%02x", ch);
    }
    fprintf(f, "%s\" (%zu bytes)", n < c->path_len[k] ? "..." : "", c->path_len[k]);
  }
  fprintf(f, "\n");
}

/* An invariant failed: say which, list the input's calls and abort, which
** libFuzzer reports as a crash and saves the input. */
static noreturn void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fuzz_wasi: INVARIANT FAILED: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nfuzz_wasi: calls of this input:\n");
  va_end(ap);
  for (unsigned i = 0; i < trace_n; i++)
    print_call(stderr, &trace_buf[i]);
  fprintf(stderr, "fuzz_wasi: scratch tree left in %s\n", g.root);
  abort();
}

/* A setup step that cannot fail unless the machine is broken. */
static void need(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz_wasi: %s: %s\n", what, strerror(errno));
    abort();
  }
}

/* ------------------------------------------------------------ the scratch tree */

static void put_file(const char *dir, const char *rel, const void *data, size_t n) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  need(fd >= 0, p);
  need(write(fd, data, n) == (ssize_t)n, p);
  close(fd);
}

static void put_dir(const char *dir, const char *rel) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  need(mkdir(p, 0755) == 0, p);
}

static void put_link(const char *dir, const char *rel, const char *target) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  need(symlink(target, p) == 0, p);
}

/* An outside file: the marker first (any read of 16 bytes shows), then
** some text. */
static void put_secret(const char *rel) {
  uint8_t buf[80];
  memcpy(buf, g.marker, sizeof g.marker);
  char *text = (char *)buf + sizeof g.marker;
  int n = snprintf(text, sizeof buf - sizeof g.marker, " outside %s\n", rel);
  put_file(g.root, rel, buf, sizeof g.marker + (size_t)n);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f) {
  (void)st, (void)flag;
  if (f->level == 0)
    return 0; /* the directory itself stays */
  if (remove(p) != 0) {
    fprintf(stderr, "fuzz_wasi: cannot remove %s: %s\n", p, strerror(errno));
    abort();
  }
  return 0;
}

static void rm_contents(const char *dir) {
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The sandbox's contents: files, directories, and symlinks that stay inside,
** climb out (`..`, absolute), loop or dangle. */
static void sandbox_build(void) {
  const char *s = g.sandbox;
  char abs[PATH_MAX + 64];
  put_file(s, "f", "hello, sandbox\n", 15);
  put_file(s, "empty", "", 0);
  put_dir(s, "d");
  put_file(s, "d/g", "in d\n", 5);
  put_dir(s, "d/e");
  put_link(s, "d/up2", "../..");
  put_link(s, "d/back", "../f");
  put_link(s, "d/deep", "../../sibling");
  put_link(s, "in_f", "f");
  put_link(s, "in_d", "d");
  put_link(s, "chain", "in_d/back");
  put_link(s, "dot", ".");
  put_link(s, "up", "..");
  put_link(s, "upf", "../sibling");
  put_link(s, "upup", "../../outside/secret");
  snprintf(abs, sizeof abs, "%s/outside/secret", g.root);
  put_link(s, "abs", abs);
  snprintf(abs, sizeof abs, "%s/outside", g.root);
  put_link(s, "absdir", abs);
  put_link(s, "absroot", g.root);
  put_link(s, "loop1", "loop2");
  put_link(s, "loop2", "loop1");
  put_link(s, "self", "self");
  put_link(s, "dangling", "nowhere");
}

static void tree_build(void) {
  /* tmpfs when there is one: rebuilding the sandbox on a disk file system
  ** halves the executions per second. */
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp)
    tmp = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(g.root, sizeof g.root, "%s/wrt-fuzz-wasi-XXXXXX", tmp);
  need(mkdtemp(g.root) != NULL, g.root);
  snprintf(g.sandbox, sizeof g.sandbox, "%s/mid/sandbox", g.root);
  need(getrandom(g.marker, sizeof g.marker, 0) == (ssize_t)sizeof g.marker, "getrandom");
  put_secret("top");
  put_dir(g.root, "outside");
  put_secret("outside/secret");
  put_dir(g.root, "outside/sub");
  put_secret("outside/sub/f");
  put_link(g.root, "outside/link", "secret");
  put_dir(g.root, "mid");
  put_secret("mid/sibling");
  put_dir(g.root, "mid/sandbox");
  put_dir(g.root, "stdio");
  put_file(g.root, "stdio/in", "standard input\n", 15);
  put_file(g.root, "stdio/out", "", 0);
  sandbox_build();
}

static int rm_all(const char *p, const struct stat *st, int flag, struct FTW *f) {
  (void)st, (void)flag, (void)f;
  remove(p);
  return 0;
}

/* ------------------------------------------------------------ the outside listing */

typedef struct text {
  char *buf;
  size_t len, cap;
} text;

static void text_add(text *t, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->cap - t->len;
    int n = vsnprintf(t->buf ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    need(n >= 0, "vsnprintf");
    if ((size_t)n < room) {
      t->len += (size_t)n;
      return;
    }
    t->cap = t->cap * 2 + (size_t)n + 256;
    t->buf = realloc(t->buf, t->cap);
    need(t->buf != NULL, "realloc");
  }
}

/* Comparisons of the harness's own strings, kept away from libFuzzer: its
** hooks on strcmp and memcmp would put them in its dictionary. */
NO_COVERAGE static bool same_bytes(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i])
      return false;
  return true;
}

static bool same(const char *a, const char *b) {
  size_t n = strlen(a);
  return n == strlen(b) && same_bytes(a, b, n);
}

static uint64_t fnv_file(const char *p) {
  uint64_t h = UINT64_C(14695981039346656037);
  int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  uint8_t buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++)
      h = (h ^ buf[i]) * UINT64_C(1099511628211);
  close(fd);
  return h;
}

/* Lists rel (a path below root) and, for a directory, its entries in name
** order, skipping the sandbox and stdio. Times in nanoseconds; atime is left
** out (reads change it). */
static void list_tree(text *t, const char *rel) {
  char p[PATH_MAX * 2];
  snprintf(p, sizeof p, "%s/%s", g.root, rel);
  struct stat st;
  if (lstat(p, &st) != 0) {
    text_add(t, "%s: missing\n", rel);
    return;
  }
  if (!g.pristine && g.n_outside < sizeof g.outside / sizeof g.outside[0])
    g.outside[g.n_outside++] = st; /* while listing the pristine tree */
  text_add(t, "%s: mode %o size %lld mtime %lld.%09ld ctime %lld.%09ld nlink %lu ino %lu", rel,
           (unsigned)st.st_mode, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
           (unsigned long)st.st_nlink, (unsigned long)st.st_ino);
  if (S_ISREG(st.st_mode)) {
    text_add(t, " data %016llx\n", (unsigned long long)fnv_file(p));
  } else if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(p, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    text_add(t, " -> %s\n", target);
  } else {
    text_add(t, "\n");
  }
  if (!S_ISDIR(st.st_mode))
    return;
  struct dirent **names;
  int n = scandir(p, &names, NULL, alphasort);
  need(n >= 0, p);
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    char sub[PATH_MAX * 2];
    snprintf(sub, sizeof sub, "%s/%s", rel, name);
    if (!same(name, ".") && !same(name, "..") && !same(sub, "./mid/sandbox") &&
        !same(sub, "./stdio"))
      list_tree(t, sub);
    free(names[i]);
  }
  free(names);
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return -1;
  int n = 0;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

/* ------------------------------------------------------------ invariants */

/* Invariant 1: every WASI function returns a WASI errno. */
static void check_errno(const op *o, int32_t r) {
  if (r < WASI_ESUCCESS || r > WASI_ENOTCAPABLE)
    fail("%s returned %d, not a WASI errno (0..%d)", o->name, r, WASI_ENOTCAPABLE);
}

/* Searched without coverage instrumentation, so that libFuzzer never sees
** the marker in a comparison and cannot learn it (memchr is not one of the
** functions it hooks). */
NO_COVERAGE static bool has_marker(const uint8_t *p, size_t n) {
  const uint8_t *end = p + n;
  while (end - p >= (ptrdiff_t)sizeof g.marker) {
    const uint8_t *q = memchr(p, g.marker[0], (size_t)(end - p) - sizeof g.marker + 1);
    if (!q)
      return false;
    size_t i = 1;
    while (i < sizeof g.marker && q[i] == g.marker[i])
      i++;
    if (i == sizeof g.marker)
      return true;
    p = q + 1;
  }
  return false;
}

/* Invariant 2: nothing outside the sandbox changed. */
static void check_outside(void) {
  text t = {0};
  list_tree(&t, ".");
  if (t.len != g.pristine_len || !same_bytes(t.buf, g.pristine, t.len)) {
    fprintf(stderr, "fuzz_wasi: outside the sandbox, before:\n%.*s", (int)g.pristine_len,
            g.pristine);
    fprintf(stderr, "fuzz_wasi: and now:\n%.*s", (int)t.len, t.buf);
    fail("the tree outside the sandbox changed");
  }
  free(t.buf);
}

/* Invariant 4: no fd the guest opens is a file or directory outside the
** sandbox (an open that escaped, even if nothing is read or written
** through it). Checked after every path_open and sock_accept. */
static void check_new_fd(const wrt_wasi *w, uint32_t fd) {
  struct stat st;
  if (fd >= w->n_fds || w->fds[fd].host < 0 || fstat(w->fds[fd].host, &st) != 0)
    fail("the new fd %u is not open", fd);
  for (size_t k = 0; k < g.n_outside; k++)
    if (st.st_dev == g.outside[k].st_dev && st.st_ino == g.outside[k].st_ino)
      fail("the new fd %u is inode %lu, outside the sandbox", fd, (unsigned long)st.st_ino);
}

/* Invariant 5: the context closed every host fd it opened. */
static void check_fds(int before) {
  int n = count_fds();
  if (before >= 0 && n != before)
    fail("%d host fds open after the input, %d before", n, before);
}

/* ------------------------------------------------------------ reading the input */

typedef struct src {
  const uint8_t *p;
  size_t n;
} src;

static uint8_t u8(src *s) {
  if (s->n == 0)
    return 0;
  s->n--;
  return *s->p++;
}
static uint16_t u16(src *s) {
  uint16_t lo = u8(s);
  return (uint16_t)(lo | (uint16_t)(u8(s) << 8));
}
static uint32_t u32(src *s) {
  uint32_t lo = u16(s);
  return lo | (uint32_t)u16(s) << 16;
}
static uint64_t u64(src *s) {
  uint64_t lo = u32(s);
  return lo | (uint64_t)u32(s) << 32;
}

/* One input being run. */
typedef struct run {
  src in;
  call_rec *rec; /* the call being made */
  wrt_wasi *w;
  wrt_store *s;
  wrt_instance *inst;
  wrt_memory *mem;
  uint32_t last_ptr; /* the last P, for an L that fits it to the end */
  uint32_t n_subs;   /* subscriptions the last B built */
  uint32_t fds[8];   /* fds path_open and sock_accept returned (a ring) */
  uint32_t n_fds;
} run;

static uint32_t mem_size(run *r) {
  return (uint32_t)wrt_memory_size(r->mem);
}

/* [off, off + n) of guest memory, or NULL when out of bounds. */
static uint8_t *guest(run *r, uint64_t off, uint64_t n) {
  if (!wrt_in_bounds(off, n, mem_size(r)))
    return NULL;
  return wrt_memory_data(r->mem) + off;
}

/* Writes n bytes at guest offset off, as far as they are in bounds. */
static void poke(run *r, uint64_t off, const void *p, size_t n) {
  uint64_t size = mem_size(r);
  if (off >= size)
    return;
  if (n > size - off)
    n = (size_t)(size - off);
  memcpy(wrt_memory_data(r->mem) + off, p, n);
}
static void poke32(run *r, uint64_t off, uint32_t v) {
  uint8_t b[4];
  wasi_st32(b, v);
  poke(r, off, b, 4);
}

/* ------------------------------------------------------------ argument generators */

/* A pointer into (or just out of) guest memory. */
static uint32_t gen_ptr(run *r, uint32_t base) {
  uint32_t size = mem_size(r);
  uint8_t sel = u8(&r->in), b = u8(&r->in);
  switch (sel % 10) {
  case 0:
    return 0;
  case 1:
  case 2:
  case 3:
    return base + b * 8u;
  case 4:
    return size - b;
  case 5:
    return size + b;
  case 6:
    return UINT32_MAX - b;
  case 7:
    return u32(&r->in);
  case 8:
    return u16(&r->in);
  default:
    return base + b;
  }
}

/* A length, often one that fits the last pointer exactly or just not. */
static uint32_t gen_len(run *r) {
  uint32_t size = mem_size(r), p = r->last_ptr;
  uint32_t rest = p <= size ? size - p : 0;
  uint8_t sel = u8(&r->in);
  switch (sel % 10) {
  case 0:
    return 0;
  case 1:
  case 2:
  case 3:
    return u8(&r->in);
  case 4:
    return u16(&r->in);
  case 5:
    return rest;
  case 6:
    return rest + 1;
  case 7:
    return UINT32_MAX - (sel >> 4);
  case 8:
    return u32(&r->in);
  default:
    return UINT32_C(1) << (sel % 32);
  }
}

/* A result pointer: mostly in the result area, sometimes at or past the end. */
static uint32_t gen_res(run *r) {
  uint8_t sel = u8(&r->in), b = u8(&r->in);
  uint32_t size = mem_size(r);
  switch (sel % 8) {
  case 5:
    return size - (b % 12);
  case 6:
    return UINT32_MAX - (b % 8);
  case 7:
    return u32(&r->in);
  default:
    return RES_AREA + (b % 128) * 8u + (sel >> 5);
  }
}

/* An fd: mostly the preopen (also for the zeros of an input that ran out),
** stdio, the socket, or one the input opened; sometimes a bad one. */
static uint32_t gen_fd(run *r) {
  uint8_t sel = u8(&r->in), b = u8(&r->in);
  switch (sel % 16) {
  case 5:
    return b % 3; /* stdio */
  case 6:
    return 4; /* the socket */
  case 7:
  case 8:
  case 9:
  case 10:
    return r->n_fds ? r->fds[b % (r->n_fds < 8 ? r->n_fds : 8)] : 3;
  case 11:
    return b;
  case 12:
    return UINT32_MAX - (b % 4);
  case 13:
    return UINT32_C(1) << (b % 32);
  case 14:
    return u32(&r->in);
  case 15:
    return 5 + b % 8; /* just past the configured ones */
  default:
    return 3; /* the preopen */
  }
}

static uint64_t gen_u64(run *r) {
  uint8_t sel = u8(&r->in);
  switch (sel % 12) {
  case 0:
    return 0;
  case 1:
    return u8(&r->in);
  case 2:
    return u16(&r->in);
  case 3:
    return u32(&r->in);
  case 4:
    return (uint64_t)INT64_MAX - (sel >> 4);
  case 5:
    return (uint64_t)INT64_MAX + 1 + (sel >> 4);
  case 6:
    return UINT64_MAX - (sel >> 4);
  case 7:
    return (uint64_t)0 - u8(&r->in);
  case 8:
    return (UINT64_C(1) << 32) + u8(&r->in) - 128;
  case 9:
    return UINT64_C(1) << (u8(&r->in) % 64);
  case 10:
    return FSIZE_LIMIT - 8 + u8(&r->in) % 16;
  default:
    return u64(&r->in);
  }
}

static uint64_t gen_time(run *r) {
  uint8_t sel = u8(&r->in);
  switch (sel % 6) {
  case 0:
    return 0;
  case 1:
    return (uint64_t)u8(&r->in) * 1000000000u + (sel >> 3);
  case 2:
    return UINT64_MAX - (sel >> 3);
  case 3:
    return (uint64_t)INT64_MAX;
  case 4:
    return (uint64_t)u32(&r->in) * 1000000000u;
  default:
    return u64(&r->in);
  }
}

static uint64_t gen_rights(run *r) {
  uint8_t sel = u8(&r->in);
  switch (sel % 7) {
  case 0:
    return WASI_RIGHTS_ALL;
  case 1:
    return WASI_RIGHTS_FILE;
  case 2:
    return WASI_RIGHTS_DIR;
  case 3:
    return 0;
  case 4:
    return UINT64_MAX;
  case 5:
    return WASI_RIGHTS_ALL & ~(UINT64_C(1) << (u8(&r->in) % 30));
  default:
    return u64(&r->in);
  }
}

/* Flags: mostly within the defined bits of the WASI flag sets (4 or 5). */
static uint32_t gen_flags(run *r) {
  uint8_t sel = u8(&r->in);
  switch (sel % 8) {
  case 5:
    return u8(&r->in) & 0x1f;
  case 6:
    return u8(&r->in);
  case 7:
    return u32(&r->in);
  default:
    return u8(&r->in) & 0x0f;
  }
}

static uint32_t gen_enum(run *r, uint32_t n) {
  uint8_t sel = u8(&r->in);
  if (sel >= 240)
    return sel == 255 ? u32(&r->in) : UINT32_MAX - (sel & 3);
  return sel % n;
}

/* Path components: names of the sandbox (see sandbox_build), names that do
** not exist yet, `.` and `..` in several shapes, absolute paths, empty
** components, NULs, and names at NAME_MAX. */
static const struct {
  const char *s;
  size_t n; /* for the ones with NUL bytes */
} words[] = {
    /* the sandbox (see sandbox_build) */
    {"f", 0}, {"empty", 0}, {"d", 0}, {"d/g", 0}, {"d/e", 0}, {"in_f", 0}, {"in_d", 0},
    {"chain", 0}, {"dot", 0}, {"loop1", 0}, {"self", 0}, {"dangling", 0},
    /* names to create */
    {"new", 0}, {"new2", 0}, {"nd", 0},
    /* ways out: links, `..`, absolute paths */
    {"d/up2", 0}, {"d/back", 0}, {"d/deep", 0}, {"up", 0}, {"upf", 0}, {"upup", 0},
    {"abs", 0}, {"absdir", 0}, {"absroot", 0}, {".", 0}, {"..", 0}, {"", 0}, {"/", 0},
    {"//", 0}, {"/tmp", 0}, {"a/../..", 0}, {"d/e/../..", 0}, {"in_d/..", 0},
    {"in_d/../..", 0}, {"chain/..", 0}, {"in_d/e/../../..", 0}, {"up/sandbox", 0},
    {"up/sibling", 0}, {"../sibling", 0}, {"d/up2/sibling", 0}, {"absdir/secret", 0},
    {"absdir/sub/f", 0}, {"absroot/top", 0}, {"sibling", 0}, {"secret", 0},
    /* NUL bytes */
    {"f\0", 2}, {"\0", 1}, {"d\0/g", 4},
};
#define N_WORDS (sizeof words / sizeof words[0])

/* Builds a path from the input and writes it into guest memory (slot 0 or 1
** of the path area). Most paths are one or two dictionary words with the
** exact length, so that two-path calls succeed often enough; the shape byte
** sometimes adds a leading, trailing or doubled slash, and its top bits
** choose an odd layout: crossing the end of memory, a random pointer, or a
** length that does not match what was written. */
static void gen_path(run *r, int slot, int64_t *ptr, int64_t *len) {
  static const uint8_t n_comps[8] = {1, 1, 1, 1, 2, 2, 3, 4};
  static char p[MAX_PATH_BYTES];
  size_t n = 0;
  uint8_t shape = u8(&r->in);
  unsigned comps = n_comps[shape & 7], deco = (shape >> 3) & 7;
  if (deco == 1)
    p[n++] = '/';
  else if (deco == 2)
    n += (size_t)snprintf(p, sizeof p, "./");
  for (unsigned i = 0; i < comps && n < sizeof p - 300; i++) {
    if (i)
      p[n++] = '/';
    if (i && deco == 3)
      p[n++] = '/';
    uint8_t sel = u8(&r->in);
    if (sel < 216) {
      size_t k = words[sel % N_WORDS].n ? words[sel % N_WORDS].n : strlen(words[sel % N_WORDS].s);
      memcpy(p + n, words[sel % N_WORDS].s, k);
      n += k;
    } else if (sel < 240) { /* raw bytes: '/', '.', NUL, anything */
      size_t k = u8(&r->in) % 24;
      for (size_t j = 0; j < k; j++)
        p[n++] = (char)u8(&r->in);
    } else if (sel < 250) { /* a name of NAME_MAX - 1 .. NAME_MAX + 1 bytes */
      size_t k = NAME_MAX - 1 + sel % 3;
      memset(p + n, 'a' + sel % 3, k);
      n += k;
    } else { /* a whole path around the 4096-byte limit */
      n = 0;
      size_t k = 4090 + u8(&r->in) % 12;
      for (size_t j = 0; j < k; j++)
        p[n++] = j % 2 ? '/' : 'x';
      break;
    }
  }
  if (deco == 4)
    p[n++] = '/';
  else if (deco == 5)
    n += (size_t)snprintf(p + n, sizeof p - n, "/.");
  uint32_t at = PATH_AREA + (uint32_t)slot * MAX_PATH_BYTES;
  *len = (int64_t)n;
  if (shape >= 192) {
    uint8_t odd = u8(&r->in);
    switch (odd % 6) {
    case 0:
      at = mem_size(r) - (uint32_t)n + odd / 64; /* crossing the end by 0..3 */
      break;
    case 1:
      at = u32(&r->in);
      break;
    case 2:
      *len = (int64_t)n + 1 + odd / 32; /* takes the bytes after it */
      break;
    case 3:
      *len = n ? (int64_t)n - 1 : 0;
      break;
    case 4:
      *len = 0;
      break;
    default:
      *len = u32(&r->in);
      break;
    }
  }
  poke(r, at, p, n);
  *ptr = at;
  call_rec *c = r->rec;
  memcpy(c->path[c->n_paths], p, n < sizeof c->path[0] ? n : sizeof c->path[0]);
  c->path_len[c->n_paths++] = n;
}

/* An iovec array: mostly a few entries in the iovec area, sometimes a
** count of 0, more than the host takes at once (64), or one whose byte size
** overflows u32. */
static void gen_iovs(run *r, int64_t *ptr, int64_t *count) {
  uint8_t sel = u8(&r->in);
  uint32_t n = sel % 5, at = IOV_AREA + (sel >> 3) % 8 * 8;
  switch (sel % 16) {
  case 13:
    n = 60 + u8(&r->in) % 20;
    break;
  case 14:
    at = gen_ptr(r, IOV_AREA);
    break;
  default:
    break;
  }
  uint32_t built = n < 80 ? n : 80;
  for (uint32_t i = 0; i < built; i++) {
    uint32_t buf = gen_ptr(r, DATA_AREA);
    r->last_ptr = buf;
    poke32(r, (uint64_t)at + i * 8, buf);
    poke32(r, (uint64_t)at + i * 8 + 4, gen_len(r));
  }
  *ptr = at;
  *count = n;
  if (sel % 16 == 15)
    *count = u8(&r->in) & 1 ? UINT32_C(0x20000000) : u32(&r->in);
}

/* Subscriptions for poll_oneoff: clocks, fd reads and writes, bad tags. */
static uint32_t gen_subs(run *r) {
  uint8_t sel = u8(&r->in);
  uint32_t n = 1 + sel % 4, at = sel >= 224 ? gen_ptr(r, SUB_AREA) : SUB_AREA;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t s[WASI_SUBSCRIPTION_SIZE];
    memset(s, 0, sizeof s);
    wasi_st64(s, u64(&r->in));
    uint8_t tag = u8(&r->in);
    s[8] = tag % 5 == 4 ? tag : tag % 3;
    if (s[8] == WASI_EVENT_CLOCK) {
      wasi_st32(s + 16, gen_enum(r, 6));
      wasi_st64(s + 24, gen_time(r));
      wasi_st64(s + 32, gen_u64(r));
      wasi_st16(s + 40, (uint16_t)gen_flags(r));
    } else {
      wasi_st32(s + 16, gen_fd(r));
    }
    poke(r, (uint64_t)at + i * WASI_SUBSCRIPTION_SIZE, s, sizeof s);
  }
  r->n_subs = n;
  return at;
}

static uint32_t gen_nsubs(run *r) {
  uint8_t sel = u8(&r->in);
  switch (sel % 8) {
  case 6:
    return sel & 8 ? 0 : r->n_subs + 1 + sel / 16;
  case 7:
    return u32(&r->in);
  default:
    return r->n_subs;
  }
}

/* A poll may not sleep long: every clock subscription the call will read
** waits at most 0.1 ms (relative) or lies in the past (absolute: at most
** 1 ms after the clock's epoch, which every clock has passed by now). */
static void clamp_poll(run *r, uint32_t in, uint32_t n) {
  uint8_t *p = guest(r, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE);
  if (!p)
    return;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *s = p + (size_t)i * WASI_SUBSCRIPTION_SIZE;
    if (s[8] != WASI_EVENT_CLOCK)
      continue;
    uint64_t t = wasi_ld64(s + 24);
    wasi_st64(s + 24, wasi_ld16(s + 40) & 1 ? t % 1000000 : t % 100001);
  }
}

/* ------------------------------------------------------------ running an input */

static void gen_args(run *r, const op *o, int64_t *a) {
  size_t k = 0;
  int slot = 0;
  for (const char *c = o->roles; *c; c++) {
    switch (*c) {
    case 'F':
      a[k++] = gen_fd(r);
      break;
    case 'P':
      r->last_ptr = gen_ptr(r, DATA_AREA);
      a[k++] = r->last_ptr;
      break;
    case 'L':
      a[k++] = gen_len(r);
      break;
    case 'R':
    case 'D':
      a[k++] = gen_res(r);
      break;
    case 'S':
      gen_path(r, slot++, &a[k], &a[k + 1]);
      k += 2;
      break;
    case 'V':
      gen_iovs(r, &a[k], &a[k + 1]);
      k += 2;
      break;
    case 'B':
      a[k++] = gen_subs(r);
      break;
    case 'N':
      a[k++] = gen_nsubs(r);
      break;
    case 'O':
      a[k++] = (int64_t)gen_u64(r);
      break;
    case 'T':
      a[k++] = (int64_t)gen_time(r);
      break;
    case 'W':
      a[k++] = (int64_t)gen_rights(r);
      break;
    case 'X':
      a[k++] = gen_flags(r);
      break;
    case 'C':
      a[k++] = gen_enum(r, 6);
      break;
    default: /* 'A' */
      a[k++] = gen_enum(r, 8);
      break;
    }
  }
}

/* One direct call in a trap scope of its own. No WASI function but
** proc_exit (never called here) may trap. */
static int32_t invoke(run *r, const op *o, const int64_t *a) {
  wrt_scope sc;
  wrt_trap trap;
  volatile int32_t res = -1;
  WRT_TRY(r->s, &sc) {
    res = o->fn(r->inst, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
  }
  if (wrt_scope_end(&sc, &trap) == WRT_ETRAP)
    fail("%s trapped: %s", o->name, trap.msg);
  return res;
}

static int32_t grow(run *r, uint32_t delta) {
  wrt_scope sc;
  wrt_trap trap;
  volatile int32_t res = -1;
  WRT_TRY(r->s, &sc) {
    res = wasi_calls_grow(r->inst, (int32_t)delta);
  }
  if (wrt_scope_end(&sc, &trap) == WRT_ETRAP)
    fail("memory.grow trapped: %s", trap.msg);
  return res;
}

/* A new fd in the result of path_open or sock_accept joins the fd choices. */
static void note_fd(run *r, uint32_t ret) {
  const uint8_t *p = guest(r, ret, 4);
  if (!p)
    fail("a call succeeded with its result out of bounds");
  check_new_fd(r->w, wasi_ld32(p));
  r->fds[r->n_fds++ % 8] = wasi_ld32(p);
}

/* Runs the calls of the input. Each starts with an operation byte; the
** arguments follow, as many bytes as their generators take (an input that
** runs out reads zeros). */
static void run_calls(run *r) {
  while (r->in.n > 0 && trace_n < MAX_CALLS) {
    call_rec *c = &trace_buf[trace_n++];
    memset(c, 0, sizeof *c);
    r->rec = c;
    c->op = op_pick[u8(&r->in)];
    if (c->op == OP_POKE) {
      uint8_t bytes[32], n = u8(&r->in) % 32;
      uint32_t at = gen_ptr(r, (uint32_t)(u8(&r->in) % 4) * 4096);
      for (uint8_t i = 0; i < n; i++)
        bytes[i] = u8(&r->in);
      poke(r, at, bytes, n);
      continue;
    }
    if (c->op == OP_GROW) {
      uint8_t sel = u8(&r->in);
      c->r = grow(r, sel < 250 ? sel % 3 : u32(&r->in));
      continue;
    }
    const op *o = &ops[c->op];
    gen_args(r, o, c->a);
    if (o->roles[0] == 'B') /* poll_oneoff */
      clamp_poll(r, (uint32_t)c->a[0], (uint32_t)c->a[2]);
    g.calls++;
    g.called[c->op]++;
    c->r = invoke(r, o, c->a);
    /* The functions that change the tree do nothing when they fail, but
    ** path_open, which may create a file and then fail. */
    if (c->op == open_op)
      g.dirty |= (c->a[4] & (WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC)) != 0;
    else
      g.dirty |= o->mutates && c->r == WASI_ESUCCESS;
    if (g.trace)
      print_call(stderr, c);
    check_errno(o, c->r);
    if (c->r != WASI_ESUCCESS)
      continue;
    g.ok[c->op]++;
    if (fd_param[c->op] >= 0)
      note_fd(r, (uint32_t)c->a[fd_param[c->op]]);
  }
}

/* The first byte gives the length of the memory fill (0..63 bytes, at most
** half of what follows), which is repeated over the whole first page (so
** that bytes after a path or iovec are the input's too); the calls follow. */
static void fill_memory(run *r) {
  size_t n = u8(&r->in) % 64;
  if (n > r->in.n / 2)
    n = r->in.n / 2;
  uint8_t *m = wrt_memory_data(r->mem);
  size_t size = mem_size(r), done = n;
  memcpy(m, r->in.p, n);
  while (n && done < size) {
    size_t k = done < size - done ? done : size - done;
    memcpy(m + done, m, k);
    done += k;
  }
  r->in.p += n;
  r->in.n -= n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (g.inputs == 0) {
    /* A write to the socket whose peer has gone is EPIPE, not death; a file
    ** past the size limit is EFBIG. Set here, not at initialisation:
    ** libFuzzer installs its handlers (SIGXFSZ is a crash for it) after
    ** LLVMFuzzerInitialize. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
  }
  if (g.dirty) {
    rm_contents(g.sandbox);
    sandbox_build();
    g.rebuilds++;
    g.dirty = false;
  }
  g.inputs++;
  trace_n = 0;
  int fds_before = count_fds();
  char p[PATH_MAX + 32];
  snprintf(p, sizeof p, "%s/stdio/in", g.root);
  int in = open(p, O_RDONLY | O_CLOEXEC);
  snprintf(p, sizeof p, "%s/stdio/out", g.root);
  int out = open(p, O_RDWR | O_TRUNC | O_CLOEXEC);
  int sp[2] = {-1, -1};
  need(in >= 0 && out >= 0 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0,
       "stdio and socket");
  close(sp[1]); /* a peer that has gone: reads see the end, writes EPIPE */

  static const char *argv[] = {"fuzz", "an argument", ""}, *env[] = {"A=1", "EMPTY="};
  const char *host[] = {g.sandbox}, *names[] = {"sandbox"};
  wrt_wasi_config cfg = {.argc = 3,
                         .argv = argv,
                         .n_env = 2,
                         .env = env,
                         .n_dirs = 1,
                         .dir_host = host,
                         .dir_guest = names,
                         .n_sockets = 1,
                         .socket_fds = &sp[0],
                         .stdio = {in, out, out}};
  wrt_diag d;
  wrt_trap trap;
  wrt_extern ex;
  wrt_wasi *w = wrt_wasi_new(&cfg, &d);
  need(w != NULL, "wrt_wasi_new");
  run r = {.in = {data, size}, .w = w, .s = wrt_store_new(g.engine)};
  wrt_linker *l = wrt_linker_new(r.s);
  need(l && wrt_wasi_define(w, r.s, l) == WRT_OK, "wrt_wasi_define");
  need(wasi_calls_instantiate(r.s, l, &r.inst, &d, &trap) == WRT_OK, "instantiate");
  need(wrt_wasi_bind(w, r.inst, &d) == WRT_OK, "wrt_wasi_bind");
  need(wrt_instance_export(r.inst, "memory", &ex) == WRT_OK, "memory export");
  r.mem = ex.of.memory;

  fill_memory(&r);
  bool marked = has_marker(wrt_memory_data(r.mem), mem_size(&r));
  run_calls(&r);
  /* Invariant 3: nothing of the outside files was read into the guest. */
  if (!marked && has_marker(wrt_memory_data(r.mem), mem_size(&r)))
    fail("bytes of a file outside the sandbox reached guest memory");

  wrt_store_free(r.s);
  wrt_linker_free(l);
  wrt_wasi_free(w);
  close(in);
  close(out);
  close(sp[0]);
  check_outside();
  check_fds(fds_before);
  return 0;
}

/* ------------------------------------------------------------ start-up and exit */

/* ops must follow WASI_FUNCS, and each role string must give the
** function's parameter types. */
static void check_ops(void) {
  static const struct {
    const char *name, *params;
  } list[] = {
#define ENTRY(name, params) {#name, params},
      WASI_FUNCS(ENTRY)
#undef ENTRY
  };
  bool ok = N_OPS == sizeof list / sizeof list[0];
  for (size_t i = 0; ok && i < N_OPS; i++) {
    char types[16] = "";
    size_t k = 0;
    fd_param[i] = -1;
    for (const char *c = ops[i].roles; *c && k < sizeof types - 2; c++) {
      if (*c == 'D')
        fd_param[i] = (int)k;
      if (*c == 'S' || *c == 'V') {
        types[k++] = 'i';
        types[k++] = 'i';
      } else {
        types[k++] = strchr("OTW", *c) ? 'I' : 'i';
      }
    }
    types[k] = '\0';
    n_params[i] = k;
    if (strcmp(ops[i].name, list[i].name) != 0 || strcmp(types, list[i].params) != 0) {
      fprintf(stderr, "fuzz_wasi: ops[%zu] (%s, %s) does not match %s%s\n", i, ops[i].name,
              types, list[i].name, list[i].params);
      ok = false;
    }
  }
  if (!ok) {
    fprintf(stderr, "fuzz_wasi: the operation table does not follow WASI_FUNCS\n");
    abort();
  }
  static const char *const transfers[] = {"fd_read", "fd_write", "fd_pread", "fd_pwrite",
                                          "fd_readdir", "fd_seek"};
  unsigned weight[N_ALL_OPS], total = 0;
  for (size_t i = 0; i < N_ALL_OPS; i++) {
    weight[i] = 1;
    for (size_t k = 0; i < N_OPS && k < sizeof transfers / sizeof transfers[0]; k++)
      if (strcmp(ops[i].name, transfers[k]) == 0)
        weight[i] = 2;
    if (i < N_OPS && strncmp(ops[i].name, "path_", 5) == 0)
      weight[i] = 4;
    total += weight[i];
  }
  uint8_t pick[256];
  unsigned open_at = 0;
  for (unsigned b = 0, i = 0, below = weight[0]; b < 256; b++) {
    while (b * total >= below * 256)
      below += weight[++i];
    pick[b] = (uint8_t)i;
    if (!open_at && i < N_OPS && strcmp(ops[i].name, "path_open") == 0) {
      open_at = b;
      open_op = i;
    }
  }
  /* Rotated so that the byte 0, which mutations write in runs, opens a file
  ** (the path and flags that zeros give) rather than asking for args. */
  for (unsigned b = 0; b < 256; b++)
    op_pick[b] = pick[(b + open_at) % 256];
}

static void finish(void) {
  fprintf(stderr, "fuzz_wasi: %llu inputs, %llu calls, %llu sandbox rebuilds\n",
          (unsigned long long)g.inputs, (unsigned long long)g.calls,
          (unsigned long long)g.rebuilds);
  for (size_t i = 0; i < N_OPS; i++)
    fprintf(stderr, "fuzz_wasi:   %-24s %10llu calls %10llu ok\n", ops[i].name,
            (unsigned long long)g.called[i], (unsigned long long)g.ok[i]);
  nftw(g.root, rm_all, 16, FTW_DEPTH | FTW_PHYS);
  wrt_engine_free(g.engine);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  check_ops();
  struct rlimit rl;
  need(getrlimit(RLIMIT_FSIZE, &rl) == 0, "getrlimit");
  rl.rlim_cur = rl.rlim_max < FSIZE_LIMIT ? rl.rlim_max : FSIZE_LIMIT;
  need(setrlimit(RLIMIT_FSIZE, &rl) == 0, "setrlimit");
  g.trace = getenv("WRT_FUZZ_WASI_TRACE") != NULL;
  tree_build();
  text t = {0};
  list_tree(&t, ".");
  g.pristine = t.buf;
  g.pristine_len = t.len;
  g.engine = wrt_engine_new();
  need(g.engine != NULL, "wrt_engine_new");
  atexit(finish);
  fprintf(stderr, "fuzz_wasi: scratch tree %s\n", g.root);
  return 0;
}
