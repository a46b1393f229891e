// RUN-ARGS: 30
/* Clocks: the monotonic clock never goes backwards, the realtime clock is past
** 2020, and nanosleep and poll with a timeout take at least the requested time
** (less 1 ms: Node's WASI sleeps with libuv timers of millisecond granularity
** and can wake up to 1 ms early). Prints only booleans: the values themselves
** differ from run to run. clock_nanosleep with TIMER_ABSTIME hangs under Node,
** so clock_abstime.c checks it natively. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long long now_ns(clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0)
    return -1;
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *yes(int b) { return b ? "yes" : "NO"; }

int main(int argc, char **argv) {
  long long ms = argc > 1 ? atoll(argv[1]) : 30; /* the requested sleep */
  long long req = ms * 1000000LL;
  long long least = req - 1000000LL; /* see the header */

  long long prev = now_ns(CLOCK_MONOTONIC), backwards = 0;
  for (int i = 0; i < 100000; i++) {
    long long t = now_ns(CLOCK_MONOTONIC);
    backwards += t < prev;
    prev = t;
  }
  printf("monotonic clock readable: %s\n", yes(prev > 0));
  printf("monotonic never went backwards in 100000 reads: %s\n", yes(backwards == 0));

  long long real = now_ns(CLOCK_REALTIME);
  printf("realtime after 2020-01-01: %s\n", yes(real / 1000000000LL > 1577836800LL));
  printf("realtime before 2100-01-01: %s\n", yes(real / 1000000000LL < 4102444800LL));
  time_t t = time(NULL);
  printf("time() agrees with realtime to 2 s: %s\n",
         yes(llabs((long long)t - real / 1000000000LL) <= 2));
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday agrees with realtime to 2 s: %s\n",
         yes(llabs((long long)tv.tv_sec - real / 1000000000LL) <= 2));
  struct timespec res;
  printf(
      "clock_getres(MONOTONIC) at most 1 ms: %s\n",
      yes(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec <= 1000000));

  long long a = now_ns(CLOCK_MONOTONIC);
  struct timespec d = {(time_t)(req / 1000000000LL), (long)(req % 1000000000LL)};
  int r = nanosleep(&d, NULL);
  long long b = now_ns(CLOCK_MONOTONIC);
  printf("nanosleep(%lld ms) returned 0: %s, slept at least that long: %s, under 10 s: %s\n", ms,
         yes(r == 0), yes(b - a >= least), yes(b - a < 10000000000LL));

  a = now_ns(CLOCK_MONOTONIC);
  r = poll(NULL, 0, (int)ms);
  b = now_ns(CLOCK_MONOTONIC);
  printf("poll(no fds, %lld ms) returned 0: %s, slept at least that long: %s\n", ms, yes(r == 0),
         yes(b - a >= least));

  a = now_ns(CLOCK_REALTIME);
  nanosleep(&d, NULL);
  b = now_ns(CLOCK_REALTIME);
  printf("realtime advanced across a sleep: %s\n", yes(b > a));
  struct timespec zero = {0, 0};
  printf("nanosleep(0) returns 0: %s\n", yes(nanosleep(&zero, NULL) == 0));
  return 0;
}
