/*
** instance.c: wrt_instantiate (descriptor checks, vmctx allocation and
** filling, defined memories/tables/globals, segment initialisation, the start
** function) and export lookup. Import lookup and type matching are in link.c,
** constant expressions in expr.c, the objects themselves in their own files.
*/
#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

#define VMCTX_ALIGN 16u

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

void wrt_instance_destroy(wrt_instance *inst) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; inst->elems && i < d->n_elems; i++)
    wrt_free(inst->elems[i].items, inst->elems[i].n * sizeof(void *));
  for (uint32_t i = 0; inst->export_names && i < d->n_exports; i++)
    wrt_free(inst->export_names[i], d->exports[i].name.len + 1u);
  wrt_free(inst->export_names, d->n_exports * sizeof(char *));
  wrt_free(inst->elems, d->n_elems * sizeof *inst->elems);
  wrt_free(inst->data_dropped, d->n_datas);
  wrt_free(inst->def_globals, (d->n_globals - d->n_global_imports) * sizeof *inst->def_globals);
  wrt_free(inst->globals, d->n_globals * sizeof *inst->globals);
  wrt_free(inst->tables, d->n_tables * sizeof *inst->tables);
  wrt_free(inst->memories, d->n_memories * sizeof *inst->memories);
  wrt_free(inst->vmctx_block, inst->vmctx_block_size);
  wrt_free(inst, sizeof *inst);
}

/* The instance with its zeroed arrays and vmctx, and the vmctx header. */
static wrt_instance *instance_alloc(wrt_store *s, const wrt_module_desc *d) {
  wrt_instance *inst = wrt_calloc(1, sizeof *inst);
  if (!inst)
    return NULL;
  inst->store = s;
  inst->desc = d;
  inst->layout = wrt_vmctx_layout_for(&d->counts, (uint32_t)sizeof(void *));
  inst->vmctx_block_size = (size_t)d->vmctx_size + VMCTX_ALIGN;
  inst->vmctx_block = wrt_calloc(inst->vmctx_block_size, 1);
  inst->memories = wrt_calloc(d->n_memories, sizeof *inst->memories);
  inst->tables = wrt_calloc(d->n_tables, sizeof *inst->tables);
  inst->globals = wrt_calloc(d->n_globals, sizeof *inst->globals);
  inst->def_globals = wrt_calloc(d->n_globals - d->n_global_imports, sizeof *inst->def_globals);
  inst->elems = wrt_calloc(d->n_elems, sizeof *inst->elems);
  inst->data_dropped = wrt_calloc(d->n_datas, 1);
  inst->export_names = wrt_calloc(d->n_exports, sizeof *inst->export_names);
  if (!inst->vmctx_block || !inst->memories || !inst->tables || !inst->globals ||
      !inst->def_globals || !inst->elems || !inst->data_dropped || !inst->export_names) {
    wrt_instance_destroy(inst);
    return NULL;
  }
  /* The allocation hook promises only malloc's alignment; the vmctx needs 16
  ** (its globals are 16-byte slots), so align inside a slightly larger block. */
  uintptr_t p = (uintptr_t)inst->vmctx_block;
  inst->vmctx = (uint8_t *)inst->vmctx_block + ((VMCTX_ALIGN - p % VMCTX_ALIGN) % VMCTX_ALIGN);
  void **hdr = (void **)(void *)inst->vmctx;
  hdr[WRT_VMCTX_STACK_LIMIT] = &s->stack_limit;
  hdr[WRT_VMCTX_INSTANCE] = inst;
  return inst;
}

/* Interns every type of the module into the vmctx type_ids[]. */
static wrt_err intern_types(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  uintptr_t *ids = vm_type_ids(inst);
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

static wrt_err create_memories_tables(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  wrt_store *s = inst->store;
  for (uint32_t i = d->n_memory_imports; i < d->n_memories; i++) {
    const wrt_limits_desc *lim = &d->memories[i];
    wrt_memory *m = wrt_memory_create(s, lim->min, lim->max, lim->has_max, lim->is64 != 0);
    if (!m)
      return wrt_diag_set(diag, WRT_ENOMEM, "cannot allocate memory %u (%llu pages)", i,
                          (unsigned long long)lim->min);
    inst->memories[i] = m;
    vm_slots(inst, inst->layout.memories)[i] = &m->def;
  }
  for (uint32_t i = d->n_table_imports; i < d->n_tables; i++) {
    const wrt_table_desc *td = &d->tables[i];
    wrt_table *t = NULL;
    if (td->lim.min <= UINT32_MAX)
      t = wrt_table_create(s, td->elem_type, (uint32_t)td->lim.min,
                           td->lim.max > UINT32_MAX ? UINT32_MAX : (uint32_t)td->lim.max,
                           td->lim.has_max, NULL);
    if (!t)
      return wrt_diag_set(diag, WRT_ENOMEM, "cannot allocate table %u (%llu elements)", i,
                          (unsigned long long)td->lim.min);
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
** mode (passive ones serve table.init later). */
static wrt_err eval_elems(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_elems; i++) {
    const wrt_elem_desc *e = &d->elems[i];
    if (e->n_items && !(inst->elems[i].items = wrt_calloc(e->n_items, sizeof(void *))))
      return wrt_diag_set(diag, WRT_ENOMEM, "out of memory for element segment %u", i);
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

static wrt_err copy_export_names(wrt_instance *inst, wrt_diag *diag) {
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_exports; i++)
    if (!(inst->export_names[i] = wrt_strndup(d->exports[i].name.ptr, d->exports[i].name.len)))
      return wrt_diag_set(diag, WRT_ENOMEM, "out of memory for export names");
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
    if (e->mode == WRT_SEG_ACTIVE) {
      uint64_t off;
      if (!eval_offset(inst, &e->offset, d->tables[e->table_idx].lim.is64 != 0, &off))
        return wrt_diag_set(diag, WRT_EABI, "unsupported offset of element segment %u", i);
      if (off > UINT32_MAX ||
          !wrt_instance_table_init(inst, e->table_idx, i, (uint32_t)off, 0, e->n_items)) {
        wrt_trap_set(trap, WRT_TRAP_TABLE_OOB);
        return wrt_diag_set(diag, WRT_ETRAP, "%s", wrt_trap_str(WRT_TRAP_TABLE_OOB));
      }
    }
    wrt_rt_elem_drop(inst->vmctx, i);
  }
  for (uint32_t i = 0; i < d->n_datas; i++) {
    const wrt_data_desc *s = &d->datas[i];
    if (s->mode != WRT_SEG_ACTIVE)
      continue;
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
    err = eval_elems(inst, diag);
  if (err == WRT_OK)
    err = copy_export_names(inst, diag);
  if (err == WRT_OK)
    err = init_segments(inst, diag, trap);
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
  wrt_err err = check_desc(desc, diag);
  if (err != WRT_OK)
    return err;
  wrt_instance *inst = instance_alloc(s, desc);
  if (!inst)
    return wrt_diag_set(diag, WRT_ENOMEM, "out of memory allocating the instance");
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
