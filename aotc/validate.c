/*
** validate.c: module-level validation (spec: validation, modules): index
** spaces, limits, constant expressions, segments, exports, the start function
** and the set C.refs of functions that bodies may take references to. Function
** bodies are checked in validate_func.c. Every error here is AOTC_EINVALID.
*/
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static bool invalid(aotc_validator *v, size_t off, const char *msg) {
  return aotc_diag_set(v->diag, AOTC_EINVALID, off, "%s", msg);
}

/* ------------------------------------------------------------ constant expressions */

/*
** spec: validation, constant expressions. Allowed: t.const, ref.null, ref.func,
** global.get of an imported immutable global, and with extended-const
** i32/i64 add, sub, mul. The result must be exactly one value of type `want`.
*/
static bool const_expr(aotc_validator *v, aotc_slice e, aotc_valtype want) {
  aotc_module *m = v->m;
  aotc_reader r;
  aotc_reader_init(&r, m->bytes, e.off + e.len, v->diag);
  r.pos = e.off;
  aotc_valtype stack[64];
  size_t sp = 0;
  bool ext = (m->features & AOTC_FEAT_EXTENDED_CONST) != 0;
  aotc_instr in;
  while (aotc_instr_read(&r, m->features, &in)) {
    aotc_valtype push = 0;
    switch (in.op) {
    case AOTC_OP_I32_CONST: push = AOTC_I32; break;
    case AOTC_OP_I64_CONST: push = AOTC_I64; break;
    case AOTC_OP_F32_CONST: push = AOTC_F32; break;
    case AOTC_OP_F64_CONST: push = AOTC_F64; break;
    case AOTC_OP_V128_CONST: push = AOTC_V128; break;
    case AOTC_OP_REF_NULL: push = in.u.reftype; break;
    case AOTC_OP_REF_FUNC:
      if (in.u.idx >= m->n_funcs)
        return aotc_diag_set(v->diag, AOTC_EINVALID, in.off, "unknown function %u", in.u.idx);
      push = AOTC_FUNCREF;
      break;
    case AOTC_OP_GLOBAL_GET:
      /* Only imported globals are visible to constant expressions. */
      if (in.u.idx >= m->n_global_imports)
        return aotc_diag_set(v->diag, AOTC_EINVALID, in.off, "unknown global %u", in.u.idx);
      if (m->globals[in.u.idx].type.mut)
        return invalid(v, in.off, "constant expression required (global.get of a mutable global)");
      push = m->globals[in.u.idx].type.type;
      break;
    case AOTC_OP_I32_ADD:
    case AOTC_OP_I32_SUB:
    case AOTC_OP_I32_MUL:
    case AOTC_OP_I64_ADD:
    case AOTC_OP_I64_SUB:
    case AOTC_OP_I64_MUL: {
      if (!ext)
        return invalid(v, in.off, "constant expression required");
      aotc_valtype t = aotc_opinfo_table[in.op].sig[0] == 'i' ? AOTC_I32 : AOTC_I64;
      if (sp < 2 || stack[sp - 1] != t || stack[sp - 2] != t)
        return invalid(v, in.off, "type mismatch");
      sp--;
      continue;
    }
    case AOTC_OP_END:
      if (sp != 1 || stack[0] != want)
        return invalid(v, in.off, "type mismatch");
      return true;
    default:
      return invalid(v, in.off, "constant expression required");
    }
    if (sp == sizeof stack / sizeof stack[0])
      return aotc_diag_set(v->diag, AOTC_ELIMIT, in.off, "constant expression too deep");
    stack[sp++] = push;
  }
  return false;
}

/* Records the ref.func targets of a constant expression in C.refs. Runs
** after const_expr has accepted the expression. */
static void collect_refs(aotc_validator *v, aotc_slice e) {
  aotc_reader r;
  aotc_diag scratch;
  aotc_diag_init(&scratch);
  aotc_reader_init(&r, v->m->bytes, e.off + e.len, &scratch);
  r.pos = e.off;
  aotc_instr in;
  while (aotc_instr_read(&r, v->m->features, &in) && in.op != AOTC_OP_END)
    if (in.op == AOTC_OP_REF_FUNC && in.u.idx < v->m->n_funcs)
      v->refs[in.u.idx >> 3] |= (uint8_t)(1u << (in.u.idx & 7));
}

static void declare_ref(aotc_validator *v, uint32_t func_idx) {
  v->refs[func_idx >> 3] |= (uint8_t)(1u << (func_idx & 7));
}

/* ------------------------------------------------------------ types and limits */

static bool check_limits(aotc_validator *v, const aotc_limits *l, uint64_t bound, size_t off,
                         const char *too_big) {
  if (l->min > bound || (l->has_max && l->max > bound))
    return invalid(v, off, too_big);
  if (l->has_max && l->min > l->max)
    return invalid(v, off, "size minimum must not be greater than maximum");
  return true;
}

/* spec: validation, types, memory types. Errors point at the limits. */
static bool check_memtype(aotc_validator *v, const aotc_memory *mem) {
  const aotc_limits *l = &mem->lim;
  if (l->is64)
    return check_limits(v, l, UINT64_C(1) << 48, mem->off,
                        "memory size must be at most 2^48 pages (256TiB)");
  return check_limits(v, l, 65536, mem->off, "memory size must be at most 65536 pages (4GiB)");
}

/* spec: validation, types, table types. Errors point at the table type. */
static bool check_tabletype(aotc_validator *v, const aotc_table *t) {
  return check_limits(v, &t->type.lim, UINT32_MAX, t->off, "table size must be at most 2^32-1");
}

static bool check_imports(aotc_validator *v) {
  aotc_module *m = v->m;
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *im = &m->imports[i];
    switch (im->kind) {
    case AOTC_EXTERN_FUNC:
      if (m->func_types[im->idx] >= m->n_types)
        return aotc_diag_set(v->diag, AOTC_EINVALID, im->off, "unknown type %u",
                             m->func_types[im->idx]);
      break;
    case AOTC_EXTERN_TABLE:
      if (!check_tabletype(v, &m->tables[im->idx]))
        return false;
      break;
    case AOTC_EXTERN_MEMORY:
      if (!check_memtype(v, &m->memories[im->idx]))
        return false;
      break;
    case AOTC_EXTERN_GLOBAL:
      if (m->globals[im->idx].type.mut && !(m->features & AOTC_FEAT_MUTABLE_GLOBALS))
        return aotc_diag_set(v->diag, AOTC_EUNSUPPORTED, im->off,
                             "importing a mutable global requires feature 'mutable-globals'");
      break;
    default: break;
    }
  }
  return true;
}

static bool check_definitions(aotc_validator *v) {
  aotc_module *m = v->m;
  for (uint32_t i = m->n_func_imports; i < m->n_funcs; i++)
    if (m->func_types[i] >= m->n_types)
      return aotc_diag_set(v->diag, AOTC_EINVALID, m->func_section_off, "unknown type %u",
                           m->func_types[i]);
  /* "multiple ..." points at the second table or memory, the first one too many. */
  if (m->n_tables > 1 && !(m->features & AOTC_FEAT_REFERENCE_TYPES))
    return invalid(v, m->tables[1].off, "multiple tables");
  for (uint32_t i = m->n_table_imports; i < m->n_tables; i++)
    if (!check_tabletype(v, &m->tables[i]))
      return false;
  if (m->n_memories > 1 && !(m->features & AOTC_FEAT_MULTI_MEMORY))
    return invalid(v, m->memories[1].off, "multiple memories");
  for (uint32_t i = m->n_memory_imports; i < m->n_memories; i++)
    if (!check_memtype(v, &m->memories[i]))
      return false;
  for (uint32_t i = m->n_global_imports; i < m->n_globals; i++) {
    const aotc_global *g = &m->globals[i];
    if (!const_expr(v, g->init, g->type.type))
      return false;
    collect_refs(v, g->init);
  }
  return true;
}

/* ------------------------------------------------------------ exports and start */

static int name_cmp(const aotc_name *x, const aotc_name *y) {
  uint32_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->ptr, y->ptr, n);
  if (c)
    return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* An export's name and its position in the export section. */
typedef struct export_key {
  aotc_name name;
  uint32_t idx;
} export_key;

/* By name, then by position: equal names stay in module order. */
static int export_key_cmp(const void *a, const void *b) {
  const export_key *x = a, *y = b;
  int c = name_cmp(&x->name, &y->name);
  if (c)
    return c;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

/* spec: validation, modules: export names are distinct. Like wasm-tools, the
** error points at the first export, in module order, whose name was taken. */
static bool check_export_names(aotc_validator *v) {
  aotc_module *m = v->m;
  if (m->n_exports < 2)
    return true;
  export_key *keys = malloc(m->n_exports * sizeof *keys);
  if (!keys)
    return aotc_diag_set(v->diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
  for (uint32_t i = 0; i < m->n_exports; i++)
    keys[i] = (export_key){m->exports[i].name, i};
  qsort(keys, m->n_exports, sizeof *keys, export_key_cmp);
  uint32_t dup = m->n_exports; /* none */
  for (uint32_t i = 1; i < m->n_exports; i++)
    if (keys[i].idx < dup && name_cmp(&keys[i - 1].name, &keys[i].name) == 0)
      dup = keys[i].idx;
  free(keys);
  if (dup == m->n_exports)
    return true;
  const aotc_export *ex = &m->exports[dup];
  return aotc_diag_set(v->diag, AOTC_EINVALID, ex->off, "duplicate export name \"%.*s\"",
                       (int)ex->name.len, ex->name.ptr);
}

static bool check_exports(aotc_validator *v) {
  aotc_module *m = v->m;
  static const char *const kind_name[] = {"function", "table", "memory", "global"};
  for (uint32_t i = 0; i < m->n_exports; i++) {
    const aotc_export *ex = &m->exports[i];
    uint32_t n = ex->kind == AOTC_EXTERN_FUNC     ? m->n_funcs
                 : ex->kind == AOTC_EXTERN_TABLE  ? m->n_tables
                 : ex->kind == AOTC_EXTERN_MEMORY ? m->n_memories
                                                  : m->n_globals;
    if (ex->idx >= n)
      return aotc_diag_set(v->diag, AOTC_EINVALID, ex->off, "unknown %s %u", kind_name[ex->kind],
                           ex->idx);
    if (ex->kind == AOTC_EXTERN_FUNC)
      declare_ref(v, ex->idx);
    if (ex->kind == AOTC_EXTERN_GLOBAL && m->globals[ex->idx].type.mut &&
        !(m->features & AOTC_FEAT_MUTABLE_GLOBALS))
      return aotc_diag_set(v->diag, AOTC_EUNSUPPORTED, ex->off,
                           "exporting a mutable global requires feature 'mutable-globals'");
  }
  return m->n_exports < 2 || check_export_names(v);
}

static bool check_start(aotc_validator *v) {
  aotc_module *m = v->m;
  if (!m->has_start)
    return true;
  if (m->start_idx >= m->n_funcs)
    return aotc_diag_set(v->diag, AOTC_EINVALID, m->start_off, "unknown function %u",
                         m->start_idx);
  const aotc_functype *ft = aotc_func_type(m, m->start_idx);
  if (ft->n_params || ft->n_results)
    return invalid(v, m->start_off, "start function must have type [] -> []");
  return true;
}

/* ------------------------------------------------------------ segments */

static bool check_elem(aotc_validator *v, const aotc_elem *e) {
  aotc_module *m = v->m;
  if (e->mode == AOTC_SEG_ACTIVE) {
    if (e->table_idx >= m->n_tables)
      return aotc_diag_set(v->diag, AOTC_EINVALID, e->off, "unknown table %u", e->table_idx);
    if (!const_expr(v, e->offset, AOTC_I32))
      return false;
    if (m->tables[e->table_idx].type.elem != e->type)
      return invalid(v, e->off, "type mismatch (element segment vs table type)");
  }
  for (uint32_t i = 0; i < e->n_items; i++) {
    if (e->uses_exprs) {
      if (!const_expr(v, e->exprs[i], e->type))
        return false;
      collect_refs(v, e->exprs[i]);
    } else {
      if (e->func_idxs[i] >= m->n_funcs)
        return aotc_diag_set(v->diag, AOTC_EINVALID, e->off, "unknown function %u",
                             e->func_idxs[i]);
      declare_ref(v, e->func_idxs[i]);
    }
  }
  return true;
}

static bool check_data(aotc_validator *v, const aotc_data *dd) {
  aotc_module *m = v->m;
  if (dd->mode != AOTC_SEG_ACTIVE)
    return true;
  if (dd->mem_idx >= m->n_memories)
    return aotc_diag_set(v->diag, AOTC_EINVALID, dd->off, "unknown memory %u", dd->mem_idx);
  return const_expr(v, dd->offset, aotc_mem_addr_type(m, dd->mem_idx));
}

static bool check_segments(aotc_validator *v) {
  aotc_module *m = v->m;
  for (uint32_t i = 0; i < m->n_elems; i++)
    if (!check_elem(v, &m->elems[i]))
      return false;
  for (uint32_t i = 0; i < m->n_datas; i++)
    if (!check_data(v, &m->datas[i]))
      return false;
  return true;
}

/* spec: validation, modules. The order follows the spec's presentation;
** C.refs must be complete before any body is checked. */
bool aotc_module_validate(aotc_module *m, aotc_diag *d) {
  aotc_validator v = {.m = m, .diag = d};
  v.refs = aotc_arena_alloc(m->arena, (size_t)m->n_funcs / 8 + 1, 1, d);
  if (!v.refs)
    return false;
  return check_imports(&v) && check_definitions(&v) && check_segments(&v) && check_exports(&v) &&
         check_start(&v) && aotc_validate_funcs(&v);
}
