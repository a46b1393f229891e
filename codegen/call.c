/*
** call.c: direct calls (defined functions by symbol, imports through their
** funcref record) and call_indirect (table bounds, null and signature checks
** against the engine-wide type id). Tail calls are not lowered yet.
*/
#include "cg_internal.h"

/* Pops the arguments, calls, and pushes the results (extracted from the
** result struct when there are several). */
static void emit_call(cg_func *f, LLVMTypeRef fty, LLVMValueRef callee, LLVMValueRef vmctx,
                      const aotc_functype *ft) {
  cg_unit *u = f->u;
  uint32_t n = ft->n_params;
  LLVMValueRef *args = cg_scratch(f, (size_t)n + 1, sizeof *args);
  args[0] = vmctx;
  for (uint32_t i = n; i > 0; i--)
    args[i] = cg_pop(f);
  LLVMValueRef r = LLVMBuildCall2(u->b, fty, callee, args, n + 1, "");
  /* Every Wasm call consumes stack: tail-recursion elimination must not turn
  ** runaway recursion into a loop that never reaches "call stack exhausted". */
  LLVMSetTailCallKind(r, LLVMTailCallKindNoTail);
  if (ft->n_results == 1) {
    cg_push(f, r);
  } else {
    for (uint32_t i = 0; i < ft->n_results; i++) {
      LLVMValueRef v = LLVMBuildExtractValue(u->b, r, i, "");
      if (cg_result_as_bits(u, ft, i))
        v = LLVMBuildBitCast(u->b, v, cg_valtype(u, ft->results[i]), "");
      cg_push(f, v);
    }
  }
}

/* The wrt_funcref field at byte offset `field` (u->abi.off.wrt_funcref). */
static LLVMValueRef record_field(cg_func *f, LLVMValueRef rec, uint32_t field, LLVMTypeRef t,
                                 bool invariant) {
  cg_unit *u = f->u;
  LLVMValueRef off = cg_const_i32(u, field);
  LLVMValueRef p = LLVMBuildInBoundsGEP2(u->b, u->i8, rec, &off, 1, "");
  return invariant ? cg_load_invariant(f, t, p, "") : cg_load(f, t, p, "");
}

static void call_direct(cg_func *f, uint32_t func_idx) {
  cg_unit *u = f->u;
  const aotc_module *m = u->m;
  uint32_t ti = m->func_types[func_idx];
  if (func_idx >= m->n_func_imports) {
    emit_call(f, u->func_types[ti], u->funcs[func_idx], f->vmctx, &m->types[ti]);
    return;
  }
  /* An import: the record is fixed at instantiation. */
  LLVMValueRef rec = cg_load_invariant(
      f, u->ptr, cg_vmctx_gep(f, u->layout.func_imports + func_idx * u->ptr_size), "import");
  LLVMValueRef code = record_field(f, rec, u->abi.off.wrt_funcref.code, u->ptr, true);
  LLVMValueRef callee_vmctx = record_field(f, rec, u->abi.off.wrt_funcref.vmctx, u->ptr, true);
  emit_call(f, u->func_types[ti], code, callee_vmctx, &m->types[ti]);
}

/* spec: call_indirect traps on an index past the table ("undefined element"),
** a null entry ("uninitialized element") and a signature mismatch. */
static void call_indirect(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  uint32_t ti = in->u.call_ind.type_idx, table = in->u.call_ind.table_idx;
  LLVMValueRef idx = cg_pop(f);
  LLVMValueRef tdef = cg_load_invariant(f, u->ptr,
                                        cg_vmctx_gep(f, u->layout.tables + table * u->ptr_size), "table");
  LLVMValueRef off = cg_const_i32(u, u->abi.off.wrt_table_def.size);
  LLVMValueRef size = cg_load(f, u->i32, LLVMBuildInBoundsGEP2(u->b, u->i8, tdef, &off, 1, ""), "size");
  cg_trap_if(f, LLVMBuildICmp(u->b, LLVMIntUGE, idx, size, ""), WRT_TRAP_UNDEFINED_ELEMENT);
  LLVMValueRef elems = cg_load(f, u->ptr, tdef, "elems");
  LLVMValueRef i64idx = LLVMBuildZExt(u->b, idx, u->i64, "");
  LLVMValueRef rec = cg_load(f, u->ptr, LLVMBuildInBoundsGEP2(u->b, u->ptr, elems, &i64idx, 1, ""), "rec");
  cg_trap_if(f, LLVMBuildIsNull(u->b, rec, ""), WRT_TRAP_INDIRECT_NULL);
  LLVMValueRef want = cg_load_invariant(f, u->intptr,
                                        cg_vmctx_gep(f, u->layout.type_ids + ti * u->ptr_size), "tid");
  LLVMValueRef have = record_field(f, rec, u->abi.off.wrt_funcref.type_id, u->intptr, false);
  cg_trap_if(f, LLVMBuildICmp(u->b, LLVMIntNE, have, want, ""), WRT_TRAP_INDIRECT_SIG);
  LLVMValueRef code = record_field(f, rec, u->abi.off.wrt_funcref.code, u->ptr, false);
  LLVMValueRef callee_vmctx = record_field(f, rec, u->abi.off.wrt_funcref.vmctx, u->ptr, false);
  emit_call(f, u->func_types[ti], code, callee_vmctx, &u->m->types[ti]);
}

bool cg_call(cg_func *f, const aotc_instr *in) {
  switch (in->op) {
  case AOTC_OP_CALL: call_direct(f, in->u.idx); return true;
  case AOTC_OP_CALL_INDIRECT: call_indirect(f, in); return true;
  default:
    return aotc_diag_set(f->u->diag, AOTC_EUNSUPPORTED, in->off,
                         "%s: tail calls are not implemented in code generation yet",
                         aotc_opinfo_table[in->op].name);
  }
}
