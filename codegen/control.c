/*
** control.c: structured control flow to SSA. Each block, loop and if gets a
** continuation block whose phis receive the results from every branch; a
** loop's header has phis for its parameters. Code after an unconditional
** branch is skipped up to the enclosing `else`/`end` (frames opened there are
** "dead" and emit nothing). Calls live in call.c.
*/
#include "cg_internal.h"

static cg_frame *top(cg_func *f) {
  return &f->frames[f->n_frames - 1];
}

static cg_frame *push_frame(cg_func *f) {
  if (f->n_frames == f->cap_frames)
    f->frames = cg_grow(f->u, f->frames, &f->cap_frames, sizeof *f->frames);
  cg_frame *fr = &f->frames[f->n_frames++];
  *fr = (cg_frame){0};
  return fr;
}

/* Phis at the start of bb, one per type. */
static LLVMValueRef *make_phis(cg_func *f, LLVMBasicBlockRef bb, uint32_t n, const aotc_valtype *ts) {
  cg_unit *u = f->u;
  LLVMValueRef *phis = cg_scratch(f, n, sizeof *phis);
  LLVMBasicBlockRef saved = LLVMGetInsertBlock(u->b);
  LLVMPositionBuilderAtEnd(u->b, bb);
  for (uint32_t i = 0; i < n; i++)
    phis[i] = LLVMBuildPhi(u->b, cg_valtype(u, ts[i]), "");
  LLVMPositionBuilderAtEnd(u->b, saved);
  return phis;
}

static void block_type(cg_func *f, int64_t bt, uint32_t *np, const aotc_valtype **ps, uint32_t *nr,
                       const aotc_valtype **rs) {
  static const aotc_valtype single[256] = {[AOTC_I32] = AOTC_I32, [AOTC_I64] = AOTC_I64,
                                           [AOTC_F32] = AOTC_F32, [AOTC_F64] = AOTC_F64,
                                           [AOTC_V128] = AOTC_V128, [AOTC_FUNCREF] = AOTC_FUNCREF,
                                           [AOTC_EXTERNREF] = AOTC_EXTERNREF};
  *np = 0, *ps = NULL, *nr = 0, *rs = NULL;
  if (bt == AOTC_BLOCK_EMPTY)
    return;
  if (bt < 0) {
    *nr = 1, *rs = &single[aotc_block_valtype(bt)];
    return;
  }
  const aotc_functype *ft = &f->u->m->types[bt];
  *np = ft->n_params, *ps = ft->params, *nr = ft->n_results, *rs = ft->results;
}

/* Adds the top n operands as incoming values of phis, from the current block. */
static void add_incoming(cg_func *f, LLVMValueRef *phis, uint32_t n) {
  LLVMBasicBlockRef bb = LLVMGetInsertBlock(f->u->b);
  for (uint32_t i = 0; i < n; i++) {
    LLVMValueRef v = cg_peek(f, n - 1 - i);
    LLVMAddIncoming(phis[i], &v, &bb, 1);
  }
}

/* Branch to label depth l with the operands on top of the stack (not popped). */
static void branch_to(cg_func *f, uint32_t l) {
  cg_frame *fr = &f->frames[f->n_frames - 1 - l];
  cg_unit *u = f->u;
  if (fr->op == AOTC_OP_LOOP) {
    add_incoming(f, fr->loop_phis, fr->n_params);
    LLVMBuildBr(u->b, fr->header);
  } else if (f->n_frames - 1 - l == 0) {
    /* The function's frame: a branch to it is a return. */
    LLVMValueRef *vals = cg_scratch(f, fr->n_results, sizeof *vals);
    for (uint32_t i = 0; i < fr->n_results; i++)
      vals[i] = cg_peek(f, fr->n_results - 1 - i);
    cg_return_values(f, fr->n_results, vals);
  } else {
    add_incoming(f, fr->phis, fr->n_results);
    fr->cont_used = true;
    LLVMBuildBr(u->b, fr->cont);
  }
}

static void set_unreachable(cg_func *f) {
  cg_frame *fr = top(f);
  f->n_vals = fr->height;
  fr->unreachable = true;
}

void cg_return_values(cg_func *f, uint32_t n, LLVMValueRef *vals) {
  cg_unit *u = f->u;
  if (n == 0) {
    LLVMBuildRetVoid(u->b);
  } else if (n == 1) {
    LLVMBuildRet(u->b, vals[0]);
  } else {
    LLVMTypeRef rt = LLVMGetReturnType(LLVMGlobalGetValueType(f->fn));
    LLVMValueRef agg = LLVMGetUndef(rt);
    for (uint32_t i = 0; i < n; i++) {
      LLVMValueRef v = vals[i];
      if (cg_result_as_bits(u, f->ft, i))
        v = LLVMBuildBitCast(u->b, v, cg_bits_type(u, f->ft->results[i]), "");
      agg = LLVMBuildInsertValue(u->b, agg, v, i, "");
    }
    LLVMBuildRet(u->b, agg);
  }
}

bool cg_control_begin_function(cg_func *f) {
  cg_frame *fr = push_frame(f);
  fr->op = AOTC_OP_BLOCK;
  fr->n_results = f->ft->n_results;
  fr->results = f->ft->results;
  fr->height = 0;
  return true;
}

static void open_block(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  bool dead = top(f)->unreachable || top(f)->dead;
  uint32_t np, nr;
  const aotc_valtype *ps, *rs;
  block_type(f, in->u.block_type, &np, &ps, &nr, &rs);
  LLVMValueRef cond = NULL;
  if (!dead && in->op == AOTC_OP_IF)
    cond = cg_pop(f);
  cg_frame *fr = push_frame(f);
  fr->op = in->op;
  fr->n_params = np, fr->params = ps, fr->n_results = nr, fr->results = rs;
  fr->dead = dead;
  fr->unreachable = dead; /* nothing inside a dead frame is emitted */
  if (dead)
    return;
  fr->height = f->n_vals - np;
  fr->cont = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "cont");
  fr->phis = make_phis(f, fr->cont, nr, rs);
  if (in->op == AOTC_OP_LOOP) {
    fr->header = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "loop");
    fr->loop_phis = make_phis(f, fr->header, np, ps);
    add_incoming(f, fr->loop_phis, np);
    LLVMBuildBr(u->b, fr->header);
    LLVMPositionBuilderAtEnd(u->b, fr->header);
    f->n_vals -= np;
    for (uint32_t i = 0; i < np; i++)
      cg_push(f, fr->loop_phis[i]);
  } else if (in->op == AOTC_OP_IF) {
    LLVMBasicBlockRef then_bb = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "then");
    fr->else_bb = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "else");
    fr->if_params = cg_scratch(f, np, sizeof *fr->if_params);
    for (uint32_t i = 0; i < np; i++)
      fr->if_params[i] = cg_peek(f, np - 1 - i);
    LLVMValueRef c = LLVMBuildICmp(u->b, LLVMIntNE, cond, cg_const_i32(u, 0), "");
    LLVMBuildCondBr(u->b, c, then_bb, fr->else_bb);
    LLVMPositionBuilderAtEnd(u->b, then_bb);
  }
}

/* Leaves the current arm: a live fall-through branches to cont with the results. */
static void close_arm(cg_func *f, cg_frame *fr) {
  if (!fr->unreachable) {
    add_incoming(f, fr->phis, fr->n_results);
    fr->cont_used = true;
    LLVMBuildBr(f->u->b, fr->cont);
  }
  f->n_vals = fr->height;
}

static void op_else(cg_func *f) {
  cg_frame *fr = top(f);
  if (fr->dead)
    return;
  close_arm(f, fr);
  LLVMPositionBuilderAtEnd(f->u->b, fr->else_bb);
  fr->else_bb = NULL; /* consumed: `end` must not route it again */
  fr->op = AOTC_OP_ELSE;
  fr->unreachable = false;
  for (uint32_t i = 0; i < fr->n_params; i++)
    cg_push(f, fr->if_params[i]);
}

/* Removes phis of a continuation that no branch reaches. */
static void drop_phis(cg_frame *fr) {
  for (uint32_t i = 0; i < fr->n_results; i++)
    LLVMInstructionEraseFromParent(fr->phis[i]);
}

static void op_end(cg_func *f) {
  cg_unit *u = f->u;
  cg_frame fr = *top(f);
  if (fr.dead) {
    f->n_frames--;
    return;
  }
  if (f->n_frames == 1) { /* the function's end */
    if (!fr.unreachable) {
      LLVMValueRef *vals = cg_scratch(f, fr.n_results, sizeof *vals);
      for (uint32_t i = 0; i < fr.n_results; i++)
        vals[i] = cg_peek(f, fr.n_results - 1 - i);
      cg_return_values(f, fr.n_results, vals);
    }
    f->n_frames--;
    return;
  }
  close_arm(f, &fr);
  if (fr.else_bb) {
    /* An `if` without `else`: the false edge passes the parameters through. */
    LLVMPositionBuilderAtEnd(u->b, fr.else_bb);
    LLVMBasicBlockRef bb = fr.else_bb;
    for (uint32_t i = 0; i < fr.n_results; i++)
      LLVMAddIncoming(fr.phis[i], &fr.if_params[i], &bb, 1);
    LLVMBuildBr(u->b, fr.cont);
    fr.cont_used = true;
  }
  f->n_frames--;
  LLVMPositionBuilderAtEnd(u->b, fr.cont);
  if (!fr.cont_used) {
    drop_phis(&fr);
    LLVMBuildUnreachable(u->b);
    set_unreachable(f);
    return;
  }
  for (uint32_t i = 0; i < fr.n_results; i++)
    cg_push(f, fr.phis[i]);
}

/* One landing block per distinct label (not per entry: tables may have
** thousands of entries over a few labels, and LLVM's CFG passes grow with the
** block count); each adds that label's phi inputs and branches. */
static void op_br_table(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  LLVMValueRef idx = cg_pop(f);
  uint32_t n = in->u.br_table.n_targets, l, def = 0;
  LLVMBasicBlockRef from = LLVMGetInsertBlock(u->b);
  LLVMBasicBlockRef *landing = cg_scratch(f, f->n_frames, sizeof *landing);
  uint32_t *labels = cg_scratch(f, (size_t)n + 1, sizeof *labels);
  aotc_br_table_iter it;
  aotc_br_table_iter_init(&it, &f->r, in);
  for (uint32_t i = 0; i <= n && aotc_br_table_next(&it, &l); i++) {
    labels[i] = l;
    if (!landing[l]) {
      landing[l] = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "br_table");
      LLVMPositionBuilderAtEnd(u->b, landing[l]);
      branch_to(f, l);
    }
    def = l;
  }
  LLVMPositionBuilderAtEnd(u->b, from);
  LLVMValueRef sw = LLVMBuildSwitch(u->b, idx, landing[def], n);
  for (uint32_t i = 0; i < n; i++)
    if (labels[i] != def)
      LLVMAddCase(sw, cg_const_i32(u, i), landing[labels[i]]);
  set_unreachable(f);
}

bool cg_control(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  bool live = !top(f)->unreachable && !top(f)->dead;
  switch (in->op) {
  case AOTC_OP_BLOCK:
  case AOTC_OP_LOOP:
  case AOTC_OP_IF: open_block(f, in); return true;
  case AOTC_OP_ELSE: op_else(f); return true;
  case AOTC_OP_END: op_end(f); return true;
  default: break;
  }
  if (!live)
    return true;
  switch (in->op) {
  case AOTC_OP_NOP: return true;
  case AOTC_OP_UNREACHABLE:
    cg_trap(f, WRT_TRAP_UNREACHABLE);
    set_unreachable(f);
    return true;
  case AOTC_OP_BR:
    branch_to(f, in->u.idx);
    set_unreachable(f);
    return true;
  case AOTC_OP_BR_IF: {
    LLVMValueRef c = LLVMBuildICmp(u->b, LLVMIntNE, cg_pop(f), cg_const_i32(u, 0), "");
    LLVMBasicBlockRef taken = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "br_if");
    LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(u->ctx, f->fn, "next");
    LLVMBuildCondBr(u->b, c, taken, next);
    LLVMPositionBuilderAtEnd(u->b, taken);
    branch_to(f, in->u.idx);
    LLVMPositionBuilderAtEnd(u->b, next);
    return true;
  }
  case AOTC_OP_BR_TABLE: op_br_table(f, in); return true;
  case AOTC_OP_RETURN: branch_to(f, f->n_frames - 1); set_unreachable(f); return true;
  default:
    return aotc_diag_set(u->diag, AOTC_EINTERNAL, in->off, "control: unhandled %s",
                         aotc_opinfo_table[in->op].name);
  }
}
