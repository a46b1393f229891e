/*
** unit.c: one compilation. Owns the LLVM context, module, builder and target
** machine (created and disposed here, in reverse order), declares every
** function and libcall, emits the bodies (func.c), the descriptor
** (descriptor.c), runs the pass pipeline and writes the object file.
*/
#include "cg_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

void cg_options_init(cg_options *o) {
  memset(o, 0, sizeof *o);
  o->opt_level = 2;
  o->bounds_checks = sizeof(void *) == 8 ? WRT_BOUNDS_GUARD : WRT_BOUNDS_EXPLICIT;
  o->name = "module";
}

void cg_symbol(cg_unit *u, char *buf, size_t size, const char *what, uint32_t idx) {
  if (idx == UINT32_MAX)
    snprintf(buf, size, "%s__%s", u->opt->name, what);
  else
    snprintf(buf, size, "%s__%s%u", u->opt->name, what, idx);
}

LLVMValueRef cg_const_i32(cg_unit *u, uint32_t v) {
  return LLVMConstInt(u->i32, v, false);
}

LLVMValueRef cg_const_i64(cg_unit *u, uint64_t v) {
  return LLVMConstInt(u->i64, v, false);
}

LLVMTypeRef cg_valtype(cg_unit *u, aotc_valtype t) {
  switch (t) {
  case AOTC_I32: return u->i32;
  case AOTC_I64: return u->i64;
  case AOTC_F32: return u->f32;
  case AOTC_F64: return u->f64;
  case AOTC_V128: return u->v128;
  default: return u->ptr; /* funcref, externref */
  }
}

/* ------------------------------------------------------------ memory */

_Noreturn void cg_out_of_memory(cg_unit *u) {
  if (u->diag->code == AOTC_OK)
    aotc_diag_set(u->diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
  longjmp(u->oom, 1);
}

void *cg_alloc(cg_unit *u, size_t n, size_t size) {
  void *p = aotc_arena_alloc(u->arena, n ? n : 1, size, u->diag);
  if (!p)
    cg_out_of_memory(u);
  return p;
}

void *cg_grow(cg_unit *u, void *p, size_t *cap, size_t size) {
  size_t n = *cap ? *cap * 2 : 16;
  void *np = cg_alloc(u, n, size);
  if (*cap)
    memcpy(np, p, *cap * size);
  *cap = n;
  return np;
}

static void init_targets(void) {
  LLVMInitializeAllTargetInfos();
  LLVMInitializeAllTargets();
  LLVMInitializeAllTargetMCs();
  LLVMInitializeAllAsmPrinters();
}

void cg_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT; /* LLVM's target registry is process-wide */
  pthread_once(&once, init_targets);
}

static size_t code_bytes(const aotc_module *m, uint32_t def_idx) {
  return m->codes[def_idx].body.len;
}

uint32_t cg_shard_count(const aotc_module *m, size_t shard_bytes) {
  size_t total = 0;
  for (uint32_t i = 0; i < m->n_codes; i++)
    total += code_bytes(m, i);
  size_t n = total / (shard_bytes ? shard_bytes : CG_SHARD_BYTES);
  n = n < 1 ? 1 : n > CG_MAX_SHARDS ? CG_MAX_SHARDS : n;
  return (uint32_t)(n < m->n_codes ? n : m->n_codes ? m->n_codes : 1);
}

/* The defined functions [*lo, *hi) of shard k of n: contiguous, cut where the
** running code size crosses k/n of the total. */
static void shard_range(const aotc_module *m, uint32_t k, uint32_t n, uint32_t *lo, uint32_t *hi) {
  if (n <= 1) {
    *lo = 0, *hi = m->n_codes;
    return;
  }
  size_t total = 0, run = 0;
  for (uint32_t i = 0; i < m->n_codes; i++)
    total += code_bytes(m, i);
  uint32_t i = 0;
  for (; i < m->n_codes && run * n < total * k; i++)
    run += code_bytes(m, i);
  *lo = i;
  for (; i < m->n_codes && run * n < total * (k + 1); i++)
    run += code_bytes(m, i);
  *hi = k + 1 == n ? m->n_codes : i;
}

static bool target_init(cg_unit *u) {
  u->tm = cg_target_machine(u->opt, &u->arch, u->diag);
  if (!u->tm)
    return false;
  char *triple = LLVMGetTargetMachineTriple(u->tm);
  LLVMSetTarget(u->mod, triple);
  LLVMDisposeMessage(triple);
  u->td = LLVMCreateTargetDataLayout(u->tm);
  LLVMSetModuleDataLayout(u->mod, u->td);
  u->ptr_size = LLVMPointerSize(u->td);
  /* A 4 GiB reservation is impossible with 32-bit pointers: explicit checks. */
  u->bounds_checks = u->ptr_size < 8 ? WRT_BOUNDS_EXPLICIT : u->opt->bounds_checks;
  return true;
}

static void types_init(cg_unit *u) {
  LLVMContextRef c = u->ctx;
  u->i1 = LLVMInt1TypeInContext(c);
  u->i8 = LLVMInt8TypeInContext(c);
  u->i16 = LLVMInt16TypeInContext(c);
  u->i32 = LLVMInt32TypeInContext(c);
  u->i64 = LLVMInt64TypeInContext(c);
  u->f32 = LLVMFloatTypeInContext(c);
  u->f64 = LLVMDoubleTypeInContext(c);
  u->v128 = LLVMVectorType(u->i64, 2);
  u->ptr = LLVMPointerTypeInContext(c, 0);
  u->void_t = LLVMVoidTypeInContext(c);
  u->intptr = LLVMIntTypeInContext(c, u->ptr_size * 8);
  u->invariant_kind = LLVMGetMDKindIDInContext(c, "invariant.load", 14);
  u->nonnull_kind = LLVMGetMDKindIDInContext(c, "nonnull", 7);
  u->empty_md = LLVMMetadataAsValue(c, LLVMMDNodeInContext2(c, NULL, 0));
  cg_abi_init(&u->abi, c, u->td);
}

/* Frames of more than a page are probed page by page from the top where
** LLVM 19 can (x86_64, aarch64): a frame too big for the stack left then
** faults in the guard page under the stack, which the runtime turns into "call
** stack exhausted", and never reaches past it into another mapping. riscv64
** and armv7 rely on the prologue check alone (docs/ABI.md). */
static bool stack_probes(const cg_unit *u) {
  return u->arch == CG_ARCH_X86_64 || u->arch == CG_ARCH_AARCH64;
}

/* Frames above this many bytes are reported by the back end on targets
** without stack probes: half the runtime's margin below the stack limit
** (call.c's STACK_MARGIN), which smaller frames never leave. */
#define BIG_FRAME "32768"

static void add_fn_attrs(cg_unit *u, LLVMValueRef fn) {
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                          LLVMCreateStringAttribute(u->ctx, "frame-pointer", 13, "all", 3));
  if (stack_probes(u))
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(u->ctx, "probe-stack", 11, "inline-asm", 10));
  else
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(u->ctx, "warn-stack-size", 15, BIG_FRAME,
                                                      sizeof BIG_FRAME - 1));
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(u->ctx, LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(u->ctx, LLVMGetEnumAttributeKindForName("uwtable", 7), 2));
}

/* Declares every defined function (hidden, in section wrt_text) and the
** wasm-call type of every signature. */
static bool declare_funcs(cg_unit *u) {
  const aotc_module *m = u->m;
  u->func_types = cg_alloc(u, m->n_types, sizeof *u->func_types);
  u->funcs = cg_alloc(u, m->n_funcs, sizeof *u->funcs);
  u->entry_tramps = cg_alloc(u, m->n_types, sizeof *u->entry_tramps);
  u->exit_tramps = cg_alloc(u, m->n_types, sizeof *u->exit_tramps);
  for (uint32_t t = 0; t < m->n_types; t++)
    u->func_types[t] = cg_wasm_functype(u, &m->types[t]);
  for (uint32_t i = m->n_func_imports; i < m->n_funcs; i++) {
    char name[256];
    cg_symbol(u, name, sizeof name, "func", i);
    LLVMValueRef fn = LLVMAddFunction(u->mod, name, u->func_types[m->func_types[i]]);
    LLVMSetVisibility(fn, LLVMHiddenVisibility);
    LLVMSetSection(fn, "wrt_text");
    add_fn_attrs(u, fn);
    cg_epoch_mark(u, fn);
    /* The RISC-V C ABI has 32-bit results sign-extended by the callee, and C
    ** callers rely on it: typed header calls (--header) are C calls. */
    const aotc_functype *ft = &m->types[m->func_types[i]];
    if (u->arch == CG_ARCH_RISCV64 && ft->n_results == 1 && ft->results[0] == AOTC_I32)
      LLVMAddAttributeAtIndex(fn, LLVMAttributeReturnIndex,
                              LLVMCreateEnumAttribute(u->ctx, LLVMGetEnumAttributeKindForName("signext", 7), 0));
    u->funcs[i] = fn;
  }
  return true;
}

/* Trampolines carry the same attributes and section as functions. */
void cg_tramp_attrs(cg_unit *u, LLVMValueRef fn) {
  LLVMSetVisibility(fn, LLVMHiddenVisibility);
  LLVMSetSection(fn, "wrt_text");
  add_fn_attrs(u, fn);
}

static bool run_passes(cg_unit *u) {
  const char *pipeline = u->opt->opt_level <= 0   ? "default<O0>"
                         : u->opt->opt_level == 1 ? "default<O1>"
                         : u->opt->opt_level == 2 ? "default<O2>"
                                                  : "default<O3>";
  LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
  LLVMErrorRef e = LLVMRunPasses(u->mod, pipeline, u->tm, po);
  LLVMDisposePassBuilderOptions(po);
  if (e) {
    char *msg = LLVMGetErrorMessage(e);
    aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "LLVM pass pipeline failed: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return false;
  }
  return true;
}

static bool verify(cg_unit *u) {
  char *err = NULL;
  if (LLVMVerifyModule(u->mod, LLVMReturnStatusAction, &err)) {
    aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "LLVM verifier: %.200s", err);
    if (u->opt->debug)
      LLVMDumpModule(u->mod);
    LLVMDisposeMessage(err);
    return false;
  }
  LLVMDisposeMessage(err);
  return true;
}

static bool write_object(cg_unit *u, const char *path) {
  char *err = NULL;
  LLVMMemoryBufferRef buf;
  if (LLVMTargetMachineEmitToMemoryBuffer(u->tm, u->mod, LLVMObjectFile, &err, &buf)) {
    aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "object emission failed: %s", err);
    LLVMDisposeMessage(err);
    return false;
  }
  FILE *fp = fopen(path, "wb");
  size_t n = LLVMGetBufferSize(buf);
  bool ok = fp && fwrite(LLVMGetBufferStart(buf), 1, n, fp) == n;
  if (fp && fclose(fp) != 0)
    ok = false;
  LLVMDisposeMemoryBuffer(buf);
  if (u->backend_failed)
    return false; /* the diagnostic handler set the message */
  if (!ok)
    return aotc_diag_set(u->diag, AOTC_EIO, AOTC_NO_OFFSET, "cannot write %s", path);
  return true;
}

/* ------------------------------------------------------------ big frames */

uint64_t cg_known_frame(const cg_unit *u, LLVMValueRef fn) {
  size_t len;
  const char *name = LLVMGetValueName2(fn, &len);
  for (size_t i = 0; u->known && i < u->known->n; i++)
    if (strlen(u->known->v[i].name) == len && !memcmp(u->known->v[i].name, name, len))
      return u->known->v[i].bytes;
  return 0;
}

/* The back end's "stack frame size (N) exceeds limit (M) in function 'F'"
** (from the warn-stack-size attribute) becomes an entry of u->found; an
** error fails the compilation with its text (without a handler LLVM would
** print it and exit); warnings and remarks are dropped. */
static void on_diagnostic(LLVMDiagnosticInfoRef di, void *ctx) {
  cg_unit *u = ctx;
  char *text = LLVMGetDiagInfoDescription(di);
  if (LLVMGetDiagInfoSeverity(di) == LLVMDSError && !u->backend_failed) {
    u->backend_failed = true;
    aotc_diag_set(u->diag, AOTC_EINTERNAL, AOTC_NO_OFFSET, "code generation: %s",
                  text ? text : "error");
  }
  unsigned long long bytes = 0;
  char name[64];
  const char *at = text ? strstr(text, "stack frame size (") : NULL;
  size_t nlen;
  /* A NAME.body is the body of a function already checked by its wrapper. */
  if (at && u->found &&
      sscanf(at, "stack frame size (%llu) exceeds limit (%*u) in function '%63[^']'", &bytes,
             name) == 2 &&
      !((nlen = strlen(name)) > 5 && !strcmp(name + nlen - 5, ".body"))) {
    cg_frames *fr = u->found;
    if (fr->n == fr->cap) {
      size_t cap = fr->cap ? fr->cap * 2 : 8;
      cg_frame_size *v = realloc(fr->v, cap * sizeof *v);
      if (v)
        fr->v = v, fr->cap = cap;
    }
    if (fr->n < fr->cap) {
      memcpy(fr->v[fr->n].name, name, sizeof name);
      fr->v[fr->n++].bytes = bytes;
    }
  }
  LLVMDisposeMessage(text);
}

static void layout_init(cg_unit *u) {
  const aotc_module *m = u->m;
  u->counts = (wrt_vmctx_counts){
      .n_memories = m->n_memories,
      .n_tables = m->n_tables,
      .n_global_imports = m->n_global_imports,
      .n_func_imports = m->n_func_imports,
      .n_types = m->n_types,
      .n_globals_def = m->n_globals - m->n_global_imports,
      .n_funcs_def = m->n_funcs - m->n_func_imports,
  };
  u->layout = wrt_vmctx_layout_for(&u->counts, u->ptr_size);
}

static void unit_free(cg_unit *u) {
  if (u->b)
    LLVMDisposeBuilder(u->b);
  if (u->mod)
    LLVMDisposeModule(u->mod);
  if (u->td)
    LLVMDisposeTargetData(u->td);
  if (u->tm)
    LLVMDisposeTargetMachine(u->tm);
  if (u->ctx)
    LLVMContextDispose(u->ctx);
  aotc_arena_free(u->arena);
  free(u);
}

static void progress(cg_unit *u, const char *phase, uint32_t done, uint32_t total) {
  if (u->opt->progress)
    u->opt->progress(u->opt->progress_ctx, phase, done, total);
}

/* Everything after the unit is set up; out of memory unwinds to the caller. */
static bool compile(cg_unit *u, const char *out_path) {
  const cg_options *o = u->opt;
  bool ok = target_init(u);
  if (ok) {
    types_init(u);
    layout_init(u);
    ok = declare_funcs(u);
  }
  uint32_t lo, hi;
  shard_range(u->m, o->shard, o->n_shards, &lo, &hi);
  for (uint32_t i = lo; ok && i < hi; i++) {
    ok = cg_func_emit(u, i);
    progress(u, "lower", i + 1 - lo, hi - lo);
  }
  if (o->shard == 0)
    ok = ok && cg_descriptor_emit(u) && cg_cabi_emit(u) && (!o->exe_main || cg_exe_main_emit(u));
  ok = ok && verify(u);
  if (ok)
    progress(u, "optimize", 0, 1);
  ok = ok && run_passes(u);
  if (ok && o->epoch_interruption) {
    cg_epoch_insert(u);
    ok = verify(u);
  }
  if (ok)
    progress(u, "emit", 0, 1);
  return ok && write_object(u, out_path);
}

/* One pass: a fresh unit (context, module, arena) compiling m. Frames the
** back end reports as big go to found; known are those of an earlier pass. */
static bool compile_pass(const aotc_module *m, const cg_options *o, const char *out_path,
                         aotc_diag *d, const cg_frames *known, cg_frames *found) {
  /* On the heap: the unit changes between setjmp and a longjmp back to it. */
  cg_unit *u = calloc(1, sizeof *u);
  aotc_arena *arena = aotc_arena_new(o->fail_alloc_after);
  if (!u || !arena) {
    free(u);
    aotc_arena_free(arena);
    return aotc_diag_set(d, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
  }
  u->m = m, u->opt = o, u->diag = d, u->arena = arena;
  u->known = known, u->found = found;
  u->ctx = LLVMContextCreate();
  LLVMContextSetDiagnosticHandler(u->ctx, on_diagnostic, u);
  u->mod = LLVMModuleCreateWithNameInContext(o->name, u->ctx);
  u->b = LLVMCreateBuilderInContext(u->ctx);
  bool ok = false;
  if (setjmp(u->oom) == 0)
    ok = compile(u, out_path);
  unit_free(u);
  return ok;
}

/* Targets without stack probes: when the back end reports frames bigger
** than the runtime's margin, the module is compiled again with those
** frames checked in their prologues (func.c); rare, so the second pass costs
** nothing for ordinary modules. Three passes at most: a check can only grow
** a frame by a little, and the check allows for an eighth more. */
bool cg_compile_object(const aotc_module *m, const cg_options *o, const char *out_path,
                       aotc_diag *d) {
  cg_frames known = {0}, found = {0};
  bool ok = compile_pass(m, o, out_path, d, NULL, &found);
  for (int pass = 1; ok && found.n > 0 && pass < 3; pass++) {
    for (size_t i = 0; i < found.n; i++) { /* merge: known keeps the largest size per name */
      size_t j = 0;
      while (j < known.n && strcmp(known.v[j].name, found.v[i].name) != 0)
        j++;
      if (j == known.n) {
        cg_frame_size *v = realloc(known.v, (known.n + 1) * sizeof *v);
        if (!v) {
          ok = aotc_diag_set(d, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
          break;
        }
        known.v = v, known.v[known.n++] = found.v[i];
      } else if (found.v[i].bytes <= known.v[j].bytes + known.v[j].bytes / 8) {
        continue; /* checked with enough slack already */
      } else {
        known.v[j].bytes = found.v[i].bytes;
      }
    }
    found.n = 0;
    ok = ok && compile_pass(m, o, out_path, d, &known, &found);
    /* Frames found again within their checked size need no further pass. */
    size_t left = 0;
    for (size_t i = 0; i < found.n; i++) {
      uint64_t k = 0;
      for (size_t j = 0; j < known.n; j++)
        if (!strcmp(known.v[j].name, found.v[i].name))
          k = known.v[j].bytes;
      if (found.v[i].bytes > k + k / 8)
        found.v[left++] = found.v[i];
    }
    found.n = left;
  }
  free(known.v);
  free(found.v);
  return ok;
}
