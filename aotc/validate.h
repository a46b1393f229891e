/*
** validate.h: state shared by the module-level validator (validate.c) and the
** function-body type checker (validate_func.c). Internal to aotc/.
*/
#ifndef AOTC_VALIDATE_H
#define AOTC_VALIDATE_H

#include "arena.h"
#include "instr.h"

typedef struct aotc_validator {
  aotc_module *m;
  aotc_diag *diag;
  uint8_t *refs; /* bitset over func_idx: C.refs, functions that ref.func may name */
} aotc_validator;

static inline bool aotc_val_ref_declared(const aotc_validator *v, uint32_t func_idx) {
  return (v->refs[func_idx >> 3] >> (func_idx & 7)) & 1;
}

/* Address type of memory mem_idx (i32, or i64 under memory64). */
static inline aotc_valtype aotc_mem_addr_type(const aotc_module *m, uint32_t mem_idx) {
  return m->memories[mem_idx].lim.is64 ? AOTC_I64 : AOTC_I32;
}

/* Type-checks every function body; fills aotc_code.max_stack. */
bool aotc_validate_funcs(aotc_validator *v);

#endif
