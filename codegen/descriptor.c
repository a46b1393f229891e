/*
** descriptor.c: emits `const wrt_module_desc <prefix>__module` (wrt_abi.h) as
** LLVM constant data laid out for the target: types, imports, exports,
** functions with their trampolines, tables, memories, globals and segments
** (constant expressions as their Wasm bytes), names, and the code range. It
** also references the runtime's ABI symbol so a mismatched runtime fails at
** link time. The LLVM struct types below mirror the C structs field by field.
*/
#include "cg_internal.h"

#include <stdlib.h>

typedef struct desc_types {
  LLVMTypeRef name, type, import, export_, func, limits, table, expr, global, elem, data, fname,
      counts, module;
} desc_types;

static LLVMTypeRef st(cg_unit *u, LLVMTypeRef *f, unsigned n) {
  return LLVMStructTypeInContext(u->ctx, f, n, false);
}

static desc_types make_types(cg_unit *u) {
  desc_types t;
  LLVMTypeRef p = u->ptr, i8 = u->i8, i32 = u->i32, i64 = u->i64;
  t.name = st(u, (LLVMTypeRef[]){p, i32}, 2);
  t.type = st(u, (LLVMTypeRef[]){i32, i32, p, p}, 4);
  t.import = st(u, (LLVMTypeRef[]){t.name, t.name, i8, i32}, 4);
  t.export_ = st(u, (LLVMTypeRef[]){t.name, i8, i32}, 3);
  t.func = st(u, (LLVMTypeRef[]){p, p, i32}, 3);
  t.limits = st(u, (LLVMTypeRef[]){i64, i64, i8, i8}, 4);
  t.table = st(u, (LLVMTypeRef[]){i8, t.limits}, 2);
  t.expr = st(u, (LLVMTypeRef[]){p, i32}, 2);
  t.global = st(u, (LLVMTypeRef[]){i8, i8, t.expr}, 3);
  t.elem = st(u, (LLVMTypeRef[]){i8, i8, i32, t.expr, i32, p}, 6);
  t.data = st(u, (LLVMTypeRef[]){i8, i32, t.expr, p, i32}, 5);
  t.fname = st(u, (LLVMTypeRef[]){i32, t.name}, 2);
  t.counts = st(u, (LLVMTypeRef[]){i32, i32, i32, i32, i32, i32, i32}, 7);
  t.module = st(u,
                (LLVMTypeRef[]){i32, i8, i8, t.name, t.counts, i32,  /* abi .. vmctx_size */
                                i32, p, i32, p,                     /* types, imports */
                                i32, i32, p, i32, i32, p,           /* funcs, tables */
                                i32, i32, p, i32, i32, p,           /* memories, globals */
                                i32, p, i32, p, i32, p,             /* exports, elems, datas */
                                i32, i32, p, p, p},                 /* start, names, text */
                33);
  return t;
}

static LLVMValueRef c8(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i8, v, false); }
static LLVMValueRef c32(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i32, v, false); }
static LLVMValueRef c64(cg_unit *u, uint64_t v) { return LLVMConstInt(u->i64, v, false); }

static LLVMValueRef cstruct(cg_unit *u, LLVMTypeRef t, LLVMValueRef *v, unsigned n) {
  (void)u;
  return LLVMConstNamedStruct(t, v, n);
}

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

static LLVMValueRef array_ptr(cg_unit *u, LLVMTypeRef t, LLVMValueRef *v, uint64_t n) {
  if (n == 0)
    return LLVMConstNull(u->ptr);
  return private_const(u, LLVMConstArray2(t, v, n));
}

/* Names are never NULL (even when empty) and are NUL-terminated for debuggers;
** len excludes the terminator, and names may contain NUL bytes. */
static LLVMValueRef name_c(cg_unit *u, desc_types *t, const char *p, uint32_t len) {
  LLVMValueRef str = private_const(u, LLVMConstStringInContext2(u->ctx, p, len, false));
  return cstruct(u, t->name, (LLVMValueRef[]){str, c32(u, len)}, 2);
}

static LLVMValueRef expr_c(cg_unit *u, desc_types *t, aotc_slice s) {
  return cstruct(u, t->expr, (LLVMValueRef[]){bytes_ptr(u, u->m->bytes + s.off, s.len), c32(u, s.len)}, 2);
}

static LLVMValueRef limits_c(cg_unit *u, desc_types *t, const aotc_limits *l) {
  return cstruct(u, t->limits,
                 (LLVMValueRef[]){c64(u, l->min), c64(u, l->max), c8(u, l->has_max), c8(u, l->is64)}, 4);
}

static LLVMValueRef types_c(cg_unit *u, desc_types *t) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = calloc(m->n_types + 1, sizeof *v);
  for (uint32_t i = 0; i < m->n_types; i++) {
    const aotc_functype *ft = &m->types[i];
    uint8_t *codes = malloc(ft->n_params + ft->n_results + 1u);
    for (uint32_t k = 0; k < ft->n_params; k++)
      codes[k] = ft->params[k];
    for (uint32_t k = 0; k < ft->n_results; k++)
      codes[ft->n_params + k] = ft->results[k];
    v[i] = cstruct(u, t->type,
                   (LLVMValueRef[]){c32(u, ft->n_params), c32(u, ft->n_results),
                                    bytes_ptr(u, codes, ft->n_params + ft->n_results),
                                    tramp_exit(u, i)},
                   4);
    free(codes);
  }
  LLVMValueRef r = array_ptr(u, t->type, v, m->n_types);
  free(v);
  return r;
}

static LLVMValueRef imports_exports_c(cg_unit *u, desc_types *t, bool imports) {
  const aotc_module *m = u->m;
  uint32_t n = imports ? m->n_imports : m->n_exports;
  LLVMValueRef *v = calloc(n + 1, sizeof *v);
  for (uint32_t i = 0; i < n; i++) {
    if (imports) {
      const aotc_import *im = &m->imports[i];
      v[i] = cstruct(u, t->import,
                     (LLVMValueRef[]){name_c(u, t, im->module.ptr, im->module.len),
                                      name_c(u, t, im->name.ptr, im->name.len), c8(u, im->kind),
                                      c32(u, im->idx)},
                     4);
    } else {
      const aotc_export *ex = &m->exports[i];
      v[i] = cstruct(u, t->export_,
                     (LLVMValueRef[]){name_c(u, t, ex->name.ptr, ex->name.len), c8(u, ex->kind),
                                      c32(u, ex->idx)},
                     3);
    }
  }
  LLVMValueRef r = array_ptr(u, imports ? t->import : t->export_, v, n);
  free(v);
  return r;
}

static LLVMValueRef funcs_c(cg_unit *u, desc_types *t) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = calloc(m->n_funcs + 1, sizeof *v);
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    uint32_t ti = m->func_types[i];
    LLVMValueRef code, entry;
    if (i < m->n_func_imports) {
      code = tramp_exit(u, ti);
      entry = LLVMConstNull(u->ptr);
    } else {
      code = u->funcs[i];
      entry = tramp_entry(u, ti);
    }
    v[i] = cstruct(u, t->func, (LLVMValueRef[]){code, entry, c32(u, ti)}, 3);
  }
  LLVMValueRef r = array_ptr(u, t->func, v, m->n_funcs);
  free(v);
  return r;
}

static LLVMValueRef tables_memories_c(cg_unit *u, desc_types *t, bool tables) {
  const aotc_module *m = u->m;
  uint32_t n = tables ? m->n_tables : m->n_memories;
  LLVMValueRef *v = calloc(n + 1, sizeof *v);
  for (uint32_t i = 0; i < n; i++) {
    if (tables)
      v[i] = cstruct(u, t->table,
                     (LLVMValueRef[]){c8(u, m->tables[i].type.elem), limits_c(u, t, &m->tables[i].type.lim)}, 2);
    else
      v[i] = limits_c(u, t, &m->memories[i].lim);
  }
  LLVMValueRef r = array_ptr(u, tables ? t->table : t->limits, v, n);
  free(v);
  return r;
}

static LLVMValueRef globals_c(cg_unit *u, desc_types *t) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = calloc(m->n_globals + 1, sizeof *v);
  for (uint32_t i = 0; i < m->n_globals; i++) {
    const aotc_global *g = &m->globals[i];
    aotc_slice none = {0, 0};
    v[i] = cstruct(u, t->global,
                   (LLVMValueRef[]){c8(u, g->type.type), c8(u, g->type.mut),
                                    expr_c(u, t, g->imported ? none : g->init)},
                   3);
  }
  LLVMValueRef r = array_ptr(u, t->global, v, m->n_globals);
  free(v);
  return r;
}

/* Element items become constant expressions; function indices are encoded
** as `ref.func N end`. */
static LLVMValueRef elem_items(cg_unit *u, desc_types *t, const aotc_elem *e) {
  LLVMValueRef *v = calloc(e->n_items + 1, sizeof *v);
  for (uint32_t k = 0; k < e->n_items; k++) {
    if (e->uses_exprs) {
      v[k] = expr_c(u, t, e->exprs[k]);
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
    v[k] = cstruct(u, t->expr, (LLVMValueRef[]){bytes_ptr(u, buf, n), c32(u, n)}, 2);
  }
  LLVMValueRef r = array_ptr(u, t->expr, v, e->n_items);
  free(v);
  return r;
}

static LLVMValueRef segments_c(cg_unit *u, desc_types *t, bool elems) {
  const aotc_module *m = u->m;
  uint32_t n = elems ? m->n_elems : m->n_datas;
  LLVMValueRef *v = calloc(n + 1, sizeof *v);
  aotc_slice none = {0, 0};
  for (uint32_t i = 0; i < n; i++) {
    if (elems) {
      const aotc_elem *e = &m->elems[i];
      v[i] = cstruct(u, t->elem,
                     (LLVMValueRef[]){c8(u, e->mode), c8(u, e->type), c32(u, e->table_idx),
                                      expr_c(u, t, e->mode == AOTC_SEG_ACTIVE ? e->offset : none),
                                      c32(u, e->n_items), elem_items(u, t, e)},
                     6);
    } else {
      const aotc_data *d = &m->datas[i];
      v[i] = cstruct(u, t->data,
                     (LLVMValueRef[]){c8(u, d->mode), c32(u, d->mem_idx),
                                      expr_c(u, t, d->mode == AOTC_SEG_ACTIVE ? d->offset : none),
                                      bytes_ptr(u, m->bytes + d->bytes.off, d->bytes.len),
                                      c32(u, d->bytes.len)},
                     5);
    }
  }
  LLVMValueRef r = array_ptr(u, elems ? t->elem : t->data, v, n);
  free(v);
  return r;
}

static LLVMValueRef names_c(cg_unit *u, desc_types *t) {
  const aotc_module *m = u->m;
  LLVMValueRef *v = calloc(m->n_func_names + 1, sizeof *v);
  for (uint32_t i = 0; i < m->n_func_names; i++)
    v[i] = cstruct(u, t->fname,
                   (LLVMValueRef[]){c32(u, m->func_names[i].func_idx),
                                    name_c(u, t, m->func_names[i].name.ptr, m->func_names[i].name.len)},
                   2);
  LLVMValueRef r = array_ptr(u, t->fname, v, m->n_func_names);
  free(v);
  return r;
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
  desc_types t = make_types(u);
  const wrt_vmctx_layout *l = &u->layout;
  LLVMValueRef counts = cstruct(
      u, t.counts,
      (LLVMValueRef[]){c32(u, m->n_memories), c32(u, m->n_tables), c32(u, m->n_global_imports),
                       c32(u, m->n_func_imports), c32(u, m->n_types),
                       c32(u, m->n_globals - m->n_global_imports), c32(u, m->n_funcs - m->n_func_imports)},
      7);
  const char *nm = u->opt->name;
  uint32_t nlen = 0;
  while (nm[nlen])
    nlen++;
  LLVMValueRef fields[33] = {
      c32(u, WRT_ABI_VERSION), c8(u, u->ptr_size), c8(u, u->bounds_checks),
      name_c(u, &t, nm, nlen), counts, c32(u, l->size),
      c32(u, m->n_types), types_c(u, &t), c32(u, m->n_imports), imports_exports_c(u, &t, true),
      c32(u, m->n_funcs), c32(u, m->n_func_imports), funcs_c(u, &t),
      c32(u, m->n_tables), c32(u, m->n_table_imports), tables_memories_c(u, &t, true),
      c32(u, m->n_memories), c32(u, m->n_memory_imports), tables_memories_c(u, &t, false),
      c32(u, m->n_globals), c32(u, m->n_global_imports), globals_c(u, &t),
      c32(u, m->n_exports), imports_exports_c(u, &t, false),
      c32(u, m->n_elems), segments_c(u, &t, true), c32(u, m->n_datas), segments_c(u, &t, false),
      c32(u, m->has_start ? m->start_idx : UINT32_MAX), c32(u, m->n_func_names), names_c(u, &t),
      weak_symbol(u, "__start_wrt_text"), weak_symbol(u, "__stop_wrt_text")};
  char name[256];
  cg_symbol(u, name, sizeof name, "module", UINT32_MAX);
  LLVMValueRef g = LLVMAddGlobal(u->mod, t.module, name);
  LLVMSetInitializer(g, cstruct(u, t.module, fields, 33));
  LLVMSetGlobalConstant(g, true);
  abi_reference(u);
  return true;
}
