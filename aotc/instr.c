/*
** instr.c: the opcode info table and the instruction reader. It decodes
** opcodes and immediates only (the binary grammar); which indices exist and how
** instructions type is validate_func.c's business.
*/
#include "instr.h"

const aotc_opinfo aotc_opinfo_table[AOTC_OP_COUNT] = {
#define OP(id, pfx, cd, im, feat, sg, al, fam, text)                                               \
  [AOTC_OP_##id] = {.prefix = pfx,                                                                 \
                    .imm = AOTC_IMM_##im,                                                          \
                    .align = al,                                                                   \
                    .family = AOTC_FAM_##fam,                                                      \
                    .code = cd,                                                                    \
                    .feature = AOTC_FEAT_##feat,                                                   \
                    .sig = sg,                                                                     \
                    .name = text},
#include "opcodes.def"
#undef OP
};

/* Opcode lookup, inverted from the table at compile time: one 256-entry page
** per prefix (none, 0xfc, 0xfd), holding op + 1 (0 = no such opcode). */
#define PAGE(pfx) ((pfx) == 0 ? 0 : (pfx) == 0xfc ? 1 : 2)
static const uint16_t op_pages[3 * 256] = {
#define OP(id, pfx, cd, im, feat, sg, al, fam, text) [PAGE(pfx) * 256 + (cd)] = AOTC_OP_##id + 1,
#include "opcodes.def"
#undef OP
};
#undef PAGE

static int op_lookup(uint32_t key) {
  uint32_t pfx = key >> 24, code = key & 0xffffff;
  if (code > 0xff)
    return -1;
  uint32_t page = pfx == 0 ? 0 : pfx == 0xfc ? 1 : 2;
  return (int)op_pages[page * 256 + code] - 1;
}

static bool unsupported(aotc_reader *r, size_t off, uint32_t feature, const char *what) {
  return aotc_diag_set(r->diag, AOTC_EUNSUPPORTED, off, "%s requires feature '%s'", what,
                       aotc_feature_name(feature));
}

bool aotc_read_valtype(aotc_reader *r, uint32_t features, aotc_valtype *out) {
  size_t at = r->pos;
  uint8_t b;
  if (!aotc_read_u8(r, &b))
    return false;
  switch (b) {
  case AOTC_I32:
  case AOTC_I64:
  case AOTC_F32:
  case AOTC_F64:
    break;
  case AOTC_V128:
    if (!(features & AOTC_FEAT_SIMD))
      return unsupported(r, at, AOTC_FEAT_SIMD, "v128");
    break;
  case AOTC_FUNCREF:
  case AOTC_EXTERNREF:
    if (!(features & AOTC_FEAT_REFERENCE_TYPES))
      return unsupported(r, at, AOTC_FEAT_REFERENCE_TYPES, "reference-typed value");
    break;
  default:
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed value type 0x%02x", b);
  }
  *out = b;
  return true;
}

bool aotc_read_reftype(aotc_reader *r, uint32_t features, aotc_valtype *out) {
  size_t at = r->pos;
  uint8_t b;
  if (!aotc_read_u8(r, &b))
    return false;
  if (b == AOTC_FUNCREF || (b == AOTC_EXTERNREF && (features & AOTC_FEAT_REFERENCE_TYPES))) {
    *out = b;
    return true;
  }
  if (b == AOTC_EXTERNREF)
    return unsupported(r, at, AOTC_FEAT_REFERENCE_TYPES, "externref");
  return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed reference type");
}

/* spec: binary format, control instructions, blocktype (s33). */
static bool read_block_type(aotc_reader *r, uint32_t features, int64_t *out) {
  size_t at = r->pos;
  if (r->pos < r->end) {
    uint8_t b = r->base[r->pos];
    if (b == 0x40) {
      r->pos++;
      *out = AOTC_BLOCK_EMPTY;
      return true;
    }
    if (b >= 0x40 && b < 0x80) { /* a negative one-byte s33: a value type */
      aotc_valtype t;
      if (!aotc_read_valtype(r, features, &t))
        return false;
      *out = (int64_t)t - 0x80; /* the byte's s33 value: negative */
      return true;
    }
  }
  int64_t v;
  if (!aotc_read_s33(r, &v))
    return false;
  if (v < 0)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "malformed block type");
  if (!(features & AOTC_FEAT_MULTI_VALUE))
    return unsupported(r, at, AOTC_FEAT_MULTI_VALUE, "type-indexed block type");
  *out = v;
  return true;
}

/* A memory index, or the MVP's reserved zero byte when multi-memory is off. */
static bool read_mem_idx(aotc_reader *r, uint32_t features, uint32_t *out) {
  if (features & AOTC_FEAT_MULTI_MEMORY)
    return aotc_read_u32(r, out);
  size_t at = r->pos;
  uint8_t b;
  if (!aotc_read_u8(r, &b))
    return false;
  if (b != 0)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "zero byte expected");
  *out = 0;
  return true;
}

/* spec: binary format, memory instructions, memarg. Bit 6 of the alignment
** flags a memory index (multi-memory); offsets are u64 with memory64. */
static bool read_memarg(aotc_reader *r, uint32_t features, aotc_memarg *m) {
  if (!aotc_read_u32(r, &m->align))
    return false;
  m->mem_idx = 0;
  if ((features & AOTC_FEAT_MULTI_MEMORY) && (m->align & 0x40)) {
    m->align &= ~0x40u;
    if (!aotc_read_u32(r, &m->mem_idx))
      return false;
  }
  if (features & AOTC_FEAT_MEMORY64)
    return aotc_read_u64(r, &m->offset);
  uint32_t off32;
  if (!aotc_read_u32(r, &off32))
    return false;
  m->offset = off32;
  return true;
}

static bool read_lane(aotc_reader *r, uint8_t *lane) {
  return aotc_read_u8(r, lane);
}

static bool read_br_table(aotc_reader *r, aotc_instr *in) {
  uint32_t n, label;
  if (!aotc_read_vec_len(r, &n))
    return false;
  in->u.br_table.n_targets = n;
  in->u.br_table.targets_off = r->pos;
  for (uint64_t i = 0; i <= n; i++)
    if (!aotc_read_u32(r, &label))
      return false;
  return true;
}

static bool read_select_t(aotc_reader *r, uint32_t features, aotc_instr *in) {
  uint32_t n;
  if (!aotc_read_vec_len(r, &n))
    return false;
  in->u.select_t.n = n;
  in->u.select_t.type = 0;
  for (uint32_t i = 0; i < n; i++) {
    aotc_valtype t;
    if (!aotc_read_valtype(r, features, &t))
      return false;
    if (i == 0)
      in->u.select_t.type = t;
  }
  return true;
}

static bool read_immediates(aotc_reader *r, uint32_t features, aotc_imm imm, aotc_instr *in) {
  const uint8_t *p = NULL;
  switch (imm) {
  case AOTC_IMM_NONE: return true;
  case AOTC_IMM_BLOCK: return read_block_type(r, features, &in->u.block_type);
  case AOTC_IMM_LABEL:
  case AOTC_IMM_FUNC:
  case AOTC_IMM_LOCAL:
  case AOTC_IMM_GLOBAL:
  case AOTC_IMM_TABLE:
  case AOTC_IMM_ELEM:
  case AOTC_IMM_DATA: return aotc_read_u32(r, &in->u.idx);
  case AOTC_IMM_BRTABLE: return read_br_table(r, in);
  case AOTC_IMM_CALLIND:
    if (!aotc_read_u32(r, &in->u.call_ind.type_idx))
      return false;
    if (features & AOTC_FEAT_REFERENCE_TYPES)
      return aotc_read_u32(r, &in->u.call_ind.table_idx);
    in->u.call_ind.table_idx = 0;
    {
      size_t at = r->pos;
      uint8_t b;
      if (!aotc_read_u8(r, &b))
        return false;
      return b == 0 || aotc_diag_set(r->diag, AOTC_EMALFORMED, at, "zero byte expected");
    }
  case AOTC_IMM_TABLE2:
    return aotc_read_u32(r, &in->u.pair.dst) && aotc_read_u32(r, &in->u.pair.src);
  case AOTC_IMM_TABLEINIT:
    return aotc_read_u32(r, &in->u.init.seg) && aotc_read_u32(r, &in->u.init.dst);
  case AOTC_IMM_MEMARG: return read_memarg(r, features, &in->u.mem);
  case AOTC_IMM_MEMLANE:
    return read_memarg(r, features, &in->u.mem) && read_lane(r, &in->u.mem.lane);
  case AOTC_IMM_MEM: return read_mem_idx(r, features, &in->u.idx);
  case AOTC_IMM_MEM2:
    return read_mem_idx(r, features, &in->u.pair.dst) && read_mem_idx(r, features, &in->u.pair.src);
  case AOTC_IMM_MEMINIT:
    return aotc_read_u32(r, &in->u.init.seg) && read_mem_idx(r, features, &in->u.init.dst);
  case AOTC_IMM_I32: return aotc_read_s32(r, &in->u.i32);
  case AOTC_IMM_I64: return aotc_read_s64(r, &in->u.i64);
  case AOTC_IMM_F32: return aotc_read_f32(r, &in->u.f32_bits);
  case AOTC_IMM_F64: return aotc_read_f64(r, &in->u.f64_bits);
  case AOTC_IMM_V128:
  case AOTC_IMM_SHUFFLE:
    if (!aotc_read_bytes(r, 16, &p))
      return false;
    for (int i = 0; i < 16; i++)
      in->u.bytes[i] = p[i];
    return true;
  case AOTC_IMM_SELECTT: return read_select_t(r, features, in);
  case AOTC_IMM_REFTYPE: return aotc_read_reftype(r, features, &in->u.reftype);
  case AOTC_IMM_LANE: return read_lane(r, &in->u.lane);
  }
  return aotc_diag_set(r->diag, AOTC_EINTERNAL, in->off, "bad immediate kind");
}

bool aotc_instr_read(aotc_reader *r, uint32_t features, aotc_instr *in) {
  in->off = r->pos;
  uint8_t b;
  uint32_t key;
  if (!aotc_read_u8(r, &b))
    return false;
  if (b == 0xfc || b == 0xfd) {
    uint32_t sub;
    if (!aotc_read_u32(r, &sub))
      return false;
    if (sub > 0xffffff)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, in->off, "illegal opcode");
    key = (uint32_t)b << 24 | sub;
  } else {
    key = b;
  }
  int op = op_lookup(key);
  if (op < 0) {
    if (key >> 24)
      return aotc_diag_set(r->diag, AOTC_EMALFORMED, in->off, "illegal opcode 0x%02x 0x%x",
                           key >> 24, key & 0xffffff);
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, in->off, "illegal opcode 0x%02x", b);
  }
  const aotc_opinfo *info = &aotc_opinfo_table[op];
  if (info->feature && !(features & info->feature))
    return unsupported(r, in->off, info->feature, info->name);
  in->op = (aotc_op)op;
  return read_immediates(r, features, (aotc_imm)info->imm, in);
}

void aotc_br_table_iter_init(aotc_br_table_iter *it, const aotc_reader *r, const aotc_instr *in) {
  it->r = *r;
  it->r.pos = in->u.br_table.targets_off;
  it->left = in->u.br_table.n_targets + 1;
}

bool aotc_br_table_next(aotc_br_table_iter *it, uint32_t *label) {
  if (it->left == 0)
    return false;
  it->left--;
  return aotc_read_u32(&it->r, label);
}
