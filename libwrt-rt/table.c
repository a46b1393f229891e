/*
** table.c: tables of references (funcref records or externref objects) over
** storage from an allocator: creation, growth (one path for every strategy:
** growable storage is realloc'd, fixed storage only fills up; compiled code
** reloads elems and size on every access), the host accessors and the table
** libcalls. Element segments are evaluated in instance.c; this file only
** copies their items. Reference counting of externrefs is not done yet.
*/
#include <string.h>

#include "rt_internal.h"

static uint32_t table_limit(const wrt_table *t) {
  return t->has_max && t->max < WRT_TABLE_MAX_ELEMS ? t->max : WRT_TABLE_MAX_ELEMS;
}

/* Makes room for n elements (n <= table_limit). Growable storage
** over-allocates geometrically so that repeated table.grow by 1 stays linear
** overall; fixed storage has what it has. Storage past the size is always
** null (fresh, or zeroed when a pool slot was freed). */
static bool table_reserve(wrt_table *t, uint32_t n) {
  if (n <= t->cap && t->def.elems)
    return true;
  if (t->fixed)
    return false;
  uint64_t cap = (uint64_t)t->cap * 2;
  if (cap < n)
    cap = n;
  if (cap > table_limit(t))
    cap = table_limit(t);
  if (cap == 0)
    cap = 1;
  void **elems = wrt_alloc_hook(t->def.elems, t->cap * sizeof(void *), (size_t)cap * sizeof(void *));
  if (!elems)
    return false;
  memset(elems + t->cap, 0, (size_t)(cap - t->cap) * sizeof(void *)); /* storage reads as null */
  t->def.elems = elems;
  t->cap = (uint32_t)cap;
  return true;
}

wrt_table *wrt_table_create(wrt_store *s, wrt_allocator *a, uint8_t elem_type, uint32_t min,
                            uint32_t max, bool has_max, void *init, const wrt_table_key *key,
                            wrt_diag *diag) {
  if (min > WRT_TABLE_MAX_ELEMS || (has_max && max < min)) {
    wrt_diag_set(diag, WRT_ENOMEM, "table of %u elements exceeds this host's limit", min);
    return NULL;
  }
  wrt_table *t = a->ops->table_alloc(a, min, key, diag);
  if (!t)
    return NULL;
  t->elem_type = elem_type;
  t->max = max;
  t->has_max = has_max;
  if (!table_reserve(t, min) || !wrt_ptrvec_push(&s->tables, t)) {
    wrt_diag_set(diag, WRT_ENOMEM, "cannot allocate a table of %u elements", min);
    wrt_table_destroy(t);
    return NULL;
  }
  t->def.size = min;
  /* Also without a key: pooled storage may still hold another's elements. */
  if (!wrt_table_reuse(t, key))
    for (uint32_t i = 0; init && i < min; i++) /* cleared storage is all null */
      t->def.elems[i] = init;
  return t;
}

void wrt_table_destroy(wrt_table *t) {
  if (t)
    t->alloc->ops->table_free(t->alloc, t);
}

bool wrt_table_holds(const wrt_table *t, const wrt_table_key *key) {
  const wrt_table_key *k = &t->kept;
  return k->desc && k->desc == key->desc && k->block == key->block && k->idx == key->idx;
}

bool wrt_table_reuse(wrt_table *t, const wrt_table_key *key) {
  if (key && wrt_table_holds(t, key) && ALWAYS(t->kept_size == t->def.size))
    return true;
  if (t->kept_size) /* another module's initial elements: not for this one */
    memset(t->def.elems, 0, (size_t)t->kept_size * sizeof(void *));
  memset(&t->kept, 0, sizeof t->kept);
  t->kept_size = 0;
  return false;
}

void wrt_table_keep(wrt_table *t, const wrt_table_key *key) {
  t->kept = *key;
  t->kept_size = t->def.size;
  t->def.written = 0;
}

/* spec: table.grow: the old size, or -1 (UINT32_MAX) on failure. */
uint32_t wrt_table_grow_by(wrt_table *t, uint32_t delta, void *init) {
  uint32_t old = t->def.size, limit = table_limit(t);
  if (delta > limit - old || !table_reserve(t, old + delta))
    return UINT32_MAX;
  t->def.written |= delta != 0;
  for (uint32_t i = old; i < old + delta; i++)
    t->def.elems[i] = init;
  t->def.size = old + delta;
  return old;
}

bool wrt_instance_table_init(wrt_instance *inst, uint32_t table_idx, uint32_t elem_idx,
                             uint32_t dst, uint32_t src, uint32_t n) {
  const wrt_elem_inst *seg = &inst->elems[elem_idx];
  wrt_table *t = inst->tables[table_idx];
  /* spec: table.init checks both ranges before writing anything; a dropped
  ** segment has no items. */
  if (!wrt_in_bounds(src, n, seg->n) || !wrt_in_bounds(dst, n, t->def.size))
    return false;
  if (n)
    memcpy(t->def.elems + dst, seg->items + src, (size_t)n * sizeof(void *));
  t->def.written |= n != 0;
  return true;
}

/* ------------------------------------------------------------ host API */

wrt_table *wrt_table_new(wrt_store *s, uint8_t elem_type, uint32_t min, uint32_t max, bool has_max,
                         void *init) {
  if (!s || (elem_type != WRT_FUNCREF && elem_type != WRT_EXTERNREF))
    return NULL;
  return wrt_table_create(s, wrt_on_demand_allocator(), elem_type, min, max, has_max, init, NULL,
                          NULL);
}

uint32_t wrt_table_size(const wrt_table *t) {
  return t->def.size;
}

wrt_err wrt_table_get(const wrt_table *t, uint32_t idx, wrt_val *out) {
  if (idx >= t->def.size)
    return WRT_EINVAL;
  wrt_raw r;
  memset(&r, 0, sizeof r);
  r.ref = t->def.elems[idx];
  *out = wrt_raw_to_val(&r, t->elem_type);
  return WRT_OK;
}

wrt_err wrt_table_set(wrt_table *t, uint32_t idx, wrt_val v) {
  if (idx >= t->def.size || v.kind != t->elem_type)
    return WRT_EINVAL;
  t->def.elems[idx] = wrt_val_to_raw(&v).ref;
  t->def.written = 1;
  return WRT_OK;
}

/* ------------------------------------------------------------ libcalls */

static wrt_table *vm_table(void *vmctx, uint32_t idx) {
  return wrt_vmctx_instance(vmctx)->tables[idx];
}

uint32_t wrt_rt_table_grow(void *vmctx, uint32_t table_idx, void *init, uint32_t delta) {
  return wrt_table_grow_by(vm_table(vmctx, table_idx), delta, init);
}

void wrt_rt_table_fill(void *vmctx, uint32_t table_idx, uint32_t dst, void *val, uint32_t n) {
  wrt_table *t = vm_table(vmctx, table_idx);
  if (!wrt_in_bounds(dst, n, t->def.size))
    wrt_libcall_trap(vmctx, WRT_TRAP_TABLE_OOB, __builtin_return_address(0));
  for (uint32_t i = 0; i < n; i++)
    t->def.elems[dst + i] = val;
  t->def.written |= n != 0;
}

/* spec: table.copy may overlap (same table): one memmove over the slice. */
void wrt_rt_table_copy(void *vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                       uint32_t src, uint32_t n) {
  wrt_table *d = vm_table(vmctx, dst_table), *s = vm_table(vmctx, src_table);
  if (!wrt_in_bounds(src, n, s->def.size) || !wrt_in_bounds(dst, n, d->def.size))
    wrt_libcall_trap(vmctx, WRT_TRAP_TABLE_OOB, __builtin_return_address(0));
  if (n)
    memmove(d->def.elems + dst, s->def.elems + src, (size_t)n * sizeof(void *));
  d->def.written |= n != 0;
}

void wrt_rt_table_init(void *vmctx, uint32_t table_idx, uint32_t elem_idx, uint32_t dst,
                       uint32_t src, uint32_t n) {
  if (!wrt_instance_table_init(wrt_vmctx_instance(vmctx), table_idx, elem_idx, dst, src, n))
    wrt_libcall_trap(vmctx, WRT_TRAP_TABLE_OOB, __builtin_return_address(0));
}

/* The items live in the instance's block: dropping only forgets them. */
void wrt_rt_elem_drop(void *vmctx, uint32_t elem_idx) {
  wrt_elem_inst *seg = &wrt_vmctx_instance(vmctx)->elems[elem_idx];
  seg->items = NULL;
  seg->n = 0;
}

void wrt_rt_table_set(void *vmctx, uint32_t table_idx, uint32_t idx, void *val) {
  wrt_table *t = vm_table(vmctx, table_idx);
  if (idx >= t->def.size)
    wrt_libcall_trap(vmctx, WRT_TRAP_TABLE_OOB, __builtin_return_address(0));
  t->def.elems[idx] = val;
  t->def.written = 1;
}
