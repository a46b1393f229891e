/*
** func.c: host functions: their records, the signature query for any
** function, and wrt_rt_host_call, the libcall through which compiled code
** (via a module's exit trampoline) reaches a host function. Calls from the
** embedder (wrt_call) live in call.c.
*/
#include <string.h>

#include "rt_internal.h"

/* Host signatures up to this many values convert without allocating. */
#define SMALL_VALS 16

static bool functype_ok(const wrt_functype *t) {
  for (uint32_t i = 0; i < t->n_params; i++)
    if (!wrt_valtype_ok(t->params[i]))
      return false;
  for (uint32_t i = 0; i < t->n_results; i++)
    if (!wrt_valtype_ok(t->results[i]))
      return false;
  return true;
}

/*
** Gives host functions that still lack `code` the exit trampoline of the
** same signature from a module's type section (every type has one, whether
** or not the module imports a function of it). Trampolines depend only on
** the signature, so any module's will do; this lets a host function be called
** through a table (call_indirect, call_ref): a module that can call it there
** has its type, so it has the trampoline.
*/
static void adopt_one(wrt_host_func *hf, const wrt_module_desc *d, const uintptr_t *type_ids) {
  for (uint32_t t = 0; !hf->rec.code && t < d->n_types; t++)
    if (type_ids[t] == hf->rec.type_id)
      hf->rec.code = (void *)(uintptr_t)d->types[t].exit_tramp;
}

void wrt_host_funcs_adopt(wrt_store *s, const wrt_module_desc *d, const uintptr_t *type_ids) {
  for (size_t h = 0; h < s->host_funcs.n; h++)
    adopt_one(s->host_funcs.v[h], d, type_ids);
}

/* A host function made after the instances that could call it. */
static void adopt_from_instances(wrt_store *s, wrt_host_func *hf) {
  for (size_t i = 0; !hf->rec.code && i < s->instances.n; i++) {
    const wrt_instance *inst = s->instances.v[i];
    adopt_one(hf, inst->desc, wrt_instance_type_ids(inst));
  }
}

wrt_func *wrt_func_new_host(wrt_store *s, const wrt_functype *type, wrt_host_fn fn, void *env) {
  if (!s || !type || !fn || !functype_ok(type))
    return NULL;
  uintptr_t id =
      wrt_engine_intern(s->engine, type->n_params, type->params, type->n_results, type->results);
  if (!id)
    return NULL;
  wrt_host_func *hf = wrt_calloc(1, sizeof *hf);
  if (!hf)
    return NULL;
  hf->ctx.fn = fn;
  hf->ctx.env = env;
  hf->ctx.sig = wrt_sig_of(id);
  hf->rec.type_id = id;
  hf->rec.vmctx = &hf->ctx;
  /* rec.code: the exit trampoline of this signature from a module of the
  ** store, now or when one arrives (wrt_host_funcs_adopt); rec.entry stays
  ** NULL. */
  if (!wrt_ptrvec_push(&s->host_funcs, hf)) {
    wrt_free(hf, sizeof *hf);
    return NULL;
  }
  adopt_from_instances(s, hf);
  return &hf->rec;
}

wrt_functype wrt_func_type(wrt_store *s, const wrt_func *f) {
  (void)s; /* type ids are engine-wide and self-describing */
  const wrt_sig *sig = wrt_sig_of(f->type_id);
  wrt_functype t = {sig->n_params, sig->n_results, sig->types, sig->types + sig->n_params};
  return t;
}

wrt_trap_code wrt_host_invoke(const wrt_host_ctx *c, const wrt_val *args, wrt_val *results) {
  const wrt_sig *sig = c->sig;
  /* Results start as zero values of the declared types, so a host function
  ** that forgets one still yields a well-typed value. */
  for (uint32_t i = 0; i < sig->n_results; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].kind = sig->types[sig->n_params + i];
  }
  wrt_trap_code code = c->fn(c->env, args, results);
  if (code == WRT_TRAP_NONE)
    for (uint32_t i = 0; i < sig->n_results; i++)
      results[i].kind = sig->types[sig->n_params + i];
  else if ((unsigned)code >= WRT_TRAP_COUNT)
    code = WRT_TRAP_HOST;
  return code;
}

void wrt_rt_host_call(void *host_ctx, void *array) {
  wrt_raw *args_results = array;
  const wrt_host_ctx *c = host_ctx;
  const wrt_sig *sig = c->sig;
  size_t n = (size_t)sig->n_params + sig->n_results;
  wrt_val small[SMALL_VALS], *vals = small;
  if (n > SMALL_VALS && !(vals = wrt_calloc(n, sizeof *vals)))
    wrt_trap_raise(WRT_TRAP_HOST, NULL, UINT32_MAX, NULL);
  for (uint32_t i = 0; i < sig->n_params; i++)
    vals[i] = wrt_raw_to_val(&args_results[i], sig->types[i]);
  wrt_trap_code code = wrt_host_invoke(c, vals, vals + sig->n_params);
  for (uint32_t i = 0; code == WRT_TRAP_NONE && i < sig->n_results; i++)
    args_results[i] = wrt_val_to_raw(&vals[sig->n_params + i]);
  if (vals != small)
    wrt_free(vals, n * sizeof *vals);
  if (code != WRT_TRAP_NONE)
    wrt_trap_raise(code, NULL, UINT32_MAX, NULL);
}
