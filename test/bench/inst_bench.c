/*
** inst_bench.c: the instantiation benchmark of `make bench` (Runtime II):
** instantiate + call + free of inst_gen.c's module (1 MiB of data segments,
** a 10,000-entry table) with each allocation strategy side by side in one
** run, then RSS across 100,000 pooled instantiations, then both cores at
** once on one pooled engine. Prints time per instance and ratios.
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
  long n;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  double t0 = now();
  while (now() - t0 < w->secs)
    for (int k = 0; k < 50; k++)
      once(w->e, (int32_t)w->n++);
  return NULL;
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

  worker w[2] = {{e, secs * 2, 0}, {e, secs * 2, 0}};
  pthread_t th[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], NULL, work, &w[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  double par = (double)(w[0].n + w[1].n) / (secs * 2);
  printf("  pooling + image, 2 threads on one engine: %.0f instances/s (%.2fx one thread)\n", par,
         par * tc[3]);
  wrt_engine_free(e);
  return 0;
}
