/*
** epoch.c: epoch checks (wasm2obj --epoch-interruption), inserted into the
** optimised IR just before the back end, so that they cost only what they
** cost at run time. A check in the IR the optimiser sees is an opaque read
** in every loop, which stops unrolling, vectorisation and the hoisting of
** loads: 8-22% on the bench kernels when the checks went in with the Wasm
** code, against 0-5% placed here (docs/USING.md).
**
** Where: at the end of every block that a retreating edge of the control-
** flow graph enters (a depth-first search from the entry: every cycle has
** such an edge, irreducible ones too), which after optimisation is the
** header of each loop the optimiser left (an unrolled loop checks once per
** unrolled step), except the check-free copies of short counted loops
** (epoch_version.c); and at the entry of a function that calls anything but
** an intrinsic or a libcall (recursion: a cycle through calls passes an
** entry). A body with neither runs in bounded time.
**
** What: the store's due flag, which the runtime sets once the engine's epoch
** reaches the store's deadline (store.c): a volatile load and a branch,
** keeping one pointer live; when set, the epoch_interrupt libcall traps, or
** on a fiber yields and moves the deadline.
**
** The functions that get checks are the Wasm functions (cg_epoch_mark); the
** C-ABI wrappers call them without inlining (cabi.c), so no Wasm loop ends
** up in a function without checks.
*/
#include <stdlib.h>

#include "cg_internal.h"

#define MARK "wrt-epoch"

void cg_epoch_mark(cg_unit *u, LLVMValueRef fn) {
  if (u->opt->epoch_interruption)
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(u->ctx, MARK, sizeof MARK - 1, "", 0));
}

static bool marked(LLVMValueRef fn) {
  return LLVMGetStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, MARK, sizeof MARK - 1) != NULL;
}

/* A function's blocks in layout order, with a sorted index for lookups. */
typedef struct blocks {
  LLVMBasicBlockRef *v;
  struct bb_key { LLVMBasicBlockRef bb; uint32_t i; } *sorted;
  uint32_t n;
} blocks;

static int key_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const struct bb_key *)a)->bb, y = (uintptr_t)((const struct bb_key *)b)->bb;
  return x < y ? -1 : x > y;
}

static void blocks_init(cg_unit *u, LLVMValueRef fn, blocks *bs) {
  bs->n = LLVMCountBasicBlocks(fn);
  bs->v = cg_alloc(u, bs->n, sizeof *bs->v);
  bs->sorted = cg_alloc(u, bs->n, sizeof *bs->sorted);
  uint32_t i = 0;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb), i++)
    bs->v[i] = bb, bs->sorted[i] = (struct bb_key){bb, i};
  qsort(bs->sorted, bs->n, sizeof *bs->sorted, key_cmp);
}

static uint32_t block_index(const blocks *bs, LLVMBasicBlockRef bb) {
  struct bb_key k = {bb, 0};
  const struct bb_key *hit = bsearch(&k, bs->sorted, bs->n, sizeof k, key_cmp);
  return hit->i; /* every successor is a block of the function */
}

/* Marks in is_target the blocks that a retreating edge enters, by an
** iterative depth-first search from the entry; returns how many. */
static uint32_t retreating_targets(cg_unit *u, const blocks *bs, bool *is_target) {
  enum { NEW, ON_PATH, DONE };
  uint8_t *state = cg_alloc(u, bs->n, 1);
  struct dfs_frame { uint32_t bb, next; } *stack = cg_alloc(u, bs->n, sizeof *stack);
  uint32_t n = 0, sp = 0;
  stack[sp++] = (struct dfs_frame){0, 0};
  state[0] = ON_PATH;
  while (sp) {
    uint32_t b = stack[sp - 1].bb;
    LLVMValueRef t = LLVMGetBasicBlockTerminator(bs->v[b]);
    unsigned n_succ = t ? LLVMGetNumSuccessors(t) : 0;
    if (stack[sp - 1].next == n_succ) {
      state[b] = DONE, sp--;
      continue;
    }
    uint32_t s = block_index(bs, LLVMGetSuccessor(t, stack[sp - 1].next++));
    if (state[s] == NEW)
      state[s] = ON_PATH, stack[sp++] = (struct dfs_frame){s, 0};
    else if (state[s] == ON_PATH && !is_target[s])
      is_target[s] = true, n++;
  }
  return n;
}

/* Whether fn calls anything that may run Wasm code again. */
static bool calls_out(cg_unit *u, LLVMValueRef fn) {
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in; in = LLVMGetNextInstruction(in)) {
      if (!LLVMIsACallInst(in))
        continue;
      LLVMValueRef callee = LLVMGetCalledValue(in);
      if (!LLVMIsAFunction(callee))
        return true; /* indirect: a table entry or a host import */
      if (LLVMGetIntrinsicID(callee))
        continue;
      bool libcall = false;
      for (unsigned i = 0; i < CG_LC_COUNT && !libcall; i++)
        libcall = callee == u->libcalls[i];
      if (!libcall)
        return true;
    }
  return false;
}

/* What the checks of one function read, loaded once at its entry. */
typedef struct epoch_ptrs {
  LLVMValueRef vmctx, due;
} epoch_ptrs;

/* Ends `at` with a check: when the epoch has reached the deadline, the
** libcall (which traps, or yields and moves the deadline); then on to `next`. */
static void build_check(cg_unit *u, const epoch_ptrs *p, LLVMValueRef fn, LLVMBasicBlockRef at,
                        LLVMBasicBlockRef next) {
  LLVMPositionBuilderAtEnd(u->b, at);
  LLVMValueRef flag = LLVMBuildLoad2(u->b, u->i32, p->due, "epoch_due");
  LLVMSetVolatile(flag, 1); /* another thread sets it */
  LLVMValueRef due = LLVMBuildICmp(u->b, LLVMIntNE, flag, cg_const_i32(u, 0), "");
  LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(u->ctx, fn, "epoch_due");
  cg_cold_branch(u, LLVMBuildCondBr(u->b, due, slow, next));
  LLVMPositionBuilderAtEnd(u->b, slow);
  LLVMValueRef vmctx = p->vmctx;
  LLVMBuildCall2(u->b, cg_libcall_type(u, CG_LC_epoch_interrupt), cg_libcall(u, CG_LC_epoch_interrupt),
                 &vmctx, 1, "");
  LLVMBuildBr(u->b, next);
}

/* The phis of `to` take what came from `from` from `via` instead. LLVM-C
** cannot set a phi's incoming block: each phi is rebuilt. */
void cg_retarget_phis(cg_unit *u, LLVMBasicBlockRef to, LLVMBasicBlockRef from, LLVMBasicBlockRef via) {
  LLVMValueRef phi = LLVMGetFirstInstruction(to);
  while (phi && LLVMIsAPHINode(phi)) {
    LLVMValueRef next = LLVMGetNextInstruction(phi);
    LLVMPositionBuilderBefore(u->b, phi);
    size_t len;
    const char *name = LLVMGetValueName2(phi, &len);
    LLVMValueRef np = LLVMBuildPhi(u->b, LLVMTypeOf(phi), "");
    LLVMSetValueName2(np, name, len);
    for (unsigned i = 0, n = LLVMCountIncoming(phi); i < n; i++) {
      LLVMValueRef v = LLVMGetIncomingValue(phi, i);
      LLVMBasicBlockRef bb = LLVMGetIncomingBlock(phi, i);
      if (bb == from)
        bb = via;
      LLVMAddIncoming(np, &v, &bb, 1);
    }
    LLVMReplaceAllUsesWith(phi, np);
    LLVMInstructionEraseFromParent(phi);
    phi = next;
  }
}

/* A check at the end of loop header `h`, before its terminator (and the
** compare that feeds it, which stays next to its branch): the terminator
** moves to a new block. At the end rather than the top: at the top, of an
** outer loop whose inner loop runs unchecked (epoch_version.c), the check
** cost matmul 18%, at the end nothing measurable. */
static void check_header(cg_unit *u, const epoch_ptrs *p, LLVMValueRef fn, LLVMBasicBlockRef h) {
  LLVMBasicBlockRef after = LLVMGetNextBasicBlock(h);
  LLVMBasicBlockRef rest = after ? LLVMInsertBasicBlockInContext(u->ctx, after, "loop_latch")
                                 : LLVMAppendBasicBlockInContext(u->ctx, fn, "loop_latch");
  LLVMValueRef in = LLVMGetBasicBlockTerminator(h);
  LLVMValueRef prev = LLVMGetPreviousInstruction(in);
  if (prev && LLVMGetInstructionOpcode(in) == LLVMBr && LLVMIsConditional(in) &&
      prev == LLVMGetCondition(in))
    in = prev;
  LLVMPositionBuilderAtEnd(u->b, rest);
  for (LLVMValueRef next; in; in = next) {
    next = LLVMGetNextInstruction(in);
    LLVMInstructionRemoveFromParent(in);
    LLVMInsertIntoBuilder(u->b, in);
  }
  LLVMValueRef t = LLVMGetBasicBlockTerminator(rest);
  for (unsigned i = 0, n = LLVMGetNumSuccessors(t); i < n; i++) {
    LLVMBasicBlockRef s = LLVMGetSuccessor(t, i);
    bool done = false; /* once per successor, however many edges lead there */
    for (unsigned j = 0; j < i && !done; j++)
      done = LLVMGetSuccessor(t, j) == s;
    if (!done)
      cg_retarget_phis(u, s, h, rest);
  }
  build_check(u, p, fn, h, rest);
}

/* A new entry block holding the old one's allocas (they must stay in the
** entry) and the loads the checks share, then the entry check if any. */
static void new_entry(cg_unit *u, LLVMValueRef fn, bool check, epoch_ptrs *p) {
  LLVMBasicBlockRef old = LLVMGetEntryBasicBlock(fn);
  LLVMBasicBlockRef entry = LLVMInsertBasicBlockInContext(u->ctx, old, "epoch_entry");
  LLVMPositionBuilderAtEnd(u->b, entry);
  for (LLVMValueRef in = LLVMGetFirstInstruction(old), next; in; in = next) {
    next = LLVMGetNextInstruction(in);
    if (LLVMIsAAllocaInst(in)) {
      LLVMInstructionRemoveFromParent(in);
      LLVMInsertIntoBuilder(u->b, in);
    }
  }
  p->vmctx = LLVMGetParam(fn, 0);
  cg_func f = {.u = u, .fn = fn, .vmctx = p->vmctx}; /* for the vmctx helpers */
  p->due = cg_load_invariant(&f, u->ptr, cg_vmctx_gep(&f, WRT_VMCTX_EPOCH_DUE * u->ptr_size), "");
  if (!check) {
    LLVMBuildBr(u->b, old);
    return;
  }
  build_check(u, p, fn, entry, old);
}

static void insert_checks(cg_unit *u, LLVMValueRef fn) {
  aotc_arena_mark mark = aotc_arena_get_mark(u->arena);
  LLVMBasicBlockRef *unchecked;
  uint32_t n_unchecked = cg_epoch_version(u, fn, &unchecked);
  blocks bs;
  blocks_init(u, fn, &bs);
  bool *is_header = cg_alloc(u, bs.n, sizeof *is_header);
  uint32_t n_headers = retreating_targets(u, &bs, is_header);
  for (uint32_t i = 0; i < n_unchecked; i++) { /* short runs, bounded by their trip test */
    uint32_t k = block_index(&bs, unchecked[i]);
    n_headers -= is_header[k];
    is_header[k] = false;
  }
  bool entry_check = calls_out(u, fn);
  if (n_headers || entry_check) {
    epoch_ptrs p;
    new_entry(u, fn, entry_check, &p);
    for (uint32_t i = 0; i < bs.n; i++)
      if (is_header[i])
        check_header(u, &p, fn, bs.v[i]);
  }
  aotc_arena_reset(u->arena, mark);
}

void cg_epoch_insert(cg_unit *u) {
  if (!u->opt->epoch_interruption)
    return;
  for (LLVMValueRef fn = LLVMGetFirstFunction(u->mod); fn; fn = LLVMGetNextFunction(fn))
    if (!LLVMIsDeclaration(fn) && marked(fn))
      insert_checks(u, fn);
}
