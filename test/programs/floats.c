// RUN-ARGS: 0.1 1e-310 -0 3.14159265358979323846 1.7976931348623157e308
// RUN-ARGS: 0x1.8p-3 nan -inf 1e400 12abc
/* Floating point through libc: printf with %.17g, %a, %e and %f of doubles
** that stress formatting (subnormals, -0, huge values, NaN, infinity),
** strtod round trips (every %.17g must read back to the same bits), strtod of
** the arguments, float conversions and a few libm functions, whose results
** are printed exactly as bits. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static int round_trips(double d) {
  char s[64];
  snprintf(s, sizeof s, "%.17g", d);
  double back = strtod(s, NULL);
  return bits(back) == bits(d) || (isnan(d) && isnan(back));
}

int main(int argc, char **argv) {
  const double v[] = {0.1,
                      0.2,
                      0.1 + 0.2,
                      1.0 / 3.0,
                      2.0 / 3.0,
                      1e23,
                      5e-324,
                      2.2250738585072014e-308,
                      DBL_MAX,
                      -DBL_MIN,
                      -0.0,
                      123456789.125,
                      M_PI,
                      M_E,
                      9007199254740993.0,
                      1e-7,
                      100.0,
                      0.5};
  int all = 1;
  printf("== printf of doubles\n");
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    printf("%.17g | %a | %.3e | %.4f | %g\n", v[i], v[i], v[i], v[i], v[i]);
    all &= round_trips(v[i]);
  }
  printf("special: %f %f %f %e %g\n", INFINITY, -INFINITY, NAN, -INFINITY, -NAN);
  printf("widths: [%10.3f] [%-10.2e] [%+g] [% g] [%08.3f] [%#g]\n", M_PI, M_PI, 1.5, 1.5, -M_PI,
         2.0);
  printf("float: %.9g %.9g %a\n", (double)0.1f, (double)FLT_MAX, (double)FLT_MIN);

  printf("== strtod round trips\n");
  uint64_t x = 0x0123456789abcdefu;
  int count = 0;
  for (int i = 0; i < 20000; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    uint64_t u = x;
    double d;
    memcpy(&d, &u, sizeof d);
    if (isnan(d))
      continue;
    all &= round_trips(d);
    count++;
  }
  printf("%d random bit patterns and the list above all round-trip: %s\n", count,
         all ? "yes" : "NO");

  printf("== strtod of the arguments\n");
  for (int i = 1; i < argc; i++) {
    char *end;
    double d = strtod(argv[i], &end);
    printf("%-26s -> %-24.17g bits %016llx, rest \"%s\"\n", argv[i], d, (unsigned long long)bits(d),
           end);
  }
  printf("strtof(\"3.4028236e38\") = %g (overflow)\n", (double)strtof("3.4028236e38", NULL));
  printf("atof(\"  -12.5e-1x\") = %g\n", atof("  -12.5e-1x"));

  printf("== conversions and libm, as bits\n");
  const double in[] = {0.5, 1.0, 2.5, -3.75, 10.0, 1e-3};
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
    double d = in[i];
    printf("%-6g sqrt %016llx exp %016llx log %016llx sin %016llx atan2 %016llx pow %016llx\n", d,
           (unsigned long long)bits(sqrt(fabs(d))), (unsigned long long)bits(exp(d)),
           (unsigned long long)bits(log(fabs(d))), (unsigned long long)bits(sin(d)),
           (unsigned long long)bits(atan2(d, 0.7)), (unsigned long long)bits(pow(fabs(d), 1.3)));
  }
  printf("rint(2.5) %g, round(2.5) %g, floor(-0.5) %g, trunc(-1.7) %g, fmod(7.5, 2) %g\n",
         rint(2.5), round(2.5), floor(-0.5), trunc(-1.7), fmod(7.5, 2));
  printf("(int)-3.99 = %d, (long long)1e18 = %lld, (unsigned)3e9 = %u, (float)1/3 = %.9g\n",
         (int)-3.99, (long long)1e18, (unsigned)3e9, (double)(1.0f / 3.0f));
  volatile double zero = 0.0;
  printf("1/0 = %g, -1/0 = %g, 0/0 is nan: %d, fmin(nan, 1) = %g\n", 1 / zero, -1 / zero,
         isnan(zero / zero), fmin(NAN, 1.0));
  return 0;
}
