/*
** instr.h: opcodes and the instruction reader shared by the decoder's
** structural scan, the validator, the dump and codegen. The opcode set comes
** from opcodes.def; this file adds the enums and the decoded-instruction record.
** Typing rules are not here (validate_func.c).
*/
#ifndef AOTC_INSTR_H
#define AOTC_INSTR_H

#include "reader.h"

typedef enum aotc_op {
#define OP(id, pfx, code, imm, feat, sig, align, fam, text) AOTC_OP_##id,
#include "opcodes.def"
#undef OP
  AOTC_OP_COUNT
} aotc_op;

typedef enum aotc_imm {
  AOTC_IMM_NONE,
  AOTC_IMM_BLOCK,     /* block type */
  AOTC_IMM_LABEL,     /* br, br_if */
  AOTC_IMM_BRTABLE,
  AOTC_IMM_FUNC,      /* call, return_call, ref.func */
  AOTC_IMM_CALLIND,   /* type index, table index */
  AOTC_IMM_LOCAL,
  AOTC_IMM_GLOBAL,
  AOTC_IMM_TABLE,
  AOTC_IMM_TABLE2,    /* table.copy dst src */
  AOTC_IMM_TABLEINIT, /* elem index, table index */
  AOTC_IMM_ELEM,
  AOTC_IMM_MEMARG,
  AOTC_IMM_MEM,       /* memory index (a zero byte without multi-memory) */
  AOTC_IMM_MEM2,      /* memory.copy dst src */
  AOTC_IMM_MEMINIT,   /* data index, memory index */
  AOTC_IMM_DATA,
  AOTC_IMM_I32,
  AOTC_IMM_I64,
  AOTC_IMM_F32,
  AOTC_IMM_F64,
  AOTC_IMM_V128,
  AOTC_IMM_SELECTT,
  AOTC_IMM_REFTYPE,
  AOTC_IMM_MEMLANE,   /* memarg + lane */
  AOTC_IMM_LANE,
  AOTC_IMM_SHUFFLE
} aotc_imm;

typedef enum aotc_family {
  AOTC_FAM_CONTROL,
  AOTC_FAM_CALL,
  AOTC_FAM_PARAM,
  AOTC_FAM_VAR,
  AOTC_FAM_TABLE,
  AOTC_FAM_MEM,
  AOTC_FAM_NUM,
  AOTC_FAM_CONV,
  AOTC_FAM_REF,
  AOTC_FAM_SIMD
} aotc_family;

typedef struct aotc_opinfo {
  uint8_t prefix;     /* 0, 0xfc or 0xfd */
  uint8_t imm;        /* aotc_imm */
  uint8_t align;      /* natural alignment, log2 (memory accesses) */
  uint8_t family;     /* aotc_family */
  uint32_t code;
  uint32_t feature;   /* AOTC_FEAT_* mask, 0 for the MVP */
  const char *sig;    /* see opcodes.def; NULL = special typing rule */
  const char *name;
} aotc_opinfo;

extern const aotc_opinfo aotc_opinfo_table[AOTC_OP_COUNT];

/* Block types hold the s33 value: AOTC_BLOCK_EMPTY, a negative value type
** (aotc_block_valtype recovers the code), or >= 0 a type index. */
#define AOTC_BLOCK_EMPTY (-64)
static inline aotc_valtype aotc_block_valtype(int64_t bt) {
  return (aotc_valtype)(bt + 0x80);
}

typedef struct aotc_memarg {
  uint32_t align;     /* log2, as encoded (bit 6 stripped when it flagged a memory index) */
  uint32_t mem_idx;
  uint64_t offset;
  uint8_t lane;       /* AOTC_IMM_MEMLANE only */
} aotc_memarg;

/* One decoded instruction. Immediates are fully read and range-checked for
** encoding only; index validity is the validator's job. */
typedef struct aotc_instr {
  aotc_op op;
  size_t off;         /* offset of the opcode */
  union {
    int64_t block_type;
    uint32_t idx;     /* label, func, local, global, table, elem, data, memory */
    struct {
      uint32_t type_idx, table_idx;
    } call_ind;
    struct {
      uint32_t dst, src;
    } pair;           /* table.copy, memory.copy */
    struct {
      uint32_t seg, dst;
    } init;           /* table.init (elem, table), memory.init (data, memory) */
    struct {
      uint32_t n_targets;
      size_t targets_off; /* the n_targets + 1 label LEBs start here */
    } br_table;
    aotc_memarg mem;
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    uint8_t bytes[16];  /* v128.const, i8x16.shuffle lanes */
    uint8_t lane;
    struct {
      uint32_t n;
      aotc_valtype type;
    } select_t;
    aotc_valtype reftype;
  } u;
} aotc_instr;

/* Reads one instruction at r->pos. Unknown opcodes are "illegal opcode";
** an opcode whose feature is not in `features` is AOTC_EUNSUPPORTED. */
bool aotc_instr_read(aotc_reader *r, uint32_t features, aotc_instr *out);

/* Reads target i (0..n_targets; n_targets = default) of a decoded br_table by
** walking the LEBs; use aotc_br_table_iter for sequential access. */
typedef struct aotc_br_table_iter {
  aotc_reader r;
  uint32_t left;
} aotc_br_table_iter;
void aotc_br_table_iter_init(aotc_br_table_iter *it, const aotc_reader *r, const aotc_instr *in);
/* Yields the n_targets labels, then the default; returns false when done. */
bool aotc_br_table_next(aotc_br_table_iter *it, uint32_t *label);

/* Reads a value type byte ("malformed value type" otherwise); gated by features. */
bool aotc_read_valtype(aotc_reader *r, uint32_t features, aotc_valtype *out);
bool aotc_read_reftype(aotc_reader *r, uint32_t features, aotc_valtype *out);

#endif
