/* app.c: calls calc.wasm through the typed header wasm2obj wrote (docs/USING.md). */
#include <stdio.h>

#include "calc.h"

void calc_import_env_log(void *env, int32_t x) {
  (void)env;
  printf("log %d\n", x);
}

/* Direct calls inside a trap scope, in a function of their own (setjmp rules:
** no local of a bigger function lives across the scope). */
static wrt_err compute(wrt_store *s, wrt_instance *inst, int32_t *r, wrt_trap *trap) {
  wrt_scope sc;
  WRT_TRY(s, &sc) {
    *r = calc_add(inst, 40, 2); /* a direct call: no trampoline, no boxing */
    printf("add: %d\n", *r);
    *r = calc_div(inst, *r, 0); /* traps: unwinds to the scope */
  }
  return wrt_scope_end(&sc, trap);
}

int main(void) {
  wrt_engine *e = wrt_engine_new();
  wrt_store *s = wrt_store_new(e);
  wrt_linker *l = wrt_linker_new(s);
  wrt_instance *inst;
  wrt_diag diag;
  wrt_trap trap;
  if (calc_define_imports(s, l, NULL) != WRT_OK ||
      calc_instantiate(s, l, &inst, &diag, &trap) != WRT_OK) {
    fprintf(stderr, "%s\n", diag.msg);
    return 1;
  }
  int32_t r = 0;
  if (compute(s, inst, &r, &trap) == WRT_ETRAP) {
    char text[1024];
    wrt_trap_format(&trap, text, sizeof text);
    fputs(text, stdout);
  }
  printf("r = %d\n", r);
  wrt_linker_free(l);
  wrt_store_free(s);
  wrt_engine_free(e);
  return 0;
}
