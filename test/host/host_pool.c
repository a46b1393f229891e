/*
** host_pool.c: the pooling allocator through the public API (pool.wat):
** nothing a tenant wrote (memory bytes, grown pages, table elements, grown
** elements, globals) is visible to the next tenant of the same slots; slots
** run out with an error naming the limit and come back when their store is
** freed; modules that cannot fit are refused before instantiation with the
** limit named.
*/
#include <stdio.h>
#include <string.h>

#include "host.h"

extern const wrt_module_desc pool__module;
extern const wrt_module_desc pool_other__module;

/* A pooling engine with one slot of each kind unless the case says more. */
static wrt_engine *pool_engine(wrt_pool_limits lim) {
  wrt_engine_config c = {.allocator = WRT_ALLOCATOR_POOLING, .pool = lim};
  wrt_diag diag = {0};
  wrt_engine *e = wrt_engine_new_with(&c, &diag);
  if (!e)
    T_FAIL("wrt_engine_new_with: %s", diag.msg);
  return e;
}

static const wrt_pool_limits one_slot = {.instances = 1, .memories = 1, .tables = 2,
                                         .tables_per_module = 2, .memory_pages = 200,
                                         .table_elements = 200};

/* A store of e with pool.wat instantiated in it; NULL (case failed) on error. */
static wrt_instance *tenant(wrt_engine *e, wrt_store **s) {
  host_env h = {.e = e, .s = wrt_store_new(e), .l = NULL};
  *s = h.s;
  if (!T_CHECK(h.s != NULL))
    return NULL;
  h.l = wrt_linker_new(h.s);
  wrt_instance *inst = host_inst(&h, &pool__module);
  wrt_linker_free(h.l);
  return inst;
}

/* Whether bytes [from, to) of m are zero, except "hello" at 16. */
static bool memory_clean(wrt_memory *m, uint64_t from, uint64_t to) {
  const uint8_t *p = wrt_memory_data(m);
  for (uint64_t i = from; i < to; i++) {
    uint8_t want = i >= 16 && i < 21 ? (uint8_t)"hello"[i - 16] : 0;
    if (p[i] != want)
      return T_FAIL("memory byte %llu is 0x%02x, expected 0x%02x", (unsigned long long)i, p[i],
                    want);
  }
  return true;
}

/* Whether elements [from, to) of t are null. */
static bool table_clean(wrt_table *t, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; i++) {
    wrt_val v;
    if (!T_EQ_U64(wrt_table_get(t, i, &v), WRT_OK))
      return false;
    if (v.of.funcref != NULL) /* the same pointer slot for both reference kinds */
      return T_FAIL("table element %u is not null", i);
  }
  return true;
}

/* The first tenant dirties everything it can; the second (same slots, as the
** pool has one of each) sees exactly pool.wat's initial state, and zeros or
** nulls wherever it grows into what the first tenant had written. */
static void pool_no_leak(void) {
  wrt_engine *e = pool_engine(one_slot);
  wrt_store *s1 = NULL, *s2 = NULL;
  wrt_instance *a = e ? tenant(e, &s1) : NULL;
  if (!a)
    goto done;
  host_env h1 = {e, s1, NULL};
  wrt_externref *secret = wrt_externref_new(s1, &h1);
  wrt_val arg = HOST_EXTERNREF_VAL(secret);
  wrt_memory *m1 = host_memory(a, "mem");
  if (!secret || !m1 || !host_call0(&h1, a, "dirty", &arg, 1))
    goto done;
  uint8_t *base1 = wrt_memory_data(m1);
  if (!T_EQ_U64(wrt_memory_size(m1), 10 * 65536) || !T_EQ_U64(base1[65536 * 10 - 1], 0xcd) ||
      !T_EQ_U64(wrt_table_size(host_table(a, "refs")), 6))
    goto done;
  wrt_store_free(s1);
  s1 = NULL;

  wrt_instance *b = tenant(e, &s2);
  wrt_memory *m2 = host_memory(b, "mem");
  wrt_table *funcs = host_table(b, "funcs"), *refs = host_table(b, "refs");
  wrt_global *g = host_global(b, "g");
  if (!m2 || !funcs || !refs || !g)
    goto done;
  host_env h2 = {e, s2, NULL};
  /* The same slot, or the case proves nothing. */
  T_CHECK(wrt_memory_data(m2) == base1);
  T_EQ_U64(wrt_memory_size(m2), 65536);
  memory_clean(m2, 0, 65536);
  T_EQ_U64(wrt_table_size(funcs), 2);
  T_EQ_U64(wrt_table_size(refs), 1);
  table_clean(funcs, 1, 2);
  table_clean(refs, 0, 1);
  T_EQ_U64(host_call1(&h2, b, "call", (wrt_val[]){WRT_I32_VAL(0)}, 1, WRT_I32).of.i32, 42);
  T_EQ_U64(wrt_global_get(g).of.i32, 7);
  /* The first tenant's pages past this one's size are out of bounds again. */
  if (!HOST_ASAN) {
    wrt_trap trap;
    wrt_val res;
    T_EQ_U64(wrt_call(s2, host_func(b, "load"), (wrt_val[]){WRT_I32_VAL(9 * 65536)}, 1, &res, 1,
                      &trap),
             WRT_ETRAP);
    T_EQ_U64(trap.code, WRT_TRAP_OOB);
  }
  /* Growing over the first tenant's pages and elements finds zeros and nulls. */
  T_EQ_U64(host_call1(&h2, b, "grow", NULL, 0, WRT_I32).of.i32, 1);
  T_EQ_U64(wrt_memory_size(m2), 10 * 65536);
  memory_clean(m2, 0, 10 * 65536);
  T_EQ_U64(wrt_table_size(funcs), 12);
  T_EQ_U64(wrt_table_size(refs), 6);
  table_clean(funcs, 1, 12);
  table_clean(refs, 0, 6);
done:
  wrt_store_free(s1);
  wrt_store_free(s2);
  wrt_engine_free(e);
}

/* Slots run out with WRT_ENOMEM naming the limit, and freeing a store gives
** them back; a loop of instantiate + free never runs out. */
static void pool_exhaustion(void) {
  wrt_pool_limits lim = one_slot;
  lim.instances = 2; /* so that the memory slot is the one that runs out */
  wrt_engine *e = pool_engine(lim);
  wrt_store *s1 = NULL, *s2 = NULL;
  if (!e || !tenant(e, &s1))
    goto done;
  s2 = wrt_store_new(e);
  wrt_instance *inst;
  wrt_diag diag = {0};
  if (!T_EQ_U64(wrt_instantiate(s2, &pool__module, NULL, &inst, &diag, NULL), WRT_ENOMEM))
    goto done;
  T_CONTAINS(diag.msg, "memory slots of the pool are in use (memories)");
  wrt_store_free(s2);
  s2 = NULL;
  wrt_store_free(s1);
  s1 = NULL;
  for (int i = 0; i < 1000; i++) {
    if (!tenant(e, &s1))
      goto done;
    wrt_store_free(s1);
    s1 = NULL;
  }
  wrt_engine_free(e);
  lim = one_slot; /* one instance slot: the instance runs out first */
  e = pool_engine(lim);
  if (!e || !tenant(e, &s1))
    goto done;
  s2 = wrt_store_new(e);
  T_EQ_U64(wrt_instantiate(s2, &pool__module, NULL, &inst, &diag, NULL), WRT_ENOMEM);
  T_CONTAINS(diag.msg, "(instances)");
done:
  wrt_store_free(s1);
  wrt_store_free(s2);
  wrt_engine_free(e);
}

/* A module that cannot fit is refused before any instantiation, by
** wrt_engine_admit and wrt_instantiate alike, with the limit named. */
static void expect_refused(wrt_pool_limits lim, const char *limit_name) {
  wrt_engine *e = pool_engine(lim);
  wrt_store *s = e ? wrt_store_new(e) : NULL;
  wrt_diag diag = {0};
  wrt_instance *inst = NULL;
  if (!T_CHECK(s != NULL))
    goto done;
  T_EQ_U64(wrt_engine_admit(e, &pool__module, &diag), WRT_EINVAL);
  T_CONTAINS(diag.msg, limit_name);
  memset(&diag, 0, sizeof diag);
  T_EQ_U64(wrt_instantiate(s, &pool__module, NULL, &inst, &diag, NULL), WRT_EINVAL);
  T_CONTAINS(diag.msg, limit_name);
  T_CHECK(inst == NULL);
done:
  wrt_store_free(s);
  wrt_engine_free(e);
}

static void pool_admission(void) {
  wrt_pool_limits lim = one_slot;
  lim.tables_per_module = 1;
  expect_refused(lim, "(tables_per_module)");
  lim = one_slot;
  lim.table_elements = 1;
  expect_refused(lim, "(table_elements)");
  lim = one_slot;
  lim.instance_bytes = 64;
  expect_refused(lim, "(instance_bytes)");
  /* The defaults are filled in and reported; on-demand has no limits. */
  wrt_engine *e = pool_engine((wrt_pool_limits){.instances = 3, .memories = 2});
  if (e) {
    wrt_pool_limits got = wrt_engine_pool_limits(e);
    T_EQ_U64(got.instances, 3);
    T_EQ_U64(got.memories, 2);
    T_EQ_U64(got.memories_per_module, 1);
    T_EQ_U64(got.table_elements, 20000);
    T_EQ_U64(got.instance_bytes, 1u << 20);
    T_CHECK(got.memory_pages != 0);
    wrt_engine_free(e);
  }
  e = wrt_engine_new();
  wrt_diag diag = {0};
  if (T_CHECK(e != NULL)) {
    T_EQ_U64(wrt_engine_pool_limits(e).instances, 0);
    T_EQ_U64(wrt_engine_admit(e, &pool__module, &diag), WRT_OK);
    wrt_engine_free(e);
  }
  /* A pool that cannot be made says why. */
  wrt_engine_config bad = {.allocator = WRT_ALLOCATOR_POOLING, .pool = {.table_elements = ~0u}};
  T_CHECK(wrt_engine_new_with(&bad, &diag) == NULL);
  T_CONTAINS(diag.msg, "table_elements");
  bad.allocator = (wrt_allocator_kind)7;
  T_CHECK(wrt_engine_new_with(&bad, &diag) == NULL);
  T_CONTAINS(diag.msg, "unknown allocator");
}

/* Whether the mapping at addr is a memory image (Linux names memfds in
** /proc/self/maps: "/memfd:wrt-memory-image (deleted)"). */
static bool mapped_from_image(const void *addr) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  bool found = false;
  while (f && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
      found = strstr(line, "wrt-memory-image") != NULL;
      break;
    }
  }
  if (f)
    fclose(f);
  return found;
}

/* pool.wat's data is static: its memory maps the engine's image (unless the
** engine copies segments), with the same contents either way; a different
** module in the same slot afterwards sees neither the image nor the data. */
static void pool_images(void) {
  for (int copy = 0; copy < 2; copy++) {
    wrt_engine_config c = {.allocator = WRT_ALLOCATOR_POOLING, .pool = one_slot,
                           .copy_data_segments = copy != 0};
    wrt_engine *e = wrt_engine_new_with(&c, NULL);
    wrt_store *s = NULL;
    wrt_instance *inst = e ? tenant(e, &s) : NULL;
    wrt_memory *m = host_memory(inst, "mem");
    if (!m)
      goto next;
    uint8_t *base = wrt_memory_data(m);
    if (!T_EQ_U64(mapped_from_image(base + 16), copy == 0))
      T_FAIL("copy_data_segments=%d: image mapping %s", copy, copy ? "used" : "not used");
    memory_clean(m, 0, 65536);
    memset(base, 0x5a, 65536); /* dirty the image's private copy */
    wrt_store_free(s);
    s = wrt_store_new(e);
    wrt_instance *other;
    if (!T_EQ_U64(wrt_instantiate(s, &pool_other__module, NULL, &other, NULL, NULL), WRT_OK))
      goto next;
    m = host_memory(other, "mem");
    if (!m || !T_CHECK(wrt_memory_data(m) == base))
      goto next;
    T_CHECK(!mapped_from_image(base));
    const uint8_t *p = wrt_memory_data(m);
    for (uint64_t i = 0; i < wrt_memory_size(m); i++)
      if (p[i] != 0) {
        T_FAIL("copy_data_segments=%d: byte %llu of the next module's memory is 0x%02x", copy,
               (unsigned long long)i, p[i]);
        break;
      }
  next:
    wrt_store_free(s);
    wrt_engine_free(e);
  }
}

/* Whether pool.wat's table "funcs" of inst is exactly its initial state. */
static bool funcs_initial(host_env *h, wrt_instance *inst) {
  wrt_table *t = host_table(inst, "funcs");
  return t && T_EQ_U64(wrt_table_size(t), 2) && table_clean(t, 1, 2) &&
         T_EQ_U64(host_call1(h, inst, "call", (wrt_val[]){WRT_I32_VAL(0)}, 1, WRT_I32).of.i32, 42);
}

/* A pooled table nobody wrote keeps its initial elements for the next
** instance of the module (pool.wat's are static); one written only by an
** inline table.set does not; another module in the slot gets nulls. */
static void pool_kept_tables(void) {
  wrt_engine *e = pool_engine(one_slot);
  wrt_store *s = NULL;
  for (int round = 0; e && round < 3; round++) {
    wrt_instance *inst = tenant(e, &s);
    host_env h = {e, s, NULL};
    if (!inst || !funcs_initial(&h, inst))
      break;
    if (round == 1 && !host_call0(&h, inst, "set1", NULL, 0)) /* written, inline only */
      break;
    wrt_store_free(s);
    s = NULL;
  }
  wrt_store_free(s);
  s = e ? wrt_store_new(e) : NULL;
  wrt_instance *other;
  if (s && T_EQ_U64(wrt_instantiate(s, &pool_other__module, NULL, &other, NULL, NULL), WRT_OK)) {
    wrt_table *t = host_table(other, "funcs");
    if (t && T_EQ_U64(wrt_table_size(t), 3))
      table_clean(t, 0, 3);
  }
  wrt_store_free(s);
  wrt_engine_free(e);
}

const t_case host_pool_cases[] = {
    {"pool_kept_tables", pool_kept_tables},
    {"pool_images", pool_images},
    {"pool_no_leak", pool_no_leak},
    {"pool_exhaustion", pool_exhaustion},
    {"pool_admission", pool_admission},
};
const size_t host_pool_n_cases = T_COUNT(host_pool_cases);
