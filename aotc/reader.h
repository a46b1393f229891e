/*
** reader.h: a bounds-checked cursor over the input bytes and the LEB128,
** float and name primitives of the binary format. Every read either succeeds
** or records a "malformed" diagnostic at the failing offset and returns false.
** It knows nothing about sections or instructions (decode.c, instr.c).
*/
#ifndef AOTC_READER_H
#define AOTC_READER_H

#include "aotc.h"

/*
** Invariant: pos <= end <= size of the input. Offsets are absolute (relative to
** the start of the module) so diagnostics need no translation. `end` is the
** end of the current section or body: reading past it is an error even if the
** input continues ("unexpected end of section or function" vs "unexpected end").
*/
typedef struct aotc_reader {
  const uint8_t *base; /* start of the module */
  size_t pos, end;
  size_t file_end;     /* size of the whole input */
  bool in_section;     /* reading inside a section or body (wording of EOF errors) */
  aotc_diag *diag;
} aotc_reader;

void aotc_reader_init(aotc_reader *r, const uint8_t *base, size_t size, aotc_diag *d);

static inline bool aotc_reader_eof(const aotc_reader *r) {
  return r->pos >= r->end;
}
static inline size_t aotc_reader_left(const aotc_reader *r) {
  return r->end - r->pos;
}

/* Records "unexpected end of section or function" inside a section or body,
** else "unexpected end" (module header, section headers), at r->pos. */
bool aotc_reader_eof_error(aotc_reader *r);

bool aotc_read_u8_slow(aotc_reader *r, uint8_t *out);
bool aotc_read_u32_slow(aotc_reader *r, uint32_t *out);

/* The one-byte cases are inline: they are most of every instruction stream. */
static inline bool aotc_read_u8(aotc_reader *r, uint8_t *out) {
  if (r->pos < r->end) {
    *out = r->base[r->pos++];
    return true;
  }
  return aotc_read_u8_slow(r, out);
}
static inline bool aotc_read_u32(aotc_reader *r, uint32_t *out) {
  if (r->pos < r->end && r->base[r->pos] < 0x80) {
    *out = r->base[r->pos++];
    return true;
  }
  return aotc_read_u32_slow(r, out);
}
bool aotc_read_u64(aotc_reader *r, uint64_t *out);
bool aotc_read_s32(aotc_reader *r, int32_t *out);
bool aotc_read_s33(aotc_reader *r, int64_t *out); /* block types */
bool aotc_read_s64(aotc_reader *r, int64_t *out);
bool aotc_read_f32(aotc_reader *r, uint32_t *bits);
bool aotc_read_f64(aotc_reader *r, uint64_t *bits);
/* Borrows n bytes. */
bool aotc_read_bytes(aotc_reader *r, size_t n, const uint8_t **out);
/* A length-prefixed name, checked to be valid UTF-8 ("malformed UTF-8 encoding"). */
bool aotc_read_name(aotc_reader *r, aotc_name *out);
/* A vector length. It is not checked against the bytes left: elements are
** read one by one and the first that does not fit reports the error, as the
** spec's reference decoder does. Allocate with aotc_vec_cap. */
bool aotc_read_vec_len(aotc_reader *r, uint32_t *out);
/* How many elements of a claimed vector of n can be read when each takes at
** least min_elem_size bytes: min(n, left / min + 1). Allocating this many
** bounds memory by the input size; reading element cap must fail first. */
size_t aotc_vec_cap(const aotc_reader *r, uint32_t n, size_t min_elem_size);

bool aotc_utf8_valid(const uint8_t *s, size_t n);

#endif
