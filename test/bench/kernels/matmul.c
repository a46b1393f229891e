/* Kernel: dense float matrix multiply, i-k-j order (unit-stride inner loop
** that native compilers vectorise). Prints a checksum of C. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 256;
  int rounds = argc > 2 ? atoi(argv[2]) : 4;
  float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n);
  float *c = malloc(sizeof(float) * n * n);
  if (!a || !b || !c)
    return 1;
  for (int i = 0; i < n * n; i++) {
    a[i] = (float)(i % 13) * 0.25f;
    b[i] = (float)(i % 7) * 0.5f - 1.0f;
  }
  double sum = 0;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < n * n; i++)
      c[i] = 0;
    for (int i = 0; i < n; i++)
      for (int k = 0; k < n; k++) {
        float aik = a[i * n + k];
        for (int j = 0; j < n; j++)
          c[i * n + j] += aik * b[k * n + j];
      }
    for (int i = 0; i < n * n; i++)
      sum += c[i];
  }
  printf("matmul(%d): %.3f\n", n, sum);
  free(a), free(b), free(c);
  return 0;
}
