/*
** host_util.c: the test_host fixture (engine, store, linker) and export
** lookup and call helpers that fail the running case on any surprise, so
** that the cases can stay about values. No assertions about behaviour here.
*/
#include "host.h"

bool host_env_init(host_env *h) {
  h->e = wrt_engine_new();
  h->s = h->e ? wrt_store_new(h->e) : NULL;
  h->l = h->s ? wrt_linker_new(h->s) : NULL;
  return T_CHECK(h->l != NULL);
}

void host_env_fini(host_env *h) {
  wrt_linker_free(h->l);
  wrt_store_free(h->s);
  wrt_engine_free(h->e);
}

wrt_instance *host_inst(host_env *h, const wrt_module_desc *desc) {
  wrt_instance *inst = NULL;
  wrt_diag diag = {0};
  wrt_trap trap;
  wrt_err err = wrt_instantiate(h->s, desc, h->l, &inst, &diag, &trap);
  if (!T_EQ_U64(err, WRT_OK)) {
    T_FAIL("instantiating %.*s: %s (trap: %s)", (int)desc->name.len, desc->name.ptr, diag.msg,
           err == WRT_ETRAP ? trap.msg : "-");
    return NULL;
  }
  return inst;
}

static bool get_export(wrt_instance *inst, const char *name, uint8_t kind, wrt_extern *out) {
  if (!inst)
    return false;
  if (wrt_instance_export(inst, name, out) != WRT_OK || out->kind != kind)
    return T_FAIL("no export \"%s\" of kind %u", name, kind);
  return true;
}

wrt_func *host_func(wrt_instance *inst, const char *name) {
  wrt_extern x;
  return get_export(inst, name, WRT_EXTERN_FUNC, &x) ? x.of.func : NULL;
}

wrt_global *host_global(wrt_instance *inst, const char *name) {
  wrt_extern x;
  return get_export(inst, name, WRT_EXTERN_GLOBAL, &x) ? x.of.global : NULL;
}

wrt_table *host_table(wrt_instance *inst, const char *name) {
  wrt_extern x;
  return get_export(inst, name, WRT_EXTERN_TABLE, &x) ? x.of.table : NULL;
}

wrt_memory *host_memory(wrt_instance *inst, const char *name) {
  wrt_extern x;
  return get_export(inst, name, WRT_EXTERN_MEMORY, &x) ? x.of.memory : NULL;
}

wrt_val host_call1(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                   size_t n_args, uint8_t kind) {
  wrt_val res = {0};
  wrt_trap trap;
  wrt_func *f = host_func(inst, name);
  if (!f)
    return (wrt_val){.kind = kind};
  wrt_err err = wrt_call(h->s, f, args, n_args, &res, 1, &trap);
  if (!T_EQ_U64(err, WRT_OK)) {
    T_FAIL("calling %s: %s", name, err == WRT_ETRAP ? trap.msg : wrt_err_str(err));
    return (wrt_val){.kind = kind};
  }
  if (!T_EQ_U64(res.kind, kind))
    T_FAIL("result kind of %s", name);
  return res;
}

bool host_call0(host_env *h, wrt_instance *inst, const char *name, const wrt_val *args,
                size_t n_args) {
  wrt_trap trap;
  wrt_func *f = host_func(inst, name);
  if (!f)
    return false;
  wrt_err err = wrt_call(h->s, f, args, n_args, NULL, 0, &trap);
  if (!T_EQ_U64(err, WRT_OK))
    return T_FAIL("calling %s: %s", name, err == WRT_ETRAP ? trap.msg : wrt_err_str(err));
  return true;
}
