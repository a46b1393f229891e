/*
** store.c: the allocation hook, the engine (signature interning) and the
** store (ownership of every runtime object and their release), plus the
** error and trap strings. Objects are created in their own files (memory.c,
** table.c, global.c, func.c, instance.c); this file only frees them.
*/
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#if WRT_ABI_VERSION != 4
#error "rename wrt_abi_v4 to match WRT_ABI_SYMBOL"
#endif
const int wrt_abi_v4 = WRT_ABI_VERSION;

/* The runtime's layouts must be the ones wrt_abi.h computes for this host. */
_Static_assert(sizeof(wrt_raw) == 16, "wrt_raw is a 16-byte slot");
_Static_assert(sizeof(wrt_global_def) == 16, "globals are 16-byte slots");
_Static_assert(sizeof(wrt_funcref) == 4 * sizeof(void *), "funcref is four pointers");
_Static_assert(offsetof(struct wrt_memory, def) == 0, "vmctx memories[] point at the def");
_Static_assert(offsetof(struct wrt_table, def) == 0, "vmctx tables[] point at the def");
_Static_assert(offsetof(wrt_host_func, rec) == 0, "a host wrt_func * is its record");

/* ------------------------------------------------------------ allocation */

void *wrt_alloc_hook(void *ptr, size_t old_size, size_t new_size) {
  (void)old_size; /* kept for hooks that need it (pools, accounting) */
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, new_size);
}

void *wrt_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  size_t bytes = n * size;
  if (bytes == 0)
    bytes = 1; /* callers treat NULL as failure, so never ask for 0 */
  void *p = wrt_alloc_hook(NULL, 0, bytes);
  if (p)
    memset(p, 0, bytes);
  return p;
}

void wrt_free(void *ptr, size_t size) {
  if (ptr)
    wrt_alloc_hook(ptr, size, 0);
}

char *wrt_strndup(const char *s, size_t len) {
  char *p = wrt_calloc(len + 1, 1);
  if (p && len)
    memcpy(p, s, len);
  return p;
}

bool wrt_ptrvec_push(wrt_ptrvec *pv, void *p) {
  if (pv->n == pv->cap) {
    size_t cap = pv->cap ? pv->cap * 2 : 8;
    void **v = wrt_calloc(cap, sizeof *v);
    if (!v)
      return false;
    if (pv->n)
      memcpy(v, pv->v, pv->n * sizeof *v);
    void **old = pv->v;
    size_t old_cap = pv->cap;
    /* The fault handler may read v and n at any instruction of this thread:
    ** publish the filled copy before freeing the old array, and each element
    ** before the count that covers it. Compiler fences suffice (same thread). */
    atomic_signal_fence(memory_order_release);
    pv->v = v;
    pv->cap = cap;
    atomic_signal_fence(memory_order_release);
    wrt_free(old, old_cap * sizeof *old);
  }
  pv->v[pv->n] = p;
  atomic_signal_fence(memory_order_release);
  pv->n++;
  return true;
}

void wrt_ptrvec_fini(wrt_ptrvec *pv) {
  wrt_free(pv->v, pv->cap * sizeof *pv->v);
  memset(pv, 0, sizeof *pv);
}

/* ------------------------------------------------------------ engine */

wrt_engine *wrt_engine_new(void) {
  return wrt_engine_new_with(NULL, NULL);
}

/* Fiber stacks: 1 MiB unless configured, at least 128 KiB (the runtime
** keeps 64 KiB of each for itself: call.c's STACK_MARGIN). */
static size_t fiber_stack_bytes(const wrt_engine_config *c) {
  size_t n = c && c->fiber_stack_bytes ? c->fiber_stack_bytes : (size_t)1 << 20;
  return n < ((size_t)128 << 10) ? (size_t)128 << 10 : n;
}

static wrt_allocator *allocator_new(const wrt_engine_config *c, wrt_diag *diag) {
  if (!c || c->allocator == WRT_ALLOCATOR_ON_DEMAND)
    return wrt_on_demand_allocator();
  if (c->allocator == WRT_ALLOCATOR_POOLING) {
    wrt_pool_limits lim = wrt_pool_limits_defaults(c->pool);
    return wrt_pool_new(&lim, fiber_stack_bytes(c), diag);
  }
  wrt_diag_set(diag, WRT_EINVAL, "unknown allocator %d", (int)c->allocator);
  return NULL;
}

wrt_engine *wrt_engine_new_with(const wrt_engine_config *c, wrt_diag *diag) {
  wrt_diag_set(diag, WRT_OK, "%s", "");
  wrt_engine *e = wrt_calloc(1, sizeof *e);
  if (!e) {
    wrt_diag_set(diag, WRT_ENOMEM, "out of memory creating the engine");
    return NULL;
  }
  if (pthread_mutex_init(&e->lock, NULL) != 0) {
    wrt_free(e, sizeof *e);
    wrt_diag_set(diag, WRT_ENOMEM, "cannot create the engine's lock");
    return NULL;
  }
  if (pthread_mutex_init(&e->epoch_lock, NULL) != 0) {
    pthread_mutex_destroy(&e->lock);
    wrt_free(e, sizeof *e);
    wrt_diag_set(diag, WRT_ENOMEM, "cannot create the engine's lock");
    return NULL;
  }
  e->images_on = !c || !c->copy_data_segments;
  e->fiber_stack_bytes = fiber_stack_bytes(c);
  e->epoch_required = c && c->epoch_interruption;
  if (!(e->alloc = allocator_new(c, diag))) {
    pthread_mutex_destroy(&e->epoch_lock);
    pthread_mutex_destroy(&e->lock);
    wrt_free(e, sizeof *e);
    return NULL;
  }
  return e;
}

wrt_pool_limits wrt_engine_pool_limits(const wrt_engine *e) {
  return e->alloc->ops->limits(e->alloc);
}

static size_t sig_size(uint32_t n_types) {
  return sizeof(wrt_sig) + n_types;
}

void wrt_engine_free(wrt_engine *e) {
  if (!e)
    return;
  for (size_t i = 0; i < e->cap; i++)
    if (e->slots[i])
      wrt_free(e->slots[i], sig_size(e->slots[i]->n_params + e->slots[i]->n_results));
  wrt_free(e->slots, e->cap * sizeof *e->slots);
  e->alloc->ops->destroy(e->alloc);
  wrt_engine_infos_free(e);
  pthread_mutex_destroy(&e->epoch_lock);
  pthread_mutex_destroy(&e->lock);
  wrt_free(e, sizeof *e);
}

/* FNV-1a over the counts and the type codes. */
static uint32_t sig_hash(uint32_t np, const uint8_t *params, uint32_t nr, const uint8_t *results) {
  uint32_t h = 2166136261u;
  h = (h ^ np) * 16777619u;
  h = (h ^ nr) * 16777619u;
  for (uint32_t i = 0; i < np; i++)
    h = (h ^ params[i]) * 16777619u;
  for (uint32_t i = 0; i < nr; i++)
    h = (h ^ results[i]) * 16777619u;
  return h;
}

static bool sig_equal(const wrt_sig *s, uint32_t np, const uint8_t *params, uint32_t nr,
                      const uint8_t *results) {
  return s->n_params == np && s->n_results == nr && (np == 0 || !memcmp(s->types, params, np)) &&
         (nr == 0 || !memcmp(s->types + np, results, nr));
}

/* Doubles the slot array; called with the lock held. */
static bool engine_rehash(wrt_engine *e) {
  size_t cap = e->cap ? e->cap * 2 : 64;
  wrt_sig **slots = wrt_calloc(cap, sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < e->cap; i++) {
    wrt_sig *s = e->slots[i];
    if (!s)
      continue;
    size_t j = s->hash & (cap - 1);
    while (slots[j])
      j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  wrt_free(e->slots, e->cap * sizeof *e->slots);
  e->slots = slots;
  e->cap = cap;
  return true;
}

uintptr_t wrt_engine_intern(wrt_engine *e, uint32_t n_params, const uint8_t *params,
                            uint32_t n_results, const uint8_t *results) {
  uint32_t h = sig_hash(n_params, params, n_results, results);
  uintptr_t id = 0;
  pthread_mutex_lock(&e->lock);
  if ((e->count + 1) * 2 > e->cap && !engine_rehash(e))
    goto done;
  size_t j = h & (e->cap - 1);
  for (; e->slots[j]; j = (j + 1) & (e->cap - 1)) {
    if (e->slots[j]->hash == h && sig_equal(e->slots[j], n_params, params, n_results, results)) {
      id = (uintptr_t)e->slots[j];
      goto done;
    }
  }
  wrt_sig *s = wrt_calloc(1, sig_size(n_params + n_results));
  if (!s)
    goto done;
  s->n_params = n_params;
  s->n_results = n_results;
  s->hash = h;
  if (n_params)
    memcpy(s->types, params, n_params);
  if (n_results)
    memcpy(s->types + n_params, results, n_results);
  e->slots[j] = s;
  e->count++;
  id = (uintptr_t)s;
done:
  pthread_mutex_unlock(&e->lock);
  return id;
}

/* ------------------------------------------------------------ store */

wrt_store *wrt_store_new(wrt_engine *e) {
  if (!e)
    return NULL;
  wrt_store *s = wrt_calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->engine = e;
  s->max_wasm_stack = (size_t)1 << 20;
  s->epoch_deadline = UINT64_MAX; /* none until the embedder sets one */
  return s;
}

void wrt_store_set_max_wasm_stack(wrt_store *s, size_t bytes) {
  s->max_wasm_stack = bytes;
}

static void epoch_unlink(wrt_store *s);

void wrt_store_free(wrt_store *s) {
  if (!s)
    return;
  epoch_unlink(s);
  /* Newest first, and an instance's memories and tables before the instance
  ** slot itself: pooled slots go back in the reverse of the order they were
  ** taken, and whoever takes an instance slot next (on any thread) finds the
  ** table slots that kept its elements already free (alloc_pool.c). */
  for (size_t i = s->memories.n; i-- > 0;)
    wrt_memory_destroy(s->memories.v[i]);
  for (size_t i = s->tables.n; i-- > 0;)
    wrt_table_destroy(s->tables.v[i]);
  for (size_t i = s->instances.n; i-- > 0;)
    wrt_instance_destroy(s->instances.v[i]);
  for (size_t i = 0; i < s->globals.n; i++)
    wrt_free(s->globals.v[i], sizeof(wrt_global));
  for (size_t i = 0; i < s->host_funcs.n; i++)
    wrt_free(s->host_funcs.v[i], sizeof(wrt_host_func));
  for (size_t i = 0; i < s->externrefs.n; i++)
    wrt_free(s->externrefs.v[i], sizeof(wrt_externref));
  wrt_ptrvec_fini(&s->instances);
  wrt_ptrvec_fini(&s->memories);
  wrt_ptrvec_fini(&s->tables);
  wrt_ptrvec_fini(&s->globals);
  wrt_ptrvec_fini(&s->host_funcs);
  wrt_ptrvec_fini(&s->externrefs);
  wrt_ptrvec_fini(&s->modules);
  wrt_free(s, sizeof *s);
}

/* ------------------------------------------------------------ epochs */

/*
** Compiled code checks one flag per store (epoch_due), not the epoch against
** the deadline: a load and a branch, one register. The flag follows
** "epoch >= deadline": the increment sets it on every listed store whose
** deadline it reaches; a new deadline sets or clears it. Both happen under
** the engine's epoch_lock, so that no increment and deadline change can
** interleave to lose a due flag. A store joins the list with its first
** deadline and leaves it when freed.
*/

void wrt_engine_increment_epoch(wrt_engine *e) {
  pthread_mutex_lock(&e->epoch_lock);
  uint64_t now = atomic_fetch_add_explicit(&e->epoch, 1, memory_order_relaxed) + 1;
  for (wrt_store *s = e->epoch_stores; s; s = s->epoch_next)
    if (now >= s->epoch_deadline)
      atomic_store_explicit(&s->epoch_due, 1, memory_order_relaxed);
  pthread_mutex_unlock(&e->epoch_lock);
}

uint64_t wrt_engine_epoch(const wrt_engine *e) {
  return atomic_load_explicit(&((wrt_engine *)(uintptr_t)e)->epoch, memory_order_relaxed);
}

void wrt_store_set_epoch_deadline(wrt_store *s, uint64_t ticks) {
  wrt_engine *e = s->engine;
  pthread_mutex_lock(&e->epoch_lock);
  if (!s->epoch_link) {
    s->epoch_next = e->epoch_stores;
    if (s->epoch_next)
      s->epoch_next->epoch_link = &s->epoch_next;
    s->epoch_link = &e->epoch_stores;
    e->epoch_stores = s;
  }
  uint64_t now = wrt_engine_epoch(e);
  s->epoch_deadline = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
  atomic_store_explicit(&s->epoch_due, now >= s->epoch_deadline, memory_order_relaxed);
  pthread_mutex_unlock(&e->epoch_lock);
}

static void epoch_unlink(wrt_store *s) {
  if (!s->epoch_link)
    return;
  pthread_mutex_lock(&s->engine->epoch_lock);
  *s->epoch_link = s->epoch_next;
  if (s->epoch_next)
    s->epoch_next->epoch_link = s->epoch_link;
  pthread_mutex_unlock(&s->engine->epoch_lock);
}

void wrt_store_epoch_deadline_yield(wrt_store *s, uint64_t ticks) {
  s->epoch_yield = ticks;
}

/* Compiled code calls this when it finds the store's flag set: on a fiber
** with yielding on, suspend, and once resumed run on with a new deadline;
** otherwise trap ("interrupted"). */
void wrt_rt_epoch_interrupt(void *vmctx) {
  wrt_store *s = wrt_vmctx_instance(vmctx)->store;
  if (s->epoch_yield && wrt_fiber_self() && wrt_fiber_suspend() == WRT_OK) {
    wrt_store_set_epoch_deadline(s, s->epoch_yield);
    return;
  }
  wrt_libcall_trap(vmctx, WRT_TRAP_INTERRUPTED, __builtin_return_address(0));
}

/* ------------------------------------------------------------ externref */

wrt_externref *wrt_externref_new(wrt_store *s, void *data) {
  wrt_externref *r = wrt_calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->data = data;
  if (!wrt_ptrvec_push(&s->externrefs, r)) {
    wrt_free(r, sizeof *r);
    return NULL;
  }
  return r;
}

void *wrt_externref_data(const wrt_externref *r) {
  return r ? r->data : NULL;
}

/* ------------------------------------------------------------ strings */

wrt_err wrt_diag_set(wrt_diag *d, wrt_err code, const char *fmt, ...) {
  if (d) {
    va_list ap;
    va_start(ap, fmt);
    d->code = code;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *wrt_err_str(wrt_err code) {
  switch (code) {
  case WRT_OK: return "ok";
  case WRT_ENOMEM: return "out of memory";
  case WRT_ELINK: return "link error";
  case WRT_EABI: return "ABI mismatch";
  case WRT_ETRAP: return "trap";
  case WRT_EINVAL: return "invalid argument";
  }
  return "unknown error";
}

/* spec: the wording the test suite's assert_trap expects. */
const char *wrt_trap_str(wrt_trap_code code) {
  switch (code) {
  case WRT_TRAP_NONE: return "no trap";
  case WRT_TRAP_UNREACHABLE: return "unreachable";
  case WRT_TRAP_OOB: return "out of bounds memory access";
  case WRT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
  case WRT_TRAP_INT_OVERFLOW: return "integer overflow";
  case WRT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
  case WRT_TRAP_INDIRECT_NULL: return "uninitialized element";
  case WRT_TRAP_INDIRECT_SIG: return "indirect call type mismatch";
  case WRT_TRAP_TABLE_OOB: return "out of bounds table access";
  case WRT_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
  case WRT_TRAP_NULL_REF: return "null reference";
  case WRT_TRAP_HOST: return "host trap";
  case WRT_TRAP_UNDEFINED_ELEMENT: return "undefined element";
  case WRT_TRAP_EXIT: return "exit";
  case WRT_TRAP_INTERRUPTED: return "interrupted";
  case WRT_TRAP_COUNT: break;
  }
  return "unknown trap";
}

const char *wrt_valtype_str(uint8_t t) {
  switch (t) {
  case WRT_I32: return "i32";
  case WRT_I64: return "i64";
  case WRT_F32: return "f32";
  case WRT_F64: return "f64";
  case WRT_V128: return "v128";
  case WRT_FUNCREF: return "funcref";
  case WRT_EXTERNREF: return "externref";
  }
  return "?";
}

/* Appends to buf[*len..size) keeping it terminated; truncates silently. */
static void append(char *buf, size_t size, size_t *len, const char *s) {
  while (*s && *len + 1 < size)
    buf[(*len)++] = *s++;
  buf[*len] = '\0';
}

void wrt_sig_format(const wrt_sig *sig, char *buf, size_t size) {
  size_t len = 0;
  if (size == 0)
    return;
  buf[0] = '\0';
  append(buf, size, &len, "(");
  for (uint32_t i = 0; i < sig->n_params + sig->n_results; i++) {
    if (i == sig->n_params)
      append(buf, size, &len, ") -> (");
    else if (i)
      append(buf, size, &len, " ");
    append(buf, size, &len, wrt_valtype_str(sig->types[i]));
  }
  append(buf, size, &len, sig->n_results ? ")" : ") -> ()");
}
