/*
** arena.h: the compile-lifetime bump allocator. One arena per module holds the
** module model and validator side tables and is freed in one call. Per-function
** scratch uses aotc_arena_mark/reset. No per-object free.
*/
#ifndef AOTC_ARENA_H
#define AOTC_ARENA_H

#include "aotc.h"

typedef struct aotc_arena aotc_arena;

typedef struct aotc_arena_mark {
  void *chunk;
  size_t used;
} aotc_arena_mark;

/* fail_after: see aotc_options.fail_alloc_after (0 = never fail). */
aotc_arena *aotc_arena_new(uint64_t fail_after);
void aotc_arena_free(aotc_arena *a);
/* Zeroed, 16-byte aligned memory, or NULL with d set to AOTC_ENOMEM. Sizes are
** checked for overflow (n * size). */
void *aotc_arena_alloc(aotc_arena *a, size_t n, size_t size, aotc_diag *d);
aotc_arena_mark aotc_arena_get_mark(const aotc_arena *a);
void aotc_arena_reset(aotc_arena *a, aotc_arena_mark mark);

#endif
