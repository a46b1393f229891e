/*
** module_info.c: what an engine works out once per module and keeps
** (wrt_module_info): whether its segment initialisation is static, which of
** its tables a pooled slot may keep between instances, and its copy-on-write
** memory images.
**
** Static initialisation: every active data segment at a constant offset
** inside a memory the module defines, every active element segment at a
** constant offset inside a table it defines; then no segment can trap and
** the initial contents of its memories depend on the module alone.
**
** Memory images: for such a module the engine writes each defined memory's
** initial contents once into a sealed memfd, and memory.c maps it privately
** over the start of each new memory of that module instead of copying the
** segments: pages are shared until written, and a pooled slot reused for the
** same module keeps the mapping, so that madvise(MADV_DONTNEED) on free
** brings back the image rather than zeros. Anything else (a dynamic offset,
** an imported memory or table, no memfd on this kernel, images turned off)
** copies the segments as before.
**
** Kept tables: when, in addition, every item of the active segments of a
** defined table is ref.null or ref.func of a function the module defines,
** the table's initial elements depend only on the module and on where the
** instance's vmctx lies. A pooled table slot that nobody wrote
** (wrt_table_def.written) then keeps them for the next instance of the same
** module in the same instance slot (table.c, instance.c).
**
** The engine owns the records (created on first instantiation, under its
** lock) and closes the images when it is freed; mappings hold their own
** reference to the file.
*/
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

/* The constant value of an offset expression; false if it reads a global. */
static bool static_offset(const wrt_expr *e, bool is64, uint64_t *out) {
  wrt_raw v;
  if (!wrt_expr_eval(NULL, e, &v))
    return false;
  *out = is64 ? (uint64_t)v.i64 : (uint32_t)v.i32;
  return true;
}

/* Whether instantiating d runs no segment that could trap or whose target
** depends on imports (see the top of the file). */
static bool segments_static(const wrt_module_desc *d) {
  for (uint32_t i = 0; i < d->n_elems; i++) {
    const wrt_elem_desc *e = &d->elems[i];
    uint64_t off;
    if (e->mode != WRT_SEG_ACTIVE)
      continue;
    if (e->table_idx < d->n_table_imports ||
        !static_offset(&e->offset, d->tables[e->table_idx].lim.is64 != 0, &off) ||
        !wrt_in_bounds(off, e->n_items, d->tables[e->table_idx].lim.min))
      return false;
  }
  for (uint32_t i = 0; i < d->n_datas; i++) {
    const wrt_data_desc *s = &d->datas[i];
    const wrt_limits_desc *lim = &d->memories[s->mem_idx];
    uint64_t off;
    if (s->mode != WRT_SEG_ACTIVE)
      continue;
    if (s->mem_idx < d->n_memory_imports || !static_offset(&s->offset, lim->is64 != 0, &off) ||
        lim->min > UINT64_MAX / WRT_PAGE_SIZE ||
        !wrt_in_bounds(off, s->len, lim->min * WRT_PAGE_SIZE))
      return false;
  }
  return true;
}

/* Writes all of buf at off; false on any error. */
static bool write_all(int fd, const uint8_t *buf, size_t n, uint64_t off) {
  while (n) {
    ssize_t w = pwrite(fd, buf, n, (off_t)off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    buf += w, n -= (size_t)w, off += (uint64_t)w;
  }
  return true;
}

/* Builds the sealed image of memory `mem` of d into img; false (img->fd
** stays -1) when there is no data for it or the host cannot. */
static bool image_build(const wrt_module_desc *d, uint32_t mem, wrt_image *img) {
  uint64_t end = 0;
  for (uint32_t i = 0; i < d->n_datas; i++) {
    const wrt_data_desc *s = &d->datas[i];
    uint64_t off;
    if (s->mode == WRT_SEG_ACTIVE && s->mem_idx == mem && s->len &&
        static_offset(&s->offset, d->memories[mem].is64 != 0, &off) && off + s->len > end)
      end = off + s->len;
  }
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  if (end == 0 || end > SIZE_MAX - page)
    return false;
  size_t len = (size_t)(end + page - 1) / page * page;
#ifdef MFD_ALLOW_SEALING
  int fd = memfd_create("wrt-memory-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
#else
  int fd = -1;
#endif
  if (fd < 0)
    return false;
  bool ok = ftruncate(fd, (off_t)len) == 0;
  for (uint32_t i = 0; ok && i < d->n_datas; i++) {
    const wrt_data_desc *s = &d->datas[i];
    uint64_t off;
    if (s->mode == WRT_SEG_ACTIVE && s->mem_idx == mem && s->len)
      ok = static_offset(&s->offset, d->memories[mem].is64 != 0, &off) &&
           write_all(fd, s->bytes, s->len, off);
  }
#ifdef F_SEAL_WRITE
  ok = ok && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
#endif
  if (!ok) {
    close(fd);
    return false;
  }
  img->fd = fd;
  img->len = len;
  return true;
}

/* Whether item expression e is ref.null or ref.func of a defined function. */
static bool item_static(const wrt_module_desc *d, const wrt_expr *e) {
  uint32_t idx;
  if (e->bytes && e->len && e->bytes[0] == 0xd0) /* ref.null t */
    return true;
  return wrt_expr_ref_func(e, &idx) && idx >= d->n_func_imports && idx < d->n_funcs;
}

/* Whether defined table t's initial elements can be kept (see the top). */
static bool table_keepable(const wrt_module_desc *d, uint32_t t) {
  for (uint32_t i = 0; i < d->n_elems; i++) {
    const wrt_elem_desc *e = &d->elems[i];
    if (e->mode != WRT_SEG_ACTIVE || e->table_idx != t)
      continue;
    for (uint32_t j = 0; j < e->n_items; j++)
      if (!item_static(d, &e->items[j]))
        return false;
  }
  return true;
}

/* The module's types interned once for every instance (instance.c copies
** them into each vmctx); NULL when out of memory (instances intern then). */
static uintptr_t *intern_all(wrt_engine *e, const wrt_module_desc *d) {
  uintptr_t *ids = wrt_calloc(d->n_types, sizeof *ids);
  for (uint32_t i = 0; ids && i < d->n_types; i++) {
    const wrt_type_desc *t = &d->types[i];
    const uint8_t *results = t->types ? t->types + t->n_params : NULL;
    if (!(ids[i] = wrt_engine_intern(e, t->n_params, t->types, t->n_results, results))) {
      wrt_free(ids, d->n_types * sizeof *ids);
      return NULL;
    }
  }
  return ids;
}

static void info_free(wrt_module_info *mi) {
  const wrt_module_desc *d = mi->desc;
  wrt_free(mi->type_ids, d->n_types * sizeof *mi->type_ids);
  for (uint32_t i = 0; mi->images && i < d->n_memories; i++)
    if (mi->images[i].fd >= 0)
      close(mi->images[i].fd);
  wrt_free(mi->images, d->n_memories * sizeof *mi->images);
  wrt_free(mi->keep_table, d->n_tables);
  wrt_free(mi, sizeof *mi);
}

static wrt_module_info *info_new(wrt_engine *e, const wrt_module_desc *d) {
  wrt_module_info *mi = wrt_calloc(1, sizeof *mi);
  if (!mi)
    return NULL;
  mi->desc = d;
  mi->images = wrt_calloc(d->n_memories, sizeof *mi->images);
  mi->keep_table = wrt_calloc(d->n_tables, 1);
  if (!mi->images || !mi->keep_table) {
    info_free(mi);
    return NULL;
  }
  mi->segments_static = segments_static(d);
  for (uint32_t i = 0; i < d->n_memories; i++) {
    wrt_image *img = &mi->images[i];
    img->desc = d;
    img->mem_idx = i;
    img->fd = -1;
    if (mi->segments_static && e->images_on && i >= d->n_memory_imports)
      image_build(d, i, img);
  }
  for (uint32_t i = d->n_table_imports; i < d->n_tables; i++)
    mi->keep_table[i] = mi->segments_static && table_keepable(d, i);
  mi->type_ids = intern_all(e, d);
  return mi;
}

/* Called with the engine's lock held. */
static wrt_module_info *info_find(const wrt_engine *e, const wrt_module_desc *d) {
  for (size_t i = 0; i < e->infos.n; i++)
    if (((wrt_module_info *)e->infos.v[i])->desc == d)
      return e->infos.v[i];
  return NULL;
}

/* The record is made outside the lock (interning takes it); two threads may
** both make one, and the second to finish keeps the first's. */
const wrt_module_info *wrt_engine_module_info(wrt_engine *e, const wrt_module_desc *d) {
  pthread_mutex_lock(&e->lock);
  wrt_module_info *found = info_find(e, d);
  pthread_mutex_unlock(&e->lock);
  if (found)
    return found;
  wrt_module_info *made = info_new(e, d);
  if (!made)
    return NULL;
  pthread_mutex_lock(&e->lock);
  if (!(found = info_find(e, d)) && wrt_ptrvec_push(&e->infos, made))
    found = made, made = NULL;
  pthread_mutex_unlock(&e->lock);
  if (made)
    info_free(made);
  return found;
}

const wrt_image *wrt_module_image(const wrt_module_info *mi, uint32_t mem) {
  return mi && mi->images[mem].fd >= 0 ? &mi->images[mem] : NULL;
}

void wrt_engine_infos_free(wrt_engine *e) {
  for (size_t i = 0; i < e->infos.n; i++)
    info_free(e->infos.v[i]);
  wrt_ptrvec_fini(&e->infos);
}

/* MADV_RANDOM turns off fault-around for the mapping: a read of one page
** then maps that page alone, not the 16 around it, which the next
** MADV_DONTNEED would have to unmap again (a tenant touches little). */
bool wrt_image_map(const wrt_image *img, uint8_t *at) {
  if (mmap(at, img->len, PROT_NONE, MAP_FIXED | MAP_PRIVATE, img->fd, 0) == MAP_FAILED)
    return false;
  madvise(at, img->len, MADV_RANDOM); /* a hint: failure changes nothing but speed */
  return true;
}
