// RUN-DIR: sub
// RUN-FILE: inside.txt=inside the sandbox\n
// RUN-SYMLINK: lnk-outside=../outside
// RUN-SYMLINK: lnk-passwd=/etc/passwd
// RUN-SYMLINK: lnk-root=/
// RUN-SYMLINK: lnk-up=..
// RUN-SYMLINK: lnk-inside=inside.txt
// RUN-SYMLINK: lnk-sub=sub
/* Sandbox escapes: the program has only /sandbox; the runner puts a file
** "outside" next to it. Every attempt to reach outside (.., absolute paths,
** symlinks made by the runner or by the program, as the last path component)
** must be refused, and the legitimate in-sandbox cases (a symlink to a file or
** a directory inside, sub/.. inside) must work. Prints only refused/allowed.
** Symlinks in the middle of a path are checked by sandbox_symlinks.c: Node's
** WASI follows those out of the sandbox. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void attempt(const char *what, int ok) {
  printf("%-52s %s\n", what, ok ? "allowed" : "refused");
}

static int can_open(const char *path, int flags) {
  int fd = open(path, flags, 0644);
  if (fd < 0)
    return 0;
  close(fd);
  return 1;
}

static int can_opendir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 0;
  closedir(d);
  return 1;
}

static int can_stat(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

int main(void) {
  printf("== reaching outside: must all be refused\n");
  attempt("open /sandbox/../outside", can_open("/sandbox/../outside", O_RDONLY));
  attempt("open /sandbox/sub/../../outside", can_open("/sandbox/sub/../../outside", O_RDONLY));
  attempt("open ../outside (relative to cwd /)", can_open("../outside", O_RDONLY));
  attempt("open outside (relative to cwd /)", can_open("outside", O_RDONLY));
  attempt("open /etc/passwd", can_open("/etc/passwd", O_RDONLY));
  attempt("open /outside", can_open("/outside", O_RDONLY));
  attempt("stat /sandbox/../outside", can_stat("/sandbox/../outside"));
  attempt("opendir /sandbox/..", can_opendir("/sandbox/.."));
  attempt("opendir /", can_opendir("/"));
  attempt("create /sandbox/../created", can_open("/sandbox/../created", O_CREAT | O_WRONLY));
  attempt("mkdir /sandbox/../newdir", mkdir("/sandbox/../newdir", 0755) == 0);
  attempt("rename inside.txt to /sandbox/../stolen",
          rename("/sandbox/inside.txt", "/sandbox/../stolen") == 0);
  attempt("rename /sandbox/../outside into the sandbox",
          rename("/sandbox/../outside", "/sandbox/got") == 0);
  attempt("link /sandbox/../outside into the sandbox",
          link("/sandbox/../outside", "/sandbox/hard") == 0);
  attempt("unlink /sandbox/../outside", unlink("/sandbox/../outside") == 0);
  attempt("open symlink -> ../outside", can_open("/sandbox/lnk-outside", O_RDONLY));
  attempt("open symlink -> ../outside for writing", can_open("/sandbox/lnk-outside", O_WRONLY));
  attempt("open symlink -> /etc/passwd", can_open("/sandbox/lnk-passwd", O_RDONLY));
  attempt("stat symlink -> /etc/passwd", can_stat("/sandbox/lnk-passwd"));
  attempt("opendir symlink -> /", can_opendir("/sandbox/lnk-root"));
  attempt("opendir symlink -> ..", can_opendir("/sandbox/lnk-up"));
  attempt("opendir /sandbox/lnk-sub/../..", can_opendir("/sandbox/lnk-sub/../.."));

  /* Creating a symlink that points out may itself be refused; either way,
  ** following it must be. The links are removed so the trees compare equal. */
  int made = symlink("../outside", "/sandbox/made-outside") == 0;
  attempt("symlink made by the program -> ../outside, opened",
          made && can_open("/sandbox/made-outside", O_RDONLY));
  made = symlink("/etc/passwd", "/sandbox/made-passwd") == 0;
  attempt("symlink made by the program -> /etc/passwd, opened",
          made && can_open("/sandbox/made-passwd", O_RDONLY));
  made = symlink("/", "/sandbox/made-root") == 0;
  attempt("symlink made by the program -> /, opendir", made && can_opendir("/sandbox/made-root"));
  unlink("/sandbox/made-outside");
  unlink("/sandbox/made-passwd");
  unlink("/sandbox/made-root");

  printf("== staying inside: must all be allowed\n");
  attempt("open /sandbox/inside.txt", can_open("/sandbox/inside.txt", O_RDONLY));
  attempt("open /sandbox/sub/../inside.txt", can_open("/sandbox/sub/../inside.txt", O_RDONLY));
  attempt("open /sandbox/./sub/./../inside.txt",
          can_open("/sandbox/./sub/./../inside.txt", O_RDONLY));
  attempt("open symlink -> inside.txt", can_open("/sandbox/lnk-inside", O_RDONLY));
  attempt("opendir symlink -> sub", can_opendir("/sandbox/lnk-sub"));
  attempt("create through symlink -> sub",
          can_open("/sandbox/lnk-sub/created", O_CREAT | O_WRONLY));
  attempt("opendir /sandbox", can_opendir("/sandbox"));
  attempt("opendir /sandbox/sub/..", can_opendir("/sandbox/sub/.."));
  int made_in = symlink("sub/created", "/sandbox/made-inside") == 0;
  attempt("symlink made by the program -> sub/created, opened",
          made_in && can_open("/sandbox/made-inside", O_RDONLY));
  return 0;
}
