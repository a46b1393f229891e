/* reactor.c: a WASI reactor (clang-19 --target=wasm32-wasi -mexec-model=reactor)
** used as a library by embed_host.c through its typed header: _initialize runs
** the constructors, then the host calls the exports below directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *greeting; /* set by a constructor: shows that _initialize ran */

__attribute__((constructor)) static void init(void) {
  greeting = strdup("initialized");
}

__attribute__((export_name("buf_alloc"))) char *buf_alloc(int n) {
  return malloc((size_t)n);
}

/* Words (runs of non-spaces) in s[0..n). */
__attribute__((export_name("count_words"))) int count_words(const char *s, int n) {
  int words = 0, in_word = 0;
  for (int i = 0; i < n; i++) {
    int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    words += !space && !in_word;
    in_word = !space;
  }
  return words;
}

/* Prints the greeting through WASI fd_write; returns its length. */
__attribute__((export_name("greet"))) int greet(void) {
  printf("%s\n", greeting ? greeting : "(constructors did not run)");
  fflush(stdout);
  return greeting ? (int)strlen(greeting) : -1;
}

__attribute__((export_name("env_len"))) int env_len(void) {
  const char *v = getenv("REACTOR_VAR");
  return v ? (int)strlen(v) : -1;
}

__attribute__((export_name("fail"))) int fail(int d) {
  return 100 / d;
}
