/*
** rt_internal.h: libwrt-rt's private structures and the helpers its files
** share. It completes the opaque types of wrt.h and wrt_host_ctx of
** wrt_abi.h. Nothing here is visible to embedders (they see wrt.h) or to
** compiled code (it sees the layouts of wrt_abi.h only).
*/
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include <assert.h>
#include <stdatomic.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdnoreturn.h>

#include "wrt.h"

/* The libcalls, declared from the one list in wrt_abi.h so that their
** definitions are checked against it. */
WRT_LIBCALLS(WRT_LIBCALL_PROTOTYPE)
noreturn void wrt_rt_trap(void *vmctx, uint32_t code, uint32_t func_idx);

/* Referenced by every compiled object (WRT_ABI_SYMBOL): a runtime of another
** ABI version fails at link time. */
extern const int wrt_abi_v4;

/* SQLite-style guards for impossible-but-survivable states: the condition is
** asserted in debug builds and evaluated (and survived) in release builds. */
#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x) (x)
#else
#define ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define NEVER(x) ((x) ? (assert(0), 1) : 0)
#endif

#define WRT_PAGE_SIZE (UINT64_C(1) << 16)

/* Two memory layouts, chosen by the host's pointer size.
**
** 64-bit hosts: every memory has WRT_GUARD_RESERVATION of address space
** (index space + largest static offset + access width, see wrt_abi.h), kept
** PROT_NONE past its length, and grow makes pages accessible in place, so
** guard-mode code needs no bounds checks and the base never moves in either
** bounds mode. memory64 memories live in the same reservation and so cap at
** its size.
**
** 32-bit hosts cannot reserve 4 GiB per memory (nor many 256 MiB ones: spec
** scripts create dozens of memories in one store). Code for them always uses
** explicit checks and reloads the base from the memory record after every
** call (codegen/memory.c), so the memory may move: on-demand storage is a
** mapping of exactly the current size that grow remaps, moving it when the
** address space after it is taken (pooled storage is a fixed slot). */
#if UINTPTR_MAX > UINT32_MAX
#define WRT_MEMORY_MOVES 0
#else
#define WRT_MEMORY_MOVES 1
#endif
/* Implementation limit on table sizes: the spec allows 2^32-1 elements, but
** a table that large would be a 32 GiB allocation that succeeds under
** overcommit and then is filled element by element. */
#define WRT_TABLE_MAX_ELEMS UINT32_C(10000000)

/* ------------------------------------------------------------ allocation (store.c) */

/* The one allocation hook for everything but linear memory (Lua's lua_Alloc:
** the old size is known on free). new_size == 0 frees and returns NULL. */
void *wrt_alloc_hook(void *ptr, size_t old_size, size_t new_size);
/* Zeroed allocation of n * size bytes (overflow-checked); NULL on failure. */
void *wrt_calloc(size_t n, size_t size);
void wrt_free(void *ptr, size_t size);
/* A NUL-terminated copy of a (ptr, len) name; free with wrt_free(p, len + 1). */
char *wrt_strndup(const char *s, size_t len);

/* Fills d (may be NULL) with code and a printf-style message; returns code. */
wrt_err wrt_diag_set(wrt_diag *d, wrt_err code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A growable array of pointers. Appends publish the element before the
** count, so the signal handler (same thread) never sees a torn entry. */
typedef struct wrt_ptrvec {
  void **v;
  size_t n, cap;
} wrt_ptrvec;

bool wrt_ptrvec_push(wrt_ptrvec *pv, void *p);
void wrt_ptrvec_fini(wrt_ptrvec *pv);

/* ------------------------------------------------------------ engine (store.c) */

/* An interned signature. Its address is the type id (nonzero, unique per
** structure), so id comparison is pointer comparison and wrt_func_type reads
** the record directly. Immutable once interned; freed with the engine. */
typedef struct wrt_sig {
  uint32_t n_params, n_results;
  uint32_t hash;
  uint8_t types[]; /* params, then results */
} wrt_sig;

struct wrt_engine {
  pthread_mutex_t lock; /* stores on different threads may intern at once */
  wrt_sig **slots;      /* open addressing, power-of-two capacity */
  size_t cap, count;
  struct wrt_allocator *alloc; /* instance storage (owned; never NULL) */
  bool images_on;              /* map copy-on-write memory images (module_info.c) */
  size_t fiber_stack_bytes;    /* usable bytes of each fiber stack */
  bool epoch_required;         /* refuse modules compiled without epoch checks */
  _Atomic uint64_t epoch;      /* wrt_engine_increment_epoch */
  /* The stores that have had a deadline, and their deadlines and due flags:
  ** changed only under epoch_lock (store.c, "epochs"). */
  pthread_mutex_t epoch_lock;
  struct wrt_store *epoch_stores;
  wrt_ptrvec infos;            /* wrt_module_info *, under lock */
};

/* A copy-on-write image of one defined memory of one module
** (module_info.c): a sealed memfd holding the memory's first `len` bytes
** after instantiation. Immutable once built. */
typedef struct wrt_image wrt_image;
struct wrt_image {
  const wrt_module_desc *desc;
  uint32_t mem_idx;
  int fd;     /* -1: this memory has no image (not static, no data, or no memfd) */
  size_t len; /* host-page multiple, within the memory's minimum size */
};

/* What the engine works out once per module (module_info.c). Owned by the
** engine; immutable once made. */
typedef struct wrt_module_info {
  const wrt_module_desc *desc;
  bool segments_static; /* no active segment can trap or depends on imports */
  uint8_t *keep_table;  /* per table: a pooled slot may keep its initial elements */
  uintptr_t *type_ids;  /* the module's types interned in the engine (NULL: not done) */
  wrt_image *images;    /* per memory (fd -1 where none) */
} wrt_module_info;

/* The engine's record for d, made on first use; NULL when out of memory
** (then: no images, no kept tables). */
const wrt_module_info *wrt_engine_module_info(wrt_engine *e, const wrt_module_desc *d);
/* The image of memory mem, or NULL (mi may be NULL). With an image,
** instantiation maps it instead of copying the module's data segments. */
const wrt_image *wrt_module_image(const wrt_module_info *mi, uint32_t mem);
void wrt_engine_infos_free(wrt_engine *e);
/* Maps img privately at `at` (PROT_NONE; memory.c opens it). False on failure. */
bool wrt_image_map(const wrt_image *img, uint8_t *at);

/* Interns a signature; returns its id, or 0 when out of memory. */
uintptr_t wrt_engine_intern(wrt_engine *e, uint32_t n_params, const uint8_t *params,
                            uint32_t n_results, const uint8_t *results);

static inline const wrt_sig *wrt_sig_of(uintptr_t type_id) {
  return (const wrt_sig *)type_id;
}

/* ------------------------------------------------------------ allocation strategies (alloc*.c) */

/*
** The instance-allocator seam: where instantiation gets an instance's storage.
** Two strategies implement it: on-demand (alloc.c: malloc and mmap per
** object) and pooling (alloc_pool.c: slots of one region reserved when the
** engine is made). Instantiation (instance.c), memories (memory.c) and tables
** (table.c) share one code path over either; they never ask which strategy
** they run on. Every operation may run on any thread at once (an engine is
** shared by stores on different threads): the pool locks its free lists.
**
** What a strategy hands out:
**   instance block  zeroed, 16-byte aligned bytes for the instance record,
**                   its arrays and its vmctx (instance.c lays it out).
**   memory          a wrt_memory with its address range (reserve,
**                   reserve_size, moves, accessible) and `limit` (pages it may
**                   reach) filled in and nothing else; memory.c makes the
**                   pages accessible.
**   table           a wrt_table whose element storage is either fixed (`cap`
**                   elements that never move) or grown by table.c.
** What a strategy takes back must be returned with every byte a later tenant
** could read zeroed: that is the strategy's job, not its callers'.
*/
/* Whose initial elements a pooled table slot holds: table idx of the
** instance of desc whose block was at `block` (module_info.c explains). */
typedef struct wrt_table_key {
  const wrt_module_desc *desc;
  const void *block;
  uint32_t idx;
} wrt_table_key;

/* A fiber stack: usable bytes [lo, hi), an inaccessible guard page just
** below lo. `slot` is the allocator's index for it. */
typedef struct wrt_stack {
  uint8_t *lo, *hi;
  uint32_t slot;
} wrt_stack;

typedef struct wrt_allocator wrt_allocator;
typedef struct wrt_allocator_ops {
  /* WRT_OK when an instance of d (whose block takes inst_bytes) fits every
  ** limit; otherwise WRT_EINVAL with the limit named in diag. */
  wrt_err (*admit)(const wrt_allocator *a, const wrt_module_desc *d, size_t inst_bytes,
                   wrt_diag *diag);
  void *(*instance_alloc)(wrt_allocator *a, size_t bytes, wrt_diag *diag);
  void (*instance_free)(wrt_allocator *a, void *block, size_t bytes);
  /* A memory of min pages that may grow to limit pages (both already within
  ** the host's cap); NULL with diag set when none is available. A strategy
  ** that reuses storage prefers storage that has `want` mapped (may be NULL). */
  struct wrt_memory *(*memory_alloc)(wrt_allocator *a, uint64_t min, uint64_t limit,
                                     const wrt_image *want, wrt_diag *diag);
  void (*memory_free)(wrt_allocator *a, struct wrt_memory *m);
  /* Likewise, preferring storage that kept `want`'s elements (may be NULL). */
  struct wrt_table *(*table_alloc)(wrt_allocator *a, uint32_t min,
                                   const wrt_table_key *want, wrt_diag *diag);
  void (*table_free)(wrt_allocator *a, struct wrt_table *t);
  /* A fiber stack of at least `bytes` usable bytes; false (diag set) when
  ** none is available. */
  bool (*stack_alloc)(wrt_allocator *a, size_t bytes, wrt_stack *out, wrt_diag *diag);
  void (*stack_free)(wrt_allocator *a, wrt_stack *st);
  /* The limits a pool was made with (all zero for on-demand). */
  wrt_pool_limits (*limits)(const wrt_allocator *a);
  void (*destroy)(wrt_allocator *a);
} wrt_allocator_ops;

struct wrt_allocator {
  const wrt_allocator_ops *ops;
};

/* The on-demand strategy: stateless, one shared immutable object. */
wrt_allocator *wrt_on_demand_allocator(void);
/* A pooling allocator with limits lim (zero fields already defaulted by the
** caller) and fiber stacks of stack_bytes; NULL with diag set when its
** region cannot be reserved. */
wrt_allocator *wrt_pool_new(const wrt_pool_limits *lim, size_t stack_bytes, wrt_diag *diag);
/* lim with every zero field replaced by its default for this host. */
wrt_pool_limits wrt_pool_limits_defaults(wrt_pool_limits lim);

/* ------------------------------------------------------------ store objects */

/* Invariant: the store owns every object it lists and frees them all in
** wrt_store_free; nothing is freed piecemeal before that. */
struct wrt_store {
  wrt_engine *engine;
  uintptr_t stack_limit; /* every vmctx's WRT_VMCTX_STACK_LIMIT slot points here; 0 outside calls */
  /* Epochs (store.c): the deadline, and its flag, nonzero while the engine's
  ** epoch is at or past it (every vmctx's WRT_VMCTX_EPOCH_DUE slot points
  ** there; compiled code reads it). On the engine's list once a deadline is
  ** set; both change under the engine's epoch_lock. */
  uint64_t epoch_deadline;
  _Atomic uint32_t epoch_due;
  struct wrt_store **epoch_link, *epoch_next; /* epoch_link: the pointer to this store */
  uint64_t epoch_yield;    /* 0: trap at the deadline; else on a fiber suspend, then extend by this */
  size_t max_wasm_stack;
  wrt_ptrvec instances, memories, tables, globals, host_funcs, externrefs;
  wrt_ptrvec modules; /* distinct descriptors instantiated here: code ranges for the handler */
};

/* A linear memory. `def` comes first: compiled code reads it through the
** vmctx memories[] pointer. On 64-bit hosts the reservation never moves, so
** neither does def.base; on 32-bit hosts the mapping is the current size and
** grow may move it (memory.c). def.length is updated after the pages are
** committed. */
struct wrt_memory {
  wrt_memory_def def;
  uint64_t pages;      /* current size in pages */
  uint64_t max;        /* declared maximum (valid when has_max) */
  uint64_t limit;      /* pages grow may reach: the declared max capped by the storage */
  uint8_t *reserve;    /* start of the reservation or mapping (== def.base) */
  size_t reserve_size; /* bytes reserved, all registered for the fault handler */
  size_t accessible;   /* bytes from reserve that are readable and writable */
  wrt_allocator *alloc; /* where the storage came from and goes back to */
  const wrt_image *image; /* mapped over the start of the storage, or NULL */
  uint32_t slot;       /* the allocator's index for it (pool slot) */
  bool moves;          /* a mapping of exactly the current size, moved by grow (32-bit on-demand) */
  bool has_max, is64;
};

/* A table. `def` comes first (compiled code reloads elems and size on every
** access, so realloc on grow is fine). Elements are wrt_funcref * or
** wrt_externref *, NULL being the null reference. */
struct wrt_table {
  wrt_table_def def;
  uint32_t max; /* declared maximum (valid when has_max) */
  uint32_t cap; /* allocated elements */
  wrt_allocator *alloc; /* where the storage came from and goes back to */
  uint32_t slot;        /* the allocator's index for it (pool slot) */
  wrt_table_key kept;   /* pooled: whose initial elements are still in the slot */
  uint32_t kept_size;   /* pooled: how many elements a freed slot still holds */
  uint8_t elem_type;
  bool has_max;
  bool fixed; /* cap is all there is: the elements never move (pooled storage) */
};

/* A global: a pointer to its 16-byte storage, which is either a slot in the
** defining instance's vmctx or `own` (host-created globals). */
struct wrt_global {
  wrt_global_def *storage;
  uint8_t type;
  bool mut;
  wrt_global_def own;
};

struct wrt_externref {
  void *data;
};

/* What a host function's record.vmctx points at (wrt_abi.h). */
struct wrt_host_ctx {
  wrt_host_fn fn;
  void *env;
  const wrt_sig *sig;
};

/* A host function: the record first, so a wrt_func * is the object. Its
** `code` stays NULL until a module importing (or declaring an import of) the
** same signature supplies its exit trampoline; `entry` is always NULL, which
** is how wrt_call tells host functions from Wasm ones. */
typedef struct wrt_host_func {
  wrt_funcref rec;
  wrt_host_ctx ctx;
} wrt_host_func;

/* An element segment instance: items evaluated at instantiation; dropping
** frees them and leaves n == 0 (a dropped segment behaves as empty). */
typedef struct wrt_elem_inst {
  void **items;
  uint32_t n;
} wrt_elem_inst;

/* An instance. All index spaces put imports first; the arrays hold the
** objects, the vmctx holds what compiled code reads of them. The record, its
** arrays and the vmctx are one block from the engine's allocator
** (instance.c lays it out), so instantiation allocates once. */
struct wrt_instance {
  wrt_store *store;
  const wrt_module_desc *desc;
  wrt_allocator *alloc;    /* the block's allocator */
  size_t block_size;       /* bytes of the block, which starts at this record */
  const struct wrt_module_info *info; /* the engine's record of desc, or NULL */
  uint8_t *vmctx;          /* 16-byte aligned, in the block */
  wrt_vmctx_layout layout;
  wrt_memory **memories;   /* desc->n_memories */
  wrt_table **tables;      /* desc->n_tables */
  wrt_global **globals;    /* desc->n_globals */
  wrt_global *def_globals; /* wrappers of the vmctx slots of defined globals */
  wrt_elem_inst *elems;    /* desc->n_elems; items of passive segments only */
  uint8_t *data_dropped;   /* desc->n_datas flags */
  const char **export_names; /* NUL-terminated copies for wrt_instance_export_at */
};

/* Bytes of the block of an instance of d (what the allocator must admit). */
size_t wrt_instance_block_size(const wrt_module_desc *d);
/* Returns an instance's block to its allocator (not the objects the store lists). */
void wrt_instance_destroy(wrt_instance *inst);

/* Resolves import i of d through l and checks its type against the interned
** type ids of d; WRT_ELINK with the spec's wording in diag otherwise. */
wrt_err wrt_link_import(const wrt_linker *l, const wrt_module_desc *d, uint32_t i,
                        const uintptr_t *type_ids, wrt_extern *out, wrt_diag *diag);

/* The interned type id of each of the instance's types (in its vmctx). */
static inline const uintptr_t *wrt_instance_type_ids(const wrt_instance *inst) {
  return (const uintptr_t *)(const void *)(inst->vmctx + inst->layout.type_ids);
}

static inline wrt_instance *wrt_vmctx_instance(void *vmctx) {
  return ((wrt_instance **)vmctx)[WRT_VMCTX_INSTANCE];
}

/* The record of function func_idx: the exporter's for an import, the one in
** this instance's vmctx for a defined function. */
wrt_funcref *wrt_instance_func(const wrt_instance *inst, uint32_t func_idx);

/* ------------------------------------------------------------ objects (memory.c, table.c, ...) */

/* Creates a memory in the store from allocator a, with image img over its
** start (NULL: none; see wrt_memory_use_image); NULL (diag set, may be
** NULL) when the limits are invalid or the storage cannot be had. */
wrt_memory *wrt_memory_create(wrt_store *s, wrt_allocator *a, uint64_t min, uint64_t max,
                              bool has_max, bool is64, const wrt_image *img, wrt_diag *diag);
/* Puts img (NULL: none, all zero) at the start of m's storage, before any
** code has seen m, keeping its accessible size (the image lies within the
** memory's minimum size, which the caller makes accessible). Afterwards m->image == img
** unless the storage moves (never imaged: the caller copies the segments).
** False when the host refuses the mappings (the memory is then unusable). */
bool wrt_memory_use_image(wrt_memory *m, const wrt_image *img);
void wrt_memory_destroy(wrt_memory *m);
/* Pages a memory may ever reach on this host (declared limits aside). */
uint64_t wrt_memory_host_page_cap(bool is64);
/* key (may be NULL): the initial elements the table may find kept in its
** storage (wrt_table_reuse). */
wrt_table *wrt_table_create(wrt_store *s, wrt_allocator *a, uint8_t elem_type, uint32_t min,
                            uint32_t max, bool has_max, void *init, const wrt_table_key *key,
                            wrt_diag *diag);
void wrt_table_destroy(wrt_table *t);
/* Old size, or UINT32_MAX when the maximum or memory is exceeded. */
uint32_t wrt_table_grow_by(wrt_table *t, uint32_t delta, void *init);
/* Whether a new table t (of its minimum size) already holds the initial
** elements `key` (may be NULL) stands for, kept from an earlier instance
** (then the caller skips its segments); otherwise t is cleared of anything
** kept. */
bool wrt_table_reuse(wrt_table *t, const wrt_table_key *key);
/* Whether t holds key's initial elements (kept, or recorded by keep). */
bool wrt_table_holds(const wrt_table *t, const wrt_table_key *key);
/* Records that t now holds key's initial elements, unwritten. */
void wrt_table_keep(wrt_table *t, const wrt_table_key *key);

/* Copy n items of a (not dropped) segment into memory or table; false, with
** nothing written, when either range is out of bounds. Used by instantiation
** (active segments) and by the memory.init / table.init libcalls. */
bool wrt_instance_memory_init(wrt_instance *inst, uint32_t mem_idx, uint32_t data_idx,
                              uint64_t dst, uint32_t src, uint32_t n);
bool wrt_instance_table_init(wrt_instance *inst, uint32_t table_idx, uint32_t elem_idx,
                             uint32_t dst, uint32_t src, uint32_t n);

/* Whether [off, off + n) lies within a region of `size` units (no overflow). */
static inline bool wrt_in_bounds(uint64_t off, uint64_t n, uint64_t size) {
  return off <= size && n <= size - off;
}

/* Value slots <-> typed values. */
wrt_raw wrt_val_to_raw(const wrt_val *v);
wrt_val wrt_raw_to_val(const wrt_raw *r, uint8_t kind);
bool wrt_valtype_ok(uint8_t t);
/* "i32", "funcref", ...; "?" for unknown codes. */
const char *wrt_valtype_str(uint8_t t);
/* Writes "(i32 i32) -> (i64)" into buf. */
void wrt_sig_format(const wrt_sig *sig, char *buf, size_t size);

/* Host functions (func.c). wrt_host_invoke calls one with typed values and
** returns its trap code (WRT_TRAP_HOST for codes out of range). */
wrt_trap_code wrt_host_invoke(const wrt_host_ctx *c, const wrt_val *args, wrt_val *results);
/* Hands a module's exit trampolines to host functions that lack `code`. */
void wrt_host_funcs_adopt(wrt_store *s, const wrt_module_desc *d, const uintptr_t *type_ids);

/* ------------------------------------------------------------ constant expressions (expr.c) */

/* Evaluates a constant expression in `inst` (whose function records and
** globals evaluated so far must be in place). False if the bytes are not a
** supported constant expression. With inst NULL, only expressions whose
** value is the same in every instance (no global.get, no ref.func) succeed. */
bool wrt_expr_eval(const wrt_instance *inst, const wrt_expr *e, wrt_raw *out);
/* Whether e is exactly `ref.func idx` (the common element item), with idx:
** wrt_expr_eval's fast path for large tables. */
bool wrt_expr_ref_func(const wrt_expr *e, uint32_t *func_idx);

/* ------------------------------------------------------------ calls and traps (call.c, signal.c) */

/*
** One activation of wrt_call, linked from the thread's innermost one. A trap
** (libcall, host trap, or fault) fills trap_* and longjmps to `jb` of the
** innermost frame, so frames above it never exist at that point.
*/
typedef wrt_scope wrt_call_frame; /* public as wrt_scope for direct calls (wrt.h) */

/* The thread's innermost frame (NULL outside wrt_call). */
extern _Thread_local wrt_call_frame *wrt_call_top;

/* Unwinds to the innermost wrt_call with a trap. Aborts if there is none:
** compiled code was entered without wrt_call, so there is nowhere to go. */
noreturn void wrt_trap_raise(uint32_t code, const wrt_module_desc *desc, uint32_t func_idx,
                             const void *pc);

/* Fills *trap (may be NULL) for a trap with no function or backtrace
** (WRT_TRAP_NONE: a cleared record). */
void wrt_trap_set(wrt_trap *trap, wrt_trap_code code);

/* Unwinds with a trap at a fault: pc and the frame pointer of the faulting
** Wasm code (from the signal context) start the backtrace. */
noreturn void wrt_trap_raise_at(uint32_t code, const void *pc, const void *fp);

/* Traps from a libcall. ra is the libcall's return address, inside the
** compiled function that called it (used to name that function). */
noreturn void wrt_libcall_trap(void *vmctx, wrt_trap_code code, void *ra);

/* Installs the fault handlers once per process and an alternate signal
** stack once per thread. Cheap after the first call on a thread. */
void wrt_signals_thread_init(void);
/* The lowest address of the stack the calling thread runs on: a fiber's
** (fiber.c announces it with wrt_stack_low_set; 0 = back on the thread's own)
** or the thread's own (0 if unknown). */
uintptr_t wrt_thread_stack_low(void);
void wrt_stack_low_set(uintptr_t fiber_low);
/* Whether pc lies in the code of a module registered in s. */
bool wrt_store_is_wasm_pc(const wrt_store *s, const void *pc);
/* Registers desc's code range (once per descriptor) for the fault handler. */
bool wrt_store_register_module(wrt_store *s, const wrt_module_desc *desc);
/* Maps a PC in compiled code to the defined function containing it: the one
** with the greatest code address <= pc among registered modules. */
bool wrt_store_func_at_pc(const wrt_store *s, const void *pc, const wrt_module_desc **desc,
                          uint32_t *func_idx);
/* The name of func_idx from desc's name table, or NULL. */
const wrt_name *wrt_desc_func_name(const wrt_module_desc *desc, uint32_t func_idx);

#endif
