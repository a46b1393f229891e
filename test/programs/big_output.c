// RUN-ARGS: 5242880
/* Large output: writes N bytes (5 MiB) of generated text to stdout in chunks of
** odd, varying sizes, mixing fwrite, putchar and direct write(2) (after an
** fflush so the order holds), then reports the byte count and an FNV-1a hash
** of everything written on stderr. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint32_t hash = 2166136261u;

static void account(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    hash = (hash ^ (unsigned char)p[i]) * 16777619u;
}

int main(int argc, char **argv) {
  size_t total = argc > 1 ? (size_t)atol(argv[1]) : 5u << 20;
  static const size_t sizes[] = {1, 7, 4093, 65537, 13, 8191, 100003, 3, 511, 32769};
  static char chunk[100003];
  size_t done = 0, k = 0, line = 0;
  uint32_t seed = 12345;
  while (done < total) {
    size_t n = sizes[k % 10];
    if (n > total - done)
      n = total - done;
    /* Text lines of varying length, so a diff of two outputs is readable. */
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      if ((seed >> 16) % 61 == 0) {
        chunk[i] = '\n';
        line++;
      } else {
        chunk[i] = (char)('a' + (seed >> 16) % 26);
      }
    }
    account(chunk, n);
    switch (k % 3) {
    case 0:
      if (fwrite(chunk, 1, n, stdout) != n)
        return 1;
      break;
    case 1:
      for (size_t i = 0; i < n; i++)
        putchar(chunk[i]);
      break;
    default:
      fflush(stdout);
      for (size_t off = 0; off < n;) {
        ssize_t w = write(1, chunk + off, n - off);
        if (w <= 0)
          return 1;
        off += (size_t)w;
      }
    }
    done += n;
    k++;
  }
  fflush(stdout);
  fprintf(stderr, "wrote %zu bytes in %zu chunks, %zu newlines, fnv1a %08x\n", done, k, line, hash);
  return 0;
}
