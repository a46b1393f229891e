/*
** names.c: custom sections (kept as slices, in order) and the "name" custom
** section (module and function names, for symbols and backtraces). The name
** section is decoded leniently: the spec says a malformed one must not make
** the module malformed, so errors here only drop the names.
*/
#include "decode.h"

#include <string.h>

static bool name_is(const aotc_name *n, const char *s) {
  return n->len == strlen(s) && memcmp(n->ptr, s, n->len) == 0;
}

static bool read_func_names(aotc_decoder *dc, aotc_reader *r) {
  uint32_t n;
  if (!aotc_read_vec_len(r, &n))
    return false;
  aotc_funcname *names = aotc_dec_alloc(dc, aotc_vec_cap(r, n, 2), sizeof *names);
  if (!names)
    return false;
  for (uint32_t i = 0; i < n; i++) {
    if (!aotc_read_u32(r, &names[i].func_idx) || !aotc_read_name(r, &names[i].name))
      return false;
    if (i > 0 && names[i].func_idx <= names[i - 1].func_idx)
      return false; /* spec: the name map is sorted by index, without duplicates */
  }
  dc->m->func_names = names;
  dc->m->n_func_names = n;
  return true;
}

/* Decodes subsections 0 (module) and 1 (functions); others are skipped. */
static void decode_name_section(aotc_decoder *dc, aotc_slice payload) {
  aotc_module *m = dc->m;
  aotc_diag scratch;
  aotc_diag_init(&scratch);
  aotc_reader r;
  aotc_reader_init(&r, m->bytes, payload.off + payload.len, &scratch);
  r.pos = payload.off;
  r.file_end = m->size;
  bool ok = true;
  while (ok && !aotc_reader_eof(&r)) {
    uint8_t id;
    uint32_t size;
    ok = aotc_read_u8(&r, &id) && aotc_read_u32(&r, &size) && size <= aotc_reader_left(&r);
    if (!ok)
      break;
    size_t end = r.pos + size, outer = r.end;
    r.end = end;
    if (id == 0)
      ok = aotc_read_name(&r, &m->module_name) && (m->has_module_name = true);
    else if (id == 1)
      ok = read_func_names(dc, &r);
    r.pos = end;
    r.end = outer;
  }
  if (!ok) {
    m->has_module_name = false;
    m->n_func_names = 0;
    m->func_names = NULL;
    /* An allocation failure is real even here. */
    if (scratch.code == AOTC_ENOMEM)
      aotc_diag_set(dc->r.diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
  }
}

bool aotc_dec_custom(aotc_decoder *dc) {
  aotc_module *m = dc->m;
  aotc_reader *r = &dc->r;
  aotc_custom c = {.after_section = dc->last_id};
  if (!aotc_read_name(r, &c.name))
    return false;
  c.payload.off = r->pos;
  c.payload.len = aotc_reader_left(r);
  r->pos = r->end;
  if (m->n_customs == dc->customs_cap) { /* geometric growth inside the arena */
    uint32_t cap = dc->customs_cap ? dc->customs_cap * 2 : 4;
    aotc_custom *arr = aotc_dec_alloc(dc, cap, sizeof *arr);
    if (!arr)
      return false;
    if (m->n_customs)
      memcpy(arr, m->customs, m->n_customs * sizeof *arr);
    m->customs = arr;
    dc->customs_cap = cap;
  }
  m->customs[m->n_customs++] = c;
  if (name_is(&c.name, "name") && m->n_func_names == 0 && !m->has_module_name)
    decode_name_section(dc, c.payload);
  return dc->r.diag->code == AOTC_OK;
}

const aotc_name *aotc_func_name(const aotc_module *m, uint32_t func_idx) {
  uint32_t lo = 0, hi = m->n_func_names;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (m->func_names[mid].func_idx < func_idx)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < m->n_func_names && m->func_names[lo].func_idx == func_idx)
    return &m->func_names[lo].name;
  return NULL;
}
