/*
** test_wrt_wasi.c: WASI preview 1 without compiled Wasm. Each case makes a
** store, a host memory bound to a wrt_wasi context whose preopen (fd 3, guest
** name "sb") is a fresh temp directory, and calls the functions exactly as
** wrt_wasi_define registered them (wrt_call on the host functions): file
** I/O, readdir cookies, path operations, the sandbox (`..`, absolute paths,
** symlinks out), rights, bad guest pointers, poll, sockets, proc_exit.
*/
#include "wasi/wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test_wrt.h"

/* Guest memory map of the cases: results, paths, iovecs, data. */
enum { RET = 16, RET2 = 24, PATH = 1024, PATH2 = 1536, IOV = 2048, BUF = 4096, BIG = 8192 };
#define MEM_SIZE 65536u

typedef struct ww {
  wrt_engine *e;
  wrt_store *s;
  wrt_linker *l;
  wrt_memory *m;
  wrt_wasi *w;
  char root[64]; /* temp dir: root/sb is the preopen, root/secret lies outside */
  char sb[80];
} ww;

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f) {
  (void)st, (void)flag, (void)f;
  return remove(p);
}

/* Sets up the context; stdio is closed unless cfg says otherwise. */
static bool ww_init_cfg(ww *t, wrt_wasi_config *cfg) {
  memset(t, 0, sizeof *t);
  snprintf(t->root, sizeof t->root, "/tmp/wrt_wasi_XXXXXX");
  if (!T_CHECK(mkdtemp(t->root) != NULL))
    return false;
  snprintf(t->sb, sizeof t->sb, "%s/sb", t->root);
  char secret[96];
  snprintf(secret, sizeof secret, "%s/secret", t->root);
  FILE *f = fopen(secret, "w");
  if (!T_CHECK(mkdir(t->sb, 0777) == 0 && f))
    return false;
  fputs("top secret", f);
  fclose(f);
  const char *host[] = {t->sb}, *guest[] = {"sb"};
  cfg->n_dirs = 1;
  cfg->dir_host = host;
  cfg->dir_guest = guest;
  wrt_diag d = {WRT_OK, ""};
  t->e = wrt_engine_new();
  t->s = wrt_store_new(t->e);
  t->l = wrt_linker_new(t->s);
  t->m = wrt_memory_new(t->s, 1, 2, true);
  t->w = wrt_wasi_new(cfg, &d);
  if (!T_CHECK(t->w != NULL) || !T_EQ_U64(wrt_wasi_define(t->w, t->s, t->l), WRT_OK)) {
    T_FAIL("wasi_new: %s", d.msg);
    return false;
  }
  wasi_bind_memory(t->w, t->m);
  return T_CHECK(t->m != NULL);
}

static bool ww_init(ww *t) {
  static const char *argv[] = {"prog", "a b", ""};
  static const char *env[] = {"HOME=/sb", "X="};
  wrt_wasi_config cfg = {.argc = 3, .argv = argv, .n_env = 2, .env = env, .stdio = {-1, -1, -1}};
  return ww_init_cfg(t, &cfg);
}

static void ww_fini(ww *t) {
  wrt_store_free(t->s);
  wrt_linker_free(t->l);
  wrt_engine_free(t->e);
  wrt_wasi_free(t->w);
  if (t->root[0])
    nftw(t->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static uint8_t *gmem(ww *t, uint32_t off) {
  return wrt_memory_data(t->m) + off;
}

static uint32_t gld32(ww *t, uint32_t off) {
  return wasi_ld32(gmem(t, off));
}

static uint64_t gld64(ww *t, uint32_t off) {
  return wasi_ld64(gmem(t, off));
}

/* Copies a string into guest memory; returns its length. */
static int64_t gstr(ww *t, uint32_t off, const char *s) {
  memcpy(gmem(t, off), s, strlen(s));
  return (int64_t)strlen(s);
}

/* One iovec at IOV (+8 * i) pointing at [buf, buf + len). */
static void giov(ww *t, int i, uint32_t buf, uint32_t len) {
  wasi_st32(gmem(t, IOV + 8u * (uint32_t)i), buf);
  wasi_st32(gmem(t, IOV + 8u * (uint32_t)i + 4), len);
}

/* Calls a WASI function with the given arguments (converted to the kinds
** of its signature); returns the errno, or -1 if the call itself failed,
** or the trap code + 1000 when it trapped. */
static int64_t wcall_(ww *t, const char *name, const int64_t *args, size_t n) {
  wrt_func *f = wasi_func(t->w, name);
  if (!T_CHECK(f != NULL))
    return -1;
  wrt_functype ft = wrt_func_type(t->s, f);
  if (!T_EQ_U64(ft.n_params, n))
    return -1;
  wrt_val av[16], res;
  for (size_t i = 0; i < n; i++)
    av[i] = ft.params[i] == WRT_I64 ? WRT_I64_VAL(args[i]) : WRT_I32_VAL((int32_t)args[i]);
  wrt_trap trap;
  wrt_err err = wrt_call(t->s, f, av, n, &res, ft.n_results, &trap);
  if (err == WRT_ETRAP)
    return 1000 + trap.code;
  if (!T_EQ_U64(err, WRT_OK))
    return -1;
  return ft.n_results ? res.of.i32 : 0;
}
#define W(t, name, ...)                                                                            \
  wcall_((t), (name), (const int64_t[]){__VA_ARGS__},                                              \
         sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

#define ALL_RIGHTS ((int64_t)WASI_RIGHTS_ALL)
#define RW_RIGHTS                                                                                  \
  ((int64_t)(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL |  \
             WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                        \
             WASI_RIGHT_FD_FDSTAT_SET_FLAGS))

/* path_open below the preopen; returns the errno and the new fd in *fd. */
static int64_t wopen(ww *t, const char *path, int64_t lookup, int64_t oflags, int64_t rights,
                     int64_t fdflags, uint32_t *fd) {
  int64_t len = gstr(t, PATH, path);
  int64_t e = W(t, "path_open", 3, lookup, PATH, len, oflags, rights, ALL_RIGHTS, fdflags, RET);
  if (fd)
    *fd = e == 0 ? gld32(t, RET) : UINT32_MAX;
  return e;
}

/* Writes s through fd_write; returns the errno. */
static int64_t wwrite(ww *t, uint32_t fd, const char *s) {
  giov(t, 0, BUF, (uint32_t)gstr(t, BUF, s));
  return W(t, "fd_write", fd, IOV, 1, RET);
}

/* Reads up to n bytes with fd_read into BIG; returns the count or -errno. */
static int64_t wread(ww *t, uint32_t fd, uint32_t n) {
  giov(t, 0, BIG, n);
  int64_t e = W(t, "fd_read", fd, IOV, 1, RET);
  return e ? -e : (int64_t)gld32(t, RET);
}

static void host_write(ww *t, const char *rel, const char *text) {
  char p[160];
  snprintf(p, sizeof p, "%s/%s", t->sb, rel);
  FILE *f = fopen(p, "w");
  if (T_CHECK(f != NULL)) {
    fputs(text, f);
    fclose(f);
  }
}

static bool host_exists(ww *t, const char *rel) {
  char p[160];
  struct stat st;
  snprintf(p, sizeof p, "%s/%s", t->root, rel);
  return lstat(p, &st) == 0;
}

/* ------------------------------------------------------------ cases */

static void define_all(void) {
  ww t;
  if (!ww_init(&t))
    goto done;
  static const char *names[] = {"args_get",
                                "args_sizes_get",
                                "environ_get",
                                "environ_sizes_get",
                                "clock_res_get",
                                "clock_time_get",
                                "fd_advise",
                                "fd_allocate",
                                "fd_close",
                                "fd_datasync",
                                "fd_fdstat_get",
                                "fd_fdstat_set_flags",
                                "fd_fdstat_set_rights",
                                "fd_filestat_get",
                                "fd_filestat_set_size",
                                "fd_filestat_set_times",
                                "fd_pread",
                                "fd_prestat_get",
                                "fd_prestat_dir_name",
                                "fd_pwrite",
                                "fd_read",
                                "fd_readdir",
                                "fd_renumber",
                                "fd_seek",
                                "fd_sync",
                                "fd_tell",
                                "fd_write",
                                "path_create_directory",
                                "path_filestat_get",
                                "path_filestat_set_times",
                                "path_link",
                                "path_open",
                                "path_readlink",
                                "path_remove_directory",
                                "path_rename",
                                "path_symlink",
                                "path_unlink_file",
                                "poll_oneoff",
                                "proc_exit",
                                "proc_raise",
                                "sched_yield",
                                "random_get",
                                "sock_accept",
                                "sock_recv",
                                "sock_send",
                                "sock_shutdown"};
  T_EQ_U64(T_COUNT(names), 46);
  T_EQ_U64(WASI_N_FUNCS, 46);
  for (size_t i = 0; i < T_COUNT(names); i++) {
    wrt_func *f = wasi_func(t.w, names[i]);
    if (!T_CHECK(f != NULL))
      continue;
    wrt_functype ft = wrt_func_type(t.s, f);
    bool is_exit = strcmp(names[i], "proc_exit") == 0;
    T_EQ_U64(ft.n_results, is_exit ? 0 : 1);
    if (!is_exit)
      T_EQ_U64(ft.results[0], WRT_I32);
  }
  static const uint8_t open_sig[] = {WRT_I32, WRT_I32, WRT_I32, WRT_I32, WRT_I32,
                                     WRT_I64, WRT_I64, WRT_I32, WRT_I32};
  wrt_functype ft = wrt_func_type(t.s, wasi_func(t.w, "path_open"));
  T_EQ_MEM(ft.params, ft.n_params, open_sig, sizeof open_sig);
  static const uint8_t seek_sig[] = {WRT_I32, WRT_I64, WRT_I32, WRT_I32};
  ft = wrt_func_type(t.s, wasi_func(t.w, "fd_seek"));
  T_EQ_MEM(ft.params, ft.n_params, seek_sig, sizeof seek_sig);
  T_EQ_U64(wrt_func_type(t.s, wasi_func(t.w, "sched_yield")).n_params, 0);
  T_CHECK(wasi_func(t.w, "fd_nope") == NULL);
done:
  ww_fini(&t);
}

static void errno_table(void) {
  T_EQ_U64(wasi_errno_from_host(0), 0);
  T_EQ_U64(wasi_errno_from_host(E2BIG), 1);
  T_EQ_U64(wasi_errno_from_host(EACCES), 2);
  T_EQ_U64(wasi_errno_from_host(EBADF), 8);
  T_EQ_U64(wasi_errno_from_host(EEXIST), 20);
  T_EQ_U64(wasi_errno_from_host(EFAULT), 21);
  T_EQ_U64(wasi_errno_from_host(EINVAL), 28);
  T_EQ_U64(wasi_errno_from_host(EISDIR), 31);
  T_EQ_U64(wasi_errno_from_host(ELOOP), 32);
  T_EQ_U64(wasi_errno_from_host(ENAMETOOLONG), 37);
  T_EQ_U64(wasi_errno_from_host(ENOENT), 44);
  T_EQ_U64(wasi_errno_from_host(ENOSYS), 52);
  T_EQ_U64(wasi_errno_from_host(ENOTDIR), 54);
  T_EQ_U64(wasi_errno_from_host(ENOTEMPTY), 55);
  T_EQ_U64(wasi_errno_from_host(EOPNOTSUPP), 58);
  T_EQ_U64(wasi_errno_from_host(EPERM), 63);
  T_EQ_U64(wasi_errno_from_host(ESPIPE), 70);
  T_EQ_U64(wasi_errno_from_host(EXDEV), 75);
  T_EQ_U64(WASI_ENOTCAPABLE, 76);
  T_EQ_U64(wasi_errno_from_host(99999), WASI_EIO);
}

static void args_environ(void) {
  ww t;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(W(&t, "args_sizes_get", RET, RET2), 0);
  T_EQ_U64(gld32(&t, RET), 3);
  T_EQ_U64(gld32(&t, RET2), 5 + 4 + 1);
  T_EQ_U64(W(&t, "args_get", 100, BUF), 0);
  T_EQ_U64(gld32(&t, 100), BUF);
  T_EQ_U64(gld32(&t, 104), BUF + 5);
  T_EQ_U64(gld32(&t, 108), BUF + 9);
  T_EQ_MEM(gmem(&t, BUF), 10, "prog\0a b\0\0", 10);
  T_EQ_U64(W(&t, "environ_sizes_get", RET, RET2), 0);
  T_EQ_U64(gld32(&t, RET), 2);
  T_EQ_U64(gld32(&t, RET2), 9 + 3);
  T_EQ_U64(W(&t, "environ_get", 100, BUF), 0);
  T_EQ_U64(gld32(&t, 104), BUF + 9);
  T_EQ_STR((char *)gmem(&t, BUF), "HOME=/sb");
  T_EQ_STR((char *)gmem(&t, BUF + 9), "X=");
done:
  ww_fini(&t);
}

static void prestat_and_fdstat(void) {
  ww t;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(W(&t, "fd_prestat_get", 3, RET), 0);
  T_EQ_U64(gmem(&t, RET)[0], 0);
  T_EQ_U64(gld32(&t, RET + 4), 2);
  T_EQ_U64(W(&t, "fd_prestat_dir_name", 3, BUF, 2), 0);
  T_EQ_MEM(gmem(&t, BUF), 2, "sb", 2);
  T_EQ_U64(W(&t, "fd_prestat_dir_name", 3, BUF, 1), WASI_ENAMETOOLONG);
  T_EQ_U64(W(&t, "fd_prestat_get", 4, RET), WASI_EBADF); /* wasi-libc stops its scan here */
  T_EQ_U64(W(&t, "fd_prestat_get", 1, RET), WASI_EBADF); /* stdio closed in this config */
  T_EQ_U64(W(&t, "fd_write", 1, IOV, 0, RET), WASI_EBADF);
  T_EQ_U64(W(&t, "fd_fdstat_get", 3, BUF), 0);
  T_EQ_U64(gmem(&t, BUF)[0], WASI_FILETYPE_DIRECTORY);
  T_EQ_U64(gld64(&t, BUF + 8), WASI_RIGHTS_DIR);
  T_EQ_U64(gld64(&t, BUF + 16), WASI_RIGHTS_DIR_INHERITING);
  T_EQ_U64(W(&t, "fd_filestat_get", 3, BUF), 0);
  T_EQ_U64(gmem(&t, BUF + 16)[0], WASI_FILETYPE_DIRECTORY);
done:
  ww_fini(&t);
}

static void file_io(void) {
  ww t;
  uint32_t fd;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(wopen(&t, "f.txt", 0, WASI_OFLAG_CREAT, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(fd, 4);
  giov(&t, 0, BUF, (uint32_t)gstr(&t, BUF, "hello "));
  giov(&t, 1, BUF + 100, 0); /* empty entries are skipped, wherever they point */
  giov(&t, 2, BUF + 200, (uint32_t)gstr(&t, BUF + 200, "world"));
  T_EQ_U64(W(&t, "fd_write", fd, IOV, 3, RET), 0);
  T_EQ_U64(gld32(&t, RET), 11);
  T_EQ_U64(W(&t, "fd_tell", fd, RET), 0);
  T_EQ_U64(gld64(&t, RET), 11);
  T_EQ_U64(W(&t, "fd_seek", fd, -5, WASI_WHENCE_END, RET), 0);
  T_EQ_U64(gld64(&t, RET), 6);
  T_EQ_U64(W(&t, "fd_seek", fd, 0, 7, RET), WASI_EINVAL);
  T_EQ_U64(W(&t, "fd_seek", fd, 0, WASI_WHENCE_SET, RET), 0);
  T_EQ_U64(wread(&t, fd, 100), 11);
  T_EQ_MEM(gmem(&t, BIG), 11, "hello world", 11);
  T_EQ_U64(wread(&t, fd, 100), 0); /* end of file */
  giov(&t, 0, BUF, (uint32_t)gstr(&t, BUF, "J"));
  T_EQ_U64(W(&t, "fd_pwrite", fd, IOV, 1, 0, RET), 0);
  giov(&t, 0, BIG, 5);
  T_EQ_U64(W(&t, "fd_pread", fd, IOV, 1, 6, RET), 0);
  T_EQ_U64(gld32(&t, RET), 5);
  T_EQ_MEM(gmem(&t, BIG), 5, "world", 5);
  T_EQ_U64(W(&t, "fd_filestat_get", fd, BUF), 0);
  T_EQ_U64(gmem(&t, BUF + 16)[0], WASI_FILETYPE_REGULAR_FILE);
  T_EQ_U64(gld64(&t, BUF + 32), 11);
  T_EQ_U64(gld64(&t, BUF + 24), 1); /* nlink */
  T_EQ_U64(W(&t, "fd_filestat_set_size", fd, 5), 0);
  T_EQ_U64(W(&t, "fd_sync", fd), 0);
  T_EQ_U64(W(&t, "fd_datasync", fd), 0);
  T_EQ_U64(W(&t, "fd_advise", fd, 0, 0, 1), 0);
  T_EQ_U64(W(&t, "fd_advise", fd, 0, 0, 6), WASI_EINVAL);
  T_EQ_U64(W(&t, "fd_allocate", fd, 0, 16), 0);
  T_EQ_U64(W(&t, "fd_fdstat_get", fd, BUF), 0);
  T_EQ_U64(gmem(&t, BUF)[0], WASI_FILETYPE_REGULAR_FILE);
  T_EQ_U64(gld64(&t, BUF + 8), WASI_RIGHTS_FILE); /* requested & inheriting & file rights */
  T_EQ_U64(W(&t, "fd_close", fd), 0);
  T_EQ_U64(W(&t, "fd_close", fd), WASI_EBADF);
  T_EQ_U64(W(&t, "fd_close", 77), WASI_EBADF);
  char p[160];
  snprintf(p, sizeof p, "%s/f.txt", t.sb);
  FILE *f = fopen(p, "r");
  char got[32] = "";
  if (T_CHECK(f != NULL)) {
    T_EQ_U64(fread(got, 1, sizeof got, f), 16); /* 5 kept, allocated up to 16 */
    fclose(f);
  }
  T_EQ_MEM(got, 5, "Jello", 5);
done:
  ww_fini(&t);
}

static void open_flags(void) {
  ww t;
  uint32_t fd;
  if (!ww_init(&t))
    goto done;
  host_write(&t, "f", "0123456789");
  T_EQ_U64(wopen(&t, "f", 0, WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, ALL_RIGHTS, 0, NULL), WASI_EEXIST);
  T_EQ_U64(wopen(&t, "missing", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOENT);
  T_EQ_U64(wopen(&t, "f", 0, WASI_OFLAG_DIRECTORY, ALL_RIGHTS, 0, NULL), WASI_ENOTDIR);
  T_EQ_U64(wopen(&t, "f/", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTDIR);
  T_EQ_U64(wopen(&t, "new/", 0, WASI_OFLAG_CREAT, ALL_RIGHTS, 0, NULL), WASI_EISDIR);
  T_EQ_U64(wopen(&t, "f", 0, 16, ALL_RIGHTS, 0, NULL), WASI_EINVAL);
  /* Append: writes land at the end whatever the position. */
  T_EQ_U64(wopen(&t, "f", 0, 0, RW_RIGHTS, WASI_FDFLAG_APPEND, &fd), 0);
  T_EQ_U64(wwrite(&t, fd, "AB"), 0);
  T_EQ_U64(W(&t, "fd_fdstat_get", fd, BUF), 0);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 2)), WASI_FDFLAG_APPEND);
  T_EQ_U64(W(&t, "fd_fdstat_set_flags", fd, 0), 0);
  T_EQ_U64(W(&t, "fd_fdstat_set_flags", fd, WASI_FDFLAG_SYNC), WASI_ENOTSUP);
  T_EQ_U64(W(&t, "fd_fdstat_get", fd, BUF), 0);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 2)), 0);
  T_EQ_U64(W(&t, "fd_filestat_get", fd, BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 32), 12);
  T_EQ_U64(W(&t, "fd_close", fd), 0);
  /* Truncate. */
  T_EQ_U64(wopen(&t, "f", 0, WASI_OFLAG_TRUNC, RW_RIGHTS, 0, &fd), 0);
  T_EQ_U64(W(&t, "fd_filestat_get", fd, BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 32), 0);
  T_EQ_U64(W(&t, "fd_close", fd), 0);
  /* A directory opened through a path: its own directory rights. */
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "d")), 0);
  T_EQ_U64(wopen(&t, "d", 0, WASI_OFLAG_DIRECTORY, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(W(&t, "fd_fdstat_get", fd, BUF), 0);
  T_EQ_U64(gmem(&t, BUF)[0], WASI_FILETYPE_DIRECTORY);
  T_EQ_U64(gld64(&t, BUF + 8), WASI_RIGHTS_DIR);
  T_EQ_U64(wread(&t, fd, 4), -(int64_t)WASI_ENOTCAPABLE);
done:
  ww_fini(&t);
}

/* Parses a readdir buffer: names joined with ',' into out, types too. */
static size_t parse_dirents(ww *t, uint32_t used, char *out, size_t n, uint64_t *last_next) {
  size_t count = 0, o = 0;
  out[0] = '\0';
  for (uint32_t off = 0; off + WASI_DIRENT_SIZE <= used;) {
    const uint8_t *d = gmem(t, BUF + off);
    uint32_t len = wasi_ld32(d + 16);
    if (off + WASI_DIRENT_SIZE + len > used)
      break; /* cut short */
    *last_next = wasi_ld64(d);
    T_CHECK(wasi_ld64(d + 8) != 0); /* real inode numbers */
    o += (size_t)snprintf(out + o, n - o, "%s%.*s:%u", count ? "," : "", (int)len,
                          (const char *)d + WASI_DIRENT_SIZE, d[20]);
    count++;
    off += WASI_DIRENT_SIZE + len;
  }
  return count;
}

static void readdir_cookies(void) {
  ww t;
  char names[256];
  uint64_t next = 0;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 4096, 0, RET), 0);
  T_EQ_U64(gld32(&t, RET), 0); /* empty: no "." or ".." (as Node) */
  host_write(&t, "a", "");
  host_write(&t, "bb", "");
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "ccc")), 0);
  T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 4096, 0, RET), 0);
  uint32_t used = gld32(&t, RET);
  T_EQ_U64(used, 3 * WASI_DIRENT_SIZE + 6);
  T_EQ_U64(parse_dirents(&t, used, names, sizeof names, &next), 3);
  T_EQ_U64(next, 3);
  T_CONTAINS(names, "a:4");
  T_CONTAINS(names, "bb:4");
  T_CONTAINS(names, "ccc:3");
  /* Small buffers: one full entry, then the next one, cut, fills the rest;
  ** the last entry leaves the buffer short. */
  char seen[256] = "";
  uint64_t cookie = 0;
  for (int round = 0; round < 10; round++) {
    T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 30, (int64_t)cookie, RET), 0);
    used = gld32(&t, RET);
    size_t n = parse_dirents(&t, used, names, sizeof names, &next);
    if (n == 0)
      break;
    T_EQ_U64(n, 1); /* 24 + name <= 30 holds one entry at a time */
    T_CHECK(next == 3 ? used < 30 : used == 30);
    strcat(seen, names);
    strcat(seen, ";");
    cookie = next;
  }
  T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 30, (int64_t)cookie, RET), 0);
  T_EQ_U64(gld32(&t, RET), 0);
  T_EQ_U64(cookie, 3);
  T_CONTAINS(seen, "a:4");
  T_CONTAINS(seen, "ccc:3");
  /* Cookies stay valid: going back to 1 gives the same tail. */
  T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 4096, 1, RET), 0);
  T_EQ_U64(parse_dirents(&t, gld32(&t, RET), names, sizeof names, &next), 2);
  T_EQ_U64(W(&t, "fd_readdir", 3, BUF, 4096, 99, RET), 0);
  T_EQ_U64(gld32(&t, RET), 0);
  uint32_t fd;
  T_EQ_U64(wopen(&t, "a", 0, 0, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(W(&t, "fd_readdir", fd, BUF, 4096, 0, RET), WASI_ENOTCAPABLE);
done:
  ww_fini(&t);
}

static void dirs_rename_unlink(void) {
  ww t;
  if (!ww_init(&t))
    goto done;
  host_write(&t, "f", "x");
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "d")), 0);
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "d")), WASI_EEXIST);
  T_EQ_U64(W(&t, "path_rename", 3, PATH, gstr(&t, PATH, "f"), 3, PATH2, gstr(&t, PATH2, "d/g")), 0);
  T_CHECK(host_exists(&t, "sb/d/g") && !host_exists(&t, "sb/f"));
  T_EQ_U64(W(&t, "path_rename", 3, PATH, gstr(&t, PATH, "f"), 3, PATH2, gstr(&t, PATH2, "h")),
           WASI_ENOENT);
  T_EQ_U64(W(&t, "path_link", 3, 0, PATH, gstr(&t, PATH, "d/g"), 3, PATH2, gstr(&t, PATH2, "l")),
           0);
  T_EQ_U64(W(&t, "path_filestat_get", 3, 0, PATH, gstr(&t, PATH, "l"), BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 24), 2); /* two links */
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "d")), WASI_EISDIR);
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "l/")), WASI_ENOTDIR);
  T_EQ_U64(W(&t, "path_remove_directory", 3, PATH, gstr(&t, PATH, "d")), WASI_ENOTEMPTY);
  T_EQ_U64(W(&t, "path_remove_directory", 3, PATH, gstr(&t, PATH, "l")), WASI_ENOTDIR);
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "d/g")), 0);
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "l")), 0);
  T_EQ_U64(W(&t, "path_remove_directory", 3, PATH, gstr(&t, PATH, "d/")), 0);
  T_CHECK(!host_exists(&t, "sb/d"));
  T_EQ_U64(W(&t, "path_filestat_get", 3, 0, PATH, gstr(&t, PATH, "d"), BUF), WASI_ENOENT);
  /* Times by path. */
  host_write(&t, "tm", "");
  T_EQ_U64(W(&t, "path_filestat_set_times", 3, 0, PATH, gstr(&t, PATH, "tm"), 1000000000,
             2500000000, WASI_FSTFLAG_ATIM | WASI_FSTFLAG_MTIM),
           0);
  T_EQ_U64(W(&t, "path_filestat_get", 3, 0, PATH, gstr(&t, PATH, "tm"), BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 40), 1000000000);
  T_EQ_U64(gld64(&t, BUF + 48), 2500000000);
  T_EQ_U64(W(&t, "path_filestat_set_times", 3, 0, PATH, gstr(&t, PATH, "tm"), 0, 0,
             WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW),
           WASI_EINVAL);
done:
  ww_fini(&t);
}

static void sandbox_dotdot_absolute(void) {
  ww t;
  uint32_t fd;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "d")), 0);
  host_write(&t, "f", "in");
  T_EQ_U64(wopen(&t, "../secret", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "d/../../secret", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "..", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "/etc/passwd", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOENT);
  T_EQ_U64(wopen(&t, "d/./../f", 0, 0, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(wread(&t, fd, 10), 2);
  T_EQ_U64(wopen(&t, ".", 0, WASI_OFLAG_DIRECTORY, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(wopen(&t, "d/..", 0, WASI_OFLAG_DIRECTORY, ALL_RIGHTS, 0, NULL), 0);
  /* A directory fd is its own root: `..` from it is refused even inside sb. */
  T_EQ_U64(wopen(&t, "d", 0, WASI_OFLAG_DIRECTORY, ALL_RIGHTS, 0, &fd), 0);
  int64_t len = gstr(&t, PATH, "../f");
  T_EQ_U64(W(&t, "path_open", fd, 0, PATH, len, 0, ALL_RIGHTS, 0, 0, RET), WASI_ENOTCAPABLE);
  /* Nothing is created or removed outside. */
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "../evil")), WASI_ENOTCAPABLE);
  T_CHECK(!host_exists(&t, "evil"));
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "../secret")), WASI_ENOTCAPABLE);
  T_EQ_U64(W(&t, "path_rename", 3, PATH, gstr(&t, PATH, "f"), 3, PATH2, gstr(&t, PATH2, "../f")),
           WASI_ENOTCAPABLE);
  T_CHECK(host_exists(&t, "secret") && host_exists(&t, "sb/f") && !host_exists(&t, "f"));
  /* Embedded NUL and overlong paths. */
  memcpy(gmem(&t, PATH), "f\0x", 3);
  T_EQ_U64(W(&t, "path_open", 3, 0, PATH, 3, 0, ALL_RIGHTS, 0, 0, RET), WASI_EINVAL);
  memset(gmem(&t, BIG), 'a', 5000);
  T_EQ_U64(W(&t, "path_open", 3, 0, BIG, 5000, 0, ALL_RIGHTS, 0, 0, RET), WASI_ENAMETOOLONG);
done:
  ww_fini(&t);
}

static void sandbox_symlinks(void) {
  ww t;
  uint32_t fd;
  char p[200], target[200];
  if (!ww_init(&t))
    goto done;
  host_write(&t, "f", "inside");
  T_EQ_U64(W(&t, "path_create_directory", 3, PATH, gstr(&t, PATH, "d")), 0);
  snprintf(target, sizeof target, "%s/secret", t.root);
  snprintf(p, sizeof p, "%s/abs", t.sb);
  T_CHECK(symlink(target, p) == 0); /* made by someone else on the host */
  snprintf(p, sizeof p, "%s/rel", t.sb);
  T_CHECK(symlink("../secret", p) == 0);
  snprintf(p, sizeof p, "%s/up", t.sb);
  T_CHECK(symlink("..", p) == 0);
  snprintf(p, sizeof p, "%s/d/deep", t.sb);
  T_CHECK(symlink("../../secret", p) == 0);
  T_EQ_U64(wopen(&t, "abs", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "rel", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "d/deep", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, NULL),
           WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "up/secret", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "up/sb/f", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_EQ_U64(wopen(&t, "abs", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ELOOP); /* no follow */
  T_EQ_U64(
      W(&t, "path_filestat_get", 3, WASI_LOOKUP_SYMLINK_FOLLOW, PATH, gstr(&t, PATH, "rel"), BUF),
      WASI_ENOTCAPABLE);
  T_EQ_U64(W(&t, "path_filestat_get", 3, 0, PATH, gstr(&t, PATH, "abs"), BUF), 0);
  T_EQ_U64(gmem(&t, BUF + 16)[0], WASI_FILETYPE_SYMBOLIC_LINK);
  T_EQ_U64(W(&t, "path_readlink", 3, PATH, gstr(&t, PATH, "rel"), BUF, 100, RET), 0);
  T_EQ_U64(gld32(&t, RET), 9);
  T_EQ_MEM(gmem(&t, BUF), 9, "../secret", 9);
  /* Links that stay inside work, last and intermediate. */
  T_EQ_U64(W(&t, "path_symlink", PATH, gstr(&t, PATH, "../f"), 3, PATH2, gstr(&t, PATH2, "d/lf")),
           0);
  T_EQ_U64(wopen(&t, "d/lf", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, &fd), 0);
  T_EQ_U64(wread(&t, fd, 20), 6);
  T_EQ_U64(W(&t, "path_symlink", PATH, gstr(&t, PATH, "d"), 3, PATH2, gstr(&t, PATH2, "ld")), 0);
  T_EQ_U64(wopen(&t, "ld/lf", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, &fd), 0);
  /* A trailing slash follows the link (a directory: no write rights, or EISDIR). */
  T_EQ_U64(wopen(&t, "ld/", 0, 0, WASI_RIGHT_FD_READDIR, 0, &fd), 0);
  T_EQ_U64(wopen(&t, "ld/", 0, 0, ALL_RIGHTS, 0, NULL), WASI_EISDIR);
  T_EQ_U64(
      W(&t, "path_symlink", PATH, gstr(&t, PATH, "/etc/passwd"), 3, PATH2, gstr(&t, PATH2, "bad")),
      WASI_ENOTCAPABLE);
  T_CHECK(!host_exists(&t, "sb/bad"));
  /* Loops. */
  T_EQ_U64(W(&t, "path_symlink", PATH, gstr(&t, PATH, "l2"), 3, PATH2, gstr(&t, PATH2, "l1")), 0);
  T_EQ_U64(W(&t, "path_symlink", PATH, gstr(&t, PATH, "l1"), 3, PATH2, gstr(&t, PATH2, "l2")), 0);
  T_EQ_U64(wopen(&t, "l1", WASI_LOOKUP_SYMLINK_FOLLOW, 0, ALL_RIGHTS, 0, NULL), WASI_ELOOP);
  T_EQ_U64(wopen(&t, "l1/x", 0, 0, ALL_RIGHTS, 0, NULL), WASI_ELOOP);
  /* Removing a link removes the link, not its target. */
  T_EQ_U64(W(&t, "path_unlink_file", 3, PATH, gstr(&t, PATH, "abs")), 0);
  T_CHECK(host_exists(&t, "secret"));
done:
  ww_fini(&t);
}

static void rights(void) {
  ww t;
  uint32_t fd, ro;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(wopen(&t, "f", 0, WASI_OFLAG_CREAT, RW_RIGHTS, 0, &fd), 0);
  int64_t no_write = RW_RIGHTS & ~(int64_t)WASI_RIGHT_FD_WRITE;
  T_EQ_U64(W(&t, "fd_fdstat_set_rights", fd, no_write, 0), 0);
  T_EQ_U64(wwrite(&t, fd, "x"), WASI_ENOTCAPABLE);
  T_EQ_U64(W(&t, "fd_fdstat_set_rights", fd, RW_RIGHTS, 0), WASI_ENOTCAPABLE); /* no regrowth */
  T_EQ_U64(W(&t, "fd_seek", fd, 0, WASI_WHENCE_CUR, RET), 0);
  T_EQ_U64(W(&t, "fd_fdstat_set_rights", fd, WASI_RIGHT_FD_READ, 0), 0);
  T_EQ_U64(W(&t, "fd_seek", fd, 1, WASI_WHENCE_SET, RET), WASI_ENOTCAPABLE);
  T_EQ_U64(W(&t, "fd_tell", fd, RET), WASI_ENOTCAPABLE);
  /* Read-only opens cannot write (the host fd is O_RDONLY too). */
  T_EQ_U64(wopen(&t, "f", 0, 0, WASI_RIGHT_FD_READ, 0, &ro), 0);
  T_EQ_U64(wwrite(&t, ro, "x"), WASI_ENOTCAPABLE);
  /* A file is no directory: path operations on it are refused. */
  T_EQ_U64(W(&t, "path_create_directory", ro, PATH, gstr(&t, PATH, "x")), WASI_ENOTCAPABLE);
  /* Rights handed down: the preopen loses FD_WRITE from its inheriting set. */
  T_EQ_U64(W(&t, "fd_fdstat_set_rights", 3, (int64_t)WASI_RIGHTS_DIR,
             (int64_t)(WASI_RIGHTS_DIR_INHERITING & ~(uint64_t)WASI_RIGHT_FD_WRITE)),
           0);
  T_EQ_U64(wopen(&t, "f", 0, 0, RW_RIGHTS, 0, &fd), 0);
  T_EQ_U64(W(&t, "fd_fdstat_get", fd, BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 8) & WASI_RIGHT_FD_WRITE, 0);
  T_EQ_U64(wwrite(&t, fd, "x"), WASI_ENOTCAPABLE);
  /* And without PATH_CREATE_FILE nothing can be created. */
  T_EQ_U64(W(&t, "fd_fdstat_set_rights", 3,
             (int64_t)(WASI_RIGHTS_DIR & ~(uint64_t)WASI_RIGHT_PATH_CREATE_FILE), 0),
           0);
  T_EQ_U64(wopen(&t, "g", 0, WASI_OFLAG_CREAT, RW_RIGHTS, 0, NULL), WASI_ENOTCAPABLE);
  T_CHECK(!host_exists(&t, "sb/g"));
done:
  ww_fini(&t);
}

static void bad_pointers(void) {
  ww t;
  uint32_t fd;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(wopen(&t, "f", 0, WASI_OFLAG_CREAT, RW_RIGHTS, 0, &fd), 0);
  giov(&t, 0, BUF, 4);
  T_EQ_U64(W(&t, "fd_write", fd, MEM_SIZE - 4, 1, RET), WASI_EFAULT); /* iovec array */
  T_EQ_U64(W(&t, "fd_write", fd, 0xfffffff8, 1, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "fd_write", fd, IOV, 0x20000000, RET), WASI_EFAULT); /* n * 8 overflows u32 */
  giov(&t, 0, MEM_SIZE - 2, 4);
  T_EQ_U64(W(&t, "fd_write", fd, IOV, 1, RET), WASI_EFAULT); /* buffer */
  giov(&t, 0, 0xffffffff, 2);
  T_EQ_U64(W(&t, "fd_write", fd, IOV, 1, RET), WASI_EFAULT);
  giov(&t, 0, BUF, 4);
  T_EQ_U64(W(&t, "fd_write", fd, IOV, 1, MEM_SIZE - 3), WASI_EFAULT); /* result */
  T_EQ_U64(W(&t, "fd_filestat_get", fd, BUF), 0);
  T_EQ_U64(gld64(&t, BUF + 32), 0); /* nothing was written before the fault */
  T_EQ_U64(W(&t, "fd_read", fd, IOV, 1, 0xffffffff), WASI_EFAULT);
  T_EQ_U64(W(&t, "path_open", 3, 0, MEM_SIZE - 1, 2, 0, ALL_RIGHTS, 0, 0, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "path_open", 3, 0, PATH, 1, 0, ALL_RIGHTS, 0, 0, MEM_SIZE), WASI_EFAULT);
  T_EQ_U64(W(&t, "args_get", MEM_SIZE - 8, BUF), WASI_EFAULT);
  T_EQ_U64(W(&t, "args_get", BUF, MEM_SIZE - 4), WASI_EFAULT);
  T_EQ_U64(W(&t, "args_sizes_get", RET, MEM_SIZE), WASI_EFAULT);
  T_EQ_U64(W(&t, "fd_fdstat_get", 3, MEM_SIZE - 23), WASI_EFAULT);
  T_EQ_U64(W(&t, "fd_filestat_get", 3, MEM_SIZE - 63), WASI_EFAULT);
  T_EQ_U64(W(&t, "fd_prestat_dir_name", 3, MEM_SIZE - 1, 2), WASI_EFAULT);
  T_EQ_U64(W(&t, "random_get", MEM_SIZE - 1, 2), WASI_EFAULT);
  T_EQ_U64(W(&t, "random_get", MEM_SIZE, 0), 0); /* an empty range at the end is fine */
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_MONOTONIC, 0, MEM_SIZE - 7), WASI_EFAULT);
  T_EQ_U64(W(&t, "fd_readdir", 3, MEM_SIZE - 10, 11, 0, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "poll_oneoff", MEM_SIZE - 47, BUF, 1, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "poll_oneoff", BUF, 0xffffff00, 1, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "path_readlink", 3, PATH, 1, MEM_SIZE - 1, 5, RET), WASI_EFAULT);
  T_EQ_U64(W(&t, "path_symlink", MEM_SIZE - 1, 5, 3, PATH, 1), WASI_EFAULT);
  /* No memory bound at all: every pointer faults. */
  wasi_bind_memory(t.w, NULL);
  T_EQ_U64(W(&t, "args_sizes_get", RET, RET2), WASI_EFAULT);
  wasi_bind_memory(t.w, t.m);
  /* The memory grows: the new pages are usable at once. */
  T_EQ_U64(W(&t, "random_get", MEM_SIZE + 10, 4), WASI_EFAULT);
  T_EQ_U64(wrt_memory_grow(t.m, 1), 1);
  T_EQ_U64(W(&t, "random_get", MEM_SIZE + 10, 4), 0);
done:
  ww_fini(&t);
}

static void proc_exit_traps(void) {
  ww t;
  int status = -1;
  if (!ww_init(&t))
    goto done;
  T_CHECK(!wrt_wasi_exit_status(t.w, &status));
  T_EQ_U64(W(&t, "proc_exit", 7), 1000 + WRT_TRAP_EXIT);
  T_CHECK(wrt_wasi_exit_status(t.w, &status));
  T_EQ_U64(status, 7);
  T_EQ_U64(W(&t, "proc_raise", 0), 0);
  T_EQ_U64(W(&t, "proc_raise", 6), WASI_ENOSYS);
  T_EQ_U64(W(&t, "proc_raise", 31), WASI_EINVAL);
  T_EQ_U64(wcall_(&t, "sched_yield", NULL, 0), 0);
done:
  ww_fini(&t);
}

static void clocks_random(void) {
  ww t;
  if (!ww_init(&t))
    goto done;
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_MONOTONIC, 1, RET), 0);
  uint64_t a = gld64(&t, RET);
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_MONOTONIC, 1, RET), 0);
  T_CHECK(gld64(&t, RET) >= a);
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_REALTIME, 1, RET), 0);
  uint64_t now = (uint64_t)time(NULL);
  T_CHECK(gld64(&t, RET) / 1000000000u + 2 >= now && gld64(&t, RET) / 1000000000u <= now + 2);
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_PROCESS_CPUTIME, 1, RET), 0);
  T_EQ_U64(W(&t, "clock_time_get", WASI_CLOCK_THREAD_CPUTIME, 1, RET), 0);
  T_EQ_U64(W(&t, "clock_time_get", 4, 1, RET), WASI_EINVAL);
  T_EQ_U64(W(&t, "clock_res_get", WASI_CLOCK_MONOTONIC, RET), 0);
  T_CHECK(gld64(&t, RET) > 0 && gld64(&t, RET) <= 1000000);
  T_EQ_U64(W(&t, "clock_res_get", 9, RET), WASI_EINVAL);
  memset(gmem(&t, BUF), 0, 64);
  T_EQ_U64(W(&t, "random_get", BUF, 64), 0);
  int nonzero = 0;
  for (int i = 0; i < 64; i++)
    nonzero += gmem(&t, BUF)[i] != 0;
  T_CHECK(nonzero > 32);
done:
  ww_fini(&t);
}

/* Writes a subscription at BIG + 48 * i. */
static void gsub_clock(ww *t, int i, uint64_t ud, uint32_t id, uint64_t timeout, uint16_t fl) {
  uint8_t *s = gmem(t, BIG + 48u * (uint32_t)i);
  memset(s, 0, 48);
  wasi_st64(s, ud);
  s[8] = WASI_EVENT_CLOCK;
  wasi_st32(s + 16, id);
  wasi_st64(s + 24, timeout);
  wasi_st16(s + 40, fl);
}

static void gsub_fd(ww *t, int i, uint64_t ud, uint8_t type, uint32_t fd) {
  uint8_t *s = gmem(t, BIG + 48u * (uint32_t)i);
  memset(s, 0, 48);
  wasi_st64(s, ud);
  s[8] = type;
  wasi_st32(s + 16, fd);
}

static void poll_oneoff(void) {
  ww t;
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  if (!T_CHECK(pipe(in) == 0 && pipe(out) == 0))
    return;
  wrt_wasi_config cfg = {.stdio = {in[0], out[1], -1}};
  if (!ww_init_cfg(&t, &cfg))
    goto done;
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 0, RET), WASI_EINVAL);
  /* A relative clock alone sleeps. */
  gsub_clock(&t, 0, 42, WASI_CLOCK_MONOTONIC, 3000000, 0);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 1, RET), 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  T_CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >= 3000000);
  T_EQ_U64(gld32(&t, RET), 1);
  T_EQ_U64(gld64(&t, BUF), 42);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 8)), 0);
  T_EQ_U64(gmem(&t, BUF + 10)[0], WASI_EVENT_CLOCK);
  /* An absolute time in the past fires at once. */
  gsub_clock(&t, 0, 1, WASI_CLOCK_REALTIME, 1000, 1);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 1, RET), 0);
  T_EQ_U64(gld32(&t, RET), 1);
  /* Empty pipe + 5 ms: only the clock fires; the writable pipe fires too. */
  gsub_fd(&t, 0, 10, WASI_EVENT_FD_READ, 0);
  gsub_clock(&t, 1, 11, WASI_CLOCK_MONOTONIC, 5000000, 0);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 2, RET), 0);
  T_EQ_U64(gld32(&t, RET), 1);
  T_EQ_U64(gld64(&t, BUF), 11);
  gsub_fd(&t, 1, 12, WASI_EVENT_FD_WRITE, 1);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 2, RET), 0);
  T_EQ_U64(gld32(&t, RET), 1);
  T_EQ_U64(gld64(&t, BUF), 12);
  T_EQ_U64(gmem(&t, BUF + 10)[0], WASI_EVENT_FD_WRITE);
  /* Data in the pipe: readable, with its byte count. */
  T_EQ_U64(write(in[1], "abc", 3), 3);
  gsub_clock(&t, 1, 11, WASI_CLOCK_MONOTONIC, 5000000000u, 0);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 2, RET), 0);
  T_EQ_U64(gld32(&t, RET), 1);
  T_EQ_U64(gld64(&t, BUF), 10);
  T_EQ_U64(gmem(&t, BUF + 10)[0], WASI_EVENT_FD_READ);
  T_EQ_U64(gld64(&t, BUF + 16), 3);
  /* A bad fd is an event with its error, and the poll does not block. */
  gsub_fd(&t, 0, 13, WASI_EVENT_FD_READ, 99);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 2, RET), 0);
  T_EQ_U64(gld32(&t, RET), 1);
  T_EQ_U64(gld64(&t, BUF), 13);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 8)), WASI_EBADF);
  gsub_clock(&t, 0, 14, 77, 0, 0);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 1, RET), 0);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 8)), WASI_EINVAL);
done:
  ww_fini(&t);
  for (int i = 0; i < 2; i++) {
    close(in[i]);
    close(out[i]);
  }
}

static void stdio_pipes(void) {
  ww t;
  int in[2] = {-1, -1}, out[2] = {-1, -1};
  char got[16] = "";
  if (!T_CHECK(pipe(in) == 0 && pipe(out) == 0))
    return;
  wrt_wasi_config cfg = {.stdio = {in[0], out[1], -1}};
  if (!ww_init_cfg(&t, &cfg))
    goto done;
  T_EQ_U64(wwrite(&t, 1, "out!"), 0);
  T_EQ_U64(read(out[0], got, sizeof got), 4);
  T_EQ_MEM(got, 4, "out!", 4);
  T_EQ_U64(write(in[1], "in", 2), 2);
  T_EQ_U64(wread(&t, 0, 10), 2);
  T_EQ_MEM(gmem(&t, BIG), 2, "in", 2);
  T_EQ_U64(W(&t, "fd_fdstat_get", 1, BUF), 0);
  T_EQ_U64(gmem(&t, BUF)[0], WASI_FILETYPE_SOCKET_STREAM); /* pipes, as Node reports them */
  T_EQ_U64(gld64(&t, BUF + 8) & (WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL), 0);
  T_EQ_U64(W(&t, "fd_seek", 1, 1, WASI_WHENCE_SET, RET), WASI_ENOTCAPABLE);
  T_EQ_U64(W(&t, "fd_write", 2, IOV, 1, RET), WASI_EBADF); /* stdio[2] == -1 */
  T_EQ_U64(W(&t, "fd_close", 1), 0);
  T_EQ_U64(wwrite(&t, 1, "x"), WASI_EBADF);
  /* fd_renumber: the preopen moves over stdin. */
  T_EQ_U64(W(&t, "fd_renumber", 3, 0), 0);
  T_EQ_U64(W(&t, "fd_prestat_get", 0, RET), 0);
  T_EQ_U64(W(&t, "fd_prestat_get", 3, RET), WASI_EBADF);
  T_EQ_U64(W(&t, "fd_renumber", 0, 3), WASI_EBADF);
  ww_fini(&t);
  /* Inherited fds stay open on the host. */
  T_CHECK(fcntl(in[0], F_GETFD) >= 0 && fcntl(out[1], F_GETFD) >= 0);
  T_EQ_U64(write(out[1], "y", 1), 1);
  t.s = NULL; /* already finished */
done:
  if (t.s)
    ww_fini(&t);
  for (int i = 0; i < 2; i++) {
    close(in[i]);
    close(out[i]);
  }
}

static void sockets(void) {
  ww t;
  int sp[2] = {-1, -1}, lis = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), cli = -1;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t sl = sizeof sa;
  char got[16] = "";
  if (!T_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 && lis >= 0) ||
      !T_CHECK(bind(lis, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(lis, 4) == 0) ||
      !T_CHECK(getsockname(lis, (struct sockaddr *)&sa, &sl) == 0))
    goto out;
  int fds[2] = {sp[0], lis};
  wrt_wasi_config cfg = {.stdio = {-1, -1, -1}, .n_sockets = 2, .socket_fds = fds};
  if (!ww_init_cfg(&t, &cfg))
    goto done;
  /* fd 3 is the preopen, 4 the connected socket, 5 the listener. */
  T_EQ_U64(W(&t, "fd_fdstat_get", 4, BUF), 0);
  T_EQ_U64(gmem(&t, BUF)[0], WASI_FILETYPE_SOCKET_STREAM);
  giov(&t, 0, BUF, (uint32_t)gstr(&t, BUF, "ping"));
  T_EQ_U64(W(&t, "sock_send", 4, IOV, 1, 0, RET), 0);
  T_EQ_U64(gld32(&t, RET), 4);
  T_EQ_U64(read(sp[1], got, sizeof got), 4);
  T_EQ_U64(write(sp[1], "pong", 4), 4);
  giov(&t, 0, BIG, 16);
  T_EQ_U64(W(&t, "sock_recv", 4, IOV, 1, 1 /* peek */, RET, RET2), 0);
  T_EQ_U64(gld32(&t, RET), 4);
  T_EQ_U64(W(&t, "sock_recv", 4, IOV, 1, 0, RET, RET2), 0);
  T_EQ_U64(gld32(&t, RET), 4);
  T_EQ_U64(wasi_ld16(gmem(&t, RET2)), 0);
  T_EQ_MEM(gmem(&t, BIG), 4, "pong", 4);
  T_EQ_U64(W(&t, "sock_recv", 4, IOV, 1, 4, RET, RET2), WASI_EINVAL);
  T_EQ_U64(W(&t, "sock_shutdown", 4, 0), WASI_EINVAL);
  T_EQ_U64(W(&t, "sock_shutdown", 4, 2), 0);
  T_EQ_U64(read(sp[1], got, sizeof got), 0); /* the peer sees end of stream */
  T_EQ_U64(W(&t, "sock_shutdown", 3, 2), WASI_ENOTSOCK);
  T_EQ_U64(W(&t, "sock_recv", 3, IOV, 1, 0, RET, RET2), WASI_ENOTSOCK);
  T_EQ_U64(W(&t, "sock_accept", 3, 0, RET), WASI_ENOTSOCK);
  /* Accept on the listener. */
  cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!T_CHECK(cli >= 0 && connect(cli, (struct sockaddr *)&sa, sizeof sa) == 0))
    goto done;
  if (!T_EQ_U64(W(&t, "sock_accept", 5, WASI_FDFLAG_NONBLOCK, RET), 0))
    goto done;
  uint32_t conn = gld32(&t, RET);
  T_EQ_U64(conn, 6);
  T_EQ_U64(W(&t, "fd_fdstat_get", conn, BUF), 0);
  T_EQ_U64(wasi_ld16(gmem(&t, BUF + 2)), WASI_FDFLAG_NONBLOCK);
  T_EQ_U64(gld64(&t, BUF + 8) & WASI_RIGHT_SOCK_ACCEPT, 0);
  T_EQ_U64(W(&t, "sock_recv", conn, IOV, 1, 0, RET, RET2), WASI_EAGAIN);
  T_EQ_U64(write(cli, "hi", 2), 2);
  gsub_fd(&t, 0, 1, WASI_EVENT_FD_READ, conn); /* wait (5 s at most) for it to arrive */
  gsub_clock(&t, 1, 2, WASI_CLOCK_MONOTONIC, 5000000000u, 0);
  T_EQ_U64(W(&t, "poll_oneoff", BIG, BUF, 2, RET), 0);
  T_EQ_U64(gld64(&t, BUF), 1);
  T_EQ_U64(wread(&t, conn, 16), 2); /* fd_read works on sockets too */
  T_EQ_U64(W(&t, "sock_accept", 5, 2, RET), WASI_EINVAL);
  T_EQ_U64(W(&t, "sock_accept", conn, 0, RET), WASI_ENOTCAPABLE);
done:
  ww_fini(&t);
  /* The configured sockets are the embedder's: still open. */
  T_CHECK(fcntl(sp[0], F_GETFD) >= 0 && fcntl(lis, F_GETFD) >= 0);
out:
  close(sp[0]);
  close(sp[1]);
  close(lis);
  if (cli >= 0)
    close(cli);
}

static void new_bind_run_errors(void) {
  wrt_diag d = {WRT_OK, ""};
  const char *host[] = {"/nonexistent/wrt/dir"};
  wrt_wasi_config cfg = {.n_dirs = 1, .dir_host = host, .stdio = {-1, -1, -1}};
  T_CHECK(wrt_wasi_new(&cfg, &d) == NULL);
  T_CONTAINS(d.msg, "cannot open directory /nonexistent/wrt/dir");
  T_CHECK(wrt_wasi_new(NULL, &d) == NULL);
  wrt_wasi_config bad = {.argc = 2, .argv = NULL};
  T_CHECK(wrt_wasi_new(&bad, &d) == NULL);
  wrt_wasi_free(NULL);
  T_CHECK(!wrt_wasi_exit_status(NULL, NULL));
  /* An instance without "memory" or "_start" (m1 exports "mem"). */
  tw_env te;
  memset(&te, 0, sizeof te);
  wrt_wasi_config ok = {.use_default_stdio = true};
  wrt_wasi *w = wrt_wasi_new(&ok, &d);
  if (!T_CHECK(w != NULL) || !tw_env_init(&te))
    goto done;
  int status = -1;
  if (sizeof(void *) < 8) { /* m1 is a guard-mode module: 64-bit hosts only */
    T_EQ_U64(wrt_wasi_define(w, te.s, te.l), WRT_OK);
    goto done;
  }
  wrt_instance *inst = tw_inst_m1(&te);
  if (!inst)
    goto done;
  T_EQ_U64(wrt_wasi_bind(w, inst, &d), WRT_ELINK);
  T_CONTAINS(d.msg, "\"memory\"");
  T_EQ_U64(wrt_wasi_run(w, te.s, inst, &status, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_wasi_initialize(w, te.s, inst, NULL), WRT_OK); /* no _initialize: nothing to do */
  T_EQ_U64(wrt_wasi_define(w, te.s, NULL), WRT_EINVAL);
  T_EQ_U64(wrt_wasi_define(w, te.s, te.l), WRT_OK);
  /* The defaults: stdio 0..2 are the host's, no preopens. */
  wasi_fd *fd;
  T_EQ_U64(wasi_fd_get(w, 2, 0, &fd), 0);
  T_EQ_U64(fd->host, 2);
  T_EQ_U64(wasi_fd_get(w, 3, 0, &fd), WASI_EBADF);
done:
  tw_env_fini(&te);
  wrt_wasi_free(w);
}

const t_case wrt_wasi_cases[] = {
    {"wasi_define_all", define_all},
    {"wasi_errno_table", errno_table},
    {"wasi_args_environ", args_environ},
    {"wasi_prestat_fdstat", prestat_and_fdstat},
    {"wasi_file_io", file_io},
    {"wasi_open_flags", open_flags},
    {"wasi_readdir_cookies", readdir_cookies},
    {"wasi_dirs_rename_unlink", dirs_rename_unlink},
    {"wasi_sandbox_dotdot_absolute", sandbox_dotdot_absolute},
    {"wasi_sandbox_symlinks", sandbox_symlinks},
    {"wasi_rights", rights},
    {"wasi_bad_pointers", bad_pointers},
    {"wasi_proc_exit", proc_exit_traps},
    {"wasi_clocks_random", clocks_random},
    {"wasi_poll_oneoff", poll_oneoff},
    {"wasi_stdio_pipes", stdio_pipes},
    {"wasi_sockets", sockets},
    {"wasi_new_bind_run_errors", new_bind_run_errors},
};
const size_t wrt_wasi_n_cases = T_COUNT(wrt_wasi_cases);
