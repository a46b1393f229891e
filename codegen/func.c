/*
** func.c: lowering of one function: prologue (locals, stack-limit check),
** the instruction dispatch (one line per family), the operand stack, trap
** blocks, vmctx addressing, and the variable and reference instructions.
** Control flow, calls, numerics, memory and tables live in their own files.
*/
#include "cg_internal.h"

#include <string.h>

/* ------------------------------------------------------------ scratch and stack */

void *cg_scratch(cg_func *f, size_t n, size_t size) {
  return cg_alloc(f->u, n, size);
}

void cg_push(cg_func *f, LLVMValueRef v) {
  if (f->n_vals == f->cap_vals)
    f->vals = cg_grow(f->u, f->vals, &f->cap_vals, sizeof *f->vals);
  f->vals[f->n_vals++] = v;
}

LLVMValueRef cg_pop(cg_func *f) {
  return f->vals[--f->n_vals];
}

LLVMValueRef cg_peek(cg_func *f, size_t depth) {
  return f->vals[f->n_vals - 1 - depth];
}

/* ------------------------------------------------------------ vmctx, loads, traps */

LLVMValueRef cg_vmctx_gep(cg_func *f, uint32_t off) {
  LLVMValueRef idx = cg_const_i32(f->u, off);
  return LLVMBuildInBoundsGEP2(f->u->b, f->u->i8, f->vmctx, &idx, 1, "");
}

LLVMValueRef cg_load(cg_func *f, LLVMTypeRef t, LLVMValueRef p, const char *name) {
  return LLVMBuildLoad2(f->u->b, t, p, name);
}

/* A load of a value that never changes after instantiation: LLVM may hoist
** and merge it freely. */
LLVMValueRef cg_load_invariant(cg_func *f, LLVMTypeRef t, LLVMValueRef p, const char *name) {
  LLVMValueRef v = LLVMBuildLoad2(f->u->b, t, p, name);
  LLVMSetMetadata(v, f->u->invariant_kind, f->u->empty_md);
  if (LLVMGetTypeKind(t) == LLVMPointerTypeKind)
    LLVMSetMetadata(v, f->u->nonnull_kind, f->u->empty_md);
  return v;
}

static LLVMBasicBlockRef trap_block(cg_func *f, wrt_trap_code code) {
  if (f->trap_bbs[code])
    return f->trap_bbs[code];
  cg_unit *u = f->u;
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(u->b);
  LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "trap");
  LLVMPositionBuilderAtEnd(u->b, bb);
  LLVMValueRef args[3] = {f->vmctx, cg_const_i32(u, code), cg_const_i32(u, f->func_idx)};
  LLVMBuildCall2(u->b, cg_libcall_type(u, CG_LC_trap), cg_libcall(u, CG_LC_trap), args, 3, "");
  LLVMBuildUnreachable(u->b);
  LLVMPositionBuilderAtEnd(u->b, saved);
  f->trap_bbs[code] = bb;
  return bb;
}

void cg_trap_if(cg_func *f, LLVMValueRef cond, wrt_trap_code code) {
  cg_unit *u = f->u;
  LLVMBasicBlockRef ok = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "ok");
  /* Traps are cold: the fall-through path stays straight. */
  cg_cold_branch(u, LLVMBuildCondBr(u->b, cond, trap_block(f, code), ok));
  LLVMPositionBuilderAtEnd(u->b, ok);
}

void cg_cold_branch(cg_unit *u, LLVMValueRef br) {
  LLVMValueRef w[3] = {LLVMMDStringInContext(u->ctx, "branch_weights", 14),
                       cg_const_i32(u, 1), cg_const_i32(u, 2000)};
  LLVMSetMetadata(br, LLVMGetMDKindIDInContext(u->ctx, "prof", 4), LLVMMDNodeInContext(u->ctx, w, 3));
}

void cg_trap(cg_func *f, wrt_trap_code code) {
  LLVMBuildBr(f->u->b, trap_block(f, code));
}

LLVMValueRef cg_call_intrinsic(cg_func *f, const char *name, LLVMTypeRef *overloads, unsigned n_ov,
                               LLVMValueRef *args, unsigned n_args) {
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMValueRef fn = LLVMGetIntrinsicDeclaration(f->u->mod, id, overloads, n_ov);
  LLVMTypeRef ft = LLVMIntrinsicGetType(f->u->ctx, id, overloads, n_ov);
  return LLVMBuildCall2(f->u->b, ft, fn, args, n_args, "");
}

void cg_call_libcall(cg_func *f, enum cg_libcall lc, LLVMValueRef *args, unsigned n,
                     LLVMValueRef *out) {
  cg_unit *u = f->u;
  LLVMValueRef r = LLVMBuildCall2(u->b, cg_libcall_type(u, lc), cg_libcall(u, lc), args, n, "");
  /* The runtime names a trapping function by this call's return address. */
  LLVMSetTailCallKind(r, LLVMTailCallKindNoTail);
  if (out)
    *out = r;
}

/* ------------------------------------------------------------ variables */

static LLVMValueRef global_ptr(cg_func *f, uint32_t idx) {
  cg_unit *u = f->u;
  const aotc_module *m = u->m;
  if (idx < m->n_global_imports)
    return cg_load_invariant(f, u->ptr, cg_vmctx_gep(f, u->layout.global_imports + idx * u->ptr_size),
                             "gimp");
  return cg_vmctx_gep(f, u->layout.globals + (idx - m->n_global_imports) * (uint32_t)sizeof(wrt_global_def));
}

bool cg_variable(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  uint32_t idx = in->u.idx;
  switch (in->op) {
  case AOTC_OP_LOCAL_GET:
    cg_push(f, cg_load(f, cg_valtype(u, f->local_types[idx]), f->locals[idx], ""));
    return true;
  case AOTC_OP_LOCAL_SET: LLVMBuildStore(u->b, cg_pop(f), f->locals[idx]); return true;
  case AOTC_OP_LOCAL_TEE: LLVMBuildStore(u->b, cg_peek(f, 0), f->locals[idx]); return true;
  case AOTC_OP_GLOBAL_GET: {
    const aotc_global *g = &u->m->globals[idx];
    LLVMValueRef p = global_ptr(f, idx);
    LLVMTypeRef t = cg_valtype(u, g->type.type);
    cg_push(f, g->type.mut ? cg_load(f, t, p, "") : cg_load_invariant(f, t, p, ""));
    return true;
  }
  default: /* global.set */
    LLVMBuildStore(u->b, cg_pop(f), global_ptr(f, idx));
    return true;
  }
}

/* ------------------------------------------------------------ references */

/* The funcref record of func_idx: inside this vmctx for defined functions,
** the imported record otherwise. */
static LLVMValueRef funcref_of(cg_func *f, uint32_t func_idx) {
  cg_unit *u = f->u;
  const aotc_module *m = u->m;
  if (func_idx < m->n_func_imports)
    return cg_load_invariant(f, u->ptr,
                             cg_vmctx_gep(f, u->layout.func_imports + func_idx * u->ptr_size), "");
  return cg_vmctx_gep(f, u->layout.funcrefs + (func_idx - m->n_func_imports) * u->abi.sizes[CG_S_wrt_funcref]);
}

bool cg_ref(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  switch (in->op) {
  case AOTC_OP_REF_NULL: cg_push(f, LLVMConstNull(u->ptr)); return true;
  case AOTC_OP_REF_IS_NULL: {
    LLVMValueRef v = cg_pop(f);
    cg_push(f, LLVMBuildZExt(u->b, LLVMBuildIsNull(u->b, v, ""), u->i32, ""));
    return true;
  }
  default: cg_push(f, funcref_of(f, in->u.idx)); return true;
  }
}

/* ------------------------------------------------------------ parametric */

static bool cg_param(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  if (in->op == AOTC_OP_DROP) { /* a dropped load still traps: see cg_memory_load */
    cg_pop(f);
    return true;
  }
  LLVMValueRef c = cg_pop(f), b = cg_pop(f), a = cg_pop(f);
  cg_push(f, LLVMBuildSelect(u->b, LLVMBuildICmp(u->b, LLVMIntNE, c, cg_const_i32(u, 0), ""), a, b, ""));
  return true;
}

/* ------------------------------------------------------------ function */

static bool unsupported(cg_func *f, const aotc_instr *in, const char *why) {
  return aotc_diag_set(f->u->diag, AOTC_EUNSUPPORTED, in->off, "%s: %s",
                       aotc_opinfo_table[in->op].name, why);
}

static bool dispatch(cg_func *f, const aotc_instr *in) {
  switch ((aotc_family)aotc_opinfo_table[in->op].family) {
  case AOTC_FAM_CONTROL: return cg_control(f, in);
  case AOTC_FAM_CALL: return cg_call(f, in);
  case AOTC_FAM_PARAM: return cg_param(f, in);
  case AOTC_FAM_VAR: return cg_variable(f, in);
  case AOTC_FAM_TABLE: return cg_table(f, in);
  case AOTC_FAM_MEM: return cg_memory(f, in);
  case AOTC_FAM_NUM: return cg_numeric(f, in);
  case AOTC_FAM_CONV: return cg_convert(f, in);
  case AOTC_FAM_REF: return cg_ref(f, in);
  case AOTC_FAM_SIMD: return cg_simd(f, in);
  }
  return unsupported(f, in, "no lowering");
}

/* Allocas for params and locals, zero-initialised locals, and the stack check. */
static bool prologue(cg_func *f) {
  cg_unit *u = f->u;
  const aotc_code *c = f->code;
  uint64_t n = f->ft->n_params + c->n_locals;
  if (n > 100000)
    return aotc_diag_set(u->diag, AOTC_ELIMIT, c->body.off,
                         "function has %llu locals; code generation supports 100000",
                         (unsigned long long)n);
  f->n_locals = (uint32_t)n;
  f->locals = cg_scratch(f, n, sizeof *f->locals);
  f->local_types = cg_scratch(f, n, sizeof *f->local_types);
  uint32_t k = 0;
  for (uint32_t i = 0; i < f->ft->n_params; i++)
    f->local_types[k++] = f->ft->params[i];
  for (uint32_t d = 0; d < c->n_decls; d++)
    for (uint32_t i = 0; i < c->decls[d].count; i++)
      f->local_types[k++] = c->decls[d].type;
  for (uint32_t i = 0; i < n; i++)
    f->locals[i] = LLVMBuildAlloca(u->b, cg_valtype(u, f->local_types[i]), "");
  /* spec: call stack exhaustion traps. The limit word belongs to the store.
  ** The SP here is below the whole frame, and the check comes before any
  ** store into it; a frame too big for the stack left is caught by stack
  ** probes (unit.c) and the runtime's fault handler. */
  LLVMValueRef limit_p = cg_load_invariant(f, u->ptr, cg_vmctx_gep(f, WRT_VMCTX_STACK_LIMIT * u->ptr_size), "");
  LLVMValueRef limit = cg_load(f, u->intptr, limit_p, "stack_limit");
  LLVMTypeRef ov[1] = {u->ptr};
  LLVMValueRef sp = cg_call_intrinsic(f, "llvm.stacksave", ov, 1, NULL, 0);
  LLVMValueRef spi = LLVMBuildPtrToInt(u->b, sp, u->intptr, "");
  cg_trap_if(f, LLVMBuildICmp(u->b, LLVMIntULT, spi, limit, ""), WRT_TRAP_STACK_EXHAUSTED);
  for (uint32_t i = 0; i < n; i++) {
    LLVMValueRef v = i < f->ft->n_params ? LLVMGetParam(f->fn, i + 1)
                                         : LLVMConstNull(cg_valtype(u, f->local_types[i]));
    LLVMBuildStore(u->b, v, f->locals[i]);
  }
  return true;
}

/*
** Targets without stack probes, for a function whose frame an earlier pass
** found bigger than the runtime's margin (unit.c): its symbol becomes a
** wrapper with a small frame that checks the whole big frame (plus an eighth
** and a page) fits above the stack limit, then calls the body, emitted into
** an internal `NAME.body`. The check must come before the big frame exists:
** the body's prologue may store into the far end of its frame (spills at -O0)
** before any check of its own. Returns the function the body goes into.
*/
static LLVMValueRef big_frame_wrapper(cg_unit *u, uint32_t func_idx, uint64_t frame) {
  LLVMValueRef fn = u->funcs[func_idx];
  LLVMTypeRef ft = LLVMGlobalGetValueType(fn);
  size_t len;
  const char *nm = LLVMGetValueName2(fn, &len);
  char *name = cg_alloc(u, len + 6, 1);
  memcpy(name, nm, len);
  memcpy(name + len, ".body", 6);
  LLVMValueRef body = LLVMAddFunction(u->mod, name, ft);
  cg_tramp_attrs(u, body);
  cg_epoch_mark(u, body);
  LLVMSetLinkage(body, LLVMInternalLinkage);
  LLVMSetVisibility(body, LLVMDefaultVisibility);
  cg_func w = {.u = u, .fn = fn, .vmctx = LLVMGetParam(fn, 0), .func_idx = func_idx};
  LLVMPositionBuilderAtEnd(u->b, LLVMAppendBasicBlockInContext(u->ctx, fn, "entry"));
  LLVMValueRef limit_p = cg_load_invariant(&w, u->ptr, cg_vmctx_gep(&w, WRT_VMCTX_STACK_LIMIT * u->ptr_size), "");
  LLVMValueRef limit = cg_load(&w, u->intptr, limit_p, "stack_limit");
  LLVMTypeRef ov[1] = {u->ptr};
  LLVMValueRef sp = cg_call_intrinsic(&w, "llvm.stacksave", ov, 1, NULL, 0);
  LLVMValueRef spi = LLVMBuildPtrToInt(u->b, sp, u->intptr, "");
  LLVMValueRef need = LLVMBuildAdd(u->b, limit, LLVMConstInt(u->intptr, frame + frame / 8 + 4096, 0), "");
  cg_trap_if(&w, LLVMBuildICmp(u->b, LLVMIntULT, spi, need, ""), WRT_TRAP_STACK_EXHAUSTED);
  unsigned n = LLVMCountParams(fn);
  LLVMValueRef *args = cg_alloc(u, n, sizeof *args);
  for (unsigned i = 0; i < n; i++)
    args[i] = LLVMGetParam(fn, i);
  LLVMValueRef r = LLVMBuildCall2(u->b, ft, body, args, n, "");
  if (LLVMGetTypeKind(LLVMGetReturnType(ft)) == LLVMVoidTypeKind)
    LLVMBuildRetVoid(u->b);
  else
    LLVMBuildRet(u->b, r);
  return body;
}

bool cg_func_emit(cg_unit *u, uint32_t def_idx) {
  const aotc_module *m = u->m;
  aotc_arena_mark mark = aotc_arena_get_mark(u->arena);
  cg_func f = {.u = u, .func_idx = aotc_def_to_func(m, def_idx), .code = &m->codes[def_idx]};
  /* Sized from validation, so they rarely grow. */
  f.cap_vals = (size_t)f.code->max_stack + 1, f.vals = cg_scratch(&f, f.cap_vals, sizeof *f.vals);
  f.cap_frames = (size_t)f.code->max_depth + 2, f.frames = cg_scratch(&f, f.cap_frames, sizeof *f.frames);
  f.ft = aotc_func_type(m, f.func_idx);
  f.fn = u->funcs[f.func_idx];
  uint64_t big = cg_known_frame(u, f.fn);
  if (big)
    f.fn = big_frame_wrapper(u, f.func_idx, big);
  f.vmctx = LLVMGetParam(f.fn, 0);
  LLVMPositionBuilderAtEnd(u->b, LLVMAppendBasicBlockInContext(u->ctx, f.fn, "entry"));
  aotc_reader_init(&f.r, m->bytes, f.code->body.off + f.code->body.len, u->diag);
  f.r.pos = f.code->instr_off;
  bool ok = prologue(&f) && cg_control_begin_function(&f);
  aotc_instr in;
  while (ok && f.n_frames > 0) {
    ok = aotc_instr_read(&f.r, m->features, &in);
    if (ok && (!f.frames[f.n_frames - 1].unreachable || aotc_opinfo_table[in.op].family == AOTC_FAM_CONTROL))
      ok = dispatch(&f, &in);
  }
  if (!ok && u->diag->func_idx == AOTC_NO_FUNC)
    u->diag->func_idx = f.func_idx;
  aotc_arena_reset(u->arena, mark);
  return ok;
}
