/*
** wrt.h: the public interface of libwrt-rt, the runtime for modules compiled
** by wasm2obj. An embedder links the object (which defines a descriptor
** `const wrt_module_desc NAME__module`), instantiates it in a store, looks up
** exports and calls them. This is the only header embedders include.
**
**   wrt_engine *e = wrt_engine_new();
**   wrt_store *s = wrt_store_new(e);
**   wrt_linker *l = wrt_linker_new(s);
**   wrt_instance *inst;
**   wrt_diag diag;
**   if (wrt_instantiate(s, &fac__module, l, &inst, &diag, NULL) != WRT_OK) ... diag.msg ...
**   wrt_extern f;
**   wrt_instance_export(inst, "fac", &f);
**   wrt_val arg = WRT_I64_VAL(20), res;
**   wrt_trap trap;
**   if (wrt_call(s, f.of.func, &arg, 1, &res, 1, &trap) == WRT_ETRAP) ...
**   wrt_store_free(s);   // frees every instance, memory, table, global, host function
**   wrt_linker_free(l); wrt_engine_free(e);
**
** Also here: direct calls through headers from `wasm2obj --header` inside
** WRT_TRY scopes, and WASI preview 1 (wrt_wasi_*; `wasm2obj --exe` uses
** wrt_wasi_main). docs/USING.md has worked examples of each.
**
** Ownership, lifetimes, errors and threads: the Conventions below.
*/
#ifndef WRT_H
#define WRT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrt_abi.h"

/*
** Conventions. The note on each declaration uses these words.
**
** Ownership and lifetimes
**   owned by the store: made by wrt_instantiate or a wrt_*_new(s, ...). The
**     store frees all of it at once in wrt_store_free and nothing earlier (there
**     is no per-object free, so a store only grows). Instances, functions,
**     memories, tables, globals, externrefs, export names and vmctx pointers are
**     valid until wrt_store_free of their store.
**   owned by the caller: engines, stores, linkers and WASI contexts, each freed
**     with its wrt_*_free (NULL is a no-op).
**   borrowed: an argument wrt reads only during the call (the caller may free
**     it on return); or a result the caller must not free.
**   copied: wrt keeps its own copy of the argument.
**   kept: wrt keeps the argument pointer; it must stay valid as the note says.
**   valid until X: a returned pointer may dangle after X.
** Pointer arguments must not be NULL unless the note says "may be NULL".
** A module descriptor (NAME__module) is kept by every store it is
** instantiated in: its object must stay loaded until they are freed.
** Objects of one store must never be used with another (as an import, table
** element, global value, or in wrt_call or WRT_TRY); nothing checks this.
**
** Errors
**   wrt_err results are WRT_OK or a code; out-parameters are unspecified
**   unless the result is WRT_OK (exceptions are noted). Pointer results are
**   NULL on failure (invalid argument or out of memory), with no detail unless
**   the function takes a wrt_diag.
**   wrt_diag and wrt_trap are caller-owned plain records (no pointers inside,
**   nothing to free); every function taking one accepts NULL.
**
** Threads
**   An engine may be shared by stores used on different threads at once (its
**   signature table is locked). A store, everything it owns, and the linkers
**   and WASI contexts used with it belong to one thread at a time (nothing in
**   them is locked); they may move to another thread between calls, never
**   while one of their wrt_call or WRT_TRY scopes is active.
**   Per thread: the chain of active wrt_call frames and WRT_TRY scopes (a trap
**   unwinds to the innermost one of its own thread) and the Wasm stack budget.
**   Process-wide: the first call into Wasm code (wrt_call, a start function)
**   or wrt_scope_begin installs SIGSEGV and SIGBUS handlers (never removed)
**   that turn faults in compiled code into traps and pass any other fault to
**   the handlers installed before them; a handler installed later must chain
**   to the previous one. Each thread doing so gets a 64 KiB alternate signal
**   stack unless it has one of >= 16 KiB.
**   wrt_err_str, wrt_trap_str and wrt_trap_format are safe on any thread.
*/

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wrt_err {
  WRT_OK = 0,
  WRT_ENOMEM,  /* out of memory (or address space) */
  WRT_ELINK,   /* an import is missing or has an incompatible type */
  WRT_EABI,    /* the descriptor was compiled for another ABI, pointer width or mode */
  WRT_ETRAP,   /* execution trapped (details in wrt_trap) */
  WRT_EINVAL   /* invalid argument: wrong arity or types, unknown export, ... */
} wrt_err;

/* A short error text (wrt_err_str) plus detail. Caller-owned; set by every
** wrt_instantiate, and by wrt_wasi_new and wrt_wasi_bind when they fail. msg
** is cut to 255 bytes. */
typedef struct wrt_diag {
  wrt_err code;
  char msg[256]; /* e.g. "unknown import: spectest.print_i64" or
                    "incompatible import type: env.f expects (i32) -> ()" */
} wrt_diag;

/* A static string, never NULL ("unknown error" for unknown codes). */
const char *wrt_err_str(wrt_err code);

/* Spec wording for each trap ("integer divide by zero", ...): a static string,
** never NULL ("unknown trap" for unknown codes). */
const char *wrt_trap_str(wrt_trap_code code);

/* Backtrace depth kept in a trap (innermost Wasm frames first). */
#define WRT_TRAP_FRAMES 16

/* A trap's details: code, message, the Wasm function it happened in
** (func_idx and name, when known; UINT32_MAX / empty otherwise), and the Wasm
** call stack at the trap: frames[0] is that function, then its callers.
** Caller-owned plain data: names are copies (cut to 63 / 47 bytes), so a
** record stays usable after wrt_store_free. */
typedef struct wrt_trap {
  wrt_trap_code code;
  uint32_t func_idx;
  char func_name[64];
  char msg[128];
  uint32_t n_frames;
  struct {
    uint32_t func_idx;
    char func_name[48]; /* empty when the module has no name for it */
  } frames[WRT_TRAP_FRAMES];
} wrt_trap;

/* Formats a trap for people: "trap: MSG\n  in NAME (func N)\n" plus one line per
** backtrace frame. Writes at most n bytes (NUL-terminated); returns the length
** the full text needs, like snprintf. buf may be NULL when n is 0; t may be
** NULL (returns 0, buf untouched). */
size_t wrt_trap_format(const wrt_trap *t, char *buf, size_t n);

/* ------------------------------------------------------------ objects */

/* Engine and store: owned by the caller. Instances, memories, tables and
** globals: owned by their store. Linker: owned by the caller; it holds
** borrowed externs. All opaque. */
typedef struct wrt_engine wrt_engine;     /* signature interning; shareable by stores */
typedef struct wrt_store wrt_store;       /* owns instances and host objects */
typedef struct wrt_instance wrt_instance;
typedef struct wrt_memory wrt_memory;
typedef struct wrt_table wrt_table;
typedef struct wrt_global wrt_global;
typedef struct wrt_linker wrt_linker;     /* (module, name) -> extern, for imports */
/* Functions are funcref records; a wrt_func* is usable as a funcref value.
** Owned by the store: a Wasm function's record lives in its instance. */
typedef wrt_funcref wrt_func;
/* Host references: reference counting arrives with the GC issue; today each
** one is owned by its store until wrt_store_free, and Wasm only passes them
** around. */
typedef struct wrt_externref wrt_externref;

/* Owned by the caller; NULL when out of memory. Same as wrt_engine_new_with
** with the default configuration (the on-demand allocator). */
wrt_engine *wrt_engine_new(void);

/*
** Allocation strategies (docs/USING.md, "Instance allocation"). An engine
** gets its instances' storage (the instance record and vmctx, defined
** memories and tables) from one allocator, chosen when the engine is made:
**   on-demand  every instance allocates what it needs with malloc and mmap
**              when it is instantiated and frees it with its store.
**   pooling    one contiguous region reserved at engine creation holds
**              `instances` instance slots, `memories` memory slots and
**              `tables` table slots; instantiation takes free slots without
**              malloc or mmap, and wrt_store_free returns them with their
**              pages zeroed, so a later tenant never sees an earlier one's
**              bytes. A module that cannot fit the limits is refused by
**              wrt_engine_admit (and so by wrt_instantiate) with a message
**              naming the limit; running out of free slots is WRT_ENOMEM with
**              a message naming the limit too.
** Host-made memories and tables (wrt_memory_new, wrt_table_new) always come
** from on-demand storage.
*/
typedef enum wrt_allocator_kind {
  WRT_ALLOCATOR_ON_DEMAND = 0,
  WRT_ALLOCATOR_POOLING
} wrt_allocator_kind;

/* Limits of the pooling allocator. A field left 0 takes the default shown
** (64-bit hosts; 32-bit hosts: 32 slots of each kind and 256 memory pages). */
typedef struct wrt_pool_limits {
  uint32_t instances;           /* instance slots: live instances at once (1000) */
  uint32_t memories;            /* memory slots, all instances together (1000) */
  uint32_t tables;              /* table slots, all instances together (1000) */
  uint32_t memories_per_module; /* memories one module may define (1) */
  uint32_t tables_per_module;   /* tables one module may define (1) */
  uint64_t memory_pages;        /* 64 KiB pages a pooled memory may reach (65536 = 4 GiB) */
  uint32_t table_elements;      /* elements a pooled table may reach (20000) */
  uint32_t instance_bytes;      /* instance record, vmctx, segment and name tables
                                   of one instance (1 MiB) */
  uint32_t fiber_stacks;        /* fiber stacks (as many as instances) */
} wrt_pool_limits;

/* An engine configuration: zero-initialised, it is the default. */
typedef struct wrt_engine_config {
  wrt_allocator_kind allocator;
  wrt_pool_limits pool; /* read for WRT_ALLOCATOR_POOLING only */
  /* Copy data segments into every new memory, never map copy-on-write
  ** images. By default, when a module's segment initialisation is static
  ** (constant offsets, segments inside memories and tables it defines), the
  ** engine keeps each memory's initial contents as an image (a sealed memfd)
  ** and maps it privately instead of copying; a pooled slot reused for the
  ** same module keeps the mapping. Either way the contents are the same. */
  bool copy_data_segments;
  /* Usable bytes of each fiber stack (wrt_fiber_new), not counting the guard
  ** page below it: 1 MiB when 0, at least 128 KiB. */
  size_t fiber_stack_bytes;
  /* Refuse modules compiled without --epoch-interruption (WRT_EABI), for
  ** engines that rely on interrupting every module they run. */
  bool epoch_interruption;
} wrt_engine_config;

/* Owned by the caller. c is borrowed (NULL = defaults). NULL on failure with
** the reason in diag: an unknown allocator, or a pool whose region cannot be
** reserved (the message gives its size). The pool's address space: each
** memory slot reserves the guard-page reservation of docs/ABI.md (8 GiB +
** 64 KiB on 64-bit hosts) whatever memory_pages says, so that guard-mode
** code needs no bounds checks in pooled memories either. An engine keeps the
** memory images of the modules instantiated with it (see copy_data_segments):
** their objects must stay loaded until it is freed. */
wrt_engine *wrt_engine_new_with(const wrt_engine_config *c, wrt_diag *diag);

/* The limits the engine's pool was made with (defaults filled in); all zero
** for an on-demand engine. */
wrt_pool_limits wrt_engine_pool_limits(const wrt_engine *e);

/* Whether instances of desc fit the engine's allocator: WRT_OK, or WRT_EINVAL
** with diag naming the limit ("module defines 2 memories; the pool allows 1
** (memories_per_module)"). wrt_instantiate checks the same first. */
wrt_err wrt_engine_admit(const wrt_engine *e, const wrt_module_desc *desc, wrt_diag *diag);

/* Only after every store of the engine is freed (not checked): it frees the
** signatures wrt_func_type returns. */
void wrt_engine_free(wrt_engine *e);
/* Owned by the caller; NULL if e is NULL or out of memory. e is kept: it must
** outlive the store. */
wrt_store *wrt_store_new(wrt_engine *e);
/* Frees everything the store owns. Pointers obtained from it become invalid,
** and the host functions' env pointers are no longer used. Not while a
** wrt_call or WRT_TRY scope on it is active. s may be NULL. */
void wrt_store_free(wrt_store *s);

/* ------------------------------------------------------------ values */

/* Plain data; a funcref or externref in it is borrowed from its store. */
typedef struct wrt_val {
  uint8_t kind; /* WRT_I32, ..., WRT_FUNCREF, WRT_EXTERNREF */
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    wrt_func *funcref;        /* NULL = ref.null func */
    wrt_externref *externref; /* NULL = ref.null extern */
  } of;
} wrt_val;

#define WRT_I32_VAL(x) ((wrt_val){.kind = WRT_I32, .of.i32 = (x)})
#define WRT_I64_VAL(x) ((wrt_val){.kind = WRT_I64, .of.i64 = (x)})
#define WRT_F32_VAL(x) ((wrt_val){.kind = WRT_F32, .of.f32 = (x)})
#define WRT_F64_VAL(x) ((wrt_val){.kind = WRT_F64, .of.f64 = (x)})

/* A function signature for host functions and type queries. As an argument
** the arrays are borrowed (copied by wrt_func_new_host); from wrt_func_type
** they point into the engine. */
typedef struct wrt_functype {
  uint32_t n_params, n_results;
  const uint8_t *params, *results; /* value type codes */
} wrt_functype;

/* ------------------------------------------------------------ externs */

/* The object is borrowed from its store (valid until wrt_store_free). */
typedef struct wrt_extern {
  uint8_t kind; /* WRT_EXTERN_* */
  union {
    wrt_func *func;
    wrt_table *table;
    wrt_memory *memory;
    wrt_global *global;
  } of;
} wrt_extern;

/* Host function: reads args[0..n_params), writes results[0..n_results).
** Return WRT_TRAP_NONE, or a trap code to make the calling Wasm code trap
** (codes >= WRT_TRAP_COUNT become WRT_TRAP_HOST). args are borrowed; results
** arrive zeroed and their kinds are reset to the declared types afterwards. It
** may use wrt_call or WRT_TRY but must return (no longjmp or C++ exception out). */
typedef wrt_trap_code (*wrt_host_fn)(void *env, const wrt_val *args, wrt_val *results);

/* Creates a host function owned by the store; `type` is copied. env is kept
** and passed to every call: it must stay valid while the function may be
** called (until wrt_store_free at the latest); wrt never frees it. NULL for a
** NULL fn, an invalid value type code, or out of memory. */
wrt_func *wrt_func_new_host(wrt_store *s, const wrt_functype *type, wrt_host_fn fn, void *env);
/* The signature of any function (host or Wasm) of a store of this engine; s
** is unused. The arrays are the engine's: valid until wrt_engine_free. */
wrt_functype wrt_func_type(wrt_store *s, const wrt_func *f);

/* Host-created memories, tables and globals (as the spectest module needs),
** owned by the store.
** Memories have 32-bit indices: NULL unless min_pages <= 65536 (32768 on
** 32-bit hosts) and, with has_max, min_pages <= max_pages <= 65536. Each
** reserves 8 GiB + 64 KiB of address space on 64-bit hosts until store free. */
wrt_memory *wrt_memory_new(wrt_store *s, uint64_t min_pages, uint64_t max_pages, bool has_max);
/* Each of the min elements starts as `init`: NULL (the null reference), or a
** wrt_func * (funcref) or wrt_externref * (externref) of this store; its kind
** is not checked. NULL unless elem_type is WRT_FUNCREF or WRT_EXTERNREF, or if
** max < min (has_max) or min > 10000000 (the runtime's limit, also for growth). */
wrt_table *wrt_table_new(wrt_store *s, uint8_t elem_type, uint32_t min, uint32_t max, bool has_max,
                         void *init);
/* NULL unless type is a value type and init.kind == type. */
wrt_global *wrt_global_new(wrt_store *s, uint8_t type, bool mut, wrt_val init);

/* Memory access for hosts. The data pointer is borrowed, for
** wrt_memory_size(m) bytes, valid until the memory grows (wrt_memory_grow, or
** memory.grow in any Wasm code run since) or wrt_store_free: on 32-bit hosts
** growth may move it; 64-bit hosts never move it, but re-read it anyway. */
uint8_t *wrt_memory_data(wrt_memory *m);
uint64_t wrt_memory_size(const wrt_memory *m); /* bytes */
/* Grows by delta pages (zeroed); returns the old size in pages, or -1 past the
** declared maximum or the host's limit (4 GiB; 8 GiB + 64 KiB for memory64; 2
** GiB on 32-bit hosts) or when the host refuses. May move the data. */
int64_t wrt_memory_grow(wrt_memory *m, uint64_t delta_pages);

/* The current value (a reference in it is borrowed from the store). */
wrt_val wrt_global_get(const wrt_global *g);
wrt_err wrt_global_set(wrt_global *g, wrt_val v); /* WRT_EINVAL if immutable or wrong type */

/* get and set: WRT_EINVAL when idx >= size; set also when v.kind is not the
** element type (the reference itself is not checked: it must be of this
** store). Elements are borrowed references. */
uint32_t wrt_table_size(const wrt_table *t);
wrt_err wrt_table_get(const wrt_table *t, uint32_t idx, wrt_val *out);
wrt_err wrt_table_set(wrt_table *t, uint32_t idx, wrt_val v);

/* Host references. `data` is the embedder's; wrt never dereferences it.
** wrt_externref_new: kept in the store until wrt_store_free (each call grows
** the store; data is kept, never freed); NULL when out of memory.
** wrt_externref_data: r may be NULL (returns NULL). */
wrt_externref *wrt_externref_new(wrt_store *s, void *data);
void *wrt_externref_data(const wrt_externref *r);

/* ------------------------------------------------------------ linking and instances */

/* Owned by the caller; NULL when out of memory. The linker holds the externs
** defined in it (borrowed): use it only while their store lives. Instances keep
** no reference to it: free it any time after the last wrt_instantiate. */
wrt_linker *wrt_linker_new(wrt_store *s);
/* Frees the linker's copies of names, never the externs; may run before or
** after wrt_store_free. l may be NULL. */
void wrt_linker_free(wrt_linker *l);
/* Defines (module, name) -> ext; later definitions replace earlier ones.
** module and name are copied; ext is kept. WRT_EINVAL for a NULL argument or
** an invalid ext.kind, WRT_ENOMEM. */
wrt_err wrt_linker_define(wrt_linker *l, const char *module, const char *name, wrt_extern ext);
/* Defines every export of inst under module name `module` (names copied,
** externs kept). On an error the exports defined before it stay defined. */
wrt_err wrt_linker_define_instance(wrt_linker *l, const char *module, wrt_instance *inst);

/*
** Instantiates a compiled module: resolves and type-checks imports through the
** linker ("unknown import", "incompatible import type"), allocates memories,
** tables and globals, initialises element and data segments in order, and
** runs the start function. On WRT_ETRAP (segment out of bounds, start trapped)
** the partly initialised instance stays owned by the store, as the spec
** requires, and *out is still set. `trap` may be NULL.
** desc is kept until wrt_store_free; l (may be NULL when the module has no
** imports) is only read. *out, owned by the store, is NULL on other errors:
** WRT_EINVAL (NULL s, desc or out), WRT_EABI, WRT_ELINK, WRT_ENOMEM. diag gets
** code and message; trap is cleared, then filled on WRT_ETRAP.
*/
wrt_err wrt_instantiate(wrt_store *s, const wrt_module_desc *desc, wrt_linker *l,
                        wrt_instance **out, wrt_diag *diag, wrt_trap *trap);

/* Looks up an export by name (borrowed; names with NUL bytes cannot match);
** WRT_EINVAL if there is none. out may be NULL. */
wrt_err wrt_instance_export(wrt_instance *inst, const char *name, wrt_extern *out);
uint32_t wrt_instance_export_count(const wrt_instance *inst); /* inst may be NULL: 0 */
/* The i-th export's name and value, in module order; WRT_EINVAL if i is past
** the count. *name is the instance's NUL-terminated copy, borrowed: valid until
** wrt_store_free (cut at an embedded NUL). name and out may be NULL. */
wrt_err wrt_instance_export_at(wrt_instance *inst, uint32_t i, const char **name, wrt_extern *out);

/*
** Calls f with typed arguments (kinds must match its signature, else
** WRT_EINVAL). On a trap returns WRT_ETRAP and fills *trap (may be NULL); the
** host never crashes on a trap. Re-entrant: host functions may call wrt_call.
** f must be of store s (not checked). args are borrowed; trap is cleared first.
** A host function called directly traps with code and msg only. WRT_EINVAL
** also for a NULL s or f, or NULL args/results with nonzero counts; WRT_ENOMEM.
*/
wrt_err wrt_call(wrt_store *s, wrt_func *f, const wrt_val *args, size_t n_args, wrt_val *results,
                 size_t n_results, wrt_trap *trap);

/*
** Direct calls. Headers written by `wasm2obj --header` call compiled
** functions directly, as C functions taking the instance's vmctx. A trap in
** such a call unwinds to the innermost trap scope of the thread; with no scope
** it aborts the process. A scope is entered with WRT_TRY and must be ended
** with wrt_scope_end, on both paths, in the same function:
**
**   wrt_scope sc;
**   wrt_trap trap;
**   volatile int32_t r = 0;   // locals written inside: volatile (setjmp rules)
**   WRT_TRY(store, &sc) {
**     r = mod_add(inst, 1, 2);
**   }
**   if (wrt_scope_end(&sc, &trap) == WRT_ETRAP) ... trap.msg ...
**
** WRT_TRY expands to two statements: do not use it as the body of an
** unbraced if/else. Scopes nest (with wrt_call too). setjmp rules apply:
** keep the scope in a small function of its own, so that no local of a
** bigger one lives across it (gcc's -Wclobbered points them out).
** The wrt_scope is the caller's and must stay in place until wrt_scope_end;
** scopes end innermost first, on the thread that began them (else abort()).
** `store` must own the instances called. With no scope, a memory fault or a
** stack overflow in a direct call kills the process with SIGSEGV instead. In a
** host function, a direct call without a scope of its own unwinds past the
** host function to the thread's enclosing wrt_call or scope.
*/
typedef struct wrt_scope {
  /* The runtime's; not for embedders. */
  struct wrt_scope *prev;
  wrt_store *store;
  uintptr_t limit, saved_limit;
  uint32_t trap_code, trap_func;
  const void *trap_pc;
  const wrt_module_desc *trap_desc;
  uint32_t trap_n_pcs;
  const void *trap_pcs[16]; /* return addresses (minus one) of the Wasm frames */
  jmp_buf jb; /* plain setjmp: the fault handler restores the signal mask itself */
} wrt_scope;

/* Enters a scope (through WRT_TRY); sc is the caller's, kept until wrt_scope_end. */
void wrt_scope_begin(wrt_store *s, wrt_scope *sc);
/* Leaves the scope: WRT_OK (*trap cleared), or WRT_ETRAP with *trap filled;
** trap may be NULL. */
wrt_err wrt_scope_end(wrt_scope *sc, wrt_trap *trap);
#define WRT_TRY(s, sc)       \
  wrt_scope_begin((s), (sc)); \
  if (setjmp((sc)->jb) == 0)

/* The context compiled code of this instance takes as its first argument
** (borrowed, valid until wrt_store_free), the descriptor it was instantiated
** from, and its store. Each returns NULL for a NULL instance. */
void *wrt_instance_vmctx(const wrt_instance *inst);
const wrt_module_desc *wrt_instance_desc(const wrt_instance *inst);
wrt_store *wrt_instance_store(const wrt_instance *inst);

/* Maximum native stack (bytes) Wasm code may use below the outermost
** wrt_call; beyond it calls trap with "call stack exhausted". Default 1 MiB.
** Read when a thread's outermost wrt_call or WRT_TRY scope begins (nested ones
** keep that budget, whatever their store); the last 64 KiB of the thread's
** stack (when its bounds are known) are never given. */
void wrt_store_set_max_wasm_stack(wrt_store *s, size_t bytes);

/* ------------------------------------------------------------ interruption */

/*
** Epoch interruption: code compiled with `wasm2obj --epoch-interruption`
** checks at every loop header and at the entry of every function that calls
** out whether the engine's epoch (a counter) has reached its store's
** deadline. Once it has, the code traps with WRT_TRAP_INTERRUPTED
** ("interrupted"), or, when the store yields and the code runs on a fiber,
** suspends the fiber (wrt_fiber_resume returns as for any suspension) and
** runs on with the deadline moved that many ticks past the epoch when
** resumed. A typical embedder bumps the epoch
** from a timer thread: deadline N = stop after N to N+1 ticks. Code compiled
** without the flag never checks (the descriptor records which; see
** wrt_engine_config.epoch_interruption). A check is a load and a branch:
** the runtime keeps a flag per store that says whether its deadline has
** come (docs/USING.md has the measured overhead).
*/
/* Any thread, any time, except from a signal handler: it takes the engine's
** epoch lock and flags the stores whose deadline it reaches. */
void wrt_engine_increment_epoch(wrt_engine *e);
uint64_t wrt_engine_epoch(const wrt_engine *e);
/* The deadline: `ticks` past the engine's current epoch (UINT64_MAX: none,
** the default). Set it before calling in; reading it is the code's. */
void wrt_store_set_epoch_deadline(wrt_store *s, uint64_t ticks);
/* 0 (the default): trap at the deadline. Otherwise, on a fiber, suspend and
** then extend the deadline by `ticks` (off a fiber it still traps). */
void wrt_store_epoch_deadline_yield(wrt_store *s, uint64_t ticks);

/* ------------------------------------------------------------ fibers and async host calls */

/*
** A fiber runs one call of a function on a stack of its own (from the
** engine's allocator: a pool slot, or a mapping; fiber_stack_bytes with an
** inaccessible guard page below). A host function that Wasm calls on a
** fiber may suspend it (wrt_fiber_suspend), to wait for I/O say; the call to
** wrt_fiber_resume that ran it then returns, and the embedder resumes the
** fiber later, from its event loop, on the same thread or another (a store
** belongs to one thread at a time). Traps, stack exhaustion and guard-page
** faults on a fiber stack unwind to the fiber's call, exactly as on the
** thread's stack: wrt_fiber_resume reports them. The Wasm stack budget on a
** fiber is the store's max_wasm_stack within the fiber's stack.
**
**   wrt_fiber *fb = wrt_fiber_new(s, f, args, n_args, n_results, &diag);
**   bool done = false;
**   while (!done && wrt_fiber_resume(fb, &done, results, &trap) == WRT_OK)
**     if (!done) wait_for_what_the_host_function_asked();
**   wrt_fiber_free(fb);
**
** The switch is a few instructions (libwrt-rt/arch/<cpu>.S): no system call,
** no signal mask. Owned by the caller; s is kept (free fibers before their
** store).
*/
typedef struct wrt_fiber wrt_fiber;

/* A fiber that will call f with a copy of args (n_args and n_results must
** be f's); nothing runs until wrt_fiber_resume. NULL with diag set on a
** wrong arity or when no stack is available (pooled: "fiber_stacks"). */
wrt_fiber *wrt_fiber_new(wrt_store *s, wrt_func *f, const wrt_val *args, size_t n_args,
                         size_t n_results, wrt_diag *diag);
/* Runs fb until its function returns, traps, or a host function suspends
** it. Suspended: WRT_OK with *done false. Finished: *done true and WRT_OK
** with results filled (n_results values; may be NULL), or WRT_ETRAP with
** *trap filled. WRT_EINVAL for a fiber that is running or finished. done,
** results and trap may be NULL. */
wrt_err wrt_fiber_resume(wrt_fiber *fb, bool *done, wrt_val *results, wrt_trap *trap);
/* From a host function running on a fiber: switches back to the resumer;
** returns WRT_OK when the fiber is resumed (the host function then returns
** its results to Wasm as usual). WRT_EINVAL when not on a fiber (nothing
** happens). */
wrt_err wrt_fiber_suspend(void);
/* The fiber the calling thread runs on, or NULL. */
wrt_fiber *wrt_fiber_self(void);
/* Frees a fiber that is not running: new, finished, or suspended (its stack
** and every frame on it are dropped; the host function that suspended never
** returns). fb may be NULL. */
void wrt_fiber_free(wrt_fiber *fb);


/* ------------------------------------------------------------ WASI preview 1 (libwrt-rt/wasi/) */

/*
** A WASI context: arguments, environment, preopened directories and sockets,
** the fd table, and the exit status. It implements every function of
** `wasi_snapshot_preview1` as host functions. Sandbox: paths resolve only
** below a preopened directory; `..`, absolute paths and symlinks can never
** leave it; rights are honoured; host errno values map to WASI errnos.
**
**   wrt_wasi_config c = {.argc = argc, .argv = argv, .n_dirs = 1, .use_default_stdio = true,
**                        .dir_host = (const char *[]){"."}, .dir_guest = (const char *[]){"."}};
**   wrt_wasi *w = wrt_wasi_new(&c, &diag);
**   wrt_wasi_define(w, store, linker);           // wasi_snapshot_preview1.*
**   wrt_instantiate(store, &prog__module, linker, &inst, &diag, &trap);
**   wrt_wasi_bind(w, inst, &diag);               // the instance's "memory" export
**   int status;
**   wrt_wasi_run(w, store, inst, &status, &trap); // _start; proc_exit(n) gives status n
**
** A context is owned by the caller (wrt_wasi_free) and, like a store, belongs
** to one thread at a time. It serves one bound memory at a time.
*/
typedef struct wrt_wasi wrt_wasi;

/* Read only by wrt_wasi_new: argv, env and guest names are copied, host
** directories opened. dir_guest may be NULL (or hold NULLs): the host path is
** then the guest name. The socket and stdio fds are borrowed for the context's
** life and never closed by wrt. */
typedef struct wrt_wasi_config {
  int argc;                 /* arguments the program sees; argv[0] is its name */
  const char *const *argv;
  int n_env;                /* "KEY=VALUE" strings, in order */
  const char *const *env;
  uint32_t n_dirs;          /* preopened directories: host path -> guest name */
  const char *const *dir_host;
  const char *const *dir_guest;
  uint32_t n_sockets;       /* already-open host socket fds handed to the program */
  const int *socket_fds;    /* (listening or connected), after the preopened dirs */
  int stdio[3];             /* host fds for WASI fds 0, 1, 2; -1 = closed. Zero-initialised
                               config: set use_default_stdio to inherit 0, 1, 2
                               (else all three are host fd 0). */
  bool use_default_stdio;
} wrt_wasi_config;

/* Opens the preopened directories; NULL with diag (may be NULL) set if one
** cannot be opened or a socket fd is unusable (WRT_EINVAL), for an invalid
** config (WRT_EINVAL) or when out of memory (WRT_ENOMEM). */
wrt_wasi *wrt_wasi_new(const wrt_wasi_config *cfg, wrt_diag *diag);
/* Closes every fd the context opened (preopens, files and sockets the program
** opened; not the inherited stdio or sockets). Free the stores whose WASI
** functions use w first (or never call them again). w may be NULL. */
void wrt_wasi_free(wrt_wasi *w);
/* Defines every wasi_snapshot_preview1 function in the linker, as host
** functions owned by s. The context must outlive the store's use of them
** (w is kept as their env). Each call makes new functions; on WRT_ENOMEM those
** made so far stay in s and l. WRT_EINVAL for a NULL argument. */
wrt_err wrt_wasi_define(wrt_wasi *w, wrt_store *s, wrt_linker *l);
/* Points the context at the instance's exported "memory" (WRT_ELINK if none),
** kept until the next bind. Before the first bind every guest pointer gives
** WASI_EFAULT, also in a start function (it runs inside wrt_instantiate, so
** before any bind of its instance). diag may be NULL. */
wrt_err wrt_wasi_bind(wrt_wasi *w, wrt_instance *inst, wrt_diag *diag);
/*
** Runs a command: calls the export `_start`. *status is 0 when _start
** returns, n when the program called proc_exit(n). Returns WRT_ETRAP (with
** *trap filled) when it trapped, WRT_EINVAL when there is no `_start`.
** WRT_EINVAL (nothing run) also when _start is not () -> (). status and trap
** may be NULL; after proc_exit *trap is a cleared record (code WRT_TRAP_NONE).
*/
wrt_err wrt_wasi_run(wrt_wasi *w, wrt_store *s, wrt_instance *inst, int *status, wrt_trap *trap);
/* Initializes a reactor: calls `_initialize` if exported (WRT_OK if absent;
** WRT_EINVAL if it is not () -> ()). trap may be NULL. A proc_exit in it
** returns WRT_OK: wrt_wasi_exit_status tells. */
wrt_err wrt_wasi_initialize(wrt_wasi *w, wrt_store *s, wrt_instance *inst, wrt_trap *trap);
/* After a WRT_TRAP_EXIT trap: true and the status passed to proc_exit. Stays
** true until the next wrt_wasi_run or wrt_wasi_initialize (also after a
** proc_exit in an embedder's wrt_call). status may be NULL. */
bool wrt_wasi_exit_status(const wrt_wasi *w, int *status);

/*
** The `main` of executables made by `wasm2obj --exe`: instantiates desc with
** WASI, runs `_start` with the process's arguments and returns its status
** (main returns it). desc, argv and opts are borrowed; it makes and frees its
** own engine, store, linker and context.
** `opts` is a NULL-terminated list baked in at compile time:
**   "--dir=HOST[::GUEST]"  preopen HOST (resolved at run time) as GUEST
**   "--env=K=V"            add an environment variable
**   "--no-inherit-env"     do not pass the host environment (default: passed)
** A trap prints "wrt: trap: MSG" with the Wasm function and a backtrace to
** stderr and returns WRT_WASI_TRAP_STATUS; setup errors (a preopen that
** cannot be opened, a missing import, no memory export) print
** "wrt: error: ..." and return 1. Otherwise it returns the program's status.
*/
#define WRT_WASI_TRAP_STATUS 134
int wrt_wasi_main(const wrt_module_desc *desc, int argc, char **argv, const char *const *opts);

#ifdef __cplusplus
}
#endif
#endif
