/*
** test_aotc_decode.c: unit tests for aotc_module_decode on hand-assembled
** binaries: header, section order and sizes, cross-section counts, custom and
** name sections, body slices, feature gates, feature-list parsing and
** allocation-failure injection. Typing rules are in test_aotc_validate.c.
*/
#include "aotc.h"
#include "t.h"
#include "t_wasm.h"

#include <string.h>

extern const t_case aotc_decode_cases[];
extern const size_t aotc_decode_n_cases;

/* ------------------------------------------------------------------ helpers */

static aotc_module *decode_bytes(const uint8_t *b, size_t n, uint32_t features, aotc_diag *d) {
  aotc_options opt;
  memset(&opt, 0, sizeof opt);
  opt.features = features;
  aotc_diag_init(d);
  return aotc_module_decode(b, n, &opt, d);
}

static aotc_module *decode(const tw_buf *w, aotc_diag *d) {
  T_CHECK(!w->overflow);
  return decode_bytes(w->b, w->n, aotc_features_default(), d);
}

/* A decode that must fail with `code` and a message starting with `prefix` (or
** `alt` when not NULL). `off` is the expected offset, or AOTC_NO_OFFSET to only
** require an offset inside the input: every decoding error carries one. */
static void expect_fail_feat(const uint8_t *b, size_t n, uint32_t features, aotc_err code,
                             const char *prefix, const char *alt, size_t off, int line) {
  aotc_diag d;
  aotc_module *m = decode_bytes(b, n, features, &d);
  if (m) {
    T_FAIL("line %d: decode succeeded, expected \"%s\"", line, prefix);
    aotc_module_free(m);
    return;
  }
  bool msg_ok =
      strncmp(d.msg, prefix, strlen(prefix)) == 0 || (alt && strncmp(d.msg, alt, strlen(alt)) == 0);
  if (d.code != code || !msg_ok)
    T_FAIL("line %d: got %s \"%s\", expected %s \"%s%s%s...\"", line, aotc_err_str(d.code), d.msg,
           aotc_err_str(code), prefix, alt ? "\" or \"" : "", alt ? alt : "");
  if (off != AOTC_NO_OFFSET && d.offset != off)
    T_FAIL("line %d: \"%s\" at offset %zu, expected %zu", line, d.msg, d.offset, off);
  if (off == AOTC_NO_OFFSET && d.offset == AOTC_NO_OFFSET)
    T_FAIL("line %d: \"%s\" has no offset", line, d.msg);
  else if (off == AOTC_NO_OFFSET && d.offset > n)
    T_FAIL("line %d: \"%s\" at offset %zu, beyond the %zu-byte input", line, d.msg, d.offset, n);
}

#define EXPECT_MALFORMED(w, prefix, alt, off)                                                      \
  expect_fail_feat((w)->b, (w)->n, aotc_features_default(), AOTC_EMALFORMED, prefix, alt, off,     \
                   __LINE__)
#define EXPECT_MALFORMED_RAW(prefix, off, ...)                                                     \
  expect_fail_feat(TW_BYTES(__VA_ARGS__), aotc_features_default(), AOTC_EMALFORMED, prefix, NULL,  \
                   off, __LINE__)

/* Section-order errors: the spec interpreter says "unexpected content after
** last section", wabt-derived wording says "junk after last section". */
#define ORDER_MSG "unexpected content after last section"
#define ORDER_ALT "junk after last section"
#define NO_OFF AOTC_NO_OFFSET

/* ------------------------------------------------------------------ header */

static void test_empty_module(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!T_CHECK(m != NULL)) {
    T_FAIL("empty module rejected: %s", d.msg);
    return;
  }
  T_EQ_U64(d.code, AOTC_OK);
  T_EQ_U64(m->n_types, 0);
  T_EQ_U64(m->n_funcs, 0);
  T_EQ_U64(m->n_codes, 0);
  T_EQ_U64(m->n_customs, 0);
  T_CHECK(!m->has_start);
  T_CHECK(!m->has_data_count);
  T_CHECK(m->bytes == w.b);
  T_EQ_U64(m->size, 8);
  T_CHECK(aotc_module_validate(m, &d));
  aotc_module_free(m);
  /* Freeing nothing is allowed, as with free(). */
  aotc_module_free(NULL);
}

static void test_bad_magic(void) {
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 'a', 's', 'm', 0);
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 0x01, 'a', 's', 'm', 1, 0, 0, 0);
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 0, 'A', 'S', 'M', 1, 0, 0, 0);
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 'w', 'a', 's', 'm', 1, 0, 0, 0);
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 0xef, 0xbb, 0xbf, 0, 'a', 's', 'm', 1, 0, 0,
                       0);
  EXPECT_MALFORMED_RAW("magic header not detected", 0, 0, 0, 0, 1, 'm', 's', 'a', 0);
}

static void test_bad_version(void) {
  EXPECT_MALFORMED_RAW("unknown binary version", 4, 0, 'a', 's', 'm', 0, 0, 0, 0);
  EXPECT_MALFORMED_RAW("unknown binary version", 4, 0, 'a', 's', 'm', 2, 0, 0, 0);
  EXPECT_MALFORMED_RAW("unknown binary version", 4, 0, 'a', 's', 'm', 0x0d, 0, 0, 0);
  EXPECT_MALFORMED_RAW("unknown binary version", 4, 0, 'a', 's', 'm', 1, 0, 0, 1);
  /* The component-model layer field is not a core module. */
  EXPECT_MALFORMED_RAW("unknown binary version", 4, 0, 'a', 's', 'm', 0x0d, 0, 1, 0);
}

static void test_truncated_header(void) {
  aotc_diag d;
  static const uint8_t full[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  /* Every proper prefix of the header (including the empty input). */
  for (size_t n = 0; n < sizeof full; n++) {
    aotc_module *m = decode_bytes(full, n, aotc_features_default(), &d);
    if (m) {
      T_FAIL("%zu-byte header prefix accepted", n);
      aotc_module_free(m);
      continue;
    }
    if (d.code != AOTC_EMALFORMED || strcmp(d.msg, "unexpected end") != 0)
      T_FAIL("%zu-byte header prefix: got %s \"%s\", expected \"unexpected end\"", n,
             aotc_err_str(d.code), d.msg);
  }
  /* A NULL pointer with size 0 is an empty input, not a crash. */
  aotc_module *m = decode_bytes(NULL, 0, aotc_features_default(), &d);
  T_CHECK(m == NULL);
  T_EQ_STR(d.msg, "unexpected end");
}

/* ------------------------------------------------------------------ section framing */

static void test_section_out_of_order(void) {
  tw_buf w;
  /* Function section (3) before the type section (1). */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 3, TW_BYTES(0));
  tw_section(&w, 1, TW_BYTES(0));
  EXPECT_MALFORMED(&w, ORDER_MSG, ORDER_ALT, 11);

  /* Data count (12) must come before code (10). */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 10, TW_BYTES(0));
  tw_section(&w, 12, TW_BYTES(0));
  EXPECT_MALFORMED(&w, ORDER_MSG, ORDER_ALT, 11);

  /* Data (11) after data count and code is fine; data count after data is not. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 11, TW_BYTES(0));
  tw_section(&w, 12, TW_BYTES(0));
  EXPECT_MALFORMED(&w, ORDER_MSG, ORDER_ALT, 11);

  /* The correct order with every section present, empty, decodes. */
  tw_init(&w);
  tw_header(&w);
  static const uint8_t order[] = {1, 2, 3, 4, 5, 6, 7, 9, 12, 10, 11};
  for (size_t i = 0; i < sizeof order; i++)
    tw_section(&w, order[i], TW_BYTES(0));
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m)
    T_FAIL("all sections in order rejected: %s", d.msg);
  else
    T_CHECK(m->has_data_count && m->data_count == 0);
  aotc_module_free(m);
}

static void test_duplicate_section(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  EXPECT_MALFORMED(&w, ORDER_MSG, ORDER_ALT, 14);

  /* Two start sections (spec binary.wast). */
  tw_buf w2;
  tw_init(&w2);
  tw_header(&w2);
  tw_section(&w2, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w2, 3, TW_BYTES(1, 0));
  tw_section(&w2, 8, TW_BYTES(0));
  tw_section(&w2, 8, TW_BYTES(0));
  tw_section(&w2, 10, TW_BYTES(1, 2, 0, 0x0b));
  EXPECT_MALFORMED(&w2, ORDER_MSG, ORDER_ALT, 8 + 6 + 4 + 3);

  /* Custom sections may repeat and appear anywhere. */
  tw_init(&w);
  tw_header(&w);
  tw_custom(&w, "a", TW_BYTES(1));
  tw_custom(&w, "a", TW_BYTES(2));
  tw_section(&w, 1, TW_BYTES(0));
  tw_custom(&w, "a", TW_BYTES(3));
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m)
    T_FAIL("repeated custom sections rejected: %s", d.msg);
  aotc_module_free(m);
}

static void test_section_size_mismatch(void) {
  tw_buf w;
  /* 1 type declared, 2 given: the section has bytes left over. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0, 0x60, 0, 0));
  EXPECT_MALFORMED(&w, "section size mismatch", NULL, NO_OFF);

  /* Trailing junk inside a memory section. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 5, TW_BYTES(1, 0, 1, 0xff));
  EXPECT_MALFORMED(&w, "section size mismatch", NULL, NO_OFF);

  /* A start section with two indices. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 3, TW_BYTES(1, 0));
  tw_section(&w, 8, TW_BYTES(0, 0));
  tw_section(&w, 10, TW_BYTES(1, 2, 0, 0x0b));
  EXPECT_MALFORMED(&w, "section size mismatch", NULL, NO_OFF);

  /* The declared size is too small: the entry runs off the section although
  ** the input goes on. */
  tw_init(&w);
  tw_header(&w);
  tw_u8(&w, 1);
  tw_u8(&w, 3);
  tw_raw(&w, TW_BYTES(1, 0x60, 0, 0));
  EXPECT_MALFORMED(&w, "unexpected end of section or function", NULL, NO_OFF);
}

static void test_section_size_beyond_input(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_u8(&w, 1);
  tw_u8(&w, 0x10); /* 16 bytes declared, 4 present */
  tw_raw(&w, TW_BYTES(1, 0x60, 0, 0));
  EXPECT_MALFORMED(&w, "unexpected end", "length out of bounds", NO_OFF);

  /* The size LEB itself is cut off. */
  tw_init(&w);
  tw_header(&w);
  tw_u8(&w, 1);
  tw_u8(&w, 0x80);
  EXPECT_MALFORMED(&w, "unexpected end", NULL, 10);

  /* A section id with nothing after it. */
  tw_init(&w);
  tw_header(&w);
  tw_u8(&w, 1);
  EXPECT_MALFORMED(&w, "unexpected end", NULL, 9);

  /* A custom section whose name is longer than the section. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 0, TW_BYTES(5, 'a', 'b'));
  tw_section(&w, 1, TW_BYTES(0));
  EXPECT_MALFORMED(&w, "unexpected end", "length out of bounds", NO_OFF);
}

static void test_unknown_section_id(void) {
  static const uint8_t ids[] = {13, 14, 0x7f, 0x80, 0xff};
  for (size_t i = 0; i < sizeof ids; i++) {
    tw_buf w;
    tw_init(&w);
    tw_header(&w);
    tw_u8(&w, ids[i]);
    tw_u8(&w, 0);
    tw_u8(&w, 1);
    tw_u8(&w, 0);
    EXPECT_MALFORMED(&w, "malformed section id", NULL, 8);
  }
}

/* ------------------------------------------------------------------ cross-section counts */

static void test_function_code_mismatch(void) {
  static const char msg[] = "function and code section have inconsistent lengths";
  tw_buf w;
  tw_mod mod;

  /* Two functions declared, one body. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 2, 0, 0);
  TW_BODY(mod, 0, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);

  /* One function declared, two bodies. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 0, 0x0b);
  TW_BODY(mod, 0, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);

  /* Function section without a code section. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 2, 0, 0);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);

  /* Code section without a function section. */
  memset(&mod, 0, sizeof mod);
  TW_BODY(mod, 0, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);

  /* An empty code section alone is fine. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 10, TW_BYTES(0));
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m)
    T_FAIL("empty code section rejected: %s", d.msg);
  aotc_module_free(m);
}

static void test_data_count_mismatch(void) {
  static const char msg[] = "data count and data section have inconsistent lengths";
  tw_buf w;
  /* Count 3, two passive segments. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 12, TW_BYTES(3));
  tw_section(&w, 11, TW_BYTES(2, 1, 0, 1, 0));
  EXPECT_MALFORMED(&w, msg, NULL, 11); /* the data section */
  /* Count 1, two segments. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 12, TW_BYTES(1));
  tw_section(&w, 11, TW_BYTES(2, 1, 0, 1, 0));
  EXPECT_MALFORMED(&w, msg, NULL, 11);
  /* Count 1 and no data section at all: the data count section. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 12, TW_BYTES(1));
  EXPECT_MALFORMED(&w, msg, NULL, 8);

  /* Matching counts decode. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 12, TW_BYTES(2));
  tw_section(&w, 11, TW_BYTES(2, 1, 0, 1, 0));
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("matching data count rejected: %s", d.msg);
  } else {
    T_CHECK(m->has_data_count);
    T_EQ_U64(m->data_count, 2);
    T_EQ_U64(m->n_datas, 2);
  }
  aotc_module_free(m);
}

static void test_data_count_required(void) {
  tw_buf w;
  tw_mod mod;
  /* memory.init (spec binary.wast). */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_SEC(mod, 5, 1, 0, 0);
  TW_BODY(mod, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0, 0, 0x0b);
  TW_SEC(mod, 11, 1, 1, 0);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, "data count section required", NULL, NO_OFF);

  /* data.drop. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_SEC(mod, 5, 1, 0, 0);
  TW_BODY(mod, 0, 0xfc, 0x09, 0, 0x0b);
  TW_SEC(mod, 11, 1, 1, 0);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, "data count section required", NULL, NO_OFF);

  /* With the data count section both decode. */
  TW_SEC(mod, 12, 1);
  tw_mod_build(&w, &mod);
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m)
    T_FAIL("data.drop with data count rejected: %s", d.msg);
  aotc_module_free(m);
}

static void test_too_many_locals(void) {
  tw_buf w;
  tw_mod mod;
  /* 0xffffffff i32 + 2 i64 (spec binary.wast). */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, "too many locals", NULL, NO_OFF);

  /* 4 * 0x40000000 plus two parameters. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 2, 0x7f, 0x7f, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 4, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7e, 0x80,
          0x80, 0x80, 0x80, 0x04, 0x7d, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7c, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, "too many locals", NULL, NO_OFF);

  /* A moderate number of locals is fine: 0 i32, 0 i64, 2 f32 (spec). */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 3, 0, 0x7f, 0, 0x7e, 2, 0x7d, 0x0b);
  tw_mod_build(&w, &mod);
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("3 local declarations rejected: %s", d.msg);
  } else {
    T_EQ_U64(m->codes[0].n_locals, 2);
    T_EQ_U64(m->codes[0].n_decls, 3);
  }
  aotc_module_free(m);
}

/* Without multi-memory the memory index of memory.grow/size is a single zero
** byte, not a LEB128 (spec binary.wast). */
static void test_reserved_zero_byte(void) {
  static const char msg[] = "zero byte expected";
  tw_buf w;
  tw_mod mod;
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_SEC(mod, 5, 1, 0, 0);
  TW_BODY(mod, 0, 0x41, 0, 0x40, 0x01, 0x1a, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);
  /* With multi-memory it is a memory index: well-formed, but memory 1 does
  ** not exist. */
  aotc_diag d;
  aotc_module *m = decode_bytes(w.b, w.n, aotc_features_all(), &d);
  if (!m) {
    T_FAIL("memory.grow 1 rejected with multi-memory: %s", d.msg);
  } else {
    T_CHECK(!aotc_module_validate(m, &d));
    T_PREFIX(d.msg, "unknown memory");
  }
  aotc_module_free(m);

  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_SEC(mod, 5, 1, 0, 0);
  TW_BODY(mod, 0, 0x41, 0, 0x40, 0x80, 0x00, 0x1a, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);

  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_SEC(mod, 5, 1, 0, 0);
  TW_BODY(mod, 0, 0x3f, 0x01, 0x1a, 0x0b); /* memory.size */
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, msg, NULL, NO_OFF);
}

static void test_illegal_opcode(void) {
  static const uint8_t bad_ops[] = {0x06, 0x27, 0xc5, 0xff};
  for (size_t i = 0; i < sizeof bad_ops; i++) {
    tw_buf w;
    tw_mod mod;
    memset(&mod, 0, sizeof mod);
    TW_SEC(mod, 1, 1, 0x60, 0, 0);
    TW_SEC(mod, 3, 1, 0);
    TW_BODY(mod, 0, bad_ops[i], 0x0b);
    tw_mod_build(&w, &mod);
    /* The opcode is the second-to-last byte. */
    expect_fail_feat(w.b, w.n, aotc_features_all(), AOTC_EMALFORMED, "illegal opcode", NULL,
                     w.n - 2, __LINE__);
  }
  /* An unknown 0xfc sub-opcode. */
  tw_buf w;
  tw_mod mod;
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 0, 0xfc, 0x7f, 0x0b);
  tw_mod_build(&w, &mod);
  EXPECT_MALFORMED(&w, "illegal opcode", NULL, NO_OFF);
}

/* ------------------------------------------------------------------ custom and name sections */

static void test_custom_sections(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  size_t first = w.n;
  tw_custom(&w, "first", TW_BYTES(1, 2, 3));
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_custom(&w, "", NULL, 0); /* empty name, empty payload */
  tw_section(&w, 3, TW_BYTES(1, 0));
  tw_section(&w, 12, TW_BYTES(0));
  size_t third = w.n;
  tw_custom(&w, "\xc3\xa9t\xc3\xa9", TW_BYTES(9));
  tw_section(&w, 10, TW_BYTES(1, 2, 0, 0x0b));
  tw_custom(&w, "last", TW_BYTES(7, 7));

  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("custom sections rejected: %s", d.msg);
    return;
  }
  if (T_EQ_U64(m->n_customs, 4)) {
    const aotc_custom *c = m->customs;
    T_EQ_MEM(c[0].name.ptr, c[0].name.len, "first", 5);
    T_EQ_U64(c[0].payload.off, first + 2 + 6);
    T_EQ_U64(c[0].payload.len, 3);
    T_EQ_U64(m->bytes[c[0].payload.off + 2], 3);
    T_EQ_U64(c[0].after_section, 0);

    T_EQ_U64(c[1].name.len, 0);
    T_EQ_U64(c[1].payload.len, 0);
    T_EQ_U64(c[1].after_section, 1);

    T_EQ_MEM(c[2].name.ptr, c[2].name.len, "\xc3\xa9t\xc3\xa9", 5);
    T_EQ_U64(c[2].payload.off, third + 2 + 6);
    T_EQ_U64(c[2].payload.len, 1);
    T_EQ_U64(c[2].after_section, 12);

    T_EQ_MEM(c[3].name.ptr, c[3].name.len, "last", 4);
    T_EQ_U64(c[3].payload.off + c[3].payload.len, w.n);
    T_EQ_U64(c[3].after_section, 10);
  }
  /* Custom sections do not disturb the others. */
  T_EQ_U64(m->n_types, 1);
  T_EQ_U64(m->n_codes, 1);
  aotc_module_free(m);

  /* A custom section name with invalid UTF-8 is malformed (spec custom.wast
  ** and utf8-custom-section-id.wast). */
  tw_init(&w);
  tw_header(&w);
  tw_custom(&w, "\xc0\x80", TW_BYTES(0));
  EXPECT_MALFORMED(&w, "malformed UTF-8 encoding", NULL, NO_OFF);
}

/* Builds: imports "env"."f" (func 0), defines funcs 1..3, name section naming
** the module "mod", func 0 "imp" and func 2 "two". */
static void build_named(tw_buf *w, bool with_bad_trailer) {
  tw_init(w);
  tw_header(w);
  tw_section(w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(w, 2, TW_BYTES(1, 3, 'e', 'n', 'v', 1, 'f', 0, 0));
  tw_section(w, 3, TW_BYTES(3, 0, 0, 0));
  tw_section(w, 10, TW_BYTES(3, 2, 0, 0x0b, 2, 0, 0x0b, 2, 0, 0x0b));
  tw_buf names;
  tw_init(&names);
  /* Subsection 0: module name. */
  tw_u8(&names, 0);
  tw_u8(&names, 4);
  tw_name(&names, "mod");
  /* Subsection 1: function names, increasing indices. */
  tw_buf fn;
  tw_init(&fn);
  tw_u8(&fn, 2);
  tw_u8(&fn, 0);
  tw_name(&fn, "imp");
  tw_u8(&fn, 2);
  tw_name(&fn, "two");
  tw_u8(&names, 1);
  tw_u8(&names, (uint8_t)fn.n);
  tw_raw(&names, fn.b, fn.n);
  /* Subsection 2: local names (decoders may skip it). */
  tw_raw(&names, TW_BYTES(2, 3, 1, 1, 0));
  if (with_bad_trailer)
    tw_raw(&names, TW_BYTES(1, 0x7f)); /* a subsection claiming 127 bytes */
  tw_custom(w, "name", names.b, names.n);
}

static void test_name_section(void) {
  tw_buf w;
  build_named(&w, false);
  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("name section rejected: %s", d.msg);
    return;
  }
  T_CHECK(m->has_module_name);
  T_EQ_MEM(m->module_name.ptr, m->module_name.len, "mod", 3);
  T_EQ_U64(m->n_func_names, 2);
  const aotc_name *n0 = aotc_func_name(m, 0);
  const aotc_name *n2 = aotc_func_name(m, 2);
  if (T_CHECK(n0 != NULL))
    T_EQ_MEM(n0->ptr, n0->len, "imp", 3);
  if (T_CHECK(n2 != NULL))
    T_EQ_MEM(n2->ptr, n2->len, "two", 3);
  T_CHECK(aotc_func_name(m, 1) == NULL);
  T_CHECK(aotc_func_name(m, 3) == NULL);
  T_CHECK(aotc_func_name(m, 1000) == NULL);
  /* The name section is still listed as a custom section. */
  if (T_EQ_U64(m->n_customs, 1))
    T_EQ_MEM(m->customs[0].name.ptr, m->customs[0].name.len, "name", 4);
  T_CHECK(aotc_module_validate(m, &d));
  aotc_module_free(m);

  /* A broken name section is ignored, not an error. */
  build_named(&w, true);
  m = decode(&w, &d);
  if (!m)
    T_FAIL("broken name section made the module fail: %s", d.msg);
  aotc_module_free(m);

  /* No name section: no names. */
  tw_init(&w);
  tw_header(&w);
  m = decode(&w, &d);
  if (T_CHECK(m != NULL)) {
    T_CHECK(!m->has_module_name);
    T_EQ_U64(m->n_func_names, 0);
    T_CHECK(aotc_func_name(m, 0) == NULL);
  }
  aotc_module_free(m);
}

/* ------------------------------------------------------------------ model contents */

static void test_bodies_are_slices(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 3, TW_BYTES(2, 0, 0));
  /* Code section: 2 bodies. Body 0 declares 2 i32 + 1 f64 and is
  ** `i32.const 1 drop end`; body 1 has no locals and is `nop end`. */
  tw_u8(&w, 10);
  tw_u8(&w, 15);
  size_t code_start = w.n;
  tw_u8(&w, 2);
  tw_u8(&w, 9);
  size_t body0 = w.n;
  tw_raw(&w, TW_BYTES(2, 2, 0x7f, 1, 0x7c, 0x41, 1, 0x1a, 0x0b));
  tw_u8(&w, 3);
  size_t body1 = w.n;
  tw_raw(&w, TW_BYTES(0, 0x01, 0x0b));
  T_EQ_U64(w.n - code_start, 15);

  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("module rejected: %s", d.msg);
    return;
  }
  if (T_EQ_U64(m->n_codes, 2)) {
    const aotc_code *c0 = &m->codes[0], *c1 = &m->codes[1];
    T_EQ_U64(c0->body.off, body0);
    T_EQ_U64(c0->body.len, 9);
    T_EQ_U64(c0->instr_off, body0 + 5);
    T_EQ_U64(m->bytes[c0->instr_off], 0x41);
    T_EQ_U64(c0->n_decls, 2);
    if (c0->n_decls == 2) {
      T_EQ_U64(c0->decls[0].count, 2);
      T_EQ_U64(c0->decls[0].type, AOTC_I32);
      T_EQ_U64(c0->decls[1].count, 1);
      T_EQ_U64(c0->decls[1].type, AOTC_F64);
    }
    T_EQ_U64(c0->n_locals, 3);
    T_EQ_U64(c1->body.off, body1);
    T_EQ_U64(c1->body.len, 3);
    T_EQ_U64(c1->instr_off, body1 + 1);
    T_EQ_U64(c1->n_decls, 0);
    T_EQ_U64(c1->n_locals, 0);
    T_EQ_U64(m->bytes[c1->body.off + c1->body.len - 1], 0x0b);
  }
  T_EQ_U64(m->n_funcs, 2);
  T_EQ_U64(m->n_func_imports, 0);
  aotc_module_free(m);

  /* A body must end with `end` inside its declared size, whether another body
  ** follows (spec binary.wast) or it is the last one. */
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 3, TW_BYTES(2, 0, 0));
  tw_section(&w, 10, TW_BYTES(2, 4, 0, 0x41, 1, 0x1a, 5, 0, 0x41, 1, 0x1a, 0x0b));
  EXPECT_MALFORMED(&w, "END opcode expected", "unexpected end", NO_OFF);
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 3, TW_BYTES(1, 0));
  tw_section(&w, 10, TW_BYTES(1, 3, 0, 0x41, 0x01));
  EXPECT_MALFORMED(&w, "END opcode expected", "unexpected end", NO_OFF);
}

static void test_imports_and_index_spaces(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(2, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7e));
  /* Imports: func (type 1), global i32 const, memory {1}, table funcref {0, max 4}. */
  size_t imp_sec = w.n + 2;
  tw_section(&w, 2,
             TW_BYTES(4, 1, 'm', 1, 'f', 0, 1, 1, 'm', 1, 'g', 3, 0x7f, 0, 1, 'm', 1, 'M', 2, 0, 1,
                      1, 'm', 1, 't', 1, 0x70, 1, 0, 4));
  tw_section(&w, 3, TW_BYTES(2, 0, 1));
  tw_section(&w, 6, TW_BYTES(1, 0x7e, 1, 0x42, 0x2a, 0x0b));
  tw_section(&w, 7, TW_BYTES(2, 3, 'r', 'u', 'n', 0, 2, 1, 'g', 3, 1));
  tw_section(&w, 8, TW_BYTES(1));
  tw_section(&w, 10, TW_BYTES(2, 2, 0, 0x0b, 4, 0, 0x42, 0, 0x0b));

  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("module rejected: %s", d.msg);
    return;
  }
  T_EQ_U64(m->n_types, 2);
  if (m->n_types == 2) {
    T_EQ_U64(m->types[1].n_params, 1);
    T_EQ_U64(m->types[1].params[0], AOTC_I32);
    T_EQ_U64(m->types[1].n_results, 1);
    T_EQ_U64(m->types[1].results[0], AOTC_I64);
  }
  T_EQ_U64(m->n_imports, 4);
  if (m->n_imports == 4) {
    T_EQ_U64(m->imports[0].off, imp_sec + 1);
    T_EQ_MEM(m->imports[0].module.ptr, m->imports[0].module.len, "m", 1);
    T_EQ_MEM(m->imports[1].name.ptr, m->imports[1].name.len, "g", 1);
    T_EQ_U64(m->imports[2].kind, AOTC_EXTERN_MEMORY);
    T_EQ_U64(m->imports[3].kind, AOTC_EXTERN_TABLE);
    T_EQ_U64(m->imports[3].idx, 0);
  }
  /* Unified index spaces: imports first. */
  T_EQ_U64(m->n_funcs, 3);
  T_EQ_U64(m->n_func_imports, 1);
  T_CHECK(aotc_func_is_import(m, 0));
  T_CHECK(!aotc_func_is_import(m, 1));
  T_EQ_U64(aotc_def_to_func(m, 0), 1);
  T_EQ_U64(aotc_func_to_def(m, 2), 1);
  if (m->n_funcs == 3) {
    T_EQ_U64(m->func_types[0], 1);
    T_EQ_U64(m->func_types[1], 0);
    T_EQ_U64(m->func_types[2], 1);
    T_EQ_U64(aotc_func_type(m, 2)->n_params, 1);
  }
  T_EQ_U64(m->n_globals, 2);
  T_EQ_U64(m->n_global_imports, 1);
  if (m->n_globals == 2) {
    T_CHECK(m->globals[0].imported);
    T_CHECK(!m->globals[0].type.mut);
    T_CHECK(!m->globals[1].imported);
    T_EQ_U64(m->globals[1].type.type, AOTC_I64);
    T_CHECK(m->globals[1].type.mut);
    /* The init expression is kept as a slice up to and including `end`. */
    T_EQ_U64(m->globals[1].init.len, 3);
    T_EQ_U64(m->bytes[m->globals[1].init.off], 0x42);
    T_EQ_U64(m->bytes[m->globals[1].init.off + 2], 0x0b);
  }
  T_EQ_U64(m->n_memories, 1);
  T_EQ_U64(m->n_memory_imports, 1);
  if (m->n_memories == 1) {
    T_CHECK(m->memories[0].imported);
    T_EQ_U64(m->memories[0].lim.min, 1);
    T_CHECK(!m->memories[0].lim.has_max);
  }
  T_EQ_U64(m->n_tables, 1);
  if (m->n_tables == 1) {
    T_EQ_U64(m->tables[0].type.elem, AOTC_FUNCREF);
    T_CHECK(m->tables[0].type.lim.has_max);
    T_EQ_U64(m->tables[0].type.lim.max, 4);
  }
  T_EQ_U64(m->n_exports, 2);
  if (m->n_exports == 2) {
    T_EQ_MEM(m->exports[0].name.ptr, m->exports[0].name.len, "run", 3);
    T_EQ_U64(m->exports[0].kind, AOTC_EXTERN_FUNC);
    T_EQ_U64(m->exports[0].idx, 2);
    T_EQ_U64(m->exports[1].kind, AOTC_EXTERN_GLOBAL);
    T_EQ_U64(m->exports[1].idx, 1);
  }
  T_CHECK(m->has_start);
  T_EQ_U64(m->start_idx, 1);
  if (!aotc_module_validate(m, &d))
    T_FAIL("valid module rejected by the validator: %s", d.msg);
  aotc_module_free(m);
}

static void test_data_and_elem_segments(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 1, TW_BYTES(1, 0x60, 0, 0));
  tw_section(&w, 3, TW_BYTES(1, 0));
  tw_section(&w, 4, TW_BYTES(1, 0x70, 0, 1));
  tw_section(&w, 5, TW_BYTES(1, 0, 1));
  /* Elems: active (flags 0) with func 0; passive funcref exprs (flags 5) with
  ** ref.null func and ref.func 0; declarative (flags 3) with func 0. */
  tw_section(
      &w, 9,
      TW_BYTES(3, 0, 0x41, 0, 0x0b, 1, 0, 5, 0x70, 2, 0xd0, 0x70, 0x0b, 0xd2, 0, 0x0b, 3, 0, 1, 0));
  tw_section(&w, 12, TW_BYTES(2));
  tw_section(&w, 10, TW_BYTES(1, 2, 0, 0x0b));
  size_t data_sec = w.n + 2;
  tw_section(&w, 11, TW_BYTES(2, 0, 0x41, 5, 0x0b, 3, 'a', 'b', 'c', 1, 2, 'x', 'y'));

  aotc_diag d;
  aotc_module *m = decode(&w, &d);
  if (!m) {
    T_FAIL("module rejected: %s", d.msg);
    return;
  }
  if (T_EQ_U64(m->n_datas, 2)) {
    const aotc_data *a = &m->datas[0], *p = &m->datas[1];
    T_EQ_U64(a->mode, AOTC_SEG_ACTIVE);
    T_EQ_U64(a->mem_idx, 0);
    T_EQ_U64(a->offset.off, data_sec + 2);
    T_EQ_U64(a->offset.len, 3);
    T_EQ_U64(a->bytes.off, data_sec + 6);
    T_EQ_U64(a->bytes.len, 3);
    T_EQ_MEM(m->bytes + a->bytes.off, a->bytes.len, "abc", 3);
    T_EQ_U64(p->mode, AOTC_SEG_PASSIVE);
    T_EQ_U64(p->bytes.len, 2);
    T_EQ_MEM(m->bytes + p->bytes.off, p->bytes.len, "xy", 2);
  }
  if (T_EQ_U64(m->n_elems, 3)) {
    const aotc_elem *e = m->elems;
    T_EQ_U64(e[0].mode, AOTC_SEG_ACTIVE);
    T_CHECK(!e[0].uses_exprs);
    T_EQ_U64(e[0].type, AOTC_FUNCREF);
    T_EQ_U64(e[0].table_idx, 0);
    T_EQ_U64(e[0].offset.len, 3);
    if (T_EQ_U64(e[0].n_items, 1))
      T_EQ_U64(e[0].func_idxs[0], 0);
    T_EQ_U64(e[1].mode, AOTC_SEG_PASSIVE);
    T_CHECK(e[1].uses_exprs);
    if (T_EQ_U64(e[1].n_items, 2)) {
      T_EQ_U64(e[1].exprs[0].len, 3);
      T_EQ_U64(m->bytes[e[1].exprs[0].off], 0xd0);
      T_EQ_U64(m->bytes[e[1].exprs[1].off], 0xd2);
    }
    T_EQ_U64(e[2].mode, AOTC_SEG_DECLARATIVE);
    T_EQ_U64(e[2].n_items, 1);
  }
  if (!aotc_module_validate(m, &d))
    T_FAIL("valid module rejected by the validator: %s", d.msg);
  aotc_module_free(m);
}

/* ------------------------------------------------------------------ features */

static void test_feature_gate_simd(void) {
  tw_buf w;
  tw_mod mod;
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  /* i32.const 0; i8x16.splat; drop; end */
  TW_BODY(mod, 0, 0x41, 0, 0xfd, 0x0f, 0x1a, 0x0b);
  tw_mod_build(&w, &mod);

  aotc_diag d;
  aotc_module *m = decode_bytes(w.b, w.n, aotc_features_default(), &d);
  if (!m)
    T_FAIL("SIMD body rejected with default features: %s", d.msg);
  aotc_module_free(m);

  uint32_t no_simd = aotc_features_default() & ~(uint32_t)AOTC_FEAT_SIMD;
  m = decode_bytes(w.b, w.n, no_simd, &d);
  T_CHECK(m == NULL);
  aotc_module_free(m);
  T_EQ_U64(d.code, AOTC_EUNSUPPORTED);
  T_CONTAINS(d.msg, "simd");
  /* The offset points at the opcode (or its prefix), inside the body. */
  T_CHECK(d.offset >= w.n - 4 && d.offset <= w.n - 3);

  /* A v128 value type in a signature is gated too. */
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 1, 0x7b, 0);
  tw_mod_build(&w, &mod);
  m = decode_bytes(w.b, w.n, no_simd, &d);
  T_CHECK(m == NULL);
  aotc_module_free(m);
  T_EQ_U64(d.code, AOTC_EUNSUPPORTED);
  T_CONTAINS(d.msg, "simd");
}

static void test_feature_gate_tail_call(void) {
  tw_buf w;
  tw_mod mod;
  memset(&mod, 0, sizeof mod);
  TW_SEC(mod, 1, 1, 0x60, 0, 0);
  TW_SEC(mod, 3, 1, 0);
  TW_BODY(mod, 0, 0x12, 0, 0x0b); /* return_call 0 */
  tw_mod_build(&w, &mod);

  aotc_diag d;
  aotc_module *m = decode_bytes(w.b, w.n, aotc_features_default(), &d);
  T_CHECK(m == NULL);
  aotc_module_free(m);
  T_EQ_U64(d.code, AOTC_EUNSUPPORTED);
  T_CONTAINS(d.msg, "tail-call");

  m = decode_bytes(w.b, w.n, aotc_features_default() | AOTC_FEAT_TAIL_CALL, &d);
  if (!m)
    T_FAIL("return_call rejected with tail-call on: %s", d.msg);
  else if (!aotc_module_validate(m, &d))
    T_FAIL("return_call module invalid: %s", d.msg);
  aotc_module_free(m);
}

static void test_feature_gate_memory64(void) {
  tw_buf w;
  tw_init(&w);
  tw_header(&w);
  tw_section(&w, 5, TW_BYTES(1, 0x04, 1)); /* i64 memory, min 1 */
  aotc_diag d;
  aotc_module *m = decode_bytes(w.b, w.n, aotc_features_default(), &d);
  T_CHECK(m == NULL);
  aotc_module_free(m);
  T_EQ_U64(d.code, AOTC_EUNSUPPORTED);
  T_CONTAINS(d.msg, "memory64");

  m = decode_bytes(w.b, w.n, aotc_features_all(), &d);
  if (!m) {
    T_FAIL("memory64 memory rejected with all features: %s", d.msg);
  } else if (T_EQ_U64(m->n_memories, 1)) {
    T_CHECK(m->memories[0].lim.is64);
    T_EQ_U64(m->memories[0].lim.min, 1);
  }
  aotc_module_free(m);
}

static void test_features_parse(void) {
  aotc_diag d;
  uint32_t f;
  uint32_t dflt = aotc_features_default();

  T_CHECK(dflt & AOTC_FEAT_SIMD);
  T_CHECK(dflt & AOTC_FEAT_BULK_MEMORY);
  T_CHECK(dflt & AOTC_FEAT_REFERENCE_TYPES);
  T_CHECK(!(dflt & AOTC_FEAT_TAIL_CALL));
  T_CHECK(!(dflt & AOTC_FEAT_MEMORY64));
  T_EQ_U64(aotc_features_all(), (UINT32_C(1) << AOTC_FEAT_COUNT) - 1);
  T_EQ_STR(aotc_feature_name(AOTC_FEAT_SIMD), "simd");
  T_EQ_STR(aotc_feature_name(AOTC_FEAT_TAIL_CALL), "tail-call");

  aotc_diag_init(&d);
  f = 0;
  T_CHECK(aotc_features_parse("all", &f, &d));
  T_EQ_U64(f, aotc_features_all());

  f = dflt;
  T_CHECK(aotc_features_parse("-simd", &f, &d));
  T_EQ_U64(f, dflt & ~(uint32_t)AOTC_FEAT_SIMD);

  f = dflt;
  T_CHECK(aotc_features_parse("+tail-call", &f, &d));
  T_EQ_U64(f, dflt | AOTC_FEAT_TAIL_CALL);

  f = dflt;
  T_CHECK(aotc_features_parse("none,simd,+memory64", &f, &d));
  T_EQ_U64(f, AOTC_FEAT_SIMD | AOTC_FEAT_MEMORY64);

  f = 0;
  T_CHECK(aotc_features_parse("all,-multi-memory,-extended-const", &f, &d));
  T_EQ_U64(f, aotc_features_all() & ~(uint32_t)(AOTC_FEAT_MULTI_MEMORY | AOTC_FEAT_EXTENDED_CONST));

  f = AOTC_FEAT_SIMD;
  T_CHECK(aotc_features_parse("default", &f, &d));
  T_EQ_U64(f, dflt);

  f = dflt;
  T_CHECK(aotc_features_parse("", &f, &d));
  T_EQ_U64(f, dflt);
  T_EQ_U64(d.code, AOTC_OK);

  /* Unknown names are an error that names the culprit. */
  f = dflt;
  T_CHECK(!aotc_features_parse("bogus", &f, &d));
  T_CHECK(d.code != AOTC_OK);
  T_CONTAINS(d.msg, "bogus");
  aotc_diag_init(&d);
  T_CHECK(!aotc_features_parse("simd,+nope", &f, &d));
  T_CONTAINS(d.msg, "nope");
  aotc_diag_init(&d);
  T_CHECK(!aotc_features_parse("simdx", &f, &d));
  aotc_diag_init(&d);
  T_CHECK(!aotc_features_parse("sim", &f, &d));
}

/* ------------------------------------------------------------------ fault injection */

/* A module that needs many allocations: types, imports, globals, exports,
** elements, data, code and names. */
static void build_rich(tw_buf *w) {
  tw_buf x;
  tw_init(&x);
  tw_header(&x);
  tw_section(&x, 1, TW_BYTES(2, 0x60, 0, 0, 0x60, 2, 0x7f, 0x7f, 1, 0x7f));
  tw_section(&x, 2, TW_BYTES(1, 1, 'm', 1, 'f', 0, 1));
  tw_section(&x, 3, TW_BYTES(2, 0, 1));
  tw_section(&x, 4, TW_BYTES(1, 0x70, 0, 2));
  tw_section(&x, 5, TW_BYTES(1, 0, 1));
  tw_section(&x, 6, TW_BYTES(1, 0x7f, 1, 0x41, 7, 0x0b));
  tw_section(&x, 7, TW_BYTES(2, 1, 'a', 0, 1, 1, 'b', 0, 2));
  tw_section(&x, 9, TW_BYTES(1, 0, 0x41, 0, 0x0b, 2, 1, 2));
  tw_section(&x, 12, TW_BYTES(1));
  tw_section(&x, 10, TW_BYTES(2, 4, 1, 1, 0x7f, 0x0b, 9, 1, 2, 0x7e, 0x20, 0, 0x20, 1, 0x6a, 0x0b));
  tw_section(&x, 11, TW_BYTES(1, 0, 0x41, 0, 0x0b, 2, 'h', 'i'));
  /* Module name "mod", func 1 named "f1". */
  tw_custom(&x, "name", TW_BYTES(0, 4, 3, 'm', 'o', 'd', 1, 5, 1, 1, 2, 'f', '1'));
  *w = x;
}

static void test_alloc_failure_injection(void) {
  tw_buf w;
  build_rich(&w);
  T_CHECK(!w.overflow);
  aotc_diag d;
  /* The module must be fine without injection. */
  aotc_module *m = decode_bytes(w.b, w.n, aotc_features_default(), &d);
  if (!m) {
    T_FAIL("rich module rejected: %s", d.msg);
    return;
  }
  if (!aotc_module_validate(m, &d))
    T_FAIL("rich module invalid: %s", d.msg);
  aotc_module_free(m);

  /* Fail the Nth allocation for N = 1, 2, ... until decode and validate both
  ** succeed: every failure must be a clean AOTC_ENOMEM (leaks show under ASan). */
  uint64_t n;
  bool done = false;
  for (n = 1; n < 10000 && !done; n++) {
    aotc_options opt;
    memset(&opt, 0, sizeof opt);
    opt.features = aotc_features_default();
    opt.fail_alloc_after = n;
    aotc_diag_init(&d);
    m = aotc_module_decode(w.b, w.n, &opt, &d);
    if (!m) {
      if (d.code != AOTC_ENOMEM) {
        T_FAIL("allocation %llu failed: got %s \"%s\", expected out of memory",
               (unsigned long long)n, aotc_err_str(d.code), d.msg);
        break;
      }
      continue;
    }
    bool ok = aotc_module_validate(m, &d);
    if (!ok && d.code != AOTC_ENOMEM) {
      T_FAIL("allocation %llu failed in validation: got %s \"%s\"", (unsigned long long)n,
             aotc_err_str(d.code), d.msg);
      aotc_module_free(m);
      break;
    }
    done = ok;
    aotc_module_free(m);
  }
  T_CHECK(done);
  /* Decoding allocates at least the module and a few arrays. */
  T_CHECK(n > 3);
}

/* ------------------------------------------------------------------ table */

const t_case aotc_decode_cases[] = {
    {"decode/empty_module", test_empty_module},
    {"decode/bad_magic", test_bad_magic},
    {"decode/bad_version", test_bad_version},
    {"decode/truncated_header", test_truncated_header},
    {"decode/section_out_of_order", test_section_out_of_order},
    {"decode/duplicate_section", test_duplicate_section},
    {"decode/section_size_mismatch", test_section_size_mismatch},
    {"decode/section_size_beyond_input", test_section_size_beyond_input},
    {"decode/unknown_section_id", test_unknown_section_id},
    {"decode/function_code_mismatch", test_function_code_mismatch},
    {"decode/data_count_mismatch", test_data_count_mismatch},
    {"decode/data_count_required", test_data_count_required},
    {"decode/too_many_locals", test_too_many_locals},
    {"decode/reserved_zero_byte", test_reserved_zero_byte},
    {"decode/illegal_opcode", test_illegal_opcode},
    {"decode/custom_sections", test_custom_sections},
    {"decode/name_section", test_name_section},
    {"decode/bodies_are_slices", test_bodies_are_slices},
    {"decode/imports_and_index_spaces", test_imports_and_index_spaces},
    {"decode/data_and_elem_segments", test_data_and_elem_segments},
    {"decode/feature_gate_simd", test_feature_gate_simd},
    {"decode/feature_gate_tail_call", test_feature_gate_tail_call},
    {"decode/feature_gate_memory64", test_feature_gate_memory64},
    {"decode/features_parse", test_features_parse},
    {"decode/alloc_failure_injection", test_alloc_failure_injection},
};
const size_t aotc_decode_n_cases = T_COUNT(aotc_decode_cases);
