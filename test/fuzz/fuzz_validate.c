/*
** fuzz_validate.c: libFuzzer target for the front end. Each input is decoded
** and, when it decodes, validated, once with every feature on and once with
** the defaults; everything is freed. The oracle is the sanitizers plus two
** consistency checks on the diagnostics. Codegen is fuzzed elsewhere
** (fuzz_compile).
*/
#include "aotc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed call must leave a diagnostic with a message, and an offset that is
** inside the input (only out-of-memory may have none). Anything else is a bug
** worth a crash report. */
static void check_diag(const aotc_diag *d, size_t size) {
  if (d->code == AOTC_OK || d->msg[0] == '\0')
    abort();
  if (d->offset == AOTC_NO_OFFSET ? d->code != AOTC_ENOMEM : d->offset > size)
    abort();
}

static void run(const uint8_t *data, size_t size, uint32_t features) {
  aotc_options opt;
  memset(&opt, 0, sizeof opt);
  opt.features = features;
  aotc_diag d;
  aotc_diag_init(&d);
  aotc_module *m = aotc_module_decode(data, size, &opt, &d);
  if (!m) {
    check_diag(&d, size);
    return;
  }
  if (d.code != AOTC_OK)
    abort();
  if (!aotc_module_validate(m, &d))
    check_diag(&d, size);
  aotc_module_free(m);
}

/* libFuzzer hands over an exact-size heap copy, so ASan sees any read past
** the end of the input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  run(data, size, aotc_features_all());
  run(data, size, aotc_features_default());
  return 0;
}
