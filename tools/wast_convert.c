/*
** wast_convert.c: turns the JSON script's execution commands into lines of
** wrt-exec's command format (tools/wrt-exec.c) and hands each to the
** executor: wast_exec.c in this process, or the command file that
** wast_cross.c runs on another target. Modules are compiled here with
** cg_compile_object (for --target's triple) and linked into shared objects
** with ld.lld. Values are only checked for syntax: nothing runs here.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "wast.h"

/* The linker that turns codegen's relocatable objects into loadable ones; the
** LLVM major matches the code generator's (Makefile LLVM_CONFIG). It takes
** the target from the object, so the same command serves every target. */
static const char linker_program[] = "ld.lld-19";

enum { WHY_SIZE = 1024 };

/* Passes one complete line to the executor, then empties b. */
static void emit(wast_file *f, wast_buf *b) {
  if (f->exec)
    wast_session_exec(f->exec, b->p);
  else if (f->script)
    fprintf(f->script, "%s\n", b->p);
  wast_buf_fini(b);
}

/* The optional string field `key` of obj, or NULL. */
static const char *opt_string(json_object *obj, const char *key) {
  json_object *v;
  if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  return NULL;
}

/* " STRING": quoted, or "-" when s is NULL. */
static void add_string(wast_buf *b, const char *s) {
  wast_buf_add(b, " ");
  if (s)
    wast_buf_quote(b, s, strlen(s));
  else
    wast_buf_add(b, "-");
}

/* "TYPE LINE" of c. */
static void add_head(wast_buf *b, const wast_command *c) {
  wast_buf_add(b, "%s %d", c->type, c->line);
}

/* ---------------------------------------------------------------- compile and link */

/* Decode, validate and compile into obj. */
static bool compile_module(const wast_file *f, const char *filename, const char *name,
                           const char *obj, char *why, size_t n) {
  uint8_t *bytes = NULL;
  aotc_module *m = NULL;
  aotc_diag d;
  char buf[512];
  if (!wast_load_module(f, filename, &bytes, &m, &d)) {
    aotc_diag_format(&d, filename, buf, sizeof buf);
    snprintf(why, n, "expected a valid module, got %s", buf);
    return false;
  }
  cg_options o;
  cg_options_init(&o);
  o.triple = f->opt->target;
  o.opt_level = f->opt->opt_level;
  if (f->opt->bounds_checks >= 0)
    o.bounds_checks = (uint8_t)f->opt->bounds_checks;
  o.epoch_interruption = f->opt->epoch_interruption;
  o.name = name;
  aotc_diag_init(&d);
  bool ok = cg_compile_object(m, &o, obj, &d);
  aotc_module_free(m);
  free(bytes);
  if (ok && d.code == AOTC_OK)
    return true;
  /* A failure without a diagnostic is a contract violation: say so rather than print "ok". */
  if (d.code == AOTC_OK)
    aotc_diag_set(&d, AOTC_EINTERNAL, AOTC_NO_OFFSET,
                  ok ? "diagnostic set on success" : "failed without a diagnostic");
  aotc_diag_format(&d, filename, buf, sizeof buf);
  snprintf(why, n, "cg_compile_object failed: %s", buf);
  return false;
}

static bool link_object(const char *obj, const char *so, const char *log, char *why, size_t n) {
  const char *argv[] = {linker_program, "-shared", "-o", so, obj, NULL};
  char how[256], first[256];
  if (wast_spawn(argv, log, NULL, how, sizeof how))
    return true;
  wast_log_first_line(log, first, sizeof first);
  snprintf(why, n, "%s%s%s", how, *first ? ": " : "", first);
  return false;
}

/*
** Compiles and links the script's module `filename` into JSON_DIR/<n>.so
** with the descriptor m<n>__module, and appends " SO PREFIX" (the path
** relative to JSON_DIR, where the executor looks) to b. False with why set.
*/
static bool build_module(wast_file *f, const char *filename, wast_buf *b, char *why, size_t n) {
  unsigned idx = f->n_modules++;
  char name[32], so_name[32];
  snprintf(name, sizeof name, "m%u", idx);
  snprintf(so_name, sizeof so_name, "%u.so", idx);
  char *obj = wast_printf("%s/%u.o", f->json_dir, idx);
  char *so = wast_printf("%s/%s", f->json_dir, so_name);
  char *log = wast_printf("%s/%u.ld.log", f->json_dir, idx);
  bool ok = compile_module(f, filename, name, obj, why, n) && link_object(obj, so, log, why, n);
  if (ok) {
    add_string(b, so_name);
    add_string(b, name);
  }
  free(obj);
  free(so);
  free(log);
  return ok;
}

/* ---------------------------------------------------------------- module commands */

void wast_exec_module(wast_file *f, const wast_command *c) {
  const char *name = opt_string(c->obj, "name");
  const char *filename =
      wast_module_is_binary(f, c) ? wast_need_string(f, c, c->obj, "filename") : NULL;
  wast_buf b = {0}, mod = {0};
  char why[WHY_SIZE];
  if (filename && build_module(f, filename, &mod, why, sizeof why)) {
    add_head(&b, c);
    add_string(&b, name);
    wast_buf_add(&b, "%s", mod.p);
  } else {
    if (filename)
      wast_fail(f, c, "%s: %s", filename, why);
    wast_buf_add(&b, "module_failed %d", c->line);
    add_string(&b, name);
  }
  wast_buf_fini(&mod);
  emit(f, &b);
}

void wast_module_skipped(wast_file *f, const wast_command *c) {
  wast_buf b = {0};
  wast_buf_add(&b, "module_skipped %d", c->line);
  add_string(&b, opt_string(c->obj, "name"));
  emit(f, &b);
}

/*
** assert_unlinkable, assert_uninstantiable and the module form of
** assert_trap: the module must compile; wrt-exec checks that instantiation
** fails as the text says.
*/
static void expect_instantiate_error(wast_file *f, const wast_command *c) {
  if (!wast_module_is_binary(f, c))
    return;
  const char *filename = wast_need_string(f, c, c->obj, "filename");
  const char *text = filename ? wast_need_string(f, c, c->obj, "text") : NULL;
  if (!text)
    return;
  wast_buf b = {0}, mod = {0};
  char why[WHY_SIZE];
  if (build_module(f, filename, &mod, why, sizeof why)) {
    add_head(&b, c);
    add_string(&b, text);
    wast_buf_add(&b, " module%s", mod.p);
    emit(f, &b);
  } else {
    wast_fail(f, c, "%s: %s", filename, why);
  }
  wast_buf_fini(&mod);
}

void wast_exec_assert_unlinkable(wast_file *f, const wast_command *c) {
  expect_instantiate_error(f, c);
}

void wast_exec_assert_uninstantiable(wast_file *f, const wast_command *c) {
  expect_instantiate_error(f, c);
}

void wast_exec_register(wast_file *f, const wast_command *c) {
  const char *as = wast_need_string(f, c, c->obj, "as");
  if (!as)
    return;
  wast_buf b = {0};
  add_head(&b, c);
  add_string(&b, opt_string(c->obj, "name"));
  add_string(&b, as);
  emit(f, &b);
}

/* ---------------------------------------------------------------- values and actions */

/*
** Appends one value as a token: wast2json's {"type", "value"[, "lane_type"]}
** becomes "TYPE:VALUE" (v128: "v128:LANE:L0,L1,..."), or a bare TYPE without
** a value. The token is checked with the parser wrt-exec uses, so that a
** script the executor would reject fails here, at its command.
*/
static bool add_value(wast_file *f, const wast_command *c, wast_buf *b, json_object *o,
                      bool patterns, size_t i) {
  const char *what = patterns ? "expected result" : "argument";
  const char *type = json_object_is_type(o, json_type_object) ? opt_string(o, "type") : NULL;
  if (!type) {
    wast_fail(f, c, "%s %zu: value without a \"type\"", what, i);
    return false;
  }
  wast_buf tok = {0};
  wast_buf_add(&tok, "%s", type);
  json_object *v;
  if (json_object_object_get_ex(o, "value", &v) && json_object_is_type(v, json_type_array)) {
    const char *lane = opt_string(o, "lane_type");
    wast_buf_add(&tok, ":%s:", lane ? lane : "");
    for (size_t k = 0; k < json_object_array_length(v); k++) {
      json_object *item = json_object_array_get_idx(v, k);
      const char *s =
          json_object_is_type(item, json_type_string) ? json_object_get_string(item) : "?";
      wast_buf_add(&tok, "%s%s", k ? "," : "", s);
    }
  } else if (json_object_object_get_ex(o, "value", &v)) {
    const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "?";
    wast_buf_add(&tok, ":%s", s);
  }
  wast_expected e;
  char why[256];
  bool ok = wast_value_decode(tok.p, patterns, NULL, &e, why, sizeof why);
  if (ok)
    wast_buf_add(b, " %s", tok.p);
  else
    wast_fail(f, c, "%s %zu: %s", what, i, why);
  wast_buf_fini(&tok);
  return ok;
}

/* Appends " invoke MODULE FIELD ARG..." or " get MODULE FIELD" for the
** command's "action"; false after recording a failure. */
static bool add_action(wast_file *f, const wast_command *c, wast_buf *b) {
  json_object *action, *args = NULL, *fo;
  if (!json_object_object_get_ex(c->obj, "action", &action) ||
      !json_object_is_type(action, json_type_object)) {
    wast_fail(f, c, "missing object field \"action\"");
    return false;
  }
  const char *type = wast_need_string(f, c, action, "type");
  const char *field = type ? wast_need_string(f, c, action, "field") : NULL;
  if (!field)
    return false;
  bool is_invoke = strcmp(type, "invoke") == 0;
  if (!is_invoke && strcmp(type, "get") != 0) {
    wast_fail(f, c, "unknown action type \"%s\"", type);
    return false;
  }
  json_object_object_get_ex(action, "field", &fo);
  wast_buf_add(b, " %s", type);
  add_string(b, opt_string(action, "module"));
  wast_buf_add(b, " ");
  wast_buf_quote(b, field, (size_t)json_object_get_string_len(fo));
  json_object_object_get_ex(action, "args", &args);
  size_t n =
      is_invoke && json_object_is_type(args, json_type_array) ? json_object_array_length(args) : 0;
  for (size_t i = 0; i < n; i++)
    if (!add_value(f, c, b, json_object_array_get_idx(args, i), false, i))
      return false;
  return true;
}

/* "TYPE LINE [TEXT] ACTION": the command on its action, with the text if it has one. */
static void emit_action(wast_file *f, const wast_command *c, const char *text) {
  wast_buf b = {0};
  add_head(&b, c);
  if (text)
    add_string(&b, text);
  if (add_action(f, c, &b))
    emit(f, &b);
  wast_buf_fini(&b);
}

void wast_exec_action(wast_file *f, const wast_command *c) {
  emit_action(f, c, NULL);
}

void wast_exec_assert_return(wast_file *f, const wast_command *c) {
  json_object *arr;
  if (!json_object_object_get_ex(c->obj, "expected", &arr) ||
      !json_object_is_type(arr, json_type_array)) {
    wast_fail(f, c, "missing array field \"expected\"");
    return;
  }
  wast_buf b = {0};
  add_head(&b, c);
  bool ok = add_action(f, c, &b);
  if (ok)
    wast_buf_add(&b, " =>");
  for (size_t i = 0; ok && i < json_object_array_length(arr); i++)
    ok = add_value(f, c, &b, json_object_array_get_idx(arr, i), true, i);
  if (ok)
    emit(f, &b);
  wast_buf_fini(&b);
}

/* assert_trap has two forms: on an action, or (older scripts) on a module
** whose instantiation must trap, which is assert_uninstantiable. */
void wast_exec_assert_trap(wast_file *f, const wast_command *c) {
  json_object *v;
  if (!json_object_object_get_ex(c->obj, "action", &v) &&
      json_object_object_get_ex(c->obj, "filename", &v)) {
    expect_instantiate_error(f, c);
    return;
  }
  const char *text = wast_need_string(f, c, c->obj, "text");
  if (text)
    emit_action(f, c, text);
}

void wast_exec_assert_exhaustion(wast_file *f, const wast_command *c) {
  const char *text = wast_need_string(f, c, c->obj, "text");
  if (text)
    emit_action(f, c, text);
}
