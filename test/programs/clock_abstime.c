// RUN-NODE: no: Node's WASI takes an absolute clock deadline as relative: sleeps for decades
// RUN-STDOUT: clock_nanosleep(MONOTONIC, absolute +30 ms) returned 0: yes
// RUN-STDOUT: woke after the deadline: yes
// RUN-STDOUT: woke within 10 s: yes
// RUN-STDOUT: a deadline in the past returns at once: yes
// RUN-STDOUT: clock_nanosleep(REALTIME, absolute +30 ms) returned 0: yes
// RUN-STDOUT: realtime deadline passed: yes
/* clock_nanosleep with TIMER_ABSTIME, which wasi-libc turns into a poll_oneoff
** clock subscription with the abstime flag: the call sleeps until the
** deadline, not for that long. Native only, with the expected output above. */
#include <stdio.h>
#include <time.h>

static long long now_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec at(long long ns) {
  struct timespec ts = {(time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL)};
  return ts;
}

static const char *yes(int b) { return b ? "yes" : "NO"; }

int main(void) {
  const long long req = 30000000LL;
  long long a = now_ns(CLOCK_MONOTONIC);
  struct timespec until = at(a + req);
  int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
  long long b = now_ns(CLOCK_MONOTONIC);
  printf("clock_nanosleep(MONOTONIC, absolute +30 ms) returned 0: %s\n", yes(r == 0));
  printf("woke after the deadline: %s\n", yes(b >= a + req));
  printf("woke within 10 s: %s\n", yes(b - a < 10000000000LL));

  until = at(a);
  long long c = now_ns(CLOCK_MONOTONIC);
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
  printf("a deadline in the past returns at once: %s\n",
         yes(r == 0 && now_ns(CLOCK_MONOTONIC) - c < 1000000000LL));

  a = now_ns(CLOCK_REALTIME);
  until = at(a + req);
  r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL);
  printf("clock_nanosleep(REALTIME, absolute +30 ms) returned 0: %s\n", yes(r == 0));
  printf("realtime deadline passed: %s\n", yes(now_ns(CLOCK_REALTIME) >= a + req));
  return 0;
}
