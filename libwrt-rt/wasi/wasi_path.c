/*
** wasi_path.c: the sandbox (resolving a guest path below a directory fd)
** and the path_* functions built on it. Resolution runs in user space, one
** component at a time, with openat(O_PATH | O_NOFOLLOW | O_DIRECTORY) and
** readlinkat, so it needs neither openat2 nor a recent kernel:
**   - absolute paths, `..` above the starting directory, and symlinks whose
**     target is absolute or climbs out are refused with NOTCAPABLE (as Node
**     does; wasmtime says PERM for some of these);
**   - every directory fd is its own root, as in wasmtime (cap-std): `..` never
**     goes above the fd the guest named, even if that fd lies inside a preopen;
**   - intermediate symlinks are followed, the last one only with
**     LOOKUPFLAGS_SYMLINK_FOLLOW or a trailing slash; 40 links give LOOP;
**   - the host call on the final name never follows a symlink, so a link
**     swapped in after the walk cannot lead out either.
*/
#include "wasi_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_LINKS 40
/* Longest guest path accepted (and longest symlink target read). */
#define MAX_PATH 4096

/*
** A walk in progress and, once done, its result: the final component
** `name` (no slashes; "." for the directory itself) in the directory
** stack[depth - 1]. stack[0] is the starting fd (borrowed); the others are
** O_PATH fds the walk opened. must_dir: the path ended in a slash.
*/
typedef struct walk {
  int *stack;
  size_t depth, cap;
  char *work; /* the path still to resolve (symlink targets are spliced in) */
  size_t work_size;
  char name[NAME_MAX + 1];
  bool must_dir;
  unsigned links;
} walk;

static int walk_dir(const walk *wk) {
  return wk->stack[wk->depth - 1];
}

static void walk_end(walk *wk) {
  for (size_t i = 1; i < wk->depth; i++)
    close(wk->stack[i]);
  wrt_free(wk->stack, wk->cap * sizeof *wk->stack);
  wrt_free(wk->work, wk->work_size);
  memset(wk, 0, sizeof *wk);
}

static wasi_errno walk_push(walk *wk, int fd) {
  if (wk->depth == wk->cap) {
    size_t cap = wk->cap ? wk->cap * 2 : 16;
    int *v = wrt_alloc_hook(wk->stack, wk->cap * sizeof *v, cap * sizeof *v);
    if (!v) {
      if (wk->depth) /* the starting fd is borrowed */
        close(fd);
      return WASI_ENOMEM;
    }
    wk->stack = v;
    wk->cap = cap;
  }
  wk->stack[wk->depth++] = fd;
  return WASI_ESUCCESS;
}

/* Replaces the work buffer with a + b. */
static wasi_errno walk_set(walk *wk, const char *x, size_t xlen, const char *y, size_t ylen) {
  size_t size = xlen + ylen + 1;
  char *p = wrt_calloc(size, 1);
  if (!p)
    return WASI_ENOMEM;
  memcpy(p, x, xlen);
  memcpy(p + xlen, y, ylen);
  wrt_free(wk->work, wk->work_size);
  wk->work = p;
  wk->work_size = size;
  return WASI_ESUCCESS;
}

/* If `comp` in the current directory is a symlink, splices its target in
** front of `rest` and sets *spliced. A symlink's target resolves from the
** directory holding it, which is the current one. */
static wasi_errno follow_link(walk *wk, const char *comp, const char *rest, bool *spliced) {
  char target[MAX_PATH];
  *spliced = false;
  ssize_t n = readlinkat(walk_dir(wk), comp, target, sizeof target);
  if (n < 0)
    return errno == EINVAL || errno == ENOENT ? WASI_ESUCCESS : wasi_errno_now();
  if ((size_t)n >= sizeof target)
    return WASI_ENAMETOOLONG;
  if (++wk->links > MAX_LINKS)
    return WASI_ELOOP;
  if (n == 0)
    return WASI_ENOENT;
  if (target[0] == '/')
    return WASI_ENOTCAPABLE;
  /* rest points into wk->work, which walk_set frees: copy the target first. */
  wasi_errno err = walk_set(wk, target, (size_t)n, rest, strlen(rest));
  *spliced = err == WASI_ESUCCESS;
  return err;
}

/* Steps into directory `comp` (not the last component). */
static wasi_errno step_into(walk *wk, const char *comp, const char *rest, bool *spliced) {
  *spliced = false;
  int fd = openat(walk_dir(wk), comp, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    return walk_push(wk, fd);
  int e = errno;
  if (e != ENOTDIR && e != ELOOP)
    return wasi_errno_from_host(e);
  wasi_errno err = follow_link(wk, comp, rest, spliced);
  if (err == WASI_ESUCCESS && !*spliced)
    err = WASI_ENOTDIR;
  return err;
}

/* Resolves the work buffer from the current stack (see the file comment). */
static wasi_errno walk_run(walk *wk, bool follow) {
  size_t pos = 0;
  for (;;) {
    const char *p = wk->work;
    while (p[pos] == '/')
      pos++;
    if (p[pos] == '\0') { /* only "." and ".." were left */
      strcpy(wk->name, ".");
      return WASI_ESUCCESS;
    }
    size_t start = pos;
    while (p[pos] && p[pos] != '/')
      pos++;
    size_t len = pos - start, after = pos;
    while (p[after] == '/')
      after++;
    bool last = p[after] == '\0', trailing = last && after > pos;
    if (len > NAME_MAX)
      return WASI_ENAMETOOLONG;
    char comp[NAME_MAX + 1];
    memcpy(comp, p + start, len);
    comp[len] = '\0';
    bool dotdot = strcmp(comp, "..") == 0;
    if (dotdot && wk->depth == 1)
      return WASI_ENOTCAPABLE;
    if (dotdot)
      close(wk->stack[--wk->depth]);
    if (dotdot || strcmp(comp, ".") == 0) {
      pos = after;
      continue;
    }
    bool spliced;
    wasi_errno err;
    if (!last) {
      err = step_into(wk, comp, p + pos, &spliced);
    } else if (follow || trailing) {
      err = follow_link(wk, comp, trailing ? "/" : "", &spliced);
    } else {
      spliced = false;
      err = WASI_ESUCCESS;
    }
    if (err != WASI_ESUCCESS)
      return err;
    if (spliced) {
      pos = 0;
    } else if (last) {
      memcpy(wk->name, comp, len + 1);
      wk->must_dir = trailing;
      return WASI_ESUCCESS;
    } else {
      pos = after;
    }
  }
}

/* Copies a guest path into the work buffer. */
static wasi_errno guest_path(wrt_wasi *w, walk *wk, uint32_t ptr, uint32_t len) {
  const uint8_t *p = wasi_mem(w, ptr, len);
  if (!p)
    return WASI_EFAULT;
  if (len > MAX_PATH)
    return WASI_ENAMETOOLONG;
  if (memchr(p, '\0', len))
    return WASI_EINVAL;
  return walk_set(wk, (const char *)p, len, "", 0);
}

/* Starts a walk from guest directory fd `dirfd` (which must have `rights`)
** for the guest path at ptr/len. On success the caller must walk_end. */
static wasi_errno walk_begin(wrt_wasi *w, uint32_t dirfd, uint64_t rights, uint32_t ptr,
                             uint32_t len, bool follow, walk *wk, wasi_fd **dir) {
  memset(wk, 0, sizeof *wk);
  wasi_fd *fd;
  wasi_errno err = wasi_fd_get(w, dirfd, rights, &fd);
  if (err != WASI_ESUCCESS)
    return err;
  if (fd->type != WASI_FILETYPE_DIRECTORY)
    return WASI_ENOTDIR;
  if (dir)
    *dir = fd;
  err = guest_path(w, wk, ptr, len);
  if (err == WASI_ESUCCESS && wk->work[0] == '\0')
    err = WASI_ENOENT;
  else if (err == WASI_ESUCCESS && wk->work[0] == '/')
    err = WASI_ENOTCAPABLE;
  if (err == WASI_ESUCCESS)
    err = walk_push(wk, fd->host);
  if (err == WASI_ESUCCESS)
    err = walk_run(wk, follow);
  if (err != WASI_ESUCCESS)
    walk_end(wk);
  return err;
}

/* A path that ended in a slash must name a directory (a missing one is
** left to the host call, which reports it in its own terms). */
static wasi_errno check_dir(const walk *wk) {
  struct stat st;
  if (wk->must_dir && fstatat(walk_dir(wk), wk->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(st.st_mode))
    return WASI_ENOTDIR;
  return WASI_ESUCCESS;
}

/* The result of a host call made right before walk_end (which may clobber
** errno). */
static wasi_errno host_result(int r) {
  return r == 0 ? WASI_ESUCCESS : wasi_errno_now();
}

/* ------------------------------------------------------------ path_open */

/* Host open flags for path_open. The final component is never followed
** (O_NOFOLLOW: the walk followed it already when asked to), so a symlink
** there without LOOKUPFLAGS_SYMLINK_FOLLOW is LOOP, as POSIX says. */
static int open_flags(uint32_t oflags, uint32_t fdflags, uint64_t rights) {
  int fl = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  if (oflags & WASI_OFLAG_CREAT)
    fl |= O_CREAT;
  if (oflags & WASI_OFLAG_EXCL)
    fl |= O_EXCL;
  if (oflags & WASI_OFLAG_TRUNC)
    fl |= O_TRUNC;
  if (fdflags & WASI_FDFLAG_APPEND)
    fl |= O_APPEND;
  if (fdflags & WASI_FDFLAG_DSYNC)
    fl |= O_DSYNC;
  if (fdflags & WASI_FDFLAG_NONBLOCK)
    fl |= O_NONBLOCK;
  if (fdflags & WASI_FDFLAG_RSYNC)
    fl |= O_RSYNC;
  if (fdflags & WASI_FDFLAG_SYNC)
    fl |= O_SYNC;
  if (oflags & WASI_OFLAG_DIRECTORY)
    return fl | O_DIRECTORY | O_RDONLY;
  /* The host access mode follows the rights the guest asked for. */
  bool rd = rights & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
  bool wr = (rights & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ALLOCATE |
                       WASI_RIGHT_FD_FILESTAT_SET_SIZE)) ||
            (fdflags & WASI_FDFLAG_APPEND);
  return fl | (wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY);
}

/* Opens the walk's result and adds it to the fd table. */
static wasi_errno open_at(wrt_wasi *w, const walk *wk, int flags, uint64_t base,
                          uint64_t inheriting, uint32_t *out) {
  int h = openat(walk_dir(wk), wk->name, flags, 0666);
  if (h < 0)
    return wasi_errno_now();
  struct stat st;
  if (fstat(h, &st) != 0) {
    wasi_errno err = wasi_errno_now();
    close(h);
    return err;
  }
  wasi_fd fd = {.host = h, .own = true};
  fd.type = wasi_filetype_of(&st, h);
  fd.base = base & wasi_rights_for(fd.type, h);
  fd.inheriting = inheriting;
  return wasi_fd_add(w, &fd, out);
}

/*
** spec: path_open(fd, dirflags, path, oflags, fs_rights_base,
** fs_rights_inheriting, fdflags) -> fd. Needs PATH_OPEN on the directory,
** plus PATH_CREATE_FILE for CREAT and PATH_FILESTAT_SET_SIZE for TRUNC. The
** new fd's rights are the requested ones within the directory's inheriting
** rights (extra requests are dropped, not refused: wasi-libc asks for
** everything), and within what its file type allows.
*/
wasi_errno wasi_path_open(wrt_wasi *w, const wrt_val *a) {
  uint32_t dirfd = wasi_u32(&a[0]), lookup = wasi_u32(&a[1]), oflags = wasi_u32(&a[4]);
  uint64_t base = wasi_u64(&a[5]), inheriting = wasi_u64(&a[6]);
  uint32_t fdflags = wasi_u32(&a[7]), ret = wasi_u32(&a[8]);
  uint64_t rights = WASI_RIGHT_PATH_OPEN;
  if (oflags & WASI_OFLAG_CREAT)
    rights |= WASI_RIGHT_PATH_CREATE_FILE;
  if (oflags & WASI_OFLAG_TRUNC)
    rights |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
  if (!wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  if ((oflags & ~UINT32_C(15)) || (fdflags & ~UINT32_C(31)))
    return WASI_EINVAL;
  walk wk;
  wasi_fd *dir;
  wasi_errno err = walk_begin(w, dirfd, rights, wasi_u32(&a[2]), wasi_u32(&a[3]),
                              lookup & WASI_LOOKUP_SYMLINK_FOLLOW, &wk, &dir);
  if (err != WASI_ESUCCESS)
    return err;
  /* New rights: what was asked for, within what the directory hands down. */
  base &= dir->inheriting;
  inheriting &= dir->inheriting;
  int flags = open_flags(oflags, fdflags, base);
  uint32_t fd = 0;
  if (wk.must_dir && (oflags & WASI_OFLAG_CREAT))
    err = WASI_EISDIR; /* POSIX: creating "name/" */
  else
    err = open_at(w, &wk, wk.must_dir ? flags | O_DIRECTORY : flags, base, inheriting, &fd);
  walk_end(&wk);
  if (err != WASI_ESUCCESS)
    return err;
  return wasi_put32(w, ret, fd);
}

/* ------------------------------------------------------------ queries */

/* spec: path_filestat_get(fd, flags, path) -> filestat; flags may follow a
** final symlink (inside the sandbox only). */
wasi_errno wasi_path_filestat_get(wrt_wasi *w, const wrt_val *a) {
  uint8_t *out = wasi_mem(w, wasi_u32(&a[4]), WASI_FILESTAT_SIZE);
  walk wk;
  wasi_errno err =
      walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_FILESTAT_GET, wasi_u32(&a[2]), wasi_u32(&a[3]),
                 wasi_u32(&a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  struct stat st;
  if (!out)
    err = WASI_EFAULT;
  else if ((err = check_dir(&wk)) == WASI_ESUCCESS)
    err = host_result(fstatat(walk_dir(&wk), wk.name, &st, AT_SYMLINK_NOFOLLOW));
  walk_end(&wk);
  if (err == WASI_ESUCCESS)
    wasi_filestat_store(out, &st);
  return err;
}

wasi_errno wasi_path_filestat_set_times(wrt_wasi *w, const wrt_val *a) {
  struct timespec ts[2];
  wasi_errno err = wasi_times(wasi_u64(&a[4]), wasi_u64(&a[5]), wasi_u32(&a[6]), ts);
  if (err != WASI_ESUCCESS)
    return err;
  walk wk;
  err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, wasi_u32(&a[2]),
                   wasi_u32(&a[3]), wasi_u32(&a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  if ((err = check_dir(&wk)) == WASI_ESUCCESS)
    err = host_result(utimensat(walk_dir(&wk), wk.name, ts, AT_SYMLINK_NOFOLLOW));
  walk_end(&wk);
  return err;
}

/* The link's text goes straight into guest memory (cut to buf_len). */
wasi_errno wasi_path_readlink(wrt_wasi *w, const wrt_val *a) {
  uint32_t buf_len = wasi_u32(&a[4]), ret = wasi_u32(&a[5]);
  uint8_t *buf = wasi_mem(w, wasi_u32(&a[3]), buf_len);
  if (!buf || !wasi_mem(w, ret, 4))
    return WASI_EFAULT;
  walk wk;
  wasi_errno err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_READLINK, wasi_u32(&a[1]),
                              wasi_u32(&a[2]), false, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  char one;
  ssize_t n =
      readlinkat(walk_dir(&wk), wk.name, buf_len ? (char *)buf : &one, buf_len ? buf_len : 1);
  if (n < 0)
    err = wasi_errno_now();
  walk_end(&wk);
  if (err != WASI_ESUCCESS)
    return err;
  return wasi_put32(w, ret, buf_len ? (uint32_t)n : 0);
}

/* ------------------------------------------------------------ creating and removing */

/* mkdir, rmdir and unlink act on the final name itself: a symlink there is
** removed by unlink and refused by mkdir (EXIST) and rmdir (NOTDIR), never
** followed. */
wasi_errno wasi_path_create_directory(wrt_wasi *w, const wrt_val *a) {
  walk wk;
  wasi_errno err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_CREATE_DIRECTORY, wasi_u32(&a[1]),
                              wasi_u32(&a[2]), false, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  err = host_result(mkdirat(walk_dir(&wk), wk.name, 0777));
  walk_end(&wk);
  return err;
}

wasi_errno wasi_path_remove_directory(wrt_wasi *w, const wrt_val *a) {
  walk wk;
  wasi_errno err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_REMOVE_DIRECTORY, wasi_u32(&a[1]),
                              wasi_u32(&a[2]), false, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  err = host_result(unlinkat(walk_dir(&wk), wk.name, AT_REMOVEDIR));
  walk_end(&wk);
  return err;
}

wasi_errno wasi_path_unlink_file(wrt_wasi *w, const wrt_val *a) {
  walk wk;
  wasi_errno err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_UNLINK_FILE, wasi_u32(&a[1]),
                              wasi_u32(&a[2]), false, &wk, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  if ((err = check_dir(&wk)) == WASI_ESUCCESS)
    err = host_result(unlinkat(walk_dir(&wk), wk.name, 0));
  walk_end(&wk);
  return err;
}

/* Absolute targets are refused (NOTCAPABLE): they could never be followed
** inside the sandbox. Relative ones are stored as given; following them is
** what the sandbox checks. */
wasi_errno wasi_path_symlink(wrt_wasi *w, const wrt_val *a) {
  walk target, wk;
  memset(&target, 0, sizeof target);
  wasi_errno err = guest_path(w, &target, wasi_u32(&a[0]), wasi_u32(&a[1]));
  if (err == WASI_ESUCCESS && target.work[0] == '/')
    err = WASI_ENOTCAPABLE;
  if (err == WASI_ESUCCESS)
    err = walk_begin(w, wasi_u32(&a[2]), WASI_RIGHT_PATH_SYMLINK, wasi_u32(&a[3]), wasi_u32(&a[4]),
                     false, &wk, NULL);
  if (err == WASI_ESUCCESS) {
    err = wk.must_dir ? WASI_ENOENT : host_result(symlinkat(target.work, walk_dir(&wk), wk.name));
    walk_end(&wk);
  }
  walk_end(&target);
  return err;
}

/* ------------------------------------------------------------ two paths */

/* spec: path_link(old_fd, old_flags, old_path, new_fd, new_path): a hard
** link; old_flags may resolve a final symlink first (linkat itself never
** follows). Both paths are resolved in their own directory's sandbox. */
wasi_errno wasi_path_link(wrt_wasi *w, const wrt_val *a) {
  walk from, to;
  wasi_errno err =
      walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_LINK_SOURCE, wasi_u32(&a[2]), wasi_u32(&a[3]),
                 wasi_u32(&a[1]) & WASI_LOOKUP_SYMLINK_FOLLOW, &from, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  err = walk_begin(w, wasi_u32(&a[4]), WASI_RIGHT_PATH_LINK_TARGET, wasi_u32(&a[5]),
                   wasi_u32(&a[6]), false, &to, NULL);
  if (err == WASI_ESUCCESS) {
    if ((err = check_dir(&from)) == WASI_ESUCCESS)
      err = host_result(linkat(walk_dir(&from), from.name, walk_dir(&to), to.name, 0));
    walk_end(&to);
  }
  walk_end(&from);
  return err;
}

/* spec: path_rename(fd, old_path, new_fd, new_path): renameat, which
** replaces an existing target as POSIX rename does. */
wasi_errno wasi_path_rename(wrt_wasi *w, const wrt_val *a) {
  walk from, to;
  wasi_errno err = walk_begin(w, wasi_u32(&a[0]), WASI_RIGHT_PATH_RENAME_SOURCE, wasi_u32(&a[1]),
                              wasi_u32(&a[2]), false, &from, NULL);
  if (err != WASI_ESUCCESS)
    return err;
  err = walk_begin(w, wasi_u32(&a[3]), WASI_RIGHT_PATH_RENAME_TARGET, wasi_u32(&a[4]),
                   wasi_u32(&a[5]), false, &to, NULL);
  if (err == WASI_ESUCCESS) {
    if ((err = check_dir(&from)) == WASI_ESUCCESS)
      err = host_result(renameat(walk_dir(&from), from.name, walk_dir(&to), to.name));
    walk_end(&to);
  }
  walk_end(&from);
  return err;
}
