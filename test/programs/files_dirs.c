// RUN-FILE: pre/a.txt=alpha\n
// RUN-FILE: pre/b/c.txt=gamma gamma\n
// RUN-DIR: pre/empty
/* Directories: mkdir and rmdir (and their errors), readdir with the names
** sorted (the order readdir returns is unspecified), stat and lstat for sizes
** and file types, a symlink inside the sandbox, and a recursive walk. Prints
** no timestamps, inode numbers, link counts or directory sizes: they differ
** between runs and file systems. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry {
  char name[256];
  unsigned char type; /* readdir's d_type */
};

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static const char *type_of(mode_t m) {
  return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : "other";
}

static const char *dtype(unsigned char t) {
  return t == DT_REG ? "file" : t == DT_DIR ? "dir" : t == DT_LNK ? "symlink" : "other";
}

/* Lists one directory sorted by name, with readdir's d_type and lstat's view,
** recursing into subdirectories. */
static void list(const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) {
    printf("%*sopendir %s: %s\n", depth * 2, "", path, strerror(errno));
    return;
  }
  struct entry *es = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    es = realloc(es, (n + 1) * sizeof *es);
    snprintf(es[n].name, sizeof es[n].name, "%s", e->d_name);
    es[n++].type = e->d_type;
  }
  closedir(d);
  qsort(es, n, sizeof *es, cmp_entry);
  for (size_t i = 0; i < n; i++) {
    char full[512];
    struct stat st;
    snprintf(full, sizeof full, "%s/%s", path, es[i].name);
    printf("%*s%s  ", depth * 2, "", es[i].name);
    if (lstat(full, &st) != 0) {
      printf("lstat failed: %s\n", strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
      printf("%s (d_type %s), %lld bytes\n", type_of(st.st_mode), dtype(es[i].type),
             (long long)st.st_size);
    } else {
      printf("%s (d_type %s)\n", type_of(st.st_mode), dtype(es[i].type));
      if (S_ISDIR(st.st_mode))
        list(full, depth + 1);
    }
  }
  free(es);
}

static void put(const char *path, size_t size) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  for (size_t i = 0; i < size; i++) {
    char c = (char)('a' + i % 26);
    write(fd, &c, 1);
  }
  close(fd);
}

/* Prints a call, its result and, if it failed, the error. */
static void report(const char *call, int result, int err) {
  printf("%-44s -> %d%s%s\n", call, result, result < 0 ? " " : "", result < 0 ? strerror(err) : "");
}
#define SHOW(expr)                                                                                 \
  do {                                                                                             \
    int r_ = (expr);                                                                               \
    report(#expr, r_, errno);                                                                      \
  } while (0)

int main(void) {
  printf("== mkdir / rmdir\n");
  SHOW(mkdir("/sandbox/d1", 0755));
  SHOW(mkdir("/sandbox/d1", 0755));
  SHOW(mkdir("/sandbox/d1/d2", 0755));
  SHOW(mkdir("/sandbox/d1/d2/d3", 0755));
  SHOW(mkdir("/sandbox/nope/d4", 0755));
  SHOW(rmdir("/sandbox/d1/d2"));
  SHOW(rmdir("/sandbox/d1/d2/d3"));
  SHOW(rmdir("/sandbox/d1/d2"));
  SHOW(rmdir("/sandbox/pre/empty"));
  SHOW(rmdir("/sandbox/pre/a.txt"));
  SHOW(unlink("/sandbox/pre/b"));

  printf("== files of several sizes, a symlink\n");
  put("/sandbox/d1/zero", 0);
  put("/sandbox/d1/one", 1);
  put("/sandbox/d1/k4", 4096);
  put("/sandbox/d1/odd", 12345);
  put("/sandbox/d1/Upper", 7);
  put("/sandbox/d1/_under", 3);
  SHOW(mkdir("/sandbox/d1/sub", 0755));
  put("/sandbox/d1/sub/inner", 100);
  SHOW(symlink("odd", "/sandbox/d1/link-to-odd"));
  SHOW(symlink("missing", "/sandbox/d1/dangling"));

  printf("== stat vs lstat\n");
  struct stat st;
  stat("/sandbox/d1/link-to-odd", &st);
  printf("stat link-to-odd: %s %lld bytes\n", type_of(st.st_mode), (long long)st.st_size);
  lstat("/sandbox/d1/link-to-odd", &st);
  printf("lstat link-to-odd: %s\n", type_of(st.st_mode));
  SHOW(stat("/sandbox/d1/dangling", &st));
  stat("/sandbox/d1", &st);
  printf("stat d1: %s\n", type_of(st.st_mode));
  int fd = open("/sandbox/d1/odd", O_RDONLY);
  fstat(fd, &st);
  printf("fstat odd: %s %lld bytes\n", type_of(st.st_mode), (long long)st.st_size);
  close(fd);
  char target[64] = {0};
  printf("readlink link-to-odd: %zd \"%s\"\n", readlink("/sandbox/d1/link-to-odd", target, 63),
         target);

  printf("== the whole sandbox, sorted\n");
  list("/sandbox", 0);

  printf("== opendir on a file and on a missing directory\n");
  list("/sandbox/d1/odd", 0);
  list("/sandbox/missing", 0);

  printf("== directory fd: openat-style relative access\n");
  fd = open("/sandbox/d1", O_RDONLY | O_DIRECTORY);
  printf("open d1 O_DIRECTORY: %s\n", fd >= 0 ? "ok" : strerror(errno));
  int f2 = openat(fd, "sub/inner", O_RDONLY);
  char buf[8] = {0};
  printf("openat(d1, sub/inner): %s, reads \"%.*s\"\n", f2 >= 0 ? "ok" : strerror(errno),
         (int)read(f2, buf, 5), buf);
  close(f2);
  close(fd);
  printf("open a file with O_DIRECTORY: %s\n",
         open("/sandbox/d1/odd", O_RDONLY | O_DIRECTORY) < 0 ? strerror(errno) : "opened");

  printf("== a directory with more entries than one fd_readdir buffer holds\n");
  mkdir("/sandbox/many", 0755);
  for (int i = 0; i < 300; i++) {
    char name[128];
    snprintf(name, sizeof name, "/sandbox/many/entry-%03d-%s", i,
             "with-a-rather-long-name-to-fill-the-buffer-quickly");
    put(name, (size_t)i % 7);
  }
  DIR *d = opendir("/sandbox/many");
  int seen[300] = {0}, count = 0, bad = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    int i;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    count++;
    if (sscanf(e->d_name, "entry-%d-", &i) == 1 && i >= 0 && i < 300)
      seen[i]++;
    else
      bad++;
  }
  closedir(d);
  int once = 0;
  for (int i = 0; i < 300; i++)
    once += seen[i] == 1;
  printf("entries %d, each seen once %d, unexpected %d\n", count, once, bad);
  for (int i = 0; i < 300; i++) {
    char name[128];
    snprintf(name, sizeof name, "/sandbox/many/entry-%03d-%s", i,
             "with-a-rather-long-name-to-fill-the-buffer-quickly");
    if (i % 3)
      unlink(name);
  }
  d = opendir("/sandbox/many");
  count = 0;
  while ((e = readdir(d)))
    count += e->d_name[0] != '.';
  closedir(d);
  printf("after unlinking two in three: %d entries\n", count);
  return 0;
}
