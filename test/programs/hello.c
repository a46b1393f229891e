/* The demo program: prints a greeting, its arguments and a small computation,
** so the demo shows WASI output, argv and arithmetic surviving compilation. */
#include <stdio.h>

static unsigned long long fib(unsigned n) {
  unsigned long long a = 0, b = 1;
  while (n--) {
    unsigned long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}

int main(int argc, char **argv) {
  printf("hello from WebAssembly\n");
  for (int i = 1; i < argc; i++)
    printf("arg %d: %s\n", i, argv[i]);
  printf("fib(50) = %llu\n", fib(50));
  return 0;
}
