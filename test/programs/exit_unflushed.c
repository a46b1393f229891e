// RUN-EXIT: 9
/* _Exit(N) ends the program at once: atexit handlers do not run and stdio
** buffers are not flushed, so only what was written with write(2) and the
** explicitly flushed stdout text reach the output. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void handler(void) { printf("atexit handler ran (wrong)\n"); }

int main(void) {
  atexit(handler);
  printf("flushed line\n");
  fflush(stdout);
  printf("buffered line, lost by _Exit\n");
  write(1, "written directly\n", 17);
  fprintf(stderr, "stderr is unbuffered\n");
  _Exit(9);
}
