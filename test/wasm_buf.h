/*
** wasm_buf.h: a growable byte buffer and the Wasm binary encodings that the
** test generators write modules with (test/hostile/gen_hostile.c,
** test/bench/inst_gen.c): LEB128 integers, sections, the module header.
** Header-only (static functions); out of memory ends the program.
*/
#ifndef WASM_BUF_H
#define WASM_BUF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wasm_buf {
  uint8_t *p;
  size_t n, cap;
} wasm_buf;

static void wb_put(wasm_buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) {
      perror("wasm_buf");
      exit(1);
    }
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void wb_u8(wasm_buf *b, uint8_t v) {
  wb_put(b, &v, 1);
}

static void wb_uleb(wasm_buf *b, uint64_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    wb_u8(b, (uint8_t)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void wb_sleb(wasm_buf *b, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      wb_u8(b, c);
      return;
    }
    wb_u8(b, c | 0x80);
  }
}

/* Appends section `id` holding s's bytes to m, and empties s. */
static void wb_section(wasm_buf *m, uint8_t id, wasm_buf *s) {
  wb_u8(m, id);
  wb_uleb(m, s->n);
  wb_put(m, s->p, s->n);
  s->n = 0;
}

static void wb_header(wasm_buf *m) {
  wb_put(m, "\0asm\1\0\0\0", 8);
}

#endif
