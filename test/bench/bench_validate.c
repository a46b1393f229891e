/*
** bench_validate: front-end throughput. Maps a .wasm file, runs decode +
** validate N times in-process and prints MB/s (best and median), so process
** start-up and libLLVM loading do not distort the figure. Used by `make bench`.
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aotc.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_validate FILE.wasm [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? atoi(argv[2]) : 20;
  if (runs < 1 || runs > 1000)
    runs = 20;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
    perror(argv[1]);
    return 3;
  }
  size_t size = (size_t)st.st_size;
  const uint8_t *bytes = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (bytes == MAP_FAILED) {
    perror("mmap");
    return 3;
  }
  double *t = malloc((size_t)runs * sizeof *t);
  if (!t)
    return 3;
  aotc_options opt = {.features = aotc_features_all()};
  for (int i = 0; i < runs; i++) {
    aotc_diag d;
    aotc_diag_init(&d);
    double t0 = now();
    aotc_module *m = aotc_module_decode(bytes, size, &opt, &d);
    bool ok = m && aotc_module_validate(m, &d);
    t[i] = now() - t0;
    aotc_module_free(m);
    if (!ok) {
      fprintf(stderr, "%s: error: %s\n", argv[1], d.msg);
      return 1;
    }
  }
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  double mb = (double)size / 1e6;
  printf("%s: %.1f MB, decode+validate best %.1f MB/s, median %.1f MB/s (%d runs)\n", argv[1], mb,
         mb / t[0], mb / t[runs / 2], runs);
  free(t);
  munmap((void *)(uintptr_t)bytes, size);
  return 0;
}
