/*
** descriptor.c: emits `const wrt_module_desc <prefix>__module` (wrt_abi.h) as
** LLVM constant data laid out for the target: types, imports, exports,
** functions with their trampolines, tables, memories, globals and segments
** (constant expressions as their Wasm bytes), names, and the code range. It
** also references the runtime's ABI symbol so a mismatched runtime fails at
** link time. Every struct is built through abi.c from wrt_abi.h's field lists,
** with each field set by name (CG_ABI_CONST). Calls that create globals or
** functions run in a fixed order, one statement each, so objects are
** byte-identical whatever the C compiler's evaluation order.
*/
#include "cg_internal.h"

static LLVMValueRef c8(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i8, v, false); }
static LLVMValueRef c32(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i32, v, false); }
static LLVMValueRef c64(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i64, v, false); }

/* A private constant holding `init`; returns its address. */
static LLVMValueRef private_const(cg_unit *u, LLVMValueRef init) {
  LLVMValueRef g = LLVMAddGlobal(u->mod, LLVMTypeOf(init), "");
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, true);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
  return g;
}

static LLVMValueRef bytes_ptr(cg_unit *u, const void *p, size_t n) {
  if (n == 0)
    return LLVMConstNull(u->ptr);
  return private_const(u, LLVMConstStringInContext2(u->ctx, p, n, true));
}

/* A private array of n structs s (NULL when empty). */
static LLVMValueRef array_ptr(cg_unit *u, enum cg_abi_struct s, LLVMValueRef *v, uint64_t n) {
  return n == 0 ? LLVMConstNull(u->ptr) : private_const(u, LLVMConstArray2(u->abi.types[s], v, n));
}

/* Room for the n elements of one array (freed with the unit). */
static LLVMValueRef *elems(cg_unit *u, size_t n) {
  return cg_alloc(u, n, sizeof(LLVMValueRef));
}

/* Names are never NULL (even when empty) and are NUL-terminated for debuggers;
** len excludes the terminator, and names may contain NUL bytes. */
static LLVMValueRef name_c(cg_unit *u, const char *p, uint32_t len) {
  LLVMValueRef str = private_const(u, LLVMConstStringInContext2(u->ctx, p, len, false));
  return CG_ABI_CONST(u, wrt_name, .ptr = str, .len = c32(u, len));
}

static LLVMValueRef expr_c(cg_unit *u, aotc_slice s) {
  LLVMValueRef bytes = bytes_ptr(u, u->m->bytes + s.off, s.len);
  return CG_ABI_CONST(u, wrt_expr, .bytes = bytes, .len = c32(u, s.len));
}

static LLVMValueRef limits_c(cg_unit *u, const aotc_limits *l) {
  return CG_ABI_CONST(u, wrt_limits_desc, .min = c64(u, l->min), .max = c64(u, l->max),
                      .has_max = c8(u, l->has_max), .is64 = c8(u, l->is64));
}

static LLVMValueRef types_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_types);
  for (uint32_t i = 0; i < m->n_types; i++) {
    const aotc_functype *ft = &m->types[i];
    uint8_t *codes = cg_alloc(u, (size_t)ft->n_params + ft->n_results, 1);
    for (uint32_t k = 0; k < ft->n_params; k++)
      codes[k] = ft->params[k];
    for (uint32_t k = 0; k < ft->n_results; k++)
      codes[ft->n_params + k] = ft->results[k];
    LLVMValueRef types = bytes_ptr(u, codes, ft->n_params + ft->n_results);
    LLVMValueRef exit_tramp = cg_exit_tramp(u, i);
    v[i] = CG_ABI_CONST(u, wrt_type_desc, .n_params = c32(u, ft->n_params),
                        .n_results = c32(u, ft->n_results), .types = types, .exit_tramp = exit_tramp);
  }
  return array_ptr(u, CG_S_wrt_type_desc, v, m->n_types);
}

static LLVMValueRef imports_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_imports);
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *im = &m->imports[i];
    LLVMValueRef module = name_c(u, im->module.ptr, im->module.len);
    LLVMValueRef name = name_c(u, im->name.ptr, im->name.len);
    v[i] = CG_ABI_CONST(u, wrt_import_desc, .module = module, .name = name, .kind = c8(u, im->kind),
                        .index = c32(u, im->idx));
  }
  return array_ptr(u, CG_S_wrt_import_desc, v, m->n_imports);
}

static LLVMValueRef exports_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_exports);
  for (uint32_t i = 0; i < m->n_exports; i++) {
    const aotc_export *ex = &m->exports[i];
    LLVMValueRef name = name_c(u, ex->name.ptr, ex->name.len);
    v[i] = CG_ABI_CONST(u, wrt_export_desc, .name = name, .kind = c8(u, ex->kind),
                        .index = c32(u, ex->idx));
  }
  return array_ptr(u, CG_S_wrt_export_desc, v, m->n_exports);
}

static LLVMValueRef funcs_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_funcs);
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    uint32_t ti = m->func_types[i];
    bool imported = i < m->n_func_imports;
    LLVMValueRef code = imported ? cg_exit_tramp(u, ti) : u->funcs[i];
    LLVMValueRef entry = imported ? LLVMConstNull(u->ptr) : cg_entry_tramp(u, ti);
    v[i] = CG_ABI_CONST(u, wrt_func_desc, .code = code, .entry = entry, .type_idx = c32(u, ti));
  }
  return array_ptr(u, CG_S_wrt_func_desc, v, m->n_funcs);
}

static LLVMValueRef tables_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_tables);
  for (uint32_t i = 0; i < m->n_tables; i++)
    v[i] = CG_ABI_CONST(u, wrt_table_desc, .elem_type = c8(u, m->tables[i].type.elem),
                        .lim = limits_c(u, &m->tables[i].type.lim));
  return array_ptr(u, CG_S_wrt_table_desc, v, m->n_tables);
}

static LLVMValueRef memories_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_memories);
  for (uint32_t i = 0; i < m->n_memories; i++)
    v[i] = limits_c(u, &m->memories[i].lim);
  return array_ptr(u, CG_S_wrt_limits_desc, v, m->n_memories);
}

static LLVMValueRef globals_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_globals);
  for (uint32_t i = 0; i < m->n_globals; i++) {
    const aotc_global *g = &m->globals[i];
    aotc_slice none = {0, 0};
    v[i] = CG_ABI_CONST(u, wrt_global_desc, .type = c8(u, g->type.type), .mut = c8(u, g->type.mut),
                        .init = expr_c(u, g->imported ? none : g->init));
  }
  return array_ptr(u, CG_S_wrt_global_desc, v, m->n_globals);
}

/* Element items become constant expressions; function indices are encoded
** as `ref.func N end`. */
static LLVMValueRef elem_items(cg_unit *u, const aotc_elem *e) {
  LLVMValueRef *v = elems(u, e->n_items);
  for (uint32_t k = 0; k < e->n_items; k++) {
    if (e->uses_exprs) {
      v[k] = expr_c(u, e->exprs[k]);
      continue;
    }
    uint8_t buf[8];
    uint32_t n = 0, x = e->func_idxs[k];
    buf[n++] = 0xd2;
    do {
      buf[n++] = (uint8_t)((x & 0x7f) | (x > 0x7f ? 0x80 : 0));
      x >>= 7;
    } while (x);
    buf[n++] = 0x0b;
    LLVMValueRef bytes = bytes_ptr(u, buf, n);
    v[k] = CG_ABI_CONST(u, wrt_expr, .bytes = bytes, .len = c32(u, n));
  }
  return array_ptr(u, CG_S_wrt_expr, v, e->n_items);
}

static LLVMValueRef elems_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_elems);
  aotc_slice none = {0, 0};
  for (uint32_t i = 0; i < m->n_elems; i++) {
    const aotc_elem *e = &m->elems[i];
    LLVMValueRef offset = expr_c(u, e->mode == AOTC_SEG_ACTIVE ? e->offset : none);
    LLVMValueRef items = elem_items(u, e);
    v[i] = CG_ABI_CONST(u, wrt_elem_desc, .mode = c8(u, e->mode), .elem_type = c8(u, e->type),
                        .table_idx = c32(u, e->table_idx), .offset = offset,
                        .n_items = c32(u, e->n_items), .items = items);
  }
  return array_ptr(u, CG_S_wrt_elem_desc, v, m->n_elems);
}

static LLVMValueRef datas_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_datas);
  aotc_slice none = {0, 0};
  for (uint32_t i = 0; i < m->n_datas; i++) {
    const aotc_data *d = &m->datas[i];
    LLVMValueRef offset = expr_c(u, d->mode == AOTC_SEG_ACTIVE ? d->offset : none);
    LLVMValueRef bytes = bytes_ptr(u, m->bytes + d->bytes.off, d->bytes.len);
    v[i] = CG_ABI_CONST(u, wrt_data_desc, .mode = c8(u, d->mode), .mem_idx = c32(u, d->mem_idx),
                        .offset = offset, .bytes = bytes, .len = c32(u, d->bytes.len));
  }
  return array_ptr(u, CG_S_wrt_data_desc, v, m->n_datas);
}

static LLVMValueRef names_c(cg_unit *u) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = elems(u, m->n_func_names);
  for (uint32_t i = 0; i < m->n_func_names; i++) {
    const aotc_funcname *fn = &m->func_names[i];
    v[i] = CG_ABI_CONST(u, wrt_func_name, .func_idx = c32(u, fn->func_idx),
                        .name = name_c(u, fn->name.ptr, fn->name.len));
  }
  return array_ptr(u, CG_S_wrt_func_name, v, m->n_func_names);
}

/* The vmctx counts, one field per line of WRT_VMCTX_REGIONS. */
static LLVMValueRef counts_c(cg_unit *u) {
  cg_wrt_vmctx_counts v;
#define CG_COUNT_VALUE(A, region, count, ptrs, bytes, align) v.count = c32(u, u->counts.count);
  WRT_VMCTX_REGIONS(CG_COUNT_VALUE, ~)
#undef CG_COUNT_VALUE
  return cg_abi_const(u, CG_S_wrt_vmctx_counts, v.at);
}

static LLVMValueRef weak_symbol(cg_unit *u, const char *name) {
  LLVMValueRef g = LLVMAddGlobal(u->mod, u->i8, name);
  LLVMSetLinkage(g, LLVMExternalWeakLinkage);
  LLVMSetVisibility(g, LLVMHiddenVisibility);
  return g;
}

/* A used, internal pointer to the runtime's versioned ABI symbol. */
static void abi_reference(cg_unit *u) {
  LLVMValueRef abi = LLVMAddGlobal(u->mod, u->i32, WRT_ABI_SYMBOL);
  LLVMSetGlobalConstant(abi, true);
  char name[256];
  cg_symbol(u, name, sizeof name, "abi_ref", UINT32_MAX);
  LLVMValueRef ref = LLVMAddGlobal(u->mod, u->ptr, name);
  LLVMSetInitializer(ref, abi);
  LLVMSetLinkage(ref, LLVMInternalLinkage);
  LLVMValueRef used = LLVMAddGlobal(u->mod, LLVMArrayType2(u->ptr, 1), "llvm.used");
  LLVMSetInitializer(used, LLVMConstArray2(u->ptr, &ref, 1));
  LLVMSetLinkage(used, LLVMAppendingLinkage);
  LLVMSetSection(used, "llvm.metadata");
}

bool cg_descriptor_emit(cg_unit *u) {
  const aotc_module *m = u->m;
  const char *nm = u->opt->name;
  uint32_t nlen = 0;
  while (nm[nlen])
    nlen++;
  cg_wrt_module_desc d = {
      .abi_version = c32(u, WRT_ABI_VERSION),
      .ptr_size = c8(u, u->ptr_size),
      .bounds_checks = c8(u, u->bounds_checks),
      .epoch_interruption = c8(u, u->opt->epoch_interruption),
      .counts = counts_c(u),
      .vmctx_size = c32(u, u->layout.size),
      .n_types = c32(u, m->n_types),
      .n_imports = c32(u, m->n_imports),
      .n_funcs = c32(u, m->n_funcs),
      .n_func_imports = c32(u, m->n_func_imports),
      .n_tables = c32(u, m->n_tables),
      .n_table_imports = c32(u, m->n_table_imports),
      .n_memories = c32(u, m->n_memories),
      .n_memory_imports = c32(u, m->n_memory_imports),
      .n_globals = c32(u, m->n_globals),
      .n_global_imports = c32(u, m->n_global_imports),
      .n_exports = c32(u, m->n_exports),
      .n_elems = c32(u, m->n_elems),
      .n_datas = c32(u, m->n_datas),
      .start_func = c32(u, m->has_start ? m->start_idx : UINT32_MAX),
      .n_func_names = c32(u, m->n_func_names),
  };
  /* In the order the descriptor lists them (the order its constants are made). */
  d.name = name_c(u, nm, nlen);
  d.types = types_c(u);
  d.imports = imports_c(u);
  d.funcs = funcs_c(u);
  d.tables = tables_c(u);
  d.memories = memories_c(u);
  d.globals = globals_c(u);
  d.exports = exports_c(u);
  d.elems = elems_c(u);
  d.datas = datas_c(u);
  d.func_names = names_c(u);
  d.text_begin = weak_symbol(u, "__start_wrt_text");
  d.text_end = weak_symbol(u, "__stop_wrt_text");
  char name[256];
  cg_symbol(u, name, sizeof name, "module", UINT32_MAX);
  LLVMValueRef g = LLVMAddGlobal(u->mod, u->abi.types[CG_S_wrt_module_desc], name);
  LLVMSetInitializer(g, cg_abi_const(u, CG_S_wrt_module_desc, d.at));
  LLVMSetGlobalConstant(g, true);
  abi_reference(u);
  return true;
}
