/*
** memory.c: loads, stores, memory.size/grow and the bulk memory operations.
** Guard mode (32-bit memories on 64-bit targets): an access is base +
** zext(index) + offset with no check; the 8 GiB reservation's guard pages
** catch the rest, so the trap *is* the access, and every access is volatile
** (see cg_memory_load). Explicit mode and 64-bit memories compare the end of
** the access with the current length. Bulk operations are libcalls that check
** bounds before writing.
*/
#include "cg_internal.h"

static LLVMValueRef mem_def(cg_func *f, uint32_t mem_idx) {
  cg_unit *u = f->u;
  return cg_load_invariant(f, u->ptr, cg_vmctx_gep(f, u->layout.memories + mem_idx * u->ptr_size),
                           "memdef");
}

static bool explicit_checks(cg_unit *u, uint32_t mem_idx) {
  return u->bounds_checks == WRT_BOUNDS_EXPLICIT || u->m->memories[mem_idx].lim.is64;
}

static LLVMValueRef mem_length(cg_func *f, LLVMValueRef def) {
  cg_unit *u = f->u;
  LLVMValueRef off = cg_const_i32(u, u->abi.off.wrt_memory_def.length);
  return cg_load(f, u->i64, LLVMBuildInBoundsGEP2(u->b, u->i8, def, &off, 1, ""), "length");
}

/* The native address of an access of `size` bytes at index + offset. */
LLVMValueRef cg_effective_address(cg_func *f, const aotc_memarg *ma, LLVMValueRef index,
                                      unsigned size) {
  cg_unit *u = f->u;
  bool is64 = u->m->memories[ma->mem_idx].lim.is64;
  LLVMValueRef def = mem_def(f, ma->mem_idx);
  /* In guard mode the base never moves: invariant, so LLVM hoists it out of loops.
  ** In explicit mode it is a plain load, reloaded after any call: on 32-bit
  ** hosts memory.grow (and a host function that grows) may move the memory. */
  LLVMValueRef base = explicit_checks(u, ma->mem_idx) ? cg_load(f, u->ptr, def, "base")
                                                      : cg_load_invariant(f, u->ptr, def, "base");
  LLVMValueRef idx = is64 ? index : LLVMBuildZExt(u->b, index, u->i64, "");
  LLVMValueRef ea = idx;
  if (explicit_checks(u, ma->mem_idx)) {
    /* end = idx + offset + size must not exceed the length (and must not wrap). */
    LLVMTypeRef ov[1] = {u->i64};
    LLVMValueRef sum = cg_call_intrinsic(
        f, "llvm.uadd.with.overflow", ov, 1,
        (LLVMValueRef[]){idx, cg_const_i64(u, ma->offset + size)}, 2);
    LLVMValueRef end = LLVMBuildExtractValue(u->b, sum, 0, "");
    LLVMValueRef wrapped = LLVMBuildExtractValue(u->b, sum, 1, "");
    LLVMValueRef oob = LLVMBuildOr(u->b, wrapped,
                                   LLVMBuildICmp(u->b, LLVMIntUGT, end, mem_length(f, def), ""), "");
    if (ma->offset + size < size) /* offset + size itself wraps: always out of bounds */
      oob = LLVMConstInt(u->i1, 1, false);
    cg_trap_if(f, oob, WRT_TRAP_OOB);
  }
  if (ma->offset)
    ea = LLVMBuildAdd(u->b, ea, cg_const_i64(u, ma->offset), "");
  return LLVMBuildGEP2(u->b, u->i8, base, &ea, 1, "addr");
}

/*
** spec: every out-of-bounds access traps, whether or not its value is used,
** and the trap happens in program order: the stores before it are done, the
** ones after it are not. In guard mode nothing in the code says so: the trap
** is the fault of the machine access itself. An ordinary LLVM load or store
** may be deleted when dead, folded away, narrowed to the bytes that are used,
** merged with its neighbours (or into a memset/memcpy call), hoisted, sunk or
** reordered with other accesses: each of these loses a trap, moves it, or
** changes what memory holds when it happens. Volatile accesses are exempt
** from all of them: LLVM keeps their number, width and order. They still fold
** into address modes and arithmetic operands: the instruction counts of the
** bench kernels are those of plain accesses (docs/PERF.md). Checked accesses
** need none of this: their trap is an explicit branch, which LLVM keeps.
*/
static bool faulting(cg_unit *u, uint32_t mem_idx) {
  return !explicit_checks(u, mem_idx);
}

LLVMValueRef cg_memory_load(cg_func *f, uint32_t mem_idx, LLVMTypeRef t, LLVMValueRef p) {
  LLVMValueRef v = LLVMBuildLoad2(f->u->b, t, p, "");
  LLVMSetAlignment(v, 1); /* Wasm alignment is only a hint */
  LLVMSetVolatile(v, faulting(f->u, mem_idx));
  return v;
}

/*
** spec: a store that traps writes nothing. An unaligned store that runs into
** the guard region can be torn: on riscv64 LLVM splits it into byte stores
** (the base ISA has no fast misaligned access), and AArch64 may write the
** in-bounds bytes before faulting (the Arm ARM allows it, and vector stores do
** it). There, a multi-byte store first reads its last byte: an access is out
** of bounds exactly when its last byte is, so that load faults before any
** byte is written. x86-64 stores fault as a whole.
*/
static bool stores_may_tear(cg_unit *u) {
  return u->arch == CG_ARCH_AARCH64 || u->arch == CG_ARCH_RISCV64;
}

void cg_memory_store(cg_func *f, uint32_t mem_idx, LLVMValueRef v, LLVMValueRef p) {
  cg_unit *u = f->u;
  unsigned size = (unsigned)LLVMStoreSizeOfType(u->td, LLVMTypeOf(v));
  if (faulting(u, mem_idx) && stores_may_tear(u) && size > 1) {
    LLVMValueRef last = cg_const_i64(u, size - 1);
    LLVMValueRef q = LLVMBuildGEP2(u->b, u->i8, p, &last, 1, "");
    LLVMSetVolatile(LLVMBuildLoad2(u->b, u->i8, q, "probe"), true);
  }
  LLVMValueRef s = LLVMBuildStore(u->b, v, p);
  LLVMSetAlignment(s, 1);
  LLVMSetVolatile(s, faulting(u, mem_idx));
}

typedef struct access {
  LLVMTypeRef mem_t;   /* type in memory */
  LLVMTypeRef val_t;   /* type on the stack */
  bool sign;           /* sign-extend on load */
} access;

static access access_of(cg_unit *u, aotc_op op) {
  switch (op) {
  case AOTC_OP_I32_LOAD: case AOTC_OP_I32_STORE: return (access){u->i32, u->i32, false};
  case AOTC_OP_I64_LOAD: case AOTC_OP_I64_STORE: return (access){u->i64, u->i64, false};
  case AOTC_OP_F32_LOAD: case AOTC_OP_F32_STORE: return (access){u->f32, u->f32, false};
  case AOTC_OP_F64_LOAD: case AOTC_OP_F64_STORE: return (access){u->f64, u->f64, false};
  case AOTC_OP_I32_LOAD8_S: return (access){u->i8, u->i32, true};
  case AOTC_OP_I32_LOAD8_U: case AOTC_OP_I32_STORE8: return (access){u->i8, u->i32, false};
  case AOTC_OP_I32_LOAD16_S: return (access){u->i16, u->i32, true};
  case AOTC_OP_I32_LOAD16_U: case AOTC_OP_I32_STORE16: return (access){u->i16, u->i32, false};
  case AOTC_OP_I64_LOAD8_S: return (access){u->i8, u->i64, true};
  case AOTC_OP_I64_LOAD8_U: case AOTC_OP_I64_STORE8: return (access){u->i8, u->i64, false};
  case AOTC_OP_I64_LOAD16_S: return (access){u->i16, u->i64, true};
  case AOTC_OP_I64_LOAD16_U: case AOTC_OP_I64_STORE16: return (access){u->i16, u->i64, false};
  case AOTC_OP_I64_LOAD32_S: return (access){u->i32, u->i64, true};
  default: return (access){u->i32, u->i64, false}; /* i64.load32_u, i64.store32 */
  }
}

static void load(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  access a = access_of(u, in->op);
  unsigned size = (unsigned)LLVMABISizeOfType(u->td, a.mem_t);
  LLVMValueRef p = cg_effective_address(f, &in->u.mem, cg_pop(f), size);
  LLVMValueRef v = cg_memory_load(f, in->u.mem.mem_idx, a.mem_t, p);
  if (a.mem_t != a.val_t)
    v = a.sign ? LLVMBuildSExt(u->b, v, a.val_t, "") : LLVMBuildZExt(u->b, v, a.val_t, "");
  cg_push(f, v);
}

static void store(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  access a = access_of(u, in->op);
  unsigned size = (unsigned)LLVMABISizeOfType(u->td, a.mem_t);
  LLVMValueRef v = cg_pop(f);
  LLVMValueRef p = cg_effective_address(f, &in->u.mem, cg_pop(f), size);
  if (a.mem_t != a.val_t)
    v = LLVMBuildTrunc(u->b, v, a.mem_t, "");
  cg_memory_store(f, in->u.mem.mem_idx, v, p);
}

static LLVMValueRef to_i64(cg_func *f, LLVMValueRef v) {
  cg_unit *u = f->u;
  return LLVMTypeOf(v) == u->i64 ? v : LLVMBuildZExt(u->b, v, u->i64, "");
}

static void bulk(cg_func *f, const aotc_instr *in) {
  cg_unit *u = f->u;
  LLVMValueRef n, s, d, r;
  switch (in->op) {
  case AOTC_OP_MEMORY_FILL: {
    n = to_i64(f, cg_pop(f)), s = cg_pop(f), d = to_i64(f, cg_pop(f));
    cg_call_libcall(f, CG_LC_memory_fill, (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.idx), d, s, n}, 5, NULL);
    return;
  }
  case AOTC_OP_MEMORY_COPY:
    n = to_i64(f, cg_pop(f)), s = to_i64(f, cg_pop(f)), d = to_i64(f, cg_pop(f));
    cg_call_libcall(f, CG_LC_memory_copy,
            (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.pair.dst), cg_const_i32(u, in->u.pair.src), d, s, n},
            6, NULL);
    return;
  case AOTC_OP_MEMORY_INIT:
    n = cg_pop(f), s = cg_pop(f), d = to_i64(f, cg_pop(f));
    cg_call_libcall(f, CG_LC_memory_init,
            (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.init.dst), cg_const_i32(u, in->u.init.seg), d, s, n},
            6, NULL);
    return;
  case AOTC_OP_DATA_DROP:
    cg_call_libcall(f, CG_LC_data_drop, (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.idx)}, 2, NULL);
    return;
  case AOTC_OP_MEMORY_SIZE: {
    LLVMValueRef len = mem_length(f, mem_def(f, in->u.idx));
    r = LLVMBuildLShr(u->b, len, cg_const_i64(u, 16), "");
    cg_push(f, u->m->memories[in->u.idx].lim.is64 ? r : LLVMBuildTrunc(u->b, r, u->i32, ""));
    return;
  }
  default: { /* memory.grow */
    bool is64 = u->m->memories[in->u.idx].lim.is64;
    d = to_i64(f, cg_pop(f));
    cg_call_libcall(f, CG_LC_memory_grow, (LLVMValueRef[]){f->vmctx, cg_const_i32(u, in->u.idx), d}, 3, &r);
    cg_push(f, is64 ? r : LLVMBuildTrunc(u->b, r, u->i32, ""));
    return;
  }
  }
}

bool cg_memory(cg_func *f, const aotc_instr *in) {
  if (in->op >= AOTC_OP_I32_LOAD && in->op <= AOTC_OP_I64_LOAD32_U)
    load(f, in);
  else if (in->op >= AOTC_OP_I32_STORE && in->op <= AOTC_OP_I64_STORE32)
    store(f, in);
  else
    bulk(f, in);
  return true;
}
