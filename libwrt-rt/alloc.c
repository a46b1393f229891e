/*
** alloc.c: the on-demand instance allocator (the default strategy of the
** seam declared in rt_internal.h): every instance block, memory and table is
** allocated when instantiation asks and freed when its store is freed, with
** the allocation hook (records, blocks, table elements) and mmap (memory
** address space). Nothing here is shared between calls: the strategy has no
** state and one immutable object serves every engine. The pooling strategy
** is alloc_pool.c.
*/
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

static wrt_err od_admit(const wrt_allocator *a, const wrt_module_desc *d, size_t inst_bytes,
                        wrt_diag *diag) {
  (void)a, (void)d, (void)inst_bytes, (void)diag;
  return WRT_OK; /* limits are the host's, found when allocating */
}

/* The hook promises only malloc's alignment; the block needs 16 (the vmctx's
** globals are 16-byte slots), so it is over-allocated by 16 and the aligned
** start is recorded just before the block's first byte. */
#define OD_ALIGN 16u

static void *od_instance_alloc(wrt_allocator *a, size_t bytes, wrt_diag *diag) {
  (void)a;
  if (bytes > SIZE_MAX - 2 * OD_ALIGN)
    return NULL;
  uint8_t *raw = wrt_calloc(bytes + 2 * OD_ALIGN, 1);
  if (!raw) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory allocating the instance (%zu bytes)", bytes);
    return NULL;
  }
  uint8_t *p = raw + OD_ALIGN + (OD_ALIGN - (uintptr_t)raw % OD_ALIGN) % OD_ALIGN;
  memcpy(p - sizeof raw, &raw, sizeof raw);
  return p;
}

static void od_instance_free(wrt_allocator *a, void *block, size_t bytes) {
  (void)a;
  uint8_t *raw;
  memcpy(&raw, (uint8_t *)block - sizeof raw, sizeof raw);
  wrt_free(raw, bytes + 2 * OD_ALIGN);
}

/* 64-bit hosts reserve the guard-page reservation as PROT_NONE (memory.c
** makes pages accessible); 32-bit hosts map the current size (at least one
** page, so that even an empty memory has a base), readable and writable, and
** memory.c remaps it on grow. MAP_NORESERVE: the mapping is address space,
** not memory; only pages inside the current length are ever touched. */
static wrt_memory *od_memory_alloc(wrt_allocator *a, uint64_t min, uint64_t limit,
                                   const wrt_image *want, wrt_diag *diag) {
  (void)want; /* fresh storage every time */
  wrt_memory *m = wrt_calloc(1, sizeof *m);
  if (!m) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory allocating a memory");
    return NULL;
  }
#if !WRT_MEMORY_MOVES
  (void)min;
  m->reserve_size = (size_t)WRT_GUARD_RESERVATION;
  int prot = PROT_NONE;
#else
  m->reserve_size = (size_t)((min ? min : 1) * WRT_PAGE_SIZE);
  m->accessible = m->reserve_size;
  m->moves = true;
  int prot = PROT_READ | PROT_WRITE;
#endif
  void *base = mmap(NULL, m->reserve_size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    wrt_diag_set(diag, WRT_ENOMEM, "cannot reserve %zu bytes of address space for a memory",
                 m->reserve_size);
    wrt_free(m, sizeof *m);
    return NULL;
  }
  m->reserve = base;
  m->limit = limit;
  m->alloc = a;
  return m;
}

static void od_memory_free(wrt_allocator *a, wrt_memory *m) {
  (void)a;
  munmap(m->reserve, m->reserve_size);
  wrt_free(m, sizeof *m);
}

/* The elements are grown by table.c (growable storage). */
static wrt_table *od_table_alloc(wrt_allocator *a, uint32_t min, const wrt_table_key *want,
                                 wrt_diag *diag) {
  (void)min, (void)want;
  wrt_table *t = wrt_calloc(1, sizeof *t);
  if (!t) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory allocating a table");
    return NULL;
  }
  t->alloc = a;
  return t;
}

static void od_table_free(wrt_allocator *a, wrt_table *t) {
  (void)a;
  wrt_free(t->def.elems, t->cap * sizeof(void *));
  wrt_free(t, sizeof *t);
}

/* A mapping of the stack and one guard page below it. */
static bool od_stack_alloc(wrt_allocator *a, size_t bytes, wrt_stack *out, wrt_diag *diag) {
  (void)a;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  bytes = (bytes + page - 1) / page * page;
  uint8_t *base = mmap(NULL, bytes + page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED || mprotect(base, page, PROT_NONE) != 0) {
    if (base != MAP_FAILED)
      munmap(base, bytes + page);
    wrt_diag_set(diag, WRT_ENOMEM, "cannot map a fiber stack of %zu bytes", bytes);
    return false;
  }
  out->lo = base + page;
  out->hi = out->lo + bytes;
  out->slot = 0;
  return true;
}

static void od_stack_free(wrt_allocator *a, wrt_stack *st) {
  (void)a;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  munmap(st->lo - page, (size_t)(st->hi - st->lo) + page);
}

static wrt_pool_limits od_limits(const wrt_allocator *a) {
  (void)a;
  wrt_pool_limits none;
  memset(&none, 0, sizeof none);
  return none;
}

static void od_destroy(wrt_allocator *a) {
  (void)a; /* the shared object is never freed */
}

static const wrt_allocator_ops on_demand_ops = {
    .admit = od_admit,
    .instance_alloc = od_instance_alloc,
    .instance_free = od_instance_free,
    .memory_alloc = od_memory_alloc,
    .memory_free = od_memory_free,
    .table_alloc = od_table_alloc,
    .table_free = od_table_free,
    .stack_alloc = od_stack_alloc,
    .stack_free = od_stack_free,
    .limits = od_limits,
    .destroy = od_destroy,
};

/* Immutable: the ops are its only field, and no operation writes it. */
static wrt_allocator on_demand = {&on_demand_ops};

wrt_allocator *wrt_on_demand_allocator(void) {
  return &on_demand;
}
