/*
** cg.h: the code generator's public interface: a validated aotc_module in,
** an object file out (LLVM IR per function, trampolines per signature, the
** module descriptor of wrt_abi.h as data). Internals are in cg_internal.h.
*/
#ifndef CG_H
#define CG_H

#include <stdio.h>

#include "aotc.h"

typedef struct cg_options {
  const char *triple;       /* NULL = the host's */
  const char *cpu;          /* NULL = "generic" */
  const char *cpu_features; /* NULL = "" */
  int opt_level;            /* 0..3; default 2 */
  uint8_t bounds_checks;    /* WRT_BOUNDS_GUARD (default on 64-bit) or WRT_BOUNDS_EXPLICIT */
  /* Epoch checks at function entries and loop headers (wrt_abi.h EPOCH,
  ** EPOCH_DEADLINE), recorded in the descriptor. */
  bool epoch_interruption;
  const char *name;         /* symbol prefix: the descriptor is <name>__module */
  bool debug;               /* dump the LLVM module on a verifier failure */
  /* Executables: also emit `int main(argc, argv)` that runs the module as a
  ** WASI command via wrt_wasi_main, with these options baked in
  ** (NULL-terminated, at most 256; see wrt.h). */
  bool exe_main;
  const char *const *exe_opts;
  /* Progress: called after each function is lowered and once per phase
  ** ("lower", "optimize", "emit"); NULL = quiet. */
  void (*progress)(void *ctx, const char *phase, uint32_t done, uint32_t total);
  void *progress_ctx;
  /* Sharding: emit only the function bodies of shard `shard` of `n_shards`
  ** (0 or 1: the whole module); shard 0 also holds the descriptor, the
  ** trampolines and main. The shards' objects, linked with `ld.lld -r`,
  ** make the module's object. Progress counts only this shard's functions. */
  uint32_t shard, n_shards;
  /* Tests: the Nth allocation fails (0 = never), see aotc_options. */
  uint64_t fail_alloc_after;
} cg_options;

/* Initialises LLVM's targets once per process; call it before compiling
** from several threads (cg_compile_object calls it too). */
void cg_init(void);

/* How many shards m is compiled in: one per CG_SHARD_BYTES of code, so the
** object depends only on the input (not on the number of threads). */
#define CG_SHARD_BYTES ((size_t)1 << 20)
#define CG_MAX_SHARDS 64
uint32_t cg_shard_count(const aotc_module *m, size_t shard_bytes /* 0 = CG_SHARD_BYTES */);

void cg_options_init(cg_options *o);

/* Compiles m (which must have passed aotc_module_validate) into an object file
** at out_path. Errors: AOTC_EUNSUPPORTED, AOTC_ELIMIT, AOTC_EIO, AOTC_EINTERNAL. */
bool cg_compile_object(const aotc_module *m, const cg_options *o, const char *out_path,
                       aotc_diag *d);

/* The Debian multiarch name of a target (x86_64-linux-gnu, aarch64-linux-gnu,
** arm-linux-gnueabihf, riscv64-linux-gnu), where wasm2obj --exe looks for the
** target's runtime library; NULL triple = the host; NULL if unsupported. */
const char *cg_target_multiarch(const char *triple);
/* The i-th supported target's multiarch name (as above); NULL past the end. */
const char *cg_target_at(unsigned i);
/* Writes C11 static assertions of the size and every field offset that code
** compiled for `triple` assumes of the structs of wrt_abi.h, to be compiled
** against wrt_abi.h for that target (test/unit/test_abi.c does). */
bool cg_abi_write_asserts(const char *triple, FILE *out, aotc_diag *d);
/* 32 or 64 for a supported target (NULL = the host), 0 if unsupported. */
unsigned cg_target_pointer_bits(const char *triple);

#endif
