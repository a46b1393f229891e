// RUN-EXIT: 42
/* Exit status from returning N from main, with output still in the stdio
** buffer when main returns. */
#include <stdio.h>

int main(void) {
  for (int i = 0; i < 3; i++)
    printf("line %d before returning 42\n", i);
  fputs("unterminated last line", stdout);
  return 42;
}
