/* command.c: a WASI command run by embed_host.c through wrt_wasi_run: prints
** its arguments and exits with a status computed from them. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    printf("[%s]", argv[i]);
  printf("\n");
  fflush(stdout);
  if (argc > 2)
    exit(atoi(argv[2]));
  return argc;
}
