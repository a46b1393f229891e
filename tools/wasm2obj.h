/*
** wasm2obj.h: the parts of the wasm2obj command shared between its files:
** wasm2obj.c (options, the pipeline, progress), wasm2obj_link.c (--exe: the
** link step) and wasm2obj_header.c (--header: the typed C header).
*/
#ifndef WASM2OBJ_H
#define WASM2OBJ_H

#include <stdbool.h>

#include "aotc.h"
#include "cg.h"

enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef struct w2o_link {
  const char *triple;  /* --target, NULL = the host */
  const char *runtime; /* --runtime=libwrt-rt.a, NULL = next to wasm2obj */
  bool is_static;      /* -static (default for cross targets) */
  bool verbose;        /* print the link command */
} w2o_link;

/* Runs argv[0] (looked up on PATH) and waits; EXIT_OK if it exits with 0,
** else EXIT_IO with a message. verbose: print the command first. */
int w2o_run(char *const *argv, bool verbose);

/* The path of an LLVM tool (clang, ld.lld) of the LLVM wasm2obj was built
** with, else "<tool>-19" to look up on PATH; written into buf. */
const char *w2o_llvm_tool(const char *tool, char *buf, size_t size);

/* Links obj (a module compiled with a WASI main) into the executable out with
** the target's libwrt-rt.a and libc. Returns an exit code; messages on stderr. */
int w2o_link_exe(const w2o_link *l, const char *obj, const char *out);

/* Compiles m into the object out, in shards on up to `jobs` threads when it
** is big (wasm2obj_shard.c). Returns EXIT_OK, -1 with *d set (a compile
** error to report), or an exit code (messages already on stderr). */
int w2o_compile(const aotc_module *m, const cg_options *cg, unsigned jobs, size_t shard_bytes,
                const char *out, aotc_diag *d);

/* Writes the typed C header for m, compiled with symbol prefix `prefix`, to
** path. Returns an exit code; messages on stderr. */
int w2o_write_header(const aotc_module *m, const char *prefix, const char *input,
                     const char *path);

#endif
