/* Kernel: libc memmove/memcpy/memset on overlapping and disjoint blocks of
** many sizes (compiled without bulk memory, libc's own byte and word loops).
** Prints a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE (1u << 20)

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200;
  uint8_t *buf = malloc(SIZE + 4096);
  uint32_t sum = 0;
  if (!buf)
    return 1;
  for (unsigned i = 0; i < SIZE + 4096; i++)
    buf[i] = (uint8_t)(i * 31);
  for (int r = 0; r < rounds; r++) {
    size_t len = (size_t)(r * 7919) % 4000 + 1;
    memmove(buf + 1, buf, SIZE / 2);
    memmove(buf, buf + 3, SIZE / 2);
    memcpy(buf + SIZE / 2, buf + (r & 63), SIZE / 4);
    for (size_t off = 0; off + len < SIZE; off += 65536 + len)
      memset(buf + off, r, len);
    sum = sum * 33 + buf[(size_t)r * 977 % SIZE];
  }
  printf("memmove: %u\n", sum);
  free(buf);
  return 0;
}
