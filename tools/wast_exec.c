/*
** wast_exec.c: runs a script's modules the way an embedder would. Each module
** is compiled with cg_compile_object, linked into a shared object with
** ld.lld, dlopened and instantiated in the file's one wrt_store, next to the
** "spectest" host module and every registered instance; actions then call
** exports with wrt_call. It does not parse values (wast_value.c) or decide
** which commands run (the dispatch table in wrt-wast.c).
*/
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "wast.h"

/* The linker that turns codegen's relocatable objects into loadable ones; the
** LLVM major matches the code generator's (Makefile LLVM_CONFIG). */
static const char linker_program[] = "ld.lld-19";

enum { WHY_SIZE = 1024 };

/* ---------------------------------------------------------------- session state */

typedef enum mod_state { MOD_NONE, MOD_OK, MOD_FAILED, MOD_SKIPPED } mod_state;

/* A module the script can refer to. inst (owned by the store) and desc (in
** a loaded shared object) are set exactly when state == MOD_OK. */
typedef struct mod_ref {
  mod_state state;
  int line; /* the defining command's line */
  wrt_instance *inst;
  const wrt_module_desc *desc;
} mod_ref;

typedef struct named_mod {
  char *name; /* "$M" as the script spells it */
  mod_ref ref;
} named_mod;

/* The spectest print functions' signatures. They print only with -v. */
typedef struct spectest_func {
  const char *name;
  uint32_t n_params;
  uint8_t params[2];
} spectest_func;

static const spectest_func spectest_funcs[] = {
    {"print", 0, {0}},
    {"print_i32", 1, {WRT_I32}},
    {"print_i64", 1, {WRT_I64}},
    {"print_f32", 1, {WRT_F32}},
    {"print_f64", 1, {WRT_F64}},
    {"print_i32_f32", 2, {WRT_I32, WRT_F32}},
    {"print_f64_f64", 2, {WRT_F64, WRT_F64}},
};
enum { N_SPECTEST_FUNCS = sizeof spectest_funcs / sizeof spectest_funcs[0] };

typedef struct spectest_env {
  const spectest_func *def;
  bool verbose;
} spectest_env;

/*
** One per .wast file. Lifetimes: instances, host objects and externrefs
** belong to the store; the descriptors and code they point at belong to the
** shared objects in handles[], which therefore close only after the store is
** freed. Named modules shadow earlier ones of the same name (searched from
** the end), as in the script's semantics.
*/
struct wast_session {
  wrt_engine *engine;
  wrt_store *store;
  wrt_linker *linker;
  wast_refs refs;
  spectest_env print_env[N_SPECTEST_FUNCS];
  void **handles;
  size_t n_handles, cap_handles;
  unsigned n_compiled; /* names the next module m<n> and its files <n>.o, <n>.so */
  mod_ref current;
  named_mod *named;
  size_t n_named, cap_named;
};

/* ---------------------------------------------------------------- spectest */

static wrt_trap_code spectest_print(void *env, const wrt_val *args, wrt_val *results) {
  (void)results;
  const spectest_env *e = env;
  if (!e->verbose)
    return WRT_TRAP_NONE;
  printf("spectest.%s(", e->def->name);
  for (uint32_t i = 0; i < e->def->n_params; i++) {
    char buf[128];
    wast_value_format(&args[i], WAST_LANE_NONE, NULL, buf, sizeof buf);
    printf("%s%s", i ? ", " : "", buf);
  }
  printf(")\n");
  return WRT_TRAP_NONE;
}

static bool spectest_define(wast_session *s, const char *name, uint8_t kind, void *obj) {
  if (!obj)
    return false;
  wrt_extern ext = {.kind = kind};
  switch (kind) {
  case WRT_EXTERN_FUNC:
    ext.of.func = obj;
    break;
  case WRT_EXTERN_TABLE:
    ext.of.table = obj;
    break;
  case WRT_EXTERN_MEMORY:
    ext.of.memory = obj;
    break;
  default:
    ext.of.global = obj;
    break;
  }
  return wrt_linker_define(s->linker, "spectest", name, ext) == WRT_OK;
}

/* The host module every script may import from; values as in the spec's
** reference interpreter (spectest.ml). */
static bool spectest_init(wast_session *s, bool verbose) {
  bool ok = true;
  for (size_t i = 0; i < N_SPECTEST_FUNCS; i++) {
    const spectest_func *def = &spectest_funcs[i];
    s->print_env[i] = (spectest_env){def, verbose};
    wrt_functype type = {.n_params = def->n_params, .params = def->params};
    wrt_func *fn = wrt_func_new_host(s->store, &type, spectest_print, &s->print_env[i]);
    ok = ok && spectest_define(s, def->name, WRT_EXTERN_FUNC, fn);
  }
  wrt_store *st = s->store;
  ok = ok && spectest_define(s, "global_i32", WRT_EXTERN_GLOBAL,
                             wrt_global_new(st, WRT_I32, false, WRT_I32_VAL(666)));
  ok = ok && spectest_define(s, "global_i64", WRT_EXTERN_GLOBAL,
                             wrt_global_new(st, WRT_I64, false, WRT_I64_VAL(666)));
  ok = ok && spectest_define(s, "global_f32", WRT_EXTERN_GLOBAL,
                             wrt_global_new(st, WRT_F32, false, WRT_F32_VAL(666.6f)));
  ok = ok && spectest_define(s, "global_f64", WRT_EXTERN_GLOBAL,
                             wrt_global_new(st, WRT_F64, false, WRT_F64_VAL(666.6)));
  ok = ok && spectest_define(s, "table", WRT_EXTERN_TABLE,
                             wrt_table_new(st, WRT_FUNCREF, 10, 20, true, NULL));
  ok = ok && spectest_define(s, "memory", WRT_EXTERN_MEMORY, wrt_memory_new(st, 1, 2, true));
  return ok;
}

/* ---------------------------------------------------------------- session */

wast_session *wast_session_new(wast_file *f) {
  wast_session *s = calloc(1, sizeof *s);
  if (!s)
    wast_die_oom();
  s->engine = wrt_engine_new();
  s->store = s->engine ? wrt_store_new(s->engine) : NULL;
  s->linker = s->store ? wrt_linker_new(s->store) : NULL;
  wast_refs_init(&s->refs, s->store);
  if (!s->linker) {
    printf("%s: FAIL cannot create a wrt engine, store and linker\n", f->rel);
    wast_session_free(s);
    return NULL;
  }
  if (!spectest_init(s, f->opt->verbose)) {
    printf("%s: FAIL cannot define the spectest module\n", f->rel);
    wast_session_free(s);
    return NULL;
  }
  return s;
}

void wast_session_free(wast_session *s) {
  if (!s)
    return;
  /* The linker goes first: it was made from the store and may use its allocator. */
  if (s->linker)
    wrt_linker_free(s->linker);
  wast_refs_fini(&s->refs);
  if (s->store)
    wrt_store_free(s->store);
  if (s->engine)
    wrt_engine_free(s->engine);
  /* Only now is no instance left that points into the loaded code. */
  for (size_t i = s->n_handles; i-- > 0;)
    dlclose(s->handles[i]);
  free(s->handles);
  for (size_t i = 0; i < s->n_named; i++)
    free(s->named[i].name);
  free(s->named);
  free(s);
}

/* Makes ref the current module and, when the command names it, $name's too. */
static void set_module(wast_session *s, const char *name, mod_ref ref) {
  s->current = ref;
  if (!name)
    return;
  if (s->n_named == s->cap_named) {
    s->cap_named = s->cap_named ? 2 * s->cap_named : 8;
    s->named = wast_xrealloc(s->named, s->cap_named * sizeof *s->named);
  }
  s->named[s->n_named++] = (named_mod){wast_printf("%s", name), ref};
}

/* The optional "name" field of a command ("$M"), or NULL. */
static const char *opt_string(json_object *obj, const char *key) {
  json_object *v;
  if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  return NULL;
}

void wast_session_module_skipped(wast_file *f, const wast_command *c) {
  mod_ref ref = {.state = MOD_SKIPPED, .line = c->line};
  set_module(f->exec, opt_string(c->obj, "name"), ref);
}

/*
** The module a command refers to: $name, or the current module. Returns
** NULL after recording why (a failure, or a skip when the module itself was
** skipped: its dependants are not evidence of anything).
*/
static const mod_ref *resolve_module(wast_file *f, const wast_command *c, const char *name) {
  const wast_session *s = f->exec;
  const mod_ref *ref = &s->current;
  if (name) {
    ref = NULL;
    for (size_t i = s->n_named; i-- > 0 && !ref;)
      if (strcmp(s->named[i].name, name) == 0)
        ref = &s->named[i].ref;
    if (!ref) {
      wast_fail(f, c, "unknown module %s", name);
      return NULL;
    }
  }
  const char *shown = name ? name : "";
  switch (ref->state) {
  case MOD_OK:
    return ref;
  case MOD_SKIPPED:
    wast_skipped(f, c, "module %s%sat line %d was skipped", shown, name ? " " : "", ref->line);
    return NULL;
  case MOD_FAILED:
    wast_fail(f, c, "module %s%sat line %d failed earlier", shown, name ? " " : "", ref->line);
    return NULL;
  default:
    wast_fail(f, c, "no module defined before this command");
    return NULL;
  }
}

/* ---------------------------------------------------------------- compile, link, load */

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
  o.opt_level = f->opt->opt_level;
  if (f->opt->bounds_checks >= 0)
    o.bounds_checks = (uint8_t)f->opt->bounds_checks;
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
  if (wast_spawn(argv, log, how, sizeof how))
    return true;
  wast_log_first_line(log, first, sizeof first);
  snprintf(why, n, "%s%s%s", how, *first ? ": " : "", first);
  return false;
}

/* dlopen + dlsym. The handle is kept even on failure to find the symbol, so
** that every successful dlopen has its dlclose in wast_session_free. */
static const wrt_module_desc *load_object(wast_session *s, const char *so, const char *name,
                                          char *why, size_t n) {
  void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, n, "dlopen failed: %s", e ? e : "unknown error");
    return NULL;
  }
  if (s->n_handles == s->cap_handles) {
    s->cap_handles = s->cap_handles ? 2 * s->cap_handles : 16;
    s->handles = wast_xrealloc(s->handles, s->cap_handles * sizeof *s->handles);
  }
  s->handles[s->n_handles++] = h;
  char sym[64];
  snprintf(sym, sizeof sym, "%s__module", name);
  dlerror();
  const wrt_module_desc *desc = dlsym(h, sym);
  if (!desc) {
    const char *e = dlerror();
    snprintf(why, n, "dlsym %s failed: %s", sym, e ? e : "null symbol");
  }
  return desc;
}

/*
** The whole pipeline for one module command: WORKDIR/<file>/<n>.o, <n>.so and
** the descriptor m<n>__module. Returns NULL with why set.
*/
static const wrt_module_desc *module_load(wast_file *f, const char *filename, char *why, size_t n) {
  wast_session *s = f->exec;
  unsigned idx = s->n_compiled++;
  char name[32];
  snprintf(name, sizeof name, "m%u", idx);
  char *obj = wast_printf("%s/%u.o", f->json_dir, idx);
  char *so = wast_printf("%s/%u.so", f->json_dir, idx);
  char *log = wast_printf("%s/%u.ld.log", f->json_dir, idx);
  const wrt_module_desc *desc = NULL;
  if (compile_module(f, filename, name, obj, why, n) && link_object(obj, so, log, why, n))
    desc = load_object(s, so, name, why, n);
  free(obj);
  free(so);
  free(log);
  return desc;
}

/* ---------------------------------------------------------------- instantiation */

typedef struct inst_result {
  wrt_err err;
  wrt_instance *inst;
  wrt_diag diag;
  wrt_trap trap;
} inst_result;

static void instantiate(wast_session *s, const wrt_module_desc *desc, inst_result *r) {
  memset(r, 0, sizeof *r);
  r->trap.func_idx = UINT32_MAX;
  r->err = wrt_instantiate(s->store, desc, s->linker, &r->inst, &r->diag, &r->trap);
}

static const char *err_name(wrt_err e) {
  const char *s = wrt_err_str(e);
  return s ? s : "?";
}

static const char *trap_name(wrt_trap_code code) {
  const char *s = wrt_trap_str(code);
  return s ? s : "?";
}

/* "trap \"unreachable\" (detail) in func 3 $name" */
static void describe_trap(const wrt_trap *t, char *buf, size_t n) {
  int len = snprintf(buf, n, "trap \"%s\"", trap_name(t->code));
  if (t->msg[0] && strcmp(t->msg, trap_name(t->code)) != 0 && len >= 0 && (size_t)len < n)
    len += snprintf(buf + len, n - (size_t)len, " (%.*s)", (int)sizeof t->msg, t->msg);
  if (t->func_idx != UINT32_MAX && len >= 0 && (size_t)len < n)
    snprintf(buf + len, n - (size_t)len, " in func %u%s%.*s", t->func_idx,
             t->func_name[0] ? " " : "", (int)sizeof t->func_name, t->func_name);
}

static void describe_inst(const inst_result *r, char *buf, size_t n) {
  if (r->err == WRT_ETRAP)
    describe_trap(&r->trap, buf, n);
  else
    snprintf(buf, n, "%s: %.*s", err_name(r->err), (int)sizeof r->diag.msg, r->diag.msg);
}

/*
** Whether a trap is the one the script expects. The reference interpreter's
** rule is that its message starts with the expected text. Our trap messages
** are one text per code (wrt_trap_str), so two cases need more: the
** interpreter adds details ("uninitialized element 2"), and it names one
** condition two ways (call_indirect past the table's end is "undefined
** element", table.get past it "out of bounds table access": both TABLE_OOB).
*/
static bool trap_matches(const wrt_trap *t, const char *text) {
  static const struct {
    wrt_trap_code code;
    const char *text;
  } aliases[] = {{WRT_TRAP_TABLE_OOB, "undefined element"}};
  const char *canon = trap_name(t->code);
  size_t k = strlen(text);
  if (strncmp(canon, text, k) == 0 || (t->msg[0] && strncmp(t->msg, text, k) == 0))
    return true;
  size_t c = strlen(canon);
  if (strncmp(text, canon, c) == 0 && text[c] == ' ')
    return true;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    size_t a = strlen(aliases[i].text);
    if (t->code == aliases[i].code && strncmp(text, aliases[i].text, a) == 0 &&
        (text[a] == 0 || text[a] == ' '))
      return true;
  }
  return false;
}

/* ---------------------------------------------------------------- module commands */

void wast_exec_module(wast_file *f, const wast_command *c) {
  mod_ref ref = {.state = MOD_FAILED, .line = c->line};
  const char *name = opt_string(c->obj, "name");
  const char *filename =
      wast_module_is_binary(f, c) ? wast_need_string(f, c, c->obj, "filename") : NULL;
  if (filename) {
    char why[WHY_SIZE];
    const wrt_module_desc *desc = module_load(f, filename, why, sizeof why);
    inst_result r;
    if (!desc) {
      wast_fail(f, c, "%s: %s", filename, why);
    } else {
      instantiate(f->exec, desc, &r);
      if (r.err == WRT_OK) {
        ref.state = MOD_OK;
        ref.inst = r.inst;
        ref.desc = desc;
        wast_pass(f, c);
      } else {
        describe_inst(&r, why, sizeof why);
        wast_fail(f, c, "%s: instantiation failed: %s", filename, why);
      }
    }
  }
  set_module(f->exec, name, ref);
}

/*
** assert_unlinkable, assert_uninstantiable and the module form of
** assert_trap: the module must compile, and instantiation must fail with
** `want`. The message is compared like assert_invalid's: the error class is
** what the spec requires, a different wording is a counted mismatch.
*/
static void expect_instantiate_error(wast_file *f, const wast_command *c, wrt_err want) {
  if (!wast_module_is_binary(f, c))
    return;
  const char *filename = wast_need_string(f, c, c->obj, "filename");
  const char *text = filename ? wast_need_string(f, c, c->obj, "text") : NULL;
  if (!text)
    return;
  char why[WHY_SIZE];
  const wrt_module_desc *desc = module_load(f, filename, why, sizeof why);
  if (!desc) {
    wast_fail(f, c, "%s: %s", filename, why);
    return;
  }
  inst_result r;
  instantiate(f->exec, desc, &r);
  const char *want_s = want == WRT_ELINK ? "link error" : "trap";
  if (r.err == WRT_OK) {
    wast_fail(f, c, "%s: instantiated; expected %s \"%s\"", filename, want_s, text);
    return;
  }
  describe_inst(&r, why, sizeof why);
  if (r.err != want) {
    wast_fail(f, c, "%s: expected %s \"%s\", got %s", filename, want_s, text, why);
    return;
  }
  wast_pass(f, c);
  if (want == WRT_ETRAP ? !trap_matches(&r.trap, text)
                        : strncmp(r.diag.msg, text, strlen(text)) != 0)
    wast_mismatch(f, c, text, why);
}

void wast_exec_assert_unlinkable(wast_file *f, const wast_command *c) {
  expect_instantiate_error(f, c, WRT_ELINK);
}

void wast_exec_assert_uninstantiable(wast_file *f, const wast_command *c) {
  expect_instantiate_error(f, c, WRT_ETRAP);
}

void wast_exec_register(wast_file *f, const wast_command *c) {
  const char *as = wast_need_string(f, c, c->obj, "as");
  if (!as)
    return;
  const mod_ref *m = resolve_module(f, c, opt_string(c->obj, "name"));
  if (!m)
    return;
  wrt_err e = wrt_linker_define_instance(f->exec->linker, as, m->inst);
  if (e != WRT_OK)
    wast_fail(f, c, "wrt_linker_define_instance(\"%s\"): %s", as, err_name(e));
  else
    wast_pass(f, c);
}

/* ---------------------------------------------------------------- actions */

/* The outcome of an action that ran: err is WRT_OK (vals set), WRT_ETRAP
** (trap set) or the error wrt_call reported. vals is malloc'd. */
typedef struct action_out {
  wrt_err err;
  wrt_trap trap;
  wrt_val *vals;
  size_t n;
  char what[160]; /* "invoke \"field\"" for messages */
} action_out;

/* Copies a script name for a message, escaping control bytes (names.wast
** exports names made of them). */
static void quote_name(const char *s, size_t len, char *buf, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < len && o + 5 < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
      o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
    else
      buf[o++] = (char)ch;
  }
  buf[o] = 0;
}

/*
** Looks up an export as an embedder would, by name. wrt_instance_export takes
** a C string, so a name with a NUL byte (names.wast has one) is found in the
** descriptor instead and fetched by position: exports are in module order.
*/
static wrt_err find_export(const mod_ref *m, const char *name, size_t len, wrt_extern *out) {
  if (len == strlen(name))
    return wrt_instance_export(m->inst, name, out);
  for (uint32_t i = 0; i < m->desc->n_exports; i++) {
    const wrt_name *n = &m->desc->exports[i].name;
    if (n->len == len && memcmp(n->ptr, name, len) == 0) {
      const char *ignored;
      return wrt_instance_export_at(m->inst, i, &ignored, out);
    }
  }
  return WRT_EINVAL;
}

/* Parses the arguments and checks them against the signature up front, so a
** script/runtime disagreement reads as such rather than as WRT_EINVAL. */
static wrt_val *parse_args(wast_file *f, const wast_command *c, json_object *args,
                           const wrt_functype *ft, size_t *n_args) {
  size_t n =
      args && json_object_is_type(args, json_type_array) ? json_object_array_length(args) : 0;
  if (n != ft->n_params) {
    wast_fail(f, c, "the function takes %u arguments, the script passes %zu", ft->n_params, n);
    return NULL;
  }
  wrt_val *vals = calloc(n ? n : 1, sizeof *vals);
  if (!vals)
    wast_die_oom();
  for (size_t i = 0; i < n; i++) {
    char why[256];
    if (!wast_value_parse(json_object_array_get_idx(args, i), &f->exec->refs, &vals[i], why,
                          sizeof why)) {
      wast_fail(f, c, "argument %zu: %s", i, why);
      free(vals);
      return NULL;
    }
    if (vals[i].kind != ft->params[i]) {
      wast_fail(f, c, "argument %zu is %s, the function takes %s", i, wast_kind_name(vals[i].kind),
                wast_kind_name(ft->params[i]));
      free(vals);
      return NULL;
    }
  }
  *n_args = n;
  return vals;
}

static bool invoke(wast_file *f, const wast_command *c, json_object *action, wrt_func *fn,
                   action_out *out) {
  wast_session *s = f->exec;
  wrt_functype ft = wrt_func_type(s->store, fn);
  json_object *args = NULL;
  json_object_object_get_ex(action, "args", &args);
  size_t n_args = 0;
  wrt_val *argv = parse_args(f, c, args, &ft, &n_args);
  if (!argv)
    return false;
  out->n = ft.n_results;
  out->vals = calloc(out->n ? out->n : 1, sizeof *out->vals);
  if (!out->vals)
    wast_die_oom();
  /* Kinds are preset from the signature so a result the runtime leaves
  ** untouched reads as a wrong value, not as a wrong type. */
  for (size_t i = 0; i < out->n; i++)
    out->vals[i].kind = ft.results[i];
  out->err = wrt_call(s->store, fn, argv, n_args, out->vals, out->n, &out->trap);
  free(argv);
  return true;
}

/*
** Runs the command's "action" (invoke or get). Returns false, with the
** outcome recorded, when it could not run (bad script, unknown module or
** export); true when it ran, whatever the result: that is the caller's check.
*/
static bool run_action(wast_file *f, const wast_command *c, action_out *out) {
  memset(out, 0, sizeof *out);
  out->trap.func_idx = UINT32_MAX;
  json_object *action;
  if (!json_object_object_get_ex(c->obj, "action", &action) ||
      !json_object_is_type(action, json_type_object)) {
    wast_fail(f, c, "missing object field \"action\"");
    return false;
  }
  const char *type = wast_need_string(f, c, action, "type");
  const char *field = type ? wast_need_string(f, c, action, "field") : NULL;
  if (!field)
    return false;
  json_object *fo;
  json_object_object_get_ex(action, "field", &fo);
  size_t field_len = (size_t)json_object_get_string_len(fo);
  char shown[96];
  quote_name(field, field_len, shown, sizeof shown);
  snprintf(out->what, sizeof out->what, "%s \"%s\"", type, shown);
  const mod_ref *m = resolve_module(f, c, opt_string(action, "module"));
  if (!m)
    return false;
  wrt_extern ext;
  if (find_export(m, field, field_len, &ext) != WRT_OK) {
    wast_fail(f, c, "%s: no such export", out->what);
    return false;
  }
  bool is_invoke = strcmp(type, "invoke") == 0;
  if (!is_invoke && strcmp(type, "get") != 0) {
    wast_fail(f, c, "unknown action type \"%s\"", type);
    return false;
  }
  uint8_t want = is_invoke ? WRT_EXTERN_FUNC : WRT_EXTERN_GLOBAL;
  if (ext.kind != want) {
    wast_fail(f, c, "%s: export is of kind %u, not a %s", out->what, ext.kind,
              is_invoke ? "function" : "global");
    return false;
  }
  if (is_invoke)
    return invoke(f, c, action, ext.of.func, out);
  out->vals = malloc(sizeof *out->vals);
  if (!out->vals)
    wast_die_oom();
  out->vals[0] = wrt_global_get(ext.of.global);
  out->n = 1;
  out->err = WRT_OK;
  return true;
}

/* "i32:0x... (1), f32:..." for messages. */
static void format_results(const wast_session *s, const action_out *out, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = 0;
  if (out->n == 0)
    snprintf(buf, n, "no results");
  for (size_t i = 0; i < out->n && len + 1 < n; i++) {
    char one[512];
    wast_value_format(&out->vals[i], WAST_LANE_NONE, &s->refs, one, sizeof one);
    int k = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", one);
    len += k > 0 ? (size_t)k : 0;
  }
}

/* A result other than WRT_OK/WRT_ETRAP: the call itself was refused. */
static void fail_call_error(wast_file *f, const wast_command *c, const action_out *out) {
  wast_fail(f, c, "%s: wrt_call failed: %s", out->what, err_name(out->err));
}

void wast_exec_action(wast_file *f, const wast_command *c) {
  action_out out;
  if (!run_action(f, c, &out))
    return;
  char buf[WHY_SIZE];
  if (out.err == WRT_OK) {
    wast_pass(f, c);
  } else if (out.err == WRT_ETRAP) {
    describe_trap(&out.trap, buf, sizeof buf);
    wast_fail(f, c, "%s: unexpected %s", out.what, buf);
  } else {
    fail_call_error(f, c, &out);
  }
  free(out.vals);
}

/* Parses "expected"; NULL (after recording a failure) if it is malformed. */
static wast_expected *parse_expected(wast_file *f, const wast_command *c, size_t *n) {
  json_object *arr;
  if (!json_object_object_get_ex(c->obj, "expected", &arr) ||
      !json_object_is_type(arr, json_type_array)) {
    wast_fail(f, c, "missing array field \"expected\"");
    return NULL;
  }
  *n = json_object_array_length(arr);
  wast_expected *e = calloc(*n ? *n : 1, sizeof *e);
  if (!e)
    wast_die_oom();
  for (size_t i = 0; i < *n; i++) {
    char why[256];
    if (!wast_expected_parse(json_object_array_get_idx(arr, i), &f->exec->refs, &e[i], why,
                             sizeof why)) {
      wast_fail(f, c, "expected result %zu: %s", i, why);
      free(e);
      return NULL;
    }
  }
  return e;
}

/* Compares every result, listing each one that differs. */
static void check_results(wast_file *f, const wast_command *c, const action_out *out,
                          const wast_expected *e, size_t n_expected) {
  char msg[4 * WHY_SIZE];
  if (out->n != n_expected) {
    format_results(f->exec, out, msg, sizeof msg);
    wast_fail(f, c, "%s: expected %zu results, got %zu: %s", out->what, n_expected, out->n, msg);
    return;
  }
  size_t len = 0;
  msg[0] = 0;
  for (size_t i = 0; i < n_expected; i++) {
    if (wast_expected_matches(&e[i], &out->vals[i]))
      continue;
    char want[512], got[512];
    wast_expected_format(&e[i], want, sizeof want);
    wast_value_format(&out->vals[i], (wast_lane)e[i].lane, &f->exec->refs, got, sizeof got);
    int k = snprintf(msg + len, sizeof msg - len, "%sresult %zu: expected %s, got %s",
                     len ? "; " : "", i, want, got);
    len += k > 0 ? (size_t)k : 0;
    if (len >= sizeof msg)
      break;
  }
  if (msg[0])
    wast_fail(f, c, "%s: %s", out->what, msg);
  else
    wast_pass(f, c);
}

void wast_exec_assert_return(wast_file *f, const wast_command *c) {
  size_t n_expected = 0;
  wast_expected *e = parse_expected(f, c, &n_expected);
  if (!e)
    return;
  action_out out;
  if (run_action(f, c, &out)) {
    char buf[WHY_SIZE];
    if (out.err == WRT_OK) {
      check_results(f, c, &out, e, n_expected);
    } else if (out.err == WRT_ETRAP) {
      describe_trap(&out.trap, buf, sizeof buf);
      wast_fail(f, c, "%s: expected a return, got %s", out.what, buf);
    } else {
      fail_call_error(f, c, &out);
    }
    free(out.vals);
  }
  free(e);
}

/* assert_trap / assert_exhaustion on an action: it must trap with `text`. */
static void expect_action_trap(wast_file *f, const wast_command *c) {
  const char *text = wast_need_string(f, c, c->obj, "text");
  action_out out;
  if (!text || !run_action(f, c, &out))
    return;
  char buf[WHY_SIZE];
  if (out.err == WRT_ETRAP) {
    if (trap_matches(&out.trap, text)) {
      wast_pass(f, c);
    } else {
      describe_trap(&out.trap, buf, sizeof buf);
      wast_fail(f, c, "%s: expected trap \"%s\", got %s", out.what, text, buf);
    }
  } else if (out.err == WRT_OK) {
    format_results(f->exec, &out, buf, sizeof buf);
    wast_fail(f, c, "%s: expected trap \"%s\", returned %s", out.what, text, buf);
  } else {
    fail_call_error(f, c, &out);
  }
  free(out.vals);
}

/* assert_trap has two forms: on an action, or (older scripts) on a module
** whose instantiation must trap, which is assert_uninstantiable. */
void wast_exec_assert_trap(wast_file *f, const wast_command *c) {
  json_object *v;
  if (!json_object_object_get_ex(c->obj, "action", &v) &&
      json_object_object_get_ex(c->obj, "filename", &v))
    expect_instantiate_error(f, c, WRT_ETRAP);
  else
    expect_action_trap(f, c);
}

void wast_exec_assert_exhaustion(wast_file *f, const wast_command *c) {
  expect_action_trap(f, c);
}
