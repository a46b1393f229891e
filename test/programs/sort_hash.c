// RUN-ARGS: 300000
/* A sorting and hashing workload: N pseudo-random records sorted with qsort
** (comparisons through a function pointer: call_indirect) by two keys, checked
** to be in order, then counted in an open-addressing hash table, plus a
** string sort. Prints checksums of the results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t key;
  int16_t group;
  char name[10];
} record;

static uint64_t state = 88172645463325252u;

static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (uint32_t)(state >> 16);
}

static int by_group_then_key(const void *a, const void *b) {
  const record *x = a, *y = b;
  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const record *)a)->name, ((const record *)b)->name);
}

static uint32_t mix(uint32_t h, uint32_t v) {
  h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
  return h;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 300000;
  record *r = malloc(n * sizeof *r);
  for (size_t i = 0; i < n; i++) {
    r[i].key = next() % 1000003u;
    r[i].group = (int16_t)(next() % 97) - 48;
    for (int k = 0; k < 9; k++)
      r[i].name[k] = (char)('a' + next() % 5);
    r[i].name[9] = 0;
  }

  qsort(r, n, sizeof *r, by_group_then_key);
  size_t disorder = 0;
  uint32_t h = 0;
  for (size_t i = 0; i < n; i++) {
    if (i && by_group_then_key(&r[i - 1], &r[i]) > 0)
      disorder++;
    h = mix(h, r[i].key ^ (uint32_t)r[i].group << 20);
  }
  printf("sorted %zu records by (group, key): %zu out of order, checksum %08x\n", n, disorder, h);
  printf("first (%d, %u), last (%d, %u)\n", r[0].group, r[0].key, r[n - 1].group, r[n - 1].key);

  /* Distinct keys, counted in an open-addressing table of 2^19 slots (load
  ** about one half) with a murmur3-style finaliser as the hash. */
  size_t cap = 1u << 19, distinct = 0, max_probe = 0, probes = 0;
  uint32_t *table = calloc(cap, sizeof *table);
  for (size_t i = 0; i < n; i++) {
    uint32_t k = r[i].key + 1, x = k;
    x ^= x >> 16, x *= 0x85ebca6bu, x ^= x >> 13, x *= 0xc2b2ae35u, x ^= x >> 16;
    uint32_t slot = x & (uint32_t)(cap - 1);
    size_t probe = 0;
    while (table[slot] && table[slot] != k)
      slot = (slot + 1) & (uint32_t)(cap - 1), probe++;
    if (!table[slot])
      table[slot] = k, distinct++;
    if (probe > max_probe)
      max_probe = probe;
    probes += probe;
  }
  printf("distinct keys: %zu, probes: %zu, longest: %zu\n", distinct, probes, max_probe);

  qsort(r, n, sizeof *r, by_name);
  h = 0;
  size_t runs = 1;
  for (size_t i = 0; i < n; i++) {
    for (int k = 0; k < 9; k++)
      h = mix(h, (unsigned char)r[i].name[k]);
    if (i && strcmp(r[i - 1].name, r[i].name))
      runs++;
  }
  printf("sorted by name: %zu distinct names, first %s, last %s, checksum %08x\n", runs, r[0].name,
         r[n - 1].name, h);
  free(table);
  free(r);
  return 0;
}
