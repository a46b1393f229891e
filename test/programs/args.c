// RUN-ARGS: hello "two words" ünï "" 'single quoted' --flag=x
// RUN-ARGS: "日本語 テキスト" -- '  padded  ' "emoji 🦀"
/* Arguments: argc and every argument byte for byte, including spaces, an
** empty argument, leading and trailing blanks, and multi-byte UTF-8. argv[0]
** is only checked to be non-empty: it is the program path, which differs
** between the Node and native runs. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("argc = %d\n", argc);
  printf("argv[0] is %s\n", argv[0] && argv[0][0] ? "non-empty" : "empty");
  size_t total = 0;
  for (int i = 1; i < argc; i++) {
    size_t n = strlen(argv[i]);
    total += n;
    printf("argv[%d] = [%s] (%zu bytes:", i, argv[i], n);
    for (size_t j = 0; j < n; j++)
      printf(" %02x", (unsigned char)argv[i][j]);
    printf(")\n");
  }
  printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
  printf("%zu bytes of arguments\n", total);
  return 0;
}
