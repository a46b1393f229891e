/*
** dump.c: a stable, line-oriented text dump of a decoded module (sections,
** index spaces, segments and every instruction with its offset), used by
** `wasm2obj --dump` and the golden tests. Formatting only: it assumes a
** module that decoded successfully and reads bodies with the shared reader.
*/
#include "aotc_dump.h"
#include "instr.h"

#include <inttypes.h>
#include <string.h>

static void put_name(FILE *out, aotc_name n) {
  fputc('"', out);
  for (uint32_t i = 0; i < n.len; i++) {
    unsigned char ch = (unsigned char)n.ptr[i];
    if (ch < 0x20 || ch == '"' || ch == '\\' || ch == 0x7f)
      fprintf(out, "\\%02x", ch);
    else
      fputc(ch, out);
  }
  fputc('"', out);
}

static void put_types(FILE *out, uint32_t n, const aotc_valtype *ts) {
  fputc('(', out);
  for (uint32_t i = 0; i < n; i++)
    fprintf(out, "%s%s", i ? " " : "", aotc_valtype_name(ts[i]));
  fputc(')', out);
}

static void put_functype(FILE *out, const aotc_functype *ft) {
  put_types(out, ft->n_params, ft->params);
  fputs(" -> ", out);
  put_types(out, ft->n_results, ft->results);
}

static void put_limits(FILE *out, const aotc_limits *l) {
  fprintf(out, "min %" PRIu64, l->min);
  if (l->has_max)
    fprintf(out, " max %" PRIu64, l->max);
  if (l->is64)
    fputs(" i64", out);
}

static void put_memarg(FILE *out, const aotc_memarg *m) {
  if (m->mem_idx)
    fprintf(out, " mem=%u", m->mem_idx);
  fprintf(out, " align=%u offset=%" PRIu64, 1u << (m->align & 31), m->offset);
}

static void put_immediates(FILE *out, const aotc_reader *r, const aotc_instr *in) {
  const aotc_opinfo *info = &aotc_opinfo_table[in->op];
  switch (info->imm) {
  case AOTC_IMM_NONE: break;
  case AOTC_IMM_BLOCK:
    if (in->u.block_type == AOTC_BLOCK_EMPTY)
      break;
    if (in->u.block_type < 0)
      fprintf(out, " (result %s)", aotc_valtype_name(aotc_block_valtype(in->u.block_type)));
    else
      fprintf(out, " (type %" PRId64 ")", in->u.block_type);
    break;
  case AOTC_IMM_BRTABLE: {
    aotc_br_table_iter it;
    uint32_t l;
    aotc_br_table_iter_init(&it, r, in);
    while (aotc_br_table_next(&it, &l))
      fprintf(out, " %u", l);
    break;
  }
  case AOTC_IMM_CALLIND:
    fprintf(out, " (type %u) table=%u", in->u.call_ind.type_idx, in->u.call_ind.table_idx);
    break;
  case AOTC_IMM_TABLE2:
  case AOTC_IMM_MEM2: fprintf(out, " %u %u", in->u.pair.dst, in->u.pair.src); break;
  case AOTC_IMM_TABLEINIT:
  case AOTC_IMM_MEMINIT: fprintf(out, " %u %u", in->u.init.seg, in->u.init.dst); break;
  case AOTC_IMM_MEMARG: put_memarg(out, &in->u.mem); break;
  case AOTC_IMM_MEMLANE:
    put_memarg(out, &in->u.mem);
    fprintf(out, " lane=%u", in->u.mem.lane);
    break;
  case AOTC_IMM_I32: fprintf(out, " %" PRId32, in->u.i32); break;
  case AOTC_IMM_I64: fprintf(out, " %" PRId64, in->u.i64); break;
  case AOTC_IMM_F32: fprintf(out, " 0x%08" PRIx32, in->u.f32_bits); break;
  case AOTC_IMM_F64: fprintf(out, " 0x%016" PRIx64, in->u.f64_bits); break;
  case AOTC_IMM_V128:
    fputs(" i8x16", out);
    for (int i = 0; i < 16; i++)
      fprintf(out, " 0x%02x", in->u.bytes[i]);
    break;
  case AOTC_IMM_SHUFFLE:
    for (int i = 0; i < 16; i++)
      fprintf(out, " %u", in->u.bytes[i]);
    break;
  case AOTC_IMM_SELECTT: fprintf(out, " (result %s)", aotc_valtype_name(in->u.select_t.type)); break;
  case AOTC_IMM_REFTYPE:
    fprintf(out, " %s", in->u.reftype == AOTC_FUNCREF ? "func" : "extern");
    break;
  case AOTC_IMM_LANE: fprintf(out, " %u", in->u.lane); break;
  default: fprintf(out, " %u", in->u.idx); break;
  }
}

/* Prints instructions from slice start to end; indentation follows nesting. */
static bool put_code(FILE *out, const aotc_module *m, size_t start, size_t end, int indent,
                     aotc_diag *d) {
  aotc_reader r;
  aotc_reader_init(&r, m->bytes, end, d);
  r.pos = start;
  aotc_instr in;
  const int base = indent; /* the closing `end` of the whole sequence sits here too */
  while (!aotc_reader_eof(&r)) {
    if (!aotc_instr_read(&r, m->features, &in))
      return false;
    if ((in.op == AOTC_OP_END || in.op == AOTC_OP_ELSE) && indent > base)
      indent--;
    fprintf(out, "    0x%06zx: %*s%s", in.off, indent * 2, "", aotc_opinfo_table[in.op].name);
    put_immediates(out, &r, &in);
    fputc('\n', out);
    if (in.op == AOTC_OP_BLOCK || in.op == AOTC_OP_LOOP || in.op == AOTC_OP_IF ||
        in.op == AOTC_OP_ELSE)
      indent++;
  }
  return true;
}

static bool put_expr(FILE *out, const aotc_module *m, aotc_slice e, aotc_diag *d) {
  fputc('\n', out);
  return put_code(out, m, e.off, e.off + e.len, 1, d);
}

static void dump_header(FILE *out, const aotc_module *m) {
  if (m->has_module_name) {
    fputs("module ", out);
    put_name(out, m->module_name);
    fputc('\n', out);
  }
  fprintf(out, "types[%u]\n", m->n_types);
  for (uint32_t i = 0; i < m->n_types; i++) {
    fprintf(out, "  %u: ", i);
    put_functype(out, &m->types[i]);
    fputc('\n', out);
  }
  static const char *const kinds[] = {"func", "table", "memory", "global"};
  fprintf(out, "imports[%u]\n", m->n_imports);
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *im = &m->imports[i];
    fputs("  ", out);
    put_name(out, im->module);
    fputc('.', out);
    put_name(out, im->name);
    fprintf(out, " %s %u\n", kinds[im->kind], im->idx);
  }
  fprintf(out, "tables[%u]\n", m->n_tables);
  for (uint32_t i = 0; i < m->n_tables; i++) {
    fprintf(out, "  %u: %s ", i, aotc_valtype_name(m->tables[i].type.elem));
    put_limits(out, &m->tables[i].type.lim);
    fputs(m->tables[i].imported ? " imported\n" : "\n", out);
  }
  fprintf(out, "memories[%u]\n", m->n_memories);
  for (uint32_t i = 0; i < m->n_memories; i++) {
    fprintf(out, "  %u: ", i);
    put_limits(out, &m->memories[i].lim);
    fputs(m->memories[i].imported ? " imported\n" : "\n", out);
  }
}

static bool dump_globals_exports(FILE *out, const aotc_module *m, aotc_diag *d) {
  static const char *const kinds[] = {"func", "table", "memory", "global"};
  fprintf(out, "globals[%u]\n", m->n_globals);
  for (uint32_t i = 0; i < m->n_globals; i++) {
    const aotc_global *g = &m->globals[i];
    fprintf(out, "  %u: %s%s%s", i, g->type.mut ? "mut " : "", aotc_valtype_name(g->type.type),
            g->imported ? " imported\n" : "");
    if (!g->imported && !put_expr(out, m, g->init, d))
      return false;
  }
  fprintf(out, "exports[%u]\n", m->n_exports);
  for (uint32_t i = 0; i < m->n_exports; i++) {
    fputs("  ", out);
    put_name(out, m->exports[i].name);
    fprintf(out, " %s %u\n", kinds[m->exports[i].kind], m->exports[i].idx);
  }
  if (m->has_start)
    fprintf(out, "start %u\n", m->start_idx);
  return true;
}

static bool dump_segments(FILE *out, const aotc_module *m, aotc_diag *d) {
  static const char *const modes[] = {"active", "passive", "declarative"};
  fprintf(out, "elems[%u]\n", m->n_elems);
  for (uint32_t i = 0; i < m->n_elems; i++) {
    const aotc_elem *e = &m->elems[i];
    fprintf(out, "  %u: %s %s", i, modes[e->mode], aotc_valtype_name(e->type));
    if (e->mode == AOTC_SEG_ACTIVE) {
      fprintf(out, " table %u offset", e->table_idx);
      if (!put_expr(out, m, e->offset, d))
        return false;
    } else {
      fputc('\n', out);
    }
    fprintf(out, "    items[%u]", e->n_items);
    for (uint32_t k = 0; k < e->n_items && !e->uses_exprs; k++)
      fprintf(out, " %u", e->func_idxs[k]);
    fputc('\n', out);
    for (uint32_t k = 0; k < e->n_items && e->uses_exprs; k++)
      if (!put_code(out, m, e->exprs[k].off, e->exprs[k].off + e->exprs[k].len, 1, d))
        return false;
  }
  fprintf(out, "datas[%u]\n", m->n_datas);
  for (uint32_t i = 0; i < m->n_datas; i++) {
    const aotc_data *dd = &m->datas[i];
    fprintf(out, "  %u: %s %zu bytes", i, modes[dd->mode], dd->bytes.len);
    if (dd->mode == AOTC_SEG_ACTIVE) {
      fprintf(out, " memory %u offset", dd->mem_idx);
      if (!put_expr(out, m, dd->offset, d))
        return false;
    } else {
      fputc('\n', out);
    }
  }
  return true;
}

static bool dump_code(FILE *out, const aotc_module *m, aotc_diag *d) {
  fprintf(out, "funcs[%u] (%u imported)\n", m->n_funcs, m->n_func_imports);
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    fprintf(out, "  func %u", i);
    const aotc_name *n = aotc_func_name(m, i);
    if (n) {
      fputc(' ', out);
      put_name(out, *n);
    }
    fprintf(out, " type %u: ", m->func_types[i]);
    if (m->func_types[i] < m->n_types)
      put_functype(out, aotc_func_type(m, i));
    if (aotc_func_is_import(m, i)) {
      fputs(" imported\n", out);
      continue;
    }
    const aotc_code *c = &m->codes[aotc_func_to_def(m, i)];
    fprintf(out, "\n    locals");
    for (uint32_t k = 0; k < c->n_decls; k++)
      fprintf(out, " %s*%u", aotc_valtype_name(c->decls[k].type), c->decls[k].count);
    fprintf(out, "; body 0x%zx+%zu, depth %u\n", c->body.off, c->body.len, c->max_depth);
    if (!put_code(out, m, c->instr_off, c->body.off + c->body.len, 0, d))
      return false;
  }
  return true;
}

bool aotc_module_dump(const aotc_module *m, FILE *out, aotc_diag *d) {
  dump_header(out, m);
  if (!dump_globals_exports(out, m, d) || !dump_segments(out, m, d))
    return false;
  if (!dump_code(out, m, d))
    return false;
  fprintf(out, "customs[%u]\n", m->n_customs);
  for (uint32_t i = 0; i < m->n_customs; i++) {
    fputs("  ", out);
    put_name(out, m->customs[i].name);
    fprintf(out, " %zu bytes after section %u\n", m->customs[i].payload.len,
            m->customs[i].after_section);
  }
  return true;
}
