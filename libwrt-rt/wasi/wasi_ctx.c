/*
** wasi_ctx.c: the WASI context: configuration (arguments, environment,
** stdio, preopened directories, sockets), the fd table, the host errno
** mapping, defining the functions of wasi_snapshot_preview1 as host
** functions, binding the instance's memory and running _start (proc_exit
** ends the run through the WRT_TRAP_EXIT trap). The functions themselves
** live in wasi_fd.c, wasi_readdir.c, wasi_path.c, wasi_poll.c, wasi_sock.c
** and wasi_misc.c; the executable's main in wasi_main.c.
*/
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* More guest fds than this are refused with EMFILE. */
#define MAX_FDS (UINT32_C(1) << 20)

/* ------------------------------------------------------------ errno */

/* The one host -> WASI errno table. A list of pairs rather than an array
** indexed by host errno: aliases (EAGAIN/EWOULDBLOCK, ENOTSUP/EOPNOTSUPP)
** may or may not be equal depending on the host. */
static const struct {
  int host;
  uint8_t wasi;
} errno_map[] = {
    {E2BIG, WASI_E2BIG},
    {EACCES, WASI_EACCES},
    {EADDRINUSE, WASI_EADDRINUSE},
    {EADDRNOTAVAIL, WASI_EADDRNOTAVAIL},
    {EAFNOSUPPORT, WASI_EAFNOSUPPORT},
    {EAGAIN, WASI_EAGAIN},
    {EWOULDBLOCK, WASI_EAGAIN},
    {EALREADY, WASI_EALREADY},
    {EBADF, WASI_EBADF},
    {EBADMSG, WASI_EBADMSG},
    {EBUSY, WASI_EBUSY},
    {ECANCELED, WASI_ECANCELED},
    {ECHILD, WASI_ECHILD},
    {ECONNABORTED, WASI_ECONNABORTED},
    {ECONNREFUSED, WASI_ECONNREFUSED},
    {ECONNRESET, WASI_ECONNRESET},
    {EDEADLK, WASI_EDEADLK},
    {EDESTADDRREQ, WASI_EDESTADDRREQ},
    {EDOM, WASI_EDOM},
    {EDQUOT, WASI_EDQUOT},
    {EEXIST, WASI_EEXIST},
    {EFAULT, WASI_EFAULT},
    {EFBIG, WASI_EFBIG},
    {EHOSTUNREACH, WASI_EHOSTUNREACH},
    {EIDRM, WASI_EIDRM},
    {EILSEQ, WASI_EILSEQ},
    {EINPROGRESS, WASI_EINPROGRESS},
    {EINTR, WASI_EINTR},
    {EINVAL, WASI_EINVAL},
    {EIO, WASI_EIO},
    {EISCONN, WASI_EISCONN},
    {EISDIR, WASI_EISDIR},
    {ELOOP, WASI_ELOOP},
    {EMFILE, WASI_EMFILE},
    {EMLINK, WASI_EMLINK},
    {EMSGSIZE, WASI_EMSGSIZE},
    {EMULTIHOP, WASI_EMULTIHOP},
    {ENAMETOOLONG, WASI_ENAMETOOLONG},
    {ENETDOWN, WASI_ENETDOWN},
    {ENETRESET, WASI_ENETRESET},
    {ENETUNREACH, WASI_ENETUNREACH},
    {ENFILE, WASI_ENFILE},
    {ENOBUFS, WASI_ENOBUFS},
    {ENODEV, WASI_ENODEV},
    {ENOENT, WASI_ENOENT},
    {ENOEXEC, WASI_ENOEXEC},
    {ENOLCK, WASI_ENOLCK},
    {ENOLINK, WASI_ENOLINK},
    {ENOMEM, WASI_ENOMEM},
    {ENOMSG, WASI_ENOMSG},
    {ENOPROTOOPT, WASI_ENOPROTOOPT},
    {ENOSPC, WASI_ENOSPC},
    {ENOSYS, WASI_ENOSYS},
    {ENOTCONN, WASI_ENOTCONN},
    {ENOTDIR, WASI_ENOTDIR},
    {ENOTEMPTY, WASI_ENOTEMPTY},
    {ENOTRECOVERABLE, WASI_ENOTRECOVERABLE},
    {ENOTSOCK, WASI_ENOTSOCK},
    {ENOTSUP, WASI_ENOTSUP},
    {EOPNOTSUPP, WASI_ENOTSUP},
    {ENOTTY, WASI_ENOTTY},
    {ENXIO, WASI_ENXIO},
    {EOVERFLOW, WASI_EOVERFLOW},
    {EOWNERDEAD, WASI_EOWNERDEAD},
    {EPERM, WASI_EPERM},
    {EPIPE, WASI_EPIPE},
    {EPROTO, WASI_EPROTO},
    {EPROTONOSUPPORT, WASI_EPROTONOSUPPORT},
    {EPROTOTYPE, WASI_EPROTOTYPE},
    {ERANGE, WASI_ERANGE},
    {EROFS, WASI_EROFS},
    {ESPIPE, WASI_ESPIPE},
    {ESRCH, WASI_ESRCH},
    {ESTALE, WASI_ESTALE},
    {ETIMEDOUT, WASI_ETIMEDOUT},
    {ETXTBSY, WASI_ETXTBSY},
    {EXDEV, WASI_EXDEV},
};

wasi_errno wasi_errno_from_host(int host_errno) {
  if (host_errno == 0)
    return WASI_ESUCCESS;
  for (size_t i = 0; i < sizeof errno_map / sizeof errno_map[0]; i++)
    if (errno_map[i].host == host_errno)
      return errno_map[i].wasi;
  return WASI_EIO; /* a host error WASI has no name for */
}

wasi_errno wasi_errno_now(void) {
  return wasi_errno_from_host(errno);
}

/* ------------------------------------------------------------ fd kinds and rights */

uint8_t wasi_filetype_of(const struct stat *st, int host_fd) {
  mode_t m = st->st_mode;
  if (S_ISREG(m))
    return WASI_FILETYPE_REGULAR_FILE;
  if (S_ISDIR(m))
    return WASI_FILETYPE_DIRECTORY;
  if (S_ISCHR(m))
    return WASI_FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(m))
    return WASI_FILETYPE_BLOCK_DEVICE;
  if (S_ISLNK(m))
    return WASI_FILETYPE_SYMBOLIC_LINK;
  if (S_ISSOCK(m)) {
    int type = 0;
    socklen_t len = sizeof type;
    if (host_fd >= 0 && getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
        type == SOCK_DGRAM)
      return WASI_FILETYPE_SOCKET_DGRAM;
    return WASI_FILETYPE_SOCKET_STREAM;
  }
  /* Pipes are streams, as Node (libuv) reports them. */
  if (S_ISFIFO(m))
    return WASI_FILETYPE_SOCKET_STREAM;
  return WASI_FILETYPE_UNKNOWN;
}

uint64_t wasi_rights_for(uint8_t type, int host_fd) {
  switch (type) {
  case WASI_FILETYPE_DIRECTORY:
    return WASI_RIGHTS_DIR;
  case WASI_FILETYPE_REGULAR_FILE:
  case WASI_FILETYPE_BLOCK_DEVICE:
    return WASI_RIGHTS_FILE;
  case WASI_FILETYPE_CHARACTER_DEVICE:
    return host_fd >= 0 && isatty(host_fd) ? WASI_RIGHTS_TTY : WASI_RIGHTS_FILE;
  case WASI_FILETYPE_SOCKET_STREAM:
  case WASI_FILETYPE_SOCKET_DGRAM:
    return WASI_RIGHTS_SOCKET;
  default:
    return WASI_RIGHTS_TTY;
  }
}

/* ------------------------------------------------------------ the fd table */

wasi_errno wasi_fd_get(wrt_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out) {
  if (fd >= w->n_fds || w->fds[fd].host < 0)
    return WASI_EBADF;
  if ((w->fds[fd].base & rights) != rights)
    return WASI_ENOTCAPABLE;
  *out = &w->fds[fd];
  return WASI_ESUCCESS;
}

void wasi_fd_release(wasi_fd *fd) {
  wasi_dir_free(fd->dir);
  if (fd->own && fd->host >= 0)
    close(fd->host);
  wrt_free(fd->name, fd->name_len + 1);
  memset(fd, 0, sizeof *fd);
  fd->host = -1;
}

/* Makes room for at least n slots; new slots are free. */
static bool fds_reserve(wrt_wasi *w, uint32_t n) {
  if (n <= w->cap)
    return true;
  uint32_t cap = w->cap ? w->cap : 8;
  while (cap < n)
    cap *= 2;
  wasi_fd *v = wrt_alloc_hook(w->fds, w->cap * sizeof *v, cap * sizeof *v);
  if (!v)
    return false;
  for (uint32_t i = w->cap; i < cap; i++) {
    memset(&v[i], 0, sizeof v[i]);
    v[i].host = -1;
  }
  w->fds = v;
  w->cap = cap;
  return true;
}

wasi_errno wasi_fd_add(wrt_wasi *w, const wasi_fd *fd, uint32_t *out) {
  uint32_t i = 3;
  while (i < w->n_fds && w->fds[i].host >= 0)
    i++;
  wasi_errno err = WASI_ESUCCESS;
  if (i >= MAX_FDS)
    err = WASI_EMFILE;
  else if (!fds_reserve(w, i + 1))
    err = WASI_ENOMEM;
  if (err != WASI_ESUCCESS) {
    wasi_fd tmp = *fd;
    tmp.dir = NULL; /* never set on a new entry; the caller keeps what it allocated */
    tmp.name = NULL;
    wasi_fd_release(&tmp);
    return err;
  }
  w->fds[i] = *fd;
  if (i >= w->n_fds)
    w->n_fds = i + 1;
  *out = i;
  return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ configuration */

/* Copies n strings into one NUL-separated block. */
static bool strings_copy(wasi_strings *s, int n, const char *const *v) {
  size_t size = 0;
  for (int i = 0; i < n; i++)
    size += strlen(v[i]) + 1;
  if (size > UINT32_MAX) /* the guest sizes are u32 */
    return false;
  s->buf = wrt_calloc(size, 1);
  if (!s->buf)
    return false;
  size_t off = 0;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(v[i]) + 1;
    memcpy(s->buf + off, v[i], len);
    off += len;
  }
  s->size = size;
  s->count = (uint32_t)n;
  return true;
}

/* Describes a host fd the context did not open (stdio, configured sockets). */
static wasi_errno add_inherited(wrt_wasi *w, int host, uint32_t *out) {
  struct stat st;
  wasi_fd fd = {.host = host};
  if (fstat(host, &st) != 0)
    return wasi_errno_now();
  fd.type = wasi_filetype_of(&st, host);
  fd.base = wasi_rights_for(fd.type, host);
  return wasi_fd_add(w, &fd, out);
}

/* WASI fds 0..2: the config's stdio (or the process's own 0..2), never
** owned. Their rights follow what the host fd is: a terminal has no seek or
** tell, which is how wasi-libc's isatty() recognises it (and line-buffers
** stdout). */
static wrt_err add_stdio(wrt_wasi *w, const wrt_wasi_config *cfg, wrt_diag *diag) {
  if (!fds_reserve(w, 3))
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory");
  w->n_fds = 3;
  for (uint32_t i = 0; i < 3; i++) {
    int host = cfg->use_default_stdio ? (int)i : cfg->stdio[i];
    struct stat st;
    if (host < 0 || fstat(host, &st) != 0)
      continue; /* a closed stdio fd stays free: the guest sees EBADF */
    wasi_fd *fd = &w->fds[i];
    fd->host = host;
    fd->type = wasi_filetype_of(&st, host);
    fd->base = wasi_rights_for(fd->type, host);
  }
  return WRT_OK;
}

/* A preopened directory: opened O_RDONLY (not O_PATH) so that fd_readdir and
** fd_filestat_get work on it; all directory rights, and everything below it
** may be handed down. */
static wrt_err add_preopen(wrt_wasi *w, const char *host, const char *guest, wrt_diag *diag) {
  wasi_fd fd = {.own = true, .preopen = true, .type = WASI_FILETYPE_DIRECTORY};
  fd.base = WASI_RIGHTS_DIR;
  fd.inheriting = WASI_RIGHTS_DIR_INHERITING;
  fd.host = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd.host < 0)
    return wrt_diag_set(diag, WRT_EINVAL, "cannot open directory %s: %s", host, strerror(errno));
  fd.name_len = strlen(guest);
  fd.name = wrt_strndup(guest, fd.name_len);
  uint32_t idx;
  if (!fd.name) {
    close(fd.host);
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory");
  }
  char *name = fd.name;
  size_t name_len = fd.name_len;
  if (wasi_fd_add(w, &fd, &idx) != WASI_ESUCCESS) {
    wrt_free(name, name_len + 1);
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory");
  }
  return WRT_OK;
}

static wrt_err configure(wrt_wasi *w, const wrt_wasi_config *cfg, wrt_diag *diag) {
  if (cfg->argc < 0 || cfg->n_env < 0 || (cfg->argc && !cfg->argv) || (cfg->n_env && !cfg->env) ||
      (cfg->n_dirs && !cfg->dir_host) || (cfg->n_sockets && !cfg->socket_fds))
    return wrt_diag_set(diag, WRT_EINVAL, "invalid WASI configuration");
  if (!strings_copy(&w->args, cfg->argc, cfg->argv) || !strings_copy(&w->env, cfg->n_env, cfg->env))
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory copying arguments");
  wrt_err err = add_stdio(w, cfg, diag);
  for (uint32_t i = 0; err == WRT_OK && i < cfg->n_dirs; i++) {
    const char *guest = cfg->dir_guest && cfg->dir_guest[i] ? cfg->dir_guest[i] : cfg->dir_host[i];
    err = add_preopen(w, cfg->dir_host[i], guest, diag);
  }
  for (uint32_t i = 0; err == WRT_OK && i < cfg->n_sockets; i++) {
    uint32_t idx;
    wasi_errno e = add_inherited(w, cfg->socket_fds[i], &idx);
    if (e != WASI_ESUCCESS)
      err = wrt_diag_set(diag, WRT_EINVAL, "socket fd %d is not usable (WASI errno %u)",
                         cfg->socket_fds[i], e);
  }
  return err;
}

wrt_wasi *wrt_wasi_new(const wrt_wasi_config *cfg, wrt_diag *diag) {
  if (!cfg) {
    wrt_diag_set(diag, WRT_EINVAL, "no WASI configuration");
    return NULL;
  }
  wrt_wasi *w = wrt_calloc(1, sizeof *w);
  if (!w) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory");
    return NULL;
  }
  if (configure(w, cfg, diag) != WRT_OK) {
    wrt_wasi_free(w);
    return NULL;
  }
  return w;
}

void wrt_wasi_free(wrt_wasi *w) {
  if (!w)
    return;
  for (uint32_t i = 0; i < w->n_fds; i++)
    wasi_fd_release(&w->fds[i]);
  wrt_free(w->fds, w->cap * sizeof *w->fds);
  wrt_free(w->args.buf, w->args.size);
  wrt_free(w->env.buf, w->env.size);
  wrt_free(w, sizeof *w);
}

/* ------------------------------------------------------------ host functions */

/* One host function per WASI function: the errno becomes the i32 result. */
#define HOST_FN(name, params)                                                                      \
  static wrt_trap_code host_##name(void *env, const wrt_val *a, wrt_val *r) {                      \
    r[0] = WRT_I32_VAL((int32_t)wasi_##name(env, a));                                              \
    return WRT_TRAP_NONE;                                                                          \
  }
WASI_FUNCS(HOST_FN)
#undef HOST_FN

/* proc_exit: records the status and unwinds the whole call with
** WRT_TRAP_EXIT; wrt_wasi_run turns that back into a status. */
static wrt_trap_code host_proc_exit(void *env, const wrt_val *a, wrt_val *r) {
  (void)r;
  wrt_wasi *w = env;
  w->exited = true;
  w->exit_code = wasi_u32(&a[0]);
  return WRT_TRAP_EXIT;
}

typedef struct func_entry {
  const char *name;
  const char *params;
  wrt_host_fn fn;
  uint32_t n_results;
} func_entry;

#define ENTRY(name, params) {#name, params, host_##name, 1},
static const func_entry func_table[WASI_N_FUNCS] = {
    WASI_FUNCS(ENTRY){"proc_exit", "i", host_proc_exit, 0},
};
#undef ENTRY

wrt_err wrt_wasi_define(wrt_wasi *w, wrt_store *s, wrt_linker *l) {
  if (!w || !s || !l)
    return WRT_EINVAL;
  for (size_t i = 0; i < WASI_N_FUNCS; i++) {
    const func_entry *e = &func_table[i];
    uint8_t types[16];
    uint32_t n = (uint32_t)strlen(e->params);
    for (uint32_t k = 0; k < n; k++)
      types[k] = e->params[k] == 'I' ? WRT_I64 : WRT_I32;
    types[n] = WRT_I32; /* the errno, when there is a result */
    wrt_functype t = {n, e->n_results, types, types + n};
    wrt_func *f = wrt_func_new_host(s, &t, e->fn, w);
    if (!f)
      return WRT_ENOMEM;
    wrt_err err = wrt_linker_define(l, WASI_MODULE, e->name,
                                    (wrt_extern){.kind = WRT_EXTERN_FUNC, .of.func = f});
    if (err != WRT_OK)
      return err;
    w->funcs[i] = f;
  }
  return WRT_OK;
}

wrt_func *wasi_func(const wrt_wasi *w, const char *name) {
  for (size_t i = 0; i < WASI_N_FUNCS; i++)
    if (strcmp(func_table[i].name, name) == 0)
      return w->funcs[i];
  return NULL;
}

/* ------------------------------------------------------------ binding and running */

void wasi_bind_memory(wrt_wasi *w, wrt_memory *m) {
  w->mem = m;
}

wrt_err wrt_wasi_bind(wrt_wasi *w, wrt_instance *inst, wrt_diag *diag) {
  if (!w || !inst)
    return wrt_diag_set(diag, WRT_EINVAL, "wrt_wasi_bind: no context or instance");
  wrt_extern ex;
  if (wrt_instance_export(inst, "memory", &ex) != WRT_OK || ex.kind != WRT_EXTERN_MEMORY)
    return wrt_diag_set(diag, WRT_ELINK, "WASI needs an exported memory named \"memory\"");
  w->mem = ex.of.memory;
  return WRT_OK;
}

/* The export `name` if it is a function () -> (); NULL otherwise. */
static wrt_func *command_export(wrt_store *s, wrt_instance *inst, const char *name) {
  wrt_extern ex;
  if (wrt_instance_export(inst, name, &ex) != WRT_OK || ex.kind != WRT_EXTERN_FUNC)
    return NULL;
  wrt_functype t = wrt_func_type(s, ex.of.func);
  return t.n_params == 0 && t.n_results == 0 ? ex.of.func : NULL;
}

/* Calls f; a proc_exit during the call becomes WRT_OK with the status. */
static wrt_err call_command(wrt_wasi *w, wrt_store *s, wrt_func *f, int *status, wrt_trap *trap) {
  wrt_trap t;
  w->exited = false;
  wrt_err err = wrt_call(s, f, NULL, 0, NULL, 0, &t);
  if (err == WRT_ETRAP && t.code == WRT_TRAP_EXIT && w->exited) {
    err = WRT_OK;
    memset(&t, 0, sizeof t);
    t.code = WRT_TRAP_NONE;
    t.func_idx = UINT32_MAX;
    if (status)
      *status = (int)w->exit_code;
  } else if (err == WRT_OK && status) {
    *status = 0;
  }
  if (trap)
    *trap = t;
  return err;
}

wrt_err wrt_wasi_run(wrt_wasi *w, wrt_store *s, wrt_instance *inst, int *status, wrt_trap *trap) {
  if (!w || !s || !inst)
    return WRT_EINVAL;
  wrt_func *f = command_export(s, inst, "_start");
  if (!f)
    return WRT_EINVAL;
  return call_command(w, s, f, status, trap);
}

wrt_err wrt_wasi_initialize(wrt_wasi *w, wrt_store *s, wrt_instance *inst, wrt_trap *trap) {
  if (!w || !s || !inst)
    return WRT_EINVAL;
  wrt_extern ex;
  if (wrt_instance_export(inst, "_initialize", &ex) != WRT_OK)
    return WRT_OK; /* a reactor without an initializer */
  wrt_func *f = command_export(s, inst, "_initialize");
  if (!f)
    return WRT_EINVAL;
  return call_command(w, s, f, NULL, trap);
}

bool wrt_wasi_exit_status(const wrt_wasi *w, int *status) {
  if (!w || !w->exited)
    return false;
  if (status)
    *status = (int)w->exit_code;
  return true;
}
