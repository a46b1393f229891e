/* Kernel: byte-level LZ77 compression with a hash of 3-byte prefixes, then
** decompression, checked against the input. Prints the compressed size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 32768
#define HBITS 15

static uint32_t rng = 12345;
static unsigned rnd(unsigned n) {
  rng = rng * 1103515245u + 12345u;
  return (rng >> 16) % n;
}

/* Tokens: literal run (0x00 len bytes...) or match (0x01 len16 dist16). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
  static int32_t head[1 << HBITS];
  size_t o = 0, lit = 0, i = 0;
  for (size_t h = 0; h < (1u << HBITS); h++)
    head[h] = -1;
  while (i < n) {
    size_t best = 0, dist = 0;
    if (i + 3 <= n) {
      uint32_t h = ((in[i] << 10) ^ (in[i + 1] << 5) ^ in[i + 2]) & ((1u << HBITS) - 1);
      int32_t cand = head[h];
      head[h] = (int32_t)i;
      if (cand >= 0 && i - (size_t)cand <= WINDOW) {
        size_t len = 0;
        while (i + len < n && len < 65535 && in[cand + len] == in[i + len])
          len++;
        if (len >= 4)
          best = len, dist = i - (size_t)cand;
      }
    }
    if (best) {
      if (lit) {
        out[o++] = 0, out[o++] = (uint8_t)lit;
        memcpy(out + o, in + i - lit, lit), o += lit, lit = 0;
      }
      out[o++] = 1, out[o++] = (uint8_t)(best >> 8), out[o++] = (uint8_t)best;
      out[o++] = (uint8_t)(dist >> 8), out[o++] = (uint8_t)dist;
      i += best;
    } else {
      i++, lit++;
      if (lit == 255) {
        out[o++] = 0, out[o++] = (uint8_t)lit;
        memcpy(out + o, in + i - lit, lit), o += lit, lit = 0;
      }
    }
  }
  if (lit) {
    out[o++] = 0, out[o++] = (uint8_t)lit;
    memcpy(out + o, in + n - lit, lit), o += lit;
  }
  return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (in[i] == 0) {
      size_t len = in[i + 1];
      for (size_t k = 0; k < len; k++)
        out[o + k] = in[i + 2 + k];
      o += len, i += 2 + len;
    } else {
      size_t len = (size_t)in[i + 1] << 8 | in[i + 2], dist = (size_t)in[i + 3] << 8 | in[i + 4];
      for (size_t k = 0; k < len; k++)
        out[o + k] = out[o - dist + k];
      o += len, i += 5;
    }
  }
  return o;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 4u << 20;
  uint8_t *in = malloc(n), *z = malloc(n * 2 + 16), *back = malloc(n);
  static const char *words[] = {"alpha ", "beta ", "gamma ", "delta ", "the ", "wasm ", "object ",
                                "linker ", "memory ", "trap\n"};
  if (!in || !z || !back)
    return 1;
  for (size_t i = 0; i < n;) {
    const char *w = words[rnd(10)];
    for (size_t k = 0; w[k] && i < n; k++)
      in[i++] = rnd(200) ? (uint8_t)w[k] : (uint8_t)rnd(256);
  }
  size_t zn = compress(in, n, z);
  size_t bn = decompress(z, zn, back);
  if (bn != n || memcmp(in, back, n) != 0) {
    printf("lz77: round trip failed\n");
    return 1;
  }
  printf("lz77: %zu -> %zu bytes\n", n, zn);
  free(in), free(z), free(back);
  return 0;
}
