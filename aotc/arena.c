/*
** arena.c: chunked bump allocation for the front end (see arena.h). Chunks
** grow geometrically; a reset to a mark frees the chunks allocated after it.
*/
#include "arena.h"

#include <stdlib.h>
#include <string.h>

typedef struct chunk {
  struct chunk *prev;
  size_t size, used;
  _Alignas(16) unsigned char data[];
} chunk;

struct aotc_arena {
  chunk *head;
  uint64_t n_allocs, fail_after;
};

aotc_arena *aotc_arena_new(uint64_t fail_after) {
  aotc_arena *a = calloc(1, sizeof *a);
  if (a)
    a->fail_after = fail_after;
  return a;
}

void aotc_arena_free(aotc_arena *a) {
  if (!a)
    return;
  for (chunk *c = a->head, *prev; c; c = prev) {
    prev = c->prev;
    free(c);
  }
  free(a);
}

void *aotc_arena_alloc(aotc_arena *a, size_t n, size_t size, aotc_diag *d) {
  a->n_allocs++;
  if ((a->fail_after && a->n_allocs >= a->fail_after) || (size && n > SIZE_MAX / size / 2)) {
    aotc_diag_set(d, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
    return NULL;
  }
  size_t bytes = (n * size + 15) & ~(size_t)15;
  if (bytes == 0)
    bytes = 16;
  chunk *c = a->head;
  if (!c || c->size - c->used < bytes) {
    size_t csize = c ? c->size * 2 : 4096;
    if (csize > (size_t)1 << 24)
      csize = (size_t)1 << 24;
    if (csize < bytes)
      csize = bytes;
    chunk *nc = malloc(sizeof *nc + csize);
    if (!nc) {
      aotc_diag_set(d, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
      return NULL;
    }
    nc->prev = c;
    nc->size = csize;
    nc->used = 0;
    a->head = c = nc;
  }
  void *p = c->data + c->used;
  c->used += bytes;
  memset(p, 0, bytes);
  return p;
}

aotc_arena_mark aotc_arena_get_mark(const aotc_arena *a) {
  aotc_arena_mark m = {a->head, a->head ? a->head->used : 0};
  return m;
}

void aotc_arena_reset(aotc_arena *a, aotc_arena_mark mark) {
  while (a->head && a->head != mark.chunk) {
    chunk *prev = a->head->prev;
    free(a->head);
    a->head = prev;
  }
  if (a->head)
    a->head->used = mark.used;
}
