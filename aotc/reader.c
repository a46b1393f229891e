/*
** reader.c: bounds-checked primitives of the binary format (LEB128, floats,
** names, UTF-8). Errors are always "malformed" and carry the offset of the
** first byte that could not be read. Section and instruction grammar live in
** decode.c and instr.c.
*/
#include "reader.h"

#include <string.h>

void aotc_reader_init(aotc_reader *r, const uint8_t *base, size_t size, aotc_diag *d) {
  r->base = base;
  r->pos = 0;
  r->end = size;
  r->file_end = size;
  r->in_section = false;
  r->diag = d;
}

bool aotc_reader_eof_error(aotc_reader *r) {
  /* The spec suite distinguishes running off the whole input from running off
  ** a section or body whose declared size is too small. */
  if (r->in_section || r->end < r->file_end)
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos,
                         "unexpected end of section or function");
  return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->pos, "unexpected end");
}

bool aotc_read_u8_slow(aotc_reader *r, uint8_t *out) {
  if (r->pos >= r->end)
    return aotc_reader_eof_error(r);
  *out = r->base[r->pos++];
  return true;
}

/*
** spec: binary format, integers. An N-bit LEB128 uses at most ceil(N/7) bytes;
** in the last byte the bits beyond N must be zero (unsigned) or copies of the
** sign bit (signed). A longer encoding is "integer representation too long";
** bad high bits are "integer too large".
*/
static bool read_leb(aotc_reader *r, unsigned bits, bool is_signed, uint64_t *out) {
  const unsigned max_bytes = (bits + 6) / 7;
  size_t start = r->pos;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0;; i++) {
    if (r->pos >= r->end)
      return aotc_reader_eof_error(r);
    uint8_t byte = r->base[r->pos++];
    if (i == max_bytes - 1) {
      if (byte & 0x80)
        return aotc_diag_set(r->diag, AOTC_EMALFORMED, start, "integer representation too long");
      unsigned used = bits - shift; /* payload bits allowed in this byte */
      uint8_t rest = (uint8_t)((0x7fu >> used) << used);
      if (is_signed) {
        /* Bits above the sign bit must all equal the sign bit. */
        uint8_t sign_and_rest = (uint8_t)((0x7fu >> (used - 1)) << (used - 1));
        uint8_t hi = byte & sign_and_rest;
        if (hi != 0 && hi != sign_and_rest)
          return aotc_diag_set(r->diag, AOTC_EMALFORMED, start, "integer too large");
      } else if (byte & rest) {
        return aotc_diag_set(r->diag, AOTC_EMALFORMED, start, "integer too large");
      }
      result |= (uint64_t)(byte & 0x7f) << shift;
      shift += 7;
      break;
    }
    result |= (uint64_t)(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80))
      break;
  }
  if (is_signed && shift < 64 && (result >> (shift - 1)) & 1)
    result |= ~UINT64_C(0) << shift;
  *out = result;
  return true;
}

bool aotc_read_u32_slow(aotc_reader *r, uint32_t *out) {
  uint64_t v;
  if (!read_leb(r, 32, false, &v))
    return false;
  *out = (uint32_t)v;
  return true;
}

bool aotc_read_u64(aotc_reader *r, uint64_t *out) {
  return read_leb(r, 64, false, out);
}

bool aotc_read_s32(aotc_reader *r, int32_t *out) {
  uint64_t v;
  if (!read_leb(r, 32, true, &v))
    return false;
  *out = (int32_t)(uint32_t)v;
  return true;
}

bool aotc_read_s33(aotc_reader *r, int64_t *out) {
  uint64_t v;
  if (!read_leb(r, 33, true, &v))
    return false;
  *out = (int64_t)v;
  return true;
}

bool aotc_read_s64(aotc_reader *r, int64_t *out) {
  uint64_t v;
  if (!read_leb(r, 64, true, &v))
    return false;
  *out = (int64_t)v;
  return true;
}

bool aotc_read_bytes(aotc_reader *r, size_t n, const uint8_t **out) {
  if (n > r->end - r->pos) {
    r->pos = r->end;
    return aotc_reader_eof_error(r);
  }
  *out = r->base + r->pos;
  r->pos += n;
  return true;
}

bool aotc_read_f32(aotc_reader *r, uint32_t *bits) {
  const uint8_t *p = NULL;
  if (!aotc_read_bytes(r, 4, &p))
    return false;
  *bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return true;
}

bool aotc_read_f64(aotc_reader *r, uint64_t *bits) {
  const uint8_t *p = NULL;
  if (!aotc_read_bytes(r, 8, &p))
    return false;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  *bits = v;
  return true;
}

/* spec: binary format, names; UTF-8 per RFC 3629 (no overlongs, no surrogates,
** nothing above U+10FFFF). */
bool aotc_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (n - i < len)
      return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xc0) != 0x80)
        return false;
      cp = cp << 6 | (s[i + k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
}

bool aotc_read_vec_len(aotc_reader *r, uint32_t *out) {
  return aotc_read_u32(r, out);
}

size_t aotc_vec_cap(const aotc_reader *r, uint32_t n, size_t min_elem_size) {
  size_t most = aotc_reader_left(r) / min_elem_size + 1;
  return n < most ? n : most;
}

bool aotc_read_name(aotc_reader *r, aotc_name *out) {
  uint32_t len;
  const uint8_t *p = NULL;
  size_t at = r->pos;
  if (!aotc_read_u32(r, &len))
    return false;
  if (len > aotc_reader_left(r)) {
    (void)at;
    r->pos = r->end;
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, r->end, "length out of bounds");
  }
  if (!aotc_read_bytes(r, len, &p))
    return false;
  if (!aotc_utf8_valid(p, len))
    return aotc_diag_set(r->diag, AOTC_EMALFORMED, (size_t)(p - r->base),
                         "malformed UTF-8 encoding");
  out->ptr = (const char *)p;
  out->len = len;
  return true;
}
