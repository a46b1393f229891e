/*
** wasm2obj_header.c: `wasm2obj --header=FILE`, the typed C interface of one
** compiled module. For prefix P it declares:
**   - P__module and P_instantiate();
**   - per exported function, P_<export>(inst, args...) with C types: a direct
**     call of the compiled function (no trampoline; traps unwind to the
**     caller's WRT_TRY scope, wrt.h); several results come back through
**     pointers (via the C-ABI wrapper P__cabi<N>, codegen/cabi.c).
**     Re-exported imports go through wrt_call and return wrt_err; v128
**     has no C type here;
**   - per exported memory, table and global, an accessor P_<export>(inst);
**   - per imported function, the prototype P_import_<module>_<name>(env, ...)
**     the embedder may define, and P_define_imports() that registers them all
**     as host functions. Other imports are listed for wrt_linker_define.
** Identifiers are export names with every other character as '_'; clashes
** get a numeric suffix. Output is a pure function of the module.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm2obj.h"

/* Identifiers already used in the header (for clash suffixes). */
typedef struct idents {
  char **v;
  size_t n, cap;
} idents;

static bool ident_taken(const idents *ids, const char *s) {
  for (size_t i = 0; i < ids->n; i++)
    if (!strcmp(ids->v[i], s))
      return true;
  return false;
}

/* Writes "<prefix><sanitised name>" (made unique) into buf and records it. */
static void make_ident(idents *ids, const char *prefix, aotc_name nm, char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "%s", prefix);
  for (uint32_t i = 0; i < nm.len && n + 12 < size; i++) {
    char c = nm.ptr[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    buf[n++] = ok ? c : '_';
  }
  buf[n] = '\0';
  for (unsigned k = 2; ident_taken(ids, buf); k++)
    snprintf(buf + n, size - n, "_%u", k);
  if (ids->n == ids->cap) {
    size_t cap = ids->cap ? ids->cap * 2 : 64;
    char **v = realloc(ids->v, cap * sizeof *v);
    if (!v)
      return; /* the header may then repeat a suffix; compile errors, not UB */
    ids->v = v, ids->cap = cap;
  }
  ids->v[ids->n++] = strdup(buf);
}

static void idents_free(idents *ids) {
  for (size_t i = 0; i < ids->n; i++)
    free(ids->v[i]);
  free(ids->v);
}

/* A Wasm name as a C string literal (printable ASCII kept, the rest octal). */
static void put_cstr(FILE *f, aotc_name nm) {
  fputc('"', f);
  for (uint32_t i = 0; i < nm.len; i++) {
    unsigned char c = (unsigned char)nm.ptr[i];
    if (c == '"' || c == '\\' || c == '?')
      fprintf(f, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f)
      fputc(c, f);
    else
      fprintf(f, "\\%03o", c);
  }
  fputc('"', f);
}

/* A Wasm name inside a C comment ("*" + "/" cannot end it early). */
static void put_comment_name(FILE *f, aotc_name nm) {
  for (uint32_t i = 0; i < nm.len; i++) {
    unsigned char c = (unsigned char)nm.ptr[i];
    bool end = c == '*' && i + 1 < nm.len && nm.ptr[i + 1] == '/';
    fputc(c >= 0x20 && c < 0x7f && !end ? c : '?', f);
  }
}

/* How a value type appears in C: its type (NULL: none, v128), its wrt.h
** kind constant and its wrt_val union member. */
typedef struct c_repr {
  const char *type, *kind, *field;
} c_repr;

static c_repr repr(uint8_t t) {
  switch (t) {
  case AOTC_I32: return (c_repr){"int32_t", "WRT_I32", "i32"};
  case AOTC_I64: return (c_repr){"int64_t", "WRT_I64", "i64"};
  case AOTC_F32: return (c_repr){"float", "WRT_F32", "f32"};
  case AOTC_F64: return (c_repr){"double", "WRT_F64", "f64"};
  case AOTC_FUNCREF: return (c_repr){"wrt_func *", "WRT_FUNCREF", "funcref"};
  case AOTC_EXTERNREF: return (c_repr){"wrt_externref *", "WRT_EXTERNREF", "externref"};
  default: return (c_repr){NULL, "WRT_V128", "v128"};
  }
}

static const char *ctype(uint8_t t) {
  return repr(t).type;
}

static const char *wrt_kind(uint8_t t) {
  return repr(t).kind;
}

static const char *val_field(uint8_t t) {
  return repr(t).field;
}

static void put_signature(FILE *f, const aotc_functype *ft) {
  fputc('(', f);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, "%s%s", i ? ", " : "", aotc_valtype_name(ft->params[i]));
  fputs(") -> (", f);
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, "%s%s", i ? ", " : "", aotc_valtype_name(ft->results[i]));
  fputc(')', f);
}

/* "T *" for a value type, "T **" for a pointer type ("wrt_func *"). */
static const char *ptr_space(const char *ctype_text) {
  return ctype_text[strlen(ctype_text) - 1] == '*' ? "" : " ";
}

static bool has_v128(const aotc_functype *ft) {
  for (uint32_t i = 0; i < ft->n_params + ft->n_results; i++)
    if ((i < ft->n_params ? ft->params[i] : ft->results[i - ft->n_params]) == AOTC_V128)
      return true;
  return false;
}

/* ------------------------------------------------------------ exports */

static void direct_function(FILE *f, const char *prefix, const char *id, uint32_t func_idx,
                            const aotc_functype *ft) {
  const char *ret = ft->n_results ? ctype(ft->results[0]) : "void";
  fprintf(f, "WRT_HEADER_HIDDEN %s %s__func%u(void *vmctx", ret, prefix, func_idx);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s", ctype(ft->params[i]));
  fprintf(f, ");\nstatic inline %s %s(wrt_instance *inst", ret, id);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s p%u", ctype(ft->params[i]), i);
  fprintf(f, ") {\n  %s%s__func%u(wrt_instance_vmctx(inst)", ft->n_results ? "return " : "",
          prefix, func_idx);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", p%u", i);
  fputs(");\n}\n", f);
}

/* Several results: the wrapper P__cabi<N> of codegen/cabi.c. */
static void cabi_function(FILE *f, const char *prefix, const char *id, uint32_t func_idx,
                          const aotc_functype *ft) {
  fprintf(f, "WRT_HEADER_HIDDEN void %s__cabi%u(void *vmctx", prefix, func_idx);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s", ctype(ft->params[i]));
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, ", %s%s*", ctype(ft->results[i]), ptr_space(ctype(ft->results[i])));
  fprintf(f, ");\nstatic inline void %s(wrt_instance *inst", id);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s p%u", ctype(ft->params[i]), i);
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, ", %s%s*r%u", ctype(ft->results[i]), ptr_space(ctype(ft->results[i])), i);
  fprintf(f, ") {\n  %s__cabi%u(wrt_instance_vmctx(inst)", prefix, func_idx);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", p%u", i);
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, ", r%u", i);
  fputs(");\n}\n", f);
}

static void called_function(FILE *f, const char *id, uint32_t export_idx,
                            const aotc_functype *ft) {
  fprintf(f, "static inline wrt_err %s(wrt_instance *inst", id);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s p%u", ctype(ft->params[i]), i);
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, ", %s%s*r%u", ctype(ft->results[i]), ptr_space(ctype(ft->results[i])), i);
  fputs(", wrt_trap *trap) {\n  wrt_extern e;\n  const char *name;\n", f);
  fprintf(f, "  wrt_err err = wrt_instance_export_at(inst, %u, &name, &e);\n", export_idx);
  fputs("  if (err != WRT_OK)\n    return err;\n", f);
  fprintf(f, "  wrt_val a[%u], r[%u];\n", ft->n_params + 1, ft->n_results + 1);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, "  a[%u].kind = %s;\n  a[%u].of.%s = p%u;\n", i, wrt_kind(ft->params[i]), i,
            val_field(ft->params[i]), i);
  fprintf(f, "  err = wrt_call(wrt_instance_store(inst), e.of.func, a, %u, r, %u, trap);\n",
          ft->n_params, ft->n_results);
  for (uint32_t i = 0; i < ft->n_results; i++)
    fprintf(f, "  if (err == WRT_OK)\n    *r%u = r[%u].of.%s;\n", i, i, val_field(ft->results[i]));
  fputs("  return err;\n}\n", f);
}

static void export_function(FILE *f, const aotc_module *m, const char *prefix, const char *id,
                            uint32_t export_idx) {
  const aotc_export *e = &m->exports[export_idx];
  const aotc_functype *ft = &m->types[m->func_types[e->idx]];
  fputs("\n/* export \"", f);
  put_comment_name(f, e->name);
  fputs("\": ", f);
  put_signature(f, ft);
  if (has_v128(ft)) {
    fputs(": v128 has no C type here; call it through wrt_call. */\n", f);
    return;
  }
  if (e->idx < m->n_func_imports) {
    fputs(". A re-exported import: through wrt_call. */\n", f);
    called_function(f, id, export_idx, ft);
  } else if (ft->n_results > 1) {
    fputs(". A direct call, results through pointers: inside WRT_TRY. */\n", f);
    cabi_function(f, prefix, id, e->idx, ft);
  } else {
    fputs(". A direct call: inside WRT_TRY. */\n", f);
    direct_function(f, prefix, id, e->idx, ft);
  }
}

static void export_object(FILE *f, const aotc_export *e, const char *id, uint32_t export_idx) {
  static const char *const kinds[] = {"func", "table", "memory", "global"};
  const char *k = kinds[e->kind & 3];
  fprintf(f, "\n/* export \"");
  put_comment_name(f, e->name);
  fprintf(f, "\": the %s (NULL if inst is not an instance of this module). */\n", k);
  fprintf(f, "static inline wrt_%s *%s(wrt_instance *inst) {\n", k, id);
  fputs("  wrt_extern e;\n  const char *name;\n", f);
  fprintf(f, "  return wrt_instance_export_at(inst, %u, &name, &e) == WRT_OK ? e.of.%s : NULL;\n}\n",
          export_idx, k);
}

/* ------------------------------------------------------------ imports */

static void import_function(FILE *f, const aotc_module *m, const aotc_import *imp, const char *id) {
  const aotc_functype *ft = &m->types[m->func_types[imp->idx]];
  const char *ret = ft->n_results ? ctype(ft->results[0]) : "void";
  fprintf(f, "\n/* import ");
  put_comment_name(f, imp->module);
  fputc(' ', f);
  put_comment_name(f, imp->name);
  fputs(": ", f);
  put_signature(f, ft);
  fputs(" */\n", f);
  fprintf(f, "WRT_HEADER_WEAK %s %s(void *env", ret, id);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", %s p%u", ctype(ft->params[i]), i);
  fprintf(f, ");\nstatic inline wrt_trap_code %s_adapter_(void *env, const wrt_val *a, wrt_val *r) {\n  ",
          id);
  if (!ft->n_params)
    fputs("(void)a;\n  ", f);
  if (ft->n_results)
    fprintf(f, "r[0].of.%s = ", val_field(ft->results[0]));
  else
    fputs("(void)r;\n  ", f);
  fprintf(f, "%s(env", id);
  for (uint32_t i = 0; i < ft->n_params; i++)
    fprintf(f, ", a[%u].of.%s", i, val_field(ft->params[i]));
  fputs(");\n  return WRT_TRAP_NONE;\n}\n", f);
}

static void put_type_array(FILE *f, const char *name, uint32_t n, const uint8_t *types) {
  fprintf(f, "    static const uint8_t %s[] = {", name);
  for (uint32_t i = 0; i < n; i++)
    fprintf(f, "%s%s", i ? ", " : "", wrt_kind(types[i]));
  fprintf(f, "%s};\n", n ? "" : "0");
}

static void define_one(FILE *f, const aotc_module *m, const aotc_import *imp, const char *id) {
  const aotc_functype *ft = &m->types[m->func_types[imp->idx]];
  fprintf(f, "  if (WRT_HEADER_DEFINED(%s)) {\n", id);
  put_type_array(f, "params", ft->n_params, ft->params);
  put_type_array(f, "results", ft->n_results, ft->results);
  fprintf(f, "    wrt_functype ft = {%u, %u, params, results};\n", ft->n_params, ft->n_results);
  fprintf(f, "    wrt_func *fn = wrt_func_new_host(s, &ft, %s_adapter_, env);\n", id);
  fputs("    if (!fn)\n      return WRT_ENOMEM;\n    wrt_extern e = {WRT_EXTERN_FUNC, {.func = fn}};\n", f);
  fputs("    wrt_err err = wrt_linker_define(l, ", f);
  put_cstr(f, imp->module);
  fputs(", ", f);
  put_cstr(f, imp->name);
  fputs(", e);\n    if (err != WRT_OK)\n      return err;\n  }\n", f);
}

static bool typed_import(const aotc_module *m, const aotc_import *imp) {
  if (imp->kind != AOTC_EXTERN_FUNC)
    return false;
  const aotc_functype *ft = &m->types[m->func_types[imp->idx]];
  return ft->n_results <= 1 && !has_v128(ft);
}

static void imports(FILE *f, const aotc_module *m, const char *prefix, idents *ids) {
  char **names = calloc(m->n_imports + 1, sizeof *names);
  char buf[512], pre[160];
  uint32_t n_untyped = 0;
  snprintf(pre, sizeof pre, "%s_import_", prefix);
  for (uint32_t i = 0; i < m->n_imports; i++) {
    const aotc_import *imp = &m->imports[i];
    if (!typed_import(m, imp)) {
      n_untyped++;
      continue;
    }
    /* module "_" name, as one name for the identifier */
    char joined[512];
    int n = snprintf(joined, sizeof joined, "%.*s_%.*s", (int)imp->module.len, imp->module.ptr,
                     (int)imp->name.len, imp->name.ptr);
    aotc_name j = {joined, (uint32_t)(n < 0 ? 0 : n < (int)sizeof joined ? n : (int)sizeof joined - 1)};
    make_ident(ids, pre, j, buf, sizeof buf);
    names[i] = strdup(buf);
    import_function(f, m, imp, buf);
  }
  fprintf(f, "\n/* Defines the function imports above that the embedder defined (the\n"
             "** %s_import_* functions; with GCC/clang the others are weak, NULL and\n"
             "** left to the linker) as host functions of s in l; env is passed to each.\n"
             "** Typed imports cannot trap. */\n", prefix);
  fprintf(f, "static inline wrt_err %s_define_imports(wrt_store *s, wrt_linker *l, void *env) {\n",
          prefix);
  fputs("  (void)s, (void)l, (void)env;\n", f);
  for (uint32_t i = 0; i < m->n_imports; i++)
    if (names[i])
      define_one(f, m, &m->imports[i], names[i]);
  fputs("  return WRT_OK;\n}\n", f);
  if (n_untyped) {
    fputs("\n/* Imports to provide with wrt_linker_define (no typed form):\n", f);
    static const char *const kinds[] = {"function", "table", "memory", "global"};
    for (uint32_t i = 0; i < m->n_imports; i++) {
      const aotc_import *imp = &m->imports[i];
      if (names[i])
        continue;
      fputs("**   ", f);
      put_comment_name(f, imp->module);
      fputc(' ', f);
      put_comment_name(f, imp->name);
      fprintf(f, ": %s", kinds[imp->kind & 3]);
      if (imp->kind == AOTC_EXTERN_FUNC) {
        fputc(' ', f);
        put_signature(f, &m->types[m->func_types[imp->idx]]);
      }
      fputc('\n', f);
    }
    fputs("*/\n", f);
  }
  for (uint32_t i = 0; i < m->n_imports; i++)
    free(names[i]);
  free(names);
}

/* ------------------------------------------------------------ the header */

static void prologue(FILE *f, const char *prefix, const char *input) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  fprintf(f, "/*\n** Typed C interface of the WebAssembly module `%s` (%s), written by\n"
             "** wasm2obj --header. Link the object wasm2obj made from the same input\n"
             "** with the same --name, and libwrt-rt (pkg-config wrt).\n*/\n",
          prefix, base);
  fprintf(f, "#ifndef %s_WASM2OBJ_H\n#define %s_WASM2OBJ_H\n\n#include \"wrt.h\"\n\n", prefix, prefix);
  /* Weak import prototypes: an import the embedder does not define (because
  ** another module provides it through the linker) stays NULL and is skipped. */
  fputs("#ifndef WRT_HEADER_HIDDEN\n#if defined(__GNUC__)\n"
        "#define WRT_HEADER_HIDDEN __attribute__((visibility(\"hidden\")))\n"
        "#define WRT_HEADER_WEAK __attribute__((weak))\n"
        "#define WRT_HEADER_DEFINED(f) (&(f) != 0)\n"
        "#else\n#define WRT_HEADER_HIDDEN\n#define WRT_HEADER_WEAK\n"
        "#define WRT_HEADER_DEFINED(f) 1\n#endif\n#endif\n\n",
        f);
  fputs("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", f);
  fprintf(f, "extern const wrt_module_desc %s__module;\n\n", prefix);
  fprintf(f, "/* Instantiates the module in s; imports are resolved through l. */\n"
             "static inline wrt_err %s_instantiate(wrt_store *s, wrt_linker *l, wrt_instance **out,\n"
             "    wrt_diag *diag, wrt_trap *trap) {\n"
             "  return wrt_instantiate(s, &%s__module, l, out, diag, trap);\n}\n",
          prefix, prefix);
}

int w2o_write_header(const aotc_module *m, const char *prefix, const char *input,
                     const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "wasm2obj: error: cannot write %s\n", path);
    return EXIT_IO;
  }
  idents ids = {0};
  char buf[512], pre[160];
  snprintf(pre, sizeof pre, "%s_", prefix);
  prologue(f, prefix, input);
  /* The fixed names are taken first so exports cannot clash with them. */
  static const char *const fixed[] = {"instantiate", "define_imports"};
  for (size_t i = 0; i < 2; i++)
    make_ident(&ids, pre, (aotc_name){fixed[i], (uint32_t)strlen(fixed[i])}, buf, sizeof buf);
  for (uint32_t i = 0; i < m->n_exports; i++) {
    make_ident(&ids, pre, m->exports[i].name, buf, sizeof buf);
    if (m->exports[i].kind == AOTC_EXTERN_FUNC)
      export_function(f, m, prefix, buf, i);
    else
      export_object(f, &m->exports[i], buf, i);
  }
  imports(f, m, prefix, &ids);
  fprintf(f, "\n#ifdef __cplusplus\n}\n#endif\n#endif /* %s_WASM2OBJ_H */\n", prefix);
  idents_free(&ids);
  if (fclose(f) != 0) {
    fprintf(stderr, "wasm2obj: error: cannot write %s\n", path);
    return EXIT_IO;
  }
  return EXIT_OK;
}
