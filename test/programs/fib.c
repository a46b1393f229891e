/* Demo module without WASI: pure computation exported to the host. Built with
** clang-19 --target=wasm32 -nostdlib; the host (fib_host.c) calls it natively. */
__attribute__((export_name("fib"))) unsigned long long fib(unsigned n) {
  unsigned long long a = 0, b = 1;
  while (n--) {
    unsigned long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}

static unsigned char buf[64];

/* Writes the decimal digits of x into linear memory; returns the address. */
__attribute__((export_name("format"))) unsigned char *format(unsigned long long x) {
  int i = sizeof buf - 1;
  buf[i] = 0;
  do {
    buf[--i] = (unsigned char)('0' + x % 10);
    x /= 10;
  } while (x);
  return &buf[i];
}
