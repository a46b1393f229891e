// RUN-ARGS: 100000
/* Heavy malloc: N allocations of random sizes (some large, so linear memory
** grows through memory.grow), random frees and reallocs with content checks,
** then one 64 MiB block. Reports the memory size in 64 KiB pages, which only
** depends on the program and its allocator, so it is deterministic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 2463534242u;

static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

#define SLOTS 4096

static unsigned char *slot[SLOTS];
static size_t size[SLOTS];

static void fill(size_t i) {
  for (size_t k = 0; k < size[i]; k += 61)
    slot[i][k] = (unsigned char)(i + k);
}

static int check(size_t i, size_t n) {
  for (size_t k = 0; k < n; k += 61)
    if (slot[i][k] != (unsigned char)(i + k))
      return 0;
  return 1;
}

int main(int argc, char **argv) {
  long ops = argc > 1 ? atol(argv[1]) : 100000;
  size_t pages0 = __builtin_wasm_memory_size(0), peak_live = 0, live = 0, bad = 0, nulls = 0;
  for (long op = 0; op < ops; op++) {
    size_t i = next() % SLOTS;
    uint32_t r = next();
    if (slot[i] && r % 3 == 0) {
      /* Shrink, or grow while below 1 MiB. */
      size_t n = (r >> 8) % 2 || size[i] > (1u << 20) ? size[i] / 2 + 1 : size[i] * 2 + 17;
      bad += !check(i, size[i]);
      unsigned char *p = realloc(slot[i], n);
      if (!p) {
        nulls++;
        continue;
      }
      slot[i] = p;
      bad += !check(i, n < size[i] ? n : size[i]);
      live += n - size[i];
      size[i] = n;
      fill(i);
    } else if (slot[i]) {
      bad += !check(i, size[i]);
      free(slot[i]);
      slot[i] = NULL;
      live -= size[i];
    } else {
      /* Mostly small blocks, sometimes up to 1 MiB. */
      size_t n = r % 16 == 0 ? (r >> 4) % (1u << 20) : (r >> 4) % 512 + 1;
      slot[i] = (r >> 30) ? malloc(n) : calloc(n, 1);
      if (!slot[i]) {
        nulls++;
        continue;
      }
      if (!(r >> 30))
        for (size_t k = 0; k < n; k++)
          bad += slot[i][k] != 0;
      size[i] = n;
      live += n;
      fill(i);
    }
    if (live > peak_live)
      peak_live = live;
  }
  for (size_t i = 0; i < SLOTS; i++) {
    if (slot[i]) {
      bad += !check(i, size[i]);
      free(slot[i]);
    }
  }
  printf("%ld operations, %zu failed checks, %zu NULL results\n", ops, bad, nulls);
  printf("peak live bytes %zu\n", peak_live);
  size_t pages1 = __builtin_wasm_memory_size(0);
  printf("memory grew from %zu to %zu pages: %s\n", pages0, pages1, pages1 > pages0 ? "yes" : "no");

  size_t big = 64u << 20;
  unsigned char *p = malloc(big);
  printf("malloc(64 MiB): %s\n", p ? "ok" : "NULL");
  if (p) {
    memset(p, 0xab, big);
    unsigned sum = 0;
    for (size_t k = 0; k < big; k += 4096)
      sum += p[k] + p[big - 1 - k];
    printf("touched every page, sum %u\n", sum);
    free(p);
  }
  printf("memory now %zu pages\n", (size_t)__builtin_wasm_memory_size(0));
  printf("memory.grow by 0 returns the size: %s\n",
         (size_t)__builtin_wasm_memory_grow(0, 0) == (size_t)__builtin_wasm_memory_size(0) ? "yes"
                                                                                           : "no");
  /* Through volatile, or the compiler assumes the allocation succeeds. */
  void *volatile huge = malloc(0xfffffff0u);
  printf("malloc(4 GiB - 16) fails cleanly: %s\n", huge == NULL ? "yes" : "no");
  huge = malloc(SIZE_MAX);
  printf("malloc(SIZE_MAX) fails cleanly: %s\n", huge == NULL ? "yes" : "no");
  return 0;
}
