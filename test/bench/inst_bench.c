/*
** inst_bench.c: the runtime benchmarks of `make bench` (Runtime II).
** Instantiation: instantiate (+ call) + free of inst_gen.c's module (1 MiB
** of data segments, a 10,000-entry table) with each allocation strategy side
** by side in one run, then RSS across 100,000 pooled instantiations, then
** both cores at once on one pooled engine. Async (async.wat): a host call
** from Wasm on the thread's stack, the same call suspending a fiber and
** resumed (the round trip), and a fiber's whole life for a trivial call.
** Prints times and ratios.
** Usage: inst_bench [SECONDS-PER-MEASUREMENT]
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wrt.h"

extern const wrt_module_desc inst__module;
extern const wrt_module_desc async__module;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Resident set size in KiB. */
static long rss_kib(void) {
  long pages = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f && fscanf(f, "%ld %ld", &pages, &rss) != 2)
    rss = 0;
  if (f)
    fclose(f);
  return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One tenant: a store, the instance, one call of run(i) when i >= 0 (it
** reads one word of the data and calls through the table), the store freed. */
static int once(wrt_engine *e, int32_t i) {
  wrt_store *s = wrt_store_new(e);
  wrt_instance *inst;
  wrt_diag diag;
  wrt_extern run;
  wrt_val arg = WRT_I32_VAL(i), res = WRT_I32_VAL(0);
  if (!s || wrt_instantiate(s, &inst__module, NULL, &inst, &diag, NULL) != WRT_OK ||
      wrt_instance_export(inst, "run", &run) != WRT_OK ||
      (i >= 0 && wrt_call(s, run.of.func, &arg, 1, &res, 1, NULL) != WRT_OK)) {
    fprintf(stderr, "inst_bench: %s\n", s ? diag.msg : "no store");
    exit(1);
  }
  wrt_store_free(s);
  return res.of.i32;
}

/* Seconds per instance, measured for at least `secs`; with or without the call. */
static double per_instance(wrt_engine *e, double secs, bool call) {
  for (int i = 0; i < 20; i++) /* warm-up: images built, slots resident */
    once(e, call ? i : -1);
  long n = 0;
  double t0 = now(), t;
  do {
    for (int k = 0; k < 50; k++, n++)
      once(e, call ? (int32_t)n : -1);
    t = now();
  } while (t - t0 < secs);
  return (t - t0) / (double)n;
}

static wrt_engine *engine(wrt_allocator_kind kind, bool images) {
  wrt_engine_config c = {.allocator = kind, .copy_data_segments = !images};
  c.pool.instances = 64;
  c.pool.memories = 64;
  c.pool.tables = 64;
  c.pool.memory_pages = 64;
  c.pool.table_elements = 10000;
  wrt_diag diag;
  wrt_engine *e = wrt_engine_new_with(&c, &diag);
  if (!e) {
    fprintf(stderr, "inst_bench: %s\n", diag.msg);
    exit(1);
  }
  return e;
}

typedef struct worker {
  wrt_engine *e;
  double secs;
  bool call;
  long n;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  double t0 = now();
  while (now() - t0 < w->secs)
    for (int k = 0; k < 50; k++, w->n++)
      once(w->e, w->call ? (int32_t)w->n : -1);
  return NULL;
}

/* Instances per second with two threads instantiating on one engine. */
static double parallel(wrt_engine *e, double secs, bool call) {
  worker w[2] = {{e, secs, call, 0}, {e, secs, call, 0}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], NULL, work, &w[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  return (double)(w[0].n + w[1].n) / secs;
}

/* ------------------------------------------------------------ async */

static bool suspending;

static wrt_trap_code wait_fn(void *env, const wrt_val *args, wrt_val *results) {
  (void)env;
  if (suspending && wrt_fiber_suspend() != WRT_OK)
    return WRT_TRAP_HOST;
  results[0] = args[0];
  return WRT_TRAP_NONE;
}

static void async_bench(double secs) {
  wrt_engine *e = engine(WRT_ALLOCATOR_POOLING, true);
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  static const uint8_t i32[] = {WRT_I32};
  wrt_functype ft = {1, 1, i32, i32};
  wrt_linker_define(l, "host", "wait",
                    (wrt_extern){.kind = WRT_EXTERN_FUNC,
                                 .of.func = wrt_func_new_host(s, &ft, wait_fn, NULL)});
  wrt_instance *inst;
  wrt_diag diag;
  wrt_extern loop, nop;
  if (wrt_instantiate(s, &async__module, l, &inst, &diag, NULL) != WRT_OK ||
      wrt_instance_export(inst, "loop", &loop) != WRT_OK ||
      wrt_instance_export(inst, "nop", &nop) != WRT_OK) {
    fprintf(stderr, "inst_bench: %s\n", diag.msg);
    exit(1);
  }
  const int32_t n = 1000000;
  wrt_val arg = WRT_I32_VAL(n), res;
  suspending = false;
  double t0 = now();
  wrt_call(s, loop.of.func, &arg, 1, &res, 1, NULL);
  double direct = (now() - t0) / n;

  suspending = true;
  wrt_fiber *fb = wrt_fiber_new(s, loop.of.func, &arg, 1, 1, &diag);
  bool done = false;
  long resumes = 0;
  t0 = now();
  while (fb && !done && wrt_fiber_resume(fb, &done, &res, NULL) == WRT_OK)
    resumes++;
  double round = (now() - t0) / (double)resumes;
  wrt_fiber_free(fb);

  long lives = 0;
  t0 = now();
  do {
    for (int k = 0; k < 1000; k++, lives++) {
      wrt_fiber *f = wrt_fiber_new(s, nop.of.func, NULL, 0, 1, NULL);
      wrt_fiber_resume(f, &done, &res, NULL);
      wrt_fiber_free(f);
    }
  } while (now() - t0 < secs);
  double life = (now() - t0) / (double)lives;
  printf("Async host calls (async.wat: Wasm calling host.wait in a loop):\n"
         "  host call on the thread's stack         %8.1f ns\n"
         "  host call suspending a fiber + resume   %8.1f ns (round trip; %.1fx a plain call)\n"
         "  fiber new + resume + free (trivial call) %7.1f ns\n",
         direct * 1e9, round * 1e9, round / direct, life * 1e9);
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
}

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 0.5;
  static const struct {
    const char *name;
    wrt_allocator_kind kind;
    bool images;
  } modes[] = {
      {"on-demand, copying segments", WRT_ALLOCATOR_ON_DEMAND, false},
      {"on-demand + copy-on-write image", WRT_ALLOCATOR_ON_DEMAND, true},
      {"pooling, copying segments", WRT_ALLOCATOR_POOLING, false},
      {"pooling + copy-on-write image", WRT_ALLOCATOR_POOLING, true},
  };
  double t[4], tc[4];
  printf("Instantiation (1 MiB of data segments, 10,000-entry table), per instance:\n"
         "  %-34s %14s %9s %20s %9s\n", "", "instantiate+free", "ratio", "instantiate+call+free",
         "ratio");
  for (int m = 0; m < 4; m++) {
    wrt_engine *e = engine(modes[m].kind, modes[m].images);
    t[m] = per_instance(e, secs, false);
    tc[m] = per_instance(e, secs, true);
    wrt_engine_free(e);
    printf("  %-34s %11.2f us %8.1fx %17.2f us %8.1fx\n", modes[m].name, t[m] * 1e6, t[0] / t[m],
           tc[m] * 1e6, tc[0] / tc[m]);
  }
  printf("  (ratio: how many times faster than on-demand copying segments)\n");

  wrt_engine *e = engine(WRT_ALLOCATOR_POOLING, true);
  for (int i = 0; i < 1000; i++)
    once(e, i);
  long before = rss_kib();
  double t0 = now();
  for (int i = 0; i < 100000; i++)
    once(e, i);
  double dt = now() - t0;
  long after = rss_kib();
  printf("  pooling + image, 100,000 in a loop: %.2f s (%.2f us each), RSS %ld -> %ld KiB (%+ld)\n",
         dt, dt * 10, before, after, after - before);

  double par = parallel(e, secs * 2, false), parc = parallel(e, secs * 2, true);
  printf("  pooling + image, 2 threads on one engine: %.0f instances/s (%.2fx one thread); "
         "with the call %.0f/s (%.2fx)\n", par, par * t[3], parc, parc * tc[3]);
  wrt_engine_free(e);
  async_bench(secs);
  return 0;
}
