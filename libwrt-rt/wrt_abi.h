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
#define WRT_ABI_VERSION 1
#define WRT_ABI_SYMBOL "wrt_abi_v1"

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
  WRT_TRAP_COUNT
} wrt_trap_code;

/* ------------------------------------------------------------ funcref */

/*
** A funcref is a pointer to a record; null is a null pointer. Records of an
** instance's defined functions live inside its vmctx; imported functions are
** pointers to the exporter's records. For a host function, `code` is the exit
** trampoline of its signature and `vmctx` points at a wrt_host_ctx.
**   code:  wasm-call entry: ret code(void *vmctx, params...)
**   entry: array-call entry trampoline for the signature:
**          void entry(void *code, void *vmctx, wrt_raw *args_results)
*/
typedef struct wrt_funcref {
  void *code;
  void *entry;
  uintptr_t type_id; /* engine-wide interned signature id */
  void *vmctx;
} wrt_funcref;

#define WRT_FUNCREF_CODE 0
#define WRT_FUNCREF_ENTRY 1
#define WRT_FUNCREF_TYPE_ID 2
#define WRT_FUNCREF_VMCTX 3 /* field indices, each pointer-sized */

/* ------------------------------------------------------------ memories, tables, globals */

/* What compiled code reads of a memory: base and current byte length. The
** runtime's memory object starts with this. In guard mode the base never moves. */
typedef struct wrt_memory_def {
  uint8_t *base;
  uint64_t length;
} wrt_memory_def;

/* What compiled code reads of a table: element array and current size. Elements
** are wrt_funcref* (funcref tables) or wrt_externref* (externref tables). */
typedef struct wrt_table_def {
  void **elems;
  uint32_t size;
} wrt_table_def;

/* Global storage: 16 bytes, value at offset 0. */
typedef wrt_raw wrt_global_def;

/* ------------------------------------------------------------ vmctx layout */

/*
** One instance's context, addressed by compiled code at constant offsets:
**
**   header         WRT_VMCTX_HEADER_SLOTS pointer-sized slots (below)
**   memories       n_memories    x ptr   -> wrt_memory_def (imported or defined)
**   tables         n_tables      x ptr   -> wrt_table_def
**   global_imports n_global_imp  x ptr   -> wrt_global_def
**   func_imports   n_func_imp    x ptr   -> wrt_funcref (the exporter's record)
**   type_ids       n_types       x ptr   interned signature ids (uintptr_t)
**   globals        n_globals_def x 16 B  defined globals, inline (16-byte aligned)
**   funcrefs       n_funcs_def   x 4 ptr this instance's records, in def order
**
** Everything after the header is written once at instantiation (only the
** defined globals change later), so codegen marks those loads invariant.
*/
enum {
  WRT_VMCTX_STACK_LIMIT = 0, /* -> uintptr_t: the lowest SP compiled code may use (the
                                store's, updated by wrt_call); checked in prologues */
  WRT_VMCTX_INSTANCE = 1,    /* the runtime's wrt_instance */
  WRT_VMCTX_HEADER_SLOTS = 4
};

typedef struct wrt_vmctx_counts {
  uint32_t n_memories, n_tables, n_global_imports, n_func_imports, n_types, n_globals_def,
      n_funcs_def;
} wrt_vmctx_counts;

typedef struct wrt_vmctx_layout {
  uint32_t memories, tables, global_imports, func_imports, type_ids, globals, funcrefs, size;
} wrt_vmctx_layout;

/* Byte offsets for a target with pointers of ptr_size bytes (4 or 8). */
static inline wrt_vmctx_layout wrt_vmctx_layout_for(const wrt_vmctx_counts *c, uint32_t ptr_size) {
  wrt_vmctx_layout l;
  uint32_t off = WRT_VMCTX_HEADER_SLOTS * ptr_size;
  l.memories = off, off += c->n_memories * ptr_size;
  l.tables = off, off += c->n_tables * ptr_size;
  l.global_imports = off, off += c->n_global_imports * ptr_size;
  l.func_imports = off, off += c->n_func_imports * ptr_size;
  l.type_ids = off, off += c->n_types * ptr_size;
  off = (off + 15u) & ~15u;
  l.globals = off, off += c->n_globals_def * 16u;
  l.funcrefs = off, off += c->n_funcs_def * 4u * ptr_size;
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

typedef struct wrt_name {
  const char *ptr; /* not terminated */
  uint32_t len;
} wrt_name;

typedef struct wrt_type_desc {
  uint32_t n_params, n_results;
  const uint8_t *types; /* n_params parameter codes, then n_results result codes */
  /* The exit trampoline of this signature (wasm-call -> wrt_rt_host_call):
  ** host functions of the signature get it as their `code`, so compiled code
  ** can call them through tables whatever the module imports. */
  const void *exit_tramp;
} wrt_type_desc;

typedef struct wrt_import_desc {
  wrt_name module, name;
  uint8_t kind;    /* WRT_EXTERN_* */
  uint32_t index;  /* index in that kind's space (imports come first) */
} wrt_import_desc;

typedef struct wrt_export_desc {
  wrt_name name;
  uint8_t kind;
  uint32_t index;
} wrt_export_desc;

/* All functions, imports first. For an import, `code` is the exit trampoline
** of its signature (wasm-call -> host) and `entry` is NULL; for a defined
** function, `code` is the compiled function and `entry` its signature's
** array-call trampoline. */
typedef struct wrt_func_desc {
  void *code;
  void *entry;
  uint32_t type_idx;
} wrt_func_desc;

typedef struct wrt_limits_desc {
  uint64_t min, max;
  uint8_t has_max, is64;
} wrt_limits_desc;

typedef struct wrt_table_desc {
  uint8_t elem_type;
  wrt_limits_desc lim;
} wrt_table_desc;

/* A constant expression, as its Wasm bytes up to and including `end`;
** the runtime evaluates it (t.const, ref.null, ref.func, global.get, and
** i32/i64 add/sub/mul). */
typedef struct wrt_expr {
  const uint8_t *bytes;
  uint32_t len;
} wrt_expr;

typedef struct wrt_global_desc {
  uint8_t type, mut;
  wrt_expr init; /* defined globals only */
} wrt_global_desc;

typedef struct wrt_elem_desc {
  uint8_t mode, elem_type;
  uint32_t table_idx;
  wrt_expr offset;        /* active only */
  uint32_t n_items;
  const wrt_expr *items;  /* each item as a constant expression */
} wrt_elem_desc;

typedef struct wrt_data_desc {
  uint8_t mode;
  uint32_t mem_idx;
  wrt_expr offset;        /* active only */
  const uint8_t *bytes;
  uint32_t len;
} wrt_data_desc;

typedef struct wrt_func_name {
  uint32_t func_idx;
  wrt_name name;
} wrt_func_name;

typedef struct wrt_module_desc {
  uint32_t abi_version;   /* WRT_ABI_VERSION */
  uint8_t ptr_size;       /* target pointer width the code assumes */
  uint8_t bounds_checks;  /* WRT_BOUNDS_* */
  wrt_name name;          /* the --name prefix */
  wrt_vmctx_counts counts;
  uint32_t vmctx_size;    /* wrt_vmctx_layout_for(&counts, ptr_size).size */

  uint32_t n_types;
  const wrt_type_desc *types;
  uint32_t n_imports;
  const wrt_import_desc *imports;
  uint32_t n_funcs, n_func_imports;
  const wrt_func_desc *funcs;
  uint32_t n_tables, n_table_imports;
  const wrt_table_desc *tables;
  uint32_t n_memories, n_memory_imports;
  const wrt_limits_desc *memories;
  uint32_t n_globals, n_global_imports;
  const wrt_global_desc *globals;
  uint32_t n_exports;
  const wrt_export_desc *exports;
  uint32_t n_elems;
  const wrt_elem_desc *elems;
  uint32_t n_datas;
  const wrt_data_desc *datas;
  uint32_t start_func;    /* UINT32_MAX if none */
  uint32_t n_func_names;  /* sorted by func_idx */
  const wrt_func_name *func_names;
  const void *text_begin, *text_end; /* the module's compiled code, for trap handling */
} wrt_module_desc;

/* ------------------------------------------------------------ libcalls */

/*
** Runtime functions called by compiled code. `vmctx` is the calling
** instance's. wrt_rt_trap never returns (it unwinds to the innermost
** wrt_call); the bulk operations trap from inside (bounds are checked before
** any write, per the spec). Indices are the module's own (memory, table, data,
** elem). Memory grow returns the old size in pages or UINT64_MAX; table grow
** returns the old size or UINT32_MAX. wrt_rt_table_set stores a reference
** (externref counting will live there).
*/
#define WRT_LIBCALLS(X)                                                                            \
  X(wrt_rt_trap, void, (void *vmctx, uint32_t code, uint32_t func_idx))                          \
  X(wrt_rt_memory_grow, uint64_t, (void *vmctx, uint32_t mem_idx, uint64_t delta_pages))         \
  X(wrt_rt_memory_fill, void, (void *vmctx, uint32_t mem_idx, uint64_t dst, uint32_t val, uint64_t n)) \
  X(wrt_rt_memory_copy, void, (void *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst, uint64_t src, uint64_t n)) \
  X(wrt_rt_memory_init, void, (void *vmctx, uint32_t mem_idx, uint32_t data_idx, uint64_t dst, uint32_t src, uint32_t n)) \
  X(wrt_rt_data_drop, void, (void *vmctx, uint32_t data_idx))                                    \
  X(wrt_rt_table_grow, uint32_t, (void *vmctx, uint32_t table_idx, void *init, uint32_t delta))  \
  X(wrt_rt_table_fill, void, (void *vmctx, uint32_t table_idx, uint32_t dst, void *val, uint32_t n)) \
  X(wrt_rt_table_copy, void, (void *vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n)) \
  X(wrt_rt_table_init, void, (void *vmctx, uint32_t table_idx, uint32_t elem_idx, uint32_t dst, uint32_t src, uint32_t n)) \
  X(wrt_rt_elem_drop, void, (void *vmctx, uint32_t elem_idx))                                    \
  X(wrt_rt_table_set, void, (void *vmctx, uint32_t table_idx, uint32_t idx, void *val))          \
  X(wrt_rt_host_call, void, (void *host_ctx, wrt_raw *args_results))

/* A host function's context, what its funcref record's vmctx points at. The
** exit trampoline spills the arguments into a wrt_raw array (sized for
** max(params, results)), calls wrt_rt_host_call(ctx, array) and reloads the
** results from it. */
typedef struct wrt_host_ctx wrt_host_ctx;

#endif
