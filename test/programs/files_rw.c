// RUN-FILE: log.txt=existing entry\n
/* Files, the rest of the read/write surface: truncate and ftruncate (shrink
** and grow, zero fill), pread and pwrite (which leave the file offset alone),
** O_APPEND and fopen "a" (writes land at the end whatever the offset), O_EXCL,
** O_TRUNC, writing past the end (a hole reads as zeros), readv/writev, fsync. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static long long size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static long long pos(int fd) { return (long long)lseek(fd, 0, SEEK_CUR); }

/* Prints the file as text, with non-printing bytes as \xHH. */
static void dump(const char *path) {
  unsigned char buf[256];
  int fd = open(path, O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  printf("  %s (%zd): \"", path + 9, n);
  for (ssize_t i = 0; i < n; i++) {
    if (buf[i] == '\n')
      printf("\\n");
    else if (buf[i] < 32 || buf[i] > 126)
      printf("\\x%02x", buf[i]);
    else
      putchar(buf[i]);
  }
  printf("\"\n");
}

int main(void) {
  const char *t = "/sandbox/trunc.bin";
  printf("== truncate / ftruncate\n");
  int fd = open(t, O_CREAT | O_RDWR, 0644);
  write(fd, "0123456789abcdef", 16);
  printf("  ftruncate(10): %d, size %lld, offset stays %lld\n", ftruncate(fd, 10), size_of(t),
         pos(fd));
  printf("  ftruncate(20): %d, size %lld\n", ftruncate(fd, 20), size_of(t));
  dump(t);
  printf("  truncate(path, 4): %d, size %lld\n", truncate(t, 4), size_of(t));
  printf("  write at offset %lld: %zd\n", pos(fd), write(fd, "X", 1));
  dump(t);
  printf("  ftruncate(-1): %d (%s)\n", ftruncate(fd, -1), errno == EINVAL ? "EINVAL" : "other");
  close(fd);
  printf("  truncate(missing): %d (%s)\n", truncate("/sandbox/missing", 0),
         errno == ENOENT ? "ENOENT" : "other");

  printf("== pread / pwrite\n");
  const char *p = "/sandbox/pio.bin";
  fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(fd, "abcdefghijklmnopqrstuvwxyz", 26);
  lseek(fd, 3, SEEK_SET);
  char buf[64] = {0};
  printf("  pread(5 @ 10): %zd \"%s\", offset %lld\n", pread(fd, buf, 5, 10), buf, pos(fd));
  printf("  pwrite(\"XYZ\" @ 0): %zd, offset %lld\n", pwrite(fd, "XYZ", 3, 0), pos(fd));
  printf("  pwrite(\"END\" @ 30): %zd, size %lld\n", pwrite(fd, "END", 3, 30), size_of(p));
  memset(buf, 0, sizeof buf);
  printf("  pread(10 @ 28): %zd, offset %lld\n", pread(fd, buf, 10, 28), pos(fd));
  printf("  pread past the end: %zd\n", pread(fd, buf, 10, 100));
  printf("  read at offset 3: %zd \"%.4s\"\n", read(fd, buf, 4), buf);
  close(fd);
  dump(p);

  printf("== O_APPEND\n");
  const char *l = "/sandbox/log.txt";
  fd = open(l, O_WRONLY | O_APPEND);
  printf("  F_GETFL has O_APPEND: %s\n", (fcntl(fd, F_GETFL) & O_APPEND) ? "yes" : "no");
  lseek(fd, 0, SEEK_SET);
  write(fd, "second entry\n", 13);
  printf("  after a write at offset 0, offset is %lld (size %lld)\n", pos(fd), size_of(l));
  close(fd);
  FILE *f = fopen(l, "a");
  fprintf(f, "third entry %d\n", 3);
  fclose(f);
  f = fopen(l, "a+");
  char line[64];
  if (!fgets(line, sizeof line, f))
    strcpy(line, "(nothing)");
  line[strcspn(line, "\n")] = 0;
  printf("  a+ reads from the start: \"%s\"\n", line);
  fputs("fourth entry\n", f);
  fclose(f);
  dump(l);
  fd = open(l, O_WRONLY);
  printf("  fcntl(F_SETFL, O_APPEND): %d\n", fcntl(fd, F_SETFL, O_APPEND));
  write(fd, "fifth\n", 6);
  close(fd);
  dump(l);

  printf("== O_EXCL, O_TRUNC, a hole\n");
  fd = open(l, O_CREAT | O_EXCL | O_WRONLY, 0644);
  printf("  O_CREAT|O_EXCL on an existing file: %d (%s)\n", fd,
         errno == EEXIST ? "EEXIST" : "other");
  fd = open("/sandbox/excl.txt", O_CREAT | O_EXCL | O_WRONLY, 0644);
  printf("  O_CREAT|O_EXCL on a new file: %s\n", fd >= 0 ? "ok" : strerror(errno));
  write(fd, "short", 5);
  lseek(fd, 8, SEEK_END);
  write(fd, "after the hole", 14);
  close(fd);
  dump("/sandbox/excl.txt");
  fd = open("/sandbox/excl.txt", O_WRONLY | O_TRUNC);
  printf("  O_TRUNC: size %lld\n", size_of("/sandbox/excl.txt"));
  printf("  open(missing) without O_CREAT: %d (%s)\n", open("/sandbox/nothere", O_RDONLY),
         errno == ENOENT ? "ENOENT" : "other");
  printf("  read from a write-only fd: %zd (%s)\n", read(fd, buf, 1),
         errno == EBADF ? "EBADF" : "other");
  printf("  fsync %d, fdatasync %d\n", fsync(fd), fdatasync(fd));
  close(fd);
  fd = open("/sandbox/excl.txt", O_RDONLY);
  printf("  write to a read-only fd: %zd (%s)\n", write(fd, "x", 1),
         errno == EBADF ? "EBADF" : "other");
  close(fd);

  printf("== readv / writev\n");
  fd = open("/sandbox/vec.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  struct iovec out[3] = {{"one ", 4}, {"", 0}, {"two three\n", 10}};
  printf("  writev: %zd\n", writev(fd, out, 3));
  char a[5] = {0}, b[3] = {0}, c[20] = {0};
  struct iovec in[3] = {{a, 4}, {b, 2}, {c, 9}};
  lseek(fd, 0, SEEK_SET);
  printf("  readv: %zd \"%s\" \"%s\" \"%.7s\"\n", readv(fd, in, 3), a, b, c);
  close(fd);
  printf("  operations on a closed fd: read %zd, close %d (%s)\n", read(fd, buf, 1), close(fd),
         errno == EBADF ? "EBADF" : "other");
  return 0;
}
