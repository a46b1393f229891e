// RUN-ARGS: 0
// RUN-EXIT: 134
// RUN-STDERR: ignore
/* A trap: an integer division by zero (the divisor comes from the command
** line, so the compiler cannot see it). The program stops with status 134
** (WRT_WASI_TRAP_STATUS; scripts/node-wasi.cjs does the same); what it wrote
** with write(2) or flushed is kept, what sat in the stdio buffer is lost.
** stderr holds the runtime's own trap message, different under Node, so it is
** not compared. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int d = argc > 1 ? atoi(argv[1]) : 0;
  printf("flushed before the trap\n");
  fflush(stdout);
  write(1, "written before the trap\n", 24);
  printf("buffered, lost in the trap\n");
  printf("%d\n", 100 / d);
  write(1, "not reached\n", 12);
  return 0;
}
