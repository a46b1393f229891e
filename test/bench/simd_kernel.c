/* SIMD benchmark kernel, compiled twice from this one source: natively (clang-19
** -O3 -msse4.1, auto-vectorised) and to Wasm (clang-19 --target=wasm32 -msimd128
** -O3) then by wasm2obj. Arrays live in static storage (linear memory for Wasm). */
#define N 4096

static float xs[N], ys[N];
static unsigned char bytes[N * 4];

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name)))
#else
#define EXPORT(name)
#endif

EXPORT(kernel_init) void kernel_init(void) {
  for (int i = 0; i < N; i++) {
    xs[i] = (float)(i % 97) * 0.5f;
    ys[i] = (float)(i % 31) * 0.25f;
  }
  for (int i = 0; i < N * 4; i++)
    bytes[i] = (unsigned char)(i * 7);
}

/* rounds x (saxpy + dot product + byte histogram-like sum); returns a checksum. */
EXPORT(kernel_run) float kernel_run(int rounds) {
  float acc = 0;
  unsigned sum = 0;
  for (int r = 0; r < rounds; r++) {
    float a = 1.0f + (float)r * 1e-6f;
    for (int i = 0; i < N; i++)
      ys[i] = a * xs[i] + ys[i] * 0.5f;
    float dot = 0;
    for (int i = 0; i < N; i++)
      dot += xs[i] * ys[i];
    acc += dot;
    for (int i = 0; i < N * 4; i++)
      sum += bytes[i] > 128 ? bytes[i] - 128 : 128 - bytes[i];
  }
  return acc + (float)sum;
}
