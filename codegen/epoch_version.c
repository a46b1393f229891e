/*
** epoch_version.c: with --epoch-interruption, short counted loops run
** without their epoch check. A check is one load and one branch, which in a
** tight loop running at the core's dispatch width costs its share of the
** instructions (matmul's inner loop: 15 instructions per two elements).
** Such a loop is versioned: before it, a
** test of its trip count chooses between the loop as it is (with its check,
** epoch.c) and a copy without one, taken only when the loop will end within
** a bounded number of instructions (CHECK_FREE_WORK). The loop around it, if
** any, keeps its own check, so the latency of an interruption grows by at
** most one such run.
**
** A loop here is one block B that branches to itself or to its exit X, with
** one predecessor P outside, no calls but intrinsics, and an exit test that
** compares an induction variable t (a phi of B whose back-edge value is the
** phi plus a step S, or that next value) with a bound B0 defined outside B:
** with S a constant power of two, the loop goes on while t != B0, or while
** t < B0 (unsigned or signed) counting up, or t > B0 counting down; with S
** any value from outside B, while t < B0 (a sieve's `j += i`). From t's first
** value the test computes how many more iterations there are before the
** condition fails without t wrapping round (for !=: |S| must divide the
** distance); where t would wrap, or the count is over the budget, the loop
** runs checked.
**
** The test goes into a new block V on the edge P -> B; the copy B' follows
** B, with its own back edge. Both leave through a new block E on the way to
** X, where each value of B used past the loop meets its copy in a phi.
*/
#include "cg_internal.h"

/* The most instructions a check-free run may execute: 2^22, about a
** millisecond. */
#define CHECK_FREE_WORK ((uint64_t)1 << 22)
#define MAX_BODY 256

typedef struct loopv {
  cg_unit *u;
  LLVMValueRef fn;
  LLVMBasicBlockRef b, x, pre, copy;
  LLVMBasicBlockRef exit; /* E: between B (and B') and X */
  LLVMValueRef *ins, *map; /* B's instructions; their copies in B' */
  uint32_t n, n_phis;
  /* The induction: phi, whose back-edge value is phi + by; whether the exit
  ** test reads that next value (else phi), and the value it compares with. */
  LLVMValueRef phi, by, bound;
  int64_t step; /* by as a constant; 0 when by is not one */
  bool test_next;
  LLVMIntPredicate go_on; /* the loop goes on while `t go_on bound` */
} loopv;

static uint32_t index_of(const loopv *l, LLVMValueRef v) {
  if (!LLVMIsAInstruction(v) || LLVMGetInstructionParent(v) != l->b)
    return UINT32_MAX;
  for (uint32_t i = 0; i < l->n; i++)
    if (l->ins[i] == v)
      return i;
  return UINT32_MAX;
}

/* v's copy in B' (values from outside B are their own). */
static LLVMValueRef copy_of(const loopv *l, LLVMValueRef v) {
  uint32_t i = index_of(l, v);
  return i == UINT32_MAX ? v : l->map[i];
}

static LLVMValueRef incoming_from(LLVMValueRef phi, LLVMBasicBlockRef from) {
  for (unsigned i = 0, n = LLVMCountIncoming(phi); i < n; i++)
    if (LLVMGetIncomingBlock(phi, i) == from)
      return LLVMGetIncomingValue(phi, i);
  return NULL;
}

/* The blocks whose terminators branch to bb, one per edge; false if more than max. */
static bool edges_into(LLVMBasicBlockRef bb, LLVMBasicBlockRef *from, uint32_t max, uint32_t *n) {
  *n = 0;
  for (LLVMUseRef use = LLVMGetFirstUse(LLVMBasicBlockAsValue(bb)); use; use = LLVMGetNextUse(use)) {
    LLVMValueRef user = LLVMGetUser(use);
    if (!LLVMIsAInstruction(user) || *n == max)
      return false;
    from[(*n)++] = LLVMGetInstructionParent(user);
  }
  return true;
}

/* B's shape: a self-loop with one exit and one outside predecessor, small,
** without calls. */
static bool loop_shape(loopv *l) {
  LLVMValueRef t = LLVMGetBasicBlockTerminator(l->b);
  if (!t || LLVMGetInstructionOpcode(t) != LLVMBr || LLVMGetNumSuccessors(t) != 2)
    return false;
  LLVMBasicBlockRef s0 = LLVMGetSuccessor(t, 0), s1 = LLVMGetSuccessor(t, 1);
  if ((s0 == l->b) == (s1 == l->b))
    return false;
  l->x = s0 == l->b ? s1 : s0;
  LLVMBasicBlockRef from[2];
  uint32_t n_from;
  if (!edges_into(l->b, from, 2, &n_from) || n_from != 2 || (from[0] == l->b) == (from[1] == l->b))
    return false;
  l->pre = from[0] == l->b ? from[1] : from[0];
  l->n = l->n_phis = 0;
  for (LLVMValueRef in = LLVMGetFirstInstruction(l->b); in; in = LLVMGetNextInstruction(in)) {
    if (LLVMIsAPHINode(in))
      l->n_phis++;
    else if (LLVMIsACallInst(in) && !(LLVMIsAFunction(LLVMGetCalledValue(in)) &&
                                      LLVMGetIntrinsicID(LLVMGetCalledValue(in))))
      return false;
    if (++l->n > MAX_BODY)
      return false;
  }
  return true;
}

/* phi + step, in either order: returns the step, NULL if next is not so. */
static LLVMValueRef added_step(LLVMValueRef next, LLVMValueRef phi) {
  if (!LLVMIsAInstruction(next) || LLVMGetInstructionOpcode(next) != LLVMAdd)
    return NULL;
  LLVMValueRef a = LLVMGetOperand(next, 0), c = LLVMGetOperand(next, 1);
  if (c == phi)
    c = a, a = phi;
  return a == phi ? c : NULL;
}

static bool power_of_two(uint64_t v) {
  return v && !(v & (v - 1));
}

/* a < b as b > a. */
static LLVMIntPredicate swapped(LLVMIntPredicate p) {
  switch (p) {
  case LLVMIntULT: return LLVMIntUGT;
  case LLVMIntUGT: return LLVMIntULT;
  case LLVMIntULE: return LLVMIntUGE;
  case LLVMIntUGE: return LLVMIntULE;
  case LLVMIntSLT: return LLVMIntSGT;
  case LLVMIntSGT: return LLVMIntSLT;
  case LLVMIntSLE: return LLVMIntSGE;
  case LLVMIntSGE: return LLVMIntSLE;
  default: return p; /* eq, ne */
  }
}

static LLVMIntPredicate negated(LLVMIntPredicate p) {
  switch (p) {
  case LLVMIntEQ: return LLVMIntNE;
  case LLVMIntNE: return LLVMIntEQ;
  case LLVMIntULT: return LLVMIntUGE;
  case LLVMIntUGE: return LLVMIntULT;
  case LLVMIntUGT: return LLVMIntULE;
  case LLVMIntULE: return LLVMIntUGT;
  case LLVMIntSLT: return LLVMIntSGE;
  case LLVMIntSGE: return LLVMIntSLT;
  case LLVMIntSGT: return LLVMIntSLE;
  default: return LLVMIntSGT; /* sle */
  }
}

/* Whether the test can bound a loop going on while `t p bound` with step. */
static bool boundable(LLVMIntPredicate p, int64_t step) {
  return p == LLVMIntNE || (step > 0 && (p == LLVMIntULT || p == LLVMIntSLT)) ||
         (step < 0 && (p == LLVMIntUGT || p == LLVMIntSGT));
}

/* Finds the induction the exit test bounds (see the file comment). */
static bool counted(loopv *l) {
  LLVMValueRef t = LLVMGetBasicBlockTerminator(l->b);
  LLVMValueRef cond = LLVMGetCondition(t);
  if (!LLVMIsAICmpInst(cond))
    return false;
  bool exit_on_true = LLVMGetSuccessor(t, 0) != l->b;
  for (unsigned side = 0; side < 2; side++) {
    LLVMIntPredicate p = LLVMGetICmpPredicate(cond);
    p = side ? swapped(p) : p; /* as `t p bound` */
    p = exit_on_true ? negated(p) : p;
    LLVMValueRef v = LLVMGetOperand(cond, side), other = LLVMGetOperand(cond, 1 - side);
    if (index_of(l, other) != UINT32_MAX)
      continue; /* not invariant */
    for (uint32_t i = 0; i < l->n_phis; i++) {
      LLVMValueRef phi = l->ins[i], next = incoming_from(phi, l->b);
      LLVMValueRef by = (v == phi || v == next) ? added_step(next, phi) : NULL;
      if (!by || LLVMGetTypeKind(LLVMTypeOf(phi)) != LLVMIntegerTypeKind)
        continue;
      unsigned w = LLVMGetIntTypeWidth(LLVMTypeOf(phi));
      int64_t step = 0;
      if (LLVMIsAConstantInt(by)) {
        step = LLVMConstIntGetSExtValue(by);
        uint64_t mag = step < 0 ? 0 - (uint64_t)step : (uint64_t)step;
        if (!power_of_two(mag) || !boundable(p, step) || w < 32)
          continue;
      } else if (index_of(l, by) != UINT32_MAX || w < 32 || (p != LLVMIntULT && p != LLVMIntSLT)) {
        continue; /* a step from outside the loop: counting up */
      }
      l->phi = phi, l->bound = other, l->step = step, l->test_next = v == next;
      l->by = by, l->go_on = p;
      return true;
    }
  }
  return false;
}

/* Whether v's use by user is in B, B' or the exit block E (the uses
** versioning takes care of). */
static bool loop_use(const loopv *l, LLVMValueRef user) {
  LLVMBasicBlockRef at = LLVMGetInstructionParent(user);
  return at == l->b || at == l->copy || at == l->exit;
}

/* In V (builder there): true when the loop ends within its work budget.
** t1 is t's value at the first test, m the iterations after the first
** before the loop condition fails, room how many steps t can take without
** wrapping. */
static LLVMValueRef trip_ok_var(loopv *l, LLVMValueRef init);

static LLVMValueRef trip_ok(loopv *l, LLVMValueRef init) {
  if (!l->step)
    return trip_ok_var(l, init);
  LLVMBuilderRef b = l->u->b;
  LLVMTypeRef t = LLVMTypeOf(l->phi);
  uint64_t mag = l->step < 0 ? 0 - (uint64_t)l->step : (uint64_t)l->step;
  unsigned shift = 0;
  while (((uint64_t)1 << shift) < mag)
    shift++;
  LLVMValueRef zero = LLVMConstInt(t, 0, 0), one = LLVMConstInt(t, 1, 0);
  LLVMValueRef sh = LLVMConstInt(t, shift, 0);
  LLVMValueRef t1 = l->test_next ? LLVMBuildAdd(b, init, LLVMConstInt(t, (uint64_t)l->step, 1), "") : init;
  bool up = l->step > 0;
  LLVMValueRef d = up ? LLVMBuildSub(b, l->bound, t1, "") : LLVMBuildSub(b, t1, l->bound, "");
  LLVMValueRef m, ok;
  if (l->go_on == LLVMIntNE) { /* ends when t reaches the bound exactly */
    m = LLVMBuildLShr(b, d, sh, "");
    LLVMValueRef rem = LLVMBuildAnd(b, d, LLVMConstInt(t, mag - 1, 0), "");
    ok = LLVMBuildICmp(b, LLVMIntEQ, rem, zero, "");
  } else {
    bool is_signed = l->go_on == LLVMIntSLT || l->go_on == LLVMIntSGT;
    LLVMValueRef going = LLVMBuildICmp(b, l->go_on, t1, l->bound, "");
    LLVMValueRef d1 = LLVMBuildSub(b, d, one, "");
    LLVMValueRef q = LLVMBuildLShr(b, d1, sh, "");
    LLVMValueRef steps = LLVMBuildAdd(b, q, one, "");
    m = LLVMBuildSelect(b, going, steps, zero, "");
    /* How far t can go in its direction before it wraps. */
    unsigned w = LLVMGetIntTypeWidth(t);
    uint64_t sign = (uint64_t)1 << (w - 1);
    uint64_t top = is_signed ? sign - 1 : ~0ull, bottom = is_signed ? sign : 0; /* as w bits */
    LLVMValueRef end = LLVMConstInt(t, up ? top : bottom, 0);
    LLVMValueRef span = up ? LLVMBuildSub(b, end, t1, "") : LLVMBuildSub(b, t1, end, "");
    LLVMValueRef room = LLVMBuildLShr(b, span, sh, "");
    ok = LLVMBuildICmp(b, LLVMIntULE, m, room, "");
  }
  uint64_t limit = CHECK_FREE_WORK / (l->n - l->n_phis);
  LLVMValueRef small = LLVMBuildICmp(b, LLVMIntULE, m, LLVMConstInt(t, limit, 0), "");
  return LLVMBuildAnd(b, ok, small, "trips_ok");
}

/* trip_ok for t counting up by a step S from outside the loop while
** t < bound: no wrap while S <= ~bound (unsigned) or 0 < S <= MAX - bound
** (signed), so t only grows; then the loop goes on at most ceil(d / S)
** more times, d = bound - t1, which is within the limit when
** (d - 1) / limit < S (a division by a constant: a multiply). */
static LLVMValueRef trip_ok_var(loopv *l, LLVMValueRef init) {
  LLVMBuilderRef b = l->u->b;
  LLVMTypeRef t = LLVMTypeOf(l->phi);
  unsigned w = LLVMGetIntTypeWidth(t);
  LLVMValueRef s = l->by;
  LLVMValueRef t1 = l->test_next ? LLVMBuildAdd(b, init, s, "") : init;
  LLVMValueRef going = LLVMBuildICmp(b, l->go_on, t1, l->bound, "");
  LLVMValueRef nowrap;
  if (l->go_on == LLVMIntULT) {
    LLVMValueRef room = LLVMBuildNot(b, l->bound, "");
    nowrap = LLVMBuildICmp(b, LLVMIntULE, s, room, "");
  } else {
    LLVMValueRef pos = LLVMBuildICmp(b, LLVMIntSGT, s, LLVMConstInt(t, 0, 0), "");
    LLVMValueRef top = LLVMBuildSub(b, LLVMConstInt(t, ((uint64_t)1 << (w - 1)) - 1, 0), s, "");
    LLVMValueRef fits = LLVMBuildICmp(b, LLVMIntSLE, l->bound, top, "");
    nowrap = LLVMBuildAnd(b, pos, fits, "");
  }
  LLVMValueRef d = LLVMBuildSub(b, l->bound, t1, "");
  LLVMValueRef d1 = LLVMBuildSub(b, d, LLVMConstInt(t, 1, 0), "");
  uint64_t limit = CHECK_FREE_WORK / (l->n - l->n_phis);
  LLVMValueRef q = LLVMBuildUDiv(b, d1, LLVMConstInt(t, limit, 0), "");
  LLVMValueRef small = LLVMBuildICmp(b, LLVMIntULT, q, s, "");
  LLVMValueRef ok = LLVMBuildAnd(b, nowrap, small, "");
  return LLVMBuildOr(b, LLVMBuildNot(b, going, ""), ok, "trips_ok");
}

/* B' after B: phis from V and from its own back edge, the rest cloned. */
static void make_copy(loopv *l, LLVMBasicBlockRef v) {
  cg_unit *u = l->u;
  LLVMBasicBlockRef after = LLVMGetNextBasicBlock(l->b);
  l->copy = after ? LLVMInsertBasicBlockInContext(u->ctx, after, "unchecked")
                  : LLVMAppendBasicBlockInContext(u->ctx, l->fn, "unchecked");
  LLVMPositionBuilderAtEnd(u->b, l->copy);
  for (uint32_t i = 0; i < l->n_phis; i++) {
    LLVMValueRef init = incoming_from(l->ins[i], v);
    l->map[i] = LLVMBuildPhi(u->b, LLVMTypeOf(l->ins[i]), "");
    LLVMAddIncoming(l->map[i], &init, &v, 1);
  }
  for (uint32_t i = l->n_phis; i < l->n; i++) {
    LLVMValueRef c = LLVMInstructionClone(l->ins[i]);
    LLVMInsertIntoBuilder(u->b, c);
    for (int k = 0, n = LLVMGetNumOperands(c); k < n; k++) {
      LLVMValueRef op = LLVMGetOperand(c, (unsigned)k);
      if (!LLVMValueIsBasicBlock(op))
        LLVMSetOperand(c, (unsigned)k, copy_of(l, op));
    }
    l->map[i] = c;
  }
  LLVMValueRef t = l->map[l->n - 1];
  for (unsigned s = 0; s < 2; s++)
    if (LLVMGetSuccessor(t, s) == l->b)
      LLVMSetSuccessor(t, s, l->copy);
  for (uint32_t i = 0; i < l->n_phis; i++) {
    LLVMValueRef back = copy_of(l, incoming_from(l->ins[i], l->b));
    LLVMAddIncoming(l->map[i], &back, &l->copy, 1);
  }
}

/* B and B' leave through E, where each value of B used past the loop
** meets its copy in a phi that takes over those uses. Every use past the
** loop was dominated by B; now every path there passes E (X's phis
** included: the edge from B is E's now). */
static void merge_exit(loopv *l) {
  cg_unit *u = l->u;
  LLVMPositionBuilderAtEnd(u->b, l->exit);
  LLVMValueRef br = LLVMBuildBr(u->b, l->x);
  for (uint32_t i = 0; i < l->n; i++) {
    LLVMValueRef v = l->ins[i];
    if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMVoidTypeKind)
      continue;
    uint32_t n_users = 0;
    for (LLVMUseRef use = LLVMGetFirstUse(v); use; use = LLVMGetNextUse(use))
      n_users += !loop_use(l, LLVMGetUser(use));
    if (!n_users)
      continue;
    LLVMValueRef *users = cg_alloc(u, n_users, sizeof *users);
    n_users = 0; /* collected first: rewriting operands changes the use list */
    for (LLVMUseRef use = LLVMGetFirstUse(v); use; use = LLVMGetNextUse(use))
      if (!loop_use(l, LLVMGetUser(use)))
        users[n_users++] = LLVMGetUser(use);
    LLVMPositionBuilderBefore(u->b, br);
    LLVMValueRef phi = LLVMBuildPhi(u->b, LLVMTypeOf(v), "");
    LLVMAddIncoming(phi, &v, &l->b, 1);
    LLVMAddIncoming(phi, &l->map[i], &l->copy, 1);
    for (uint32_t k = 0; k < n_users; k++)
      for (int o = 0, n = LLVMGetNumOperands(users[k]); o < n; o++)
        if (LLVMGetOperand(users[k], (unsigned)o) == v)
          LLVMSetOperand(users[k], (unsigned)o, phi);
  }
}

/* Versions B if it qualifies; returns B' (to be left without a check) or NULL. */
static void collect(loopv *l) {
  uint32_t i = 0;
  for (LLVMValueRef in = LLVMGetFirstInstruction(l->b); in; in = LLVMGetNextInstruction(in))
    l->ins[i++] = in;
}

/* Puts a new, empty block on the edge from -> to (from's only edge there):
** from branches to it and to's phis take from it. The caller ends it. */
static LLVMBasicBlockRef split_edge(cg_unit *u, LLVMBasicBlockRef from, LLVMBasicBlockRef to, const char *name) {
  LLVMBasicBlockRef mid = LLVMInsertBasicBlockInContext(u->ctx, to, name);
  LLVMValueRef t = LLVMGetBasicBlockTerminator(from);
  for (unsigned s = 0, n = LLVMGetNumSuccessors(t); s < n; s++)
    if (LLVMGetSuccessor(t, s) == to)
      LLVMSetSuccessor(t, s, mid);
  cg_retarget_phis(u, to, from, mid);
  return mid;
}

static LLVMBasicBlockRef version(cg_unit *u, LLVMValueRef fn, LLVMBasicBlockRef b) {
  loopv l = {.u = u, .fn = fn, .b = b};
  if (!loop_shape(&l))
    return NULL;
  l.ins = cg_alloc(u, l.n, sizeof *l.ins);
  collect(&l);
  if (!counted(&l))
    return NULL;
  uint32_t k = index_of(&l, l.phi);
  l.map = cg_alloc(u, l.n, sizeof *l.map);
  l.exit = split_edge(u, b, l.x, "loop_exit");
  LLVMBasicBlockRef v = split_edge(u, l.pre, b, "trip_test");
  collect(&l); /* B's phis were rebuilt, in place */
  l.phi = l.ins[k];
  make_copy(&l, v);
  LLVMPositionBuilderAtEnd(u->b, v);
  LLVMValueRef ok = trip_ok(&l, incoming_from(l.phi, v));
  LLVMBuildCondBr(u->b, ok, l.copy, b);
  merge_exit(&l);
  return l.copy;
}

uint32_t cg_epoch_version(cg_unit *u, LLVMValueRef fn, LLVMBasicBlockRef **unchecked) {
  uint32_t n = LLVMCountBasicBlocks(fn), k = 0;
  LLVMBasicBlockRef *bbs = cg_alloc(u, n, sizeof *bbs);
  *unchecked = cg_alloc(u, n, sizeof **unchecked);
  uint32_t i = 0;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
    bbs[i++] = bb;
  for (i = 0; i < n; i++) {
    LLVMBasicBlockRef c = version(u, fn, bbs[i]);
    if (c)
      (*unchecked)[k++] = c;
  }
  return k;
}
