// RUN-ARGS: 4096
/* Randomness: getentropy and arc4random give buffers that differ from each
** other and are not all zero, and look roughly uniform. Prints only booleans
** so the output is the same on every run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *yes(int b) { return b ? "yes" : "NO"; }

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i])
      return 0;
  return 1;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 4096;
  unsigned char *a = malloc(n), *b = malloc(n);
  int ok = 1;
  /* getentropy takes at most 256 bytes per call. */
  for (size_t off = 0; off < n; off += 256) {
    size_t len = n - off < 256 ? n - off : 256;
    ok &= getentropy(a + off, len) == 0 && getentropy(b + off, len) == 0;
  }
  printf("getentropy succeeded: %s\n", yes(ok));
  printf("getentropy buffers differ: %s\n", yes(memcmp(a, b, n) != 0));
  printf("getentropy buffers not all zero: %s\n", yes(!all_zero(a, n) && !all_zero(b, n)));
  printf("getentropy(257 bytes) refused: %s\n", yes(getentropy(a, 257) != 0));

  size_t ones = 0;
  for (size_t i = 0; i < n; i++)
    ones += (size_t)__builtin_popcount(a[i]);
  /* 8n fair bits have a standard deviation of sqrt(2n); allow 6 of them. */
  double dev = (double)ones - 4.0 * (double)n;
  printf("bit balance within 6 sigma: %s\n", yes(dev * dev < 36.0 * 2.0 * (double)n));

  arc4random_buf(a, n);
  arc4random_buf(b, n);
  printf("arc4random_buf buffers differ: %s\n", yes(memcmp(a, b, n) != 0));
  printf("arc4random_buf buffers not all zero: %s\n", yes(!all_zero(a, n) && !all_zero(b, n)));
  uint32_t x = arc4random(), y = arc4random(), z = arc4random();
  printf("three arc4random values not all equal: %s\n", yes(!(x == y && y == z)));
  int in_range = 1;
  for (int i = 0; i < 1000; i++)
    in_range &= arc4random_uniform(10) < 10;
  printf("arc4random_uniform(10) in range: %s\n", yes(in_range));
  free(a);
  free(b);
  return 0;
}
