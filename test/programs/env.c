// RUN-ENV: WRT_TEST=yes OTHER=1 EMPTY= 'SPACED=a b  c' UNICODE=ünï=équals LAST=z
/* Environment: the program sees exactly the variables it was given (the
** runner passes no others), getenv of present, empty and absent names, values
** containing '=' and spaces, and setenv/unsetenv afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *name) {
  const char *v = getenv(name);
  if (v)
    printf("getenv(%s) = [%s]\n", name, v);
  else
    printf("getenv(%s) = NULL\n", name);
}

static void list(void) {
  size_t n = 0;
  while (environ[n])
    n++;
  char **copy = malloc((n + 1) * sizeof *copy);
  memcpy(copy, environ, n * sizeof *copy);
  qsort(copy, n, sizeof *copy, cmp_str);
  printf("%zu variables:\n", n);
  for (size_t i = 0; i < n; i++)
    printf("  %s\n", copy[i]);
  free(copy);
}

int main(void) {
  list();
  show("WRT_TEST");
  show("EMPTY");
  show("SPACED");
  show("UNICODE");
  show("PATH");
  show("HOME");
  show("wrt_test");
  printf("setenv NEW: %d, overwrite OTHER: %d, keep LAST: %d\n", setenv("NEW", "fresh", 0),
         setenv("OTHER", "2", 1), setenv("LAST", "ignored", 0));
  printf("unsetenv WRT_TEST: %d\n", unsetenv("WRT_TEST"));
  list();
  return 0;
}
