/*
** host.h: shared by the test_host*.c files, which drive modules compiled by
** our own wasm2obj (test/host/<stem>.wat defines <stem>__module) through
** libwrt-rt's public API only, as an embedder would. This header holds the
** fixture and small lookup/call helpers; the cases live in host_traps.c,
** host_refs.c and host_multi.c.
*/
#ifndef HOST_H
#define HOST_H

#include "t.h"
#include "wrt.h"

/* The descriptors the Makefile builds from test/host/<stem>.wat. */
extern const wrt_module_desc traps__module;
extern const wrt_module_desc refs_a__module;
extern const wrt_module_desc refs_b__module;
extern const wrt_module_desc refs_imp__module;
extern const wrt_module_desc refs_bad__module;
extern const wrt_module_desc multi__module;
extern const wrt_module_desc tblhost__module;
extern const wrt_module_desc bigframe__module; /* generated: test/hostile/gen_hostile.c */

/* Guard-page traps need the runtime's own SIGSEGV handler, which ASan
** replaces with its own; those cases are skipped under ASan. */
#if defined(__has_feature)
#define HOST_HAS_FEATURE(x) __has_feature(x)
#else
#define HOST_HAS_FEATURE(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || HOST_HAS_FEATURE(address_sanitizer)
#define HOST_ASAN 1
#else
#define HOST_ASAN 0
#endif

#define HOST_EXTERNREF_VAL(r) ((wrt_val){.kind = WRT_EXTERNREF, .of.externref = (r)})
#define HOST_FUNCREF_VAL(f) ((wrt_val){.kind = WRT_FUNCREF, .of.funcref = (f)})

/* One engine, store and (empty) linker per case. */
typedef struct host_env {
  wrt_engine *e;
  wrt_store *s;
  wrt_linker *l;
} host_env;

/* Both fail the case (and return false / NULL) when something is missing. */
bool host_env_init(host_env *h);
void host_env_fini(host_env *h);
/* Instantiates desc with h's linker; NULL (the case failed) on any error. */
wrt_instance *host_inst(host_env *h, const wrt_module_desc *desc);

/* The export `name` of the given kind, or NULL (the case failed). */
wrt_func *host_func(wrt_instance *inst, const char *name);
wrt_global *host_global(wrt_instance *inst, const char *name);
wrt_table *host_table(wrt_instance *inst, const char *name);
wrt_memory *host_memory(wrt_instance *inst, const char *name);

/* Calls export `name` expecting WRT_OK and one result of type `kind`; the
** case fails otherwise. Returns the result (a zero value on failure). */
wrt_val host_call1(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                   size_t n_args, uint8_t kind);
/* Calls export `name` (no results) expecting WRT_OK. */
bool host_call0(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                size_t n_args);

#endif
