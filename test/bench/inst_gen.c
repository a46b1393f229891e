/*
** inst_gen.c: writes the module of the instantiation benchmark
** (inst_bench.c) as a Wasm binary: 1 MiB of data segments (16 x 64 KiB of
** pseudo-random bytes) in a 32-page memory, a 10,000-entry funcref table
** filled by one active element segment from 10 functions, and an export
** `run(i) = load32(i * 4 mod 1 MiB) + table[i mod 10000](i)`.
** Usage: inst_gen OUT.wasm
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_FUNCS 10
#define TABLE_SIZE 10000
#define N_SEGS 16
#define SEG_BYTES 65536

typedef struct buf {
  uint8_t *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) {
      perror("inst_gen");
      exit(1);
    }
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void byte(buf *b, uint8_t x) {
  put(b, &x, 1);
}

static void uleb(buf *b, uint64_t v) {
  do {
    uint8_t x = v & 0x7f;
    v >>= 7;
    byte(b, (uint8_t)(x | (v ? 0x80 : 0)));
  } while (v);
}

static void sleb(buf *b, int64_t v) {
  for (;;) {
    uint8_t x = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(x & 0x40)) || (v == -1 && (x & 0x40))) {
      byte(b, x);
      return;
    }
    byte(b, x | 0x80);
  }
}

/* Appends section `id` holding body's bytes, and empties body. */
static void section(buf *out, uint8_t id, buf *body) {
  byte(out, id);
  uleb(out, body->n);
  put(out, body->p, body->n);
  body->n = 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: inst_gen OUT.wasm\n");
    return 2;
  }
  buf m = {0}, s = {0}, f = {0};
  put(&m, "\0asm\1\0\0\0", 8);
  /* type 0: (i32) -> i32 */
  uleb(&s, 1);
  put(&s, "\x60\x01\x7f\x01\x7f", 5);
  section(&m, 1, &s);
  uleb(&s, N_FUNCS + 1); /* functions: N_FUNCS table targets, then run */
  for (int i = 0; i <= N_FUNCS; i++)
    uleb(&s, 0);
  section(&m, 3, &s);
  uleb(&s, 1); /* table funcref TABLE_SIZE..TABLE_SIZE */
  byte(&s, 0x70);
  byte(&s, 0x01);
  uleb(&s, TABLE_SIZE);
  uleb(&s, TABLE_SIZE);
  section(&m, 4, &s);
  uleb(&s, 1); /* memory 32 pages, max 64 */
  byte(&s, 0x01);
  uleb(&s, 32);
  uleb(&s, 64);
  section(&m, 5, &s);
  uleb(&s, 2); /* exports: run, memory */
  uleb(&s, 3);
  put(&s, "run", 3);
  byte(&s, 0x00);
  uleb(&s, N_FUNCS);
  uleb(&s, 6);
  put(&s, "memory", 6);
  byte(&s, 0x02);
  uleb(&s, 0);
  section(&m, 7, &s);
  uleb(&s, 1); /* elem: active, table 0, offset 0, func indices */
  byte(&s, 0x00);
  put(&s, "\x41\x00\x0b", 3);
  uleb(&s, TABLE_SIZE);
  for (int i = 0; i < TABLE_SIZE; i++)
    uleb(&s, (uint64_t)(i % N_FUNCS));
  section(&m, 9, &s);
  uleb(&s, N_FUNCS + 1); /* code */
  for (int i = 0; i < N_FUNCS; i++) {
    /* (local.get 0) (i32.const i*7+1) i32.add */
    byte(&f, 0x00);
    put(&f, "\x20\x00\x41", 3);
    sleb(&f, i * 7 + 1);
    byte(&f, 0x6a);
    byte(&f, 0x0b);
    uleb(&s, f.n);
    put(&s, f.p, f.n);
    f.n = 0;
  }
  /* run: load32((i*4) & 0xffffc) + call_indirect((i) rem_u TABLE_SIZE)(i) */
  byte(&f, 0x00);
  put(&f, "\x20\x00\x41\x04\x6c\x41", 6); /* local.get 0; i32.const 4; i32.mul; i32.const */
  sleb(&f, 0xffffc);
  byte(&f, 0x71);                         /* i32.and */
  put(&f, "\x28\x02\x00", 3);             /* i32.load align=2 offset=0 */
  put(&f, "\x20\x00\x20\x00\x41", 5);     /* local.get 0; local.get 0; i32.const */
  sleb(&f, TABLE_SIZE);
  byte(&f, 0x70);                         /* i32.rem_u */
  put(&f, "\x11\x00\x00", 3);             /* call_indirect type 0 table 0 */
  byte(&f, 0x6a);                         /* i32.add */
  byte(&f, 0x0b);
  uleb(&s, f.n);
  put(&s, f.p, f.n);
  section(&m, 10, &s);
  uleb(&s, N_SEGS); /* data: N_SEGS active segments of SEG_BYTES */
  uint32_t x = 2463534242u;
  for (int i = 0; i < N_SEGS; i++) {
    byte(&s, 0x00);
    byte(&s, 0x41);
    sleb(&s, (int64_t)i * SEG_BYTES);
    byte(&s, 0x0b);
    uleb(&s, SEG_BYTES);
    for (int j = 0; j < SEG_BYTES; j++) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
      byte(&s, (uint8_t)x);
    }
  }
  section(&m, 11, &s);
  FILE *out = fopen(argv[1], "wb");
  if (!out || fwrite(m.p, 1, m.n, out) != m.n || fclose(out) != 0) {
    perror(argv[1]);
    return 1;
  }
  free(m.p), free(s.p), free(f.p);
  return 0;
}
