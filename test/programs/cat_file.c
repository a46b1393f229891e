// RUN-ARGS: /sandbox/input.c /sandbox/notes.txt /sandbox/missing.txt /sandbox
// RUN-COPY: input.c=hello.c
// RUN-FILE: notes.txt=one\ntwo\nthree without newline
// RUN-EXIT: 1
/* Reads the files named on the command line (a copy of hello.c, a small text
** file, a missing file and a directory) with stdio, prints each one numbered
** with its size, line count and an FNV-1a hash, reports the failures on stderr
** and exits 1 if any file could not be read, like cat. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int show(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cat_file: %s: %s\n", path, strerror(errno));
    return 1;
  }
  char line[512];
  size_t lines = 0, bytes = 0;
  uint32_t h = 2166136261u;
  int c;
  printf("==> %s <==\n", path);
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    for (size_t i = 0; i < n; i++)
      h = (h ^ (unsigned char)line[i]) * 16777619u;
    bytes += n;
    printf("%3zu  %s%s", ++lines, line, n && line[n - 1] == '\n' ? "" : "\n");
  }
  if (ferror(f)) {
    fprintf(stderr, "cat_file: %s: read error: %s\n", path, strerror(errno));
    fclose(f);
    return 1;
  }
  c = fgetc(f);
  printf("--- %zu bytes, %zu lines, fnv1a %08x, then EOF: %s\n", bytes, lines, h,
         c == EOF ? "yes" : "no");
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  int failed = 0;
  if (argc < 2) {
    fprintf(stderr, "usage: cat_file FILE...\n");
    return 2;
  }
  for (int i = 1; i < argc; i++)
    failed |= show(argv[i]);
  return failed;
}
