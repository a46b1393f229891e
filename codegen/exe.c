/*
** exe.c: the `main` of an executable (wasm2obj --exe). It is emitted into the
** module's own object so that linking needs nothing but the object, the
** runtime library and libc:
**
**   int main(int argc, char **argv) {
**     static const char *const opts[] = {"--dir=...", ..., NULL};
**     return wrt_wasi_main(&<name>__module, argc, argv, opts);
**   }
**
** The baked options are the ones wasm2obj was given (--dir, --env,
** --no-inherit-env); wrt_wasi_main parses them at run time (wrt.h).
*/
#include "cg_internal.h"

#include <stdio.h>
#include <string.h>

/* A private constant C string; returns a pointer to its first byte. */
static LLVMValueRef cstring(cg_unit *u, const char *s, uint32_t idx) {
  size_t n = strlen(s);
  LLVMValueRef init = LLVMConstStringInContext(u->ctx, s, (unsigned)n, false);
  char name[256];
  cg_symbol(u, name, sizeof name, "exe_opt", idx);
  LLVMValueRef g = LLVMAddGlobal(u->mod, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, true);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
  return g;
}

static LLVMValueRef options_array(cg_unit *u) {
  const char *const *opts = u->opt->exe_opts;
  uint32_t n = 0;
  while (opts && opts[n])
    n++;
  LLVMValueRef elems[1 + 256];
  if (n > 256)
    n = 256; /* wasm2obj limits the count; keep the array bounded regardless */
  for (uint32_t i = 0; i < n; i++)
    elems[i] = cstring(u, opts[i], i);
  elems[n] = LLVMConstNull(u->ptr);
  LLVMTypeRef at = LLVMArrayType2(u->ptr, n + 1);
  char name[256];
  cg_symbol(u, name, sizeof name, "exe_opts", UINT32_MAX);
  LLVMValueRef g = LLVMAddGlobal(u->mod, at, name);
  LLVMSetInitializer(g, LLVMConstArray2(u->ptr, elems, n + 1));
  LLVMSetGlobalConstant(g, true);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  return g;
}

bool cg_exe_main_emit(cg_unit *u) {
  char name[256];
  cg_symbol(u, name, sizeof name, "module", UINT32_MAX);
  LLVMValueRef desc = LLVMGetNamedGlobal(u->mod, name);
  if (!desc)
    return aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "no descriptor for main");
  LLVMTypeRef argv_t = u->ptr, int_t = u->i32;
  LLVMTypeRef wasi_main_t =
      LLVMFunctionType(int_t, (LLVMTypeRef[]){u->ptr, int_t, argv_t, u->ptr}, 4, false);
  LLVMValueRef wasi_main = LLVMAddFunction(u->mod, "wrt_wasi_main", wasi_main_t);
  LLVMTypeRef main_t = LLVMFunctionType(int_t, (LLVMTypeRef[]){int_t, argv_t}, 2, false);
  if (LLVMGetNamedFunction(u->mod, "main"))
    return aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "symbol 'main' already defined");
  LLVMValueRef main_fn = LLVMAddFunction(u->mod, "main", main_t);
  LLVMAddAttributeAtIndex(main_fn, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(u->ctx, "frame-pointer", 13, "all", 3));
  LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(u->ctx, main_fn, "entry");
  LLVMPositionBuilderAtEnd(u->b, bb);
  LLVMValueRef args[4] = {desc, LLVMGetParam(main_fn, 0), LLVMGetParam(main_fn, 1),
                          options_array(u)};
  LLVMValueRef rc = LLVMBuildCall2(u->b, wasi_main_t, wasi_main, args, 4, "");
  LLVMBuildRet(u->b, rc);
  return true;
}
