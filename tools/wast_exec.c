/*
** wast_exec.c: runs a script's commands the way an embedder would. Each
** command is one line of the format in wrt-exec.c's header: modules are
** shared objects that are dlopened and instantiated in the script's one
** wrt_store, next to the "spectest" host module and every registered
** instance; actions call exports with wrt_call and assertions check what
** they did. The same code runs inside wrt-wast and, built for a cross
** target, as wrt-exec under qemu-user. Compiling modules and reading the
** JSON scripts is wrt-wast's (wast_convert.c); values are wast_value.c's.
*/
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast_exec.h"

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
  wast_report *r;
  char *dir; /* relative shared-object paths are resolved against it */
  wrt_engine *engine;
  wrt_store *store;
  wrt_linker *linker;
  wast_refs refs;
  spectest_env print_env[N_SPECTEST_FUNCS];
  void **handles;
  size_t n_handles, cap_handles;
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

/* The pool for spec scripts: the documented defaults, except that a module
** may define as many memories and tables as the pool has (the multi-memory
** scripts define up to a few dozen in one module). */
static wrt_engine_config pool_config(void) {
  wrt_engine_config c = {.allocator = WRT_ALLOCATOR_POOLING};
  c.pool.memories_per_module = 1000;
  c.pool.tables_per_module = 1000;
  return c;
}

wast_session *wast_session_new(wast_report *r, const char *dir, bool pooling) {
  wast_session *s = calloc(1, sizeof *s);
  if (!s)
    wast_die_oom();
  s->r = r;
  s->dir = wast_printf("%s", dir);
  wrt_engine_config pool = pool_config();
  wrt_diag diag = {WRT_OK, ""};
  s->engine = wrt_engine_new_with(pooling ? &pool : NULL, &diag);
  s->store = s->engine ? wrt_store_new(s->engine) : NULL;
  s->linker = s->store ? wrt_linker_new(s->store) : NULL;
  wast_refs_init(&s->refs, s->store);
  if (!s->linker) {
    printf("%s: FAIL cannot create a wrt engine, store and linker%s%s\n", r->rel,
           diag.msg[0] ? ": " : "", diag.msg);
    wast_session_free(s);
    return NULL;
  }
  if (!spectest_init(s, r->verbose)) {
    printf("%s: FAIL cannot define the spectest module\n", r->rel);
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
  free(s->dir);
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

/*
** The module a command refers to: $name, or the current module. Returns
** NULL after recording why (a failure, or a skip when the module itself was
** skipped: its dependants are not evidence of anything).
*/
static const mod_ref *resolve_module(wast_session *s, const wast_cmd *c, const char *name) {
  const mod_ref *ref = &s->current;
  if (name) {
    ref = NULL;
    for (size_t i = s->n_named; i-- > 0 && !ref;)
      if (strcmp(s->named[i].name, name) == 0)
        ref = &s->named[i].ref;
    if (!ref) {
      wast_report_fail(s->r, c, "unknown module %s", name);
      return NULL;
    }
  }
  const char *shown = name ? name : "";
  switch (ref->state) {
  case MOD_OK:
    return ref;
  case MOD_SKIPPED:
    wast_report_skipped(s->r, c, "module %s%sat line %d was skipped", shown, name ? " " : "",
                        ref->line);
    return NULL;
  case MOD_FAILED:
    wast_report_fail(s->r, c, "module %s%sat line %d failed earlier", shown, name ? " " : "",
                     ref->line);
    return NULL;
  default:
    wast_report_fail(s->r, c, "no module defined before this command");
    return NULL;
  }
}

/* ---------------------------------------------------------------- the command format */

/* A cursor over one command line. Tokens are separated by spaces; strings
** are unquoted in place, which never overwrites text not yet read. */
typedef struct cursor {
  char *p;
} cursor;

static void skip_spaces(cursor *cur) {
  while (*cur->p == ' ')
    cur->p++;
}

static bool at_end(cursor *cur) {
  skip_spaces(cur);
  return *cur->p == 0;
}

/* The next space-delimited word, NUL-terminated in place; NULL at the end. */
static char *next_word(cursor *cur) {
  skip_spaces(cur);
  if (!*cur->p)
    return NULL;
  char *w = cur->p;
  cur->p += strcspn(cur->p, " ");
  if (*cur->p)
    *cur->p++ = 0;
  return w;
}

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  return -1;
}

/*
** The next string: "-" is absent (*s = NULL), otherwise a quoted string
** with \XX escapes, unquoted in place and NUL-terminated (it may also
** contain NULs: *len counts them). False if malformed or missing.
*/
static bool next_string(cursor *cur, char **s, size_t *len) {
  skip_spaces(cur);
  char *p = cur->p;
  if (p[0] == '-' && (p[1] == ' ' || p[1] == 0)) {
    *s = NULL;
    cur->p = p + 1;
    return true;
  }
  if (*p != '"')
    return false;
  char *out = p, *in = p + 1;
  while (*in != '"') {
    if (*in == 0)
      return false;
    if (*in != '\\') {
      *out++ = *in++;
      continue;
    }
    int hi = hex_digit(in[1]), lo = hi < 0 ? -1 : hex_digit(in[2]);
    if (lo < 0)
      return false;
    *out++ = (char)(hi * 16 + lo);
    in += 3;
  }
  if (in[1] != ' ' && in[1] != 0)
    return false;
  *out = 0;
  *s = p;
  if (len)
    *len = (size_t)(out - p);
  cur->p = in + 1;
  return true;
}

void wast_buf_quote(wast_buf *b, const char *s, size_t len) {
  wast_buf_add(b, "\"");
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
      wast_buf_add(b, "\\%02x", ch);
    else
      wast_buf_add(b, "%c", ch);
  }
  wast_buf_add(b, "\"");
}

/* A string that must be present. */
static bool need_string(cursor *cur, char **s) {
  return next_string(cur, s, NULL) && *s;
}

/* ---------------------------------------------------------------- load and instantiate */

/* dlopen + dlsym of PREFIX__module. The handle is kept even on failure to
** find the symbol, so that every successful dlopen has its dlclose in
** wast_session_free. Returns NULL with why set. */
static const wrt_module_desc *load_object(wast_session *s, const char *so, const char *prefix,
                                          char *why, size_t n) {
  char *path = so[0] == '/' ? wast_printf("%s", so) : wast_printf("%s/%s", s->dir, so);
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  free(path);
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
  char *sym = wast_printf("%s__module", prefix);
  dlerror();
  const wrt_module_desc *desc = dlsym(h, sym);
  if (!desc) {
    const char *e = dlerror();
    snprintf(why, n, "dlsym %s failed: %s", sym, e ? e : "null symbol");
  }
  free(sym);
  return desc;
}

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

static void fail_malformed(wast_session *s, const wast_cmd *c) {
  wast_report_fail(s->r, c, "malformed command line");
}

/* module LINE NAME SO PREFIX (given MOD_NONE: load and instantiate it), or
** module_failed / module_skipped LINE NAME (given: the state to record). */
static void exec_module(wast_session *s, const wast_cmd *c, cursor *cur, mod_state given) {
  mod_ref ref = {.state = given == MOD_NONE ? MOD_FAILED : given, .line = c->line};
  char *name = NULL, *so = NULL, *prefix = NULL;
  bool ok = next_string(cur, &name, NULL);
  if (ok && given == MOD_NONE)
    ok = need_string(cur, &so) && need_string(cur, &prefix);
  if (!ok || !at_end(cur)) {
    fail_malformed(s, c);
  } else if (given == MOD_NONE) {
    char why[WHY_SIZE];
    const wrt_module_desc *desc = load_object(s, so, prefix, why, sizeof why);
    inst_result r;
    if (!desc) {
      wast_report_fail(s->r, c, "%s: %s", so, why);
    } else {
      instantiate(s, desc, &r);
      if (r.err == WRT_OK) {
        ref.state = MOD_OK;
        ref.inst = r.inst;
        ref.desc = desc;
        wast_report_pass(s->r, c);
      } else {
        describe_inst(&r, why, sizeof why);
        wast_report_fail(s->r, c, "%s: instantiation failed: %s", so, why);
      }
    }
  }
  set_module(s, ok ? name : NULL, ref);
}

/*
** assert_unlinkable, assert_uninstantiable and the module form of
** assert_trap ("module SO PREFIX" after the text): instantiation must fail
** with `want`. The message is compared like assert_invalid's: the error
** class is what the spec requires, a different wording is a counted mismatch.
*/
static void expect_instantiate_error(wast_session *s, const wast_cmd *c, cursor *cur,
                                     const char *text, wrt_err want) {
  char *so, *prefix;
  if (!need_string(cur, &so) || !need_string(cur, &prefix) || !at_end(cur)) {
    fail_malformed(s, c);
    return;
  }
  char why[WHY_SIZE];
  const wrt_module_desc *desc = load_object(s, so, prefix, why, sizeof why);
  if (!desc) {
    wast_report_fail(s->r, c, "%s: %s", so, why);
    return;
  }
  inst_result r;
  instantiate(s, desc, &r);
  const char *want_s = want == WRT_ELINK ? "link error" : "trap";
  if (r.err == WRT_OK) {
    wast_report_fail(s->r, c, "%s: instantiated; expected %s \"%s\"", so, want_s, text);
    return;
  }
  describe_inst(&r, why, sizeof why);
  if (r.err != want) {
    wast_report_fail(s->r, c, "%s: expected %s \"%s\", got %s", so, want_s, text, why);
    return;
  }
  wast_report_pass(s->r, c);
  if (want == WRT_ETRAP ? !trap_matches(&r.trap, text)
                        : strncmp(r.diag.msg, text, strlen(text)) != 0)
    wast_report_mismatch(s->r, c, text, why);
}

/* register LINE NAME AS */
static void exec_register(wast_session *s, const wast_cmd *c, cursor *cur) {
  char *name, *as;
  if (!next_string(cur, &name, NULL) || !need_string(cur, &as) || !at_end(cur)) {
    fail_malformed(s, c);
    return;
  }
  const mod_ref *m = resolve_module(s, c, name);
  if (!m)
    return;
  wrt_err e = wrt_linker_define_instance(s->linker, as, m->inst);
  if (e != WRT_OK)
    wast_report_fail(s->r, c, "wrt_linker_define_instance(\"%s\"): %s", as, err_name(e));
  else
    wast_report_pass(s->r, c);
}

/* ---------------------------------------------------------------- actions */

/*
** "invoke MODULE FIELD ARG..." or "get MODULE FIELD", parsed. args are
** parsed values (externrefs resolved in the store); field may contain NULs.
*/
typedef struct action {
  bool is_invoke;
  char *module; /* NULL: the current module */
  char *field;
  size_t field_len;
  wrt_val *args;
  size_t n_args;
  char what[160]; /* "invoke \"field\"" for messages */
} action;

/* The outcome of an action that ran: err is WRT_OK (vals set), WRT_ETRAP
** (trap set) or the error wrt_call reported. vals is malloc'd. */
typedef struct action_out {
  wrt_err err;
  wrt_trap trap;
  wrt_val *vals;
  size_t n;
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

/* Parses values up to the end of the line or up to and including "=>"
** (then *arrow is set); false after recording a failure. */
static bool parse_values(wast_session *s, const wast_cmd *c, cursor *cur, bool patterns,
                         wast_expected **out, size_t *n, bool *arrow) {
  *out = NULL;
  *n = 0;
  *arrow = false;
  size_t cap = 0;
  for (char *tok; (tok = next_word(cur)) != NULL;) {
    if (strcmp(tok, "=>") == 0) {
      *arrow = true;
      return true;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 4;
      *out = wast_xrealloc(*out, cap * sizeof **out);
    }
    char why[256];
    if (!wast_value_decode(tok, patterns, &s->refs, &(*out)[*n], why, sizeof why)) {
      wast_report_fail(s->r, c, "%s %zu: %s", patterns ? "expected result" : "argument", *n, why);
      free(*out);
      *out = NULL;
      return false;
    }
    (*n)++;
  }
  return true;
}

/* Parses "invoke|get MODULE FIELD ARG..." up to the end or "=>" (then
** *arrow is set). a->args is the caller's to free, also on failure. */
static bool parse_action(wast_session *s, const wast_cmd *c, cursor *cur, action *a, bool *arrow) {
  memset(a, 0, sizeof *a);
  char *type = next_word(cur);
  if (!type || (strcmp(type, "invoke") != 0 && strcmp(type, "get") != 0) ||
      !next_string(cur, &a->module, NULL) || !next_string(cur, &a->field, &a->field_len) ||
      !a->field) {
    fail_malformed(s, c);
    return false;
  }
  a->is_invoke = type[0] == 'i';
  char shown[96];
  quote_name(a->field, a->field_len, shown, sizeof shown);
  snprintf(a->what, sizeof a->what, "%s \"%s\"", type, shown);
  wast_expected *vals;
  if (!parse_values(s, c, cur, false, &vals, &a->n_args, arrow))
    return false;
  a->args = wast_xrealloc(NULL, (a->n_args ? a->n_args : 1) * sizeof *a->args);
  for (size_t i = 0; i < a->n_args; i++)
    a->args[i] = vals[i].val;
  free(vals);
  if (!a->is_invoke && a->n_args) {
    fail_malformed(s, c);
    return false;
  }
  return true;
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

/* Checks the arguments against the signature up front, so a script/runtime
** disagreement reads as such rather than as WRT_EINVAL, then calls. */
static bool invoke(wast_session *s, const wast_cmd *c, const action *a, wrt_func *fn,
                   action_out *out) {
  wrt_functype ft = wrt_func_type(s->store, fn);
  if (a->n_args != ft.n_params) {
    wast_report_fail(s->r, c, "the function takes %u arguments, the script passes %zu", ft.n_params,
                     a->n_args);
    return false;
  }
  for (size_t i = 0; i < a->n_args; i++) {
    if (a->args[i].kind != ft.params[i]) {
      wast_report_fail(s->r, c, "argument %zu is %s, the function takes %s", i,
                       wast_kind_name(a->args[i].kind), wast_kind_name(ft.params[i]));
      return false;
    }
  }
  out->n = ft.n_results;
  out->vals = calloc(out->n ? out->n : 1, sizeof *out->vals);
  if (!out->vals)
    wast_die_oom();
  /* Kinds are preset from the signature so a result the runtime leaves
  ** untouched reads as a wrong value, not as a wrong type. */
  for (size_t i = 0; i < out->n; i++)
    out->vals[i].kind = ft.results[i];
  out->err = wrt_call(s->store, fn, a->args, a->n_args, out->vals, out->n, &out->trap);
  return true;
}

/*
** Runs a parsed action. Returns false, with the outcome recorded, when it
** could not run (unknown module or export); true when it ran, whatever the
** result: that is the caller's check.
*/
static bool run_action(wast_session *s, const wast_cmd *c, const action *a, action_out *out) {
  memset(out, 0, sizeof *out);
  out->trap.func_idx = UINT32_MAX;
  const mod_ref *m = resolve_module(s, c, a->module);
  if (!m)
    return false;
  wrt_extern ext;
  if (find_export(m, a->field, a->field_len, &ext) != WRT_OK) {
    wast_report_fail(s->r, c, "%s: no such export", a->what);
    return false;
  }
  uint8_t want = a->is_invoke ? WRT_EXTERN_FUNC : WRT_EXTERN_GLOBAL;
  if (ext.kind != want) {
    wast_report_fail(s->r, c, "%s: export is of kind %u, not a %s", a->what, ext.kind,
                     a->is_invoke ? "function" : "global");
    return false;
  }
  if (a->is_invoke)
    return invoke(s, c, a, ext.of.func, out);
  out->vals = wast_xrealloc(NULL, sizeof *out->vals);
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
static void fail_call_error(wast_session *s, const wast_cmd *c, const action *a,
                            const action_out *out) {
  wast_report_fail(s->r, c, "%s: wrt_call failed: %s", a->what, err_name(out->err));
}

/* action LINE ACTION */
static void exec_action(wast_session *s, const wast_cmd *c, cursor *cur) {
  action a;
  action_out out;
  bool arrow;
  if (!parse_action(s, c, cur, &a, &arrow)) {
    free(a.args);
    return;
  }
  if (arrow) {
    fail_malformed(s, c);
  } else if (run_action(s, c, &a, &out)) {
    char buf[WHY_SIZE];
    if (out.err == WRT_OK) {
      wast_report_pass(s->r, c);
    } else if (out.err == WRT_ETRAP) {
      describe_trap(&out.trap, buf, sizeof buf);
      wast_report_fail(s->r, c, "%s: unexpected %s", a.what, buf);
    } else {
      fail_call_error(s, c, &a, &out);
    }
    free(out.vals);
  }
  free(a.args);
}

/* ---------------------------------------------------------------- assertions */

/* Compares every result, listing each one that differs. */
static void check_results(wast_session *s, const wast_cmd *c, const action *a,
                          const action_out *out, const wast_expected *e, size_t n_expected) {
  char msg[4 * WHY_SIZE];
  if (out->n != n_expected) {
    format_results(s, out, msg, sizeof msg);
    wast_report_fail(s->r, c, "%s: expected %zu results, got %zu: %s", a->what, n_expected, out->n,
                     msg);
    return;
  }
  size_t len = 0;
  msg[0] = 0;
  for (size_t i = 0; i < n_expected; i++) {
    if (wast_expected_matches(&e[i], &out->vals[i]))
      continue;
    char want[512], got[512];
    wast_expected_format(&e[i], want, sizeof want);
    wast_value_format(&out->vals[i], (wast_lane)e[i].lane, &s->refs, got, sizeof got);
    int k = snprintf(msg + len, sizeof msg - len, "%sresult %zu: expected %s, got %s",
                     len ? "; " : "", i, want, got);
    len += k > 0 ? (size_t)k : 0;
    if (len >= sizeof msg)
      break;
  }
  if (msg[0])
    wast_report_fail(s->r, c, "%s: %s", a->what, msg);
  else
    wast_report_pass(s->r, c);
}

/* assert_return LINE ACTION => EXPECTED... */
static void exec_assert_return(wast_session *s, const wast_cmd *c, cursor *cur) {
  action a;
  bool arrow;
  wast_expected *e = NULL;
  size_t n_expected = 0;
  if (!parse_action(s, c, cur, &a, &arrow)) {
    free(a.args);
    return;
  }
  if (!arrow) {
    fail_malformed(s, c);
  } else if (parse_values(s, c, cur, true, &e, &n_expected, &arrow)) {
    action_out out;
    if (arrow) {
      fail_malformed(s, c);
    } else if (run_action(s, c, &a, &out)) {
      char buf[WHY_SIZE];
      if (out.err == WRT_OK) {
        check_results(s, c, &a, &out, e, n_expected);
      } else if (out.err == WRT_ETRAP) {
        describe_trap(&out.trap, buf, sizeof buf);
        wast_report_fail(s->r, c, "%s: expected a return, got %s", a.what, buf);
      } else {
        fail_call_error(s, c, &a, &out);
      }
      free(out.vals);
    }
  }
  free(e);
  free(a.args);
}

/* assert_trap / assert_exhaustion on an action: it must trap with `text`. */
static void expect_action_trap(wast_session *s, const wast_cmd *c, cursor *cur, const char *text) {
  action a;
  action_out out;
  bool arrow;
  if (!parse_action(s, c, cur, &a, &arrow)) {
    free(a.args);
    return;
  }
  if (arrow) {
    fail_malformed(s, c);
  } else if (run_action(s, c, &a, &out)) {
    char buf[WHY_SIZE];
    if (out.err == WRT_ETRAP) {
      if (trap_matches(&out.trap, text)) {
        wast_report_pass(s->r, c);
      } else {
        describe_trap(&out.trap, buf, sizeof buf);
        wast_report_fail(s->r, c, "%s: expected trap \"%s\", got %s", a.what, text, buf);
      }
    } else if (out.err == WRT_OK) {
      format_results(s, &out, buf, sizeof buf);
      wast_report_fail(s->r, c, "%s: expected trap \"%s\", returned %s", a.what, text, buf);
    } else {
      fail_call_error(s, c, &a, &out);
    }
    free(out.vals);
  }
  free(a.args);
}

/*
** The assertions that take a text and then either an action or "module SO
** PREFIX": assert_trap has both forms (on a module, older scripts mean
** assert_uninstantiable), assert_exhaustion takes an action, and
** assert_unlinkable and assert_uninstantiable take a module.
*/
static void exec_text_assertion(wast_session *s, const wast_cmd *c, cursor *cur) {
  char *text;
  if (!need_string(cur, &text)) {
    fail_malformed(s, c);
    return;
  }
  skip_spaces(cur);
  bool on_module = strncmp(cur->p, "module ", 7) == 0;
  bool takes_action = c->kind == WAST_ASSERT_TRAP || c->kind == WAST_ASSERT_EXHAUSTION;
  bool takes_module = c->kind != WAST_ASSERT_EXHAUSTION;
  if (on_module && takes_module) {
    next_word(cur);
    expect_instantiate_error(s, c, cur, text,
                             c->kind == WAST_ASSERT_UNLINKABLE ? WRT_ELINK : WRT_ETRAP);
  } else if (!on_module && takes_action) {
    expect_action_trap(s, c, cur, text);
  } else {
    fail_malformed(s, c);
  }
}

/* ---------------------------------------------------------------- dispatch */

typedef void (*exec_fn)(wast_session *s, const wast_cmd *c, cursor *cur);

static void exec_plain_module(wast_session *s, const wast_cmd *c, cursor *cur) {
  exec_module(s, c, cur, MOD_NONE);
}

static void exec_failed_module(wast_session *s, const wast_cmd *c, cursor *cur) {
  exec_module(s, c, cur, MOD_FAILED);
}

static void exec_skipped_module(wast_session *s, const wast_cmd *c, cursor *cur) {
  exec_module(s, c, cur, MOD_SKIPPED);
}

/* The command words. module_failed and module_skipped record an outcome
** wrt-wast already counted, so that later commands on the module see it. */
static const struct {
  const char *word;
  wast_kind kind;
  exec_fn fn;
} commands[] = {
    {"module", WAST_MODULE, exec_plain_module},
    {"module_failed", WAST_MODULE, exec_failed_module},
    {"module_skipped", WAST_MODULE, exec_skipped_module},
    {"register", WAST_REGISTER, exec_register},
    {"action", WAST_ACTION, exec_action},
    {"assert_return", WAST_ASSERT_RETURN, exec_assert_return},
    {"assert_trap", WAST_ASSERT_TRAP, exec_text_assertion},
    {"assert_exhaustion", WAST_ASSERT_EXHAUSTION, exec_text_assertion},
    {"assert_unlinkable", WAST_ASSERT_UNLINKABLE, exec_text_assertion},
    {"assert_uninstantiable", WAST_ASSERT_UNINSTANTIABLE, exec_text_assertion},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

/* The command word's row, or N_COMMANDS; the word ends at a space or the end. */
static size_t command_index(const char *text) {
  size_t len = strcspn(text, " ");
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strlen(commands[i].word) == len && memcmp(text, commands[i].word, len) == 0)
      return i;
  return N_COMMANDS;
}

bool wast_line_peek(const char *text, wast_cmd *c) {
  size_t i = command_index(text);
  if (i == N_COMMANDS)
    return false;
  const char *p = text + strlen(commands[i].word);
  char *end;
  long line = strtol(p, &end, 10);
  if (*p != ' ' || end == p || (*end && *end != ' ') || line <= 0 || line > INT32_MAX)
    return false;
  c->type = commands[i].word;
  c->line = (int)line;
  c->kind = commands[i].kind;
  return true;
}

bool wast_line_script(char *text, char **name) {
  if (strncmp(text, "script ", 7) != 0)
    return false;
  cursor cur = {text + 7};
  return need_string(&cur, name) && at_end(&cur);
}

void wast_session_exec(wast_session *s, char *text) {
  wast_cmd c = {.type = "command", .line = 0, .kind = WAST_OTHER};
  size_t i = command_index(text);
  if (!wast_line_peek(text, &c)) {
    wast_report_fail(s->r, &c, "unknown or malformed command line: %.60s", text);
    return;
  }
  cursor cur = {text};
  next_word(&cur); /* the command word */
  next_word(&cur); /* the line number */
  /* module_failed and module_skipped report as the module command they stand for. */
  if (c.kind == WAST_MODULE)
    c.type = "module";
  commands[i].fn(s, &c, &cur);
}
