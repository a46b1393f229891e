/*
** abi.c: the compiler's side of wrt_abi.h, built from its lists. For the
** target's data layout it makes one LLVM struct type per list-declared struct
** (literal, so the layout is the target's C layout of the runtime's struct),
** records the size and every field offset (cg_abi.off.<struct>.<field>), builds
** descriptor constants with every field set by name (CG_ABI_CONST), and
** declares the libcalls from WRT_LIBCALLS. cg_abi_write_asserts prints the
** offsets as C static assertions, which test/unit/test_abi.c compiles against
** wrt_abi.h for each supported target.
*/
#include "cg_internal.h"

#include <stdio.h>
#include <stdlib.h>

#define CG_MAX_FIELDS 64
#define CG_FITS(s) _Static_assert(CG_N_##s <= CG_MAX_FIELDS, #s " has too many fields");
WRT_ABI_STRUCTS(CG_FITS)

#define CG_FIELD_KIND(kind, ctype, name) CG_KIND_##kind,
#define CG_STRUCT_KINDS(s) static const uint8_t kinds_##s[] = {WRT_FIELDS_##s(CG_FIELD_KIND)};
WRT_ABI_STRUCTS(CG_STRUCT_KINDS)

#define CG_FIELD_NAME(kind, ctype, name) #name,
#define CG_STRUCT_NAMES(s) static const char *const names_##s[] = {WRT_FIELDS_##s(CG_FIELD_NAME)};
WRT_ABI_STRUCTS(CG_STRUCT_NAMES)

#define CG_STRUCT_INFO(s) {#s, kinds_##s, names_##s, CG_N_##s},
static const struct {
  const char *name;
  const uint8_t *kinds;
  const char *const *fields;
  unsigned n;
} structs[CG_S_COUNT] = {WRT_ABI_STRUCTS(CG_STRUCT_INFO)};

#define CG_PARAM_KIND(p) CG_PARAM_KIND_ p
#define CG_PARAM_KIND_(kind, name) CG_KIND_##kind
#define CG_LIBCALL_INFO(name, ret, ...)                                                            \
  {"wrt_rt_" #name, CG_KIND_##ret, WRT_PP_NARG(__VA_ARGS__), {WRT_PP_MAP(CG_PARAM_KIND, __VA_ARGS__)}},
static const struct {
  const char *name;
  uint8_t ret, n_params, params[8];
} libcalls[CG_LC_COUNT] = {WRT_LIBCALLS(CG_LIBCALL_INFO)};

static LLVMTypeRef kind_type(const cg_abi *a, LLVMContextRef c, unsigned kind) {
  switch (kind) {
  case CG_KIND_VOID: return LLVMVoidTypeInContext(c);
  case CG_KIND_U8: return LLVMInt8TypeInContext(c);
  case CG_KIND_U32: return LLVMInt32TypeInContext(c);
  case CG_KIND_U64: return LLVMInt64TypeInContext(c);
  case CG_KIND_PTR: return LLVMPointerTypeInContext(c, 0);
  default: return a->types[kind]; /* a struct declared earlier in the list */
  }
}

/* Where the offsets of struct s go, by struct id. */
static uint32_t *offsets_of(cg_abi *a, unsigned s) {
#define CG_OFFSETS_CASE(st)                                                                        \
  case CG_S_##st: return a->off.st.at;
  switch (s) {
    WRT_ABI_STRUCTS(CG_OFFSETS_CASE)
  default: return NULL;
  }
#undef CG_OFFSETS_CASE
}

void cg_abi_init(cg_abi *a, LLVMContextRef c, LLVMTargetDataRef td) {
  for (unsigned s = 0; s < CG_S_COUNT; s++) {
    LLVMTypeRef fields[CG_MAX_FIELDS];
    for (unsigned i = 0; i < structs[s].n; i++)
      fields[i] = kind_type(a, c, structs[s].kinds[i]);
    a->types[s] = LLVMStructTypeInContext(c, fields, structs[s].n, false);
    a->sizes[s] = (uint32_t)LLVMABISizeOfType(td, a->types[s]);
    uint32_t *off = offsets_of(a, s);
    for (unsigned i = 0; i < structs[s].n; i++)
      off[i] = (uint32_t)LLVMOffsetOfElement(td, a->types[s], i);
  }
}

LLVMValueRef cg_abi_const(cg_unit *u, enum cg_abi_struct s, LLVMValueRef *at) {
  for (unsigned i = 0; i < structs[s].n; i++)
    if (!at[i]) {
      fprintf(stderr, "wasm2obj: internal error: %s.%s not set\n", structs[s].name, structs[s].fields[i]);
      abort();
    }
  return LLVMConstNamedStruct(u->abi.types[s], at, structs[s].n);
}

LLVMTypeRef cg_libcall_type(cg_unit *u, enum cg_libcall which) {
  LLVMTypeRef params[8];
  for (unsigned i = 0; i < libcalls[which].n_params; i++)
    params[i] = kind_type(&u->abi, u->ctx, libcalls[which].params[i]);
  return LLVMFunctionType(kind_type(&u->abi, u->ctx, libcalls[which].ret), params,
                          libcalls[which].n_params, false);
}

static void add_fn_attr(cg_unit *u, LLVMValueRef fn, const char *name, unsigned len) {
  LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                          LLVMCreateEnumAttribute(u->ctx, LLVMGetEnumAttributeKindForName(name, len), 0));
}

LLVMValueRef cg_libcall(cg_unit *u, enum cg_libcall which) {
  if (!u->libcalls[which]) {
    LLVMValueRef fn = LLVMAddFunction(u->mod, libcalls[which].name, cg_libcall_type(u, which));
    if (which == CG_LC_trap) {
      add_fn_attr(u, fn, "noreturn", 8);
      add_fn_attr(u, fn, "cold", 4);
    }
    u->libcalls[which] = fn;
  }
  return u->libcalls[which];
}

static void write_asserts(cg_abi *a, LLVMTargetDataRef td, FILE *out) {
  fprintf(out, "_Static_assert(sizeof(void *) == %u, \"pointer size\");\n", LLVMPointerSize(td));
  for (unsigned s = 0; s < CG_S_COUNT; s++) {
    fprintf(out, "_Static_assert(sizeof(%s) == %u, \"%s\");\n", structs[s].name, a->sizes[s],
            structs[s].name);
    const uint32_t *off = offsets_of(a, s);
    for (unsigned i = 0; i < structs[s].n; i++) {
      const char *sn = structs[s].name, *fn = structs[s].fields[i];
      unsigned long long size = LLVMABISizeOfType(td, LLVMStructGetTypeAtIndex(a->types[s], i));
      fprintf(out, "_Static_assert(offsetof(%s, %s) == %u, \"%s.%s\");\n", sn, fn, off[i], sn, fn);
      fprintf(out, "_Static_assert(sizeof(((%s *)0)->%s) == %llu, \"%s.%s size\");\n", sn, fn, size,
              sn, fn);
    }
  }
}

bool cg_abi_write_asserts(const char *triple, FILE *out, aotc_diag *d) {
  cg_options o;
  cg_options_init(&o);
  o.triple = triple;
  cg_arch arch;
  LLVMTargetMachineRef tm = cg_target_machine(&o, &arch, d);
  if (!tm)
    return false;
  LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
  LLVMContextRef ctx = LLVMContextCreate();
  cg_abi a;
  cg_abi_init(&a, ctx, td);
  write_asserts(&a, td, out);
  LLVMContextDispose(ctx);
  LLVMDisposeTargetData(td);
  LLVMDisposeTargetMachine(tm);
  return true;
}
