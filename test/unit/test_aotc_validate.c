/*
** test_aotc_validate.c: unit tests for aotc_module_validate on small
** hand-assembled modules: one rule broken per module, checked for AOTC_EINVALID
** and the spec suite's message prefix, plus valid modules that must pass.
** Binary-format errors are in test_aotc_decode.c.
*/
#include "aotc.h"
#include "t.h"
#include "t_wasm.h"

#include <string.h>

extern const t_case aotc_validate_cases[];
extern const size_t aotc_validate_n_cases;

/* ------------------------------------------------------------------ helpers */

/* Decodes (which must succeed) and validates; returns the validation result,
** or -1 when decoding failed (reported as a test failure). */
static int decode_validate(const tw_mod *mod, uint32_t features, aotc_diag *d, int line) {
  tw_buf w;
  tw_mod_build(&w, mod);
  if (w.overflow) {
    T_FAIL("line %d: test module too big", line);
    return -1;
  }
  aotc_options opt;
  memset(&opt, 0, sizeof opt);
  opt.features = features;
  aotc_diag_init(d);
  aotc_module *m = aotc_module_decode(w.b, w.n, &opt, d);
  if (!m) {
    T_FAIL("line %d: decode failed: %s \"%s\" at 0x%zx", line, aotc_err_str(d->code), d->msg,
           d->offset);
    return -1;
  }
  bool ok = aotc_module_validate(m, d);
  if (!ok && d->offset == AOTC_NO_OFFSET)
    T_FAIL("line %d: \"%s\" has no offset", line, d->msg);
  else if (!ok && d->offset > w.n)
    T_FAIL("line %d: \"%s\" at offset %zu, beyond the %zu-byte input", line, d->msg, d->offset,
           w.n);
  aotc_module_free(m);
  return ok;
}

static void expect_invalid(const tw_mod *mod, uint32_t features, const char *prefix, int line) {
  aotc_diag d;
  int r = decode_validate(mod, features, &d, line);
  if (r == 1)
    T_FAIL("line %d: module validated, expected \"%s\"", line, prefix);
  else if (r == 0 && (d.code != AOTC_EINVALID || strncmp(d.msg, prefix, strlen(prefix)) != 0))
    T_FAIL("line %d: got %s \"%s\", expected invalid \"%s...\"", line, aotc_err_str(d.code), d.msg,
           prefix);
}

/* As expect_invalid, and the diagnostic must point at byte `off`. */
static void expect_invalid_at(const tw_mod *mod, uint32_t features, const char *prefix,
                              size_t off, int line) {
  aotc_diag d;
  expect_invalid(mod, features, prefix, line);
  if (decode_validate(mod, features, &d, line) == 0 && d.offset != off)
    T_FAIL("line %d: \"%s\" at offset 0x%zx, expected 0x%zx", line, d.msg, d.offset, off);
}

static void expect_valid(const tw_mod *mod, uint32_t features, int line) {
  aotc_diag d;
  int r = decode_validate(mod, features, &d, line);
  if (r == 0)
    T_FAIL("line %d: valid module rejected: %s \"%s\" at 0x%zx (func %d)", line,
           aotc_err_str(d.code), d.msg, d.offset, (int)d.func_idx);
}

#define DEFAULT aotc_features_default()
#define INVALID(mod, prefix) expect_invalid(&(mod), DEFAULT, prefix, __LINE__)
#define INVALID_AT(mod, prefix, off) expect_invalid_at(&(mod), DEFAULT, prefix, off, __LINE__)
#define VALID(mod) expect_valid(&(mod), DEFAULT, __LINE__)
#define VALID_F(mod, feat) expect_valid(&(mod), feat, __LINE__)
#define RESET(mod) memset(&(mod), 0, sizeof(mod))

/* Module skeleton: one type and one function of that type; the caller adds
** the body and further sections. An expression, not a block: the compound
** literals must live as long as the caller's block (see TW_SEC). */
#define ONE_FUNC(mod, ...) (RESET(mod), TW_SEC(mod, 1, 1, __VA_ARGS__), TW_SEC(mod, 3, 1, 0))

/* Value types and function types used below. */
#define I32 0x7f
#define I64 0x7e
#define EXTERNREF 0x6f
#define FUNCREF 0x70
#define FT_V_V 0x60, 0, 0           /* [] -> [] */
#define FT_V_I 0x60, 0, 1, I32      /* [] -> [i32] */
#define FT_I_V 0x60, 1, I32, 0      /* [i32] -> [] */
#define FT_I_I 0x60, 1, I32, 1, I32 /* [i32] -> [i32] */

/* ------------------------------------------------------------------ typing of bodies */

static void test_type_mismatch(void) {
  tw_mod m;
  /* i64 result for an i32 function. */
  ONE_FUNC(m, FT_V_I);
  TW_BODY(m, 0, 0x42, 0, 0x0b);
  INVALID(m, "type mismatch");
  /* i32.add of i32 and i64. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x42, 0, 0x6a, 0x1a, 0x0b);
  INVALID(m, "type mismatch");
  /* Missing result. */
  ONE_FUNC(m, FT_V_I);
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "type mismatch");
  /* A value left over. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x0b);
  INVALID(m, "type mismatch");
  /* block (result i32) that produces nothing. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x02, I32, 0x0b, 0x1a, 0x0b);
  INVALID(m, "type mismatch");
  /* if (result i32) without else. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 1, 0x04, I32, 0x41, 1, 0x0b, 0x1a, 0x0b);
  INVALID(m, "type mismatch");
  /* drop on an empty stack. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x1a, 0x0b);
  INVALID(m, "type mismatch");
  /* br_if needs an i32 condition. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x02, 0x40, 0x42, 0, 0x0d, 0, 0x0b, 0x0b);
  INVALID(m, "type mismatch");
  /* The same bodies fixed are valid (guards against "everything is invalid"). */
  ONE_FUNC(m, FT_V_I);
  TW_BODY(m, 0, 0x41, 0, 0x0b);
  VALID(m);
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 1, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, 0x1a, 0x0b);
  VALID(m);
  /* After unreachable the stack is polymorphic. */
  ONE_FUNC(m, FT_V_I);
  TW_BODY(m, 0, 0x00, 0x6a, 0x0b);
  VALID(m);
}

static void test_unknown_local(void) {
  tw_mod m;
  ONE_FUNC(m, FT_I_V);
  TW_BODY(m, 0, 0x20, 1, 0x1a, 0x0b); /* local.get 1, only param 0 exists */
  INVALID(m, "unknown local");
  ONE_FUNC(m, FT_I_V);
  TW_BODY(m, 1, 1, I64, 0x20, 2, 0x1a, 0x0b); /* param + 1 local: index 2 is out */
  INVALID(m, "unknown local");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x21, 5, 0x0b); /* local.set */
  INVALID(m, "unknown local");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x22, 0, 0x1a, 0x0b); /* local.tee */
  INVALID(m, "unknown local");
  /* Index 1 is the declared i64 local. */
  ONE_FUNC(m, FT_I_V);
  TW_BODY(m, 1, 1, I64, 0x20, 1, 0x1a, 0x0b);
  VALID(m);
  /* ... and has type i64, not i32. */
  ONE_FUNC(m, FT_I_I);
  TW_BODY(m, 1, 1, I64, 0x20, 1, 0x0b);
  INVALID(m, "type mismatch");
}

static void test_unknown_global(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x23, 0, 0x1a, 0x0b);
  INVALID(m, "unknown global");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x24, 0, 0x0b);
  INVALID(m, "unknown global");
  /* A global initialiser may only read imported globals (Wasm 2.0). */
  RESET(m);
  TW_SEC(m, 6, 1, I32, 0, 0x23, 0, 0x0b);
  INVALID(m, "unknown global");
  /* One global: index 0 is fine, index 1 is not. */
  ONE_FUNC(m, FT_V_I);
  TW_SEC(m, 6, 1, I32, 0, 0x41, 7, 0x0b);
  TW_BODY(m, 0, 0x23, 0, 0x0b);
  VALID(m);
  ONE_FUNC(m, FT_V_I);
  TW_SEC(m, 6, 1, I32, 0, 0x41, 7, 0x0b);
  TW_BODY(m, 0, 0x23, 1, 0x0b);
  INVALID(m, "unknown global");
}

static void test_unknown_function(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x10, 5, 0x0b); /* call 5 */
  INVALID(m, "unknown function");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 7, 1, 1, 'f', 0, 3); /* export of func 3 */
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "unknown function");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 8, 9); /* start 9 */
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "unknown function");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 9, 1, 3, 0, 1, 4); /* declarative elem naming func 4 */
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "unknown function");
  /* call 0 is the function itself. */
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x10, 0, 0x0b);
  VALID(m);
}

static void test_unknown_type(void) {
  tw_mod m;
  RESET(m);
  TW_SEC(m, 1, 1, FT_V_V);
  TW_SEC(m, 3, 1, 3); /* function of type 3 */
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "unknown type");
  RESET(m);
  TW_SEC(m, 1, 1, FT_V_V);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'f', 0, 4); /* imported function of type 4 */
  INVALID(m, "unknown type");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 4, 1, FUNCREF, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x11, 7, 0, 0x0b); /* call_indirect type 7 */
  INVALID(m, "unknown type");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x02, 0x05, 0x0b, 0x0b); /* block with type index 5 */
  INVALID(m, "unknown type");
}

static void test_unknown_table(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x11, 0, 0, 0x0b); /* call_indirect without a table */
  INVALID(m, "unknown table");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x25, 0, 0x1a, 0x0b); /* table.get 0 */
  INVALID(m, "unknown table");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 9, 1, 0, 0x41, 0, 0x0b, 0); /* active elem for table 0 */
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "unknown table");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 4, 1, FUNCREF, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x11, 0, 0, 0x0b);
  VALID(m);
}

static void test_unknown_memory(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x0b); /* i32.load */
  INVALID(m, "unknown memory");
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0x3f, 0, 0x1a, 0x0b); /* memory.size */
  INVALID(m, "unknown memory");
  RESET(m);
  TW_SEC(m, 11, 1, 0, 0x41, 0, 0x0b, 0); /* active data for memory 0 */
  INVALID(m, "unknown memory");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x3f, 0, 0x1a, 0x0b);
  VALID(m);
}

/* ------------------------------------------------------------------ module-level rules */

static void test_global_immutable(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 6, 1, I32, 0, 0x41, 0, 0x0b);
  TW_BODY(m, 0, 0x41, 1, 0x24, 0, 0x0b);
  INVALID(m, "global is immutable");
  /* An immutable import. */
  RESET(m);
  TW_SEC(m, 1, 1, FT_V_V);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'g', 3, I32, 0);
  TW_SEC(m, 3, 1, 0);
  TW_BODY(m, 0, 0x41, 1, 0x24, 0, 0x0b);
  INVALID(m, "global is immutable");
  /* Mutable: fine. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 6, 1, I32, 1, 0x41, 0, 0x0b);
  TW_BODY(m, 0, 0x41, 1, 0x24, 0, 0x0b);
  VALID(m);
}

static void test_duplicate_export(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 7, 2, 1, 'a', 0, 0, 1, 'a', 0, 0);
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "duplicate export name");
  /* Different kinds share one name space. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_SEC(m, 7, 2, 1, 'a', 0, 0, 1, 'a', 2, 0);
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "duplicate export name");
  /* Exports "b", "a", "a", "b" (memory section 8-12, exports from 16, 4
  ** bytes each): "a" is taken first, by the third export at 24. */
  RESET(m);
  TW_SEC(m, 5, 1, 0, 1);
  TW_SEC(m, 7, 4, 1, 'b', 2, 0, 1, 'a', 2, 0, 1, 'a', 2, 0, 1, 'b', 2, 0);
  INVALID_AT(m, "duplicate export name \"a\"", 24);
  /* Exports "b", "a", "b", "a": "b" at 24 comes before the second "a". */
  RESET(m);
  TW_SEC(m, 5, 1, 0, 1);
  TW_SEC(m, 7, 4, 1, 'b', 2, 0, 1, 'a', 2, 0, 1, 'b', 2, 0, 1, 'a', 2, 0);
  INVALID_AT(m, "duplicate export name \"b\"", 24);
  /* Names differing in one byte are distinct. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 7, 3, 1, 'a', 0, 0, 1, 'b', 0, 0, 2, 'a', 'a', 0, 0);
  TW_BODY(m, 0, 0x0b);
  VALID(m);
}

static void test_start_function(void) {
  tw_mod m;
  ONE_FUNC(m, FT_I_V);
  TW_SEC(m, 8, 0);
  TW_BODY(m, 0, 0x0b);
  INVALID(m, "start function");
  ONE_FUNC(m, FT_V_I);
  TW_SEC(m, 8, 0);
  TW_BODY(m, 0, 0x41, 0, 0x0b);
  INVALID(m, "start function");
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 8, 0);
  TW_BODY(m, 0, 0x0b);
  VALID(m);
}

static void test_multiple_memories(void) {
  tw_mod m;
  RESET(m);
  TW_SEC(m, 5, 2, 0, 1, 0, 1);
  INVALID(m, "multiple memories");
  VALID_F(m, DEFAULT | AOTC_FEAT_MULTI_MEMORY);
  /* One imported and one defined. */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'm', 2, 0, 1);
  TW_SEC(m, 5, 1, 0, 1);
  INVALID(m, "multiple memories");
  VALID_F(m, DEFAULT | AOTC_FEAT_MULTI_MEMORY);
  /* A single memory is fine. */
  RESET(m);
  TW_SEC(m, 5, 1, 0, 1);
  VALID(m);
}

/*
** Diagnostics about a memory or table point at its type: the limits flags of
** a memory, the reference type of a table, imported or defined. "multiple
** ..." points at the second one. Offsets: the header is bytes 0-7, a section's
** id and one-byte size follow, so its payload starts 2 bytes after its id.
*/
static void test_memory_offsets(void) {
  tw_mod m;
  /* Memory section at 8, count at 10, memories at 11 and 13. */
  RESET(m);
  TW_SEC(m, 5, 2, 0, 1, 0, 1);
  INVALID_AT(m, "multiple memories", 13);
  /* Import section 8-17 (kind at 15, limits at 16); defined memory at 21. */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'm', 2, 0, 1);
  TW_SEC(m, 5, 1, 0, 1);
  INVALID_AT(m, "multiple memories", 21);
  /* Two imported memories: the second import's limits, at 23. */
  RESET(m);
  TW_SEC(m, 2, 2, 1, 'm', 1, 'a', 2, 0, 1, 1, 'm', 1, 'b', 2, 0, 1);
  INVALID_AT(m, "multiple memories", 23);
  /* Limits of a defined memory, at 11. */
  RESET(m);
  TW_SEC(m, 5, 1, 1, 2, 1);
  INVALID_AT(m, "size minimum must not be greater than maximum", 11);
  RESET(m);
  TW_SEC(m, 5, 1, 0, 0x81, 0x80, 0x04); /* 65537 pages */
  INVALID_AT(m, "memory size must be at most 65536 pages", 11);
  /* The second of two memories (multi-memory), at 13. */
  RESET(m);
  TW_SEC(m, 5, 2, 0, 1, 1, 2, 1);
  expect_invalid_at(&m, DEFAULT | AOTC_FEAT_MULTI_MEMORY,
                    "size minimum must not be greater than maximum", 13, __LINE__);
  /* Limits of an imported memory, at 16 (the import entry starts at 11). */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'm', 2, 1, 2, 1);
  INVALID_AT(m, "size minimum must not be greater than maximum", 16);
}

static void test_table_offsets(void) {
  tw_mod m;
  /* Table section at 8, tables at 11 and 14. */
  RESET(m);
  TW_SEC(m, 4, 1, FUNCREF, 1, 2, 1);
  INVALID_AT(m, "size minimum must not be greater than maximum", 11);
  RESET(m);
  TW_SEC(m, 4, 2, FUNCREF, 0, 1, FUNCREF, 1, 2, 1);
  INVALID_AT(m, "size minimum must not be greater than maximum", 14);
  /* An imported table's type starts after the kind byte, at 16. */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 't', 1, FUNCREF, 1, 2, 1);
  INVALID_AT(m, "size minimum must not be greater than maximum", 16);
  /* Without reference types a second table is one too many. */
  RESET(m);
  TW_SEC(m, 4, 2, FUNCREF, 0, 1, FUNCREF, 0, 1);
  expect_invalid_at(&m, DEFAULT & ~(uint32_t)AOTC_FEAT_REFERENCE_TYPES, "multiple tables", 14,
                    __LINE__);
}

/* Unlike memories, several tables are standard since reference types. */
static void test_multiple_tables(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 4, 2, FUNCREF, 0, 1, EXTERNREF, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x25, 1, 0x1a, 0x0b); /* table.get 1 */
  VALID(m);
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 4, 2, FUNCREF, 0, 1, EXTERNREF, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x25, 2, 0x1a, 0x0b); /* table.get 2 */
  INVALID(m, "unknown table");
  /* table.get 1 gives an externref, not a funcref. */
  ONE_FUNC(m, 0x60, 0, 1, FUNCREF);
  TW_SEC(m, 4, 2, FUNCREF, 0, 1, EXTERNREF, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x25, 1, 0x0b);
  INVALID(m, "type mismatch");
}

static void test_alignment(void) {
  static const char msg[] = "alignment must not be larger than natural";
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x28, 3, 0, 0x1a, 0x0b); /* i32.load align=8 */
  INVALID(m, msg);
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x31, 1, 0, 0x1a, 0x0b); /* i64.load8_u align=2 */
  INVALID(m, msg);
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x41, 0, 0x36, 3, 0, 0x0b); /* i32.store align=8 */
  INVALID(m, msg);
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x29, 4, 0, 0x1a, 0x0b); /* i64.load align=16 */
  INVALID(m, msg);
  /* Natural and smaller alignments are fine. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 5, 1, 0, 1);
  TW_BODY(m, 0, 0x41, 0, 0x28, 2, 0, 0x1a, 0x41, 0, 0x28, 0, 0, 0x1a, 0x41, 0, 0x29, 3, 0, 0x1a,
          0x0b);
  VALID(m);
}

static void test_constant_expression(void) {
  static const char msg[] = "constant expression required";
  tw_mod m;
  RESET(m);
  TW_SEC(m, 6, 1, I32, 0, 0x41, 0, 0x68, 0x0b); /* i32.ctz */
  INVALID(m, msg);
  RESET(m);
  TW_SEC(m, 6, 1, I32, 0, 0x01, 0x41, 0, 0x0b); /* nop */
  INVALID(m, msg);
  /* i32.add needs extended-const. */
  RESET(m);
  TW_SEC(m, 6, 1, I32, 0, 0x41, 1, 0x41, 2, 0x6a, 0x0b);
  INVALID(m, msg);
  VALID_F(m, DEFAULT | AOTC_FEAT_EXTENDED_CONST);
  /* global.get of a mutable import is not constant. */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'g', 3, I32, 1);
  TW_SEC(m, 6, 1, I32, 0, 0x23, 0, 0x0b);
  INVALID(m, msg);
  /* ... of an immutable import it is. */
  RESET(m);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'g', 3, I32, 0);
  TW_SEC(m, 6, 1, I32, 0, 0x23, 0, 0x0b);
  VALID(m);
  /* A data offset computed with i32.sub. */
  RESET(m);
  TW_SEC(m, 5, 1, 0, 1);
  TW_SEC(m, 11, 1, 0, 0x41, 4, 0x41, 1, 0x6b, 0x0b, 0);
  INVALID(m, msg);
  /* Wrong type of a constant: i64 for an i32 global. */
  RESET(m);
  TW_SEC(m, 6, 1, I32, 0, 0x42, 0, 0x0b);
  INVALID(m, "type mismatch");
}

static void test_undeclared_function_reference(void) {
  tw_mod m;
  ONE_FUNC(m, FT_V_V);
  TW_BODY(m, 0, 0xd2, 0, 0x1a, 0x0b); /* ref.func 0 */
  INVALID(m, "undeclared function reference");
  /* Declared by a declarative element segment. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 9, 1, 3, 0, 1, 0);
  TW_BODY(m, 0, 0xd2, 0, 0x1a, 0x0b);
  VALID(m);
  /* Declared by an export. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 7, 1, 1, 'f', 0, 0);
  TW_BODY(m, 0, 0xd2, 0, 0x1a, 0x0b);
  VALID(m);
  /* Declared by a global initialiser. */
  ONE_FUNC(m, FT_V_V);
  TW_SEC(m, 6, 1, FUNCREF, 0, 0xd2, 0, 0x0b);
  TW_BODY(m, 0, 0xd2, 0, 0x1a, 0x0b);
  VALID(m);
}

/* ------------------------------------------------------------------ valid modules */

static void test_valid_multi_value(void) {
  tw_mod m;
  RESET(m);
  TW_SEC(m, 1, 3, 0x60, 0, 2, I32, I32, FT_I_I, FT_V_I);
  TW_SEC(m, 3, 3, 0, 1, 2);
  /* func 0: block (type 0) producing two values, returned as the results. */
  TW_BODY(m, 0, 0x02, 0x00, 0x41, 1, 0x41, 2, 0x0b, 0x0b);
  /* func 1: block (type 1) taking its parameter from the stack. */
  TW_BODY(m, 0, 0x20, 0, 0x02, 0x01, 0x41, 1, 0x6a, 0x0b, 0x0b);
  /* func 2: call of a two-result function feeding i32.add. */
  TW_BODY(m, 0, 0x10, 0, 0x6a, 0x0b);
  VALID(m);
  /* Swapping func 1's block to type 0 (no params, two results) breaks it. */
  RESET(m);
  TW_SEC(m, 1, 3, 0x60, 0, 2, I32, I32, FT_I_I, FT_V_I);
  TW_SEC(m, 3, 3, 0, 1, 2);
  TW_BODY(m, 0, 0x02, 0x00, 0x41, 1, 0x41, 2, 0x0b, 0x0b);
  TW_BODY(m, 0, 0x20, 0, 0x02, 0x00, 0x41, 1, 0x6a, 0x0b, 0x0b);
  TW_BODY(m, 0, 0x10, 0, 0x6a, 0x0b);
  INVALID(m, "type mismatch");
}

static void test_valid_br_table(void) {
  tw_mod m;
  ONE_FUNC(m, FT_I_I);
  /* block block local.get 0 br_table 0 1 (default 0) end i32.const 10 return
  ** end i32.const 20 end */
  TW_BODY(m, 0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 2, 0, 1, 0, 0x0b, 0x41, 10, 0x0f, 0x0b, 0x41,
          20, 0x0b);
  VALID(m);
  /* Labels of different arity: block (result i32) vs block. */
  ONE_FUNC(m, FT_I_I);
  TW_BODY(m, 0, 0x02, I32, 0x02, 0x40, 0x41, 1, 0x20, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 2, 0x0b, 0x0b);
  INVALID(m, "type mismatch");
  /* A label index beyond the enclosing blocks. */
  ONE_FUNC(m, FT_I_V);
  TW_BODY(m, 0, 0x02, 0x40, 0x20, 0, 0x0e, 0, 5, 0x0b, 0x0b);
  INVALID(m, "unknown label");
}

static void test_valid_select_typed(void) {
  tw_mod m;
  ONE_FUNC(m, FT_I_I);
  TW_BODY(m, 0, 0x41, 1, 0x41, 2, 0x20, 0, 0x1c, 1, I32, 0x0b);
  VALID(m);
  /* Untyped select on i32 is fine too. */
  ONE_FUNC(m, FT_I_I);
  TW_BODY(m, 0, 0x41, 1, 0x41, 2, 0x20, 0, 0x1b, 0x0b);
  VALID(m);
  /* Reference operands need the typed form. */
  ONE_FUNC(m, 0x60, 0, 1, EXTERNREF);
  TW_BODY(m, 0, 0xd0, EXTERNREF, 0xd0, EXTERNREF, 0x41, 0, 0x1c, 1, EXTERNREF, 0x0b);
  VALID(m);
  ONE_FUNC(m, 0x60, 0, 1, EXTERNREF);
  TW_BODY(m, 0, 0xd0, EXTERNREF, 0xd0, EXTERNREF, 0x41, 0, 0x1b, 0x0b);
  INVALID(m, "type mismatch");
  /* The annotation must match the operands. */
  ONE_FUNC(m, FT_I_I);
  TW_BODY(m, 0, 0x41, 1, 0x41, 2, 0x20, 0, 0x1c, 1, I64, 0x1a, 0x41, 0, 0x0b);
  INVALID(m, "type mismatch");
}

/* A body error names the function (imports included in the index) and
** points into that function's body. */
static void test_error_location(void) {
  tw_mod m;
  RESET(m);
  TW_SEC(m, 1, 1, FT_V_V);
  TW_SEC(m, 2, 1, 1, 'm', 1, 'f', 0, 0);
  TW_SEC(m, 3, 2, 0, 0);
  TW_BODY(m, 0, 0x0b);
  TW_BODY(m, 0, 0x41, 0, 0x0b);
  tw_buf w;
  tw_mod_build(&w, &m);
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_options opt;
  memset(&opt, 0, sizeof opt);
  opt.features = DEFAULT;
  aotc_module *mod = aotc_module_decode(w.b, w.n, &opt, &d);
  if (!T_CHECK(mod != NULL))
    return;
  T_CHECK(!aotc_module_validate(mod, &d));
  T_EQ_U64(d.code, AOTC_EINVALID);
  T_PREFIX(d.msg, "type mismatch");
  T_EQ_U64(d.func_idx, 2);
  /* The second body is the last 4 bytes (00 41 00 0b). */
  T_CHECK(d.offset >= w.n - 4 && d.offset < w.n);
  /* The diag is sticky: a later error does not overwrite it. */
  aotc_diag_set(&d, AOTC_EINTERNAL, 0, "later");
  T_EQ_U64(d.code, AOTC_EINVALID);
  aotc_module_free(mod);

  /* A module-level error names no function. */
  RESET(m);
  TW_SEC(m, 5, 1, 0, 1);
  TW_SEC(m, 7, 2, 1, 'a', 2, 0, 1, 'a', 2, 0);
  tw_mod_build(&w, &m);
  aotc_diag_init(&d);
  mod = aotc_module_decode(w.b, w.n, &opt, &d);
  if (!T_CHECK(mod != NULL))
    return;
  T_CHECK(!aotc_module_validate(mod, &d));
  T_PREFIX(d.msg, "duplicate export name");
  T_EQ_U64(d.func_idx, AOTC_NO_FUNC);
  aotc_module_free(mod);
}

/* ------------------------------------------------------------------ table */

const t_case aotc_validate_cases[] = {
    {"validate/type_mismatch", test_type_mismatch},
    {"validate/unknown_local", test_unknown_local},
    {"validate/unknown_global", test_unknown_global},
    {"validate/unknown_function", test_unknown_function},
    {"validate/unknown_type", test_unknown_type},
    {"validate/unknown_table", test_unknown_table},
    {"validate/unknown_memory", test_unknown_memory},
    {"validate/global_immutable", test_global_immutable},
    {"validate/duplicate_export", test_duplicate_export},
    {"validate/start_function", test_start_function},
    {"validate/multiple_memories", test_multiple_memories},
    {"validate/multiple_tables", test_multiple_tables},
    {"validate/memory_offsets", test_memory_offsets},
    {"validate/table_offsets", test_table_offsets},
    {"validate/alignment", test_alignment},
    {"validate/constant_expression", test_constant_expression},
    {"validate/undeclared_function_reference", test_undeclared_function_reference},
    {"validate/valid_multi_value", test_valid_multi_value},
    {"validate/valid_br_table", test_valid_br_table},
    {"validate/valid_select_typed", test_valid_select_typed},
    {"validate/error_location", test_error_location},
};
const size_t aotc_validate_n_cases = T_COUNT(aotc_validate_cases);
