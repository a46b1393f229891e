/*
** tramp.c: the bodies of the per-signature entry and exit trampolines (see
** tramp.h). Parameter and result types come from the wasm-call type alone.
*/
#include "tramp.h"

#include <stdlib.h>

typedef struct sig {
  LLVMContextRef ctx;
  unsigned n_params, n_results; /* params exclude vmctx */
  LLVMTypeRef *types;           /* vmctx, params..., results... */
  LLVMTypeRef ret;
} sig;

static bool sig_of(LLVMTypeRef wasm_type, sig *s) {
  s->ctx = LLVMGetTypeContext(wasm_type);
  s->ret = LLVMGetReturnType(wasm_type);
  unsigned np = LLVMCountParamTypes(wasm_type);
  LLVMTypeKind rk = LLVMGetTypeKind(s->ret);
  s->n_results = rk == LLVMVoidTypeKind ? 0 : rk == LLVMStructTypeKind ? LLVMCountStructElementTypes(s->ret) : 1;
  s->n_params = np - 1;
  s->types = calloc((size_t)np + s->n_results, sizeof *s->types);
  if (!s->types)
    return false;
  LLVMGetParamTypes(wasm_type, s->types);
  if (rk == LLVMStructTypeKind)
    LLVMGetStructElementTypes(s->ret, s->types + np);
  else if (s->n_results == 1)
    s->types[np] = s->ret;
  return true;
}

static LLVMTypeRef param_type(const sig *s, unsigned i) { return s->types[1 + i]; }
static LLVMTypeRef result_type(const sig *s, unsigned j) { return s->types[1 + s->n_params + j]; }

static LLVMValueRef slot(LLVMBuilderRef b, const sig *s, LLVMValueRef io, unsigned i) {
  LLVMValueRef off = LLVMConstInt(LLVMInt32TypeInContext(s->ctx), (unsigned long long)i * TRAMP_SLOT_BYTES, false);
  return LLVMBuildInBoundsGEP2(b, LLVMInt8TypeInContext(s->ctx), io, &off, 1, "");
}

/* Positions b at a new entry block of fn; returns where b was. */
static LLVMBasicBlockRef begin(LLVMBuilderRef b, const sig *s, LLVMValueRef fn) {
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(b);
  LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(s->ctx, fn, "entry"));
  return saved;
}

static void end(LLVMBuilderRef b, sig *s, LLVMBasicBlockRef saved) {
  if (saved)
    LLVMPositionBuilderAtEnd(b, saved);
  free(s->types);
}

bool tramp_build_entry(LLVMBuilderRef b, LLVMValueRef fn, LLVMTypeRef wasm_type) {
  sig s;
  if (!sig_of(wasm_type, &s))
    return false;
  LLVMValueRef *args = calloc((size_t)s.n_params + 1, sizeof *args);
  if (!args) {
    free(s.types);
    return false;
  }
  LLVMBasicBlockRef saved = begin(b, &s, fn);
  LLVMValueRef io = LLVMGetParam(fn, 2);
  args[0] = LLVMGetParam(fn, 1);
  for (unsigned i = 0; i < s.n_params; i++)
    args[i + 1] = LLVMBuildLoad2(b, param_type(&s, i), slot(b, &s, io, i), "");
  LLVMValueRef r = LLVMBuildCall2(b, wasm_type, LLVMGetParam(fn, 0), args, s.n_params + 1, "");
  free(args);
  for (unsigned j = 0; j < s.n_results; j++) {
    LLVMValueRef v = s.n_results == 1 ? r : LLVMBuildExtractValue(b, r, j, "");
    LLVMBuildStore(b, v, slot(b, &s, io, j));
  }
  LLVMBuildRetVoid(b);
  end(b, &s, saved);
  return true;
}

bool tramp_build_exit(LLVMBuilderRef b, LLVMValueRef fn, LLVMTypeRef wasm_type,
                      LLVMTypeRef host_call_type, LLVMValueRef host_call) {
  sig s;
  if (!sig_of(wasm_type, &s))
    return false;
  LLVMBasicBlockRef saved = begin(b, &s, fn);
  unsigned n = s.n_params > s.n_results ? s.n_params : s.n_results;
  LLVMValueRef bytes = LLVMConstInt(LLVMInt32TypeInContext(s.ctx), (n ? n : 1) * TRAMP_SLOT_BYTES, false);
  LLVMValueRef io = LLVMBuildArrayAlloca(b, LLVMInt8TypeInContext(s.ctx), bytes, "io");
  LLVMSetAlignment(io, TRAMP_SLOT_BYTES);
  for (unsigned i = 0; i < s.n_params; i++)
    LLVMBuildStore(b, LLVMGetParam(fn, i + 1), slot(b, &s, io, i));
  LLVMValueRef args[2] = {LLVMGetParam(fn, 0), io};
  LLVMBuildCall2(b, host_call_type, host_call, args, 2, "");
  if (s.n_results == 0) {
    LLVMBuildRetVoid(b);
  } else if (s.n_results == 1) {
    LLVMBuildRet(b, LLVMBuildLoad2(b, result_type(&s, 0), slot(b, &s, io, 0), ""));
  } else {
    LLVMValueRef agg = LLVMGetUndef(s.ret);
    for (unsigned j = 0; j < s.n_results; j++)
      agg = LLVMBuildInsertValue(b, agg, LLVMBuildLoad2(b, result_type(&s, j), slot(b, &s, io, j), ""), j, "");
    LLVMBuildRet(b, agg);
  }
  end(b, &s, saved);
  return true;
}
