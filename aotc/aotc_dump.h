/*
** aotc_dump.h: text dump of a decoded module (dump.c), for `wasm2obj --dump`
** and the golden tests.
*/
#ifndef AOTC_DUMP_H
#define AOTC_DUMP_H

#include <stdio.h>

#include "aotc.h"

/* Writes the dump; false (with d set) only if a body fails to re-read. */
bool aotc_module_dump(const aotc_module *m, FILE *out, aotc_diag *d);

#endif
