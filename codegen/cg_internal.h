/*
** cg_internal.h: state shared by the code generator's files. A cg_unit owns
** the LLVM context, module, builder and target machine of one compilation;
** a cg_func holds the per-function lowering state (operand stack of LLVM
** values, control frames, locals). Lowering is split by opcode family:
** func.c (dispatch, locals, globals), control.c, call.c, numeric.c,
** memory.c, table.c; unit.c drives the compilation (and owns the memory
** policy, cg_alloc), abi.c turns wrt_abi.h's lists into LLVM types, offsets
** and libcalls for the target, descriptor.c emits the module descriptor, and
** signature.c the per-signature types and trampolines (bodies: trampolines/).
*/
#ifndef CG_INTERNAL_H
#define CG_INTERNAL_H

#include <setjmp.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "arena.h"
#include "cg.h"
#include "instr.h"
#include "wrt_abi.h"

/* The target's architecture family, for the few lowerings that differ by
** target (LLVM 19 lowers some generic intrinsics badly or not at all). */
typedef enum cg_arch { CG_ARCH_X86_64, CG_ARCH_AARCH64, CG_ARCH_ARM32, CG_ARCH_RISCV64 } cg_arch;

/* ------------------------------------------------------------ the contract (abi.c) */

/* The structs of wrt_abi.h's lists by id, and the kinds of their fields: a
** struct's kind is its id, the scalar kinds follow. */
#define CG_S_ENUM(s) CG_S_##s,
enum cg_abi_struct { WRT_ABI_STRUCTS(CG_S_ENUM) CG_S_COUNT };
#define CG_KIND_OF_STRUCT(s) CG_KIND_##s = CG_S_##s,
enum cg_abi_kind {
  WRT_ABI_STRUCTS(CG_KIND_OF_STRUCT) CG_KIND_VOID = CG_S_COUNT,
  CG_KIND_U8,
  CG_KIND_U32,
  CG_KIND_U64,
  CG_KIND_PTR
};

/* Per struct s: CG_N_s fields; cg_s, one LLVM constant per field set by name
** (CG_ABI_CONST); cg_off_s, the field offsets on the target. */
#define CG_FIELD_ONE(kind, ctype, name) +1
#define CG_FIELD_VALUE(kind, ctype, name) LLVMValueRef name;
#define CG_FIELD_OFFSET(kind, ctype, name) uint32_t name;
#define CG_ABI_UNIONS(s)                                                                           \
  enum { CG_N_##s = 0 WRT_FIELDS_##s(CG_FIELD_ONE) };                                              \
  typedef union cg_##s {                                                                           \
    struct { WRT_FIELDS_##s(CG_FIELD_VALUE) };                                                     \
    LLVMValueRef at[CG_N_##s];                                                                     \
  } cg_##s;                                                                                        \
  typedef union cg_off_##s {                                                                       \
    struct { WRT_FIELDS_##s(CG_FIELD_OFFSET) };                                                    \
    uint32_t at[CG_N_##s];                                                                         \
  } cg_off_##s;
WRT_ABI_STRUCTS(CG_ABI_UNIONS)

#define CG_ABI_OFF_MEMBER(s) cg_off_##s s;
typedef struct cg_abi {
  LLVMTypeRef types[CG_S_COUNT]; /* literal struct types: the target's C layout */
  uint32_t sizes[CG_S_COUNT];
  struct {
    WRT_ABI_STRUCTS(CG_ABI_OFF_MEMBER)
  } off; /* byte offsets: off.<struct>.<field> */
} cg_abi;

/* The libcalls of WRT_LIBCALLS: CG_LC_<name>. */
#define CG_LC_ENUM(name, ...) CG_LC_##name,
enum cg_libcall { WRT_LIBCALLS(CG_LC_ENUM) CG_LC_COUNT };

/* Frames bigger than the runtime's stack margin, by function name, as the
** back end reported them (targets without stack probes: unit.c). */
typedef struct cg_frame_size {
  char name[64];
  uint64_t bytes;
} cg_frame_size;

typedef struct cg_frames {
  cg_frame_size *v; /* malloc'd: it outlives the unit that found them */
  size_t n, cap;
} cg_frames;

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
  wrt_vmctx_counts counts; /* the vmctx's region sizes, from the module */
  wrt_vmctx_layout layout;
  /* Types. */
  LLVMTypeRef i1, i8, i16, i32, i64, f32, f64, v128, ptr, void_t, intptr;
  /* One LLVM function per Wasm function (defined ones have bodies). */
  LLVMValueRef *funcs;         /* by func_idx; NULL for imports */
  LLVMTypeRef *func_types;     /* wasm-call LLVM type by *type* index */
  LLVMValueRef *entry_tramps;  /* by type index, created on demand */
  LLVMValueRef *exit_tramps;   /* by type index, created on demand */
  LLVMValueRef libcalls[CG_LC_COUNT]; /* declarations, see cg_libcall */
  cg_abi abi;                  /* wrt_abi.h's structs on this target */
  unsigned invariant_kind, nonnull_kind;
  LLVMValueRef empty_md;
  /* Memory: every allocation of the unit comes from `arena` (see cg_alloc). */
  aotc_arena *arena;
  jmp_buf oom;
  /* Targets without stack probes: the big frames the back end reports
  ** (found), and those a previous pass found (known: their prologues check
  ** that the whole frame fits above the stack limit). */
  cg_frames *found;
  const cg_frames *known;
  bool backend_failed; /* the back end reported an error (message in diag) */
} cg_unit;


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
} cg_func;

/*
** Memory, one policy: codegen allocates only from the unit's arena. Arrays
** that live as long as the unit are allocated outside any function; what one
** function needs (cg_scratch: operand stack, frames, phi and argument arrays)
** is released when its lowering ends (cg_func_emit resets the arena to a mark).
** Running out of memory ends the compilation cleanly: cg_alloc never returns
** NULL, it sets the diagnostic "out of memory" (AOTC_ENOMEM) and unwinds to
** cg_compile_object (longjmp; only codegen frames lie between), which frees
** the unit. LLVM's own allocations are LLVM's (it aborts).
*/
void *cg_alloc(cg_unit *u, size_t n, size_t size); /* zeroed, never NULL */
_Noreturn void cg_out_of_memory(cg_unit *u);
/* A copy of the array p of *cap elements of `size` bytes with twice the room. */
void *cg_grow(cg_unit *u, void *p, size_t *cap, size_t size);

/* target.c: canonical triple and default CPU/features for a supported target. */
bool cg_target_resolve(const char *triple, const char **cpu, const char **features,
                       const char **canonical, cg_arch *arch, aotc_diag *d);
/* target.c: the target machine for o's triple (NULL: the host's), CPU, features
** and optimisation level; NULL with d set if the target is unsupported. */
LLVMTargetMachineRef cg_target_machine(const cg_options *o, cg_arch *arch, aotc_diag *d);

/* abi.c: builds a's types and offsets for the target data layout td. */
void cg_abi_init(cg_abi *a, LLVMContextRef ctx, LLVMTargetDataRef td);
/* The constant of struct s from one value per field (all set; abort otherwise). */
LLVMValueRef cg_abi_const(cg_unit *u, enum cg_abi_struct s, LLVMValueRef *at);
#define CG_ABI_CONST(u, s, ...) cg_abi_const((u), CG_S_##s, (cg_##s){__VA_ARGS__}.at)
/* abi.c: a libcall's declaration (created on first use) and its type. */
LLVMValueRef cg_libcall(cg_unit *u, enum cg_libcall which);
LLVMTypeRef cg_libcall_type(cg_unit *u, enum cg_libcall which);

/* unit.c / func.c helpers */
LLVMTypeRef cg_valtype(cg_unit *u, aotc_valtype t);
/* signature.c: the wasm-call LLVM type of a signature. */
LLVMTypeRef cg_wasm_functype(cg_unit *u, const aotc_functype *ft);
/* numeric.c: a Wasm float comparison (hidden from AArch64's min/max
** matching, see there). */
LLVMValueRef cg_fcmp(cg_func *f, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b);
/* signature.c: whether result i of ft travels as its bits (x86-64, see there),
** and the integer type it then has. */
bool cg_result_as_bits(const cg_unit *u, const aotc_functype *ft, uint32_t i);
LLVMTypeRef cg_bits_type(cg_unit *u, aotc_valtype t);
LLVMValueRef cg_const_i32(cg_unit *u, uint32_t v);
LLVMValueRef cg_const_i64(cg_unit *u, uint64_t v);
/* Zeroed room for n elements, released when the function's lowering ends. */
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
/* epoch.c (--epoch-interruption): marks fn as a Wasm function, which gets
** checks; inserts the checks into the optimised module. */
void cg_epoch_mark(cg_unit *u, LLVMValueRef fn);
void cg_epoch_insert(cg_unit *u);
/* The phis of `to` take what came from `from` from `via` instead. */
void cg_retarget_phis(cg_unit *u, LLVMBasicBlockRef to, LLVMBasicBlockRef from, LLVMBasicBlockRef via);
/* epoch_version.c: versions fn's short counted single-block loops; the
** check-free copies, which get no check, go to *unchecked (returns how many). */
uint32_t cg_epoch_version(cg_unit *u, LLVMValueRef fn, LLVMBasicBlockRef **unchecked);
/* The frame size a previous pass found for fn (0: not big, or not known). */
uint64_t cg_known_frame(const cg_unit *u, LLVMValueRef fn);
void cg_call_libcall(cg_func *f, enum cg_libcall lc, LLVMValueRef *args, unsigned n,
                     LLVMValueRef *out);

/* Branches to the function's trap block for `code` when cond is true. */
void cg_trap_if(cg_func *f, LLVMValueRef cond, wrt_trap_code code);
/* Weights conditional branch br: its true successor is rarely taken. */
void cg_cold_branch(cg_unit *u, LLVMValueRef br);
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
/* unit.c: the attributes and section every emitted helper (trampolines,
** C-ABI wrappers) shares with the functions. */
void cg_tramp_attrs(cg_unit *u, LLVMValueRef fn);
/* exe.c: `main` for wasm2obj --exe (after the descriptor). */
bool cg_exe_main_emit(cg_unit *u);
/* signature.c: a signature's entry and exit trampolines, made on first use. */
LLVMValueRef cg_entry_tramp(cg_unit *u, uint32_t type_idx);
LLVMValueRef cg_exit_tramp(cg_unit *u, uint32_t type_idx);

/* Symbol name "<prefix>__<what><idx>" into buf. */
void cg_symbol(cg_unit *u, char *buf, size_t size, const char *what, uint32_t idx);

#endif
