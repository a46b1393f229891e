/*
** tramp.c: per-signature trampolines, created on first use and shared by every
** function of that signature in the object (never one per function).
**   entry: void <p>__entry<T>(ptr code, ptr vmctx, wrt_raw *io): the array-call
**          convention the runtime uses (wrt_call) -> wasm-call.
**   exit:  ret <p>__exit<T>(ptr host_ctx, params...): wasm-call -> a host
**          function, through wrt_rt_host_call with a wrt_raw array.
*/
#include "cg_internal.h"

#include <stdlib.h>


static LLVMValueRef slot(cg_unit *u, LLVMValueRef io, uint32_t i) {
  LLVMValueRef off = cg_const_i32(u, i * 16);
  return LLVMBuildInBoundsGEP2(u->b, u->i8, io, &off, 1, "");
}

static void store_results(cg_unit *u, const aotc_functype *ft, LLVMValueRef r, LLVMValueRef io) {
  for (uint32_t j = 0; j < ft->n_results; j++) {
    LLVMValueRef v = ft->n_results == 1 ? r : LLVMBuildExtractValue(u->b, r, j, "");
    LLVMBuildStore(u->b, v, slot(u, io, j));
  }
}

LLVMValueRef tramp_entry(cg_unit *u, uint32_t type_idx) {
  if (u->entry_tramps[type_idx])
    return u->entry_tramps[type_idx];
  const aotc_functype *ft = &u->m->types[type_idx];
  char name[256];
  cg_symbol(u, name, sizeof name, "entry", type_idx);
  LLVMTypeRef params[3] = {u->ptr, u->ptr, u->ptr};
  LLVMValueRef fn = LLVMAddFunction(u->mod, name, LLVMFunctionType(u->void_t, params, 3, false));
  cg_tramp_attrs(u, fn);
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(u->b);
  LLVMPositionBuilderAtEnd(u->b, LLVMAppendBasicBlockInContext(u->ctx, fn, "entry"));
  LLVMValueRef io = LLVMGetParam(fn, 2);
  LLVMValueRef *args = calloc((size_t)ft->n_params + 1, sizeof *args);
  if (!args)
    abort();
  args[0] = LLVMGetParam(fn, 1);
  for (uint32_t i = 0; i < ft->n_params; i++)
    args[i + 1] = LLVMBuildLoad2(u->b, cg_valtype(u, ft->params[i]), slot(u, io, i), "");
  LLVMValueRef r = LLVMBuildCall2(u->b, u->func_types[type_idx], LLVMGetParam(fn, 0), args,
                                  ft->n_params + 1, "");
  free(args);
  store_results(u, ft, r, io);
  LLVMBuildRetVoid(u->b);
  if (saved)
    LLVMPositionBuilderAtEnd(u->b, saved);
  u->entry_tramps[type_idx] = fn;
  return fn;
}

LLVMValueRef tramp_exit(cg_unit *u, uint32_t type_idx) {
  if (u->exit_tramps[type_idx])
    return u->exit_tramps[type_idx];
  const aotc_functype *ft = &u->m->types[type_idx];
  char name[256];
  cg_symbol(u, name, sizeof name, "exit", type_idx);
  LLVMValueRef fn = LLVMAddFunction(u->mod, name, u->func_types[type_idx]);
  cg_tramp_attrs(u, fn);
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(u->b);
  LLVMPositionBuilderAtEnd(u->b, LLVMAppendBasicBlockInContext(u->ctx, fn, "entry"));
  uint32_t n = ft->n_params > ft->n_results ? ft->n_params : ft->n_results;
  LLVMValueRef io = LLVMBuildArrayAlloca(u->b, u->i8, cg_const_i32(u, (n ? n : 1) * 16), "io");
  LLVMSetAlignment(io, 16);
  for (uint32_t i = 0; i < ft->n_params; i++)
    LLVMBuildStore(u->b, LLVMGetParam(fn, i + 1), slot(u, io, i));
  LLVMValueRef args[2] = {LLVMGetParam(fn, 0), io};
  LLVMBuildCall2(u->b, cg_libcall_type(u, CG_LC_HOST_CALL), cg_libcall(u, CG_LC_HOST_CALL), args, 2, "");
  if (ft->n_results == 0) {
    LLVMBuildRetVoid(u->b);
  } else if (ft->n_results == 1) {
    LLVMBuildRet(u->b, LLVMBuildLoad2(u->b, cg_valtype(u, ft->results[0]), slot(u, io, 0), ""));
  } else {
    LLVMTypeRef rt = LLVMGetReturnType(u->func_types[type_idx]);
    LLVMValueRef agg = LLVMGetUndef(rt);
    for (uint32_t j = 0; j < ft->n_results; j++)
      agg = LLVMBuildInsertValue(
          u->b, agg, LLVMBuildLoad2(u->b, cg_valtype(u, ft->results[j]), slot(u, io, j), ""), j, "");
    LLVMBuildRet(u->b, agg);
  }
  if (saved)
    LLVMPositionBuilderAtEnd(u->b, saved);
  u->exit_tramps[type_idx] = fn;
  return fn;
}
