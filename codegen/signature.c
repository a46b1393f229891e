/*
** signature.c: what codegen makes once per signature: the wasm-call LLVM
** function type and, on first use, the entry and exit trampolines (named,
** attributed and cached here; their bodies are built by trampolines/).
*/
#include "cg_internal.h"

#include "tramp.h"

_Static_assert(sizeof(wrt_raw) == TRAMP_SLOT_BYTES, "trampolines use wrt_raw slots");

/* wasm-call: ret f(ptr vmctx, params...); 0 results: void, 1: the value,
** several: a literal struct of the results (ABI.md). */
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
      rs[i] = cg_valtype(u, ft->results[i]);
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
