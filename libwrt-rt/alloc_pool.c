/*
** alloc_pool.c: the pooling instance allocator (the seam is in
** rt_internal.h). At engine creation it reserves one contiguous region:
**
**   [ instance slots | table slots | fiber stacks | memory slots ]
**
** instance slots  `instances` x instance_bytes (rounded to host pages),
**                 readable and writable, touched only as far as used;
** table slots     `tables` x table_elements pointers, readable and writable;
** fiber stacks    `fiber_stacks` x (one guard page + the stack size), the
**                 guard PROT_NONE (stacks are not zeroed when freed: Wasm
**                 never reads the native stack);
** memory slots    `memories` x the guard-page reservation on 64-bit hosts
**                 (8 GiB + 64 KiB, whatever memory_pages says, so that
**                 guard-mode code needs no checks here either), or
**                 memory_pages + one guard page on 32-bit hosts; PROT_NONE
**                 past each memory's accessible bytes.
**
** The records of pooled memories and tables are arrays made with the pool.
** Taking a slot is a pop from a free-index stack under the pool's lock (LIFO,
** so a slot freed is the next one reused, its pages still resident); nothing
** is allocated or mapped. Freeing zeroes what the tenant could have written:
** the used bytes of an instance slot and the used elements of a table slot
** with memset (they stay resident), a memory slot's accessible bytes with
** madvise(MADV_DONTNEED) (the kernel drops the pages; they read as zero
** again). A memory slot keeps its accessible size between tenants, and
** memory.c only changes the protection of the difference to the next
** tenant's size: a slot reused for the same module costs no mprotect.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

/* A stack of free slot indices. */
typedef struct pool_free {
  uint32_t *idx;
  uint32_t n, cap;
} pool_free;

typedef struct wrt_pool {
  wrt_allocator base; /* first: the engine's wrt_allocator * is the pool */
  wrt_pool_limits lim;
  pthread_mutex_t lock; /* guards the three free stacks */
  uint8_t *region;
  size_t region_size;
  uint8_t *inst_area, *table_area, *stack_area, *mem_area;
  size_t inst_stride, table_stride, stack_stride, mem_stride;
  size_t page;
  wrt_memory *mems;  /* lim.memories records */
  wrt_table *tables; /* lim.tables records */
  pool_free free_inst, free_mem, free_table, free_stack;
} wrt_pool;

static wrt_pool *pool_of(const wrt_allocator *a) {
  return (wrt_pool *)(void *)(uintptr_t)a;
}

/* ------------------------------------------------------------ limits */

wrt_pool_limits wrt_pool_limits_defaults(wrt_pool_limits lim) {
#if UINTPTR_MAX > UINT32_MAX
  const uint32_t slots = 1000;
  const uint64_t pages = 65536;
#else
  const uint32_t slots = 32;
  const uint64_t pages = 256;
#endif
  if (!lim.instances)
    lim.instances = slots;
  if (!lim.memories)
    lim.memories = slots;
  if (!lim.tables)
    lim.tables = slots;
  if (!lim.memories_per_module)
    lim.memories_per_module = 1;
  if (!lim.tables_per_module)
    lim.tables_per_module = 1;
  if (!lim.memory_pages)
    lim.memory_pages = pages;
  if (!lim.table_elements)
    lim.table_elements = 20000;
  if (!lim.instance_bytes)
    lim.instance_bytes = UINT32_C(1) << 20;
  if (!lim.fiber_stacks)
    lim.fiber_stacks = lim.instances;
  return lim;
}

static size_t round_up(size_t n, size_t to) {
  return (n + to - 1) / to * to;
}

/* Strides and total size of the region; false (diag set) when the limits
** cannot be met on this host. */
static bool pool_geometry(wrt_pool *p, size_t stack_bytes, wrt_diag *diag) {
  const wrt_pool_limits *l = &p->lim;
  size_t page = p->page = (size_t)sysconf(_SC_PAGESIZE);
  uint64_t cap = wrt_memory_host_page_cap(true);
  if (l->memory_pages > cap) {
    wrt_diag_set(diag, WRT_EINVAL, "pool memory_pages %llu exceeds this host's %llu",
                 (unsigned long long)l->memory_pages, (unsigned long long)cap);
    return false;
  }
  if (l->table_elements > WRT_TABLE_MAX_ELEMS) {
    wrt_diag_set(diag, WRT_EINVAL, "pool table_elements %u exceeds this host's %u",
                 l->table_elements, WRT_TABLE_MAX_ELEMS);
    return false;
  }
  p->inst_stride = round_up(l->instance_bytes, page);
  p->table_stride = round_up((size_t)l->table_elements * sizeof(void *), page);
  p->stack_stride = page + round_up(stack_bytes, page);
#if !WRT_MEMORY_MOVES
  p->mem_stride = (size_t)WRT_GUARD_RESERVATION;
#else
  p->mem_stride = (size_t)((l->memory_pages + 1) * WRT_PAGE_SIZE);
#endif
  /* In 64-bit arithmetic: on 32-bit hosts the sum may exceed size_t. */
  uint64_t total = (uint64_t)l->instances * p->inst_stride +
                   (uint64_t)l->tables * p->table_stride +
                   (uint64_t)l->fiber_stacks * p->stack_stride +
                   (uint64_t)l->memories * p->mem_stride;
  if (total > SIZE_MAX / 2) {
    wrt_diag_set(diag, WRT_ENOMEM, "pool region of %llu bytes exceeds the address space",
                 (unsigned long long)total);
    return false;
  }
  p->region_size = (size_t)total;
  return true;
}

/* ------------------------------------------------------------ free stacks */

static bool free_init(pool_free *f, uint32_t n) {
  f->idx = wrt_calloc(n, sizeof *f->idx);
  if (!f->idx)
    return false;
  f->cap = f->n = n;
  for (uint32_t i = 0; i < n; i++)
    f->idx[i] = n - 1 - i; /* slot 0 on top */
  return true;
}

static void free_fini(pool_free *f) {
  wrt_free(f->idx, f->cap * sizeof *f->idx);
}

/* How deep slot_take looks for a slot that fits best. */
#define AFFINITY_DEPTH 32

/* Pops a free slot index, preferring (within the top AFFINITY_DEPTH) one
** for which fits(p, index, want) holds; UINT32_MAX when none is left. */
static uint32_t slot_take(wrt_pool *p, pool_free *f,
                          bool (*fits)(const wrt_pool *, uint32_t, const void *),
                          const void *want) {
  pthread_mutex_lock(&p->lock);
  uint32_t i = UINT32_MAX;
  if (f->n) {
    uint32_t top = f->n - 1, pick = top;
    for (uint32_t k = 0; fits && want && k < AFFINITY_DEPTH && k <= top; k++)
      if (fits(p, f->idx[top - k], want)) {
        pick = top - k;
        break;
      }
    i = f->idx[pick];
    f->idx[pick] = f->idx[top];
    f->n--;
  }
  pthread_mutex_unlock(&p->lock);
  return i;
}

/* slot_take, or UINT32_MAX with diag naming the exhausted limit:
** "all N <what> of the pool are in use (<limit>)". */
static uint32_t slot_take_or_say(wrt_pool *p, pool_free *f,
                                 bool (*fits)(const wrt_pool *, uint32_t, const void *),
                                 const void *want, const char *what, const char *limit,
                                 wrt_diag *diag) {
  uint32_t i = slot_take(p, f, fits, want);
  if (i == UINT32_MAX)
    wrt_diag_set(diag, WRT_ENOMEM, "all %u %s of the pool are in use (%s)", f->cap, what, limit);
  return i;
}

/* Affinity: a memory slot with the wanted image mapped, a table slot that
** kept the wanted elements (the records are read under the pool's lock; a
** free slot's record changes only when taken). */
static bool memory_fits(const wrt_pool *p, uint32_t i, const void *want) {
  return p->mems[i].image == want;
}

static bool table_fits(const wrt_pool *p, uint32_t i, const void *want) {
  return wrt_table_holds(&p->tables[i], want);
}

static void slot_give(wrt_pool *p, pool_free *f, uint32_t i) {
  pthread_mutex_lock(&p->lock);
  if (ALWAYS(f->n < f->cap))
    f->idx[f->n++] = i;
  pthread_mutex_unlock(&p->lock);
}

/* ------------------------------------------------------------ admission */

static wrt_err pool_admit(const wrt_allocator *a, const wrt_module_desc *d, size_t inst_bytes,
                          wrt_diag *diag) {
  const wrt_pool_limits *l = &pool_of(a)->lim;
  uint32_t n_mem = d->n_memories - d->n_memory_imports;
  uint32_t n_tab = d->n_tables - d->n_table_imports;
  if (n_mem > l->memories_per_module || n_mem > l->memories)
    return wrt_diag_set(diag, WRT_EINVAL,
                        "module defines %u memories; the pool allows %u (memories_per_module)",
                        n_mem, l->memories_per_module < l->memories ? l->memories_per_module
                                                                    : l->memories);
  if (n_tab > l->tables_per_module || n_tab > l->tables)
    return wrt_diag_set(diag, WRT_EINVAL,
                        "module defines %u tables; the pool allows %u (tables_per_module)", n_tab,
                        l->tables_per_module < l->tables ? l->tables_per_module : l->tables);
  for (uint32_t i = d->n_memory_imports; i < d->n_memories; i++)
    if (d->memories[i].min > l->memory_pages)
      return wrt_diag_set(diag, WRT_EINVAL,
                          "memory %u needs %llu pages; pooled memories hold %llu (memory_pages)", i,
                          (unsigned long long)d->memories[i].min,
                          (unsigned long long)l->memory_pages);
  for (uint32_t i = d->n_table_imports; i < d->n_tables; i++)
    if (d->tables[i].lim.min > l->table_elements)
      return wrt_diag_set(
          diag, WRT_EINVAL, "table %u needs %llu elements; pooled tables hold %u (table_elements)",
          i, (unsigned long long)d->tables[i].lim.min, l->table_elements);
  if (inst_bytes > l->instance_bytes)
    return wrt_diag_set(diag, WRT_EINVAL,
                        "instance needs %zu bytes for its record and vmctx; pool slots hold %u "
                        "(instance_bytes)",
                        inst_bytes, l->instance_bytes);
  return WRT_OK;
}

/* ------------------------------------------------------------ slots */

static void *pool_instance_alloc(wrt_allocator *a, size_t bytes, wrt_diag *diag) {
  wrt_pool *p = pool_of(a);
  if (bytes > p->lim.instance_bytes) {
    wrt_diag_set(diag, WRT_EINVAL, "instance needs %zu bytes; pool slots hold %u (instance_bytes)",
                 bytes, p->lim.instance_bytes);
    return NULL;
  }
  uint32_t i = slot_take_or_say(p, &p->free_inst, NULL, NULL, "instance slots", "instances",
                                diag);
  if (i == UINT32_MAX)
    return NULL;
  return p->inst_area + (size_t)i * p->inst_stride;
}

static void pool_instance_free(wrt_allocator *a, void *block, size_t bytes) {
  wrt_pool *p = pool_of(a);
  size_t off = (size_t)((uint8_t *)block - p->inst_area);
  memset(block, 0, bytes);
  slot_give(p, &p->free_inst, (uint32_t)(off / p->inst_stride));
}

static wrt_memory *pool_memory_alloc(wrt_allocator *a, uint64_t min, uint64_t limit,
                                     const wrt_image *want, wrt_diag *diag) {
  wrt_pool *p = pool_of(a);
  if (min > p->lim.memory_pages) {
    wrt_diag_set(diag, WRT_EINVAL, "memory needs %llu pages; pooled memories hold %llu "
                 "(memory_pages)",
                 (unsigned long long)min, (unsigned long long)p->lim.memory_pages);
    return NULL;
  }
  uint32_t i = slot_take_or_say(p, &p->free_mem, memory_fits, want, "memory slots", "memories",
                                diag);
  if (i == UINT32_MAX)
    return NULL;
  wrt_memory *m = &p->mems[i];
  /* What the previous tenant left: its accessible size (zeroed, or back to
  ** the image) and the image mapped over the start (memory.c replaces it
  ** unless the new tenant is the same module). */
  size_t accessible = m->accessible;
  const wrt_image *image = m->image;
  memset(m, 0, sizeof *m);
  m->reserve = p->mem_area + (size_t)i * p->mem_stride;
  m->reserve_size = p->mem_stride;
  m->accessible = accessible;
  m->image = image;
  m->limit = limit < p->lim.memory_pages ? limit : p->lim.memory_pages;
  m->alloc = a;
  m->slot = i;
  return m;
}

static void pool_memory_free(wrt_allocator *a, wrt_memory *m) {
  wrt_pool *p = pool_of(a);
  /* Dropped pages read as zero on the next touch (or as the image, where one
  ** is mapped: the module's own data, the same for every tenant); should the
  ** kernel refuse, drop the image and zero by hand: a later tenant must never
  ** see these bytes. */
  if (m->accessible && madvise(m->reserve, m->accessible, MADV_DONTNEED) != 0 &&
      !(m->image && wrt_memory_use_image(m, NULL)))
    memset(m->reserve, 0, m->accessible);
  slot_give(p, &p->free_mem, m->slot);
}

static wrt_table *pool_table_alloc(wrt_allocator *a, uint32_t min, const wrt_table_key *want,
                                   wrt_diag *diag) {
  wrt_pool *p = pool_of(a);
  if (min > p->lim.table_elements) {
    wrt_diag_set(diag, WRT_EINVAL, "table needs %u elements; pooled tables hold %u "
                 "(table_elements)", min, p->lim.table_elements);
    return NULL;
  }
  uint32_t i = slot_take_or_say(p, &p->free_table, table_fits, want, "table slots", "tables",
                                diag);
  if (i == UINT32_MAX)
    return NULL;
  wrt_table *t = &p->tables[i];
  /* What the previous tenant left: nulls, or its module's unwritten initial
  ** elements (table.c keeps them for the same module or clears them). */
  wrt_table_key kept = t->kept;
  uint32_t kept_size = t->kept_size;
  memset(t, 0, sizeof *t);
  t->kept = kept;
  t->kept_size = kept_size;
  t->def.elems = (void **)(void *)(p->table_area + (size_t)i * p->table_stride);
  t->cap = p->lim.table_elements;
  t->fixed = true;
  t->alloc = a;
  t->slot = i;
  return t;
}

/* Elements past the size were never written (tables only grow). A table
** still holding its module's initial elements, unwritten, keeps them: they
** are the module's, the same for every tenant, and the next instance of the
** same module in the same instance slot needs exactly them. */
static void pool_table_free(wrt_allocator *a, wrt_table *t) {
  wrt_pool *p = pool_of(a);
  if (t->kept.desc && !t->def.written) {
    t->kept_size = t->def.size;
  } else {
    memset(t->def.elems, 0, (size_t)t->def.size * sizeof(void *));
    memset(&t->kept, 0, sizeof t->kept);
    t->kept_size = 0;
  }
  slot_give(p, &p->free_table, t->slot);
}

static bool pool_stack_alloc(wrt_allocator *a, size_t bytes, wrt_stack *out, wrt_diag *diag) {
  wrt_pool *p = pool_of(a);
  if (bytes > p->stack_stride - p->page) {
    wrt_diag_set(diag, WRT_EINVAL, "fiber stack of %zu bytes exceeds the pool's %zu", bytes,
                 p->stack_stride - p->page);
    return false;
  }
  uint32_t i = slot_take_or_say(p, &p->free_stack, NULL, NULL, "fiber stacks", "fiber_stacks",
                                diag);
  if (i == UINT32_MAX)
    return false;
  out->lo = p->stack_area + (size_t)i * p->stack_stride + p->page;
  out->hi = out->lo + (p->stack_stride - p->page);
  out->slot = i;
  return true;
}

static void pool_stack_free(wrt_allocator *a, wrt_stack *st) {
  wrt_pool *p = pool_of(a);
  slot_give(p, &p->free_stack, st->slot);
}

static wrt_pool_limits pool_limits(const wrt_allocator *a) {
  return pool_of(a)->lim;
}

static void pool_destroy(wrt_allocator *a) {
  wrt_pool *p = pool_of(a);
  if (p->region)
    munmap(p->region, p->region_size);
  wrt_free(p->mems, (size_t)p->lim.memories * sizeof *p->mems);
  wrt_free(p->tables, (size_t)p->lim.tables * sizeof *p->tables);
  free_fini(&p->free_inst);
  free_fini(&p->free_mem);
  free_fini(&p->free_table);
  free_fini(&p->free_stack);
  pthread_mutex_destroy(&p->lock);
  wrt_free(p, sizeof *p);
}

static const wrt_allocator_ops pool_ops = {
    .admit = pool_admit,
    .instance_alloc = pool_instance_alloc,
    .instance_free = pool_instance_free,
    .memory_alloc = pool_memory_alloc,
    .memory_free = pool_memory_free,
    .table_alloc = pool_table_alloc,
    .table_free = pool_table_free,
    .stack_alloc = pool_stack_alloc,
    .stack_free = pool_stack_free,
    .limits = pool_limits,
    .destroy = pool_destroy,
};

/* ------------------------------------------------------------ creation */

/* Reserves the region (PROT_NONE) and opens the instance and table areas. */
static bool pool_map(wrt_pool *p, wrt_diag *diag) {
  void *r = mmap(NULL, p->region_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
                 0);
  if (r == MAP_FAILED) {
    wrt_diag_set(diag, WRT_ENOMEM, "cannot reserve %zu bytes of address space for the pool",
                 p->region_size);
    return false;
  }
  p->region = r;
  p->inst_area = p->region;
  p->table_area = p->inst_area + (size_t)p->lim.instances * p->inst_stride;
  p->stack_area = p->table_area + (size_t)p->lim.tables * p->table_stride;
  p->mem_area = p->stack_area + (size_t)p->lim.fiber_stacks * p->stack_stride;
  size_t open = (size_t)(p->mem_area - p->region);
  bool ok = !open || mprotect(p->region, open, PROT_READ | PROT_WRITE) == 0;
  for (uint32_t i = 0; ok && i < p->lim.fiber_stacks; i++) /* each stack's guard page */
    ok = mprotect(p->stack_area + (size_t)i * p->stack_stride, p->page, PROT_NONE) == 0;
  if (!ok)
    wrt_diag_set(diag, WRT_ENOMEM, "cannot open %zu bytes of the pool for instances, tables and "
                 "stacks", open);
  return ok;
}

wrt_allocator *wrt_pool_new(const wrt_pool_limits *lim, size_t stack_bytes, wrt_diag *diag) {
  wrt_pool *p = wrt_calloc(1, sizeof *p);
  if (!p) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory creating the pool");
    return NULL;
  }
  p->base.ops = &pool_ops;
  p->lim = *lim;
  if (pthread_mutex_init(&p->lock, NULL) != 0) {
    wrt_free(p, sizeof *p);
    wrt_diag_set(diag, WRT_ENOMEM, "cannot create the pool's lock");
    return NULL;
  }
  if (!pool_geometry(p, stack_bytes, diag) || !pool_map(p, diag)) {
    pool_destroy(&p->base);
    return NULL;
  }
  p->mems = wrt_calloc(lim->memories, sizeof *p->mems);
  p->tables = wrt_calloc(lim->tables, sizeof *p->tables);
  if (!p->mems || !p->tables || !free_init(&p->free_inst, lim->instances) ||
      !free_init(&p->free_mem, lim->memories) || !free_init(&p->free_table, lim->tables) ||
      !free_init(&p->free_stack, lim->fiber_stacks)) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory creating the pool's slot tables");
    pool_destroy(&p->base);
    return NULL;
  }
  return &p->base;
}
