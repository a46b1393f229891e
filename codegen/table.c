/*
** table.c: table.get/set/size inline (bounds-checked against the current
** size, which may change on grow, so it is reloaded each time), and
** table.grow/fill/copy/init and elem.drop as libcalls. table.set also marks
** the table written (wrt_abi.h).
*/
#include "cg_internal.h"

static LLVMValueRef table_def(cg_func *f, uint32_t idx) {
  cg_unit *u = f->u;
  return cg_load_invariant(f, u->ptr, cg_vmctx_gep(f, u->layout.tables + idx * u->ptr_size), "table");
}

static LLVMValueRef table_size(cg_func *f, LLVMValueRef def) {
  cg_unit *u = f->u;
  LLVMValueRef off = cg_const_i32(u, u->abi.off.wrt_table_def.size);
  return cg_load(f, u->i32, LLVMBuildInBoundsGEP2(u->b, u->i8, def, &off, 1, ""), "size");
}

/* Pointer to element idx after the bounds check ("out of bounds table access"). */
static LLVMValueRef elem_ptr(cg_func *f, LLVMValueRef def, LLVMValueRef idx) {
  cg_unit *u = f->u;
  cg_trap_if(f, LLVMBuildICmp(u->b, LLVMIntUGE, idx, table_size(f, def), ""), WRT_TRAP_TABLE_OOB);
  LLVMValueRef elems = cg_load(f, u->ptr, def, "elems");
  LLVMValueRef i = LLVMBuildZExt(u->b, idx, u->i64, "");
  return LLVMBuildInBoundsGEP2(u->b, u->ptr, elems, &i, 1, "");
}

/* def->written = 1 (wrt_abi.h: a written table is not kept for reuse). */
static void mark_written(cg_func *f, LLVMValueRef def) {
  cg_unit *u = f->u;
  LLVMValueRef off = cg_const_i32(u, u->abi.off.wrt_table_def.written);
  LLVMBuildStore(u->b, cg_const_i32(u, 1), LLVMBuildInBoundsGEP2(u->b, u->i8, def, &off, 1, ""));
}

bool cg_table(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  LLVMValueRef a, b, c, r;
  LLVMValueRef idx = cg_const_i32(u, in->u.idx);
  switch (in->op) {
  case AOTC_OP_TABLE_GET:
    a = cg_pop(f);
    cg_push(f, cg_load(f, u->ptr, elem_ptr(f, table_def(f, in->u.idx), a), ""));
    return true;
  case AOTC_OP_TABLE_SET:
    b = cg_pop(f), a = cg_pop(f);
    c = table_def(f, in->u.idx);
    LLVMBuildStore(u->b, b, elem_ptr(f, c, a));
    mark_written(f, c);
    return true;
  case AOTC_OP_TABLE_SIZE: cg_push(f, table_size(f, table_def(f, in->u.idx))); return true;
  case AOTC_OP_TABLE_GROW:
    b = cg_pop(f), a = cg_pop(f); /* delta, init */
    cg_call_libcall(f, CG_LC_table_grow, (LLVMValueRef[]){f->vmctx, idx, a, b}, 4, &r);
    cg_push(f, r);
    return true;
  case AOTC_OP_TABLE_FILL:
    c = cg_pop(f), b = cg_pop(f), a = cg_pop(f); /* n, val, dst */
    cg_call_libcall(f, CG_LC_table_fill, (LLVMValueRef[]){f->vmctx, idx, a, b, c}, 5, NULL);
    return true;
  case AOTC_OP_TABLE_COPY:
    c = cg_pop(f), b = cg_pop(f), a = cg_pop(f);
    cg_call_libcall(f, CG_LC_table_copy,
            (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.pair.dst), cg_const_i32(u, in->u.pair.src), a, b, c},
            6, NULL);
    return true;
  case AOTC_OP_TABLE_INIT:
    c = cg_pop(f), b = cg_pop(f), a = cg_pop(f);
    cg_call_libcall(f, CG_LC_table_init,
            (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.init.dst), cg_const_i32(u, in->u.init.seg), a, b, c},
            6, NULL);
    return true;
  default: /* elem.drop */
    cg_call_libcall(f, CG_LC_elem_drop, (LLVMValueRef[]){f->vmctx, idx}, 2, NULL);
    return true;
  }
}
