/*
** instance.c: wrt_instantiate (descriptor checks, vmctx allocation and
** filling, defined memories/tables/globals, segment initialisation, the start
** function) and export lookup. Import lookup and type matching are in link.c,
** constant expressions in expr.c, the objects themselves in their own files.
*/
#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

/* Pointer-sized slot array at byte offset `off` of the vmctx. */
static void **vm_slots(const wrt_instance *inst, uint32_t off) {
  return (void **)(void *)(inst->vmctx + off);
}

static uintptr_t *vm_type_ids(const wrt_instance *inst) {
  return (uintptr_t *)(void *)(inst->vmctx + inst->layout.type_ids);
}

wrt_funcref *wrt_instance_func(const wrt_instance *inst, uint32_t func_idx) {
  const wrt_module_desc *d = inst->desc;
  if (func_idx < d->n_func_imports)
    return vm_slots(inst, inst->layout.func_imports)[func_idx];
  return (wrt_funcref *)(void *)(inst->vmctx + inst->layout.funcrefs) +
         (func_idx - d->n_func_imports);
}

/* ------------------------------------------------------------ descriptor checks */

/* Each kind's imports must be exactly that kind's first n_*_imports indices,
** each listed once; the vmctx slots are filled from this list alone. */
static bool imports_consistent(const wrt_module_desc *d) {
  uint32_t seen[4] = {0, 0, 0, 0};
  const uint32_t limit[4] = {d->n_func_imports, d->n_table_imports, d->n_memory_imports,
                             d->n_global_imports};
  for (uint32_t i = 0; i < d->n_imports; i++) {
    const wrt_import_desc *imp = &d->imports[i];
    if (imp->kind > WRT_EXTERN_GLOBAL || imp->index >= limit[imp->kind])
      return false;
    seen[imp->kind]++;
  }
  return !memcmp(seen, limit, sizeof seen);
}

static wrt_err check_desc(const wrt_module_desc *d, wrt_diag *diag) {
  if (d->abi_version != WRT_ABI_VERSION)
    return wrt_diag_set(diag, WRT_EABI, "module compiled for runtime ABI %u, this runtime has %u",
                        d->abi_version, WRT_ABI_VERSION);
  if (d->ptr_size != sizeof(void *))
    return wrt_diag_set(diag, WRT_EABI, "module compiled for %u-byte pointers, host has %u",
                        d->ptr_size, (unsigned)sizeof(void *));
#if UINTPTR_MAX <= UINT32_MAX
  if (d->bounds_checks == WRT_BOUNDS_GUARD)
    return wrt_diag_set(diag, WRT_EABI, "guard-page bounds checks need a 64-bit host");
#endif
  if (d->bounds_checks > WRT_BOUNDS_EXPLICIT)
    return wrt_diag_set(diag, WRT_EABI, "unknown bounds-check mode %u", d->bounds_checks);
  const wrt_vmctx_counts *c = &d->counts;
  if (c->n_memories != d->n_memories || c->n_tables != d->n_tables ||
      c->n_global_imports != d->n_global_imports || c->n_func_imports != d->n_func_imports ||
      c->n_types != d->n_types || c->n_globals_def != d->n_globals - d->n_global_imports ||
      c->n_funcs_def != d->n_funcs - d->n_func_imports || d->n_global_imports > d->n_globals ||
      d->n_func_imports > d->n_funcs ||
      d->vmctx_size != wrt_vmctx_layout_for(c, (uint32_t)sizeof(void *)).size ||
      !imports_consistent(d))
    return wrt_diag_set(diag, WRT_EABI, "inconsistent module descriptor (counts or vmctx size)");
  return WRT_OK;
}

/* ------------------------------------------------------------ allocation */

/* Where each part of an instance's block lies: byte offsets from the block's
** start, which is the wrt_instance record. */
typedef struct block_layout {
  size_t memories, tables, globals, def_globals, elems, items, names, data_dropped, name_bytes;
  size_t vmctx, size;
} block_layout;

/* Reserves n bytes aligned to `align` at *at; returns their offset. */
static size_t take(size_t *at, size_t n, size_t align) {
  size_t off = (*at + align - 1) / align * align;
  *at = off + n;
  return off;
}

/* Passive segments keep their items for table.init; active and declarative
** ones are dropped by instantiation, so their items are never stored. */
static size_t stored_items(const wrt_module_desc *d) {
  size_t n = 0;
  for (uint32_t i = 0; i < d->n_elems; i++)
    if (d->elems[i].mode == WRT_SEG_PASSIVE)
      n += d->elems[i].n_items;
  return n;
}

static block_layout block_layout_of(const wrt_module_desc *d) {
  block_layout b;
  size_t at = sizeof(wrt_instance), names = 0, ptr = sizeof(void *);
  for (uint32_t i = 0; i < d->n_exports; i++)
    names += d->exports[i].name.len + 1u;
  b.memories = take(&at, d->n_memories * ptr, ptr);
  b.tables = take(&at, d->n_tables * ptr, ptr);
  b.globals = take(&at, d->n_globals * ptr, ptr);
  b.def_globals = take(&at, (d->n_globals - d->n_global_imports) * sizeof(wrt_global), 16);
  b.elems = take(&at, d->n_elems * sizeof(wrt_elem_inst), ptr);
  b.items = take(&at, stored_items(d) * ptr, ptr);
  b.names = take(&at, d->n_exports * ptr, ptr);
  b.data_dropped = take(&at, d->n_datas, 1);
  b.name_bytes = take(&at, names, 1);
  b.vmctx = take(&at, d->vmctx_size, 16);
  b.size = at;
  return b;
}

size_t wrt_instance_block_size(const wrt_module_desc *d) {
  return block_layout_of(d).size;
}

void wrt_instance_destroy(wrt_instance *inst) {
  inst->alloc->ops->instance_free(inst->alloc, inst, inst->block_size);
}

/* Points the instance's arrays into its block and copies the export names
** there (NUL-terminated, for wrt_instance_export_at). */
static void block_carve(wrt_instance *inst, const block_layout *b) {
  const wrt_module_desc *d = inst->desc;
  uint8_t *base = (uint8_t *)inst;
  inst->memories = (wrt_memory **)(void *)(base + b->memories);
  inst->tables = (wrt_table **)(void *)(base + b->tables);
  inst->globals = (wrt_global **)(void *)(base + b->globals);
  inst->def_globals = (wrt_global *)(void *)(base + b->def_globals);
  inst->elems = (wrt_elem_inst *)(void *)(base + b->elems);
  inst->export_names = (const char **)(void *)(base + b->names);
  inst->data_dropped = base + b->data_dropped;
  inst->vmctx = base + b->vmctx;
  void **items = (void **)(void *)(base + b->items);
  for (uint32_t i = 0; i < d->n_elems; i++) {
    if (d->elems[i].mode != WRT_SEG_PASSIVE)
      continue;
    inst->elems[i].items = items;
    items += d->elems[i].n_items;
  }
  char *name = (char *)base + b->name_bytes;
  for (uint32_t i = 0; i < d->n_exports; i++) {
    size_t len = d->exports[i].name.len;
    if (len)
      memcpy(name, d->exports[i].name.ptr, len); /* the block is zeroed: terminated */
    inst->export_names[i] = name;
    name += len + 1;
  }
}

/* The instance in one zeroed block from the engine's allocator, its arrays
** and vmctx carved out of it, and the vmctx header. NULL with diag set. */
static wrt_instance *instance_alloc(wrt_store *s, const wrt_module_desc *d, wrt_diag *diag) {
  block_layout b = block_layout_of(d);
  wrt_allocator *a = s->engine->alloc;
  wrt_instance *inst = a->ops->instance_alloc(a, b.size, diag);
  if (!inst)
    return NULL;
  inst->store = s;
  inst->desc = d;
  inst->info = wrt_engine_module_info(s->engine, d);
  inst->alloc = a;
  inst->block_size = b.size;
  inst->layout = wrt_vmctx_layout_for(&d->counts, (uint32_t)sizeof(void *));
  block_carve(inst, &b);
  void **hdr = (void **)(void *)inst->vmctx;
  hdr[WRT_VMCTX_STACK_LIMIT] = &s->stack_limit;
  hdr[WRT_VMCTX_INSTANCE] = inst;
  hdr[WRT_VMCTX_EPOCH_DUE] = (void *)(uintptr_t)&s->epoch_due; /* code reads the u32 */
  return inst;
}

/* Interns every type of the module into the vmctx type_ids[]. */
static wrt_err intern_types(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  uintptr_t *ids = vm_type_ids(inst);
  if (inst->info && inst->info->type_ids) { /* interned once per engine */
    if (d->n_types)
      memcpy(ids, inst->info->type_ids, d->n_types * sizeof *ids);
    return WRT_OK;
  }
  for (uint32_t i = 0; i < d->n_types; i++) {
    const wrt_type_desc *t = &d->types[i];
    const uint8_t *results = t->types ? t->types + t->n_params : NULL; /* () -> () may be NULL */
    ids[i] = wrt_engine_intern(inst->store->engine, t->n_params, t->types, t->n_results, results);
    if (!ids[i])
      return wrt_diag_set(diag, WRT_ENOMEM, "out of memory interning types");
  }
  return WRT_OK;
}

/* Resolves every import and stores it in the instance and its vmctx. */
static wrt_err resolve_imports(wrt_instance *inst, const wrt_linker *l, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  const wrt_vmctx_layout *lay = &inst->layout;
  for (uint32_t i = 0; i < d->n_imports; i++) {
    wrt_extern e;
    wrt_err err = wrt_link_import(l, d, i, vm_type_ids(inst), &e, diag);
    if (err != WRT_OK)
      return err;
    uint32_t idx = d->imports[i].index;
    switch (e.kind) {
    case WRT_EXTERN_FUNC: vm_slots(inst, lay->func_imports)[idx] = e.of.func; break;
    case WRT_EXTERN_TABLE:
      inst->tables[idx] = e.of.table;
      vm_slots(inst, lay->tables)[idx] = &e.of.table->def;
      break;
    case WRT_EXTERN_MEMORY:
      inst->memories[idx] = e.of.memory;
      vm_slots(inst, lay->memories)[idx] = &e.of.memory->def;
      break;
    default:
      inst->globals[idx] = e.of.global;
      vm_slots(inst, lay->global_imports)[idx] = e.of.global->storage;
      break;
    }
  }
  return WRT_OK;
}

/* ------------------------------------------------------------ defined entities */

static void init_funcrefs(wrt_instance *inst) {
  const wrt_module_desc *d = inst->desc;
  const uintptr_t *ids = vm_type_ids(inst);
  for (uint32_t f = d->n_func_imports; f < d->n_funcs; f++) {
    wrt_funcref *rec = wrt_instance_func(inst, f);
    rec->code = d->funcs[f].code;
    rec->entry = d->funcs[f].entry;
    rec->type_id = ids[d->funcs[f].type_idx];
    rec->vmctx = inst->vmctx;
  }
}

/* What a pooled table slot remembers of the initial elements of table i. */
static wrt_table_key table_key(const wrt_instance *inst, uint32_t i) {
  wrt_table_key k = {inst->desc, inst, i};
  return k;
}

/* Whether table i is defined and already holds its initial elements, kept
** in its pooled slot from an earlier instance of the module in this slot. */
static bool has_kept_elems(const wrt_instance *inst, uint32_t i) {
  wrt_table_key key = table_key(inst, i);
  return i >= inst->desc->n_table_imports && wrt_table_holds(inst->tables[i], &key);
}

/* After the segments, before any code runs: the tables whose initial
** elements a pooled slot may keep are recorded as holding them, unwritten. */
static void keep_tables(wrt_instance *inst) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = d->n_table_imports; inst->info && i < d->n_tables; i++)
    if (inst->info->keep_table[i]) {
      wrt_table_key key = table_key(inst, i);
      wrt_table_keep(inst->tables[i], &key);
    }
}

static wrt_err create_memories_tables(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  wrt_store *s = inst->store;
  for (uint32_t i = d->n_memory_imports; i < d->n_memories; i++) {
    const wrt_limits_desc *lim = &d->memories[i];
    wrt_diag why;
    wrt_memory *m = wrt_memory_create(s, inst->alloc, lim->min, lim->max, lim->has_max,
                                      lim->is64 != 0, wrt_module_image(inst->info, i), &why);
    if (!m)
      return wrt_diag_set(diag, why.code, "cannot allocate memory %u (%llu pages): %s", i,
                          (unsigned long long)lim->min, why.msg);
    inst->memories[i] = m;
    vm_slots(inst, inst->layout.memories)[i] = &m->def;
  }
  for (uint32_t i = d->n_table_imports; i < d->n_tables; i++) {
    const wrt_table_desc *td = &d->tables[i];
    wrt_diag why = {WRT_ENOMEM, "too many elements"};
    wrt_table_key key = table_key(inst, i);
    wrt_table *t = NULL;
    if (td->lim.min <= UINT32_MAX)
      t = wrt_table_create(s, inst->alloc, td->elem_type, (uint32_t)td->lim.min,
                           td->lim.max > UINT32_MAX ? UINT32_MAX : (uint32_t)td->lim.max,
                           td->lim.has_max, NULL, &key, &why);
    if (!t)
      return wrt_diag_set(diag, why.code, "cannot allocate table %u (%llu elements): %s", i,
                          (unsigned long long)td->lim.min, why.msg);
    inst->tables[i] = t;
    vm_slots(inst, inst->layout.tables)[i] = &t->def;
  }
  return WRT_OK;
}

/* spec: globals are initialised in order; global.get sees imports (and, with
** extended-const, earlier globals), ref.func sees the records set above. */
static wrt_err init_globals(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  wrt_global_def *slots = (wrt_global_def *)(void *)(inst->vmctx + inst->layout.globals);
  for (uint32_t i = d->n_global_imports; i < d->n_globals; i++) {
    wrt_global *g = &inst->def_globals[i - d->n_global_imports];
    g->storage = &slots[i - d->n_global_imports];
    g->type = d->globals[i].type;
    g->mut = d->globals[i].mut != 0;
    if (!wrt_expr_eval(inst, &d->globals[i].init, g->storage))
      return wrt_diag_set(diag, WRT_EABI, "unsupported initialiser of global %u", i);
    inst->globals[i] = g;
  }
  return WRT_OK;
}

/* spec: element segments' items are evaluated at instantiation, for every
** mode. Constant expressions have no effects and read only immutable
** globals, so evaluating a segment's items later gives the same values:
** passive segments are evaluated here (table.init reads them later), active
** ones straight into their table by init_segments, and declarative ones,
** dropped at once, never. */
static wrt_err eval_passive_elems(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_elems; i++) {
    const wrt_elem_desc *e = &d->elems[i];
    if (e->mode != WRT_SEG_PASSIVE)
      continue;
    inst->elems[i].n = e->n_items;
    for (uint32_t j = 0; j < e->n_items; j++) {
      wrt_raw v;
      if (!wrt_expr_eval(inst, &e->items[j], &v))
        return wrt_diag_set(diag, WRT_EABI, "unsupported item %u of element segment %u", j, i);
      inst->elems[i].items[j] = v.ref;
    }
  }
  return WRT_OK;
}

/* ------------------------------------------------------------ segments and start */

/* An offset expression's value as an unsigned index (i64 for 64-bit
** memories and tables, i32 otherwise). */
static bool eval_offset(const wrt_instance *inst, const wrt_expr *e, bool is64, uint64_t *out) {
  wrt_raw v;
  if (!wrt_expr_eval(inst, e, &v))
    return false;
  *out = is64 ? (uint64_t)v.i64 : (uint32_t)v.i32;
  return true;
}

/* spec: table.init of an active segment at its offset, then elem.drop: both
** ranges checked before anything is written, the items evaluated into the
** table (see eval_passive_elems). */
static wrt_err init_active_elem(wrt_instance *inst, uint32_t i, wrt_diag *diag, wrt_trap *trap) {
  const wrt_elem_desc *e = &inst->desc->elems[i];
  wrt_table *t = inst->tables[e->table_idx];
  uint64_t off;
  if (!eval_offset(inst, &e->offset, inst->desc->tables[e->table_idx].lim.is64 != 0, &off))
    return wrt_diag_set(diag, WRT_EABI, "unsupported offset of element segment %u", i);
  if (!wrt_in_bounds(off, e->n_items, t->def.size)) {
    wrt_trap_set(trap, WRT_TRAP_TABLE_OOB);
    return wrt_diag_set(diag, WRT_ETRAP, "%s", wrt_trap_str(WRT_TRAP_TABLE_OOB));
  }
  for (uint32_t j = 0; j < e->n_items; j++) {
    wrt_raw v;
    if (!wrt_expr_eval(inst, &e->items[j], &v))
      return wrt_diag_set(diag, WRT_EABI, "unsupported item %u of element segment %u", j, i);
    t->def.elems[off + j] = v.ref;
  }
  return WRT_OK;
}

/* Whether defined memory mem of the instance was created with its module's
** image, which already holds every active segment's bytes for it. */
static bool has_image(const wrt_instance *inst, uint32_t mem) {
  const wrt_image *img = inst->memories[mem]->image;
  return mem >= inst->desc->n_memory_imports && img && img->desc == inst->desc &&
         img->mem_idx == mem;
}

/*
** spec: instantiation, steps for segments: active element segments in order,
** then active data segments in order, each dropped after use (declarative
** element segments too). The first out-of-bounds segment traps; the effects
** of the segments before it stay.
*/
static wrt_err init_segments(wrt_instance *inst, wrt_diag *diag, wrt_trap *trap) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_elems; i++) {
    const wrt_elem_desc *e = &d->elems[i];
    if (e->mode == WRT_SEG_PASSIVE)
      continue;
    if (e->mode == WRT_SEG_ACTIVE && !has_kept_elems(inst, e->table_idx)) {
      wrt_err err = init_active_elem(inst, i, diag, trap);
      if (err != WRT_OK)
        return err;
    }
    wrt_rt_elem_drop(inst->vmctx, i);
  }
  for (uint32_t i = 0; i < d->n_datas; i++) {
    const wrt_data_desc *s = &d->datas[i];
    if (s->mode != WRT_SEG_ACTIVE)
      continue;
    if (has_image(inst, s->mem_idx)) { /* mapped with the memory: nothing to copy or check */
      inst->data_dropped[i] = 1;
      continue;
    }
    uint64_t off;
    if (!eval_offset(inst, &s->offset, d->memories[s->mem_idx].is64 != 0, &off))
      return wrt_diag_set(diag, WRT_EABI, "unsupported offset of data segment %u", i);
    if (!wrt_instance_memory_init(inst, s->mem_idx, i, off, 0, s->len)) {
      wrt_trap_set(trap, WRT_TRAP_OOB);
      return wrt_diag_set(diag, WRT_ETRAP, "%s", wrt_trap_str(WRT_TRAP_OOB));
    }
    inst->data_dropped[i] = 1;
  }
  return WRT_OK;
}

static wrt_err run_start(wrt_instance *inst, wrt_diag *diag, wrt_trap *trap) {
  wrt_trap local;
  wrt_err err = wrt_call(inst->store, wrt_instance_func(inst, inst->desc->start_func), NULL, 0,
                         NULL, 0, trap ? trap : &local);
  if (err == WRT_ETRAP)
    return wrt_diag_set(diag, WRT_ETRAP, "%s", trap ? trap->msg : local.msg);
  if (err != WRT_OK)
    return wrt_diag_set(diag, err, "cannot call the start function");
  return WRT_OK;
}

/* ------------------------------------------------------------ instantiate */

wrt_err wrt_engine_admit(const wrt_engine *e, const wrt_module_desc *desc, wrt_diag *diag) {
  if (!e || !desc)
    return wrt_diag_set(diag, WRT_EINVAL, "wrt_engine_admit: NULL engine or descriptor");
  wrt_err err = check_desc(desc, diag);
  if (err != WRT_OK)
    return err;
  if (e->epoch_required && !desc->epoch_interruption)
    return wrt_diag_set(diag, WRT_EABI, "module compiled without --epoch-interruption; the engine "
                        "requires it (wrt_engine_config.epoch_interruption)");
  return e->alloc->ops->admit(e->alloc, desc, wrt_instance_block_size(desc), diag);
}

/* Everything after the instance is owned by the store: entities, segments,
** start. Returns WRT_ETRAP with the instance complete as far as it got. */
static wrt_err instance_init(wrt_instance *inst, wrt_diag *diag, wrt_trap *trap) {
  const wrt_module_desc *d = inst->desc;
  wrt_store *s = inst->store;
  if (!wrt_store_register_module(s, d))
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory registering the module");
  wrt_host_funcs_adopt(s, d, vm_type_ids(inst));
  init_funcrefs(inst);
  wrt_err err = create_memories_tables(inst, diag);
  if (err == WRT_OK)
    err = init_globals(inst, diag);
  if (err == WRT_OK)
    err = eval_passive_elems(inst, diag);
  if (err == WRT_OK)
    err = init_segments(inst, diag, trap);
  if (err == WRT_OK)
    keep_tables(inst);
  if (err == WRT_OK && d->start_func != UINT32_MAX)
    err = run_start(inst, diag, trap);
  return err;
}

wrt_err wrt_instantiate(wrt_store *s, const wrt_module_desc *desc, wrt_linker *l,
                        wrt_instance **out, wrt_diag *diag, wrt_trap *trap) {
  if (diag) {
    diag->code = WRT_OK;
    diag->msg[0] = '\0';
  }
  wrt_trap_set(trap, WRT_TRAP_NONE);
  if (out)
    *out = NULL;
  if (!s || !desc || !out)
    return wrt_diag_set(diag, WRT_EINVAL, "wrt_instantiate: NULL store, descriptor or result");
  wrt_err err = wrt_engine_admit(s->engine, desc, diag);
  if (err != WRT_OK)
    return err;
  wrt_diag why;
  wrt_instance *inst = instance_alloc(s, desc, &why);
  if (!inst)
    return wrt_diag_set(diag, why.code, "%s", why.msg);
  err = intern_types(inst, diag);
  if (err == WRT_OK)
    err = resolve_imports(inst, l, diag);
  if (err == WRT_OK && !wrt_ptrvec_push(&s->instances, inst))
    err = wrt_diag_set(diag, WRT_ENOMEM, "out of memory registering the instance");
  if (err != WRT_OK) {
    wrt_instance_destroy(inst); /* nothing else refers to it yet */
    return err;
  }
  err = instance_init(inst, diag, trap);
  if (err == WRT_OK || err == WRT_ETRAP)
    *out = inst;
  return err;
}

/* ------------------------------------------------------------ exports */

wrt_err wrt_instance_export_at(wrt_instance *inst, uint32_t i, const char **name, wrt_extern *out) {
  if (!inst || i >= inst->desc->n_exports)
    return WRT_EINVAL;
  const wrt_export_desc *e = &inst->desc->exports[i];
  wrt_extern x;
  x.kind = e->kind;
  switch (e->kind) {
  case WRT_EXTERN_FUNC: x.of.func = wrt_instance_func(inst, e->index); break;
  case WRT_EXTERN_TABLE: x.of.table = inst->tables[e->index]; break;
  case WRT_EXTERN_MEMORY: x.of.memory = inst->memories[e->index]; break;
  case WRT_EXTERN_GLOBAL: x.of.global = inst->globals[e->index]; break;
  default: return WRT_EINVAL;
  }
  if (name)
    *name = inst->export_names[i];
  if (out)
    *out = x;
  return WRT_OK;
}

uint32_t wrt_instance_export_count(const wrt_instance *inst) {
  return inst ? inst->desc->n_exports : 0;
}

wrt_err wrt_instance_export(wrt_instance *inst, const char *name, wrt_extern *out) {
  if (!inst || !name)
    return WRT_EINVAL;
  size_t len = strlen(name);
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_exports; i++)
    if (d->exports[i].name.len == len && (len == 0 || !memcmp(d->exports[i].name.ptr, name, len)))
      return wrt_instance_export_at(inst, i, NULL, out);
  return WRT_EINVAL;
}

void *wrt_instance_vmctx(const wrt_instance *inst) {
  return inst ? inst->vmctx : NULL;
}

const wrt_module_desc *wrt_instance_desc(const wrt_instance *inst) {
  return inst ? inst->desc : NULL;
}

wrt_store *wrt_instance_store(const wrt_instance *inst) {
  return inst ? inst->store : NULL;
}
