/*
** cabi.c: C-ABI wrappers for exported functions with several results. Their
** wasm-call form returns an LLVM literal struct, which is not a C type; the
** wrapper `void P__cabi<N>(void *vmctx, params..., T0 *r0, T1 *r1, ...)`
** calls function N and stores each result through its pointer, so typed
** headers (wasm2obj --header) call these functions directly too. Emitted with
** the descriptor (shard 0), once per exported defined function.
*/
#include "cg_internal.h"

/* Whether func_idx gets a wrapper: defined, several results, no v128. */
static bool wants_cabi(const aotc_module *m, uint32_t func_idx) {
  if (func_idx < m->n_func_imports)
    return false;
  const aotc_functype *ft = &m->types[m->func_types[func_idx]];
  if (ft->n_results < 2)
    return false;
  for (uint32_t i = 0; i < ft->n_params + ft->n_results; i++)
    if ((i < ft->n_params ? ft->params[i] : ft->results[i - ft->n_params]) == AOTC_V128)
      return false;
  return true;
}

static void emit_wrapper(cg_unit *u, uint32_t func_idx) {
  const aotc_module *m = u->m;
  uint32_t ti = m->func_types[func_idx];
  const aotc_functype *ft = &m->types[ti];
  uint32_t n = 1 + ft->n_params + ft->n_results;
  aotc_arena_mark mark = aotc_arena_get_mark(u->arena);
  LLVMTypeRef *ps = cg_alloc(u, n, sizeof *ps);
  LLVMValueRef *args = cg_alloc(u, 1 + (size_t)ft->n_params, sizeof *args);
  ps[0] = u->ptr;
  for (uint32_t i = 0; i < ft->n_params; i++)
    ps[1 + i] = cg_valtype(u, ft->params[i]);
  for (uint32_t i = 0; i < ft->n_results; i++)
    ps[1 + ft->n_params + i] = u->ptr;
  char name[256];
  cg_symbol(u, name, sizeof name, "cabi", func_idx);
  LLVMValueRef fn = LLVMAddFunction(u->mod, name, LLVMFunctionType(u->void_t, ps, n, false));
  cg_tramp_attrs(u, fn);
  LLVMPositionBuilderAtEnd(u->b, LLVMAppendBasicBlockInContext(u->ctx, fn, "entry"));
  for (uint32_t i = 0; i < 1 + ft->n_params; i++)
    args[i] = LLVMGetParam(fn, i);
  LLVMValueRef r = LLVMBuildCall2(u->b, u->func_types[ti], u->funcs[func_idx], args,
                                  1 + ft->n_params, "");
  if (u->opt->epoch_interruption) /* loops inlined here would get no checks (epoch.c) */
    LLVMAddCallSiteAttribute(r, LLVMAttributeFunctionIndex,
                             LLVMCreateEnumAttribute(u->ctx, LLVMGetEnumAttributeKindForName("noinline", 8), 0));
  for (uint32_t j = 0; j < ft->n_results; j++)
    LLVMBuildStore(u->b, LLVMBuildExtractValue(u->b, r, j, ""),
                   LLVMGetParam(fn, 1 + ft->n_params + j));
  LLVMBuildRetVoid(u->b);
  aotc_arena_reset(u->arena, mark);
}

bool cg_cabi_emit(cg_unit *u) {
  const aotc_module *m = u->m;
  bool *done = cg_alloc(u, m->n_funcs, sizeof *done);
  for (uint32_t i = 0; i < m->n_exports; i++) {
    const aotc_export *e = &m->exports[i];
    if (e->kind != AOTC_EXTERN_FUNC || done[e->idx] || !wants_cabi(m, e->idx))
      continue;
    done[e->idx] = true;
    emit_wrapper(u, e->idx);
  }
  return true;
}
