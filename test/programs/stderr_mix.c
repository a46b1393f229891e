// RUN-MERGE-STDERR: yes
/* stdout and stderr into one file (the runner merges them): the interleaving
** follows from stdio buffering alone (stdout is fully buffered when it is not
** a terminal, stderr unbuffered), so it must match exactly. Also writes to
** fds 1 and 2 directly, changes buffering with setvbuf, and writes a long
** message to stderr in one call. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  printf("out 1 (buffered)\n");
  fprintf(stderr, "err 1\n");
  write(2, "err 2 (write)\n", 14);
  printf("out 2 (buffered)\n");
  fflush(stdout);
  fprintf(stderr, "err 3 after the flush\n");
  write(1, "out 3 (write)\n", 14);

  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("out 4 (line buffered) ");
  fprintf(stderr, "err 4\n");
  printf("completes here\n");
  fprintf(stderr, "err 5\n");

  setvbuf(stderr, NULL, _IOFBF, 64);
  fprintf(stderr, "err 6 (stderr now fully buffered, 64 bytes)\n");
  printf("out 5\n");
  fprintf(stderr, "err 7 fills the 64-byte buffer past its end\n");
  printf("out 6\n");
  fflush(stderr);

  char big[3000];
  memset(big, 'E', sizeof big - 1);
  big[sizeof big - 1] = '\n';
  write(2, big, sizeof big);
  for (int i = 0; i < 5; i++) {
    printf("out %d\n", 7 + i);
    fprintf(stderr, "err %d\n", 8 + i);
  }
  return 0;
}
