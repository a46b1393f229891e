/*
** t_wasm.h: assembles Wasm binaries byte by byte for unit tests, so the tests
** stay self-contained (no wat2wasm at test time). It only writes bytes: it does
** not check that the result is a valid or even well-formed module, which is
** the point. Header-only (static inline) so every test file can use it.
*/
#ifndef T_WASM_H
#define T_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A fixed-capacity output buffer; writes past the end set `overflow`, which
** the test helpers check (a test module never needs more). */
typedef struct tw_buf {
  size_t n;
  bool overflow;
  uint8_t b[16384];
} tw_buf;

/* A byte-array literal and its length, for the (ptr, len) parameters below:
** tw_section(w, 1, TW_BYTES(1, 0x60, 0, 0)). */
#define TW_BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static inline void tw_init(tw_buf *w) {
  w->n = 0;
  w->overflow = false;
}

static inline void tw_raw(tw_buf *w, const void *p, size_t n) {
  if (n > sizeof w->b - w->n) {
    w->overflow = true;
    return;
  }
  if (n)
    memcpy(w->b + w->n, p, n);
  w->n += n;
}

static inline void tw_u8(tw_buf *w, uint8_t v) { tw_raw(w, &v, 1); }

/* Minimal-length unsigned LEB128. */
static inline void tw_u64(tw_buf *w, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    tw_u8(w, (uint8_t)(byte | (v ? 0x80 : 0)));
  } while (v);
}

static inline void tw_u32(tw_buf *w, uint32_t v) { tw_u64(w, v); }

/* Minimal-length signed LEB128. */
static inline void tw_s64(tw_buf *w, int64_t v) {
  for (;;) {
    uint8_t byte = (uint8_t)((uint64_t)v & 0x7f);
    /* Arithmetic shift written portably. */
    v = v < 0 ? ~(~v >> 7) : v >> 7;
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    tw_u8(w, (uint8_t)(byte | (done ? 0 : 0x80)));
    if (done)
      return;
  }
}

/* Unsigned LEB128 padded to exactly `len` bytes (an allowed non-minimal form
** when len is within the type's maximum). */
static inline void tw_u64_padded(tw_buf *w, uint64_t v, unsigned len) {
  for (unsigned i = 0; i < len; i++) {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    tw_u8(w, (uint8_t)(byte | (i + 1 < len ? 0x80 : 0)));
  }
}

/* A length-prefixed name (no UTF-8 check: tests feed bad names on purpose). */
static inline void tw_name_n(tw_buf *w, const char *s, size_t n) {
  tw_u32(w, (uint32_t)n);
  tw_raw(w, s, n);
}

static inline void tw_name(tw_buf *w, const char *s) { tw_name_n(w, s, strlen(s)); }

/* "\0asm" and version 1. */
static inline void tw_header(tw_buf *w) { tw_raw(w, "\0asm\1\0\0\0", 8); }

/* Section id, LEB size, payload. */
static inline void tw_section(tw_buf *w, uint8_t id, const uint8_t *payload, size_t n) {
  tw_u8(w, id);
  tw_u32(w, (uint32_t)n);
  tw_raw(w, payload, n);
}

static inline void tw_section_buf(tw_buf *w, uint8_t id, const tw_buf *payload) {
  tw_section(w, id, payload->b, payload->n);
}

/* A custom section: id 0, size, name, payload. */
static inline void tw_custom(tw_buf *w, const char *name, const uint8_t *payload, size_t n) {
  tw_buf p;
  tw_init(&p);
  tw_name(&p, name);
  tw_raw(&p, payload, n);
  tw_section_buf(w, 0, &p);
  w->overflow |= p.overflow;
}

/*
** A module described by its section payloads (index = section id) and its
** function bodies; tw_mod_build() writes them in the binary order
** (1..9, 12 = data count, 10 = code, 11 = data). Bodies include their local
** declarations but not their size prefix. Compound literals from TW_SEC and
** TW_BODY live until the end of the enclosing block, so build in that block.
*/
typedef struct tw_mod {
  bool has[13];
  const uint8_t *sec[13];
  size_t len[13];
  size_t n_bodies;
  const uint8_t *body[16];
  size_t body_len[16];
} tw_mod;

#define TW_SEC(m, id, ...)                                                                         \
  ((m).has[id] = true, (m).sec[id] = (const uint8_t[]){__VA_ARGS__},                               \
   (m).len[id] = sizeof((const uint8_t[]){__VA_ARGS__}))
#define TW_BODY(m, ...)                                                                            \
  ((m).body[(m).n_bodies] = (const uint8_t[]){__VA_ARGS__},                                        \
   (m).body_len[(m).n_bodies++] = sizeof((const uint8_t[]){__VA_ARGS__}))

static inline void tw_mod_build(tw_buf *w, const tw_mod *m) {
  static const uint8_t order[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11};
  tw_init(w);
  tw_header(w);
  for (size_t i = 0; i < sizeof order; i++) {
    uint8_t id = order[i];
    if (id == 10 && m->n_bodies && !m->has[10]) {
      tw_buf code;
      tw_init(&code);
      tw_u32(&code, (uint32_t)m->n_bodies);
      for (size_t k = 0; k < m->n_bodies; k++) {
        tw_u32(&code, (uint32_t)m->body_len[k]);
        tw_raw(&code, m->body[k], m->body_len[k]);
      }
      tw_section_buf(w, 10, &code);
      w->overflow |= code.overflow;
    } else if (m->has[id]) {
      tw_section(w, id, m->sec[id], m->len[id]);
    }
  }
}

#endif /* T_WASM_H */
