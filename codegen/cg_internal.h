/*
** cg_internal.h: state shared by the code generator's files. A cg_unit owns
** the LLVM context, module, builder and target machine of one compilation;
** a cg_func holds the per-function lowering state (operand stack of LLVM
** values, control frames, locals). Lowering is split by opcode family:
** func.c (dispatch, locals, globals), control.c, call.c, numeric.c,
** memory.c, table.c; unit.c drives the compilation, descriptor.c emits the
** module descriptor, trampolines/ the per-signature trampolines.
*/
#ifndef CG_INTERNAL_H
#define CG_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "cg.h"
#include "instr.h"
#include "wrt_abi.h"

/* The target's architecture family, for the few lowerings that differ by
** target (LLVM 19 lowers some generic intrinsics badly or not at all). */
typedef enum cg_arch { CG_ARCH_X86_64, CG_ARCH_AARCH64, CG_ARCH_ARM32, CG_ARCH_RISCV64 } cg_arch;

typedef struct cg_unit {
  const aotc_module *m;
  const cg_options *opt;
  aotc_diag *diag;
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  LLVMTargetMachineRef tm;
  LLVMTargetDataRef td;
  uint32_t ptr_size;
  uint8_t bounds_checks; /* the effective mode: explicit on 32-bit targets */
  cg_arch arch;
  wrt_vmctx_layout layout;
  /* Types. */
  LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, v128, ptr, void_t, intptr;
  /* One LLVM function per Wasm function (defined ones have bodies). */
  LLVMValueRef *funcs;         /* by func_idx; NULL for imports */
  LLVMTypeRef *func_types;     /* wasm-call LLVM type by *type* index */
  LLVMValueRef *entry_tramps;  /* by type index, created on demand */
  LLVMValueRef *exit_tramps;   /* by type index, created on demand */
  LLVMValueRef libcalls[16];   /* declarations, see cg_libcall */
  unsigned invariant_kind, nonnull_kind;
  LLVMValueRef empty_md;
} cg_unit;

enum cg_libcall {
  CG_LC_TRAP,
  CG_LC_MEMORY_GROW,
  CG_LC_MEMORY_FILL,
  CG_LC_MEMORY_COPY,
  CG_LC_MEMORY_INIT,
  CG_LC_DATA_DROP,
  CG_LC_TABLE_GROW,
  CG_LC_TABLE_FILL,
  CG_LC_TABLE_COPY,
  CG_LC_TABLE_INIT,
  CG_LC_ELEM_DROP,
  CG_LC_TABLE_SET,
  CG_LC_HOST_CALL,
  CG_LC_COUNT
};

/*
** A control frame. Invariants: `height` is the operand-stack height below the
** frame's parameters; `dead` frames (opened inside unreachable code) own no
** blocks and emit nothing; `unreachable` means the rest of the frame's current
** arm is dead. Results arrive at `cont` through `phis`; a loop's branch target
** is `header`, whose `loop_phis` take the parameters.
*/
typedef struct cg_frame {
  aotc_op op; /* BLOCK, LOOP, IF, ELSE; BLOCK for the function body */
  uint32_t n_params, n_results;
  const aotc_valtype *params, *results;
  size_t height;
  LLVMBasicBlockRef cont, header, else_bb;
  LLVMValueRef *phis, *loop_phis, *if_params;
  bool dead, unreachable, cont_used;
} cg_frame;

typedef struct cg_func {
  cg_unit *u;
  uint32_t func_idx;
  const aotc_functype *ft;
  const aotc_code *code;
  LLVMValueRef fn, vmctx;
  aotc_reader r;
  /* Operand stack. */
  LLVMValueRef *vals;
  size_t n_vals, cap_vals;
  cg_frame *frames;
  size_t n_frames, cap_frames;
  /* Locals: one alloca per local (params first). */
  LLVMValueRef *locals;
  aotc_valtype *local_types;
  uint32_t n_locals;
  LLVMBasicBlockRef trap_bbs[WRT_TRAP_COUNT];
  /* Per-function scratch for phi arrays etc., freed after the function. */
  void **scratch;
  size_t n_scratch, cap_scratch;
} cg_func;

/* target.c: canonical triple and default CPU/features for a supported target. */
bool cg_target_resolve(const char *triple, const char **cpu, const char **features,
                       const char **canonical, cg_arch *arch, aotc_diag *d);

/* unit.c / func.c helpers */
LLVMTypeRef cg_valtype(cg_unit *u, aotc_valtype t);
LLVMValueRef cg_libcall(cg_unit *u, enum cg_libcall which);
LLVMTypeRef cg_libcall_type(cg_unit *u, enum cg_libcall which);
LLVMTypeRef cg_wasm_functype(cg_unit *u, const aotc_functype *ft);
LLVMValueRef cg_const_i32(cg_unit *u, uint32_t v);
LLVMValueRef cg_const_i64(cg_unit *u, uint64_t v);
void *cg_scratch(cg_func *f, size_t n, size_t size);

/* Operand stack. */
void cg_push(cg_func *f, LLVMValueRef v);
LLVMValueRef cg_pop(cg_func *f);
LLVMValueRef cg_peek(cg_func *f, size_t depth);

/* vmctx access: pointer to the slot at byte offset `off`, and invariant loads. */
LLVMValueRef cg_vmctx_gep(cg_func *f, uint32_t off);
LLVMValueRef cg_load_invariant(cg_func *f, LLVMTypeRef t, LLVMValueRef p, const char *name);
LLVMValueRef cg_load(cg_func *f, LLVMTypeRef t, LLVMValueRef p, const char *name);

/* Calls a runtime libcall (never as a tail call); *out gets the result if non-NULL. */
void cg_call_libcall(cg_func *f, enum cg_libcall lc, LLVMValueRef *args, unsigned n,
                     LLVMValueRef *out);

/* Branches to the function's trap block for `code` when cond is true. */
void cg_trap_if(cg_func *f, LLVMValueRef cond, wrt_trap_code code);
/* Ends the current block with an unconditional trap. */
void cg_trap(cg_func *f, wrt_trap_code code);
LLVMValueRef cg_call_intrinsic(cg_func *f, const char *name, LLVMTypeRef *overloads, unsigned n_ov,
                               LLVMValueRef *args, unsigned n_args);

/* memory.c: native address of a `size`-byte access at index + memarg offset,
** after the bounds check the memory's mode needs (traps "out of bounds"). */
LLVMValueRef cg_effective_address(cg_func *f, const aotc_memarg *ma, LLVMValueRef index,
                                  unsigned size);

/* memory.c: the one way compiled code reads and writes linear memory (the
** address from cg_effective_address): the access may trap, so in guard mode
** it is volatile and LLVM neither removes, narrows, merges nor reorders it. */
LLVMValueRef cg_memory_load(cg_func *f, uint32_t mem_idx, LLVMTypeRef t, LLVMValueRef p);
void cg_memory_store(cg_func *f, uint32_t mem_idx, LLVMValueRef v, LLVMValueRef p);

/* control.c: opens the function's own frame. */
bool cg_control_begin_function(cg_func *f);

/* Family lowerings; each returns false only with u->diag set (unsupported). */
bool cg_control(cg_func *f, const aotc_instr *in);
bool cg_call(cg_func *f, const aotc_instr *in);
bool cg_numeric(cg_func *f, const aotc_instr *in);
bool cg_convert(cg_func *f, const aotc_instr *in);
bool cg_memory(cg_func *f, const aotc_instr *in);
bool cg_table(cg_func *f, const aotc_instr *in);
bool cg_variable(cg_func *f, const aotc_instr *in);
bool cg_ref(cg_func *f, const aotc_instr *in);
/* simd.c: every v128 instruction (AOTC_FAM_SIMD). */
bool cg_simd(cg_func *f, const aotc_instr *in);
void cg_return_values(cg_func *f, uint32_t n, LLVMValueRef *vals);
/* numeric.c: r with a NaN result forced quiet (see there). */
LLVMValueRef cg_quiet_nan(cg_func *f, LLVMValueRef r);

/* func.c: emits one defined function's body. */
bool cg_func_emit(cg_unit *u, uint32_t def_idx);
/* descriptor.c */
bool cg_descriptor_emit(cg_unit *u);
/* cabi.c: C-ABI wrappers of exports with several results (after the descriptor). */
bool cg_cabi_emit(cg_unit *u);
/* trampolines: the attributes and section every emitted helper shares. */
void cg_tramp_attrs(cg_unit *u, LLVMValueRef fn);
/* exe.c: `main` for wasm2obj --exe (after the descriptor). */
bool cg_exe_main_emit(cg_unit *u);
/* trampolines/tramp.c */
LLVMValueRef tramp_entry(cg_unit *u, uint32_t type_idx);
LLVMValueRef tramp_exit(cg_unit *u, uint32_t type_idx);

/* Symbol name "<prefix>__<what><idx>" into buf. */
void cg_symbol(cg_unit *u, char *buf, size_t size, const char *what, uint32_t idx);

#endif
