/*
** memory.c: linear memories over storage from an allocator (alloc.c,
** alloc_pool.c): making pages accessible on creation and grow (one path for
** every strategy), the host accessors, and the memory libcalls (grow, fill,
** copy, init, data.drop). It does not decide which memories an instance gets
** (instance.c), where their address space comes from (the allocators), nor
** turn guard-page faults into traps (signal.c, which finds the reservations
** through the store's memory list).
*/
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"

/* spec: 32-bit memories address at most 2^16 pages (4 GiB). */
#define MAX_PAGES_32 (UINT64_C(1) << 16)

/* How many pages a memory may ever reach on this host. On 32-bit hosts the
** byte length must fit in size_t with room to spare: 2 GiB, if the address
** space allows (grow fails otherwise, as the spec permits). */
uint64_t wrt_memory_host_page_cap(bool is64) {
#if !WRT_MEMORY_MOVES
  return is64 ? WRT_GUARD_RESERVATION / WRT_PAGE_SIZE : MAX_PAGES_32;
#else
  (void)is64;
  return (UINT64_C(1) << 31) / WRT_PAGE_SIZE;
#endif
}

/* Makes the first `bytes` of the memory's storage accessible and everything
** after them inaccessible (guard-mode code relies on that). Storage that
** moves only ever grows: the mapping is remapped to the new size, moving
** when the address space after it is taken, and the new bytes read as zero.
** False when the host cannot. */
static bool set_accessible(wrt_memory *m, size_t bytes) {
  if (m->moves) {
    size_t want = bytes ? bytes : (size_t)WRT_PAGE_SIZE; /* even an empty memory has a base */
    if (want <= m->reserve_size)
      return true;
    void *p = mremap(m->reserve, m->reserve_size, want, MREMAP_MAYMOVE);
    if (p == MAP_FAILED)
      return false;
    m->reserve = p;
    m->reserve_size = m->accessible = want;
    m->def.base = p;
    return true;
  }
  if (bytes > m->accessible &&
      mprotect(m->reserve + m->accessible, bytes - m->accessible, PROT_READ | PROT_WRITE) != 0)
    return false;
  if (bytes < m->accessible && mprotect(m->reserve + bytes, m->accessible - bytes, PROT_NONE) != 0)
    return false;
  m->accessible = bytes;
  return true;
}

/* Pages freshly accessible read as zero: the allocators hand out storage
** whose bytes are all zero (new mappings, or pool slots zeroed when freed),
** and committed pages are never decommitted while the memory lives. */
wrt_memory *wrt_memory_create(wrt_store *s, wrt_allocator *a, uint64_t min, uint64_t max,
                              bool has_max, bool is64, const wrt_image *img, wrt_diag *diag) {
  uint64_t cap = wrt_memory_host_page_cap(is64);
  uint64_t limit = has_max && max < cap ? max : cap;
  if (min > limit || (has_max && max < min)) {
    wrt_diag_set(diag, WRT_ENOMEM, "memory of %llu pages exceeds this host's limit",
                 (unsigned long long)min);
    return NULL;
  }
  wrt_memory *m = a->ops->memory_alloc(a, min, limit, img, diag);
  if (!m)
    return NULL;
  m->def.base = m->reserve;
  m->max = max;
  m->has_max = has_max;
  m->is64 = is64;
  /* The image first (also without one: pooled storage may still hold
  ** another's), then the minimum size opened over it: fresh storage costs
  ** one mapping and one mprotect. */
  if (!wrt_memory_use_image(m, img)) {
    wrt_diag_set(diag, WRT_ENOMEM, "cannot map the memory's image");
    wrt_memory_destroy(m);
    return NULL;
  }
  if (!set_accessible(m, (size_t)(min * WRT_PAGE_SIZE)) || !wrt_ptrvec_push(&s->memories, m)) {
    wrt_diag_set(diag, WRT_ENOMEM, "cannot commit %llu pages of memory", (unsigned long long)min);
    wrt_memory_destroy(m);
    return NULL;
  }
  m->pages = min;
  m->def.length = min * WRT_PAGE_SIZE;
  return m;
}

/* Replaces what is mapped over the start of the storage: first fresh
** anonymous PROT_NONE pages over the old image and everything accessible
** (all zero again), then the new image (PROT_NONE too; the caller re-opens
** the memory's size). m->image and m->accessible always describe what is
** mapped, also after a failure. */
static bool replace_image(wrt_memory *m, const wrt_image *img) {
  size_t span = m->image && m->image->len > m->accessible ? m->image->len : m->accessible;
  const int anon = MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (span && mmap(m->reserve, span, PROT_NONE, anon, -1, 0) == MAP_FAILED)
    return false;
  m->accessible = 0;
  m->image = NULL;
  if (!img)
    return true;
  if (!wrt_image_map(img, m->reserve)) {
    /* A failed MAP_FIXED may have unmapped the range: reserve it again. */
    mmap(m->reserve, img->len, PROT_NONE, anon, -1, 0);
    return false;
  }
  m->image = img;
  return true;
}

bool wrt_memory_use_image(wrt_memory *m, const wrt_image *img) {
  if (m->image == img || m->moves) /* same module in a reused pool slot; or never images */
    return true;
  if (img && NEVER(img->len > m->reserve_size))
    img = NULL; /* images lie within the minimum size: cannot happen */
  size_t bytes = m->accessible;
  return replace_image(m, img) && set_accessible(m, bytes);
}

void wrt_memory_destroy(wrt_memory *m) {
  if (m)
    m->alloc->ops->memory_free(m->alloc, m);
}

/* spec: memory.grow: the old size in pages, or -1 (here UINT64_MAX) when the
** maximum (declared or this host's) would be exceeded or commit fails. */
static uint64_t memory_grow(wrt_memory *m, uint64_t delta) {
  uint64_t old = m->pages;
  if (delta > m->limit - old)
    return UINT64_MAX;
  if (delta == 0)
    return old;
  if (!set_accessible(m, (size_t)((old + delta) * WRT_PAGE_SIZE)))
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
  return wrt_memory_create(s, wrt_on_demand_allocator(), min_pages, max_pages, has_max, false,
                           NULL, NULL);
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
