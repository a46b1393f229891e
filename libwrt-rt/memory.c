/*
** memory.c: linear memories: the address-space reservation (on 32-bit hosts
** a mapping that grow may move), committing pages on grow, the host
** accessors, and the memory libcalls (grow, fill, copy, init, data.drop). It
** does not decide which memories an instance gets (instance.c), nor turn
** guard-page faults into traps (signal.c, which finds the reservations
** through the store's memory list).
*/
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"

/* spec: 32-bit memories address at most 2^16 pages (4 GiB). */
#define MAX_PAGES_32 (UINT64_C(1) << 16)

/* Two layouts, chosen by the host's pointer size.
**
** 64-bit hosts: every memory reserves WRT_GUARD_RESERVATION (index space +
** largest static offset + access width, see wrt_abi.h) as PROT_NONE and grow
** makes pages accessible in place, so guard-mode code needs no bounds checks
** and the base never moves in either bounds mode. memory64 memories live in
** the same reservation and so cap at its size.
**
** 32-bit hosts cannot reserve 4 GiB per memory (nor many 256 MiB ones: spec
** scripts create dozens of memories in one store). Code for them always uses
** explicit checks and reloads the base from the memory record after every
** call (codegen/memory.c), so the memory may move: the mapping is exactly the
** current size, readable and writable, and grow remaps it, moving it when
** the address space after it is taken. */
#if UINTPTR_MAX > UINT32_MAX
#define WRT_MEMORY_MOVES 0
#else
#define WRT_MEMORY_MOVES 1
#endif

/* How many pages a memory may ever reach on this host. On 32-bit hosts the
** byte length must fit in size_t with room to spare: 2 GiB, if the address
** space allows (grow fails otherwise, as the spec permits). */
static uint64_t host_page_cap(bool is64) {
#if !WRT_MEMORY_MOVES
  return is64 ? WRT_GUARD_RESERVATION / WRT_PAGE_SIZE : MAX_PAGES_32;
#else
  (void)is64;
  return (UINT64_C(1) << 31) / WRT_PAGE_SIZE;
#endif
}

/* Bytes mapped for a memory of `pages` pages: the whole reservation, or (when
** memories move) the current size but at least one page, so that even an
** empty memory has a base. */
static size_t map_bytes(uint64_t pages) {
#if !WRT_MEMORY_MOVES
  (void)pages;
  return (size_t)WRT_GUARD_RESERVATION;
#else
  return (size_t)((pages ? pages : 1) * WRT_PAGE_SIZE);
#endif
}

wrt_memory *wrt_memory_create(wrt_store *s, uint64_t min, uint64_t max, bool has_max, bool is64) {
  uint64_t cap = host_page_cap(is64);
  uint64_t limit = has_max && max < cap ? max : cap;
  if (min > limit || (has_max && max < min))
    return NULL;
  wrt_memory *m = wrt_calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->reserve_size = map_bytes(min);
  /* MAP_NORESERVE: the mapping is address space, not memory; only pages
  ** inside the current length are ever touched. */
  void *base = mmap(NULL, m->reserve_size, WRT_MEMORY_MOVES ? PROT_READ | PROT_WRITE : PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    wrt_free(m, sizeof *m);
    return NULL;
  }
  m->reserve = base;
  m->def.base = base;
  m->limit = limit;
  m->max = max;
  m->has_max = has_max;
  m->is64 = is64;
  /* Fresh anonymous pages read as zero, and committed pages are never
  ** decommitted, so a grown region is always zero without a memset. */
  if ((!WRT_MEMORY_MOVES && min &&
       mprotect(base, (size_t)(min * WRT_PAGE_SIZE), PROT_READ | PROT_WRITE) != 0) ||
      !wrt_ptrvec_push(&s->memories, m)) {
    wrt_memory_destroy(m);
    return NULL;
  }
  m->pages = min;
  m->def.length = min * WRT_PAGE_SIZE;
  return m;
}

void wrt_memory_destroy(wrt_memory *m) {
  if (!m)
    return;
  if (m->reserve)
    munmap(m->reserve, m->reserve_size);
  wrt_free(m, sizeof *m);
}

/* Makes pages [old, old + delta) accessible; false when the host cannot. */
static bool commit(wrt_memory *m, uint64_t old, uint64_t delta) {
#if !WRT_MEMORY_MOVES
  return mprotect(m->reserve + old * WRT_PAGE_SIZE, (size_t)(delta * WRT_PAGE_SIZE),
                  PROT_READ | PROT_WRITE) == 0;
#else
  size_t bytes = map_bytes(old + delta);
  if (bytes <= m->reserve_size) /* growing an empty memory into its first page */
    return true;
  /* The bytes past the old mapping come from the anonymous mapping and read
  ** as zero, whether it grows in place or moves. */
  void *p = mremap(m->reserve, m->reserve_size, bytes, MREMAP_MAYMOVE);
  if (p == MAP_FAILED)
    return false;
  m->reserve = p;
  m->reserve_size = bytes;
  m->def.base = p;
  return true;
#endif
}

/* spec: memory.grow: the old size in pages, or -1 (here UINT64_MAX) when the
** maximum (declared or this host's) would be exceeded or commit fails. */
static uint64_t memory_grow(wrt_memory *m, uint64_t delta) {
  uint64_t old = m->pages;
  if (delta > m->limit - old)
    return UINT64_MAX;
  if (delta == 0)
    return old;
  if (!commit(m, old, delta))
    return UINT64_MAX;
  /* Length last: explicit-check code must never see pages not yet committed. */
  m->pages = old + delta;
  m->def.length = m->pages * WRT_PAGE_SIZE;
  return old;
}

/* ------------------------------------------------------------ host API */

wrt_memory *wrt_memory_new(wrt_store *s, uint64_t min_pages, uint64_t max_pages, bool has_max) {
  if (!s || min_pages > MAX_PAGES_32 || (has_max && max_pages > MAX_PAGES_32))
    return NULL;
  return wrt_memory_create(s, min_pages, max_pages, has_max, false);
}

uint8_t *wrt_memory_data(wrt_memory *m) {
  return m->def.base;
}

uint64_t wrt_memory_size(const wrt_memory *m) {
  return m->def.length;
}

int64_t wrt_memory_grow(wrt_memory *m, uint64_t delta_pages) {
  uint64_t old = memory_grow(m, delta_pages);
  return old == UINT64_MAX ? -1 : (int64_t)old;
}

bool wrt_instance_memory_init(wrt_instance *inst, uint32_t mem_idx, uint32_t data_idx,
                              uint64_t dst, uint32_t src, uint32_t n) {
  const wrt_data_desc *seg = &inst->desc->datas[data_idx];
  wrt_memory *m = inst->memories[mem_idx];
  uint32_t seg_len = inst->data_dropped[data_idx] ? 0 : seg->len;
  /* spec: memory.init checks both ranges before writing anything. */
  if (!wrt_in_bounds(src, n, seg_len) || !wrt_in_bounds(dst, n, m->def.length))
    return false;
  if (n)
    memcpy(m->def.base + dst, seg->bytes + src, n);
  return true;
}

/* ------------------------------------------------------------ libcalls */

uint64_t wrt_rt_memory_grow(void *vmctx, uint32_t mem_idx, uint64_t delta_pages) {
  return memory_grow(wrt_vmctx_instance(vmctx)->memories[mem_idx], delta_pages);
}

void wrt_rt_memory_fill(void *vmctx, uint32_t mem_idx, uint64_t dst, uint32_t val, uint64_t n) {
  wrt_memory *m = wrt_vmctx_instance(vmctx)->memories[mem_idx];
  if (!wrt_in_bounds(dst, n, m->def.length))
    wrt_libcall_trap(vmctx, WRT_TRAP_OOB, __builtin_return_address(0));
  memset(m->def.base + dst, (int)(uint8_t)val, (size_t)n);
}

/* spec: memory.copy behaves as if through a temporary buffer: memmove. */
void wrt_rt_memory_copy(void *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                        uint64_t src, uint64_t n) {
  wrt_instance *inst = wrt_vmctx_instance(vmctx);
  wrt_memory *d = inst->memories[dst_mem], *s = inst->memories[src_mem];
  if (!wrt_in_bounds(src, n, s->def.length) || !wrt_in_bounds(dst, n, d->def.length))
    wrt_libcall_trap(vmctx, WRT_TRAP_OOB, __builtin_return_address(0));
  memmove(d->def.base + dst, s->def.base + src, (size_t)n);
}

void wrt_rt_memory_init(void *vmctx, uint32_t mem_idx, uint32_t data_idx, uint64_t dst,
                        uint32_t src, uint32_t n) {
  if (!wrt_instance_memory_init(wrt_vmctx_instance(vmctx), mem_idx, data_idx, dst, src, n))
    wrt_libcall_trap(vmctx, WRT_TRAP_OOB, __builtin_return_address(0));
}

void wrt_rt_data_drop(void *vmctx, uint32_t data_idx) {
  wrt_vmctx_instance(vmctx)->data_dropped[data_idx] = 1;
}
