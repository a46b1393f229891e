/*
** decode_code.c: the element, code and data sections, constant expressions,
** and the structural scan of function bodies (every instruction decodes,
** blocks nest and close, the body ends exactly at its final `end`). Bodies are
** kept as slices; typing is validate_func.c's job.
*/
#include "decode.h"

#include <string.h>

/* Walks instructions up to the `end` closing depth 0. Returns the block
** nesting reached in *max_depth. `kinds` (capacity `cap`) tracks open blocks:
** 1 = `if` still waiting for a possible `else`, 0 = anything else. */
typedef struct scan {
  aotc_decoder *dc;
  uint8_t *kinds;
  size_t cap, depth, max_depth;
} scan;

static bool scan_instr(scan *s, const aotc_instr *in, bool *done) {
  aotc_reader *r = &s->dc->r;
  switch (in->op) {
  case AOTC_OP_BLOCK:
  case AOTC_OP_LOOP:
  case AOTC_OP_IF:
    if (s->depth == s->cap) { /* grow geometrically; the arena reset reclaims it */
      uint8_t *k = aotc_dec_alloc(s->dc, s->cap * 2, 1);
      if (!k)
        return false;
      memcpy(k, s->kinds, s->cap);
      s->kinds = k;
      s->cap *= 2;
    }
    s->kinds[s->depth++] = in->op == AOTC_OP_IF;
    if (s->depth > s->max_depth)
      s->max_depth = s->depth;
    return true;
  case AOTC_OP_ELSE:
    if (s->depth == 0 || s->kinds[s->depth - 1] != 1)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, in->off, "illegal opcode else (no open if)");
    s->kinds[s->depth - 1] = 0;
    return true;
  case AOTC_OP_END:
    if (s->depth == 0)
      *done = true;
    else
      s->depth--;
    return true;
  case AOTC_OP_MEMORY_INIT:
  case AOTC_OP_DATA_DROP:
    /* spec: binary format, data count section: required when bodies use data
    ** indices. Checked once the data section is known (decode.c). */
    if (!s->dc->m->has_data_count && s->dc->first_data_use == 0)
      s->dc->first_data_use = in->off;
    return true;
  default:
    return true;
  }
}

/* Scans to the final `end`. Returns false with "END opcode expected" when
** the range ends first. */
static bool scan_to_end(aotc_decoder *dc, size_t *max_depth, bool is_body) {
  aotc_reader *r = &dc->r;
  aotc_arena_mark mark = aotc_arena_get_mark(dc->m->arena);
  scan s = {.dc = dc, .cap = 64};
  s.kinds = aotc_dec_alloc(dc, s.cap, 1);
  if (!s.kinds)
    return false;
  bool done = false, ok = true;
  aotc_instr in;
  while (ok && !done) {
    if (aotc_reader_eof(r)) {
      ok = is_body ? aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "END opcode expected")
                   : aotc_reader_eof_error(r);
      break;
    }
    ok = aotc_instr_read(r, dc->features, &in) && scan_instr(&s, &in, &done);
  }
  *max_depth = s.max_depth;
  aotc_arena_reset(dc->m->arena, mark);
  return ok;
}

bool aotc_dec_const_expr(aotc_decoder *dc, aotc_slice *out) {
  size_t depth;
  out->off = dc->r.pos;
  if (!scan_to_end(dc, &depth, false))
    return false;
  out->len = dc->r.pos - out->off;
  return true;
}

/* spec: binary format, element section: flags 0..7 select active/passive/
** declarative, an explicit table index, and function indices vs expressions. */
static bool read_elem(aotc_decoder *dc, aotc_elem *e) {
  aotc_reader *r = &dc->r;
  uint32_t flags;
  e->off = r->pos;
  if (!aotc_read_u32(r, &flags))
    return false;
  if (flags > 7)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, e->off, "malformed elements segment kind");
  if (flags != 0 && !(dc->features & AOTC_FEAT_BULK_MEMORY))
    return aotc_diag_set(r->diag, AOTC_EUNSUPPORTED, e->off,
                         "element segment kind %u requires feature 'bulk-memory'", flags);
  e->mode = (flags & 1) ? ((flags & 2) ? AOTC_SEG_DECLARATIVE : AOTC_SEG_PASSIVE) : AOTC_SEG_ACTIVE;
  e->uses_exprs = (flags & 4) != 0;
  e->type = AOTC_FUNCREF;
  if (e->mode == AOTC_SEG_ACTIVE) {
    if ((flags & 2) && !aotc_read_u32(r, &e->table_idx))
      return false;
    if (!aotc_dec_const_expr(dc, &e->offset))
      return false;
  }
  if (flags & 3) {
    if (e->uses_exprs) {
      if (!aotc_read_reftype(r, dc->features, &e->type))
        return false;
    } else {
      size_t at = r->pos;
      uint8_t kind;
      if (!aotc_read_u8(r, &kind))
        return false;
      if (kind != 0)
        return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed element kind");
    }
  }
  if (!aotc_read_vec_len(r, &e->n_items))
    return false;
  size_t cap = aotc_vec_cap(r, e->n_items, 1);
  if (e->uses_exprs) {
    e->exprs = aotc_dec_alloc(dc, cap, sizeof *e->exprs);
    if (!e->exprs)
      return false;
    for (uint32_t i = 0; i < e->n_items; i++)
      if (!aotc_dec_const_expr(dc, &e->exprs[i]))
        return false;
  } else {
    e->func_idxs = aotc_dec_alloc(dc, cap, sizeof *e->func_idxs);
    if (!e->func_idxs)
      return false;
    for (uint32_t i = 0; i < e->n_items; i++)
      if (!aotc_read_u32(r, &e->func_idxs[i]))
        return false;
  }
  return true;
}

bool aotc_dec_elems(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  if (!aotc_read_vec_len(&dc->r, &m->n_elems))
    return false;
  m->elems = aotc_dec_alloc(dc, aotc_vec_cap(&dc->r, m->n_elems, 3), sizeof *m->elems);
  if (!m->elems)
    return false;
  for (uint32_t i = 0; i < m->n_elems; i++)
    if (!read_elem(dc, &m->elems[i]))
      return false;
  return true;
}

/* spec: binary format, code section: locals are (count, type) runs whose
** total must fit in u32 ("too many locals"). */
static bool read_locals(aotc_decoder *dc, aotc_code *c) {
  aotc_reader *r = &dc->r;
  if (!aotc_read_vec_len(r, &c->n_decls))
    return false;
  c->decls = aotc_dec_alloc(dc, aotc_vec_cap(r, c->n_decls, 2), sizeof *c->decls);
  if (!c->decls)
    return false;
  c->n_locals = 0;
  for (uint32_t i = 0; i < c->n_decls; i++) {
    size_t at = r->pos;
    if (!aotc_read_u32(r, &c->decls[i].count))
      return false;
    c->n_locals += c->decls[i].count;
    if (c->n_locals > UINT32_MAX)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "too many locals");
    if (!aotc_read_valtype(r, dc->features, &c->decls[i].type))
      return false;
  }
  return true;
}

static bool read_body(aotc_decoder *dc, aotc_code *c) {
  aotc_reader *r = &dc->r;
  uint32_t size;
  if (!aotc_read_u32(r, &size))
    return false;
  if (size > aotc_reader_left(r))
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "unexpected end of section or function");
  c->body.off = r->pos;
  c->body.len = size;
  size_t outer_end = r->end;
  r->end = r->pos + size;
  size_t depth = 0;
  bool ok = read_locals(dc, c);
  if (ok) {
    c->instr_off = r->pos;
    ok = scan_to_end(dc, &depth, true);
  }
  if (ok && r->pos != r->end)
    ok = aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "section size mismatch (bytes after "
                                                          "the function's final end)");
  c->max_depth = (uint32_t)depth;
  r->pos = r->end;
  r->end = outer_end;
  return ok;
}

bool aotc_dec_code(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  aotc_reader *r = &dc->r;
  size_t at = r->pos;
  m->code_section_off = dc->section_off;
  if (!aotc_read_vec_len(r, &m->n_codes))
    return false;
  if (m->n_codes != m->n_funcs - m->n_func_imports)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at,
                         "function and code section have inconsistent lengths (%u vs %u)",
                         m->n_funcs - m->n_func_imports, m->n_codes);
  m->codes = aotc_dec_alloc(dc, aotc_vec_cap(r, m->n_codes, 2), sizeof *m->codes);
  if (!m->codes)
    return false;
  for (uint32_t i = 0; i < m->n_codes; i++) {
    if (!read_body(dc, &m->codes[i])) {
      if (r->diag->func_idx == AOTC_NO_FUNC)
        r->diag->func_idx = aotc_def_to_func(m, i);
      return false;
    }
  }
  return true;
}

/* spec: binary format, data section: flags 0 (active, memory 0), 1 (passive),
** 2 (active, explicit memory). */
static bool read_data(aotc_decoder *dc, aotc_data *dd) {
  aotc_reader *r = &dc->r;
  uint32_t flags, len;
  const uint8_t *p = NULL;
  dd->off = r->pos;
  if (!aotc_read_u32(r, &flags))
    return false;
  if (flags > 2)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, dd->off, "malformed data segment kind");
  if (flags != 0 && !(dc->features & AOTC_FEAT_BULK_MEMORY))
    return aotc_diag_set(r->diag, AOTC_EUNSUPPORTED, dd->off,
                         "data segment kind %u requires feature 'bulk-memory'", flags);
  dd->mode = flags == 1 ? AOTC_SEG_PASSIVE : AOTC_SEG_ACTIVE;
  dd->mem_idx = 0;
  if (flags == 2 && !aotc_read_u32(r, &dd->mem_idx))
    return false;
  if (flags != 1 && !aotc_dec_const_expr(dc, &dd->offset))
    return false;
  if (!aotc_read_u32(r, &len))
    return false;
  if (len > aotc_reader_left(r))
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "unexpected end of section or function");
  dd->bytes.off = r->pos;
  dd->bytes.len = len;
  return aotc_read_bytes(r, len, &p);
}

bool aotc_dec_datas(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  m->data_section_off = dc->section_off;
  dc->has_data_section = true;
  if (!aotc_read_vec_len(&dc->r, &m->n_datas))
    return false;
  m->datas = aotc_dec_alloc(dc, aotc_vec_cap(&dc->r, m->n_datas, 2), sizeof *m->datas);
  if (!m->datas)
    return false;
  for (uint32_t i = 0; i < m->n_datas; i++)
    if (!read_data(dc, &m->datas[i]))
      return false;
  return true;
}
