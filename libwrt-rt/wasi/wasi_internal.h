/*
** wasi_internal.h: what the wasi_*.c files share: the WASI preview 1 ABI
** constants (errno, rights, filetypes, flags, struct layouts), the context
** and its fd table, guest-memory access, and the one list of the functions
** of `wasi_snapshot_preview1` with their Wasm parameter types. Embedders see
** only the wrt_wasi_* API of wrt.h; the unit tests use a few hooks below.
**
** Every wasi_*.c includes this header first: it selects 64-bit file offsets
** and times, which 32-bit hosts (armv7) need for 64-bit guest offsets.
*/
#ifndef WASI_INTERNAL_H
#define WASI_INTERNAL_H

#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64
#endif
#ifndef _TIME_BITS
#define _TIME_BITS 64
#endif

#include <string.h>
#include <sys/stat.h>

#include "rt_internal.h"

/* ------------------------------------------------------------ the function list */

/*
** X(name, params): every function of wasi_snapshot_preview1 but proc_exit
** (which returns nothing and is defined on its own), with its Wasm parameter
** types in witx order ('i' = i32, 'I' = i64). Each returns an errno as i32
** and is implemented as `wasi_errno wasi_NAME(wrt_wasi *w, const wrt_val *a)`.
*/
#define WASI_FUNCS(X)                                                                              \
  X(args_get, "ii")                                                                                \
  X(args_sizes_get, "ii")                                                                          \
  X(environ_get, "ii")                                                                             \
  X(environ_sizes_get, "ii")                                                                       \
  X(clock_res_get, "ii")                                                                           \
  X(clock_time_get, "iIi")                                                                         \
  X(fd_advise, "iIIi")                                                                             \
  X(fd_allocate, "iII")                                                                            \
  X(fd_close, "i")                                                                                 \
  X(fd_datasync, "i")                                                                              \
  X(fd_fdstat_get, "ii")                                                                           \
  X(fd_fdstat_set_flags, "ii")                                                                     \
  X(fd_fdstat_set_rights, "iII")                                                                   \
  X(fd_filestat_get, "ii")                                                                         \
  X(fd_filestat_set_size, "iI")                                                                    \
  X(fd_filestat_set_times, "iIIi")                                                                 \
  X(fd_pread, "iiiIi")                                                                             \
  X(fd_prestat_get, "ii")                                                                          \
  X(fd_prestat_dir_name, "iii")                                                                    \
  X(fd_pwrite, "iiiIi")                                                                            \
  X(fd_read, "iiii")                                                                               \
  X(fd_readdir, "iiiIi")                                                                           \
  X(fd_renumber, "ii")                                                                             \
  X(fd_seek, "iIii")                                                                               \
  X(fd_sync, "i")                                                                                  \
  X(fd_tell, "ii")                                                                                 \
  X(fd_write, "iiii")                                                                              \
  X(path_create_directory, "iii")                                                                  \
  X(path_filestat_get, "iiiii")                                                                    \
  X(path_filestat_set_times, "iiiiIIi")                                                            \
  X(path_link, "iiiiiii")                                                                          \
  X(path_open, "iiiiiIIii")                                                                        \
  X(path_readlink, "iiiiii")                                                                       \
  X(path_remove_directory, "iii")                                                                  \
  X(path_rename, "iiiiii")                                                                         \
  X(path_symlink, "iiiii")                                                                         \
  X(path_unlink_file, "iii")                                                                       \
  X(poll_oneoff, "iiii")                                                                           \
  X(proc_raise, "i")                                                                               \
  X(sched_yield, "")                                                                               \
  X(random_get, "ii")                                                                              \
  X(sock_accept, "iii")                                                                            \
  X(sock_recv, "iiiiii")                                                                           \
  X(sock_send, "iiiii")                                                                            \
  X(sock_shutdown, "ii")

#define WASI_COUNT_ONE(name, params) +1
/* The number of functions defined: the list plus proc_exit. */
enum { WASI_N_FUNCS = 1 WASI_FUNCS(WASI_COUNT_ONE) };
#undef WASI_COUNT_ONE

#define WASI_MODULE "wasi_snapshot_preview1"

/* ------------------------------------------------------------ errno (witx order) */

typedef uint16_t wasi_errno;

enum {
  WASI_ESUCCESS = 0,
  WASI_E2BIG = 1,
  WASI_EACCES = 2,
  WASI_EADDRINUSE = 3,
  WASI_EADDRNOTAVAIL = 4,
  WASI_EAFNOSUPPORT = 5,
  WASI_EAGAIN = 6,
  WASI_EALREADY = 7,
  WASI_EBADF = 8,
  WASI_EBADMSG = 9,
  WASI_EBUSY = 10,
  WASI_ECANCELED = 11,
  WASI_ECHILD = 12,
  WASI_ECONNABORTED = 13,
  WASI_ECONNREFUSED = 14,
  WASI_ECONNRESET = 15,
  WASI_EDEADLK = 16,
  WASI_EDESTADDRREQ = 17,
  WASI_EDOM = 18,
  WASI_EDQUOT = 19,
  WASI_EEXIST = 20,
  WASI_EFAULT = 21,
  WASI_EFBIG = 22,
  WASI_EHOSTUNREACH = 23,
  WASI_EIDRM = 24,
  WASI_EILSEQ = 25,
  WASI_EINPROGRESS = 26,
  WASI_EINTR = 27,
  WASI_EINVAL = 28,
  WASI_EIO = 29,
  WASI_EISCONN = 30,
  WASI_EISDIR = 31,
  WASI_ELOOP = 32,
  WASI_EMFILE = 33,
  WASI_EMLINK = 34,
  WASI_EMSGSIZE = 35,
  WASI_EMULTIHOP = 36,
  WASI_ENAMETOOLONG = 37,
  WASI_ENETDOWN = 38,
  WASI_ENETRESET = 39,
  WASI_ENETUNREACH = 40,
  WASI_ENFILE = 41,
  WASI_ENOBUFS = 42,
  WASI_ENODEV = 43,
  WASI_ENOENT = 44,
  WASI_ENOEXEC = 45,
  WASI_ENOLCK = 46,
  WASI_ENOLINK = 47,
  WASI_ENOMEM = 48,
  WASI_ENOMSG = 49,
  WASI_ENOPROTOOPT = 50,
  WASI_ENOSPC = 51,
  WASI_ENOSYS = 52,
  WASI_ENOTCONN = 53,
  WASI_ENOTDIR = 54,
  WASI_ENOTEMPTY = 55,
  WASI_ENOTRECOVERABLE = 56,
  WASI_ENOTSOCK = 57,
  WASI_ENOTSUP = 58,
  WASI_ENOTTY = 59,
  WASI_ENXIO = 60,
  WASI_EOVERFLOW = 61,
  WASI_EOWNERDEAD = 62,
  WASI_EPERM = 63,
  WASI_EPIPE = 64,
  WASI_EPROTO = 65,
  WASI_EPROTONOSUPPORT = 66,
  WASI_EPROTOTYPE = 67,
  WASI_ERANGE = 68,
  WASI_EROFS = 69,
  WASI_ESPIPE = 70,
  WASI_ESRCH = 71,
  WASI_ESTALE = 72,
  WASI_ETIMEDOUT = 73,
  WASI_ETXTBSY = 74,
  WASI_EXDEV = 75,
  WASI_ENOTCAPABLE = 76,
};

/* The WASI errno for a host errno value (one table; EIO for unknown ones). */
wasi_errno wasi_errno_from_host(int host_errno);
/* wasi_errno_from_host(errno), for the common `return wasi_errno_now();`. */
wasi_errno wasi_errno_now(void);

/* ------------------------------------------------------------ rights, types, flags */

enum {
  WASI_RIGHT_FD_DATASYNC = 1u << 0,
  WASI_RIGHT_FD_READ = 1u << 1,
  WASI_RIGHT_FD_SEEK = 1u << 2,
  WASI_RIGHT_FD_FDSTAT_SET_FLAGS = 1u << 3,
  WASI_RIGHT_FD_SYNC = 1u << 4,
  WASI_RIGHT_FD_TELL = 1u << 5,
  WASI_RIGHT_FD_WRITE = 1u << 6,
  WASI_RIGHT_FD_ADVISE = 1u << 7,
  WASI_RIGHT_FD_ALLOCATE = 1u << 8,
  WASI_RIGHT_PATH_CREATE_DIRECTORY = 1u << 9,
  WASI_RIGHT_PATH_CREATE_FILE = 1u << 10,
  WASI_RIGHT_PATH_LINK_SOURCE = 1u << 11,
  WASI_RIGHT_PATH_LINK_TARGET = 1u << 12,
  WASI_RIGHT_PATH_OPEN = 1u << 13,
  WASI_RIGHT_FD_READDIR = 1u << 14,
  WASI_RIGHT_PATH_READLINK = 1u << 15,
  WASI_RIGHT_PATH_RENAME_SOURCE = 1u << 16,
  WASI_RIGHT_PATH_RENAME_TARGET = 1u << 17,
  WASI_RIGHT_PATH_FILESTAT_GET = 1u << 18,
  WASI_RIGHT_PATH_FILESTAT_SET_SIZE = 1u << 19,
  WASI_RIGHT_PATH_FILESTAT_SET_TIMES = 1u << 20,
  WASI_RIGHT_FD_FILESTAT_GET = 1u << 21,
  WASI_RIGHT_FD_FILESTAT_SET_SIZE = 1u << 22,
  WASI_RIGHT_FD_FILESTAT_SET_TIMES = 1u << 23,
  WASI_RIGHT_PATH_SYMLINK = 1u << 24,
  WASI_RIGHT_PATH_REMOVE_DIRECTORY = 1u << 25,
  WASI_RIGHT_PATH_UNLINK_FILE = 1u << 26,
  WASI_RIGHT_POLL_FD_READWRITE = 1u << 27,
  WASI_RIGHT_SOCK_SHUTDOWN = 1u << 28,
  WASI_RIGHT_SOCK_ACCEPT = 1u << 29
};

/* Rights by kind of fd (the sets uvwasi and wasmtime use). A directory's
** inheriting rights are everything a file or directory below it may have. */
#define WASI_RIGHTS_ALL ((UINT64_C(1) << 30) - 1)
#define WASI_RIGHTS_FILE                                                                           \
  ((uint64_t)(WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                   \
              WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |           \
              WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                \
              WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                       \
              WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE))
#define WASI_RIGHTS_DIR                                                                            \
  ((uint64_t)(WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |         \
              WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                     \
              WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |   \
              WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |   \
              WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                       \
              WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |             \
              WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES |                      \
              WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY |                         \
              WASI_RIGHT_PATH_UNLINK_FILE | WASI_RIGHT_POLL_FD_READWRITE))
#define WASI_RIGHTS_DIR_INHERITING (WASI_RIGHTS_DIR | WASI_RIGHTS_FILE)
/* Terminals: no seek or tell, which is how wasi-libc's isatty() tells them. */
#define WASI_RIGHTS_TTY                                                                            \
  ((uint64_t)(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_WRITE |          \
              WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE))
#define WASI_RIGHTS_SOCKET                                                                         \
  (WASI_RIGHTS_TTY | (uint64_t)(WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT))

enum {
  WASI_FILETYPE_UNKNOWN,
  WASI_FILETYPE_BLOCK_DEVICE,
  WASI_FILETYPE_CHARACTER_DEVICE,
  WASI_FILETYPE_DIRECTORY,
  WASI_FILETYPE_REGULAR_FILE,
  WASI_FILETYPE_SOCKET_DGRAM,
  WASI_FILETYPE_SOCKET_STREAM,
  WASI_FILETYPE_SYMBOLIC_LINK
};

/* fdflags */
enum {
  WASI_FDFLAG_APPEND = 1,
  WASI_FDFLAG_DSYNC = 2,
  WASI_FDFLAG_NONBLOCK = 4,
  WASI_FDFLAG_RSYNC = 8,
  WASI_FDFLAG_SYNC = 16
};
enum { WASI_OFLAG_CREAT = 1, WASI_OFLAG_DIRECTORY = 2, WASI_OFLAG_EXCL = 4, WASI_OFLAG_TRUNC = 8 };
enum { WASI_LOOKUP_SYMLINK_FOLLOW = 1 };
enum {
  WASI_FSTFLAG_ATIM = 1,
  WASI_FSTFLAG_ATIM_NOW = 2,
  WASI_FSTFLAG_MTIM = 4,
  WASI_FSTFLAG_MTIM_NOW = 8
};
enum { WASI_WHENCE_SET, WASI_WHENCE_CUR, WASI_WHENCE_END };
enum {
  WASI_CLOCK_REALTIME,
  WASI_CLOCK_MONOTONIC,
  WASI_CLOCK_PROCESS_CPUTIME,
  WASI_CLOCK_THREAD_CPUTIME
};
enum { WASI_EVENT_CLOCK, WASI_EVENT_FD_READ, WASI_EVENT_FD_WRITE };

/* Struct sizes in guest memory (witx layouts, little-endian, no alignment
** guaranteed). Field offsets are written where each struct is filled. */
enum {
  WASI_IOVEC_SIZE = 8,
  WASI_FDSTAT_SIZE = 24,
  WASI_FILESTAT_SIZE = 64,
  WASI_PRESTAT_SIZE = 8,
  WASI_DIRENT_SIZE = 24,
  WASI_SUBSCRIPTION_SIZE = 48,
  WASI_EVENT_SIZE = 32
};

/* ------------------------------------------------------------ the context */

/* The listing state of a directory fd (wasi_readdir.c). */
typedef struct wasi_dir wasi_dir;
void wasi_dir_free(wasi_dir *d);

/*
** One guest fd. A free slot has host == -1. Invariants: `own` fds (preopens,
** files and directories the guest opened, accepted sockets) are closed by
** fd_close and wrt_wasi_free; the inherited stdio and configured sockets are
** never closed on the host. `dir` is created by the first fd_readdir and
** freed with the slot.
*/
typedef struct wasi_fd {
  int host;
  uint8_t type; /* WASI_FILETYPE_* */
  bool own, preopen;
  uint64_t base, inheriting; /* rights */
  char *name;                /* preopens: the guest name (name_len + 1 bytes) */
  size_t name_len;
  wasi_dir *dir;
} wasi_fd;

/* Arguments or environment strings, NUL-separated in one block. */
typedef struct wasi_strings {
  char *buf;
  size_t size; /* bytes in buf, NULs included */
  uint32_t count;
} wasi_strings;

struct wrt_wasi {
  wrt_memory *mem; /* bound by wrt_wasi_bind; NULL makes every guest pointer fault */
  wasi_fd *fds;
  uint32_t n_fds; /* slots in use or free; fds >= n_fds are closed */
  uint32_t cap;
  wasi_strings args, env;
  wrt_func *funcs[WASI_N_FUNCS]; /* as defined by wrt_wasi_define, in list order */
  bool exited;                   /* proc_exit was called */
  uint32_t exit_code;
};

/* The fd record for a guest fd with all of `rights` in its base rights:
** WASI_EBADF if not open, WASI_ENOTCAPABLE if a right is missing. */
wasi_errno wasi_fd_get(wrt_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out);
/* Adds an entry in the lowest free slot from 3 on: unlike POSIX, a closed
** stdio slot is never reused, so output meant for stdout cannot land in a
** file the program opened later. On failure closes host if own and returns
** WASI_ENOMEM or WASI_EMFILE. */
wasi_errno wasi_fd_add(wrt_wasi *w, const wasi_fd *fd, uint32_t *out);
/* Releases a slot: closes the host fd if owned, the readdir stream, the name. */
void wasi_fd_release(wasi_fd *fd);
/* The WASI filetype of a host stat. */
uint8_t wasi_filetype_of(const struct stat *st, int host_fd);
/* The rights a fd of this type can have at most (before the parent's mask). */
uint64_t wasi_rights_for(uint8_t type, int host_fd);

/* The function named `name` as wrt_wasi_define created it (tests), or NULL. */
wrt_func *wasi_func(const wrt_wasi *w, const char *name);
/* Binds a memory directly (tests; wrt_wasi_bind finds it in an instance). */
void wasi_bind_memory(wrt_wasi *w, wrt_memory *m);

/* ------------------------------------------------------------ guest memory */

/* [off, off + len) of the bound memory as a host pointer, or NULL when out
** of bounds. The base and size are read on every call: memory can grow. */
static inline uint8_t *wasi_mem(wrt_wasi *w, uint64_t off, uint64_t len) {
  if (!w->mem || !wrt_in_bounds(off, len, wrt_memory_size(w->mem)))
    return NULL;
  return wrt_memory_data(w->mem) + (size_t)off;
}

/* The unaligned little-endian loads and stores: a memcpy in host order,
** since every supported host is little-endian, as Wasm memory is. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wasi: guest memory access assumes a little-endian host"
#endif
static inline uint32_t wasi_ld32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static inline uint64_t wasi_ld64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static inline uint16_t wasi_ld16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}
static inline void wasi_st16(uint8_t *p, uint16_t v) {
  memcpy(p, &v, 2);
}
static inline void wasi_st32(uint8_t *p, uint32_t v) {
  memcpy(p, &v, 4);
}
static inline void wasi_st64(uint8_t *p, uint64_t v) {
  memcpy(p, &v, 8);
}

/* Stores one u32 / u64 result at a guest address; WASI_EFAULT if out of bounds. */
static inline wasi_errno wasi_put32(wrt_wasi *w, uint32_t off, uint32_t v) {
  uint8_t *p = wasi_mem(w, off, 4);
  if (!p)
    return WASI_EFAULT;
  wasi_st32(p, v);
  return WASI_ESUCCESS;
}
static inline wasi_errno wasi_put64(wrt_wasi *w, uint32_t off, uint64_t v) {
  uint8_t *p = wasi_mem(w, off, 8);
  if (!p)
    return WASI_EFAULT;
  wasi_st64(p, v);
  return WASI_ESUCCESS;
}

/* Host function arguments: i32 parameters as unsigned, i64 as u64. */
static inline uint32_t wasi_u32(const wrt_val *a) {
  return (uint32_t)a->of.i32;
}
static inline uint64_t wasi_u64(const wrt_val *a) {
  return (uint64_t)a->of.i64;
}

/* A guest iovec array as host iovecs (struct iovec *), bounds-checked; zero-
** length entries are dropped. `iov` holds at least `max` entries; more than
** `max` guest entries are cut (a short read or write, as POSIX allows). */
struct iovec;
wasi_errno wasi_iovecs(wrt_wasi *w, uint32_t ptr, uint32_t n, struct iovec *iov, size_t max,
                       int *n_out);

/* ------------------------------------------------------------ shared helpers */

/* Stores a filestat (64 bytes) from a host stat (wasi_fd.c). */
void wasi_filestat_store(uint8_t *p, const struct stat *st);
/* The two timespecs of futimens/utimensat from WASI times and fstflags;
** WASI_EINVAL for contradictory or unknown flags (wasi_fd.c). */
struct timespec;
wasi_errno wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);
/* A WASI clock's current time in nanoseconds; WASI_EINVAL for unknown
** clock ids (wasi_misc.c). */
wasi_errno wasi_clock_now(uint32_t id, uint64_t *ns);

#define WASI_FUNC_DECL(name, params) wasi_errno wasi_##name(wrt_wasi *w, const wrt_val *a);
WASI_FUNCS(WASI_FUNC_DECL)
#undef WASI_FUNC_DECL

#endif
