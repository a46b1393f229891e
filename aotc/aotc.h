/*
** aotc.h: the front end's public interface. It owns the decoded module model
** (aotc_module), diagnostics (aotc_diag), feature sets, and the two entry points
** aotc_module_decode (binary grammar: "malformed") and aotc_module_validate
** (typing rules: "invalid"). Pure C11, no LLVM: code generation lives in codegen/.
*/
#ifndef AOTC_H
#define AOTC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- diagnostics */

typedef enum aotc_err {
  AOTC_OK = 0,
  AOTC_EMALFORMED,   /* violates the binary format */
  AOTC_EINVALID,     /* well-formed but fails validation */
  AOTC_EUNSUPPORTED, /* uses a disabled or unimplemented feature */
  AOTC_ELIMIT,       /* exceeds an implementation limit */
  AOTC_ENOMEM,
  AOTC_EIO,
  AOTC_EINTERNAL
} aotc_err;

#define AOTC_NO_OFFSET SIZE_MAX
#define AOTC_NO_FUNC UINT32_MAX

/*
** One diag per compilation, owned by the caller. The first error wins: once
** code != AOTC_OK every later aotc_diag_set is ignored (SQLite's sticky OOM).
** msg starts with the spec test suite's wording ("type mismatch", ...).
*/
typedef struct aotc_diag {
  aotc_err code;
  size_t offset;     /* absolute byte offset in the input, or AOTC_NO_OFFSET */
  uint32_t func_idx; /* function index (imports + defined), or AOTC_NO_FUNC */
  char msg[256];
} aotc_diag;

void aotc_diag_init(aotc_diag *d);
/* Records an error unless one is already recorded. Always returns false so
** call sites can write `return aotc_diag_set(...)`. */
bool aotc_diag_set(aotc_diag *d, aotc_err code, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
const char *aotc_err_str(aotc_err code);
/* Formats "file:0x0000001a: error: msg (func N)" into buf (always terminated);
** the offset and function parts are left out when unknown. */
void aotc_diag_format(const aotc_diag *d, const char *file, char *buf, size_t size);

/* ---------------------------------------------------------------- features */

/* Wasm 2.0 features are on by default; proposals are opt-in. */
#define AOTC_FEATURES(X)                                                                           \
  X(MUTABLE_GLOBALS, "mutable-globals", 1)                                                         \
  X(SIGN_EXT, "sign-extension", 1)                                                                 \
  X(SAT_FLOAT_TO_INT, "saturating-float-to-int", 1)                                                \
  X(MULTI_VALUE, "multi-value", 1)                                                                 \
  X(BULK_MEMORY, "bulk-memory", 1)                                                                 \
  X(REFERENCE_TYPES, "reference-types", 1)                                                         \
  X(SIMD, "simd", 1)                                                                               \
  X(TAIL_CALL, "tail-call", 0)                                                                     \
  X(EXTENDED_CONST, "extended-const", 0)                                                           \
  X(MULTI_MEMORY, "multi-memory", 0)                                                               \
  X(MEMORY64, "memory64", 0)

enum {
#define X(id, name, dflt) AOTC_FEAT_BIT_##id,
  AOTC_FEATURES(X)
#undef X
      AOTC_FEAT_COUNT
};
#define X(id, name, dflt) AOTC_FEAT_##id = 1u << AOTC_FEAT_BIT_##id,
enum aotc_feature { AOTC_FEAT_NONE = 0, AOTC_FEATURES(X) };
#undef X

uint32_t aotc_features_default(void);
uint32_t aotc_features_all(void);
/* Parses a comma-separated list applied to *feat in order: "all", "none",
** "default", "NAME" or "+NAME" (enable), "-NAME" (disable); "-all" = "none".
** An unknown or empty item is an error (AOTC_EUNSUPPORTED) listing the names. */
bool aotc_features_parse(const char *spec, uint32_t *feat, aotc_diag *d);
/* Name of the lowest feature bit set in mask, or "?" if none. */
const char *aotc_feature_name(uint32_t feature_bit_mask);
/* The bit of a feature name ("tail-call"), or 0 if unknown. */
uint32_t aotc_feature_from_name(const char *name);

/* ---------------------------------------------------------------- module model */

/* Value types use their binary encodings. */
typedef uint8_t aotc_valtype;
enum {
  AOTC_I32 = 0x7f,
  AOTC_I64 = 0x7e,
  AOTC_F32 = 0x7d,
  AOTC_F64 = 0x7c,
  AOTC_V128 = 0x7b,
  AOTC_FUNCREF = 0x70,
  AOTC_EXTERNREF = 0x6f,
};
const char *aotc_valtype_name(aotc_valtype t);
static inline bool aotc_is_reftype(aotc_valtype t) {
  return t == AOTC_FUNCREF || t == AOTC_EXTERNREF;
}

/* Extern kinds, as encoded in import/export descriptors. */
enum { AOTC_EXTERN_FUNC = 0, AOTC_EXTERN_TABLE = 1, AOTC_EXTERN_MEMORY = 2, AOTC_EXTERN_GLOBAL = 3 };

/* A range of the input bytes; offsets are absolute. */
typedef struct aotc_slice {
  size_t off, len;
} aotc_slice;

/* A name borrowed from the input (valid UTF-8, not terminated). */
typedef struct aotc_name {
  const char *ptr;
  uint32_t len;
} aotc_name;

typedef struct aotc_functype {
  uint32_t n_params, n_results;
  const aotc_valtype *params, *results; /* arena */
} aotc_functype;

typedef struct aotc_limits {
  uint64_t min, max;
  bool has_max, is64, shared;
} aotc_limits;

typedef struct aotc_tabletype {
  aotc_valtype elem;
  aotc_limits lim;
} aotc_tabletype;

typedef struct aotc_globaltype {
  aotc_valtype type;
  bool mut;
} aotc_globaltype;

typedef struct aotc_import {
  aotc_name module, name;
  uint8_t kind;     /* AOTC_EXTERN_* */
  uint32_t idx;     /* index in the kind's index space */
  size_t off;       /* offset of the import entry */
} aotc_import;

typedef struct aotc_export {
  aotc_name name;
  uint8_t kind;
  uint32_t idx;
  size_t off;
} aotc_export;

/* Constant expressions stay as slices (up to and including `end`); the
** validator checks them, codegen and the descriptor re-read them. */
typedef struct aotc_global {
  aotc_globaltype type;
  bool imported;
  aotc_slice init; /* defined globals only */
} aotc_global;

/* `off` is where the type starts in the input (the reference type of a table,
** the limits flags of a memory), for an import as for a definition: the
** validator points its diagnostics about the type there. */
typedef struct aotc_table {
  aotc_tabletype type;
  bool imported;
  size_t off;
} aotc_table;

typedef struct aotc_memory {
  aotc_limits lim;
  bool imported;
  size_t off;
} aotc_memory;

enum { AOTC_SEG_ACTIVE = 0, AOTC_SEG_PASSIVE = 1, AOTC_SEG_DECLARATIVE = 2 };

typedef struct aotc_elem {
  uint8_t mode;          /* AOTC_SEG_* */
  bool uses_exprs;       /* items are expressions, else function indices */
  aotc_valtype type;
  uint32_t table_idx;    /* active only */
  aotc_slice offset;     /* active only: constant expression */
  uint32_t n_items;
  uint32_t *func_idxs;   /* !uses_exprs */
  aotc_slice *exprs;     /* uses_exprs */
  size_t off;
} aotc_elem;

typedef struct aotc_data {
  uint8_t mode;          /* ACTIVE or PASSIVE */
  uint32_t mem_idx;
  aotc_slice offset;
  aotc_slice bytes;
  size_t off;
} aotc_data;

typedef struct aotc_localdecl {
  uint32_t count;
  aotc_valtype type;
} aotc_localdecl;

typedef struct aotc_code {
  aotc_slice body;       /* the whole body, local declarations included */
  size_t instr_off;      /* first instruction, after the local declarations */
  uint32_t n_decls;
  aotc_localdecl *decls;
  uint64_t n_locals;     /* declared locals, params excluded */
  uint32_t max_depth;    /* deepest block nesting, from the structural scan */
  uint32_t max_stack;    /* deepest operand stack, from validation */
} aotc_code;

typedef struct aotc_custom {
  aotc_name name;
  aotc_slice payload;
  uint8_t after_section; /* id of the last non-custom section before it (0 = none) */
} aotc_custom;

typedef struct aotc_funcname {
  uint32_t func_idx;
  aotc_name name;
} aotc_funcname;

/*
** The decoded module. Index spaces are unified: imports come first, then
** definitions (func_idx vs def_idx, see aotc_def_to_func). Everything lives in
** the module's arena; names and slices point into the borrowed input bytes,
** which the caller keeps alive until aotc_module_free.
*/
typedef struct aotc_module {
  const uint8_t *bytes;
  size_t size;
  uint32_t features;
  struct aotc_arena *arena;

  uint32_t n_types;
  aotc_functype *types;

  uint32_t n_imports;
  aotc_import *imports;

  uint32_t n_funcs, n_func_imports; /* n_funcs counts imports + defined */
  uint32_t *func_types;             /* type index per func_idx */

  uint32_t n_tables, n_table_imports;
  aotc_table *tables;

  uint32_t n_memories, n_memory_imports;
  aotc_memory *memories;

  uint32_t n_globals, n_global_imports;
  aotc_global *globals;

  uint32_t n_exports;
  aotc_export *exports;

  bool has_start;
  uint32_t start_idx;
  size_t start_off;

  uint32_t n_elems;
  aotc_elem *elems;

  bool has_data_count;
  uint32_t data_count;
  uint32_t n_datas;
  aotc_data *datas;

  uint32_t n_codes; /* == n_funcs - n_func_imports once decoded */
  aotc_code *codes;

  uint32_t n_customs;
  aotc_custom *customs;

  /* The "name" custom section, decoded leniently (a bad name section is ignored,
  ** as the spec allows). */
  bool has_module_name;
  aotc_name module_name;
  uint32_t n_func_names;
  aotc_funcname *func_names; /* sorted by func_idx */

  /* Section offsets, for diagnostics that point at a section. */
  size_t func_section_off, code_section_off, data_section_off;
} aotc_module;

typedef struct aotc_options {
  uint32_t features;
  /* Test hook: when non-zero, the Nth arena allocation (1-based) and every
  ** later one fail with AOTC_ENOMEM. */
  uint64_t fail_alloc_after;
} aotc_options;

/* Decodes a binary module. `bytes` stays borrowed. On error returns NULL and
** fills d (AOTC_EMALFORMED, AOTC_EUNSUPPORTED, AOTC_ENOMEM, ...). */
aotc_module *aotc_module_decode(const uint8_t *bytes, size_t size, const aotc_options *opt,
                                aotc_diag *d);
/* Validates a decoded module (AOTC_EINVALID; AOTC_EMALFORMED is impossible
** here because decode has checked every body's structure). */
bool aotc_module_validate(aotc_module *m, aotc_diag *d);
/* Frees the module and everything it owns; NULL is allowed. */
void aotc_module_free(aotc_module *m);

/* Function name from the name section, or NULL. */
const aotc_name *aotc_func_name(const aotc_module *m, uint32_t func_idx);

static inline bool aotc_func_is_import(const aotc_module *m, uint32_t func_idx) {
  return func_idx < m->n_func_imports;
}
static inline uint32_t aotc_def_to_func(const aotc_module *m, uint32_t def_idx) {
  return def_idx + m->n_func_imports;
}
static inline uint32_t aotc_func_to_def(const aotc_module *m, uint32_t func_idx) {
  return func_idx - m->n_func_imports;
}
static inline const aotc_functype *aotc_func_type(const aotc_module *m, uint32_t func_idx) {
  return &m->types[m->func_types[func_idx]];
}

#endif
