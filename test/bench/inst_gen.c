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

#include "../wasm_buf.h"

#define N_FUNCS 10
#define TABLE_SIZE 10000
#define N_SEGS 16
#define SEG_BYTES 65536

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: inst_gen OUT.wasm\n");
    return 2;
  }
  wasm_buf m = {0}, s = {0}, f = {0};
  wb_header(&m);
  /* type 0: (i32) -> i32 */
  wb_uleb(&s, 1);
  wb_put(&s, "\x60\x01\x7f\x01\x7f", 5);
  wb_section(&m, 1, &s);
  wb_uleb(&s, N_FUNCS + 1); /* functions: N_FUNCS table targets, then run */
  for (int i = 0; i <= N_FUNCS; i++)
    wb_uleb(&s, 0);
  wb_section(&m, 3, &s);
  wb_uleb(&s, 1); /* table funcref TABLE_SIZE..TABLE_SIZE */
  wb_u8(&s, 0x70);
  wb_u8(&s, 0x01);
  wb_uleb(&s, TABLE_SIZE);
  wb_uleb(&s, TABLE_SIZE);
  wb_section(&m, 4, &s);
  wb_uleb(&s, 1); /* memory 32 pages, max 64 */
  wb_u8(&s, 0x01);
  wb_uleb(&s, 32);
  wb_uleb(&s, 64);
  wb_section(&m, 5, &s);
  wb_uleb(&s, 2); /* exports: run, memory */
  wb_uleb(&s, 3);
  wb_put(&s, "run", 3);
  wb_u8(&s, 0x00);
  wb_uleb(&s, N_FUNCS);
  wb_uleb(&s, 6);
  wb_put(&s, "memory", 6);
  wb_u8(&s, 0x02);
  wb_uleb(&s, 0);
  wb_section(&m, 7, &s);
  wb_uleb(&s, 1); /* elem: active, table 0, offset 0, func indices */
  wb_u8(&s, 0x00);
  wb_put(&s, "\x41\x00\x0b", 3);
  wb_uleb(&s, TABLE_SIZE);
  for (int i = 0; i < TABLE_SIZE; i++)
    wb_uleb(&s, (uint64_t)(i % N_FUNCS));
  wb_section(&m, 9, &s);
  wb_uleb(&s, N_FUNCS + 1); /* code */
  for (int i = 0; i < N_FUNCS; i++) {
    /* (local.get 0) (i32.const i*7+1) i32.add */
    wb_u8(&f, 0x00);
    wb_put(&f, "\x20\x00\x41", 3);
    wb_sleb(&f, i * 7 + 1);
    wb_u8(&f, 0x6a);
    wb_u8(&f, 0x0b);
    wb_uleb(&s, f.n);
    wb_put(&s, f.p, f.n);
    f.n = 0;
  }
  /* run: load32((i*4) & 0xffffc) + call_indirect((i) rem_u TABLE_SIZE)(i) */
  wb_u8(&f, 0x00);
  wb_put(&f, "\x20\x00\x41\x04\x6c\x41", 6); /* local.get 0; i32.const 4; i32.mul; i32.const */
  wb_sleb(&f, 0xffffc);
  wb_u8(&f, 0x71);                         /* i32.and */
  wb_put(&f, "\x28\x02\x00", 3);             /* i32.load align=2 offset=0 */
  wb_put(&f, "\x20\x00\x20\x00\x41", 5);     /* local.get 0; local.get 0; i32.const */
  wb_sleb(&f, TABLE_SIZE);
  wb_u8(&f, 0x70);                         /* i32.rem_u */
  wb_put(&f, "\x11\x00\x00", 3);             /* call_indirect type 0 table 0 */
  wb_u8(&f, 0x6a);                         /* i32.add */
  wb_u8(&f, 0x0b);
  wb_uleb(&s, f.n);
  wb_put(&s, f.p, f.n);
  wb_section(&m, 10, &s);
  wb_uleb(&s, N_SEGS); /* data: N_SEGS active segments of SEG_BYTES */
  uint32_t x = 2463534242u;
  for (int i = 0; i < N_SEGS; i++) {
    wb_u8(&s, 0x00);
    wb_u8(&s, 0x41);
    wb_sleb(&s, (int64_t)i * SEG_BYTES);
    wb_u8(&s, 0x0b);
    wb_uleb(&s, SEG_BYTES);
    for (int j = 0; j < SEG_BYTES; j++) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
      wb_u8(&s, (uint8_t)x);
    }
  }
  wb_section(&m, 11, &s);
  FILE *out = fopen(argv[1], "wb");
  if (!out || fwrite(m.p, 1, m.n, out) != m.n || fclose(out) != 0) {
    perror(argv[1]);
    return 1;
  }
  free(m.p), free(s.p), free(f.p);
  return 0;
}
