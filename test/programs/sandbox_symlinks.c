// RUN-NODE: no: Node's WASI follows symlinks in the middle of a path out of the sandbox
// RUN-DIR: sub
// RUN-FILE: sub/file.txt=inside\n
// RUN-SYMLINK: lnk-root=/
// RUN-SYMLINK: lnk-up=..
// RUN-SYMLINK: lnk-upup=../..
// RUN-SYMLINK: sub/lnk-up2=../..
// RUN-SYMLINK: lnk-sub=sub
// RUN-STDOUT: open lnk-root/etc/passwd         refused
// RUN-STDOUT: stat lnk-root/etc/passwd         refused
// RUN-STDOUT: open lnk-up/outside              refused
// RUN-STDOUT: open lnk-up/outside for writing  refused
// RUN-STDOUT: create lnk-up/created            refused
// RUN-STDOUT: mkdir lnk-up/newdir              refused
// RUN-STDOUT: opendir lnk-upup/.               refused
// RUN-STDOUT: open sub/lnk-up2/outside         refused
// RUN-STDOUT: open lnk-sub/lnk-up2/outside     refused
// RUN-STDOUT: open lnk-sub/file.txt            allowed
// RUN-STDOUT: create lnk-sub/new.txt           allowed
/* Symlinks in the middle of a path that lead out of the sandbox (to /, to ..,
** to ../.. from a subdirectory) must be refused; a symlink to a subdirectory
** inside must keep working. Not run under Node, whose WASI resolves such paths
** on the host and escapes, so the expected output is given above. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void attempt(const char *what, int ok) {
  printf("%-32s %s\n", what, ok ? "allowed" : "refused");
}

static int can_open(const char *path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd < 0)
    return 0;
  close(fd);
  return 1;
}

int main(void) {
  struct stat st;
  DIR *d;
  attempt("open lnk-root/etc/passwd", can_open("/sandbox/lnk-root/etc/passwd", O_RDONLY));
  attempt("stat lnk-root/etc/passwd", stat("/sandbox/lnk-root/etc/passwd", &st) == 0);
  attempt("open lnk-up/outside", can_open("/sandbox/lnk-up/outside", O_RDONLY));
  attempt("open lnk-up/outside for writing", can_open("/sandbox/lnk-up/outside", O_WRONLY));
  attempt("create lnk-up/created", can_open("/sandbox/lnk-up/created", O_CREAT | O_WRONLY));
  attempt("mkdir lnk-up/newdir", mkdir("/sandbox/lnk-up/newdir", 0755) == 0);
  attempt("opendir lnk-upup/.", (d = opendir("/sandbox/lnk-upup/.")) && !closedir(d));
  attempt("open sub/lnk-up2/outside", can_open("/sandbox/sub/lnk-up2/outside", O_RDONLY));
  attempt("open lnk-sub/lnk-up2/outside", can_open("/sandbox/lnk-sub/lnk-up2/outside", O_RDONLY));
  attempt("open lnk-sub/file.txt", can_open("/sandbox/lnk-sub/file.txt", O_RDONLY));
  attempt("create lnk-sub/new.txt", can_open("/sandbox/lnk-sub/new.txt", O_CREAT | O_WRONLY));
  return 0;
}
