/*
** target.c: the targets wasm2obj supports and what each one assumes when the
** user says nothing more: CPU, ISA features (so lld links the object against
** the distro's libc: riscv64 needs the double-float ABI) and pointer width.
** It also creates the LLVM target machine of a compilation.
*/
#include "cg_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct target_info {
  cg_arch arch;
  const char *triple;
  const char *cpu;
  const char *features;
  const char *multiarch; /* Debian's name: runtime libraries live in lib/<multiarch>/ */
} target_info;

/* Four-part triples: LLVM reads a three-part "armv7-linux-gnueabihf" as vendor
** "linux" and an unknown OS, and then picks the soft-float ABI. */
static const target_info targets[] = {
    {CG_ARCH_X86_64, "x86_64-unknown-linux-gnu", "x86-64", "", "x86_64-linux-gnu"},
    {CG_ARCH_AARCH64, "aarch64-unknown-linux-gnu", "generic", "+neon", "aarch64-linux-gnu"},
    {CG_ARCH_ARM32, "armv7-unknown-linux-gnueabihf", "generic", "+armv7-a,+vfp3,+neon,+thumb2", "arm-linux-gnueabihf"},
    {CG_ARCH_RISCV64, "riscv64-unknown-linux-gnu", "generic-rv64", "+m,+a,+f,+d,+c", "riscv64-linux-gnu"},
};

/* Accepts the canonical spellings and common aliases (x86_64-pc-linux-gnu,
** x86_64-unknown-linux-gnu, arm-linux-gnueabihf, ...). */
static const target_info *find(const char *triple) {
  char arch[32] = "";
  sscanf(triple, "%31[^-]", arch);
  bool linux_gnu = strstr(triple, "linux-gnu") != NULL;
  if (!linux_gnu)
    return NULL;
  if (!strcmp(arch, "x86_64"))
    return &targets[0];
  if (!strcmp(arch, "aarch64") || !strcmp(arch, "arm64"))
    return &targets[1];
  if ((!strcmp(arch, "armv7") || !strcmp(arch, "arm") || !strcmp(arch, "armv7l")) &&
      strstr(triple, "gnueabihf"))
    return &targets[2];
  if (!strcmp(arch, "riscv64"))
    return &targets[3];
  return NULL;
}

bool cg_target_resolve(const char *triple, const char **cpu, const char **features,
                       const char **canonical, cg_arch *arch, aotc_diag *d) {
  const target_info *t = find(triple);
  if (!t)
    return aotc_diag_set(d, AOTC_EUNSUPPORTED, AOTC_NO_OFFSET,
                         "unsupported target '%s' (supported: x86_64-linux-gnu, "
                         "aarch64-linux-gnu, armv7-linux-gnueabihf, riscv64-linux-gnu)",
                         triple);
  *canonical = t->triple;
  *arch = t->arch;
  if (!*cpu)
    *cpu = t->cpu;
  if (!*features)
    *features = t->features;
  return true;
}

/* find() for a triple, or for the host's when NULL. */
static const target_info *find_or_host(const char *triple) {
  char *host = triple ? NULL : LLVMGetDefaultTargetTriple();
  const target_info *t = find(triple ? triple : host);
  LLVMDisposeMessage(host);
  return t;
}

const char *cg_target_multiarch(const char *triple) {
  const target_info *t = find_or_host(triple);
  return t ? t->multiarch : NULL;
}

unsigned cg_target_pointer_bits(const char *triple) {
  const target_info *t = find_or_host(triple);
  return !t ? 0 : t->arch == CG_ARCH_ARM32 ? 32 : 64;
}

const char *cg_target_at(unsigned i) {
  return i < sizeof targets / sizeof targets[0] ? targets[i].multiarch : NULL;
}

LLVMTargetMachineRef cg_target_machine(const cg_options *o, cg_arch *arch, aotc_diag *d) {
  cg_init();
  char *host = o->triple ? NULL : LLVMGetDefaultTargetTriple();
  const char *cpu = o->cpu, *features = o->cpu_features, *triple;
  bool ok = cg_target_resolve(o->triple ? o->triple : host, &cpu, &features, &triple, arch, d);
  LLVMDisposeMessage(host);
  if (!ok)
    return NULL;
  LLVMTargetRef target;
  char *err = NULL;
  if (LLVMGetTargetFromTriple(triple, &target, &err)) {
    aotc_diag_set(d, AOTC_EUNSUPPORTED, AOTC_NO_OFFSET, "target '%s': %s", triple, err ? err : "");
    LLVMDisposeMessage(err);
    return NULL;
  }
  LLVMCodeGenOptLevel lvl = o->opt_level <= 0   ? LLVMCodeGenLevelNone
                            : o->opt_level == 1 ? LLVMCodeGenLevelLess
                            : o->opt_level == 2 ? LLVMCodeGenLevelDefault
                                                : LLVMCodeGenLevelAggressive;
  return LLVMCreateTargetMachine(target, triple, cpu, features, lvl, LLVMRelocPIC,
                                 LLVMCodeModelDefault);
}
