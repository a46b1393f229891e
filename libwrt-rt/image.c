/*
** image.c: copy-on-write memory images. When a module's segment
** initialisation is static (every active data segment at a constant offset
** inside a memory the module defines, every active element segment at a
** constant offset inside a table it defines, so that no segment can trap),
** the contents a defined memory has after instantiation depend on the module
** alone. The engine then writes them once into a sealed memfd (the image),
** and memory.c maps it privately over the start of each new memory of that
** module instead of copying the segments: pages are shared until written,
** and a pooled slot reused for the same module keeps the mapping, so that
** madvise(MADV_DONTNEED) on free brings back the image rather than zeros.
** Anything else (a dynamic offset, an imported memory or table, no memfd on
** this kernel, images turned off) copies the segments as before.
**
** The engine owns the images (created on first instantiation, under its
** lock, negative results remembered too) and closes them when it is freed;
** mappings hold their own reference to the file.
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

/* Called with the engine's lock held. */
static const wrt_image *image_find(const wrt_engine *e, const wrt_module_desc *d, uint32_t mem) {
  for (size_t i = 0; i < e->images.n; i++) {
    const wrt_image *img = e->images.v[i];
    if (img->desc == d && img->mem_idx == mem)
      return img;
  }
  return NULL;
}

const wrt_image *wrt_engine_image(wrt_engine *e, const wrt_module_desc *d, uint32_t mem) {
  if (!e->images_on || mem < d->n_memory_imports)
    return NULL;
  pthread_mutex_lock(&e->lock);
  const wrt_image *found = image_find(e, d, mem);
  if (!found) {
    wrt_image *img = wrt_calloc(1, sizeof *img);
    if (img) {
      img->desc = d;
      img->mem_idx = mem;
      img->fd = -1;
      if (segments_static(d))
        image_build(d, mem, img);
      if (wrt_ptrvec_push(&e->images, img))
        found = img;
      else {
        if (img->fd >= 0)
          close(img->fd);
        wrt_free(img, sizeof *img);
      }
    }
  }
  pthread_mutex_unlock(&e->lock);
  return found && found->fd >= 0 ? found : NULL;
}

void wrt_engine_images_free(wrt_engine *e) {
  for (size_t i = 0; i < e->images.n; i++) {
    wrt_image *img = e->images.v[i];
    if (img->fd >= 0)
      close(img->fd);
    wrt_free(img, sizeof *img);
  }
  wrt_ptrvec_fini(&e->images);
}

bool wrt_image_map(const wrt_image *img, uint8_t *at) {
  return mmap(at, img->len, PROT_NONE, MAP_FIXED | MAP_PRIVATE, img->fd, 0) != MAP_FAILED;
}
