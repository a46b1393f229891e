/*
** numeric.c: constants, integer and float arithmetic, comparisons and the
** sign-extension operators. Wasm semantics where LLVM differs: division and
** remainder trap (and INT_MIN % -1 is 0), shift counts are masked, float
** min/max propagate NaN and order -0 < +0 (llvm.minimum/maximum), nearest
** rounds to even. Conversions live in convert.c.
*/
#include "cg_internal.h"

#include <string.h>

static LLVMValueRef fconst_bits(cg_unit *u, LLVMTypeRef t, uint64_t bits) {
  LLVMValueRef i = LLVMConstInt(t == u->f32 ? u->i32 : u->i64, bits, false);
  return LLVMConstBitCast(i, t);
}

static bool constant(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  switch (in->op) {
  case AOTC_OP_I32_CONST: cg_push(f, cg_const_i32(u, (uint32_t)in->u.i32)); return true;
  case AOTC_OP_I64_CONST: cg_push(f, cg_const_i64(u, (uint64_t)in->u.i64)); return true;
  case AOTC_OP_F32_CONST: cg_push(f, fconst_bits(u, u->f32, in->u.f32_bits)); return true;
  default: cg_push(f, fconst_bits(u, u->f64, in->u.f64_bits)); return true;
  }
}

/* Integer division and remainder with the spec's traps. */
static LLVMValueRef divrem(cg_func *f, LLVMTypeRef t, LLVMOpcode op, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  LLVMValueRef zero = LLVMConstNull(t), m1 = LLVMConstAllOnes(t);
  cg_trap_if(f, LLVMBuildICmp(u->b, LLVMIntEQ, b, zero, ""), WRT_TRAP_DIV_BY_ZERO);
  unsigned bits = LLVMGetIntTypeWidth(t);
  LLVMValueRef min = LLVMConstInt(t, UINT64_C(1) << (bits - 1), false);
  if (op == LLVMSDiv) {
    LLVMValueRef b_m1 = LLVMBuildICmp(u->b, LLVMIntEQ, b, m1, "");
    LLVMValueRef a_min = LLVMBuildICmp(u->b, LLVMIntEQ, a, min, "");
    LLVMValueRef ovf = LLVMBuildAnd(u->b, a_min, b_m1, "");
    cg_trap_if(f, ovf, WRT_TRAP_INT_OVERFLOW);
  } else if (op == LLVMSRem) {
    /* INT_MIN % -1 is UB in LLVM but 0 in Wasm: x % -1 == x % 1 == 0. */
    b = LLVMBuildSelect(u->b, LLVMBuildICmp(u->b, LLVMIntEQ, b, m1, ""), LLVMConstInt(t, 1, false), b, "");
  }
  return LLVMBuildBinOp(u->b, op, a, b, "");
}

static LLVMValueRef int_binop(cg_func *f, LLVMTypeRef t, unsigned k, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  LLVMValueRef mask = LLVMConstInt(t, LLVMGetIntTypeWidth(t) - 1, false);
  LLVMTypeRef ov[1] = {t};
  switch (k) { /* order of opcodes.def: add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr */
  case 0: return LLVMBuildAdd(u->b, a, b, "");
  case 1: return LLVMBuildSub(u->b, a, b, "");
  case 2: return LLVMBuildMul(u->b, a, b, "");
  case 3: return divrem(f, t, LLVMSDiv, a, b);
  case 4: return divrem(f, t, LLVMUDiv, a, b);
  case 5: return divrem(f, t, LLVMSRem, a, b);
  case 6: return divrem(f, t, LLVMURem, a, b);
  case 7: return LLVMBuildAnd(u->b, a, b, "");
  case 8: return LLVMBuildOr(u->b, a, b, "");
  case 9: return LLVMBuildXor(u->b, a, b, "");
  case 10: return LLVMBuildShl(u->b, a, LLVMBuildAnd(u->b, b, mask, ""), "");
  case 11: return LLVMBuildAShr(u->b, a, LLVMBuildAnd(u->b, b, mask, ""), "");
  case 12: return LLVMBuildLShr(u->b, a, LLVMBuildAnd(u->b, b, mask, ""), "");
  case 13: return cg_call_intrinsic(f, "llvm.fshl", ov, 1, (LLVMValueRef[]){a, a, b}, 3);
  default: return cg_call_intrinsic(f, "llvm.fshr", ov, 1, (LLVMValueRef[]){a, a, b}, 3);
  }
}

static LLVMValueRef int_unop(cg_func *f, LLVMTypeRef t, unsigned k, LLVMValueRef a) {
  cg_unit *u = f->u;
  LLVMTypeRef ov[1] = {t};
  LLVMValueRef no_poison = LLVMConstInt(u->i1, 0, false);
  switch (k) { /* clz ctz popcnt */
  case 0: return cg_call_intrinsic(f, "llvm.ctlz", ov, 1, (LLVMValueRef[]){a, no_poison}, 2);
  case 1: return cg_call_intrinsic(f, "llvm.cttz", ov, 1, (LLVMValueRef[]){a, no_poison}, 2);
  default: return cg_call_intrinsic(f, "llvm.ctpop", ov, 1, &a, 1);
  }
}

static LLVMValueRef float_unop(cg_func *f, LLVMTypeRef t, unsigned k, LLVMValueRef a) {
  static const char *const names[] = {"llvm.fabs", NULL,          "llvm.ceil",     "llvm.floor",
                                      "llvm.trunc", "llvm.roundeven", "llvm.sqrt"};
  LLVMTypeRef ov[1] = {t};
  if (k == 1)
    return LLVMBuildFNeg(f->u->b, a, "");
  LLVMValueRef r = cg_call_intrinsic(f, names[k], ov, 1, &a, 1);
  /* riscv64's rounding sequences return an sNaN operand unchanged. */
  if (k >= 2 && k <= 5 && f->u->arch == CG_ARCH_RISCV64)
    r = cg_quiet_nan(f, r);
  return r;
}

/*
** spec: min/max propagate NaN and order -0 < +0. llvm.minimum/maximum say
** exactly that, but LLVM 19 cannot select f64 minimum on 32-bit ARM; there,
** pick by comparison, merge equal operands bitwise (OR gives -0 for min, AND
** +0 for max) and return a quiet NaN when either operand is NaN.
*/
static LLVMValueRef float_minmax(cg_func *f, LLVMTypeRef t, bool is_max, LLVMValueRef a,
                                 LLVMValueRef b) {
  cg_unit *u = f->u;
  LLVMTypeRef ov[1] = {t};
  LLVMValueRef ab[2] = {a, b};
  if (u->arch != CG_ARCH_ARM32)
    return cg_quiet_nan(f, cg_call_intrinsic(f, is_max ? "llvm.maximum" : "llvm.minimum", ov, 1, ab, 2));
  LLVMTypeRef it = t == u->f32 ? u->i32 : u->i64;
  LLVMRealPredicate p = is_max ? LLVMRealOGT : LLVMRealOLT;
  LLVMValueRef x = LLVMBuildSelect(u->b, LLVMBuildFCmp(u->b, p, a, b, ""), a, b, "");
  LLVMValueRef y = LLVMBuildSelect(u->b, LLVMBuildFCmp(u->b, p, b, a, ""), b, a, "");
  x = LLVMBuildBitCast(u->b, x, it, ""), y = LLVMBuildBitCast(u->b, y, it, "");
  LLVMValueRef m = is_max ? LLVMBuildAnd(u->b, x, y, "") : LLVMBuildOr(u->b, x, y, "");
  LLVMValueRef nan = cg_quiet_nan(f, LLVMBuildFAdd(u->b, a, b, ""));
  LLVMValueRef uno = LLVMBuildFCmp(u->b, LLVMRealUNO, a, b, "");
  return LLVMBuildSelect(u->b, uno, nan, LLVMBuildBitCast(u->b, m, t, ""), "");
}

/*
** spec: arithmetic on a NaN yields a *quiet* NaN. LLVM does not promise that:
** it folds x*1, x/1, x-0, x+-0, -0-x, x*-1, x/-1 and demote(promote(x)) to x
** or -x, and x86's llvm.minimum/maximum return a NaN operand unchanged. Where
** that can happen the result is quieted with integer operations LLVM cannot
** fold: isnan(r) ? bits(r) | quiet_bit : r.
*/
LLVMValueRef cg_quiet_nan(cg_func *f, LLVMValueRef r) {
  cg_unit *u = f->u;
  LLVMTypeRef t = LLVMTypeOf(r);
  LLVMTypeRef it = t == u->f32 ? u->i32 : u->i64;
  uint64_t q = t == u->f32 ? UINT64_C(0x00400000) : UINT64_C(0x0008000000000000);
  LLVMValueRef bits = LLVMBuildOr(u->b, LLVMBuildBitCast(u->b, r, it, ""), LLVMConstInt(it, q, false), "");
  LLVMValueRef isnan = LLVMBuildFCmp(u->b, LLVMRealUNO, r, r, "");
  return LLVMBuildSelect(u->b, isnan, LLVMBuildBitCast(u->b, bits, t, ""), r, "");
}

/* Constants that let LLVM fold an arithmetic operation into a copy or negation. */
static bool identity_const(LLVMValueRef v) {
  if (!LLVMIsAConstantFP(v))
    return false;
  LLVMBool lost;
  double d = LLVMConstRealGetDouble(v, &lost);
  return d == 0.0 || d == 1.0 || d == -1.0;
}

static LLVMValueRef float_binop(cg_func *f, LLVMTypeRef t, unsigned k, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  LLVMTypeRef ov[1] = {t};
  LLVMValueRef ab[2] = {a, b}, r;
  switch (k) { /* add sub mul div min max copysign */
  case 0: r = LLVMBuildFAdd(u->b, a, b, ""); break;
  case 1: r = LLVMBuildFSub(u->b, a, b, ""); break;
  case 2: r = LLVMBuildFMul(u->b, a, b, ""); break;
  case 3: r = LLVMBuildFDiv(u->b, a, b, ""); break;
  case 4: return float_minmax(f, t, false, a, b);
  case 5: return float_minmax(f, t, true, a, b);
  default: return cg_call_intrinsic(f, "llvm.copysign", ov, 1, ab, 2);
  }
  return identity_const(a) || identity_const(b) ? cg_quiet_nan(f, r) : r;
}

/*
** A Wasm float comparison, whose operands a select may then pick from
** (select, if/else, pmin/pmax). AArch64's instruction selection turns
** select(a < b, a, b) and its kin into fminnm/fmaxnm when it can tell that one
** operand is never a NaN (a constant, say), and those make a signalling NaN
** in the other operand quiet: the result is a NaN where the select gives the
** constant. There the first operand that is not a constant is compared
** through an empty inline asm ("w": a SIMD&FP register, tied): no
** instruction, but the comparison no longer has the select's operands.
*/
LLVMValueRef cg_fcmp(cg_func *f, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b) {
  cg_unit *u = f->u;
  if (u->arch == CG_ARCH_AARCH64 && !(LLVMIsConstant(a) && LLVMIsConstant(b))) {
    LLVMValueRef *x = LLVMIsConstant(a) ? &b : &a;
    LLVMTypeRef t = LLVMTypeOf(*x);
    LLVMTypeRef ft = LLVMFunctionType(t, &t, 1, false);
    LLVMValueRef barrier = LLVMGetInlineAsm(ft, "", 0, "=w,0", 4, false, false,
                                            LLVMInlineAsmDialectATT, false);
    *x = LLVMBuildCall2(u->b, ft, barrier, x, 1, "");
  }
  return LLVMBuildFCmp(u->b, p, a, b, "");
}

static LLVMValueRef compare(cg_func *f, bool is_float, unsigned k, LLVMValueRef a, LLVMValueRef b) {
  static const LLVMIntPredicate ip[] = {LLVMIntEQ,  LLVMIntNE,  LLVMIntSLT, LLVMIntULT, LLVMIntSGT,
                                        LLVMIntUGT, LLVMIntSLE, LLVMIntULE, LLVMIntSGE, LLVMIntUGE};
  static const LLVMRealPredicate fp[] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
                                         LLVMRealOGT, LLVMRealOLE, LLVMRealOGE};
  cg_unit *u = f->u;
  LLVMValueRef c = is_float ? cg_fcmp(f, fp[k], a, b) : LLVMBuildICmp(u->b, ip[k], a, b, "");
  return LLVMBuildZExt(u->b, c, u->i32, "");
}

/* Rows of opcodes.def are grouped by type in spec order, so an operator's
** position inside its group selects the operation. */
bool cg_numeric(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  aotc_op op = in->op;
  if (op <= AOTC_OP_F64_CONST)
    return constant(f, in);
  LLVMValueRef a, b;
#define RANGE(lo, hi) (op >= AOTC_OP_##lo && op <= AOTC_OP_##hi)
  if (op == AOTC_OP_I32_EQZ || op == AOTC_OP_I64_EQZ) {
    a = cg_pop(f);
    cg_push(f, LLVMBuildZExt(u->b, LLVMBuildIsNull(u->b, a, ""), u->i32, ""));
  } else if (RANGE(I32_EQ, I32_GE_U) || RANGE(I64_EQ, I64_GE_U)) {
    unsigned k = RANGE(I32_EQ, I32_GE_U) ? op - AOTC_OP_I32_EQ : op - AOTC_OP_I64_EQ;
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, compare(f, false, k, a, b));
  } else if (RANGE(F32_EQ, F32_GE) || RANGE(F64_EQ, F64_GE)) {
    unsigned k = RANGE(F32_EQ, F32_GE) ? op - AOTC_OP_F32_EQ : op - AOTC_OP_F64_EQ;
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, compare(f, true, k, a, b));
  } else if (RANGE(I32_CLZ, I32_POPCNT)) {
    cg_push(f, int_unop(f, u->i32, op - AOTC_OP_I32_CLZ, cg_pop(f)));
  } else if (RANGE(I64_CLZ, I64_POPCNT)) {
    cg_push(f, int_unop(f, u->i64, op - AOTC_OP_I64_CLZ, cg_pop(f)));
  } else if (RANGE(I32_ADD, I32_ROTR)) {
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, int_binop(f, u->i32, op - AOTC_OP_I32_ADD, a, b));
  } else if (RANGE(I64_ADD, I64_ROTR)) {
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, int_binop(f, u->i64, op - AOTC_OP_I64_ADD, a, b));
  } else if (RANGE(F32_ABS, F32_SQRT)) {
    cg_push(f, float_unop(f, u->f32, op - AOTC_OP_F32_ABS, cg_pop(f)));
  } else if (RANGE(F64_ABS, F64_SQRT)) {
    cg_push(f, float_unop(f, u->f64, op - AOTC_OP_F64_ABS, cg_pop(f)));
  } else if (RANGE(F32_ADD, F32_COPYSIGN)) {
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, float_binop(f, u->f32, op - AOTC_OP_F32_ADD, a, b));
  } else if (RANGE(F64_ADD, F64_COPYSIGN)) {
    b = cg_pop(f), a = cg_pop(f);
    cg_push(f, float_binop(f, u->f64, op - AOTC_OP_F64_ADD, a, b));
  } else if (RANGE(I32_EXTEND8_S, I64_EXTEND32_S)) {
    static const unsigned from[] = {8, 16, 8, 16, 32};
    LLVMTypeRef t = op <= AOTC_OP_I32_EXTEND16_S ? u->i32 : u->i64;
    LLVMTypeRef small = LLVMIntTypeInContext(u->ctx, from[op - AOTC_OP_I32_EXTEND8_S]);
    cg_push(f, LLVMBuildSExt(u->b, LLVMBuildTrunc(u->b, cg_pop(f), small, ""), t, ""));
  } else {
    return aotc_diag_set(u->diag, AOTC_EINTERNAL, in->off, "numeric: unhandled %s",
                         aotc_opinfo_table[op].name);
  }
#undef RANGE
  return true;
}
