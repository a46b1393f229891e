// RUN-STDIN: first line\nsecond\tline with a tab\n\nünïcode line\nno newline at the end
/* stdin through stdio: fgets line by line (including an empty line and a last
** line without a newline), then getchar at EOF, feof and clearerr. */
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[128];
  int n = 0;
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    int nl = len > 0 && line[len - 1] == '\n';
    if (nl)
      line[--len] = 0;
    printf("line %d: %zu bytes%s: [%s]\n", ++n, len, nl ? "" : " (no newline)", line);
  }
  printf("feof: %d, ferror: %d\n", feof(stdin) != 0, ferror(stdin) != 0);
  printf("getchar at EOF: %d\n", getchar());
  clearerr(stdin);
  printf("after clearerr: feof %d, getchar %d\n", feof(stdin) != 0, getchar());
  return 0;
}
