/*
** test_aotc_reader.c: unit tests for aotc/reader.c (LEB128 edges, floats,
** names and UTF-8, vector lengths) and the diag helpers. Section and
** instruction grammar are tested in test_aotc_decode.c.
*/
#include "reader.h"
#include "t.h"
#include "t_wasm.h"

#include <string.h>

extern const t_case aotc_reader_cases[];
extern const size_t aotc_reader_n_cases;

/* ------------------------------------------------------------------ helpers */

typedef enum leb_kind { K_U32, K_S32, K_S33, K_U64, K_S64 } leb_kind;

static const char *const kind_name[] = {"u32", "s32", "s33", "u64", "s64"};
static const unsigned kind_max_len[] = {5, 5, 5, 10, 10};

/* Reads one integer of `kind` from bytes[start, end) of an input of size n.
** Signed results are returned sign-extended. */
static bool read_leb(leb_kind kind, const uint8_t *bytes, size_t n, size_t start, size_t end,
                     uint64_t *out, size_t *pos, aotc_diag *d) {
  aotc_reader r;
  aotc_diag_init(d);
  aotc_reader_init(&r, bytes, n, d);
  r.pos = start;
  r.end = end;
  bool ok = false;
  *out = 0;
  switch (kind) {
  case K_U32: {
    uint32_t v = 0;
    ok = aotc_read_u32(&r, &v);
    *out = v;
    break;
  }
  case K_S32: {
    int32_t v = 0;
    ok = aotc_read_s32(&r, &v);
    *out = (uint64_t)(int64_t)v;
    break;
  }
  case K_S33: {
    int64_t v = 0;
    ok = aotc_read_s33(&r, &v);
    *out = (uint64_t)v;
    break;
  }
  case K_U64:
    ok = aotc_read_u64(&r, out);
    break;
  case K_S64: {
    int64_t v = 0;
    ok = aotc_read_s64(&r, &v);
    *out = (uint64_t)v;
    break;
  }
  }
  *pos = r.pos;
  return ok;
}

/* Expects a successful read of all of b[0, n) (plus one trailing byte that
** must not be consumed) giving `want`. */
static void expect_leb(leb_kind kind, const uint8_t *b, size_t n, uint64_t want, int line) {
  uint8_t buf[16];
  aotc_diag d;
  uint64_t v;
  size_t pos;
  memcpy(buf, b, n);
  buf[n] = 0x2a; /* trailing junk: the read must stop before it */
  bool ok = read_leb(kind, buf, n + 1, 0, n + 1, &v, &pos, &d);
  if (!ok || v != want || pos != n || d.code != AOTC_OK)
    T_FAIL("line %d: %s read of %zu bytes: ok=%d value=0x%llx (want 0x%llx) pos=%zu msg=\"%s\"",
           line, kind_name[kind], n, ok, (unsigned long long)v, (unsigned long long)want, pos,
           d.msg);
}

/* Expects a failure with EMALFORMED, a message starting with `prefix` and the
** given offset. The integer starts at byte 1 (after a padding byte) so that an
** offset that ignores the start is caught. */
static void expect_leb_err(leb_kind kind, const uint8_t *b, size_t n, const char *prefix,
                           size_t want_off_in_int, int line) {
  uint8_t buf[16];
  aotc_diag d;
  uint64_t v;
  size_t pos;
  buf[0] = 0x00;
  memcpy(buf + 1, b, n);
  bool ok = read_leb(kind, buf, n + 1, 1, n + 1, &v, &pos, &d);
  if (ok || d.code != AOTC_EMALFORMED || strncmp(d.msg, prefix, strlen(prefix)) != 0 ||
      d.offset != 1 + want_off_in_int)
    T_FAIL("line %d: %s read of %zu bytes: ok=%d code=%s offset=%zu (want %zu) msg=\"%s\" (want "
           "\"%s...\")",
           line, kind_name[kind], n, ok, aotc_err_str(d.code), d.offset, 1 + want_off_in_int, d.msg,
           prefix);
}

#define LEB_OK(kind, want, ...) expect_leb(kind, TW_BYTES(__VA_ARGS__), want, __LINE__)
#define LEB_ERR(kind, prefix, off, ...)                                                            \
  expect_leb_err(kind, TW_BYTES(__VA_ARGS__), prefix, off, __LINE__)

static const char TOO_LONG[] = "integer representation too long";
static const char TOO_LARGE[] = "integer too large";
static const char UNEXPECTED_END[] = "unexpected end";

/* ------------------------------------------------------------------ LEB128: lengths */

/* Every length from 1 to the maximum, for small values padded with 0x80 and
** for the largest value each length can hold. */
static void test_leb_unsigned_every_length(void) {
  for (leb_kind k = K_U32; k <= K_S64; k++) {
    if (k != K_U32 && k != K_U64)
      continue;
    unsigned bits = k == K_U32 ? 32 : 64;
    for (unsigned len = 1; len <= kind_max_len[k]; len++) {
      tw_buf w;
      tw_init(&w);
      tw_u64_padded(&w, 5, len);
      expect_leb(k, w.b, w.n, 5, __LINE__);

      /* The largest value with exactly `len` 7-bit groups, capped at the type. */
      unsigned vbits = 7 * len < bits ? 7 * len : bits;
      uint64_t max = vbits == 64 ? UINT64_MAX : (UINT64_C(1) << vbits) - 1;
      tw_init(&w);
      tw_u64(&w, max);
      T_EQ_U64(w.n, len);
      expect_leb(k, w.b, w.n, max, __LINE__);
    }
  }
}

static void test_leb_signed_every_length(void) {
  static const leb_kind kinds[] = {K_S32, K_S33, K_S64};
  for (size_t i = 0; i < T_COUNT(kinds); i++) {
    leb_kind k = kinds[i];
    unsigned bits = k == K_S32 ? 32 : k == K_S33 ? 33 : 64;
    for (unsigned len = 1; len <= kind_max_len[k]; len++) {
      /* 0 and -1 padded to len bytes: 80.. 00 and ff.. 7f. */
      uint8_t zero[10], minus1[10];
      for (unsigned j = 0; j < len; j++) {
        zero[j] = j + 1 < len ? 0x80 : 0x00;
        minus1[j] = j + 1 < len ? 0xff : 0x7f;
      }
      expect_leb(k, zero, len, 0, __LINE__);
      expect_leb(k, minus1, len, UINT64_MAX, __LINE__);

      /* The extreme values with exactly len groups (capped at the type). */
      unsigned vbits = 7 * len < bits ? 7 * len : bits;
      int64_t hi = vbits == 64 ? INT64_MAX : (INT64_C(1) << (vbits - 1)) - 1;
      int64_t lo = vbits == 64 ? INT64_MIN : -(INT64_C(1) << (vbits - 1));
      tw_buf w;
      tw_init(&w);
      tw_s64(&w, hi);
      T_EQ_U64(w.n, len);
      expect_leb(k, w.b, w.n, (uint64_t)hi, __LINE__);
      tw_init(&w);
      tw_s64(&w, lo);
      T_EQ_U64(w.n, len);
      expect_leb(k, w.b, w.n, (uint64_t)lo, __LINE__);
    }
  }
}

/* ------------------------------------------------------------------ LEB128: u32 */

static void test_leb_u32_edges(void) {
  LEB_OK(K_U32, 0, 0x00);
  LEB_OK(K_U32, 127, 0x7f);
  LEB_OK(K_U32, 128, 0x80, 0x01);
  LEB_OK(K_U32, 624485, 0xe5, 0x8e, 0x26);
  LEB_OK(K_U32, UINT32_MAX, 0xff, 0xff, 0xff, 0xff, 0x0f);
  LEB_OK(K_U32, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
  LEB_OK(K_U32, UINT32_C(0x80000000), 0x80, 0x80, 0x80, 0x80, 0x08);
}

static void test_leb_u32_too_long(void) {
  LEB_ERR(K_U32, TOO_LONG, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  LEB_ERR(K_U32, TOO_LONG, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
  LEB_ERR(K_U32, TOO_LONG, 0, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
}

static void test_leb_u32_too_large(void) {
  /* Only the low 4 bits of the fifth byte are payload. */
  LEB_ERR(K_U32, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0x1f);
  LEB_ERR(K_U32, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x10);
  LEB_ERR(K_U32, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x40);
  LEB_ERR(K_U32, TOO_LARGE, 0, 0x82, 0x80, 0x80, 0x80, 0x70);
}

static void test_leb_unterminated(void) {
  /* The input ends inside the integer: "unexpected end" where the next byte
  ** was needed. */
  for (leb_kind k = K_U32; k <= K_S64; k++) {
    for (unsigned len = 1; len < kind_max_len[k]; len++) {
      uint8_t b[10];
      memset(b, 0x80, len);
      aotc_diag d;
      uint64_t v;
      size_t pos;
      bool ok = read_leb(k, b, len, 0, len, &v, &pos, &d);
      if (ok || d.code != AOTC_EMALFORMED || strcmp(d.msg, UNEXPECTED_END) != 0 || d.offset != len)
        T_FAIL("%s, %u continuation bytes at end of input: ok=%d code=%s offset=%zu msg=\"%s\"",
               kind_name[k], len, ok, aotc_err_str(d.code), d.offset, d.msg);
    }
  }
  /* Empty input. */
  aotc_diag d;
  uint64_t v;
  size_t pos;
  static const uint8_t none[1] = {0};
  T_CHECK(!read_leb(K_U32, none, 0, 0, 0, &v, &pos, &d));
  T_EQ_STR(d.msg, UNEXPECTED_END);
  T_EQ_U64(d.offset, 0);
}

static void test_leb_unterminated_subrange(void) {
  /* The integer would be complete in the file, but the current section ends
  ** first. */
  static const uint8_t b[] = {0x00, 0x80, 0x80, 0x01, 0x00};
  for (leb_kind k = K_U32; k <= K_S64; k++) {
    aotc_diag d;
    uint64_t v;
    size_t pos;
    T_CHECK(!read_leb(k, b, sizeof b, 1, 3, &v, &pos, &d));
    T_EQ_U64(d.code, AOTC_EMALFORMED);
    T_EQ_STR(d.msg, "unexpected end of section or function");
    T_EQ_U64(d.offset, 3);
    /* The same bytes read fine when the sub-range covers them. */
    T_CHECK(read_leb(k, b, sizeof b, 1, 4, &v, &pos, &d));
    T_EQ_U64(v, 0x4000);
    T_EQ_U64(pos, 4);
  }
}

/* ------------------------------------------------------------------ LEB128: s32, s33 */

static void test_leb_s32_edges(void) {
  LEB_OK(K_S32, (uint64_t)INT64_C(-1), 0x7f);
  LEB_OK(K_S32, 63, 0x3f);
  LEB_OK(K_S32, (uint64_t)INT64_C(-64), 0x40);
  LEB_OK(K_S32, 64, 0xc0, 0x00);
  LEB_OK(K_S32, (uint64_t)INT64_C(-65), 0xbf, 0x7f);
  LEB_OK(K_S32, INT32_MAX, 0xff, 0xff, 0xff, 0xff, 0x07);
  LEB_OK(K_S32, (uint64_t)(int64_t)INT32_MIN, 0x80, 0x80, 0x80, 0x80, 0x78);
  LEB_OK(K_S32, (uint64_t)INT64_C(-1), 0xff, 0xff, 0xff, 0xff, 0x7f);
  LEB_OK(K_S32, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
}

static void test_leb_s32_errors(void) {
  LEB_ERR(K_S32, TOO_LONG, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
  LEB_ERR(K_S32, TOO_LONG, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  /* Fifth byte: bits 4..6 must repeat the sign bit 3. */
  LEB_ERR(K_S32, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0x0f); /* sign 1, ext 0 */
  LEB_ERR(K_S32, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x70); /* sign 0, ext 1 */
  LEB_ERR(K_S32, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x10);
  LEB_ERR(K_S32, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0x4f);
  LEB_ERR(K_S32, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x08);
}

static void test_leb_s33(void) {
  LEB_OK(K_S33, (uint64_t)INT64_C(-1), 0x7f);
  LEB_OK(K_S33, (uint64_t)INT64_C(-64), 0x40);
  LEB_OK(K_S33, 0x40, 0xc0, 0x00);
  /* s33 holds every u32 and down to -2^32. */
  LEB_OK(K_S33, UINT32_MAX, 0xff, 0xff, 0xff, 0xff, 0x0f);
  LEB_OK(K_S33, (uint64_t)(-(INT64_C(1) << 32)), 0x80, 0x80, 0x80, 0x80, 0x70);
  LEB_OK(K_S33, (uint64_t)INT64_C(-1), 0xff, 0xff, 0xff, 0xff, 0x7f);
  LEB_ERR(K_S33, TOO_LONG, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  /* Fifth byte: bits 5..6 must repeat the sign bit 4. */
  LEB_ERR(K_S33, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x10); /* sign 1, ext 0 */
  LEB_ERR(K_S33, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0x6f); /* sign 0, ext 1 */
  LEB_ERR(K_S33, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x20);
  LEB_ERR(K_S33, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0x5f);
}

/* ------------------------------------------------------------------ LEB128: 64-bit */

static void test_leb_u64(void) {
  LEB_OK(K_U64, UINT64_MAX, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
  LEB_OK(K_U64, UINT64_C(1) << 63, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  LEB_OK(K_U64, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  LEB_OK(K_U64, UINT64_C(0x100000000), 0x80, 0x80, 0x80, 0x80, 0x10);
  LEB_ERR(K_U64, TOO_LONG, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  LEB_ERR(K_U64, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
  LEB_ERR(K_U64, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
  LEB_ERR(K_U64, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
}

static void test_leb_s64(void) {
  LEB_OK(K_S64, (uint64_t)INT64_C(-1), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
  LEB_OK(K_S64, INT64_MAX, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
  LEB_OK(K_S64, (uint64_t)INT64_MIN, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f);
  LEB_OK(K_S64, (uint64_t)(-(INT64_C(1) << 32)), 0x80, 0x80, 0x80, 0x80, 0x70);
  LEB_ERR(K_S64, TOO_LONG, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
  /* Tenth byte: bits 1..6 must repeat the sign bit 0. */
  LEB_ERR(K_S64, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
  LEB_ERR(K_S64, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e);
  LEB_ERR(K_S64, TOO_LARGE, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
  LEB_ERR(K_S64, TOO_LARGE, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41);
}

/* ------------------------------------------------------------------ floats, bytes */

static void test_read_floats(void) {
  static const uint8_t b[] = {0x00, 0x00, 0x80, 0x3f, 0x01, 0x00, 0xa0, 0x7f, 0x00,
                              0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x01, 0x00,
                              0x00, 0x00, 0x00, 0x00, 0xf8, 0xff, 0xaa};
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_reader r;
  aotc_reader_init(&r, b, sizeof b, &d);
  uint32_t f32 = 0;
  uint64_t f64 = 0;
  T_CHECK(aotc_read_f32(&r, &f32));
  T_EQ_U64(f32, 0x3f800000); /* 1.0f */
  T_CHECK(aotc_read_f32(&r, &f32));
  T_EQ_U64(f32, 0x7fa00001); /* a NaN: payload bits are kept exactly */
  T_CHECK(aotc_read_f64(&r, &f64));
  T_EQ_U64(f64, UINT64_C(0x3ff0000000000000)); /* 1.0 */
  T_CHECK(aotc_read_f64(&r, &f64));
  T_EQ_U64(f64, UINT64_C(0xfff8000000000001));
  T_EQ_U64(r.pos, 24);
  T_EQ_U64(d.code, AOTC_OK);

  /* One byte left: both widths fail with "unexpected end". */
  T_CHECK(!aotc_read_f32(&r, &f32));
  T_EQ_U64(d.code, AOTC_EMALFORMED);
  T_EQ_STR(d.msg, UNEXPECTED_END);
  aotc_diag_init(&d);
  aotc_reader_init(&r, b, sizeof b, &d);
  r.pos = 20;
  T_CHECK(!aotc_read_f64(&r, &f64));
  T_EQ_STR(d.msg, UNEXPECTED_END);

  /* The section ends before the float does. */
  aotc_diag_init(&d);
  aotc_reader_init(&r, b, sizeof b, &d);
  r.end = 3;
  T_CHECK(!aotc_read_f32(&r, &f32));
  T_EQ_STR(d.msg, "unexpected end of section or function");
}

static void test_read_bytes_and_u8(void) {
  static const uint8_t b[] = {1, 2, 3, 4};
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_reader r;
  aotc_reader_init(&r, b, sizeof b, &d);
  const uint8_t *p = NULL;
  T_CHECK(aotc_read_bytes(&r, 3, &p));
  T_CHECK(p == b);
  T_EQ_U64(aotc_reader_left(&r), 1);
  T_CHECK(!aotc_reader_eof(&r));
  T_CHECK(!aotc_read_bytes(&r, 2, &p));
  T_EQ_U64(d.code, AOTC_EMALFORMED);
  T_EQ_STR(d.msg, UNEXPECTED_END);

  aotc_diag_init(&d);
  aotc_reader_init(&r, b, sizeof b, &d);
  uint8_t v = 0;
  for (int i = 0; i < 4; i++)
    T_CHECK(aotc_read_u8(&r, &v));
  T_EQ_U64(v, 4);
  T_CHECK(aotc_reader_eof(&r));
  T_CHECK(!aotc_read_u8(&r, &v));
  T_EQ_STR(d.msg, UNEXPECTED_END);
  T_EQ_U64(d.offset, 4);

  /* A huge count must not wrap around. */
  aotc_diag_init(&d);
  aotc_reader_init(&r, b, sizeof b, &d);
  r.pos = 1;
  T_CHECK(!aotc_read_bytes(&r, SIZE_MAX, &p));
  T_EQ_U64(d.code, AOTC_EMALFORMED);
}

/* ------------------------------------------------------------------ names, UTF-8 */

/* Reads a name whose payload is s[0, n) (with its length prefix) at offset 2. */
static bool read_name(const char *s, size_t n, aotc_name *out, aotc_diag *d) {
  tw_buf w;
  tw_init(&w);
  tw_u8(&w, 0xee);
  tw_u8(&w, 0xee);
  tw_name_n(&w, s, n);
  tw_u8(&w, 0x00); /* trailing byte that must not be consumed */
  aotc_reader r;
  aotc_diag_init(d);
  aotc_reader_init(&r, w.b, w.n, d);
  r.pos = 2;
  out->ptr = NULL;
  out->len = 0;
  bool ok = aotc_read_name(&r, out);
  if (ok && r.pos != w.n - 1)
    T_FAIL("name read stopped at %zu, expected %zu", r.pos, w.n - 1);
  /* The name borrows the input: translate the pointer to the input offset. */
  if (ok && out->len && out->ptr != (const char *)w.b + 3 + (n >= 128))
    T_FAIL("name does not point into the input");
  /* w is about to go away: hand back a pointer into s instead. */
  if (ok && out->len)
    out->ptr = s;
  return ok;
}

static void test_name_valid(void) {
  static const struct {
    const char *s;
    size_t n;
  } ok_names[] = {
      {"", 0},
      {"abc", 3},
      {"a\0b", 3},               /* NUL is a valid code point */
      {"\x7f", 1},               /* largest one-byte */
      {"\xc2\x80", 2},           /* U+0080, smallest two-byte */
      {"\xc3\xa9", 2},           /* U+00E9 */
      {"\xdf\xbf", 2},           /* U+07FF */
      {"\xe0\xa0\x80", 3},       /* U+0800, smallest three-byte */
      {"\xe2\x82\xac", 3},       /* U+20AC */
      {"\xed\x9f\xbf", 3},       /* U+D7FF, just below the surrogates */
      {"\xee\x80\x80", 3},       /* U+E000, just above them */
      {"\xef\xbf\xbf", 3},       /* U+FFFF */
      {"\xf0\x90\x80\x80", 4},   /* U+10000, smallest four-byte */
      {"\xf4\x8f\xbf\xbf", 4},   /* U+10FFFF, the largest */
      {"x\xf0\x9f\x98\x80y", 6}, /* U+1F600 between ASCII */
  };
  for (size_t i = 0; i < T_COUNT(ok_names); i++) {
    aotc_diag d;
    aotc_name nm;
    if (!read_name(ok_names[i].s, ok_names[i].n, &nm, &d))
      T_FAIL("valid name #%zu rejected: %s", i, d.msg);
    else
      T_EQ_MEM(nm.ptr, nm.len, ok_names[i].s, ok_names[i].n);
    T_CHECK(aotc_utf8_valid((const uint8_t *)ok_names[i].s, ok_names[i].n));
  }
  /* A 200-byte name has a two-byte length prefix. */
  char long_name[200];
  memset(long_name, 'z', sizeof long_name);
  aotc_diag d;
  aotc_name nm;
  T_CHECK(read_name(long_name, sizeof long_name, &nm, &d));
  T_EQ_U64(nm.len, 200);
}

static void test_name_invalid_utf8(void) {
  static const struct {
    const char *s;
    size_t n;
  } bad_names[] = {
      {"\x80", 1}, /* lone continuation byte */
      {"\xbf", 1},
      {"\xc0\x80", 2},         /* overlong NUL */
      {"\xc1\xbf", 2},         /* overlong U+007F */
      {"\xe0\x80\x80", 3},     /* overlong three-byte */
      {"\xe0\x9f\xbf", 3},     /* overlong U+07FF */
      {"\xf0\x80\x80\x80", 4}, /* overlong four-byte */
      {"\xf0\x8f\xbf\xbf", 4}, /* overlong U+FFFF */
      {"\xed\xa0\x80", 3},     /* U+D800, a surrogate */
      {"\xed\xbf\xbf", 3},     /* U+DFFF */
      {"\xf4\x90\x80\x80", 4}, /* U+110000 */
      {"\xf5\x80\x80\x80", 4}, /* lead byte beyond U+10FFFF */
      {"\xf7\xbf\xbf\xbf", 4},
      {"\xf8\x88\x80\x80\x80", 5}, /* five-byte form */
      {"\xfe", 1},
      {"\xff", 1},
      {"\xc3", 1},         /* truncated two-byte */
      {"\xe2\x82", 2},     /* truncated three-byte */
      {"\xf0\x9f\x98", 3}, /* truncated four-byte */
      {"ab\xe2\x82", 4},   /* truncated at the end of the name */
      {"\xc3\x41", 2},     /* bad continuation */
      {"\xe2\x28\xa1", 3},
      {"\xe2\x82\x28", 3},
      {"\xf0\x9f\x98\x28", 4},
  };
  for (size_t i = 0; i < T_COUNT(bad_names); i++) {
    aotc_diag d;
    aotc_name nm;
    bool ok = read_name(bad_names[i].s, bad_names[i].n, &nm, &d);
    if (ok || d.code != AOTC_EMALFORMED || strcmp(d.msg, "malformed UTF-8 encoding") != 0)
      T_FAIL("bad name #%zu: ok=%d code=%s msg=\"%s\"", i, ok, aotc_err_str(d.code), d.msg);
    /* The error points into the name (prefix at 2, bytes from 3). */
    else if (d.offset < 3 || d.offset >= 3 + bad_names[i].n)
      T_FAIL("bad name #%zu: offset %zu is outside the name", i, d.offset);
    T_CHECK(!aotc_utf8_valid((const uint8_t *)bad_names[i].s, bad_names[i].n));
  }
}

static void test_name_truncated(void) {
  /* The length says 5 but only 2 bytes follow. */
  static const uint8_t b[] = {0x05, 'a', 'b'};
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_reader r;
  aotc_reader_init(&r, b, sizeof b, &d);
  aotc_name nm;
  T_CHECK(!aotc_read_name(&r, &nm));
  T_EQ_U64(d.code, AOTC_EMALFORMED);
  if (strncmp(d.msg, "length out of bounds", 20) != 0)
    T_PREFIX(d.msg, UNEXPECTED_END);

  /* The length itself is cut off. */
  static const uint8_t c[] = {0x85};
  aotc_diag_init(&d);
  aotc_reader_init(&r, c, sizeof c, &d);
  T_CHECK(!aotc_read_name(&r, &nm));
  T_EQ_STR(d.msg, UNEXPECTED_END);
}

/* ------------------------------------------------------------------ vector lengths */

static void test_vec_len(void) {
  static const uint8_t b[] = {0x03, 1, 2, 3, 0x04, 1, 2, 3};
  aotc_diag d;
  aotc_reader r;
  uint32_t n = 0;

  /* The count is read as is; elements are checked one by one later. */
  aotc_diag_init(&d);
  aotc_reader_init(&r, b, 4, &d);
  T_CHECK(aotc_read_vec_len(&r, &n));
  T_EQ_U64(n, 3);
  T_EQ_U64(r.pos, 1);
  T_EQ_U64(aotc_vec_cap(&r, n, 1), 3); /* 3 bytes left: all 3 fit */
  T_EQ_U64(aotc_vec_cap(&r, n, 2), 2); /* at most 3/2 + 1 can start */

  /* A claimed count of 2^32-1 from a tiny input allocates only what can be read. */
  static const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00};
  aotc_diag_init(&d);
  aotc_reader_init(&r, huge, sizeof huge, &d);
  T_CHECK(aotc_read_vec_len(&r, &n));
  T_EQ_U64(n, 0xffffffffu);
  T_EQ_U64(aotc_vec_cap(&r, n, 1), 3);
  T_EQ_U64(d.code, AOTC_OK);

  /* The cap follows the current sub-range, not the whole input. */
  aotc_diag_init(&d);
  aotc_reader_init(&r, b, sizeof b, &d);
  r.pos = 4;
  r.end = 6;
  T_CHECK(aotc_read_vec_len(&r, &n));
  T_EQ_U64(aotc_vec_cap(&r, n, 1), 2);

  /* A malformed count is reported as such. */
  static const uint8_t bad[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  aotc_diag_init(&d);
  aotc_reader_init(&r, bad, sizeof bad, &d);
  T_CHECK(!aotc_read_vec_len(&r, &n));
  T_PREFIX(d.msg, TOO_LONG);
}

/* ------------------------------------------------------------------ diag */

static void test_diag_sticky_and_format(void) {
  aotc_diag d;
  aotc_diag_init(&d);
  T_EQ_U64(d.code, AOTC_OK);
  T_EQ_U64(d.offset, AOTC_NO_OFFSET);
  T_EQ_U64(d.func_idx, AOTC_NO_FUNC);
  T_CHECK(!aotc_diag_set(&d, AOTC_EINVALID, 0x1a, "type mismatch: %s", "i32"));
  T_CHECK(!aotc_diag_set(&d, AOTC_EMALFORMED, 3, "second"));
  T_EQ_U64(d.code, AOTC_EINVALID);
  T_EQ_U64(d.offset, 0x1a);
  T_EQ_STR(d.msg, "type mismatch: i32");

  char buf[300];
  d.func_idx = 12;
  aotc_diag_format(&d, "foo.wasm", buf, sizeof buf);
  T_EQ_STR(buf, "foo.wasm:0x0000001a: error: type mismatch: i32 (func 12)");
  d.func_idx = AOTC_NO_FUNC;
  d.offset = AOTC_NO_OFFSET;
  aotc_diag_format(&d, "foo.wasm", buf, sizeof buf);
  T_EQ_STR(buf, "foo.wasm: error: type mismatch: i32");
  /* Truncation keeps the buffer terminated. */
  char tiny[8];
  memset(tiny, 'x', sizeof tiny);
  aotc_diag_format(&d, "foo.wasm", tiny, sizeof tiny);
  T_EQ_U64(strlen(tiny), 7);

  /* A message longer than msg[] is cut, not overflowed. */
  aotc_diag_init(&d);
  char big[400];
  memset(big, 'm', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  aotc_diag_set(&d, AOTC_EINVALID, 0, "%s", big);
  T_EQ_U64(strlen(d.msg), sizeof d.msg - 1);

  T_EQ_STR(aotc_err_str(AOTC_EMALFORMED), "malformed");
  T_EQ_STR(aotc_err_str(AOTC_EINVALID), "invalid");
  T_EQ_STR(aotc_valtype_name(AOTC_I32), "i32");
  T_EQ_STR(aotc_valtype_name(AOTC_EXTERNREF), "externref");
}

/* ------------------------------------------------------------------ table */

const t_case aotc_reader_cases[] = {
    {"reader/leb_unsigned_every_length", test_leb_unsigned_every_length},
    {"reader/leb_signed_every_length", test_leb_signed_every_length},
    {"reader/leb_u32_edges", test_leb_u32_edges},
    {"reader/leb_u32_too_long", test_leb_u32_too_long},
    {"reader/leb_u32_too_large", test_leb_u32_too_large},
    {"reader/leb_unterminated", test_leb_unterminated},
    {"reader/leb_unterminated_subrange", test_leb_unterminated_subrange},
    {"reader/leb_s32_edges", test_leb_s32_edges},
    {"reader/leb_s32_errors", test_leb_s32_errors},
    {"reader/leb_s33", test_leb_s33},
    {"reader/leb_u64", test_leb_u64},
    {"reader/leb_s64", test_leb_s64},
    {"reader/floats", test_read_floats},
    {"reader/bytes_and_u8", test_read_bytes_and_u8},
    {"reader/name_valid", test_name_valid},
    {"reader/name_invalid_utf8", test_name_invalid_utf8},
    {"reader/name_truncated", test_name_truncated},
    {"reader/vec_len", test_vec_len},
    {"reader/diag_sticky_and_format", test_diag_sticky_and_format},
};
const size_t aotc_reader_n_cases = T_COUNT(aotc_reader_cases);
