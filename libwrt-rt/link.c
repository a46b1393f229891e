/*
** link.c: the linker, a (module, name) -> extern map, and import resolution:
** finding each import of a descriptor and checking that the extern found has
** a compatible type ("unknown import", "incompatible import type"). Storing
** the resolved externs into an instance is instance.c's job.
*/
#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

/* One definition. Module and name keep explicit lengths (Wasm names may
** contain NUL); both are copied into one block, each NUL-terminated. */
typedef struct link_entry {
  char *key; /* module, NUL, name, NUL */
  uint32_t module_len, name_len, hash;
  wrt_extern ext;
} link_entry;

/* Open addressing with linear probing; entries are never removed (a later
** definition replaces the extern in place). */
struct wrt_linker {
  wrt_store *store;
  link_entry *slots;
  size_t cap, count;
};

static uint32_t key_hash(const char *m, size_t mlen, const char *n, size_t nlen) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < mlen; i++)
    h = (h ^ (uint8_t)m[i]) * 16777619u;
  h = (h ^ 0xffu) * 16777619u; /* separator: ("ab","c") != ("a","bc") */
  for (size_t i = 0; i < nlen; i++)
    h = (h ^ (uint8_t)n[i]) * 16777619u;
  return h;
}

static bool key_equal(const link_entry *e, const char *m, size_t mlen, const char *n, size_t nlen) {
  return e->module_len == mlen && e->name_len == nlen && !memcmp(e->key, m, mlen) &&
         !memcmp(e->key + mlen + 1, n, nlen);
}

wrt_linker *wrt_linker_new(wrt_store *s) {
  wrt_linker *l = wrt_calloc(1, sizeof *l);
  if (l)
    l->store = s;
  return l;
}

void wrt_linker_free(wrt_linker *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->cap; i++)
    if (l->slots[i].key)
      wrt_free(l->slots[i].key, (size_t)l->slots[i].module_len + l->slots[i].name_len + 2);
  wrt_free(l->slots, l->cap * sizeof *l->slots);
  wrt_free(l, sizeof *l);
}

static link_entry *find_slot(link_entry *slots, size_t cap, uint32_t h, const char *m, size_t mlen,
                             const char *n, size_t nlen) {
  size_t j = h & (cap - 1);
  while (slots[j].key && !(slots[j].hash == h && key_equal(&slots[j], m, mlen, n, nlen)))
    j = (j + 1) & (cap - 1);
  return &slots[j];
}

static bool linker_rehash(wrt_linker *l) {
  size_t cap = l->cap ? l->cap * 2 : 32;
  link_entry *slots = wrt_calloc(cap, sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < l->cap; i++) {
    link_entry *e = &l->slots[i];
    if (e->key)
      *find_slot(slots, cap, e->hash, e->key, e->module_len, e->key + e->module_len + 1,
                 e->name_len) = *e;
  }
  wrt_free(l->slots, l->cap * sizeof *l->slots);
  l->slots = slots;
  l->cap = cap;
  return true;
}

static wrt_err linker_put(wrt_linker *l, const char *m, size_t mlen, const char *n, size_t nlen,
                          wrt_extern ext) {
  if (mlen > UINT32_MAX - 2 || nlen > UINT32_MAX - 2)
    return WRT_EINVAL;
  if ((l->count + 1) * 2 > l->cap && !linker_rehash(l))
    return WRT_ENOMEM;
  uint32_t h = key_hash(m, mlen, n, nlen);
  link_entry *e = find_slot(l->slots, l->cap, h, m, mlen, n, nlen);
  if (!e->key) {
    char *key = wrt_calloc(mlen + nlen + 2, 1);
    if (!key)
      return WRT_ENOMEM;
    memcpy(key, m, mlen);
    memcpy(key + mlen + 1, n, nlen);
    e->key = key;
    e->module_len = (uint32_t)mlen;
    e->name_len = (uint32_t)nlen;
    e->hash = h;
    l->count++;
  }
  e->ext = ext;
  return WRT_OK;
}

wrt_err wrt_linker_define(wrt_linker *l, const char *module, const char *name, wrt_extern ext) {
  if (!l || !module || !name || ext.kind > WRT_EXTERN_GLOBAL || !ext.of.func)
    return WRT_EINVAL;
  return linker_put(l, module, strlen(module), name, strlen(name), ext);
}

wrt_err wrt_linker_define_instance(wrt_linker *l, const char *module, wrt_instance *inst) {
  if (!l || !module || !inst)
    return WRT_EINVAL;
  const wrt_module_desc *d = inst->desc;
  for (uint32_t i = 0; i < d->n_exports; i++) {
    wrt_extern ext;
    wrt_err err = wrt_instance_export_at(inst, i, NULL, &ext);
    if (err == WRT_OK)
      err = linker_put(l, module, strlen(module), d->exports[i].name.ptr, d->exports[i].name.len,
                       ext);
    if (err != WRT_OK)
      return err;
  }
  return WRT_OK;
}

static const link_entry *linker_get(const wrt_linker *l, wrt_name m, wrt_name n) {
  if (!l || !l->count)
    return NULL;
  const link_entry *e =
      find_slot(l->slots, l->cap, key_hash(m.ptr, m.len, n.ptr, n.len), m.ptr, m.len, n.ptr, n.len);
  return e->key ? e : NULL;
}

/* ------------------------------------------------------------ import types */

/* spec: import subtyping of limits: at least the declared minimum, and a
** maximum no larger than the declared one when one is declared. */
static bool limits_match(uint64_t min, bool has_max, uint64_t max, const wrt_limits_desc *want) {
  return min >= want->min && (!want->has_max || (has_max && max <= want->max));
}

static void fmt_limits(char *buf, size_t size, uint64_t min, bool has_max, uint64_t max) {
  if (has_max)
    snprintf(buf, size, "%llu..%llu", (unsigned long long)min, (unsigned long long)max);
  else
    snprintf(buf, size, "%llu..", (unsigned long long)min);
}

static const char *kind_str(uint8_t kind) {
  static const char *const names[] = {"func", "table", "memory", "global"};
  return kind <= WRT_EXTERN_GLOBAL ? names[kind] : "?";
}

/* Describes what the import declares. */
static void describe_import(const wrt_module_desc *d, const wrt_import_desc *imp,
                            const uintptr_t *type_ids, char *buf, size_t size) {
  char lim[64], sig[160];
  switch (imp->kind) {
  case WRT_EXTERN_FUNC:
    wrt_sig_format(wrt_sig_of(type_ids[d->funcs[imp->index].type_idx]), sig, sizeof sig);
    snprintf(buf, size, "func %s", sig);
    return;
  case WRT_EXTERN_TABLE: {
    const wrt_table_desc *t = &d->tables[imp->index];
    fmt_limits(lim, sizeof lim, t->lim.min, t->lim.has_max, t->lim.max);
    snprintf(buf, size, "table %s %s", wrt_valtype_str(t->elem_type), lim);
    return;
  }
  case WRT_EXTERN_MEMORY: {
    const wrt_limits_desc *m = &d->memories[imp->index];
    fmt_limits(lim, sizeof lim, m->min, m->has_max, m->max);
    snprintf(buf, size, "memory%s %s", m->is64 ? " i64" : "", lim);
    return;
  }
  default: {
    const wrt_global_desc *g = &d->globals[imp->index];
    snprintf(buf, size, "global %s%s", g->mut ? "mut " : "", wrt_valtype_str(g->type));
    return;
  }
  }
}

/* Describes what the linker provides. */
static void describe_extern(const wrt_extern *e, char *buf, size_t size) {
  char lim[64], sig[160];
  switch (e->kind) {
  case WRT_EXTERN_FUNC:
    wrt_sig_format(wrt_sig_of(e->of.func->type_id), sig, sizeof sig);
    snprintf(buf, size, "func %s", sig);
    return;
  case WRT_EXTERN_TABLE: {
    const wrt_table *t = e->of.table;
    fmt_limits(lim, sizeof lim, t->def.size, t->has_max, t->max);
    snprintf(buf, size, "table %s %s", wrt_valtype_str(t->elem_type), lim);
    return;
  }
  case WRT_EXTERN_MEMORY: {
    const wrt_memory *m = e->of.memory;
    fmt_limits(lim, sizeof lim, m->pages, m->has_max, m->max);
    snprintf(buf, size, "memory%s %s", m->is64 ? " i64" : "", lim);
    return;
  }
  default:
    snprintf(buf, size, "global %s%s", e->of.global->mut ? "mut " : "",
             wrt_valtype_str(e->of.global->type));
    return;
  }
}

static bool import_matches(const wrt_module_desc *d, const wrt_import_desc *imp,
                           const uintptr_t *type_ids, const wrt_extern *e) {
  if (e->kind != imp->kind)
    return false;
  switch (imp->kind) {
  case WRT_EXTERN_FUNC: return e->of.func->type_id == type_ids[d->funcs[imp->index].type_idx];
  case WRT_EXTERN_TABLE: {
    const wrt_table_desc *want = &d->tables[imp->index];
    const wrt_table *t = e->of.table;
    return t->elem_type == want->elem_type &&
           limits_match(t->def.size, t->has_max, t->max, &want->lim);
  }
  case WRT_EXTERN_MEMORY: {
    const wrt_limits_desc *want = &d->memories[imp->index];
    const wrt_memory *m = e->of.memory;
    return m->is64 == (want->is64 != 0) && limits_match(m->pages, m->has_max, m->max, want);
  }
  case WRT_EXTERN_GLOBAL: {
    const wrt_global_desc *want = &d->globals[imp->index];
    return e->of.global->type == want->type && e->of.global->mut == (want->mut != 0);
  }
  }
  return false;
}

wrt_err wrt_link_import(const wrt_linker *l, const wrt_module_desc *d, uint32_t i,
                        const uintptr_t *type_ids, wrt_extern *out, wrt_diag *diag) {
  const wrt_import_desc *imp = &d->imports[i];
  const link_entry *e = linker_get(l, imp->module, imp->name);
  int ml = (int)imp->module.len, nl = (int)imp->name.len;
  if (!e)
    return wrt_diag_set(diag, WRT_ELINK, "unknown import: %.*s.%.*s", ml, imp->module.ptr, nl,
                        imp->name.ptr);
  if (!import_matches(d, imp, type_ids, &e->ext)) {
    char want[200], got[200];
    describe_import(d, imp, type_ids, want, sizeof want);
    if (e->ext.kind == imp->kind)
      describe_extern(&e->ext, got, sizeof got);
    else
      snprintf(got, sizeof got, "%s", kind_str(e->ext.kind));
    return wrt_diag_set(diag, WRT_ELINK, "incompatible import type: %.*s.%.*s expects %s, got %s",
                        ml, imp->module.ptr, nl, imp->name.ptr, want, got);
  }
  *out = e->ext;
  return WRT_OK;
}
