/*
** wasi_readdir.c: fd_readdir. Entries come from a host readdir stream kept
** on the fd (on a dup of the directory fd, opened on first use). Cookies are
** entry indices, so they stay valid across calls: the stream reads on when
** the cookie is its position, and rewinds and skips otherwise (cookie 0
** always rewinds, so a new listing sees the current contents). The entry
** that did not fit is kept for the next call instead of seekdir-ing back:
** telldir cookies do not survive 32-bit hosts (armv7) on file systems with
** 64-bit directory offsets. Like Node (uvwasi), "." and ".." are not listed;
** unlike it, d_ino is the real inode number, which spares wasi-libc an
** fstatat per entry.
*/
#include "wasi_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

/* One directory entry, as the guest will see it. */
typedef struct entry {
  uint64_t ino;
  uint8_t type;
  size_t len;
  char name[NAME_MAX + 1];
} entry;

/* Invariant: `pos` is the index (cookie) of the next entry handed out,
** which is `pending` when has_pending, else the stream's next one. */
struct wasi_dir {
  DIR *d;
  uint64_t pos;
  bool has_pending;
  entry pending;
};

void wasi_dir_free(wasi_dir *d) {
  if (!d)
    return;
  closedir(d->d);
  wrt_free(d, sizeof *d);
}

static uint8_t dirent_type(DIR *d, const struct dirent *e) {
  switch (e->d_type) {
  case DT_REG:
    return WASI_FILETYPE_REGULAR_FILE;
  case DT_DIR:
    return WASI_FILETYPE_DIRECTORY;
  case DT_LNK:
    return WASI_FILETYPE_SYMBOLIC_LINK;
  case DT_CHR:
    return WASI_FILETYPE_CHARACTER_DEVICE;
  case DT_BLK:
    return WASI_FILETYPE_BLOCK_DEVICE;
  case DT_SOCK:
  case DT_FIFO:
    return WASI_FILETYPE_SOCKET_STREAM; /* as wasi_filetype_of */
  default: {
    struct stat st; /* file systems without d_type */
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return WASI_FILETYPE_UNKNOWN;
    return wasi_filetype_of(&st, -1);
  }
  }
}

/* The next entry other than "." and ".."; false at the end or on error
** (errno tells which: 0 at the end). */
static bool next_entry(wasi_dir *dir, entry *out) {
  if (dir->has_pending) {
    *out = dir->pending;
    dir->has_pending = false;
    return true;
  }
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(dir->d);
    if (!e)
      return false;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    out->len = strnlen(e->d_name, NAME_MAX);
    memcpy(out->name, e->d_name, out->len);
    out->name[out->len] = '\0';
    out->ino = (uint64_t)e->d_ino;
    out->type = dirent_type(dir->d, e);
    return true;
  }
}

static wasi_errno dir_open(wasi_fd *fd) {
  wasi_dir *dir = wrt_calloc(1, sizeof *dir);
  if (!dir)
    return WASI_ENOMEM;
  int dup_fd = fcntl(fd->host, F_DUPFD_CLOEXEC, 0);
  if (dup_fd >= 0 && (dir->d = fdopendir(dup_fd)) != NULL) {
    fd->dir = dir;
    return WASI_ESUCCESS;
  }
  wasi_errno err = wasi_errno_now();
  if (dup_fd >= 0)
    close(dup_fd);
  wrt_free(dir, sizeof *dir);
  return err;
}

/* Positions the listing at entry index `cookie`. A cookie past the end
** leaves it at the end (an empty listing, as for POSIX seekdir). */
static wasi_errno seek_to(wasi_fd *fd, uint64_t cookie) {
  wasi_errno err = fd->dir ? WASI_ESUCCESS : dir_open(fd);
  if (err != WASI_ESUCCESS)
    return err;
  wasi_dir *dir = fd->dir;
  if (cookie == 0 || cookie < dir->pos) {
    rewinddir(dir->d);
    dir->pos = 0;
    dir->has_pending = false;
  }
  entry e;
  while (dir->pos < cookie) {
    if (!next_entry(dir, &e))
      return errno ? wasi_errno_now() : WASI_ESUCCESS;
    dir->pos++;
  }
  return WASI_ESUCCESS;
}

/* Copies e (dirent header, then the name) into out[used..size), cut at the
** end of the buffer as the spec asks; returns the bytes the whole entry
** needs. dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8
** @20, then the name (not terminated). */
static size_t put_entry(const entry *e, uint64_t next, uint8_t *out, size_t used, size_t size) {
  uint8_t hdr[WASI_DIRENT_SIZE];
  memset(hdr, 0, sizeof hdr);
  wasi_st64(hdr + 0, next);
  wasi_st64(hdr + 8, e->ino);
  wasi_st32(hdr + 16, (uint32_t)e->len);
  hdr[20] = e->type;
  size_t room = size - used;
  size_t n = room < sizeof hdr ? room : sizeof hdr;
  memcpy(out + used, hdr, n);
  room -= n;
  memcpy(out + used + n, e->name, room < e->len ? room : e->len);
  return sizeof hdr + e->len;
}

/* spec: fd_readdir(fd, buf, buf_len, cookie) -> bufused. bufused < buf_len
** means the end was reached; a full buffer may end with a cut entry, which
** the guest reads again from its cookie. */
wasi_errno wasi_fd_readdir(wrt_wasi *w, const wrt_val *a) {
  uint32_t buf = wasi_u32(&a[1]), size = wasi_u32(&a[2]), ret = wasi_u32(&a[4]);
  uint64_t cookie = wasi_u64(&a[3]);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, wasi_u32(&a[0]), WASI_RIGHT_FD_READDIR, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (fd->type != WASI_FILETYPE_DIRECTORY)
    return WASI_ENOTDIR;
  uint8_t *out = wasi_mem(w, buf, size);
  if (!out || !wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  if ((err = seek_to(fd, cookie)) != WASI_ESUCCESS)
    return err;
  wasi_dir *dir = fd->dir;
  size_t used = 0;
  entry e;
  while (used < size) {
    if (!next_entry(dir, &e)) {
      if (errno && used == 0)
        return wasi_errno_now();
      break;
    }
    size_t need = put_entry(&e, dir->pos + 1, out, used, size);
    if (need > size - used) {
      dir->pending = e; /* the guest asks again from this entry's cookie */
      dir->has_pending = true;
      used = size;
      break;
    }
    used += need;
    dir->pos++;
  }
  return wasi_put32(w, ret, (uint32_t)used);
}
