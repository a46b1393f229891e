/*
** test_cg.c: unit tests of the code generator through its public interface.
**
** The compiler and the runtime agree on wrt_abi.h's layouts. For
** every supported target, codegen (cg_abi_write_asserts) prints the size and
** field offsets its LLVM struct types have on that target as C static
** assertions; clang-19 then compiles them against wrt_abi.h for that target
** (-fsyntax-only, freestanding: no cross libc needed), i.e. against the
** runtime's own `offsetof`. One case per target, plus one proving that a
** wrong offset is caught.
**
** Out of memory is a diagnostic: cg_sample.wat compiled with its Nth codegen
** allocation failing, for every N, gives "out of memory" (AOTC_ENOMEM), never a
** crash; the asan build also proves nothing leaks on those paths.
**
** Usage: test_cg [-v] [NAME-SUBSTRING]
*/
#define T_IMPLEMENTATION
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg.h"

#ifndef WRT_CLANG
#define WRT_CLANG "clang-19"
#endif

/* Writes the assertions for `target` into path (plus one false one when
** `corrupt`) and returns whether clang accepts them for that target. */
static bool layouts_agree(const char *target, const char *path, bool corrupt) {
  FILE *f = fopen(path, "w");
  if (!T_CHECK(f != NULL))
    return false;
  fprintf(f, "#include <stddef.h>\n#include \"wrt_abi.h\"\n");
  aotc_diag d;
  aotc_diag_init(&d);
  bool ok = T_CHECK(cg_abi_write_asserts(target, f, &d));
  if (corrupt)
    fprintf(f, "_Static_assert(offsetof(wrt_module_desc, counts) == 1, \"corrupt\");\n");
  fclose(f);
  if (!ok)
    return false;
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "%s --target=%s -std=c11 -ffreestanding -fsyntax-only -I%s %s%s",
           WRT_CLANG, target, WRT_ABI_INCLUDE, path, corrupt ? " 2>/dev/null" : "");
  return system(cmd) == 0;
}

static void check_target(unsigned i) {
  const char *target = cg_target_at(i);
  if (!T_CHECK(target != NULL))
    return;
  char path[] = "/tmp/wrt-abi-XXXXXX.c";
  int fd = mkstemps(path, 2);
  if (!T_CHECK(fd >= 0))
    return;
  close(fd);
  if (!layouts_agree(target, path, false))
    T_FAIL("%s: codegen's layout differs from wrt_abi.h's (see the clang errors above)", target);
  remove(path);
}

static void abi_x86_64(void) { check_target(0); }
static void abi_aarch64(void) { check_target(1); }
static void abi_armv7(void) { check_target(2); }
static void abi_riscv64(void) { check_target(3); }

static void every_target_is_tested(void) {
  T_CHECK(cg_target_at(3) != NULL);
  T_CHECK(cg_target_at(4) == NULL); /* a new target needs its case above */
}

static void wrong_offset_is_caught(void) {
  char path[] = "/tmp/wrt-abi-XXXXXX.c";
  int fd = mkstemps(path, 2);
  if (!T_CHECK(fd >= 0))
    return;
  close(fd);
  T_CHECK(!layouts_agree(cg_target_at(0), path, true));
  remove(path);
}

static uint8_t *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  uint8_t *b = malloc(1 << 16);
  *n = b ? fread(b, 1, 1 << 16, f) : 0;
  fclose(f);
  return b;
}

static void out_of_memory_is_a_diagnostic(void) {
  size_t n;
  uint8_t *bytes = read_file(WRT_CG_SAMPLE, &n);
  if (!T_CHECK(bytes != NULL && n > 0))
    return;
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_module *m = aotc_module_decode(bytes, n, NULL, &d);
  if (!T_CHECK(m && aotc_module_validate(m, &d)))
    goto done;
  char path[] = "/tmp/wrt-cg-XXXXXX.o";
  int fd = mkstemps(path, 2);
  if (!T_CHECK(fd >= 0))
    goto done;
  close(fd);
  cg_options o;
  cg_options_init(&o);
  o.opt_level = 0;
  uint64_t failures = 0;
  for (uint64_t k = 1; k < 100000; k++) {
    o.fail_alloc_after = k;
    aotc_diag_init(&d);
    if (cg_compile_object(m, &o, path, &d))
      break;
    failures++;
    if (!T_EQ_U64(d.code, AOTC_ENOMEM) || !T_EQ_STR(d.msg, "out of memory"))
      break;
  }
  T_CHECK(failures > 20); /* the sample reaches many allocation sites */
  aotc_diag_init(&d);
  o.fail_alloc_after = 0;
  T_CHECK(cg_compile_object(m, &o, path, &d));
  remove(path);
done:
  aotc_module_free(m);
  free(bytes);
}

static const t_case cases[] = {
    {"abi layout x86_64", abi_x86_64},
    {"abi layout aarch64", abi_aarch64},
    {"abi layout armv7", abi_armv7},
    {"abi layout riscv64", abi_riscv64},
    {"every target is tested", every_target_is_tested},
    {"a wrong offset is caught", wrong_offset_is_caught},
    {"out of memory is a diagnostic", out_of_memory_is_a_diagnostic},
};
T_MAIN(cases)
