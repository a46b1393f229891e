/*
** decode.c: the module's binary grammar: header, section order and sizes, and
** every non-code section into the aotc_module model. Function bodies and
** constant expressions are scanned structurally in decode_code.c; the name
** section in names.c. Nothing here checks that an index exists or that types
** match: that is validation (validate.c), so "malformed" and "invalid" stay apart.
*/
#include "decode.h"

#include <stdlib.h>
#include <string.h>

/* Section ids. */
enum {
  SEC_CUSTOM = 0, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY, SEC_GLOBAL,
  SEC_EXPORT, SEC_START, SEC_ELEM, SEC_CODE, SEC_DATA, SEC_DATACOUNT
};

/* spec: binary format, modules: the order of non-custom sections. DataCount
** (12) sits between Element (9) and Code (10). */
static int section_rank(uint8_t id) {
  static const int8_t rank[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return rank[id];
}

void *aotc_dec_alloc(aotc_decoder *dc, size_t n, size_t size) {
  return aotc_arena_alloc(dc->m->arena, n, size, dc->r.diag);
}

static bool read_functype(aotc_decoder *dc, aotc_functype *ft) {
  aotc_reader *r = &dc->r;
  size_t at = r->pos;
  uint8_t form;
  uint32_t np, nr;
  if (!aotc_read_u8(r, &form))
    return false;
  if (form != 0x60)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed function type 0x%02x", form);
  if (!aotc_read_vec_len(r, &np))
    return false;
  aotc_valtype *params = aotc_dec_alloc(dc, aotc_vec_cap(r, np, 1), 1);
  if (!params)
    return false;
  for (uint32_t i = 0; i < np; i++)
    if (!aotc_read_valtype(r, dc->features, &params[i]))
      return false;
  at = r->pos;
  if (!aotc_read_vec_len(r, &nr))
    return false;
  if (nr > 1 && !(dc->features & AOTC_FEAT_MULTI_VALUE))
    return aotc_diag_set(r->diag, AOTC_EUNSUPPORTED, at,
                         "multiple results require feature 'multi-value'");
  aotc_valtype *results = aotc_dec_alloc(dc, aotc_vec_cap(r, nr, 1), 1);
  if (!results)
    return false;
  for (uint32_t i = 0; i < nr; i++)
    if (!aotc_read_valtype(r, dc->features, &results[i]))
      return false;
  ft->n_params = np, ft->params = params;
  ft->n_results = nr, ft->results = results;
  return true;
}

static bool decode_types(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  if (!aotc_read_vec_len(&dc->r, &m->n_types))
    return false;
  m->types = aotc_dec_alloc(dc, aotc_vec_cap(&dc->r, m->n_types, 3), sizeof *m->types);
  if (!m->types)
    return false;
  for (uint32_t i = 0; i < m->n_types; i++)
    if (!read_functype(dc, &m->types[i]))
      return false;
  return true;
}

/* spec: binary format, limits. Flags: bit 0 = has max, bit 1 = shared
** (threads, not supported), bit 2 = 64-bit index (memory64, memories only). */
static bool read_limits(aotc_decoder *dc, aotc_limits *lim, bool is_memory) {
  aotc_reader *r = &dc->r;
  size_t at = r->pos;
  uint8_t flags;
  if (!aotc_read_u8(r, &flags))
    return false;
  uint8_t allowed = 0x01;
  if (is_memory && (dc->features & AOTC_FEAT_MEMORY64))
    allowed |= 0x04;
  /* The reference interpreter reads the flags as a small LEB128 number; we
  ** word the errors alike. Shared memories (threads) are not supported. */
  if (flags & 0x80)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "integer representation too long");
  if (flags & ~allowed) {
    if (is_memory && flags == 0x04)
      return aotc_diag_set(r->diag, AOTC_EUNSUPPORTED, at,
                           "64-bit memory requires feature 'memory64'");
    if (flags < 0x04)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, at,
                           "integer too large (limits flags 0x%02x; shared memories are not "
                           "supported)",
                           flags);
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed limits flags");
  }
  lim->has_max = flags & 1;
  lim->is64 = (flags & 4) != 0;
  lim->shared = false;
  lim->max = 0;
  if (lim->is64) {
    if (!aotc_read_u64(r, &lim->min) || (lim->has_max && !aotc_read_u64(r, &lim->max)))
      return false;
  } else {
    uint32_t v;
    if (!aotc_read_u32(r, &v))
      return false;
    lim->min = v;
    if (lim->has_max) {
      if (!aotc_read_u32(r, &v))
        return false;
      lim->max = v;
    }
  }
  return true;
}

/* A table or memory, imported or defined, with the offset of its type. */
static bool read_table(aotc_decoder *dc, aotc_table *t, bool imported) {
  t->off = dc->r.pos;
  t->imported = imported;
  return aotc_read_reftype(&dc->r, dc->features, &t->type.elem) &&
         read_limits(dc, &t->type.lim, false);
}

static bool read_memory(aotc_decoder *dc, aotc_memory *mem, bool imported) {
  mem->off = dc->r.pos;
  mem->imported = imported;
  return read_limits(dc, &mem->lim, true);
}

static bool read_globaltype(aotc_decoder *dc, aotc_globaltype *gt) {
  aotc_reader *r = &dc->r;
  if (!aotc_read_valtype(r, dc->features, &gt->type))
    return false;
  size_t at = r->pos;
  uint8_t mut;
  if (!aotc_read_u8(r, &mut))
    return false;
  if (mut > 1)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed mutability");
  gt->mut = mut;
  return true;
}

/* Imports are first counted per kind so the unified index spaces can be
** allocated once: imports at the front, definitions appended later. */
static bool decode_imports(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  aotc_reader *r = &dc->r;
  if (!aotc_read_vec_len(r, &m->n_imports))
    return false;
  size_t cap = aotc_vec_cap(r, m->n_imports, 4);
  m->imports = aotc_dec_alloc(dc, cap, sizeof *m->imports);
  dc->import_desc = aotc_dec_alloc(dc, cap, sizeof *dc->import_desc);
  if (!m->imports || !dc->import_desc)
    return false;
  for (uint32_t i = 0; i < m->n_imports; i++) {
    aotc_import *im = &m->imports[i];
    aotc_import_desc *desc = &dc->import_desc[i];
    im->off = r->pos;
    if (!aotc_read_name(r, &im->module) || !aotc_read_name(r, &im->name))
      return false;
    size_t at = r->pos;
    if (!aotc_read_u8(r, &im->kind))
      return false;
    switch (im->kind) {
    case AOTC_EXTERN_FUNC:
      if (!aotc_read_u32(r, &desc->type_idx))
        return false;
      im->idx = m->n_func_imports++;
      break;
    case AOTC_EXTERN_TABLE:
      if (!read_table(dc, &desc->table, true))
        return false;
      im->idx = m->n_table_imports++;
      break;
    case AOTC_EXTERN_MEMORY:
      if (!read_memory(dc, &desc->mem, true))
        return false;
      im->idx = m->n_memory_imports++;
      break;
    case AOTC_EXTERN_GLOBAL:
      if (!read_globaltype(dc, &desc->global))
        return false;
      im->idx = m->n_global_imports++;
      break;
    default:
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed import kind");
    }
  }
  return true;
}

/* Allocates the unified index spaces and fills in the imported entries. */
static bool build_import_spaces(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  m->n_funcs = m->n_func_imports;
  m->n_tables = m->n_table_imports;
  m->n_memories = m->n_memory_imports;
  m->n_globals = m->n_global_imports;
  m->func_types = aotc_dec_alloc(dc, m->n_funcs, sizeof *m->func_types);
  m->tables = aotc_dec_alloc(dc, m->n_tables, sizeof *m->tables);
  m->memories = aotc_dec_alloc(dc, m->n_memories, sizeof *m->memories);
  m->globals = aotc_dec_alloc(dc, m->n_globals, sizeof *m->globals);
  if (!m->func_types || !m->tables || !m->memories || !m->globals)
    return false;
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *im = &m->imports[i];
    const aotc_import_desc *desc = &dc->import_desc[i];
    switch (im->kind) {
    case AOTC_EXTERN_FUNC: m->func_types[im->idx] = desc->type_idx; break;
    case AOTC_EXTERN_TABLE: m->tables[im->idx] = desc->table; break;
    case AOTC_EXTERN_MEMORY: m->memories[im->idx] = desc->mem; break;
    case AOTC_EXTERN_GLOBAL: m->globals[im->idx].type = desc->global, m->globals[im->idx].imported = true; break;
    default: break;
    }
  }
  return true;
}

/* Each defining section appends its definitions after the imports of its
** index space; the section order guarantees it runs once, after the imports. */
static void *extend_space(aotc_decoder *dc, const void *old, uint32_t *count, uint32_t n_imports,
                          uint32_t n_def, size_t elem_size) {
  unsigned char *arr = aotc_dec_alloc(dc, (size_t)n_imports + n_def, elem_size);
  if (!arr)
    return NULL;
  if (n_imports)
    memcpy(arr, old, (size_t)n_imports * elem_size);
  *count = n_imports + n_def;
  return arr;
}

static bool decode_functions(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  uint32_t n;
  if (!aotc_read_vec_len(&dc->r, &n))
    return false;
  m->func_types = extend_space(dc, m->func_types, &m->n_funcs, m->n_func_imports,
                               (uint32_t)aotc_vec_cap(&dc->r, n, 1), 4);
  if (!m->func_types)
    return false;
  for (uint32_t i = 0; i < n; i++)
    if (!aotc_read_u32(&dc->r, &m->func_types[m->n_func_imports + i]))
      return false;
  m->func_section_off = dc->section_off;
  return true;
}

static bool decode_tables(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  uint32_t n;
  if (!aotc_read_vec_len(&dc->r, &n))
    return false;
  m->tables = extend_space(dc, m->tables, &m->n_tables, m->n_table_imports,
                           (uint32_t)aotc_vec_cap(&dc->r, n, 3), sizeof *m->tables);
  if (!m->tables)
    return false;
  for (uint32_t i = 0; i < n; i++)
    if (!read_table(dc, &m->tables[m->n_table_imports + i], false))
      return false;
  return true;
}

static bool decode_memories(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  uint32_t n;
  if (!aotc_read_vec_len(&dc->r, &n))
    return false;
  m->memories = extend_space(dc, m->memories, &m->n_memories, m->n_memory_imports,
                             (uint32_t)aotc_vec_cap(&dc->r, n, 2), sizeof *m->memories);
  if (!m->memories)
    return false;
  for (uint32_t i = 0; i < n; i++)
    if (!read_memory(dc, &m->memories[m->n_memory_imports + i], false))
      return false;
  return true;
}

static bool decode_globals(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  uint32_t n;
  if (!aotc_read_vec_len(&dc->r, &n))
    return false;
  m->globals = extend_space(dc, m->globals, &m->n_globals, m->n_global_imports,
                            (uint32_t)aotc_vec_cap(&dc->r, n, 3), sizeof *m->globals);
  if (!m->globals)
    return false;
  for (uint32_t i = 0; i < n; i++) {
    aotc_global *g = &m->globals[m->n_global_imports + i];
    if (!read_globaltype(dc, &g->type) || !aotc_dec_const_expr(dc, &g->init))
      return false;
  }
  return true;
}

static bool decode_exports(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  aotc_reader *r = &dc->r;
  if (!aotc_read_vec_len(r, &m->n_exports))
    return false;
  m->exports = aotc_dec_alloc(dc, aotc_vec_cap(r, m->n_exports, 3), sizeof *m->exports);
  if (!m->exports)
    return false;
  for (uint32_t i = 0; i < m->n_exports; i++) {
    aotc_export *ex = &m->exports[i];
    ex->off = r->pos;
    if (!aotc_read_name(r, &ex->name))
      return false;
    size_t at = r->pos;
    if (!aotc_read_u8(r, &ex->kind))
      return false;
    if (ex->kind > AOTC_EXTERN_GLOBAL)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed export kind");
    if (!aotc_read_u32(r, &ex->idx))
      return false;
  }
  return true;
}

static bool decode_start(aotc_decoder *dc) {
  dc->m->has_start = true;
  dc->m->start_off = dc->r.pos;
  return aotc_read_u32(&dc->r, &dc->m->start_idx);
}

static bool decode_datacount(aotc_decoder *dc) {
  dc->m->has_data_count = true;
  dc->data_count_off = dc->section_off;
  return aotc_read_u32(&dc->r, &dc->m->data_count);
}

static bool decode_section(aotc_decoder *dc, uint8_t id) {
  switch (id) {
  case SEC_TYPE: return decode_types(dc);
  case SEC_IMPORT:
    return decode_imports(dc) && build_import_spaces(dc);
  case SEC_FUNCTION: return decode_functions(dc);
  case SEC_TABLE: return decode_tables(dc);
  case SEC_MEMORY: return decode_memories(dc);
  case SEC_GLOBAL: return decode_globals(dc);
  case SEC_EXPORT: return decode_exports(dc);
  case SEC_START: return decode_start(dc);
  case SEC_ELEM: return aotc_dec_elems(dc);
  case SEC_CODE: return aotc_dec_code(dc);
  case SEC_DATA: return aotc_dec_datas(dc);
  case SEC_DATACOUNT: return decode_datacount(dc);
  default: return aotc_dec_custom(dc);
  }
}

static bool decode_header(aotc_reader *r) {
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
  const uint8_t *p = NULL;
  if (aotc_reader_left(r) >= 4 && memcmp(r->base, magic, 4) != 0)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, 0, "magic header not detected");
  if (!aotc_read_bytes(r, 4, &p))
    return false;
  if (memcmp(p, magic, 4) != 0)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, 0, "magic header not detected");
  if (!aotc_read_bytes(r, 4, &p))
    return false;
  if (p[0] != 1 || p[1] != 0 || p[2] != 0 || p[3] != 0)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, 4, "unknown binary version");
  return true;
}

/* Reads one section header and its contents; the section's sub-range bounds
** every read so an entry cannot spill into the next section. */
static bool decode_one_section(aotc_decoder *dc, int *last_rank) {
  aotc_reader *r = &dc->r;
  size_t id_off = r->pos;
  uint8_t id;
  uint32_t size;
  if (!aotc_read_u8(r, &id))
    return false;
  if (id > SEC_DATACOUNT)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, id_off, "malformed section id %u", id);
  if (!aotc_read_u32(r, &size))
    return false;
  if (size > aotc_reader_left(r))
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos,
                         "length out of bounds: section size %u exceeds the %zu bytes left", size,
                         aotc_reader_left(r));
  if (id != SEC_CUSTOM) {
    int rank = section_rank(id);
    if (rank <= *last_rank)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, id_off,
                           "unexpected content after last section (section %u out of order or "
                           "repeated)",
                           id);
    *last_rank = rank;
    dc->last_id = id;
  }
  size_t outer_end = r->end;
  r->end = r->pos + size;
  r->in_section = true;
  dc->section_off = id_off;
  bool ok = decode_section(dc, id);
  r->in_section = false;
  if (ok && r->pos != r->end)
    ok = aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "section size mismatch");
  r->pos = r->end;
  r->end = outer_end;
  return ok;
}

/* Cross-section rules of the binary format. */
static bool check_counts(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  uint32_t n_def = m->n_funcs - m->n_func_imports;
  if (n_def != m->n_codes)
    return aotc_diag_set(dc->r.diag, AOTC_EMALFORMED,
                         m->code_section_off ? m->code_section_off : m->func_section_off,
                         "function and code section have inconsistent lengths (%u vs %u)", n_def,
                         m->n_codes);
  /* Without a data count section, data indices in code are malformed when
  ** there is a data section to refer to. With no data section at all they
  ** are left to validation ("unknown data segment"): wast2json 1.0.32 omits
  ** the data count section for such modules and the suite expects "invalid". */
  if (dc->first_data_use && dc->has_data_section)
    return aotc_diag_set(dc->r.diag, AOTC_EMALFORMED, dc->first_data_use,
                         "data count section required");
  /* Without a data section, point at the data count section rather than 0. */
  if (m->has_data_count && m->data_count != m->n_datas)
    return aotc_diag_set(dc->r.diag, AOTC_EMALFORMED,
                         dc->has_data_section ? m->data_section_off : dc->data_count_off,
                         "data count and data section have inconsistent lengths (%u vs %u)",
                         m->data_count, m->n_datas);
  return true;
}

aotc_module *aotc_module_decode(const uint8_t *bytes, size_t size, const aotc_options *opt,
                                aotc_diag *d) {
  aotc_arena *arena = aotc_arena_new(opt ? opt->fail_alloc_after : 0);
  if (!arena) {
    aotc_diag_set(d, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
    return NULL;
  }
  aotc_module *m = aotc_arena_alloc(arena, 1, sizeof *m, d);
  if (!m) {
    aotc_arena_free(arena);
    return NULL;
  }
  m->arena = arena;
  m->bytes = bytes;
  m->size = size;
  m->features = opt ? opt->features : aotc_features_default();

  aotc_decoder dc = {.m = m, .features = m->features};
  aotc_reader_init(&dc.r, bytes, size, d);
  int last_rank = 0;
  bool ok = decode_header(&dc.r);
  while (ok && !aotc_reader_eof(&dc.r))
    ok = decode_one_section(&dc, &last_rank);
  ok = ok && check_counts(&dc);
  if (!ok) {
    aotc_arena_free(arena);
    return NULL;
  }
  return m;
}

void aotc_module_free(aotc_module *m) {
  if (m)
    aotc_arena_free(m->arena);
}
