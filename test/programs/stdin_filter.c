// RUN-STDIN-FILE: hello.c
/* stdin: reads all of it in odd-sized chunks with read(2), counts bytes, lines
** and words, then echoes it transformed (line numbers, upper case, each line
** reversed) and ends with a checksum. Reading at EOF again must give 0. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  size_t cap = 1024, len = 0, reads = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (cap - len < 777)
      buf = realloc(buf, cap *= 2);
    ssize_t n = read(0, buf + len, 777);
    if (n < 0) {
      perror("read");
      return 1;
    }
    if (n == 0)
      break;
    len += (size_t)n;
    reads++;
  }
  printf("read again at EOF: %zd\n", read(0, buf + len, 1));

  size_t lines = 0, words = 0;
  int in_word = 0;
  uint32_t sum = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)buf[i];
    lines += c == '\n';
    if (isspace(c))
      in_word = 0;
    else if (!in_word)
      in_word = 1, words++;
    sum = sum * 31 + c;
  }
  printf("%zu bytes, %zu lines, %zu words, checksum %08x\n", len, lines, words, sum);
  printf("at least one read: %s\n", reads > 0 ? "yes" : "no");

  size_t start = 0, no = 0;
  while (start < len) {
    char *nl = memchr(buf + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - buf) : len;
    printf("%4zu |", ++no);
    for (size_t i = start; i < end; i++)
      putchar(toupper((unsigned char)buf[i]));
    printf("| ");
    for (size_t i = end; i > start; i--)
      putchar(buf[i - 1]);
    putchar('\n');
    start = end + 1;
  }
  free(buf);
  return 0;
}
