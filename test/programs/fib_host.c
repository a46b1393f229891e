/* Demo host: links the object wasm2obj made from fib.wasm (descriptor
** fib__module), instantiates it with libwrt-rt and calls its exports. */
#include <stdio.h>
#include <string.h>

#include "wrt.h"

extern const wrt_module_desc fib__module;

int main(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  wrt_instance *inst;
  wrt_diag diag;
  wrt_trap trap;
  int rc = 1;
  if (wrt_instantiate(s, &fib__module, l, &inst, &diag, &trap) != WRT_OK) {
    fprintf(stderr, "instantiate: %s\n", diag.msg);
    goto out;
  }
  wrt_extern fib, format, mem;
  if (wrt_instance_export(inst, "fib", &fib) || wrt_instance_export(inst, "format", &format) ||
      wrt_instance_export(inst, "memory", &mem)) {
    fprintf(stderr, "missing export\n");
    goto out;
  }
  for (int n = 10; n <= 90; n += 40) {
    wrt_val arg = WRT_I32_VAL(n), res, addr;
    if (wrt_call(s, fib.of.func, &arg, 1, &res, 1, &trap) != WRT_OK ||
        wrt_call(s, format.of.func, &res, 1, &addr, 1, &trap) != WRT_OK) {
      fprintf(stderr, "trap: %s\n", trap.msg);
      goto out;
    }
    const char *digits = (const char *)wrt_memory_data(mem.of.memory) + (uint32_t)addr.of.i32;
    printf("fib(%d) = %s   (computed by native code compiled from WebAssembly)\n", n, digits);
  }
  rc = 0;
out:
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
  return rc;
}
