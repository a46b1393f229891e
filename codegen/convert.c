/*
** convert.c: conversions between numeric types. Trapping float-to-int
** conversions check NaN ("invalid conversion to integer") and range ("integer
** overflow") before fptosi/fptoui; saturating ones use llvm.fpto[su]i.sat,
** whose semantics (NaN -> 0, clamp) are exactly Wasm's.
*/
#include "cg_internal.h"

#include <math.h>

/*
** spec: trunc traps unless -2^(N-1) - 1 < x < 2^(N-1) (signed) or
** -1 < x < 2^N (unsigned). The lower bound is expressed as the largest float
** below the smallest valid value, so both tests are strict.
*/
static LLVMValueRef trunc_checked(cg_func *f, LLVMValueRef x, LLVMTypeRef to, bool is_signed) {
  cg_unit *u = f->u;
  LLVMTypeRef ft = LLVMTypeOf(x);
  bool is_f32 = ft == u->f32;
  unsigned bits = LLVMGetIntTypeWidth(to);
  double lo, hi;
  if (is_signed) {
    /* -2^(N-1) - 1 when the float type has it (f64 for i32), else the next
    ** float below -2^(N-1). */
    double min = -ldexp(1.0, (int)bits - 1), below = min - 1.0;
    if (is_f32 ? (float)below == (float)min : below == min)
      below = is_f32 ? (double)nextafterf((float)min, -INFINITY) : nextafter(min, -INFINITY);
    lo = below;
    hi = ldexp(1.0, (int)bits - 1);
  } else {
    lo = -1.0;
    hi = ldexp(1.0, (int)bits);
  }
  cg_trap_if(f, LLVMBuildFCmp(u->b, LLVMRealUNO, x, x, ""), WRT_TRAP_INVALID_CONVERSION);
  LLVMValueRef below = LLVMBuildFCmp(u->b, LLVMRealOLT, x, LLVMConstReal(ft, hi), "");
  LLVMValueRef above = LLVMBuildFCmp(u->b, LLVMRealOGT, x, LLVMConstReal(ft, lo), "");
  LLVMValueRef in_range = LLVMBuildAnd(u->b, above, below, "");
  cg_trap_if(f, LLVMBuildNot(u->b, in_range, ""), WRT_TRAP_INT_OVERFLOW);
  return is_signed ? LLVMBuildFPToSI(u->b, x, to, "") : LLVMBuildFPToUI(u->b, x, to, "");
}

static LLVMValueRef trunc_sat(cg_func *f, LLVMValueRef x, LLVMTypeRef to, bool is_signed) {
  LLVMTypeRef ov[2] = {to, LLVMTypeOf(x)};
  return cg_call_intrinsic(f, is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", ov, 2, &x, 1);
}

bool cg_convert(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  LLVMBuilderRef b = u->b;
  LLVMValueRef x = cg_pop(f), r;
  switch (in->op) {
  case AOTC_OP_I32_WRAP_I64: r = LLVMBuildTrunc(b, x, u->i32, ""); break;
  case AOTC_OP_I32_TRUNC_F32_S:
  case AOTC_OP_I32_TRUNC_F64_S: r = trunc_checked(f, x, u->i32, true); break;
  case AOTC_OP_I32_TRUNC_F32_U:
  case AOTC_OP_I32_TRUNC_F64_U: r = trunc_checked(f, x, u->i32, false); break;
  case AOTC_OP_I64_EXTEND_I32_S: r = LLVMBuildSExt(b, x, u->i64, ""); break;
  case AOTC_OP_I64_EXTEND_I32_U: r = LLVMBuildZExt(b, x, u->i64, ""); break;
  case AOTC_OP_I64_TRUNC_F32_S:
  case AOTC_OP_I64_TRUNC_F64_S: r = trunc_checked(f, x, u->i64, true); break;
  case AOTC_OP_I64_TRUNC_F32_U:
  case AOTC_OP_I64_TRUNC_F64_U: r = trunc_checked(f, x, u->i64, false); break;
  case AOTC_OP_F32_CONVERT_I32_S:
  case AOTC_OP_F32_CONVERT_I64_S: r = LLVMBuildSIToFP(b, x, u->f32, ""); break;
  case AOTC_OP_F32_CONVERT_I32_U:
  case AOTC_OP_F32_CONVERT_I64_U: r = LLVMBuildUIToFP(b, x, u->f32, ""); break;
  case AOTC_OP_F32_DEMOTE_F64:
    r = LLVMBuildFPTrunc(b, x, u->f32, "");
    if (LLVMIsAFPExtInst(x)) /* LLVM folds demote(promote(y)) to y, keeping an sNaN */
      r = cg_quiet_nan(f, r);
    break;
  case AOTC_OP_F64_CONVERT_I32_S:
  case AOTC_OP_F64_CONVERT_I64_S: r = LLVMBuildSIToFP(b, x, u->f64, ""); break;
  case AOTC_OP_F64_CONVERT_I32_U:
  case AOTC_OP_F64_CONVERT_I64_U: r = LLVMBuildUIToFP(b, x, u->f64, ""); break;
  case AOTC_OP_F64_PROMOTE_F32: r = LLVMBuildFPExt(b, x, u->f64, ""); break;
  case AOTC_OP_I32_REINTERPRET_F32: r = LLVMBuildBitCast(b, x, u->i32, ""); break;
  case AOTC_OP_I64_REINTERPRET_F64: r = LLVMBuildBitCast(b, x, u->i64, ""); break;
  case AOTC_OP_F32_REINTERPRET_I32: r = LLVMBuildBitCast(b, x, u->f32, ""); break;
  case AOTC_OP_F64_REINTERPRET_I64: r = LLVMBuildBitCast(b, x, u->f64, ""); break;
  case AOTC_OP_I32_TRUNC_SAT_F32_S:
  case AOTC_OP_I32_TRUNC_SAT_F64_S: r = trunc_sat(f, x, u->i32, true); break;
  case AOTC_OP_I32_TRUNC_SAT_F32_U:
  case AOTC_OP_I32_TRUNC_SAT_F64_U: r = trunc_sat(f, x, u->i32, false); break;
  case AOTC_OP_I64_TRUNC_SAT_F32_S:
  case AOTC_OP_I64_TRUNC_SAT_F64_S: r = trunc_sat(f, x, u->i64, true); break;
  case AOTC_OP_I64_TRUNC_SAT_F32_U:
  case AOTC_OP_I64_TRUNC_SAT_F64_U: r = trunc_sat(f, x, u->i64, false); break;
  default:
    return aotc_diag_set(u->diag, AOTC_EINTERNAL, in->off, "convert: unhandled %s",
                         aotc_opinfo_table[in->op].name);
  }
  cg_push(f, r);
  return true;
}
