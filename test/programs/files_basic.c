// RUN-FILE: existing.txt=first line\nsecond line\n
/* Files, the basics: create, write, read back, seek and tell, overwrite in
** place, rename (also over an existing file) and unlink, through both stdio
** and the POSIX calls. Leaves a few files behind for the sandbox comparison. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("  %s: cannot open (%s)\n", path, strerror(errno));
    return;
  }
  char line[256];
  printf("  %s:\n", path);
  while (fgets(line, sizeof line, f))
    printf("    | %s", line);
  fclose(f);
}

static const char *exists(const char *path) {
  return access(path, F_OK) == 0 ? "exists" : errno == ENOENT ? "missing" : "error";
}

int main(void) {
  printf("1. read a file the runner created\n");
  show("/sandbox/existing.txt");

  printf("2. create with fopen(w) and fprintf\n");
  FILE *f = fopen("/sandbox/new.txt", "w");
  if (!f)
    return 1;
  for (int i = 0; i < 5; i++)
    fprintf(f, "line %d: %s\n", i, i % 2 ? "odd" : "even");
  printf("  ftell after writing: %ld\n", ftell(f));
  fclose(f);
  show("/sandbox/new.txt");

  printf("3. fseek/ftell and overwrite in place with r+\n");
  f = fopen("/sandbox/new.txt", "r+");
  fseek(f, 0, SEEK_END);
  printf("  size by fseek(SEEK_END): %ld\n", ftell(f));
  fseek(f, 5, SEEK_SET);
  int c = fgetc(f);
  printf("  byte at 5: '%c', ftell now %ld\n", c, ftell(f));
  fseek(f, -4, SEEK_CUR);
  printf("  after SEEK_CUR -4: %ld\n", ftell(f));
  fseek(f, 0, SEEK_CUR); /* required between a read and a write */
  fputs("ONE", f);
  fseek(f, -5, SEEK_END);
  fputs("EVEN", f);
  fclose(f);
  show("/sandbox/new.txt");

  printf("4. POSIX open/write/lseek/read\n");
  int fd = open("/sandbox/posix.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  unsigned char buf[300];
  for (int i = 0; i < 300; i++)
    buf[i] = (unsigned char)(i * 7);
  printf("  write: %zd\n", write(fd, buf, sizeof buf));
  printf("  lseek(0, SEEK_CUR): %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("  lseek(100, SEEK_SET): %lld\n", (long long)lseek(fd, 100, SEEK_SET));
  memset(buf, 0, sizeof buf);
  printf("  read 50: %zd, first %u last %u\n", read(fd, buf, 50), buf[0], buf[49]);
  printf("  lseek(-10, SEEK_END): %lld\n", (long long)lseek(fd, -10, SEEK_END));
  printf("  read 50 near the end: %zd\n", read(fd, buf, 50));
  printf("  read at EOF: %zd\n", read(fd, buf, 50));
  close(fd);

  printf("5. rename\n");
  printf("  rename new.txt -> renamed.txt: %d\n",
         rename("/sandbox/new.txt", "/sandbox/renamed.txt"));
  printf("  new.txt %s, renamed.txt %s\n", exists("/sandbox/new.txt"),
         exists("/sandbox/renamed.txt"));
  printf("  rename existing.txt over renamed.txt: %d\n",
         rename("/sandbox/existing.txt", "/sandbox/renamed.txt"));
  show("/sandbox/renamed.txt");
  printf("  rename a missing file: %d (%s)\n", rename("/sandbox/nope", "/sandbox/x"),
         errno == ENOENT ? "ENOENT" : "other");

  printf("6. unlink\n");
  fd = open("/sandbox/doomed", O_CREAT | O_WRONLY, 0644);
  write(fd, "bye", 3);
  printf("  unlink while open: %d\n", unlink("/sandbox/doomed"));
  printf("  doomed %s; write to the open fd: %zd\n", exists("/sandbox/doomed"), write(fd, "!", 1));
  close(fd);
  printf("  unlink again: %d (%s)\n", unlink("/sandbox/doomed"),
         errno == ENOENT ? "ENOENT" : "other");

  struct stat st;
  stat("/sandbox/posix.bin", &st);
  printf("7. posix.bin is %lld bytes\n", (long long)st.st_size);
  return 0;
}
