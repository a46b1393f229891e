/*
** decode.h: state shared by the decoder's files (decode.c: module and
** sections; decode_code.c: element, code and data sections, constant
** expressions and the structural scan of bodies; names.c: custom sections).
** Internal to aotc/.
*/
#ifndef AOTC_DECODE_H
#define AOTC_DECODE_H

#include "arena.h"
#include "instr.h"

/* Import descriptors, kept until the index spaces are built. */
typedef union aotc_import_desc {
  uint32_t type_idx;
  aotc_table table;
  aotc_memory mem;
  aotc_globaltype global;
} aotc_import_desc;

typedef struct aotc_decoder {
  aotc_module *m;
  aotc_reader r;
  uint32_t features;
  aotc_import_desc *import_desc;
  size_t section_off; /* offset of the current section's id byte */
  uint8_t last_id;    /* last non-custom section seen */
  uint32_t customs_cap;
  size_t first_data_use; /* offset of the first memory.init/data.drop, 0 = none */
  size_t data_count_off; /* offset of the data count section's id byte */
  bool has_data_section;
} aotc_decoder;

void *aotc_dec_alloc(aotc_decoder *dc, size_t n, size_t size);
bool aotc_dec_const_expr(aotc_decoder *dc, aotc_slice *out);
bool aotc_dec_elems(aotc_decoder *dc);
bool aotc_dec_code(aotc_decoder *dc);
bool aotc_dec_datas(aotc_decoder *dc);
bool aotc_dec_custom(aotc_decoder *dc);

#endif
