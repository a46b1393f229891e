/*
** simd.c: every v128 instruction. Outside this file a v128 is <2 x i64> (operand
** stack, locals, globals, calls); each operation bitcasts it to its lane shape,
** emits generic vector IR or target-independent intrinsics and casts back, so
** the backend selects SSE/AVX or NEON instructions. Where Wasm and LLVM differ
** (saturation, masked shift counts, swizzle's out-of-range lanes, quiet NaNs)
** the lowering says so. Bounds checks are memory.c's, scalar numerics numeric.c's.
*/
#include "cg_internal.h"

#include <string.h>

/* Lane shapes, in the order of the spec's splat and load-lane operators. */
typedef enum shape { SH_I8, SH_I16, SH_I32, SH_I64, SH_F32, SH_F64 } shape;

static const unsigned lane_count[] = {16, 8, 4, 2, 4, 2};

static bool is_float(shape s) {
  return s >= SH_F32;
}

static shape int_shape(shape s) {
  return s == SH_F32 ? SH_I32 : s == SH_F64 ? SH_I64 : s;
}

/* The shape an operator works on, from its text name ("i16x8.add"); the
** v128.* operators are bitwise and use i64x2. */
static shape shape_of(aotc_op op) {
  static const char *const prefix[] = {"i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"};
  const char *name = aotc_opinfo_table[op].name;
  for (unsigned s = 0; s < 6; s++)
    if (!strncmp(name, prefix[s], 5))
      return (shape)s;
  return SH_I64;
}

static LLVMTypeRef elem_type(cg_unit *u, shape s) {
  LLVMTypeRef t[] = {u->i8, u->i16, u->i32, u->i64, u->f32, u->f64};
  return t[s];
}

static LLVMTypeRef vec_type(cg_unit *u, shape s) {
  return LLVMVectorType(elem_type(u, s), lane_count[s]);
}

/* Half as many lanes of the same element type: <8 x i8> for i8x16. */
static LLVMTypeRef half_type(cg_unit *u, shape s) {
  return LLVMVectorType(elem_type(u, s), lane_count[s] / 2);
}

/* Integer lanes twice as wide: <8 x i32> for <8 x i16>. */
static LLVMTypeRef wide_type(cg_unit *u, LLVMTypeRef vt) {
  unsigned bits = LLVMGetIntTypeWidth(LLVMGetElementType(vt));
  return LLVMVectorType(LLVMIntTypeInContext(u->ctx, 2 * bits), LLVMGetVectorSize(vt));
}

static LLVMValueRef pop_as(cg_func *f, shape s) {
  return LLVMBuildBitCast(f->u->b, cg_pop(f), vec_type(f->u, s), "");
}

static void push_vec(cg_func *f, LLVMValueRef v) {
  cg_push(f, LLVMBuildBitCast(f->u->b, v, f->u->v128, ""));
}

/* Every lane of integer vector type vt set to c. */
static LLVMValueRef const_splat(LLVMTypeRef vt, int64_t c) {
  LLVMValueRef e[16];
  unsigned n = LLVMGetVectorSize(vt);
  for (unsigned i = 0; i < n; i++)
    e[i] = LLVMConstInt(LLVMGetElementType(vt), (unsigned long long)c, true);
  return LLVMConstVector(e, n);
}

static LLVMValueRef fconst_splat(LLVMTypeRef vt, double c) {
  LLVMValueRef e[16];
  unsigned n = LLVMGetVectorSize(vt);
  for (unsigned i = 0; i < n; i++)
    e[i] = LLVMConstReal(LLVMGetElementType(vt), c);
  return LLVMConstVector(e, n);
}

static LLVMValueRef splat(cg_func *f, shape s, LLVMValueRef x) {
  cg_unit *u = f->u;
  LLVMValueRef poison = LLVMGetPoison(vec_type(u, s));
  LLVMValueRef v = LLVMBuildInsertElement(u->b, poison, x, cg_const_i32(u, 0), "");
  LLVMValueRef zeros = LLVMConstNull(LLVMVectorType(u->i32, lane_count[s]));
  return LLVMBuildShuffleVector(u->b, v, poison, zeros, "");
}

static LLVMValueRef shuffle(cg_func *f, LLVMValueRef a, LLVMValueRef b, const unsigned *lanes,
                            unsigned n) {
  LLVMValueRef m[16];
  for (unsigned i = 0; i < n; i++)
    m[i] = cg_const_i32(f->u, lanes[i]);
  return LLVMBuildShuffleVector(f->u->b, a, b, LLVMConstVector(m, n), "");
}

/* n lanes of v: first, first + step, first + 2 * step... */
static LLVMValueRef pick(cg_func *f, LLVMValueRef v, unsigned first, unsigned step, unsigned n) {
  unsigned lanes[16] = {0};
  for (unsigned i = 0; i < n; i++)
    lanes[i] = first + step * i;
  return shuffle(f, v, LLVMGetPoison(LLVMTypeOf(v)), lanes, n);
}

/* The lanes of a followed by those of b. */
static LLVMValueRef concat(cg_func *f, LLVMValueRef a, LLVMValueRef b) {
  unsigned lanes[16] = {0}, n = 2 * LLVMGetVectorSize(LLVMTypeOf(a));
  for (unsigned i = 0; i < n; i++)
    lanes[i] = i;
  return shuffle(f, a, b, lanes, n);
}

/* Integer lanes extended to twice their width. */
static LLVMValueRef ext(cg_func *f, LLVMValueRef v, bool sign) {
  LLVMTypeRef to = wide_type(f->u, LLVMTypeOf(v));
  return sign ? LLVMBuildSExt(f->u->b, v, to, "") : LLVMBuildZExt(f->u->b, v, to, "");
}

/* The low or high half of v's lanes (shape `from`), extended. */
static LLVMValueRef ext_half(cg_func *f, LLVMValueRef v, shape from, bool high, bool sign) {
  unsigned n = lane_count[from] / 2;
  return ext(f, pick(f, v, high ? n : 0, 1, n), sign);
}

static LLVMValueRef intrinsic1(cg_func *f, const char *name, LLVMValueRef a) {
  LLVMTypeRef ov[1] = {LLVMTypeOf(a)};
  return cg_call_intrinsic(f, name, ov, 1, &a, 1);
}

static LLVMValueRef intrinsic2(cg_func *f, const char *name, LLVMValueRef a, LLVMValueRef b) {
  LLVMTypeRef ov[1] = {LLVMTypeOf(a)};
  return cg_call_intrinsic(f, name, ov, 1, (LLVMValueRef[]){a, b}, 2);
}

/*
** ARMv7 NEON float arithmetic is not IEEE: it flushes subnormal inputs and
** results to zero, and compares them as zero, whatever the FPSCR says. VFP
** scalar arithmetic is IEEE under the default FPSCR, so on 32-bit ARM the f32x4
** operations that a subnormal can change (add, sub, mul and the compares, on
** which min, max, pmin and pmax rest) go lane by lane through VFP. The others
** need nothing: f64x2 has no NEON form (LLVM scalarises it to VFP), nor have
** div and sqrt; abs and neg only touch the sign bit; a subnormal converts to
** the integer 0 either way, and integers convert to no subnormal.
**
** LLVM's vector-combine pass turns an operation on lanes extracted at the same
** index back into the vector operation, so each lane goes through an empty
** inline asm that keeps it in its VFP register ("t", tied): no instruction,
** but opaque to the optimiser.
*/
static bool neon_flushes(cg_unit *u, LLVMValueRef v) {
  return u->arch == CG_ARCH_ARM32 && LLVMTypeOf(v) == vec_type(u, SH_F32);
}

static LLVMValueRef vfp_lane(cg_func *f, LLVMValueRef v, unsigned i) {
  cg_unit *u = f->u;
  LLVMTypeRef ft = LLVMFunctionType(u->f32, &u->f32, 1, false);
  LLVMValueRef barrier = LLVMGetInlineAsm(ft, "", 0, "=t,0", 4, false, false,
                                          LLVMInlineAsmDialectATT, false);
  LLVMValueRef x = LLVMBuildExtractElement(u->b, v, cg_const_i32(u, i), "");
  return LLVMBuildCall2(u->b, ft, barrier, &x, 1, "");
}

/* a op b for float vectors: LLVMFAdd, LLVMFSub or LLVMFMul. */
static LLVMValueRef fbinop(cg_func *f, LLVMOpcode opc, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  if (!neon_flushes(u, a))
    return LLVMBuildBinOp(u->b, opc, a, b, "");
  LLVMValueRef r = LLVMGetPoison(LLVMTypeOf(a));
  for (unsigned i = 0; i < 4; i++) {
    LLVMValueRef bi = vfp_lane(f, b, i), ai = vfp_lane(f, a, i);
    LLVMValueRef x = LLVMBuildBinOp(u->b, opc, ai, bi, "");
    r = LLVMBuildInsertElement(u->b, r, x, cg_const_i32(u, i), "");
  }
  return r;
}

/* a p b for float vectors, as a vector of i1. */
static LLVMValueRef fcmp(cg_func *f, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  if (!neon_flushes(u, a))
    return cg_fcmp(f, p, a, b);
  LLVMValueRef r = LLVMGetPoison(LLVMVectorType(u->i1, 4));
  for (unsigned i = 0; i < 4; i++) {
    LLVMValueRef bi = vfp_lane(f, b, i), ai = vfp_lane(f, a, i);
    LLVMValueRef c = LLVMBuildFCmp(u->b, p, ai, bi, "");
    r = LLVMBuildInsertElement(u->b, r, c, cg_const_i32(u, i), "");
  }
  return r;
}

static bool unhandled(cg_func *f, aotc_op op) {
  return aotc_diag_set(f->u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "simd: unhandled %s",
                       aotc_opinfo_table[op].name);
}

/* ------------------------------------------------------------ NaN quieting */

/*
** spec: arithmetic on a NaN yields a quiet NaN. As for scalars (numeric.c),
** LLVM folds x*1, x/1, x+-0, x-0, -0-x, x*-1, x/-1, demote(promote(x)) and
** constant operands (sNaN * 2 stays sNaN) into x, -x or a constant, and some
** llvm.minimum/maximum lowerings return a NaN operand unchanged. The fix is
** integer-only, so LLVM cannot fold it away: bits | (isnan ? quiet bit : 0).
*/
static LLVMValueRef quiet_lanes(cg_func *f, shape s, LLVMValueRef r) {
  cg_unit *u = f->u;
  LLVMTypeRef it = vec_type(u, int_shape(s));
  int64_t quiet = s == SH_F32 ? INT64_C(0x00400000) : INT64_C(0x0008000000000000);
  LLVMValueRef nan = LLVMBuildSExt(u->b, LLVMBuildFCmp(u->b, LLVMRealUNO, r, r, ""), it, "");
  LLVMValueRef bits = LLVMBuildBitCast(u->b, r, it, "");
  bits = LLVMBuildOr(u->b, bits, LLVMBuildAnd(u->b, nan, const_splat(it, quiet), ""), "");
  return LLVMBuildBitCast(u->b, bits, vec_type(u, s), "");
}

/* The 16 bytes (little-endian) of constant vector v, through constant
** bitcasts; false if they are not all known. */
static bool const_bytes(LLVMValueRef v, uint8_t out[16]) {
  while (LLVMIsAConstantExpr(v) && LLVMGetConstOpcode(v) == LLVMBitCast)
    v = LLVMGetOperand(v, 0);
  if (LLVMGetTypeKind(LLVMTypeOf(v)) != LLVMVectorTypeKind)
    return false;
  unsigned n = LLVMGetVectorSize(LLVMTypeOf(v)), w = 16 / n;
  for (unsigned i = 0; i < n; i++) {
    LLVMValueRef e = LLVMGetAggregateElement(v, i);
    uint64_t bits;
    LLVMBool lost;
    if (e && LLVMIsAConstantInt(e)) {
      bits = LLVMConstIntGetZExtValue(e);
    } else if (e && LLVMIsAConstantFP(e)) {
      double d = LLVMConstRealGetDouble(e, &lost);
      float x = (float)d;
      uint32_t b32;
      memcpy(&b32, &x, 4);
      if (w == 4)
        bits = b32;
      else
        memcpy(&bits, &d, 8);
    } else {
      return false;
    }
    for (unsigned j = 0; j < w; j++)
      out[i * w + j] = (uint8_t)(bits >> (8 * j));
  }
  return true;
}

/* True if v is a constant LLVM could use to fold an operation into a copy or
** negation of the other operand: some lane is 0, -0, 1 or -1, or unknown. */
static bool identity_const(LLVMValueRef v, shape s) {
  uint8_t bytes[16];
  if (!LLVMIsConstant(v))
    return false;
  if (!const_bytes(v, bytes))
    return true;
  unsigned w = s == SH_F32 ? 4 : 8;
  for (unsigned i = 0; i < lane_count[s]; i++) {
    uint64_t bits = 0;
    for (unsigned j = 0; j < w; j++)
      bits |= (uint64_t)bytes[i * w + j] << (8 * j);
    double d;
    if (s == SH_F32) {
      uint32_t b32 = (uint32_t)bits;
      float x;
      memcpy(&x, &b32, 4);
      d = x;
    } else {
      memcpy(&d, &bits, 8);
    }
    if (d == 0.0 || d == 1.0 || d == -1.0)
      return true;
  }
  return false;
}

/* ------------------------------------------------------------ memory */

static LLVMValueRef load_at(cg_func *f, const aotc_memarg *ma, LLVMValueRef index, LLVMTypeRef t) {
  cg_unit *u = f->u;
  LLVMValueRef p = cg_effective_address(f, ma, index, (unsigned)LLVMStoreSizeOfType(u->td, t));
  return cg_memory_load(f, ma->mem_idx, t, p);
}

static void store_at(cg_func *f, const aotc_memarg *ma, LLVMValueRef index, LLVMValueRef v) {
  cg_unit *u = f->u;
  unsigned size = (unsigned)LLVMStoreSizeOfType(u->td, LLVMTypeOf(v));
  cg_memory_store(f, ma->mem_idx, v, cg_effective_address(f, ma, index, size));
}

static bool memory(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  const aotc_memarg *ma = &in->u.mem;
  LLVMValueRef lane = cg_const_i32(u, ma->lane), zero = cg_const_i32(u, 0), v, x;
  aotc_op op = in->op;
  shape s;
  if (op == AOTC_OP_V128_LOAD) {
    cg_push(f, load_at(f, ma, cg_pop(f), u->v128));
  } else if (op == AOTC_OP_V128_STORE) {
    v = cg_pop(f);
    store_at(f, ma, cg_pop(f), v);
  } else if (op >= AOTC_OP_V128_LOAD8X8_S && op <= AOTC_OP_V128_LOAD32X2_U) {
    /* 64 bits of 8 x i8, 4 x i16 or 2 x i32, each lane extended to twice its width. */
    unsigned k = op - AOTC_OP_V128_LOAD8X8_S;
    s = (shape)(SH_I8 + k / 2);
    push_vec(f, ext(f, load_at(f, ma, cg_pop(f), half_type(u, s)), k % 2 == 0));
  } else if (op >= AOTC_OP_V128_LOAD8_SPLAT && op <= AOTC_OP_V128_LOAD64_SPLAT) {
    s = (shape)(op - AOTC_OP_V128_LOAD8_SPLAT);
    push_vec(f, splat(f, s, load_at(f, ma, cg_pop(f), elem_type(u, s))));
  } else if (op == AOTC_OP_V128_LOAD32_ZERO || op == AOTC_OP_V128_LOAD64_ZERO) {
    s = op == AOTC_OP_V128_LOAD32_ZERO ? SH_I32 : SH_I64;
    x = load_at(f, ma, cg_pop(f), elem_type(u, s));
    push_vec(f, LLVMBuildInsertElement(u->b, LLVMConstNull(vec_type(u, s)), x, zero, ""));
  } else if (op >= AOTC_OP_V128_LOAD8_LANE && op <= AOTC_OP_V128_LOAD64_LANE) {
    s = (shape)(op - AOTC_OP_V128_LOAD8_LANE);
    v = pop_as(f, s);
    x = load_at(f, ma, cg_pop(f), elem_type(u, s));
    push_vec(f, LLVMBuildInsertElement(u->b, v, x, lane, ""));
  } else { /* store8_lane .. store64_lane */
    s = (shape)(op - AOTC_OP_V128_STORE8_LANE);
    v = pop_as(f, s);
    store_at(f, ma, cg_pop(f), LLVMBuildExtractElement(u->b, v, lane, ""));
  }
  return true;
}

/* ------------------------------------------------------------ constants and lanes */

/*
** spec: swizzle lane i is a[s[i]], or 0 when s[i] >= 16. IR has no shuffle
** with variable indices, so: a vector of extracts by index (x86 with SSSE3
** selects pshufb from it, AArch64 tbl), then a select that zeroes the lanes
** whose index is out of range (their extracts are poison, never observed).
*/
static LLVMValueRef swizzle(cg_func *f, LLVMValueRef a, LLVMValueRef s) {
  cg_unit *u = f->u;
  LLVMTypeRef vt = vec_type(u, SH_I8);
  LLVMValueRef r = LLVMGetPoison(vt);
  for (unsigned i = 0; i < 16; i++) {
    LLVMValueRef idx = LLVMBuildExtractElement(u->b, s, cg_const_i32(u, i), "");
    LLVMValueRef e = LLVMBuildExtractElement(u->b, a, LLVMBuildZExt(u->b, idx, u->i32, ""), "");
    r = LLVMBuildInsertElement(u->b, r, e, cg_const_i32(u, i), "");
  }
  LLVMValueRef in_range = LLVMBuildICmp(u->b, LLVMIntULT, s, const_splat(vt, 16), "");
  return LLVMBuildSelect(u->b, in_range, r, LLVMConstNull(vt), "");
}

static bool lane_ops(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  aotc_op op = in->op;
  shape s = shape_of(op);
  LLVMValueRef lane = cg_const_i32(u, in->u.lane), a, b;
  switch (op) {
  case AOTC_OP_V128_CONST: {
    uint64_t half[2] = {0, 0};
    for (unsigned i = 0; i < 16; i++)
      half[i / 8] |= (uint64_t)in->u.bytes[i] << (8 * (i % 8));
    LLVMValueRef e[2] = {cg_const_i64(u, half[0]), cg_const_i64(u, half[1])};
    cg_push(f, LLVMConstVector(e, 2));
    return true;
  }
  case AOTC_OP_I8X16_SHUFFLE: {
    unsigned idx[16];
    for (unsigned i = 0; i < 16; i++)
      idx[i] = in->u.bytes[i];
    b = pop_as(f, SH_I8), a = pop_as(f, SH_I8);
    push_vec(f, shuffle(f, a, b, idx, 16));
    return true;
  }
  case AOTC_OP_I8X16_SWIZZLE:
    b = pop_as(f, SH_I8), a = pop_as(f, SH_I8);
    push_vec(f, swizzle(f, a, b));
    return true;
  case AOTC_OP_I8X16_SPLAT: case AOTC_OP_I16X8_SPLAT: case AOTC_OP_I32X4_SPLAT:
  case AOTC_OP_I64X2_SPLAT: case AOTC_OP_F32X4_SPLAT: case AOTC_OP_F64X2_SPLAT:
    a = cg_pop(f);
    if (s < SH_I32)
      a = LLVMBuildTrunc(u->b, a, elem_type(u, s), "");
    push_vec(f, splat(f, s, a));
    return true;
  case AOTC_OP_I8X16_EXTRACT_LANE_S: case AOTC_OP_I16X8_EXTRACT_LANE_S:
    a = LLVMBuildExtractElement(u->b, pop_as(f, s), lane, "");
    cg_push(f, LLVMBuildSExt(u->b, a, u->i32, ""));
    return true;
  case AOTC_OP_I8X16_EXTRACT_LANE_U: case AOTC_OP_I16X8_EXTRACT_LANE_U:
    a = LLVMBuildExtractElement(u->b, pop_as(f, s), lane, "");
    cg_push(f, LLVMBuildZExt(u->b, a, u->i32, ""));
    return true;
  case AOTC_OP_I32X4_EXTRACT_LANE: case AOTC_OP_I64X2_EXTRACT_LANE:
  case AOTC_OP_F32X4_EXTRACT_LANE: case AOTC_OP_F64X2_EXTRACT_LANE:
    cg_push(f, LLVMBuildExtractElement(u->b, pop_as(f, s), lane, ""));
    return true;
  default: /* replace_lane */
    b = cg_pop(f);
    if (s < SH_I32)
      b = LLVMBuildTrunc(u->b, b, elem_type(u, s), "");
    a = pop_as(f, s);
    push_vec(f, LLVMBuildInsertElement(u->b, a, b, lane, ""));
    return true;
  }
}

/* ------------------------------------------------------------ comparisons and bitwise */

/* Lanes compare to all ones (true) or zero. Integer operators come in the
** scalar order eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u, i64x2's without
** the unsigned ones, float ones as eq ne lt gt le ge. */
static bool compare(cg_func *f, aotc_op op) {
  static const LLVMIntPredicate ip[] = {LLVMIntEQ,  LLVMIntNE,  LLVMIntSLT, LLVMIntULT,
                                        LLVMIntSGT, LLVMIntUGT, LLVMIntSLE, LLVMIntULE,
                                        LLVMIntSGE, LLVMIntUGE};
  static const LLVMIntPredicate ip64[] = {LLVMIntEQ,  LLVMIntNE,  LLVMIntSLT,
                                          LLVMIntSGT, LLVMIntSLE, LLVMIntSGE};
  static const LLVMRealPredicate fp[] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
                                         LLVMRealOGT, LLVMRealOLE, LLVMRealOGE};
  static const aotc_op first[] = {AOTC_OP_I8X16_EQ, AOTC_OP_I16X8_EQ, AOTC_OP_I32X4_EQ,
                                  AOTC_OP_I64X2_EQ, AOTC_OP_F32X4_EQ, AOTC_OP_F64X2_EQ};
  cg_unit *u = f->u;
  shape s = shape_of(op);
  unsigned k = op - first[s];
  LLVMValueRef b = pop_as(f, s), a = pop_as(f, s), c;
  if (is_float(s))
    c = fcmp(f, fp[k], a, b);
  else
    c = LLVMBuildICmp(u->b, s == SH_I64 ? ip64[k] : ip[k], a, b, "");
  push_vec(f, LLVMBuildSExt(u->b, c, vec_type(u, int_shape(s)), ""));
  return true;
}

static bool bitwise(cg_func *f, aotc_op op) {
  cg_unit *u = f->u;
  LLVMValueRef a, b, c;
  switch (op) {
  case AOTC_OP_V128_NOT: push_vec(f, LLVMBuildNot(u->b, cg_pop(f), "")); return true;
  case AOTC_OP_V128_AND:
  case AOTC_OP_V128_ANDNOT:
  case AOTC_OP_V128_OR:
  case AOTC_OP_V128_XOR:
    b = cg_pop(f), a = cg_pop(f);
    if (op == AOTC_OP_V128_ANDNOT)
      b = LLVMBuildNot(u->b, b, "");
    push_vec(f, op == AOTC_OP_V128_OR    ? LLVMBuildOr(u->b, a, b, "")
                : op == AOTC_OP_V128_XOR ? LLVMBuildXor(u->b, a, b, "")
                                         : LLVMBuildAnd(u->b, a, b, ""));
    return true;
  case AOTC_OP_V128_BITSELECT:
    c = cg_pop(f), b = cg_pop(f), a = cg_pop(f);
    b = LLVMBuildAnd(u->b, b, LLVMBuildNot(u->b, c, ""), "");
    a = LLVMBuildAnd(u->b, a, c, "");
    push_vec(f, LLVMBuildOr(u->b, a, b, ""));
    return true;
  default: /* any_true */
    a = LLVMBuildBitCast(u->b, cg_pop(f), LLVMIntTypeInContext(u->ctx, 128), "");
    cg_push(f, LLVMBuildZExt(u->b, LLVMBuildIsNotNull(u->b, a, ""), u->i32, ""));
    return true;
  }
}

/* all_true: no lane is zero. bitmask: the lanes' sign bits. Both through the
** <N x i1> compare as an N-bit integer (pmovmskb / movmskps on x86). */
static void lane_test(cg_func *f, shape s, bool all_true) {
  cg_unit *u = f->u;
  LLVMIntPredicate p = all_true ? LLVMIntEQ : LLVMIntSLT;
  LLVMValueRef m = LLVMBuildICmp(u->b, p, pop_as(f, s), LLVMConstNull(vec_type(u, s)), "");
  m = LLVMBuildBitCast(u->b, m, LLVMIntTypeInContext(u->ctx, lane_count[s]), "");
  if (all_true)
    m = LLVMBuildIsNull(u->b, m, "");
  cg_push(f, LLVMBuildZExt(u->b, m, u->i32, ""));
}

/* ------------------------------------------------------------ conversions */

/* spec: narrow saturates each signed input lane to the smaller lane's range
** (signed or unsigned), then truncates; LLVM matches packss / packus. */
static LLVMValueRef narrow(cg_func *f, shape to, bool sign) {
  cg_unit *u = f->u;
  shape from = (shape)(to + 1);
  LLVMValueRef b = pop_as(f, from), a = pop_as(f, from);
  LLVMValueRef x = concat(f, a, b);
  unsigned bits = 8u << to;
  int64_t lo = sign ? -(INT64_C(1) << (bits - 1)) : 0;
  int64_t hi = sign ? (INT64_C(1) << (bits - 1)) - 1 : (INT64_C(1) << bits) - 1;
  x = intrinsic2(f, "llvm.smax", x, const_splat(LLVMTypeOf(x), lo));
  x = intrinsic2(f, "llvm.smin", x, const_splat(LLVMTypeOf(x), hi));
  return LLVMBuildTrunc(u->b, x, vec_type(u, to), "");
}

/*
** spec: trunc_sat converts NaN to 0 and clamps out-of-range lanes: exactly
** llvm.fpto[su]i.sat, which NEON does in one instruction but LLVM 19 scalarises
** on x86. There the clamp is spelled out as vector compares and selects, which
** become cmpordps, maxps, minps and cvttps2dq. f32 cannot represent the upper
** bound, so its lanes at or above 2^31 (2^32) convert a 0 and take the maximum.
*/
static LLVMValueRef trunc_sat(cg_func *f, LLVMValueRef x, bool sign) {
  cg_unit *u = f->u;
  LLVMBuilderRef b = u->b;
  LLVMTypeRef ft = LLVMTypeOf(x), it = LLVMVectorType(u->i32, LLVMGetVectorSize(ft));
  if (u->arch != CG_ARCH_X86_64) {
    LLVMTypeRef ov[2] = {it, ft};
    return cg_call_intrinsic(f, sign ? "llvm.fptosi.sat" : "llvm.fptoui.sat", ov, 2, &x, 1);
  }
  LLVMValueRef zero = LLVMConstNull(ft), big = NULL, t = x;
  LLVMValueRef lo = fconst_splat(ft, sign ? -2147483648.0 : 0.0);
  if (sign)
    t = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealORD, x, x, ""), x, zero, "");
  t = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, t, lo, ""), t, lo, ""); /* NaN -> lo */
  if (LLVMGetElementType(ft) == u->f64) {
    LLVMValueRef hi = fconst_splat(ft, sign ? 2147483647.0 : 4294967295.0);
    t = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, t, hi, ""), t, hi, "");
  } else {
    LLVMValueRef limit = fconst_splat(ft, sign ? 2147483648.0 : 4294967296.0);
    big = LLVMBuildFCmp(b, LLVMRealOGE, x, limit, "");
    t = LLVMBuildSelect(b, big, zero, t, "");
  }
  LLVMValueRef r = sign ? LLVMBuildFPToSI(b, t, it, "") : LLVMBuildFPToUI(b, t, it, "");
  return big ? LLVMBuildSelect(b, big, const_splat(it, sign ? INT32_MAX : -1), r, "") : r;
}

/* Through bitcasts, v is an fpext: LLVM folds fptrunc(fpext(x)) to x. */
static bool is_promoted(LLVMValueRef v) {
  while (LLVMIsABitCastInst(v))
    v = LLVMGetOperand(v, 0);
  return LLVMIsAFPExtInst(v) != NULL;
}

/* extend_{low,high}_*_{s,u} and extmul_*: the position of op in its group of
** four (low_s high_s low_u high_u) gives the half and the signedness. */
static void half_variant(aotc_op op, aotc_op low_s, bool *high, bool *sign) {
  unsigned k = op - low_s;
  *high = k % 2 == 1, *sign = k < 2;
}

static bool convert(cg_func *f, aotc_op op) {
  static const aotc_op extend_first[] = {AOTC_OP_COUNT, AOTC_OP_I16X8_EXTEND_LOW_I8X16_S,
                                         AOTC_OP_I32X4_EXTEND_LOW_I16X8_S,
                                         AOTC_OP_I64X2_EXTEND_LOW_I32X4_S};
  cg_unit *u = f->u;
  LLVMBuilderRef b = u->b;
  LLVMTypeRef f32x4 = vec_type(u, SH_F32), f64x2 = vec_type(u, SH_F64);
  LLVMValueRef x, r;
  bool high, sign;
  switch (op) {
  case AOTC_OP_I8X16_NARROW_I16X8_S: r = narrow(f, SH_I8, true); break;
  case AOTC_OP_I8X16_NARROW_I16X8_U: r = narrow(f, SH_I8, false); break;
  case AOTC_OP_I16X8_NARROW_I32X4_S: r = narrow(f, SH_I16, true); break;
  case AOTC_OP_I16X8_NARROW_I32X4_U: r = narrow(f, SH_I16, false); break;
  case AOTC_OP_F32X4_DEMOTE_F64X2_ZERO: {
    x = cg_pop(f);
    bool folds = is_promoted(x);
    r = LLVMBuildFPTrunc(b, LLVMBuildBitCast(b, x, f64x2, ""), half_type(u, SH_F32), "");
    r = concat(f, r, LLVMConstNull(half_type(u, SH_F32)));
    if (folds)
      r = quiet_lanes(f, SH_F32, r);
    break;
  }
  case AOTC_OP_F64X2_PROMOTE_LOW_F32X4:
    r = LLVMBuildFPExt(b, pick(f, pop_as(f, SH_F32), 0, 1, 2), f64x2, "");
    break;
  case AOTC_OP_I32X4_TRUNC_SAT_F32X4_S: r = trunc_sat(f, pop_as(f, SH_F32), true); break;
  case AOTC_OP_I32X4_TRUNC_SAT_F32X4_U: r = trunc_sat(f, pop_as(f, SH_F32), false); break;
  case AOTC_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO:
  case AOTC_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO:
    r = trunc_sat(f, pop_as(f, SH_F64), op == AOTC_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO);
    r = concat(f, r, LLVMConstNull(LLVMTypeOf(r)));
    break;
  case AOTC_OP_F32X4_CONVERT_I32X4_S: r = LLVMBuildSIToFP(b, pop_as(f, SH_I32), f32x4, ""); break;
  case AOTC_OP_F32X4_CONVERT_I32X4_U: r = LLVMBuildUIToFP(b, pop_as(f, SH_I32), f32x4, ""); break;
  case AOTC_OP_F64X2_CONVERT_LOW_I32X4_S:
    r = LLVMBuildSIToFP(b, pick(f, pop_as(f, SH_I32), 0, 1, 2), f64x2, "");
    break;
  case AOTC_OP_F64X2_CONVERT_LOW_I32X4_U:
    r = LLVMBuildUIToFP(b, pick(f, pop_as(f, SH_I32), 0, 1, 2), f64x2, "");
    break;
  default: { /* extend_{low,high}_*_{s,u} */
    shape to = shape_of(op), from = (shape)(to - 1);
    half_variant(op, extend_first[to], &high, &sign);
    r = ext_half(f, pop_as(f, from), from, high, sign);
    break;
  }
  }
  push_vec(f, r);
  return true;
}

/* ------------------------------------------------------------ integer arithmetic */

/* spec: the shift count is taken modulo the lane width. */
static LLVMValueRef shift(cg_func *f, shape s, LLVMOpcode opc) {
  cg_unit *u = f->u;
  LLVMValueRef n = cg_pop(f), v = pop_as(f, s);
  n = LLVMBuildAnd(u->b, n, cg_const_i32(u, (8u << s) - 1), "");
  n = s == SH_I64 ? LLVMBuildZExt(u->b, n, u->i64, "")
                  : LLVMBuildTrunc(u->b, n, elem_type(u, s), "");
  return LLVMBuildBinOp(u->b, opc, v, splat(f, s, n), "");
}

/* Adjacent lane pairs of the narrower shape, extended and added. */
static LLVMValueRef extadd_pairwise(cg_func *f, shape to, bool sign) {
  LLVMValueRef v = pop_as(f, (shape)(to - 1));
  unsigned n = lane_count[to];
  LLVMValueRef even = ext(f, pick(f, v, 0, 2, n), sign), odd = ext(f, pick(f, v, 1, 2, n), sign);
  return LLVMBuildAdd(f->u->b, even, odd, "");
}

/* extmul: the chosen halves, extended, multiplied (x86: pmullw/pmulhw, pmuldq). */
static LLVMValueRef extmul(cg_func *f, aotc_op op, shape to) {
  static const aotc_op first[] = {AOTC_OP_COUNT, AOTC_OP_I16X8_EXTMUL_LOW_I8X16_S,
                                  AOTC_OP_I32X4_EXTMUL_LOW_I16X8_S,
                                  AOTC_OP_I64X2_EXTMUL_LOW_I32X4_S};
  shape from = (shape)(to - 1);
  bool high, sign;
  half_variant(op, first[to], &high, &sign);
  LLVMValueRef b = pop_as(f, from), a = pop_as(f, from);
  a = ext_half(f, a, from, high, sign), b = ext_half(f, b, from, high, sign);
  return LLVMBuildMul(f->u->b, a, b, "");
}

/* i32x4.dot_i16x8_s: products of the even lanes plus those of the odd ones (pmaddwd). */
static LLVMValueRef dot(cg_func *f) {
  cg_unit *u = f->u;
  LLVMValueRef b = pop_as(f, SH_I16), a = pop_as(f, SH_I16), p[2];
  for (unsigned i = 0; i < 2; i++) {
    LLVMValueRef x = ext(f, pick(f, a, i, 2, 4), true), y = ext(f, pick(f, b, i, 2, 4), true);
    p[i] = LLVMBuildMul(u->b, x, y, "");
  }
  return LLVMBuildAdd(u->b, p[0], p[1], "");
}

/*
** spec: q15mulr_sat_s is sat16((a * b + 0x4000) >> 15). Only -0x8000 * -0x8000
** overflows (to 0x8000), and no other pair rounds to -0x8000, so lanes equal to
** 0x8000 after truncation are flipped to 0x7fff.
*/
static LLVMValueRef q15mulr(cg_func *f) {
  cg_unit *u = f->u;
  LLVMTypeRef vt = vec_type(u, SH_I16);
  LLVMValueRef b = pop_as(f, SH_I16), a = pop_as(f, SH_I16);
  LLVMValueRef wb = ext(f, b, true), wa = ext(f, a, true);
  LLVMValueRef p = LLVMBuildMul(u->b, wa, wb, "");
  p = LLVMBuildAdd(u->b, p, const_splat(LLVMTypeOf(p), 0x4000), "");
  p = LLVMBuildAShr(u->b, p, const_splat(LLVMTypeOf(p), 15), "");
  LLVMValueRef r = LLVMBuildTrunc(u->b, p, vt, "");
  LLVMValueRef ovf = LLVMBuildICmp(u->b, LLVMIntEQ, r, const_splat(vt, -0x8000), "");
  return LLVMBuildXor(u->b, r, LLVMBuildSExt(u->b, ovf, vt, ""), "");
}

/* avgr_u: (a + b + 1) >> 1 in lanes twice as wide (pavgb / pavgw, urhadd). */
static LLVMValueRef avgr(cg_func *f, shape s) {
  cg_unit *u = f->u;
  LLVMValueRef b = ext(f, pop_as(f, s), false), a = ext(f, pop_as(f, s), false);
  LLVMTypeRef wt = LLVMTypeOf(a);
  LLVMValueRef sum = LLVMBuildAdd(u->b, LLVMBuildAdd(u->b, a, b, ""), const_splat(wt, 1), "");
  return LLVMBuildTrunc(u->b, LLVMBuildLShr(u->b, sum, const_splat(wt, 1), ""), vec_type(u, s), "");
}

/* Lane-wise binary operators of one shape: plain IR or a saturating/min/max intrinsic. */
static bool int_binop(cg_func *f, aotc_op op, shape s) {
  cg_unit *u = f->u;
  const char *name = NULL;
  LLVMValueRef b = pop_as(f, s), a = pop_as(f, s), r = NULL;
  switch (op) {
  case AOTC_OP_I8X16_ADD: case AOTC_OP_I16X8_ADD: case AOTC_OP_I32X4_ADD: case AOTC_OP_I64X2_ADD:
    r = LLVMBuildAdd(u->b, a, b, "");
    break;
  case AOTC_OP_I8X16_SUB: case AOTC_OP_I16X8_SUB: case AOTC_OP_I32X4_SUB: case AOTC_OP_I64X2_SUB:
    r = LLVMBuildSub(u->b, a, b, "");
    break;
  case AOTC_OP_I16X8_MUL: case AOTC_OP_I32X4_MUL: case AOTC_OP_I64X2_MUL:
    r = LLVMBuildMul(u->b, a, b, "");
    break;
  case AOTC_OP_I8X16_ADD_SAT_S: case AOTC_OP_I16X8_ADD_SAT_S: name = "llvm.sadd.sat"; break;
  case AOTC_OP_I8X16_ADD_SAT_U: case AOTC_OP_I16X8_ADD_SAT_U: name = "llvm.uadd.sat"; break;
  case AOTC_OP_I8X16_SUB_SAT_S: case AOTC_OP_I16X8_SUB_SAT_S: name = "llvm.ssub.sat"; break;
  case AOTC_OP_I8X16_SUB_SAT_U: case AOTC_OP_I16X8_SUB_SAT_U: name = "llvm.usub.sat"; break;
  case AOTC_OP_I8X16_MIN_S: case AOTC_OP_I16X8_MIN_S: case AOTC_OP_I32X4_MIN_S:
    name = "llvm.smin";
    break;
  case AOTC_OP_I8X16_MIN_U: case AOTC_OP_I16X8_MIN_U: case AOTC_OP_I32X4_MIN_U:
    name = "llvm.umin";
    break;
  case AOTC_OP_I8X16_MAX_S: case AOTC_OP_I16X8_MAX_S: case AOTC_OP_I32X4_MAX_S:
    name = "llvm.smax";
    break;
  case AOTC_OP_I8X16_MAX_U: case AOTC_OP_I16X8_MAX_U: case AOTC_OP_I32X4_MAX_U:
    name = "llvm.umax";
    break;
  default: return unhandled(f, op);
  }
  push_vec(f, name ? intrinsic2(f, name, a, b) : r);
  return true;
}

static bool int_arith(cg_func *f, aotc_op op) {
  cg_unit *u = f->u;
  shape s = shape_of(op);
  LLVMValueRef r;
  switch (op) {
  case AOTC_OP_I8X16_ABS: case AOTC_OP_I16X8_ABS: case AOTC_OP_I32X4_ABS: case AOTC_OP_I64X2_ABS:
    /* spec: abs(INT_MIN) is INT_MIN, so not poison. */
    r = intrinsic2(f, "llvm.abs", pop_as(f, s), LLVMConstInt(u->i1, 0, false));
    break;
  case AOTC_OP_I8X16_NEG: case AOTC_OP_I16X8_NEG: case AOTC_OP_I32X4_NEG: case AOTC_OP_I64X2_NEG:
    r = LLVMBuildNeg(u->b, pop_as(f, s), "");
    break;
  case AOTC_OP_I8X16_POPCNT: r = intrinsic1(f, "llvm.ctpop", pop_as(f, s)); break;
  case AOTC_OP_I8X16_ALL_TRUE: case AOTC_OP_I16X8_ALL_TRUE:
  case AOTC_OP_I32X4_ALL_TRUE: case AOTC_OP_I64X2_ALL_TRUE:
    lane_test(f, s, true);
    return true;
  case AOTC_OP_I8X16_BITMASK: case AOTC_OP_I16X8_BITMASK:
  case AOTC_OP_I32X4_BITMASK: case AOTC_OP_I64X2_BITMASK:
    lane_test(f, s, false);
    return true;
  case AOTC_OP_I8X16_SHL: case AOTC_OP_I16X8_SHL: case AOTC_OP_I32X4_SHL: case AOTC_OP_I64X2_SHL:
    r = shift(f, s, LLVMShl);
    break;
  case AOTC_OP_I8X16_SHR_S: case AOTC_OP_I16X8_SHR_S:
  case AOTC_OP_I32X4_SHR_S: case AOTC_OP_I64X2_SHR_S:
    r = shift(f, s, LLVMAShr);
    break;
  case AOTC_OP_I8X16_SHR_U: case AOTC_OP_I16X8_SHR_U:
  case AOTC_OP_I32X4_SHR_U: case AOTC_OP_I64X2_SHR_U:
    r = shift(f, s, LLVMLShr);
    break;
  case AOTC_OP_I16X8_EXTADD_PAIRWISE_I8X16_S: r = extadd_pairwise(f, SH_I16, true); break;
  case AOTC_OP_I16X8_EXTADD_PAIRWISE_I8X16_U: r = extadd_pairwise(f, SH_I16, false); break;
  case AOTC_OP_I32X4_EXTADD_PAIRWISE_I16X8_S: r = extadd_pairwise(f, SH_I32, true); break;
  case AOTC_OP_I32X4_EXTADD_PAIRWISE_I16X8_U: r = extadd_pairwise(f, SH_I32, false); break;
  case AOTC_OP_I16X8_Q15MULR_SAT_S: r = q15mulr(f); break;
  case AOTC_OP_I32X4_DOT_I16X8_S: r = dot(f); break;
  case AOTC_OP_I8X16_AVGR_U: case AOTC_OP_I16X8_AVGR_U: r = avgr(f, s); break;
  case AOTC_OP_I16X8_EXTMUL_LOW_I8X16_S: case AOTC_OP_I16X8_EXTMUL_HIGH_I8X16_S:
  case AOTC_OP_I16X8_EXTMUL_LOW_I8X16_U: case AOTC_OP_I16X8_EXTMUL_HIGH_I8X16_U:
  case AOTC_OP_I32X4_EXTMUL_LOW_I16X8_S: case AOTC_OP_I32X4_EXTMUL_HIGH_I16X8_S:
  case AOTC_OP_I32X4_EXTMUL_LOW_I16X8_U: case AOTC_OP_I32X4_EXTMUL_HIGH_I16X8_U:
  case AOTC_OP_I64X2_EXTMUL_LOW_I32X4_S: case AOTC_OP_I64X2_EXTMUL_HIGH_I32X4_S:
  case AOTC_OP_I64X2_EXTMUL_LOW_I32X4_U: case AOTC_OP_I64X2_EXTMUL_HIGH_I32X4_U:
    r = extmul(f, op, s);
    break;
  default: return int_binop(f, op, s);
  }
  push_vec(f, r);
  return true;
}

/* ------------------------------------------------------------ float arithmetic */

/*
** spec: min/max propagate NaN and order -0 < +0: llvm.minimum/maximum, then
** quieted (see quiet_lanes). x86 expands those intrinsics into 10-20
** instructions and 32-bit ARM cannot select them for f64, so there it is
** minps/maxps both ways round (select on olt/ogt, which yields the second
** operand on NaN and on equal operands). The two agree except on NaN and on
** zeros of both signs, where OR (min) or AND (max) of their bits gives -0 or
** +0. NaN lanes become the canonical NaN (negative), which the spec requires
** when every NaN operand is canonical.
*/
static LLVMValueRef minmax(cg_func *f, shape s, bool is_max, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  if (u->arch != CG_ARCH_X86_64 && u->arch != CG_ARCH_ARM32)
    return quiet_lanes(f, s, intrinsic2(f, is_max ? "llvm.maximum" : "llvm.minimum", a, b));
  LLVMTypeRef it = vec_type(u, int_shape(s));
  LLVMRealPredicate p = is_max ? LLVMRealOGT : LLVMRealOLT;
  LLVMValueRef x = LLVMBuildSelect(u->b, fcmp(f, p, a, b), a, b, "");
  LLVMValueRef y = LLVMBuildSelect(u->b, fcmp(f, p, b, a), b, a, "");
  x = LLVMBuildBitCast(u->b, x, it, ""), y = LLVMBuildBitCast(u->b, y, it, "");
  LLVMValueRef m = is_max ? LLVMBuildAnd(u->b, x, y, "") : LLVMBuildOr(u->b, x, y, "");
  /* NaN lanes: all ones, then the payload below the quiet bit cleared. */
  LLVMValueRef nan = LLVMBuildSExt(u->b, LLVMBuildFCmp(u->b, LLVMRealUNO, a, b, ""), it, "");
  LLVMValueRef payload = LLVMBuildLShr(u->b, nan, const_splat(it, s == SH_F32 ? 10 : 13), "");
  LLVMValueRef keep = LLVMBuildNot(u->b, payload, "");
  m = LLVMBuildAnd(u->b, LLVMBuildOr(u->b, m, nan, ""), keep, "");
  return LLVMBuildBitCast(u->b, m, vec_type(u, s), "");
}

/*
** spec: nearest rounds to even. 32-bit ARM cannot select vector roundeven (and
** LLVM re-vectorises per-lane calls), so there it is arithmetic in the default
** rounding mode: below 2^23 (2^52) in magnitude, |x| + 2^23 - 2^23 rounds |x| to
** even, and the sign comes back by copysign; larger values are already
** integers. NaN takes the arithmetic path too, which quiets it.
*/
static LLVMValueRef nearest_arith(cg_func *f, shape s, LLVMValueRef x) {
  cg_unit *u = f->u;
  LLVMTypeRef vt = LLVMTypeOf(x);
  LLVMValueRef c = fconst_splat(vt, s == SH_F32 ? 8388608.0 : 4503599627370496.0);
  LLVMValueRef a = intrinsic1(f, "llvm.fabs", x);
  LLVMValueRef t = LLVMBuildFSub(u->b, LLVMBuildFAdd(u->b, a, c, ""), c, "");
  t = intrinsic2(f, "llvm.copysign", t, x);
  return LLVMBuildSelect(u->b, LLVMBuildFCmp(u->b, LLVMRealULT, a, c, ""), t, x, "");
}

static bool float_arith(cg_func *f, aotc_op op) {
  static const char *const unary[] = {"llvm.fabs", "llvm.sqrt",  "llvm.ceil",
                                      "llvm.floor", "llvm.trunc", "llvm.roundeven"};
  cg_unit *u = f->u;
  shape s = shape_of(op);
  int k = -1;
  LLVMValueRef a, b, r;
  switch (op) {
  case AOTC_OP_F32X4_ABS: case AOTC_OP_F64X2_ABS: k = 0; break;
  case AOTC_OP_F32X4_SQRT: case AOTC_OP_F64X2_SQRT: k = 1; break;
  case AOTC_OP_F32X4_CEIL: case AOTC_OP_F64X2_CEIL: k = 2; break;
  case AOTC_OP_F32X4_FLOOR: case AOTC_OP_F64X2_FLOOR: k = 3; break;
  case AOTC_OP_F32X4_TRUNC: case AOTC_OP_F64X2_TRUNC: k = 4; break;
  case AOTC_OP_F32X4_NEAREST: case AOTC_OP_F64X2_NEAREST: k = 5; break;
  case AOTC_OP_F32X4_NEG: case AOTC_OP_F64X2_NEG:
    push_vec(f, LLVMBuildFNeg(u->b, pop_as(f, s), ""));
    return true;
  default: break;
  }
  if (k == 5 && u->arch == CG_ARCH_ARM32) {
    push_vec(f, nearest_arith(f, s, pop_as(f, s)));
    return true;
  }
  if (k >= 0) {
    r = intrinsic1(f, unary[k], pop_as(f, s));
    /* riscv64 rounds by converting to integer and back only below 2^23 (2^52)
    ** and returns anything else, an sNaN included, unchanged. */
    if (k >= 2 && u->arch != CG_ARCH_X86_64 && u->arch != CG_ARCH_AARCH64)
      r = quiet_lanes(f, s, r);
    push_vec(f, r);
    return true;
  }
  b = pop_as(f, s), a = pop_as(f, s);
  switch (op) {
  case AOTC_OP_F32X4_MIN: case AOTC_OP_F64X2_MIN: r = minmax(f, s, false, a, b); break;
  case AOTC_OP_F32X4_MAX: case AOTC_OP_F64X2_MAX: r = minmax(f, s, true, a, b); break;
  case AOTC_OP_F32X4_PMIN: case AOTC_OP_F64X2_PMIN:
    /* spec: pmin is b < a ? b : a and pmax a < b ? b : a, exactly (minps/maxps
    ** operand order); NaNs pass through untouched (cg_fcmp: also on aarch64). */
    r = LLVMBuildSelect(u->b, fcmp(f, LLVMRealOLT, b, a), b, a, "");
    break;
  case AOTC_OP_F32X4_PMAX: case AOTC_OP_F64X2_PMAX:
    r = LLVMBuildSelect(u->b, fcmp(f, LLVMRealOLT, a, b), b, a, "");
    break;
  case AOTC_OP_F32X4_ADD: case AOTC_OP_F64X2_ADD: r = fbinop(f, LLVMFAdd, a, b); break;
  case AOTC_OP_F32X4_SUB: case AOTC_OP_F64X2_SUB: r = fbinop(f, LLVMFSub, a, b); break;
  case AOTC_OP_F32X4_MUL: case AOTC_OP_F64X2_MUL: r = fbinop(f, LLVMFMul, a, b); break;
  case AOTC_OP_F32X4_DIV: case AOTC_OP_F64X2_DIV: r = LLVMBuildFDiv(u->b, a, b, ""); break;
  default: return unhandled(f, op);
  }
  bool arith = op == AOTC_OP_F32X4_ADD || op == AOTC_OP_F32X4_SUB || op == AOTC_OP_F32X4_MUL ||
               op == AOTC_OP_F32X4_DIV || op == AOTC_OP_F64X2_ADD || op == AOTC_OP_F64X2_SUB ||
               op == AOTC_OP_F64X2_MUL || op == AOTC_OP_F64X2_DIV;
  if (arith && (LLVMIsConstant(r) || identity_const(a, s) || identity_const(b, s)))
    r = quiet_lanes(f, s, r);
  push_vec(f, r);
  return true;
}

/* ------------------------------------------------------------ dispatch */

/* Operators are grouped by family where opcodes.def keeps them contiguous;
** the rest go by lane type. */
bool cg_simd(cg_func *f, const aotc_instr *in) {
  aotc_op op = in->op;
#define RANGE(lo, hi) (op >= AOTC_OP_##lo && op <= AOTC_OP_##hi)
  if (RANGE(V128_LOAD, V128_STORE) || RANGE(V128_LOAD8_LANE, V128_LOAD64_ZERO))
    return memory(f, in);
  if (RANGE(V128_CONST, F64X2_REPLACE_LANE))
    return lane_ops(f, in);
  if (RANGE(I8X16_EQ, F64X2_GE) || RANGE(I64X2_EQ, I64X2_GE_S))
    return compare(f, op);
  if (RANGE(V128_NOT, V128_ANY_TRUE))
    return bitwise(f, op);
  if (RANGE(F32X4_DEMOTE_F64X2_ZERO, F64X2_PROMOTE_LOW_F32X4) ||
      RANGE(I8X16_NARROW_I16X8_S, I8X16_NARROW_I16X8_U) ||
      RANGE(I16X8_NARROW_I32X4_S, I16X8_EXTEND_HIGH_I8X16_U) ||
      RANGE(I32X4_EXTEND_LOW_I16X8_S, I32X4_EXTEND_HIGH_I16X8_U) ||
      RANGE(I64X2_EXTEND_LOW_I32X4_S, I64X2_EXTEND_HIGH_I32X4_U) ||
      RANGE(I32X4_TRUNC_SAT_F32X4_S, F64X2_CONVERT_LOW_I32X4_U))
    return convert(f, op);
#undef RANGE
  return is_float(shape_of(op)) ? float_arith(f, op) : int_arith(f, op);
}
