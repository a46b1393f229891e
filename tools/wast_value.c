/*
** wast_value.c: the spec scripts' values. wast2json writes every number as
** the unsigned decimal of its bit pattern ("4294967295" is i32 -1, floats are
** their IEEE bits), v128 as lanes with a "lane_type", references as "null" or
** a host reference number; wrt-wast turns each into one token of the command
** format ("i32:4294967295", "v128:f32:0,nan:canonical,0,0", "externref:1"),
** which this file parses into wrt_vals. It also compares results (bits, NaN
** patterns, reference identity) and prints both sides for failure messages.
** It runs no code and owns no store; it is built for every target.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast_exec.h"

/* ---------------------------------------------------------------- host references */

void wast_refs_init(wast_refs *r, wrt_store *store) {
  memset(r, 0, sizeof *r);
  r->store = store;
}

/* The refs themselves belong to the store (wrt.h: the store never frees host
** references before it is freed itself), so only the table goes here. */
void wast_refs_fini(wast_refs *r) {
  free(r->v);
  memset(r, 0, sizeof *r);
}

/* `ref.extern n`: created on first use, then the same pointer every time. */
static wrt_externref *refs_get(wast_refs *r, uint64_t n) {
  for (size_t i = 0; i < r->len; i++)
    if (r->v[i].n == n)
      return r->v[i].ref;
  /* The data pointer is never dereferenced (wrt.h); carrying n makes a
  ** reference recognisable in a debugger. */
  wrt_externref *ref = wrt_externref_new(r->store, (void *)(uintptr_t)(n + 1));
  if (!ref)
    return NULL;
  if (r->len == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 8;
    r->v = wast_xrealloc(r->v, r->cap * sizeof *r->v);
  }
  r->v[r->len].n = n;
  r->v[r->len].ref = ref;
  r->len++;
  return ref;
}

/* The script number of a reference, for messages; false if the script never made it. */
static bool refs_find(const wast_refs *r, const wrt_externref *ref, uint64_t *n) {
  for (size_t i = 0; r && i < r->len; i++) {
    if (r->v[i].ref == ref) {
      *n = r->v[i].n;
      return true;
    }
  }
  return false;
}

/* ---------------------------------------------------------------- parsing */

static const struct {
  const char *name;
  uint8_t lanes, bits;
} lane_info[] = {
    [WAST_LANE_NONE] = {"?", 0, 0},   [WAST_LANE_I8] = {"i8", 16, 8},
    [WAST_LANE_I16] = {"i16", 8, 16}, [WAST_LANE_I32] = {"i32", 4, 32},
    [WAST_LANE_I64] = {"i64", 2, 64}, [WAST_LANE_F32] = {"f32", 4, 32},
    [WAST_LANE_F64] = {"f64", 2, 64},
};

/* The lane type spelled by s[0..len), or WAST_LANE_NONE. */
static wast_lane lane_from_name(const char *s, size_t len) {
  for (int l = WAST_LANE_I8; l <= WAST_LANE_F64; l++)
    if (strlen(lane_info[l].name) == len && memcmp(s, lane_info[l].name, len) == 0)
      return (wast_lane)l;
  return WAST_LANE_NONE;
}

static bool lane_is_float(wast_lane l) {
  return l == WAST_LANE_F32 || l == WAST_LANE_F64;
}

const char *wast_kind_name(uint8_t kind) {
  switch (kind) {
  case WRT_I32:
    return "i32";
  case WRT_I64:
    return "i64";
  case WRT_F32:
    return "f32";
  case WRT_F64:
    return "f64";
  case WRT_V128:
    return "v128";
  case WRT_FUNCREF:
    return "funcref";
  case WRT_EXTERNREF:
    return "externref";
  default:
    return "?";
  }
}

/* The value type spelled by s[0..len), or 0. */
static uint8_t kind_from_name(const char *s, size_t len) {
  static const uint8_t kinds[] = {WRT_I32,  WRT_I64,     WRT_F32,      WRT_F64,
                                  WRT_V128, WRT_FUNCREF, WRT_EXTERNREF};
  for (size_t i = 0; i < sizeof kinds; i++) {
    const char *name = wast_kind_name(kinds[i]);
    if (strlen(name) == len && memcmp(s, name, len) == 0)
      return kinds[i];
  }
  return 0;
}

/* An unsigned decimal of at most `bits` bits in s[0..len). strtoull alone
** would accept a sign, spaces and overflow silently, none of which
** wast2json writes. */
static bool parse_bits(const char *s, size_t len, unsigned bits, uint64_t *out) {
  char digits[24];
  if (len == 0 || len >= sizeof digits)
    return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  memcpy(digits, s, len);
  digits[len] = 0;
  errno = 0;
  unsigned long long v = strtoull(digits, NULL, 10);
  if (errno == ERANGE || (bits < 64 && v >> bits))
    return false;
  *out = v;
  return true;
}

/* The NaN pattern spelled by s[0..len), or WAST_NAN_NONE. */
static wast_nan nan_from_name(const char *s, size_t len) {
  if (len == 13 && memcmp(s, "nan:canonical", 13) == 0)
    return WAST_NAN_CANONICAL;
  if (len == 14 && memcmp(s, "nan:arithmetic", 14) == 0)
    return WAST_NAN_ARITHMETIC;
  return WAST_NAN_NONE;
}

/* Stores the low `bytes` bytes of v little-endian, as Wasm lays out lanes. */
static void put_le(uint8_t *dst, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; i++)
    dst[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *src, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; i++)
    v |= (uint64_t)src[i] << (8 * i);
  return v;
}

/* "LANE:L0,L1,...": exactly as many lanes as the lane type has. */
static bool parse_v128(const char *s, bool patterns, wast_expected *e, char *why, size_t n) {
  const char *colon = strchr(s, ':');
  wast_lane lane = colon ? lane_from_name(s, (size_t)(colon - s)) : WAST_LANE_NONE;
  if (lane == WAST_LANE_NONE)
    return snprintf(why, n, "v128 \"%s\" without a known lane type", s), false;
  e->lane = (uint8_t)lane;
  unsigned lanes = lane_info[lane].lanes, bits = lane_info[lane].bits;
  const char *p = colon + 1;
  for (unsigned i = 0; i < lanes; i++) {
    size_t len = strcspn(p, ",");
    wast_nan nan = patterns && lane_is_float(lane) ? nan_from_name(p, len) : WAST_NAN_NONE;
    uint64_t v = 0;
    if (nan != WAST_NAN_NONE)
      e->nan[i] = (uint8_t)nan;
    else if (!parse_bits(p, len, bits, &v))
      return snprintf(why, n, "bad v128 %s lane %u in \"%s\"", lane_info[lane].name, i, s), false;
    put_le(e->val.of.v128 + i * (bits / 8), v, bits / 8);
    p += len;
    if (i + 1 < lanes && *p++ != ',')
      return snprintf(why, n, "v128 %s value needs %u lanes", lane_info[lane].name, lanes), false;
  }
  if (*p)
    return snprintf(why, n, "v128 %s value needs %u lanes", lane_info[lane].name, lanes), false;
  return true;
}

static bool parse_ref(const char *s, bool patterns, wast_refs *refs, wast_expected *e, char *why,
                      size_t n) {
  if (strcmp(s, "null") == 0)
    return true; /* the union is zeroed: a null pointer */
  if (e->val.kind == WRT_FUNCREF) {
    /* The text format has no way to name a particular function as a value;
    ** an expected non-null funcref matches any non-null one. */
    if (!patterns)
      return snprintf(why, n, "cannot pass a non-null funcref \"%s\"", s), false;
    e->any_ref = true;
    return true;
  }
  if (!parse_bits(s, strlen(s), 64, &e->ref_n))
    return snprintf(why, n, "bad externref \"%s\"", s), false;
  e->has_ref_n = true;
  if (!refs)
    return true;
  e->val.of.externref = refs_get(refs, e->ref_n);
  if (!e->val.of.externref)
    return snprintf(why, n, "wrt_externref_new failed"), false;
  return true;
}

/* Scalars: bits of the declared width, or a NaN pattern for floats. */
static bool parse_scalar(const char *s, bool patterns, wast_expected *e, char *why, size_t n) {
  uint8_t kind = e->val.kind;
  bool is_float = kind == WRT_F32 || kind == WRT_F64;
  unsigned bits = kind == WRT_I32 || kind == WRT_F32 ? 32 : 64;
  wast_nan nan = nan_from_name(s, strlen(s));
  if (patterns && is_float && nan != WAST_NAN_NONE) {
    e->nan[0] = (uint8_t)nan;
    return true;
  }
  uint64_t v;
  if (!parse_bits(s, strlen(s), bits, &v))
    return snprintf(why, n, "bad %s value \"%s\"", wast_kind_name(kind), s), false;
  if (bits == 32) {
    uint32_t v32 = (uint32_t)v;
    memcpy(kind == WRT_I32 ? (void *)&e->val.of.i32 : (void *)&e->val.of.f32, &v32, 4);
  } else {
    memcpy(kind == WRT_I64 ? (void *)&e->val.of.i64 : (void *)&e->val.of.f64, &v, 8);
  }
  return true;
}

/* Shared by arguments and expected results; `patterns` allows NaN patterns,
** bare types and any-non-null funcrefs, which only make sense as results. */
bool wast_value_decode(const char *tok, bool patterns, wast_refs *refs, wast_expected *e, char *why,
                       size_t n) {
  memset(e, 0, sizeof *e);
  size_t type_len = strcspn(tok, ":");
  e->val.kind = kind_from_name(tok, type_len);
  if (!e->val.kind)
    return snprintf(why, n, "unknown value type in \"%s\"", tok), false;
  if (!tok[type_len]) {
    if (patterns)
      return true; /* type only: has_value stays false */
    return snprintf(why, n, "%s argument without a value", wast_kind_name(e->val.kind)), false;
  }
  e->has_value = true;
  const char *s = tok + type_len + 1;
  if (e->val.kind == WRT_V128)
    return parse_v128(s, patterns, e, why, n);
  if (e->val.kind == WRT_FUNCREF || e->val.kind == WRT_EXTERNREF)
    return parse_ref(s, patterns, refs, e, why, n);
  return parse_scalar(s, patterns, e, why, n);
}

/* ---------------------------------------------------------------- comparison */

/*
** spec: numerics, NaN propagation. A canonical NaN has only the top mantissa
** bit set (either sign); an arithmetic NaN has at least that bit set.
*/
static bool nan_matches(wast_nan nan, uint64_t bits, unsigned width) {
  uint64_t mant_bits = width == 32 ? 23 : 52;
  uint64_t exp_mask = (width == 32 ? UINT64_C(0xff) : UINT64_C(0x7ff)) << mant_bits;
  uint64_t quiet = UINT64_C(1) << (mant_bits - 1);
  uint64_t magnitude = bits & ~(UINT64_C(1) << (width - 1));
  if (nan == WAST_NAN_CANONICAL)
    return magnitude == (exp_mask | quiet);
  return (bits & exp_mask) == exp_mask && (bits & quiet) != 0;
}

static bool float_matches(wast_nan nan, uint64_t want, uint64_t got, unsigned width) {
  return nan != WAST_NAN_NONE ? nan_matches(nan, got, width) : want == got;
}

static bool v128_matches(const wast_expected *e, const uint8_t *got) {
  wast_lane lane = (wast_lane)e->lane;
  if (!lane_is_float(lane))
    return memcmp(e->val.of.v128, got, 16) == 0;
  unsigned bytes = lane_info[lane].bits / 8;
  for (unsigned i = 0; i < lane_info[lane].lanes; i++) {
    uint64_t want = get_le(e->val.of.v128 + i * bytes, bytes);
    uint64_t have = get_le(got + i * bytes, bytes);
    if (!float_matches((wast_nan)e->nan[i], want, have, 8 * bytes))
      return false;
  }
  return true;
}

static uint64_t scalar_bits(const wrt_val *v) {
  uint32_t b32;
  uint64_t b64;
  switch (v->kind) {
  case WRT_I32:
  case WRT_F32:
    memcpy(&b32, v->kind == WRT_I32 ? (const void *)&v->of.i32 : (const void *)&v->of.f32, 4);
    return b32;
  default:
    memcpy(&b64, v->kind == WRT_I64 ? (const void *)&v->of.i64 : (const void *)&v->of.f64, 8);
    return b64;
  }
}

bool wast_expected_matches(const wast_expected *e, const wrt_val *v) {
  if (e->val.kind != v->kind)
    return false;
  if (!e->has_value)
    return true;
  switch (v->kind) {
  case WRT_I32:
  case WRT_I64:
    return scalar_bits(&e->val) == scalar_bits(v);
  case WRT_F32:
  case WRT_F64:
    return float_matches((wast_nan)e->nan[0], scalar_bits(&e->val), scalar_bits(v),
                         v->kind == WRT_F32 ? 32 : 64);
  case WRT_V128:
    return v128_matches(e, v->of.v128);
  case WRT_FUNCREF:
    return e->any_ref ? v->of.funcref != NULL : v->of.funcref == e->val.of.funcref;
  case WRT_EXTERNREF:
    return v->of.externref == e->val.of.externref;
  default:
    return false;
  }
}

/* ---------------------------------------------------------------- formatting */

/* A bounded appender: output is cut at the buffer's end, never overrun. */
typedef struct sbuf {
  char *p;
  size_t size, len;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) WAST_PRINTF_LIKE(2, 3);
static void sb_add(sbuf *b, const char *fmt, ...) {
  if (b->len >= b->size)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    b->len += (size_t)n;
}

static const char *nan_name(wast_nan nan) {
  return nan == WAST_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

static void add_float(sbuf *b, uint64_t bits, unsigned width, wast_nan nan) {
  if (nan != WAST_NAN_NONE) {
    sb_add(b, "%s", nan_name(nan));
    return;
  }
  if (width == 32) {
    uint32_t b32 = (uint32_t)bits;
    float x;
    memcpy(&x, &b32, 4);
    sb_add(b, "0x%08" PRIx32 " (%.9g)", b32, (double)x);
  } else {
    double x;
    memcpy(&x, &bits, 8);
    sb_add(b, "0x%016" PRIx64 " (%.17g)", bits, x);
  }
}

static void add_v128(sbuf *b, const uint8_t *bytes, wast_lane lane, const uint8_t *nan) {
  if (lane == WAST_LANE_NONE)
    lane = WAST_LANE_I32;
  unsigned w = lane_info[lane].bits / 8;
  sb_add(b, "v128:%sx%u[", lane_info[lane].name, lane_info[lane].lanes);
  for (unsigned i = 0; i < lane_info[lane].lanes; i++) {
    uint64_t v = get_le(bytes + i * w, w);
    if (i)
      sb_add(b, " ");
    if (lane_is_float(lane))
      add_float(b, v, 8 * w, nan ? (wast_nan)nan[i] : WAST_NAN_NONE);
    else
      sb_add(b, "0x%0*" PRIx64, (int)(2 * w), v);
  }
  sb_add(b, "]");
}

static void add_ref(sbuf *b, const wrt_val *v, const wast_refs *refs) {
  const void *p =
      v->kind == WRT_FUNCREF ? (const void *)v->of.funcref : (const void *)v->of.externref;
  uint64_t n;
  if (!p)
    sb_add(b, "%s:null", wast_kind_name(v->kind));
  else if (v->kind == WRT_EXTERNREF && refs_find(refs, v->of.externref, &n))
    sb_add(b, "externref:%" PRIu64, n);
  else
    sb_add(b, "%s:%p", wast_kind_name(v->kind), p);
}

static void format_val(sbuf *b, const wrt_val *v, wast_lane lane, const uint8_t *nan,
                       const wast_refs *refs) {
  uint64_t bits = scalar_bits(v);
  switch (v->kind) {
  case WRT_I32:
    sb_add(b, "i32:0x%08" PRIx64 " (%" PRId32 ")", bits, v->of.i32);
    break;
  case WRT_I64:
    sb_add(b, "i64:0x%016" PRIx64 " (%" PRId64 ")", bits, v->of.i64);
    break;
  case WRT_F32:
  case WRT_F64:
    sb_add(b, "%s:", wast_kind_name(v->kind));
    add_float(b, bits, v->kind == WRT_F32 ? 32 : 64, nan ? (wast_nan)nan[0] : WAST_NAN_NONE);
    break;
  case WRT_V128:
    add_v128(b, v->of.v128, lane, nan);
    break;
  case WRT_FUNCREF:
  case WRT_EXTERNREF:
    add_ref(b, v, refs);
    break;
  default:
    sb_add(b, "<value of unknown kind 0x%02x>", v->kind);
    break;
  }
}

void wast_value_format(const wrt_val *v, wast_lane lane, const wast_refs *refs, char *buf,
                       size_t size) {
  sbuf b = {buf, size, 0};
  buf[0] = 0;
  format_val(&b, v, lane, NULL, refs);
}

void wast_expected_format(const wast_expected *e, char *buf, size_t size) {
  sbuf b = {buf, size, 0};
  buf[0] = 0;
  if (!e->has_value)
    sb_add(&b, "%s:any", wast_kind_name(e->val.kind));
  else if (e->any_ref)
    sb_add(&b, "funcref:non-null");
  else if (e->val.kind == WRT_EXTERNREF && e->has_ref_n)
    sb_add(&b, "externref:%" PRIu64, e->ref_n);
  else
    format_val(&b, &e->val, (wast_lane)e->lane, e->nan, NULL);
}
