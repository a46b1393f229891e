/*
** wrt_abi.h: the compiler <-> runtime contract (DESIGN.md §4). It defines
** what compiled objects contain (the module descriptor), how compiled code
** sees an instance (the vmctx layout, computed here for any pointer width),
** the funcref record, trap codes and the runtime functions ("libcalls")
** compiled code calls. Included by codegen (for the *target's* pointer width)
** and by libwrt-rt (for its own). Embedders use wrt.h, not this file.
*/
#ifndef WRT_ABI_H
#define WRT_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped on any change to this file's layouts. Objects reference the symbol
** WRT_ABI_SYMBOL so that linking against a runtime of another version fails
** at link time; the descriptor also carries the number. */
#define WRT_ABI_VERSION 4
#define WRT_ABI_SYMBOL "wrt_abi_v4"

/* ------------------------------------------------------------ values */

/* Value type codes: the Wasm binary encodings. */
enum {
  WRT_I32 = 0x7f,
  WRT_I64 = 0x7e,
  WRT_F32 = 0x7d,
  WRT_F64 = 0x7c,
  WRT_V128 = 0x7b,
  WRT_FUNCREF = 0x70,
  WRT_EXTERNREF = 0x6f
};

/* One untyped value slot of the array-call convention: 16 bytes, the value at
** offset 0 in the target's byte order (i32/f32 in the low 4 bytes, refs as a
** pointer). */
typedef union wrt_raw {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  uint8_t v128[16];
  void *ref;
} wrt_raw;

/* ------------------------------------------------------------ traps */

typedef enum wrt_trap_code {
  WRT_TRAP_NONE = 0,
  WRT_TRAP_UNREACHABLE,        /* "unreachable" */
  WRT_TRAP_OOB,                /* "out of bounds memory access" */
  WRT_TRAP_DIV_BY_ZERO,        /* "integer divide by zero" */
  WRT_TRAP_INT_OVERFLOW,       /* "integer overflow" */
  WRT_TRAP_INVALID_CONVERSION, /* "invalid conversion to integer" */
  WRT_TRAP_INDIRECT_NULL,      /* "uninitialized element" */
  WRT_TRAP_INDIRECT_SIG,       /* "indirect call type mismatch" */
  WRT_TRAP_TABLE_OOB,          /* "out of bounds table access" */
  WRT_TRAP_STACK_EXHAUSTED,    /* "call stack exhausted" */
  WRT_TRAP_NULL_REF,           /* "null reference" */
  WRT_TRAP_HOST,               /* a host function reported a trap */
  WRT_TRAP_UNDEFINED_ELEMENT,  /* "undefined element": call_indirect index past the table */
  WRT_TRAP_EXIT,               /* "exit": a host function ended the program (WASI proc_exit) */
  WRT_TRAP_INTERRUPTED,        /* "interrupted": the store's epoch deadline passed */
  WRT_TRAP_COUNT
} wrt_trap_code;

/* ------------------------------------------------------------ how the contract is written */

/*
** Every struct that compiled code or the descriptor shares with the runtime is
** written once, as a field list WRT_FIELDS_<struct>(F) of F(kind, ctype, name):
**   kind   U8, U32, U64, PTR (any data or code pointer, or uintptr_t), or the
**          name of an earlier struct of WRT_ABI_STRUCTS (nested by value);
**   ctype  the field's C type in the runtime's declaration below.
** This header declares the C structs from the lists (WRT_DECLARE_STRUCT).
** codegen/abi.c builds the LLVM struct types of the *target* from the same
** lists, emits the descriptor through them (fields set by name) and takes every
** offset it addresses from them; `make check-unit` compiles static assertions
** of those offsets against these declarations for every supported target
** (test/unit/test_abi.c). Adding a field is one line in its list. The vmctx
** (header slots, regions) and the libcalls are lists too, further down.
*/
#define WRT_C_FIELD(kind, ctype, name) ctype name;
#define WRT_DECLARE_STRUCT(s) typedef struct s { WRT_FIELDS_##s(WRT_C_FIELD) } s

/* Every list-declared struct, each after the structs it nests. */
#define WRT_ABI_STRUCTS(S)                                                                         \
  S(wrt_funcref) S(wrt_memory_def) S(wrt_table_def) S(wrt_name) S(wrt_vmctx_counts)                \
  S(wrt_type_desc) S(wrt_import_desc) S(wrt_export_desc) S(wrt_func_desc) S(wrt_limits_desc)       \
  S(wrt_table_desc) S(wrt_expr) S(wrt_global_desc) S(wrt_elem_desc) S(wrt_data_desc)              \
  S(wrt_func_name) S(wrt_module_desc)

/* ------------------------------------------------------------ funcref */

/*
** A funcref is a pointer to a record; null is a null pointer. Records of an
** instance's defined functions live inside its vmctx; imported functions are
** pointers to the exporter's records. For a host function, `code` is the exit
** trampoline of its signature and `vmctx` points at a wrt_host_ctx.
**   code:  wasm-call entry: ret code(void *vmctx, params...)
**   entry: array-call entry trampoline for the signature:
**          void entry(void *code, void *vmctx, wrt_raw *args_results)
** Four pointer-sized fields (the vmctx's funcrefs region counts on it).
*/
#define WRT_FIELDS_wrt_funcref(F)                                                                  \
  F(PTR, void *, code)                                                                             \
  F(PTR, void *, entry)                                                                            \
  F(PTR, uintptr_t, type_id) /* engine-wide interned signature id */                               \
  F(PTR, void *, vmctx)
WRT_DECLARE_STRUCT(wrt_funcref);

/* ------------------------------------------------------------ memories, tables, globals */

/* What compiled code reads of a memory: base and current byte length. The
** runtime's memory object starts with this. In guard mode the base never moves. */
#define WRT_FIELDS_wrt_memory_def(F)                                                               \
  F(PTR, uint8_t *, base)                                                                          \
  F(U64, uint64_t, length)
WRT_DECLARE_STRUCT(wrt_memory_def);

/* What compiled code reads of a table: element array and current size. Elements
** are wrt_funcref* (funcref tables) or wrt_externref* (externref tables).
** `written` is set nonzero by every write to an element after instantiation
** (compiled table.set stores 1; the runtime's table operations likewise): a
** pooled table nobody wrote still holds its module's initial elements, and
** the next instance of that module in the same slots keeps them. */
#define WRT_FIELDS_wrt_table_def(F)                                                                \
  F(PTR, void **, elems)                                                                           \
  F(U32, uint32_t, size)                                                                           \
  F(U32, uint32_t, written)
WRT_DECLARE_STRUCT(wrt_table_def);

/* Global storage: 16 bytes, value at offset 0. */
typedef wrt_raw wrt_global_def;

/* ------------------------------------------------------------ vmctx layout */

/*
** One instance's context, addressed by compiled code at constant offsets:
**
**   header   WRT_VMCTX_HEADER_SLOTS pointer-sized slots (WRT_VMCTX_HEADER)
**   regions  in the order of WRT_VMCTX_REGIONS, each `count` elements of
**            ptrs x pointer + bytes, aligned to `align` bytes (0: a pointer)
**
** Everything after the header is written once at instantiation (only the
** defined globals change later), so codegen marks those loads invariant.
** A header slot is one line of WRT_VMCTX_HEADER; a region is one line of
** WRT_VMCTX_REGIONS, which also
** gives its count a field of wrt_vmctx_counts (in the descriptor) and its
** offset a field of wrt_vmctx_layout.
*/
#define WRT_VMCTX_HEADER(X)                                                                        \
  X(STACK_LIMIT) /* -> uintptr_t: the lowest SP compiled code may use (the store's, updated by      \
                    wrt_call); checked in prologues */                                             \
  X(INSTANCE)    /* the runtime's wrt_instance */                                                  \
  X(EPOCH_DUE)   /* -> uint32_t: the store's flag, nonzero once the engine's epoch has reached    \
                    the store's deadline (the runtime sets and clears it); code compiled with      \
                    --epoch-interruption reads it at loop headers and function entries and then   \
                    calls the epoch_interrupt libcall */
#define WRT_VMCTX_SLOT_ENUM(name) WRT_VMCTX_##name,
enum { WRT_VMCTX_HEADER(WRT_VMCTX_SLOT_ENUM) WRT_VMCTX_HEADER_SLOTS };

/* R(A, region, count, ptrs, bytes, align); A is passed through to R. */
#define WRT_VMCTX_REGIONS(R, A)                                                                    \
  R(A, memories, n_memories, 1, 0, 0)             /* -> wrt_memory_def (imported or defined) */    \
  R(A, tables, n_tables, 1, 0, 0)                 /* -> wrt_table_def */                           \
  R(A, global_imports, n_global_imports, 1, 0, 0) /* -> wrt_global_def */                          \
  R(A, func_imports, n_func_imports, 1, 0, 0)     /* -> wrt_funcref (the exporter's record) */     \
  R(A, type_ids, n_types, 1, 0, 0)                /* interned signature ids (uintptr_t) */         \
  R(A, globals, n_globals_def, 0, 16, 16)         /* defined globals, inline wrt_global_def */     \
  R(A, funcrefs, n_funcs_def, 4, 0, 0)            /* this instance's wrt_funcref records */

#define WRT_VMCTX_COUNT_FIELD(F, region, count, ptrs, bytes, align) F(U32, uint32_t, count)
#define WRT_FIELDS_wrt_vmctx_counts(F) WRT_VMCTX_REGIONS(WRT_VMCTX_COUNT_FIELD, F)
WRT_DECLARE_STRUCT(wrt_vmctx_counts);

#define WRT_VMCTX_LAYOUT_FIELD(A, region, count, ptrs, bytes, align) uint32_t region;
typedef struct wrt_vmctx_layout {
  WRT_VMCTX_REGIONS(WRT_VMCTX_LAYOUT_FIELD, ~)
  uint32_t size;
} wrt_vmctx_layout;

#define WRT_VMCTX_PLACE(c, region, count, ptrs, bytes, align)                                      \
  off = (off + ((align) ? (align) : ptr_size) - 1u) & ~(((align) ? (align) : ptr_size) - 1u);      \
  l.region = off, off += (c)->count * ((ptrs) * ptr_size + (bytes));

/* Byte offsets for a target with pointers of ptr_size bytes (4 or 8). */
static inline wrt_vmctx_layout wrt_vmctx_layout_for(const wrt_vmctx_counts *c, uint32_t ptr_size) {
  wrt_vmctx_layout l;
  uint32_t off = WRT_VMCTX_HEADER_SLOTS * ptr_size;
  WRT_VMCTX_REGIONS(WRT_VMCTX_PLACE, c)
  l.size = (off + 15u) & ~15u;
  return l;
}

/* ------------------------------------------------------------ module descriptor */

enum { WRT_EXTERN_FUNC = 0, WRT_EXTERN_TABLE = 1, WRT_EXTERN_MEMORY = 2, WRT_EXTERN_GLOBAL = 3 };
enum { WRT_SEG_ACTIVE = 0, WRT_SEG_PASSIVE = 1, WRT_SEG_DECLARATIVE = 2 };
enum { WRT_BOUNDS_GUARD = 0, WRT_BOUNDS_EXPLICIT = 1 };

/* Guard mode reserves this much address space per memory (4 GiB of index
** space + 4 GiB for the largest static offset + one page for the access
** width), so no access to a 32-bit memory needs a check. */
#define WRT_GUARD_RESERVATION ((UINT64_C(8) << 30) + 65536)

#define WRT_FIELDS_wrt_name(F)                                                                     \
  F(PTR, const char *, ptr) /* not terminated */                                                   \
  F(U32, uint32_t, len)
WRT_DECLARE_STRUCT(wrt_name);

/* `exit_tramp` is the exit trampoline of this signature (wasm-call ->
** wrt_rt_host_call): host functions of the signature get it as their `code`,
** so compiled code can call them through tables whatever the module imports. */
#define WRT_FIELDS_wrt_type_desc(F)                                                                \
  F(U32, uint32_t, n_params)                                                                       \
  F(U32, uint32_t, n_results)                                                                      \
  F(PTR, const uint8_t *, types) /* n_params parameter codes, then n_results result codes */       \
  F(PTR, const void *, exit_tramp)
WRT_DECLARE_STRUCT(wrt_type_desc);

#define WRT_FIELDS_wrt_import_desc(F)                                                              \
  F(wrt_name, wrt_name, module)                                                                    \
  F(wrt_name, wrt_name, name)                                                                      \
  F(U8, uint8_t, kind)    /* WRT_EXTERN_* */                                                       \
  F(U32, uint32_t, index) /* index in that kind's space (imports come first) */
WRT_DECLARE_STRUCT(wrt_import_desc);

#define WRT_FIELDS_wrt_export_desc(F)                                                              \
  F(wrt_name, wrt_name, name)                                                                      \
  F(U8, uint8_t, kind)                                                                             \
  F(U32, uint32_t, index)
WRT_DECLARE_STRUCT(wrt_export_desc);

/* All functions, imports first. For an import, `code` is the exit trampoline
** of its signature (wasm-call -> host) and `entry` is NULL; for a defined
** function, `code` is the compiled function and `entry` its signature's
** array-call trampoline. */
#define WRT_FIELDS_wrt_func_desc(F)                                                                \
  F(PTR, void *, code)                                                                             \
  F(PTR, void *, entry)                                                                            \
  F(U32, uint32_t, type_idx)
WRT_DECLARE_STRUCT(wrt_func_desc);

#define WRT_FIELDS_wrt_limits_desc(F)                                                              \
  F(U64, uint64_t, min)                                                                            \
  F(U64, uint64_t, max)                                                                            \
  F(U8, uint8_t, has_max)                                                                          \
  F(U8, uint8_t, is64)
WRT_DECLARE_STRUCT(wrt_limits_desc);

#define WRT_FIELDS_wrt_table_desc(F)                                                               \
  F(U8, uint8_t, elem_type)                                                                        \
  F(wrt_limits_desc, wrt_limits_desc, lim)
WRT_DECLARE_STRUCT(wrt_table_desc);

/* A constant expression, as its Wasm bytes up to and including `end`;
** the runtime evaluates it (t.const, ref.null, ref.func, global.get, and
** i32/i64 add/sub/mul). */
#define WRT_FIELDS_wrt_expr(F)                                                                     \
  F(PTR, const uint8_t *, bytes)                                                                   \
  F(U32, uint32_t, len)
WRT_DECLARE_STRUCT(wrt_expr);

#define WRT_FIELDS_wrt_global_desc(F)                                                              \
  F(U8, uint8_t, type)                                                                             \
  F(U8, uint8_t, mut)                                                                              \
  F(wrt_expr, wrt_expr, init) /* defined globals only */
WRT_DECLARE_STRUCT(wrt_global_desc);

#define WRT_FIELDS_wrt_elem_desc(F)                                                                \
  F(U8, uint8_t, mode)                                                                             \
  F(U8, uint8_t, elem_type)                                                                        \
  F(U32, uint32_t, table_idx)                                                                      \
  F(wrt_expr, wrt_expr, offset) /* active only */                                                  \
  F(U32, uint32_t, n_items)                                                                        \
  F(PTR, const wrt_expr *, items) /* each item as a constant expression */
WRT_DECLARE_STRUCT(wrt_elem_desc);

#define WRT_FIELDS_wrt_data_desc(F)                                                                \
  F(U8, uint8_t, mode)                                                                             \
  F(U32, uint32_t, mem_idx)                                                                        \
  F(wrt_expr, wrt_expr, offset) /* active only */                                                  \
  F(PTR, const uint8_t *, bytes)                                                                   \
  F(U32, uint32_t, len)
WRT_DECLARE_STRUCT(wrt_data_desc);

#define WRT_FIELDS_wrt_func_name(F)                                                                \
  F(U32, uint32_t, func_idx)                                                                       \
  F(wrt_name, wrt_name, name)
WRT_DECLARE_STRUCT(wrt_func_name);

#define WRT_FIELDS_wrt_module_desc(F)                                                              \
  F(U32, uint32_t, abi_version) /* WRT_ABI_VERSION */                                              \
  F(U8, uint8_t, ptr_size)      /* target pointer width the code assumes */                        \
  F(U8, uint8_t, bounds_checks) /* WRT_BOUNDS_* */                                                 \
  F(U8, uint8_t, epoch_interruption) /* 1: compiled with epoch checks (--epoch-interruption) */    \
  F(wrt_name, wrt_name, name)   /* the --name prefix */                                            \
  F(wrt_vmctx_counts, wrt_vmctx_counts, counts)                                                    \
  F(U32, uint32_t, vmctx_size) /* wrt_vmctx_layout_for(&counts, ptr_size).size */                  \
  F(U32, uint32_t, n_types)                                                                        \
  F(PTR, const wrt_type_desc *, types)                                                             \
  F(U32, uint32_t, n_imports)                                                                      \
  F(PTR, const wrt_import_desc *, imports)                                                         \
  F(U32, uint32_t, n_funcs)                                                                        \
  F(U32, uint32_t, n_func_imports)                                                                 \
  F(PTR, const wrt_func_desc *, funcs)                                                             \
  F(U32, uint32_t, n_tables)                                                                       \
  F(U32, uint32_t, n_table_imports)                                                                \
  F(PTR, const wrt_table_desc *, tables)                                                           \
  F(U32, uint32_t, n_memories)                                                                     \
  F(U32, uint32_t, n_memory_imports)                                                               \
  F(PTR, const wrt_limits_desc *, memories)                                                        \
  F(U32, uint32_t, n_globals)                                                                      \
  F(U32, uint32_t, n_global_imports)                                                               \
  F(PTR, const wrt_global_desc *, globals)                                                         \
  F(U32, uint32_t, n_exports)                                                                      \
  F(PTR, const wrt_export_desc *, exports)                                                         \
  F(U32, uint32_t, n_elems)                                                                        \
  F(PTR, const wrt_elem_desc *, elems)                                                             \
  F(U32, uint32_t, n_datas)                                                                        \
  F(PTR, const wrt_data_desc *, datas)                                                             \
  F(U32, uint32_t, start_func)   /* UINT32_MAX if none */                                          \
  F(U32, uint32_t, n_func_names) /* sorted by func_idx */                                          \
  F(PTR, const wrt_func_name *, func_names)                                                        \
  F(PTR, const void *, text_begin) /* the module's compiled code, for trap handling */             \
  F(PTR, const void *, text_end)
WRT_DECLARE_STRUCT(wrt_module_desc);

/* ------------------------------------------------------------ libcalls */

/*
** Runtime functions called by compiled code, X(name, ret, params...) for the
** function wrt_rt_<name>; each parameter is (kind, name) with the kinds of the
** field lists (VOID for no result). `vmctx` is the calling instance's.
** wrt_rt_trap never returns (it unwinds to the innermost wrt_call); the bulk
** operations trap from inside (bounds are checked before any write, per the
** spec). Indices are the module's own (memory, table, data, elem). Memory grow
** returns the old size in pages or UINT64_MAX; table grow returns the old size
** or UINT32_MAX. wrt_rt_table_set stores a reference (externref counting will
** live there). wrt_rt_host_call's array is a wrt_raw array (see wrt_host_ctx).
** Adding a libcall is one line here (and its definition in libwrt-rt).
*/
#define WRT_LIBCALLS(X)                                                                            \
  X(trap, VOID, (PTR, vmctx), (U32, code), (U32, func_idx))                                        \
  X(memory_grow, U64, (PTR, vmctx), (U32, mem_idx), (U64, delta_pages))                            \
  X(memory_fill, VOID, (PTR, vmctx), (U32, mem_idx), (U64, dst), (U32, val), (U64, n))             \
  X(memory_copy, VOID, (PTR, vmctx), (U32, dst_mem), (U32, src_mem), (U64, dst), (U64, src),       \
    (U64, n))                                                                                      \
  X(memory_init, VOID, (PTR, vmctx), (U32, mem_idx), (U32, data_idx), (U64, dst), (U32, src),      \
    (U32, n))                                                                                      \
  X(data_drop, VOID, (PTR, vmctx), (U32, data_idx))                                                \
  X(table_grow, U32, (PTR, vmctx), (U32, table_idx), (PTR, init), (U32, delta))                    \
  X(table_fill, VOID, (PTR, vmctx), (U32, table_idx), (U32, dst), (PTR, val), (U32, n))            \
  X(table_copy, VOID, (PTR, vmctx), (U32, dst_table), (U32, src_table), (U32, dst), (U32, src),    \
    (U32, n))                                                                                      \
  X(table_init, VOID, (PTR, vmctx), (U32, table_idx), (U32, elem_idx), (U32, dst), (U32, src),     \
    (U32, n))                                                                                      \
  X(elem_drop, VOID, (PTR, vmctx), (U32, elem_idx))                                                \
  X(table_set, VOID, (PTR, vmctx), (U32, table_idx), (U32, idx), (PTR, val))                       \
  X(host_call, VOID, (PTR, host_ctx), (PTR, args_results))                                        \
  X(epoch_interrupt, VOID, (PTR, vmctx))

/* Helpers for the lists: the C type of a kind, and MAP(M, a, b, ...) =
** M(a), M(b), ... for up to 8 arguments. */
#define WRT_CTYPE_VOID void
#define WRT_CTYPE_U8 uint8_t
#define WRT_CTYPE_U32 uint32_t
#define WRT_CTYPE_U64 uint64_t
#define WRT_CTYPE_PTR void *
#define WRT_PP_CAT(a, b) WRT_PP_CAT_(a, b)
#define WRT_PP_CAT_(a, b) a##b
#define WRT_PP_NARG(...) WRT_PP_NARG_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define WRT_PP_NARG_(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define WRT_PP_MAP(M, ...) WRT_PP_CAT(WRT_PP_MAP, WRT_PP_NARG(__VA_ARGS__))(M, __VA_ARGS__)
#define WRT_PP_MAP1(M, a) M(a)
#define WRT_PP_MAP2(M, a, ...) M(a), WRT_PP_MAP1(M, __VA_ARGS__)
#define WRT_PP_MAP3(M, a, ...) M(a), WRT_PP_MAP2(M, __VA_ARGS__)
#define WRT_PP_MAP4(M, a, ...) M(a), WRT_PP_MAP3(M, __VA_ARGS__)
#define WRT_PP_MAP5(M, a, ...) M(a), WRT_PP_MAP4(M, __VA_ARGS__)
#define WRT_PP_MAP6(M, a, ...) M(a), WRT_PP_MAP5(M, __VA_ARGS__)
#define WRT_PP_MAP7(M, a, ...) M(a), WRT_PP_MAP6(M, __VA_ARGS__)
#define WRT_PP_MAP8(M, a, ...) M(a), WRT_PP_MAP7(M, __VA_ARGS__)

/* The C prototype of a libcall: WRT_LIBCALLS(WRT_LIBCALL_PROTOTYPE). */
#define WRT_C_PARAM(p) WRT_C_PARAM_ p
#define WRT_C_PARAM_(kind, name) WRT_CTYPE_##kind name
#define WRT_LIBCALL_PROTOTYPE(name, ret, ...)                                                      \
  WRT_CTYPE_##ret wrt_rt_##name(WRT_PP_MAP(WRT_C_PARAM, __VA_ARGS__));

/* A host function's context, what its funcref record's vmctx points at. The
** exit trampoline spills the arguments into a wrt_raw array (sized for
** max(params, results)), calls wrt_rt_host_call(ctx, array) and reloads the
** results from it. */
typedef struct wrt_host_ctx wrt_host_ctx;

#endif
