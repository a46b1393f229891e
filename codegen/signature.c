/*
** signature.c: what codegen makes once per signature: the wasm-call LLVM
** function type and, on first use, the entry and exit trampolines (named,
** attributed and cached here; their bodies are built by trampolines/).
*/
#include "cg_internal.h"

#include "tramp.h"

_Static_assert(sizeof(wrt_raw) == TRAMP_SLOT_BYTES, "trampolines use wrt_raw slots");

/*
** Whether result i of several travels as an integer with its bits. On x86-64
** LLVM returns an f32/f64 field of a result struct in XMM0 or XMM1, and once
** both are taken (by earlier f32, f64 or v128 fields) in the x87 registers
** ST0 and ST1, which turn a signalling NaN into a quiet one. Those fields are
** i32/i64 instead (the bits are all the trampolines and P__cabi store).
*/
bool cg_result_as_bits(const cg_unit *u, const aotc_functype *ft, uint32_t i) {
  if (u->arch != CG_ARCH_X86_64 || ft->n_results < 2)
    return false;
  uint32_t xmm = 0;
  for (uint32_t j = 0; j <= i; j++) {
    aotc_valtype t = ft->results[j];
    bool fp = t == AOTC_F32 || t == AOTC_F64;
    if (j == i)
      return fp && xmm >= 2;
    if (t == AOTC_V128 || (fp && xmm < 2))
      xmm++;
  }
  return false;
}

/* An f32/f64 result as the integer with its bits. */
LLVMTypeRef cg_bits_type(cg_unit *u, aotc_valtype t) {
  return t == AOTC_F32 ? u->i32 : u->i64;
}

/* wasm-call: ret f(ptr vmctx, params...); 0 results: void, 1: the value,
** several: a literal struct of the results (ABI.md; cg_result_as_bits). */
LLVMTypeRef cg_wasm_functype(cg_unit *u, const aotc_functype *ft) {
  aotc_arena_mark mark = aotc_arena_get_mark(u->arena);
  LLVMTypeRef *ps = cg_alloc(u, (size_t)ft->n_params + 1, sizeof *ps);
  ps[0] = u->ptr;
  for (uint32_t i = 0; i < ft->n_params; i++)
    ps[i + 1] = cg_valtype(u, ft->params[i]);
  LLVMTypeRef ret;
  if (ft->n_results == 0) {
    ret = u->void_t;
  } else if (ft->n_results == 1) {
    ret = cg_valtype(u, ft->results[0]);
  } else {
    LLVMTypeRef *rs = cg_alloc(u, ft->n_results, sizeof *rs);
    for (uint32_t i = 0; i < ft->n_results; i++)
      rs[i] = cg_result_as_bits(u, ft, i) ? cg_bits_type(u, ft->results[i])
                                          : cg_valtype(u, ft->results[i]);
    ret = LLVMStructTypeInContext(u->ctx, rs, ft->n_results, false);
  }
  LLVMTypeRef t = LLVMFunctionType(ret, ps, ft->n_params + 1, false);
  aotc_arena_reset(u->arena, mark);
  return t;
}

/* A hidden helper function `<prefix>__<what><type_idx>` of type t. */
static LLVMValueRef helper(cg_unit *u, const char *what, uint32_t type_idx, LLVMTypeRef t) {
  char name[256];
  cg_symbol(u, name, sizeof name, what, type_idx);
  LLVMValueRef fn = LLVMAddFunction(u->mod, name, t);
  cg_tramp_attrs(u, fn);
  return fn;
}

LLVMValueRef cg_entry_tramp(cg_unit *u, uint32_t type_idx) {
  if (!u->entry_tramps[type_idx]) {
    LLVMTypeRef params[3] = {u->ptr, u->ptr, u->ptr};
    LLVMValueRef fn = helper(u, "entry", type_idx, LLVMFunctionType(u->void_t, params, 3, false));
    if (!tramp_build_entry(u->b, fn, u->func_types[type_idx]))
      cg_out_of_memory(u);
    u->entry_tramps[type_idx] = fn;
  }
  return u->entry_tramps[type_idx];
}

LLVMValueRef cg_exit_tramp(cg_unit *u, uint32_t type_idx) {
  if (!u->exit_tramps[type_idx]) {
    LLVMValueRef fn = helper(u, "exit", type_idx, u->func_types[type_idx]);
    if (!tramp_build_exit(u->b, fn, u->func_types[type_idx], cg_libcall_type(u, CG_LC_host_call),
                          cg_libcall(u, CG_LC_host_call)))
      cg_out_of_memory(u);
    u->exit_tramps[type_idx] = fn;
  }
  return u->exit_tramps[type_idx];
}
