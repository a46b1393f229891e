/*
** global.c: global objects (host-created ones with their own storage, and
** wrappers of an instance's vmctx slots made by instance.c) and the
** conversions between typed values (wrt_val) and 16-byte slots (wrt_raw)
** used by calls, globals and tables.
*/
#include <string.h>

#include "rt_internal.h"

bool wrt_valtype_ok(uint8_t t) {
  switch (t) {
  case WRT_I32:
  case WRT_I64:
  case WRT_F32:
  case WRT_F64:
  case WRT_V128:
  case WRT_FUNCREF:
  case WRT_EXTERNREF: return true;
  }
  return false;
}

/* Slots are zeroed first so that unused bytes never leak stale data into
** compiled code (and comparisons of whole slots are meaningful). */
wrt_raw wrt_val_to_raw(const wrt_val *v) {
  wrt_raw r;
  memset(&r, 0, sizeof r);
  switch (v->kind) {
  case WRT_I32: r.i32 = v->of.i32; break;
  case WRT_I64: r.i64 = v->of.i64; break;
  case WRT_F32: r.f32 = v->of.f32; break;
  case WRT_F64: r.f64 = v->of.f64; break;
  case WRT_V128: memcpy(r.v128, v->of.v128, 16); break;
  case WRT_FUNCREF: r.ref = v->of.funcref; break;
  case WRT_EXTERNREF: r.ref = v->of.externref; break;
  }
  return r;
}

wrt_val wrt_raw_to_val(const wrt_raw *r, uint8_t kind) {
  wrt_val v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  switch (kind) {
  case WRT_I32: v.of.i32 = r->i32; break;
  case WRT_I64: v.of.i64 = r->i64; break;
  case WRT_F32: v.of.f32 = r->f32; break;
  case WRT_F64: v.of.f64 = r->f64; break;
  case WRT_V128: memcpy(v.of.v128, r->v128, 16); break;
  case WRT_FUNCREF: v.of.funcref = r->ref; break;
  case WRT_EXTERNREF: v.of.externref = r->ref; break;
  }
  return v;
}

wrt_global *wrt_global_new(wrt_store *s, uint8_t type, bool mut, wrt_val init) {
  if (!s || !wrt_valtype_ok(type) || init.kind != type)
    return NULL;
  wrt_global *g = wrt_calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->type = type;
  g->mut = mut;
  g->own = wrt_val_to_raw(&init);
  g->storage = &g->own;
  if (!wrt_ptrvec_push(&s->globals, g)) {
    wrt_free(g, sizeof *g);
    return NULL;
  }
  return g;
}

wrt_val wrt_global_get(const wrt_global *g) {
  return wrt_raw_to_val(g->storage, g->type);
}

wrt_err wrt_global_set(wrt_global *g, wrt_val v) {
  if (!g->mut || v.kind != g->type)
    return WRT_EINVAL;
  *g->storage = wrt_val_to_raw(&v);
  return WRT_OK;
}
