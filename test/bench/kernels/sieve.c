/* Kernel: sieve of Eratosthenes over a 12 MiB byte array, N rounds. Strided
** byte stores across a large buffer. Prints the prime count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE (12u << 20)

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 4;
  unsigned char *composite = malloc(SIZE);
  unsigned count = 0;
  if (!composite)
    return 1;
  for (int r = 0; r < rounds; r++) {
    memset(composite, 0, SIZE);
    count = 0;
    for (unsigned i = 2; i < SIZE; i++) {
      if (composite[i])
        continue;
      count++;
      for (unsigned j = i + i; j < SIZE; j += i)
        composite[j] = 1;
    }
  }
  printf("sieve: %u primes below %u\n", count, SIZE);
  free(composite);
  return 0;
}
