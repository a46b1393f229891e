/*
** wasm2obj_shard.c: compiling a big module on several threads. The module is
** cut into shards by code size (cg_shard_count: the cut depends only on the
** input, so the object is the same whatever -j says); worker threads take
** shards in order and compile each into a temporary object with its own LLVM
** context; `ld.lld -r` then links them, in shard order, into the one object
** the user asked for. Modules under one shard's worth of code compile in one
** piece, directly into the output.
*/
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg.h"
#include "wasm2obj.h"

typedef struct shard_job {
  const aotc_module *m;
  const cg_options *cg;
  const char *dir;  /* temporary directory of the shard objects */
  uint32_t n_shards;
  pthread_mutex_t lock;
  uint32_t next;    /* the next shard to take */
  uint32_t lowered; /* progress: functions lowered over all shards */
  uint32_t total;
  bool failed;
  aotc_diag *diags; /* per shard; the first failing shard's is reported */
  bool *ok;
} shard_job;

static void shard_path(const shard_job *j, uint32_t k, char *buf, size_t size) {
  snprintf(buf, size, "%s/shard-%03u.o", j->dir, k);
}

/* Progress of one shard, added up over all of them. */
static void shard_progress(void *ctx, const char *phase, uint32_t done, uint32_t total) {
  shard_job *j = ctx;
  (void)total;
  if (strcmp(phase, "lower") != 0 || done == 0)
    return;
  pthread_mutex_lock(&j->lock); /* the printer is not thread-safe */
  j->cg->progress(j->cg->progress_ctx, "lower", ++j->lowered, j->total);
  pthread_mutex_unlock(&j->lock);
}

static void *worker(void *arg) {
  shard_job *j = arg;
  for (;;) {
    pthread_mutex_lock(&j->lock);
    uint32_t k = j->failed ? j->n_shards : j->next++;
    pthread_mutex_unlock(&j->lock);
    if (k >= j->n_shards)
      return NULL;
    cg_options cg = *j->cg;
    cg.shard = k;
    cg.n_shards = j->n_shards;
    cg.progress = j->cg->progress ? shard_progress : NULL;
    cg.progress_ctx = j;
    char path[PATH_MAX];
    shard_path(j, k, path, sizeof path);
    aotc_diag_init(&j->diags[k]);
    j->ok[k] = cg_compile_object(j->m, &cg, path, &j->diags[k]);
    if (!j->ok[k]) {
      pthread_mutex_lock(&j->lock);
      j->failed = true;
      pthread_mutex_unlock(&j->lock);
    }
  }
}

/* ld.lld -r -o out shard-000.o shard-001.o ... */
static bool link_shards(const shard_job *j, const char *out) {
  char **argv = calloc((size_t)j->n_shards + 6, sizeof *argv);
  char (*paths)[PATH_MAX] = calloc(j->n_shards, sizeof *paths);
  char lld[PATH_MAX];
  bool ok = false;
  if (argv && paths) {
    int n = 0;
    argv[n++] = (char *)(uintptr_t)w2o_llvm_tool("ld.lld", lld, sizeof lld);
    argv[n++] = "-r";
    argv[n++] = "-o";
    argv[n++] = (char *)(uintptr_t)out;
    for (uint32_t k = 0; k < j->n_shards; k++) {
      shard_path(j, k, paths[k], sizeof paths[k]);
      argv[n++] = paths[k];
    }
    ok = w2o_run(argv, false) == EXIT_OK;
  }
  free(argv);
  free(paths);
  return ok;
}

static bool run_workers(shard_job *j, unsigned jobs) {
  unsigned n = jobs < j->n_shards ? jobs : j->n_shards;
  pthread_t *threads = calloc(n, sizeof *threads);
  if (!threads)
    return false;
  unsigned started = 0;
  for (; started < n; started++) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)64 << 20); /* LLVM recurses deeply */
    int err = pthread_create(&threads[started], &attr, worker, j);
    pthread_attr_destroy(&attr);
    if (err)
      break;
  }
  if (started == 0)
    worker(j); /* no threads: do it here */
  for (unsigned i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  free(threads);
  return true;
}

int w2o_compile(const aotc_module *m, const cg_options *cg, unsigned jobs, size_t shard_bytes,
                const char *out, aotc_diag *d) {
  uint32_t n_shards = cg_shard_count(m, shard_bytes);
  if (n_shards <= 1)
    return cg_compile_object(m, cg, out, d) ? EXIT_OK : -1;
  cg_init();
  char dir[PATH_MAX];
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/wasm2obj-shards-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, "wasm2obj: error: cannot create a temporary directory: %s\n", strerror(errno));
    return EXIT_IO;
  }
  shard_job j = {.m = m, .cg = cg, .dir = dir, .n_shards = n_shards, .total = m->n_codes};
  pthread_mutex_init(&j.lock, NULL);
  j.diags = calloc(n_shards, sizeof *j.diags);
  j.ok = calloc(n_shards, sizeof *j.ok);
  int rc = EXIT_IO;
  if (j.diags && j.ok && run_workers(&j, jobs ? jobs : 1)) {
    rc = EXIT_OK;
    for (uint32_t k = 0; rc == EXIT_OK && k < n_shards; k++)
      if (!j.ok[k] && j.diags[k].code != AOTC_OK) {
        *d = j.diags[k];
        rc = -1;
      }
    if (rc == EXIT_OK && j.failed)
      rc = EXIT_IO; /* a shard failed without a diagnostic: cannot happen */
    if (rc == EXIT_OK && cg->progress)
      cg->progress(cg->progress_ctx, "emit", 0, 1);
    if (rc == EXIT_OK && !link_shards(&j, out))
      rc = EXIT_IO;
  }
  for (uint32_t k = 0; k < n_shards; k++) {
    char path[PATH_MAX];
    shard_path(&j, k, path, sizeof path);
    unlink(path);
  }
  rmdir(dir);
  free(j.diags);
  free(j.ok);
  pthread_mutex_destroy(&j.lock);
  return rc;
}
