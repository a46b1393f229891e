/* SIMD benchmark host: runs the same kernel natively and as compiled Wasm
** (descriptor simd__module) in one process and prints the time ratio. */
#include <stdio.h>
#include <time.h>

#include "wrt.h"

extern const wrt_module_desc simd__module;
void kernel_init(void);
float kernel_run(int rounds);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void) {
  enum { ROUNDS = 20000, REPS = 5 };
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  wrt_instance *inst;
  wrt_diag diag;
  wrt_trap trap;
  wrt_extern init, run;
  if (wrt_instantiate(s, &simd__module, l, &inst, &diag, &trap) != WRT_OK ||
      wrt_instance_export(inst, "kernel_init", &init) ||
      wrt_instance_export(inst, "kernel_run", &run) ||
      wrt_call(s, init.of.func, NULL, 0, NULL, 0, &trap)) {
    fprintf(stderr, "setup failed: %s\n", diag.msg);
    return 1;
  }
  kernel_init();
  double best_native = 1e9, best_wasm = 1e9;
  float r_native = 0, r_wasm = 0;
  for (int k = 0; k < REPS; k++) {
    double t0 = now();
    r_native = kernel_run(ROUNDS);
    double t1 = now();
    wrt_val arg = WRT_I32_VAL(ROUNDS), res;
    if (wrt_call(s, run.of.func, &arg, 1, &res, 1, &trap) != WRT_OK)
      return 1;
    double t2 = now();
    r_wasm = res.of.f32;
    if (t1 - t0 < best_native)
      best_native = t1 - t0;
    if (t2 - t1 < best_wasm)
      best_wasm = t2 - t1;
  }
  printf("  simd kernel: native -O3 -msse4.1 %.3f s, wasm2obj -O3 (SIMD128) %.3f s: "
         "ratio %.2fx of native (checksums %g / %g)\n",
         best_native, best_wasm, best_wasm / best_native, r_native, r_wasm);
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
  return 0;
}
