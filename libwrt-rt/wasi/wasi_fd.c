/*
** wasi_fd.c: the fd_* functions that act on an open fd: read, write and
** their positioned forms, seek and tell, fdstat and filestat (get and set),
** advise, allocate, sync, close, renumber, and the preopen queries. They use
** the host fd directly (no buffering), so the guest's output interleaves
** with the host's stderr in order. Directory listing is in wasi_readdir.c,
** everything that takes a path in wasi_path.c.
*/
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Guest iovecs per call handed to the host at once; more make a short
** read or write, which POSIX and WASI allow. */
#define MAX_IOV 64

#define NS_PER_S UINT64_C(1000000000)

/* ------------------------------------------------------------ shared helpers */

wasi_errno wasi_iovecs(wrt_wasi *w, uint32_t ptr, uint32_t n, struct iovec *iov, size_t max,
                       int *n_out) {
  const uint8_t *arr = wasi_mem(w, ptr, (uint64_t)n * WASI_IOVEC_SIZE);
  if (!arr)
    return WASI_EFAULT;
  size_t k = 0;
  for (uint32_t i = 0; i < n && k < max; i++) {
    const uint8_t *e = arr + (size_t)i * WASI_IOVEC_SIZE;
    uint32_t buf = wasi_ld32(e), len = wasi_ld32(e + 4);
    if (len == 0)
      continue;
    uint8_t *p = wasi_mem(w, buf, len);
    if (!p)
      return WASI_EFAULT;
    iov[k].iov_base = p;
    iov[k].iov_len = len;
    k++;
  }
  *n_out = (int)k;
  return WASI_ESUCCESS;
}

static uint64_t ts_ns(const struct timespec *ts) {
  return (uint64_t)ts->tv_sec * NS_PER_S + (uint64_t)ts->tv_nsec;
}

void wasi_filestat_store(uint8_t *p, const struct stat *st) {
  memset(p, 0, WASI_FILESTAT_SIZE);
  wasi_st64(p + 0, (uint64_t)st->st_dev);
  wasi_st64(p + 8, (uint64_t)st->st_ino);
  p[16] = wasi_filetype_of(st, -1);
  wasi_st64(p + 24, (uint64_t)st->st_nlink);
  wasi_st64(p + 32, (uint64_t)st->st_size);
  wasi_st64(p + 40, ts_ns(&st->st_atim));
  wasi_st64(p + 48, ts_ns(&st->st_mtim));
  wasi_st64(p + 56, ts_ns(&st->st_ctim));
}

static void ns_ts(uint64_t ns, struct timespec *ts) {
  ts->tv_sec = (time_t)(ns / NS_PER_S);
  ts->tv_nsec = (long)(ns % NS_PER_S);
}

wasi_errno wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]) {
  if (fst & ~UINT32_C(15))
    return WASI_EINVAL;
  if (((fst & WASI_FSTFLAG_ATIM) && (fst & WASI_FSTFLAG_ATIM_NOW)) ||
      ((fst & WASI_FSTFLAG_MTIM) && (fst & WASI_FSTFLAG_MTIM_NOW)))
    return WASI_EINVAL;
  ts[0].tv_sec = ts[1].tv_sec = 0;
  ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
  if (fst & WASI_FSTFLAG_ATIM)
    ns_ts(atim, &ts[0]);
  else if (fst & WASI_FSTFLAG_ATIM_NOW)
    ts[0].tv_nsec = UTIME_NOW;
  if (fst & WASI_FSTFLAG_MTIM)
    ns_ts(mtim, &ts[1]);
  else if (fst & WASI_FSTFLAG_MTIM_NOW)
    ts[1].tv_nsec = UTIME_NOW;
  return WASI_ESUCCESS;
}

/* Guest offsets and lengths are u64; the host's off_t is signed. */
static bool off_ok(uint64_t v) {
  return v <= (uint64_t)INT64_MAX;
}

/* ------------------------------------------------------------ read and write */

typedef enum io_kind { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

/* The four transfers share everything but the system call: the rights,
** the iovec conversion, and storing the count (checked before any I/O). */
static wasi_errno transfer(wrt_wasi *w, const wrt_val *a, io_kind kind) {
  bool positioned = kind == IO_PREAD || kind == IO_PWRITE;
  bool writing = kind == IO_WRITE || kind == IO_PWRITE;
  uint64_t rights = writing ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ;
  if (positioned)
    rights |= WASI_RIGHT_FD_SEEK;
  uint64_t offset = positioned ? wasi_u64(&a[3]) : 0;
  uint32_t ret = wasi_u32(&a[positioned ? 4 : 3]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), rights, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  if (positioned && !off_ok(offset))
    return WASI_EINVAL;
  struct iovec iov[MAX_IOV];
  int n;
  if ((err = wasi_iovecs(w, wasi_u32(&a[1]), wasi_u32(&a[2]), iov, MAX_IOV, &n)) != 0)
    return err;
  ssize_t r = 0;
  if (n > 0) {
    switch (kind) {
    case IO_READ:
      r = readv(fd->host, iov, n);
      break;
    case IO_WRITE:
      r = writev(fd->host, iov, n);
      break;
    case IO_PREAD:
      r = preadv(fd->host, iov, n, (off_t)offset);
      break;
    case IO_PWRITE:
      r = pwritev(fd->host, iov, n, (off_t)offset);
      break;
    }
  }
  if (r < 0)
    return wasi_errno_now();
  return wasi_put32(w, ret, (uint32_t)r);
}

/* spec: fd_read(fd, iovs, iovs_len) -> nread; 0 at end of file. A read on
** an O_NONBLOCK fd without data is EAGAIN, as on the host. */
wasi_errno wasi_fd_read(wrt_wasi *w, const wrt_val *a) {
  return transfer(w, a, IO_READ);
}

/* spec: fd_write(fd, iovs, iovs_len) -> nwritten. One writev: a short count
** is possible (pipes, signals), and wasi-libc's stdio retries the rest. A
** write to a pipe without readers raises SIGPIPE, as in a native program. */
wasi_errno wasi_fd_write(wrt_wasi *w, const wrt_val *a) {
  return transfer(w, a, IO_WRITE);
}

/* spec: fd_pread / fd_pwrite at an offset, without moving the position;
** they need FD_SEEK besides FD_READ / FD_WRITE (as in wasmtime and uvwasi). */
wasi_errno wasi_fd_pread(wrt_wasi *w, const wrt_val *a) {
  return transfer(w, a, IO_PREAD);
}

wasi_errno wasi_fd_pwrite(wrt_wasi *w, const wrt_val *a) {
  return transfer(w, a, IO_PWRITE);
}

/* ------------------------------------------------------------ position */

/* spec: fd_seek(fd, filedelta s64, whence) -> new offset. Pipes, sockets
** and terminals have no FD_SEEK right (NOTCAPABLE); a host that refuses
** the seek says SPIPE. */
wasi_errno wasi_fd_seek(wrt_wasi *w, const wrt_val *a) {
  int64_t delta = a[1].of.i64;
  uint32_t whence = wasi_u32(&a[2]), ret = wasi_u32(&a[3]);
  /* Like uvwasi: asking for the position only needs the tell right. */
  uint64_t rights =
      whence == WASI_WHENCE_CUR && delta == 0 ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), rights, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!wasi_mem(w, ret, 8))
    return WASI_EFAULT;
  int how;
  switch (whence) {
  case WASI_WHENCE_SET:
    how = SEEK_SET;
    break;
  case WASI_WHENCE_CUR:
    how = SEEK_CUR;
    break;
  case WASI_WHENCE_END:
    how = SEEK_END;
    break;
  default:
    return WASI_EINVAL;
  }
  off_t pos = lseek(fd->host, (off_t)delta, how);
  if (pos < 0)
    return wasi_errno_now();
  return wasi_put64(w, ret, (uint64_t)pos);
}

wasi_errno wasi_fd_tell(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_TELL, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!wasi_mem(w, wasi_u32(&a[1]), 8))
    return WASI_EFAULT;
  off_t pos = lseek(fd->host, 0, SEEK_CUR);
  if (pos < 0)
    return wasi_errno_now();
  return wasi_put64(w, wasi_u32(&a[1]), (uint64_t)pos);
}

/* ------------------------------------------------------------ fdstat */

/* The fdflags of an open host fd. Linux's O_SYNC includes O_DSYNC, so SYNC
** is reported alone; RSYNC (the same bit as O_SYNC on Linux) is not. */
static uint16_t fdflags_of(int host) {
  int fl = fcntl(host, F_GETFL);
  uint16_t f = 0;
  if (fl < 0)
    return 0;
  if (fl & O_APPEND)
    f |= WASI_FDFLAG_APPEND;
  if (fl & O_NONBLOCK)
    f |= WASI_FDFLAG_NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC)
    f |= WASI_FDFLAG_SYNC;
  else if (fl & O_DSYNC)
    f |= WASI_FDFLAG_DSYNC;
  return f;
}

/* fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8,
** rights_inheriting u64 @16. No right is needed to ask. */
wasi_errno wasi_fd_fdstat_get(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), 0, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  uint8_t *p = wasi_mem(w, wasi_u32(&a[1]), WASI_FDSTAT_SIZE);
  if (!p)
    return WASI_EFAULT;
  memset(p, 0, WASI_FDSTAT_SIZE);
  p[0] = fd->type;
  wasi_st16(p + 2, fdflags_of(fd->host));
  wasi_st64(p + 8, fd->base);
  wasi_st64(p + 16, fd->inheriting);
  return WASI_ESUCCESS;
}

/* Only append and nonblock can change on an open host fd; the sync flags
** are fixed at open (O_SYNC cannot be set by fcntl on Linux). */
wasi_errno wasi_fd_fdstat_set_flags(wrt_wasi *w, const wrt_val *a) {
  uint32_t flags = wasi_u32(&a[1]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (flags & ~UINT32_C(31))
    return WASI_EINVAL;
  if (flags & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
    return WASI_ENOTSUP;
  int fl = fcntl(fd->host, F_GETFL);
  if (fl < 0)
    return wasi_errno_now();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & WASI_FDFLAG_APPEND)
    fl |= O_APPEND;
  if (flags & WASI_FDFLAG_NONBLOCK)
    fl |= O_NONBLOCK;
  return fcntl(fd->host, F_SETFL, fl) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

/* Rights can only shrink. */
wasi_errno wasi_fd_fdstat_set_rights(wrt_wasi *w, const wrt_val *a) {
  uint64_t base = wasi_u64(&a[1]), inheriting = wasi_u64(&a[2]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), 0, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if ((base & ~fd->base) || (inheriting & ~fd->inheriting))
    return WASI_ENOTCAPABLE;
  fd->base = base;
  fd->inheriting = inheriting;
  return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ filestat */

/* filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40,
** mtim @48, ctim @56 (u64s, times in nanoseconds). */
wasi_errno wasi_fd_filestat_get(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_FILESTAT_GET, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  uint8_t *p = wasi_mem(w, wasi_u32(&a[1]), WASI_FILESTAT_SIZE);
  if (!p)
    return WASI_EFAULT;
  struct stat st;
  if (fstat(fd->host, &st) != 0)
    return wasi_errno_now();
  wasi_filestat_store(p, &st);
  p[16] = fd->type; /* sockets: the type found at open (fstat cannot tell dgram) */
  return WASI_ESUCCESS;
}

wasi_errno wasi_fd_filestat_set_size(wrt_wasi *w, const wrt_val *a) {
  uint64_t size = wasi_u64(&a[1]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!off_ok(size))
    return WASI_EINVAL;
  return ftruncate(fd->host, (off_t)size) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

wasi_errno wasi_fd_filestat_set_times(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  struct timespec ts[2];
  if ((err = wasi_times(wasi_u64(&a[1]), wasi_u64(&a[2]), wasi_u32(&a[3]), ts)) != 0)
    return err;
  return futimens(fd->host, ts) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

/* ------------------------------------------------------------ advice, allocation, sync */

wasi_errno wasi_fd_advise(wrt_wasi *w, const wrt_val *a) {
  static const int advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  uint64_t offset = wasi_u64(&a[1]), len = wasi_u64(&a[2]);
  uint32_t adv = wasi_u32(&a[3]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_ADVISE, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (adv >= sizeof advice / sizeof advice[0] || !off_ok(offset) || !off_ok(len))
    return WASI_EINVAL;
  if (fd->type == WASI_FILETYPE_DIRECTORY)
    return WASI_ESUCCESS; /* advice is only a hint; Linux refuses it on directories */
  int r = posix_fadvise(fd->host, (off_t)offset, (off_t)len, advice[adv]);
  return wasi_errno_from_host(r);
}

/* posix_fallocate (wasmtime now answers NOTSUP; uvwasi allocates, as here).
** Offsets beyond off_t, or whose sum overflows, are INVAL. */
wasi_errno wasi_fd_allocate(wrt_wasi *w, const wrt_val *a) {
  uint64_t offset = wasi_u64(&a[1]), len = wasi_u64(&a[2]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_ALLOCATE, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (!off_ok(offset) || !off_ok(len) || len > (uint64_t)INT64_MAX - offset)
    return WASI_EINVAL;
  return wasi_errno_from_host(posix_fallocate(fd->host, (off_t)offset, (off_t)len));
}

wasi_errno wasi_fd_datasync(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_DATASYNC, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  return fdatasync(fd->host) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

wasi_errno wasi_fd_sync(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_SYNC, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  return fsync(fd->host) == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

/* ------------------------------------------------------------ close and renumber */

/* Any open fd may be closed, preopens and stdio included; the host fd is
** closed only if the context owns it. */
wasi_errno wasi_fd_close(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), 0, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  wasi_fd_release(fd);
  return WASI_ESUCCESS;
}

/* Both fds must be open (as in wasmtime and uvwasi); `to` is closed first. */
wasi_errno wasi_fd_renumber(wrt_wasi *w, const wrt_val *a) {
  uint32_t from = wasi_u32(&a[0]), to = wasi_u32(&a[1]);
  wasi_fd *src, *dst;
  wasi_errno err = wasi_fd_get(w, from, 0, &src);
  if (err == WASI_ESUCCESS)
    err = wasi_fd_get(w, to, 0, &dst);
  if (err != WASI_ESUCCESS || from == to)
    return err;
  wasi_fd_release(dst);
  *dst = *src;
  memset(src, 0, sizeof *src);
  src->host = -1;
  return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ preopens */

/* Non-preopens answer EBADF: wasi-libc scans fds from 3 until EBADF and
** treats any other error as fatal. */
static wasi_errno preopen_get(wrt_wasi *w, uint32_t idx, wasi_fd **out) {
  wasi_errno err = wasi_fd_get(w, idx, 0, out);
  if (err == WASI_ESUCCESS && !(*out)->preopen)
    err = WASI_EBADF;
  return err;
}

/* prestat: tag u8 @0 (0 = directory), name length u32 @4. */
wasi_errno wasi_fd_prestat_get(wrt_wasi *w, const wrt_val *a) {
  wasi_fd *fd;
  wasi_errno err = preopen_get(w, wasi_u32(&a[0]), &fd);
  if (err != WASI_ESUCCESS)
    return err;
  uint8_t *p = wasi_mem(w, wasi_u32(&a[1]), WASI_PRESTAT_SIZE);
  if (!p)
    return WASI_EFAULT;
  memset(p, 0, WASI_PRESTAT_SIZE);
  p[0] = 0; /* preopentype dir */
  wasi_st32(p + 4, (uint32_t)fd->name_len);
  return WASI_ESUCCESS;
}

/* The guest name, not NUL-terminated; a buffer shorter than the name is
** NAMETOOLONG (as wasmtime), nothing is written then. */
wasi_errno wasi_fd_prestat_dir_name(wrt_wasi *w, const wrt_val *a) {
  uint32_t len = wasi_u32(&a[2]);
  wasi_fd *fd;
  wasi_errno err = preopen_get(w, wasi_u32(&a[0]), &fd);
  if (err != WASI_ESUCCESS)
    return err;
  uint8_t *p = wasi_mem(w, wasi_u32(&a[1]), len);
  if (!p)
    return WASI_EFAULT;
  if (len < fd->name_len)
    return WASI_ENAMETOOLONG;
  memcpy(p, fd->name, fd->name_len);
  return WASI_ESUCCESS;
}
