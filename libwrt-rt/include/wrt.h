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
**   if (wrt_instantiate(s, &fac__module, l, &inst, &err) != WRT_OK) ...
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
** Threads: a store and everything in it belong to one thread at a time.
*/
#ifndef WRT_H
#define WRT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wrt_abi.h"

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

/* A short error text (wrt_err_str) plus detail. */
typedef struct wrt_diag {
  wrt_err code;
  char msg[256]; /* e.g. "unknown import: spectest.print_i64" or
                    "incompatible import type: env.f expects (i32) -> ()" */
} wrt_diag;

const char *wrt_err_str(wrt_err code);

/* Spec wording for each trap ("integer divide by zero", ...). */
const char *wrt_trap_str(wrt_trap_code code);

/* Backtrace depth kept in a trap (innermost Wasm frames first). */
#define WRT_TRAP_FRAMES 16

/* A trap's details: code, message, the Wasm function it happened in
** (func_idx and name, when known; UINT32_MAX / empty otherwise), and the Wasm
** call stack at the trap: frames[0] is that function, then its callers. */
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
** the full text needs, like snprintf. */
size_t wrt_trap_format(const wrt_trap *t, char *buf, size_t n);

/* ------------------------------------------------------------ objects */

typedef struct wrt_engine wrt_engine;     /* signature interning; shareable by stores */
typedef struct wrt_store wrt_store;       /* owns instances and host objects */
typedef struct wrt_instance wrt_instance;
typedef struct wrt_memory wrt_memory;
typedef struct wrt_table wrt_table;
typedef struct wrt_global wrt_global;
typedef struct wrt_linker wrt_linker;     /* (module, name) -> extern, for imports */
/* Functions are funcref records; a wrt_func* is usable as a funcref value. */
typedef wrt_funcref wrt_func;
/* Host references: reference counting arrives with the GC issue; today the
** store never frees them and Wasm only passes them around. */
typedef struct wrt_externref wrt_externref;

wrt_engine *wrt_engine_new(void);
void wrt_engine_free(wrt_engine *e);
wrt_store *wrt_store_new(wrt_engine *e);
/* Frees everything the store owns. Pointers obtained from it become invalid. */
void wrt_store_free(wrt_store *s);

/* ------------------------------------------------------------ values */

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

/* A function signature for host functions and type queries. */
typedef struct wrt_functype {
  uint32_t n_params, n_results;
  const uint8_t *params, *results; /* value type codes */
} wrt_functype;

/* ------------------------------------------------------------ externs */

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
** Return WRT_TRAP_NONE, or a trap code to make the calling Wasm code trap. */
typedef wrt_trap_code (*wrt_host_fn)(void *env, const wrt_val *args, wrt_val *results);

/* Creates a host function owned by the store; `type` is copied. */
wrt_func *wrt_func_new_host(wrt_store *s, const wrt_functype *type, wrt_host_fn fn, void *env);
/* The signature of any function (host or Wasm). Valid as long as the store. */
wrt_functype wrt_func_type(wrt_store *s, const wrt_func *f);

/* Host-created memories, tables and globals (as the spectest module needs). */
wrt_memory *wrt_memory_new(wrt_store *s, uint64_t min_pages, uint64_t max_pages, bool has_max);
wrt_table *wrt_table_new(wrt_store *s, uint8_t elem_type, uint32_t min, uint32_t max, bool has_max,
                         void *init);
wrt_global *wrt_global_new(wrt_store *s, uint8_t type, bool mut, wrt_val init);

/* Memory access for hosts. */
uint8_t *wrt_memory_data(wrt_memory *m);
uint64_t wrt_memory_size(const wrt_memory *m); /* bytes */
/* Grows by delta pages; returns the old size in pages, or -1. */
int64_t wrt_memory_grow(wrt_memory *m, uint64_t delta_pages);

wrt_val wrt_global_get(const wrt_global *g);
wrt_err wrt_global_set(wrt_global *g, wrt_val v); /* WRT_EINVAL if immutable or wrong type */

uint32_t wrt_table_size(const wrt_table *t);
wrt_err wrt_table_get(const wrt_table *t, uint32_t idx, wrt_val *out);
wrt_err wrt_table_set(wrt_table *t, uint32_t idx, wrt_val v);

/* Host references. `data` is the embedder's; wrt never dereferences it. */
wrt_externref *wrt_externref_new(wrt_store *s, void *data);
void *wrt_externref_data(const wrt_externref *r);

/* ------------------------------------------------------------ linking and instances */

wrt_linker *wrt_linker_new(wrt_store *s);
void wrt_linker_free(wrt_linker *l);
/* Defines (module, name) -> ext; later definitions replace earlier ones. */
wrt_err wrt_linker_define(wrt_linker *l, const char *module, const char *name, wrt_extern ext);
/* Defines every export of inst under module name `module`. */
wrt_err wrt_linker_define_instance(wrt_linker *l, const char *module, wrt_instance *inst);

/*
** Instantiates a compiled module: resolves and type-checks imports through the
** linker ("unknown import", "incompatible import type"), allocates memories,
** tables and globals, initialises element and data segments in order, and
** runs the start function. On WRT_ETRAP (segment out of bounds, start trapped)
** the partly initialised instance stays owned by the store, as the spec
** requires, and *out is still set. `trap` may be NULL.
*/
wrt_err wrt_instantiate(wrt_store *s, const wrt_module_desc *desc, wrt_linker *l,
                        wrt_instance **out, wrt_diag *diag, wrt_trap *trap);

/* Looks up an export by name; WRT_EINVAL if there is none. */
wrt_err wrt_instance_export(wrt_instance *inst, const char *name, wrt_extern *out);
uint32_t wrt_instance_export_count(const wrt_instance *inst);
/* The i-th export's name and value, in module order. */
wrt_err wrt_instance_export_at(wrt_instance *inst, uint32_t i, const char **name, wrt_extern *out);

/*
** Calls f with typed arguments (kinds must match its signature, else
** WRT_EINVAL). On a trap returns WRT_ETRAP and fills *trap (may be NULL); the
** host never crashes on a trap. Re-entrant: host functions may call wrt_call.
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

void wrt_scope_begin(wrt_store *s, wrt_scope *sc);
/* Leaves the scope: WRT_OK, or WRT_ETRAP with *trap (may be NULL) filled. */
wrt_err wrt_scope_end(wrt_scope *sc, wrt_trap *trap);
#define WRT_TRY(s, sc)       \
  wrt_scope_begin((s), (sc)); \
  if (setjmp((sc)->jb) == 0)

/* The context compiled code of this instance takes as its first argument, and
** the descriptor it was instantiated from. */
void *wrt_instance_vmctx(const wrt_instance *inst);
const wrt_module_desc *wrt_instance_desc(const wrt_instance *inst);
wrt_store *wrt_instance_store(const wrt_instance *inst);

/* Maximum native stack (bytes) Wasm code may use below the outermost
** wrt_call; beyond it calls trap with "call stack exhausted". Default 1 MiB. */
void wrt_store_set_max_wasm_stack(wrt_store *s, size_t bytes);


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
*/
typedef struct wrt_wasi wrt_wasi;

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
                               config: set use_default_stdio to inherit 0, 1, 2. */
  bool use_default_stdio;
} wrt_wasi_config;

/* Opens the preopened directories; NULL with diag set if one cannot be opened. */
wrt_wasi *wrt_wasi_new(const wrt_wasi_config *cfg, wrt_diag *diag);
/* Closes every fd the context opened (not the inherited stdio or sockets). */
void wrt_wasi_free(wrt_wasi *w);
/* Defines every wasi_snapshot_preview1 function in the linker, as host
** functions owned by s. The context must outlive the store's use of them. */
wrt_err wrt_wasi_define(wrt_wasi *w, wrt_store *s, wrt_linker *l);
/* Points the context at the instance's exported "memory" (WRT_ELINK if none). */
wrt_err wrt_wasi_bind(wrt_wasi *w, wrt_instance *inst, wrt_diag *diag);
/*
** Runs a command: calls the export `_start`. *status is 0 when _start
** returns, n when the program called proc_exit(n). Returns WRT_ETRAP (with
** *trap filled) when it trapped, WRT_EINVAL when there is no `_start`.
*/
wrt_err wrt_wasi_run(wrt_wasi *w, wrt_store *s, wrt_instance *inst, int *status, wrt_trap *trap);
/* Initializes a reactor: calls `_initialize` if exported (WRT_OK if absent). */
wrt_err wrt_wasi_initialize(wrt_wasi *w, wrt_store *s, wrt_instance *inst, wrt_trap *trap);
/* After a WRT_TRAP_EXIT trap: true and the status passed to proc_exit. */
bool wrt_wasi_exit_status(const wrt_wasi *w, int *status);

/*
** The `main` of executables made by `wasm2obj --exe`: instantiates desc with
** WASI, runs `_start` with the process's arguments and exits with its status.
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
