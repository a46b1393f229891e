// RUN-EXIT: 3
// RUN-ARGS: 3
/* Exit status from exit(N) deep in a call chain: atexit handlers run in
** reverse order, and buffered stdout (not a terminal, so fully buffered) is
** flushed by exit. Nothing after the exit call may run. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

static int depth(int n, int code) {
  if (n == 0) {
    printf("calling exit(%d) at depth 10, no newline yet...", code);
    exit(code);
  }
  return depth(n - 1, code) + 1;
}

int main(int argc, char **argv) {
  atexit(first);
  atexit(second);
  fprintf(stderr, "stderr before exit\n");
  printf("result %d\n", depth(10, argc > 1 ? atoi(argv[1]) : 3));
  printf("not reached\n");
  return 0;
}
