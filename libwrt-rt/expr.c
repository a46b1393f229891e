/*
** expr.c: the constant-expression evaluator used at instantiation (global
** initialisers, segment offsets, element items). Input is validated, so it
** only guards against running off the bytes or the small operand stack; it
** does not type-check.
*/
#include <string.h>

#include "rt_internal.h"

/* Extended-const expressions nest binary operators; deeper ones than this
** are refused rather than recursed into. */
#define EXPR_STACK 32

typedef struct reader {
  const uint8_t *p, *end;
} reader;

static bool read_bytes(reader *r, void *out, size_t n) {
  if ((size_t)(r->end - r->p) < n)
    return false;
  memcpy(out, r->p, n);
  r->p += n;
  return true;
}

/* LEB128 of at most `bits` bits, sign-extended when is_signed. */
static bool read_leb(reader *r, unsigned bits, bool is_signed, uint64_t *out) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    if (r->p == r->end || shift >= bits + 7)
      return false;
    b = *r->p++;
    if (shift < 64)
      v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (is_signed && shift < 64 && (b & 0x40))
    v |= ~UINT64_C(0) << shift;
  *out = v;
  return true;
}

static bool read_u32(reader *r, uint32_t *out) {
  uint64_t v;
  if (!read_leb(r, 32, false, &v) || v > UINT32_MAX)
    return false;
  *out = (uint32_t)v;
  return true;
}

/* Applies an i32/i64 add/sub/mul (extended-const) to the top two slots,
** wrapping as Wasm integers do. */
static bool binop(uint8_t op, wrt_raw *stack, size_t *sp) {
  if (*sp < 2)
    return false;
  wrt_raw *a = &stack[*sp - 2], *b = &stack[*sp - 1];
  uint32_t x32 = (uint32_t)a->i32, y32 = (uint32_t)b->i32;
  uint64_t x64 = (uint64_t)a->i64, y64 = (uint64_t)b->i64;
  wrt_raw r;
  memset(&r, 0, sizeof r);
  switch (op) {
  case 0x6a: r.i32 = (int32_t)(x32 + y32); break;
  case 0x6b: r.i32 = (int32_t)(x32 - y32); break;
  case 0x6c: r.i32 = (int32_t)(x32 * y32); break;
  case 0x7c: r.i64 = (int64_t)(x64 + y64); break;
  case 0x7d: r.i64 = (int64_t)(x64 - y64); break;
  case 0x7e: r.i64 = (int64_t)(x64 * y64); break;
  default: return false;
  }
  *a = r;
  (*sp)--;
  return true;
}

/* Decodes one instruction other than `end` and pushes its value. */
static bool eval_instr(const wrt_instance *inst, uint8_t op, reader *r, wrt_raw *v) {
  uint64_t x;
  uint32_t idx;
  memset(v, 0, sizeof *v);
  switch (op) {
  case 0x41: /* i32.const */
    if (!read_leb(r, 32, true, &x))
      return false;
    v->i32 = (int32_t)(uint32_t)x;
    return true;
  case 0x42: /* i64.const */
    if (!read_leb(r, 64, true, &x))
      return false;
    v->i64 = (int64_t)x;
    return true;
  case 0x43: return read_bytes(r, &v->f32, 4); /* little-endian hosts */
  case 0x44: return read_bytes(r, &v->f64, 8);
  case 0xfd: /* v128.const: prefix, then the sub-opcode 12 as a u32 LEB */
    return read_u32(r, &idx) && idx == 12 && read_bytes(r, v->v128, 16);
  case 0xd0: /* ref.null t: the heap type is an s33 */
    return read_leb(r, 33, true, &x);
  case 0xd2: /* ref.func */
    if (!inst || !read_u32(r, &idx) || idx >= inst->desc->n_funcs)
      return false;
    v->ref = wrt_instance_func(inst, idx);
    return true;
  case 0x23: /* global.get: imports (and earlier globals with extended-const) */
    if (!inst || !read_u32(r, &idx) || idx >= inst->desc->n_globals || !inst->globals[idx])
      return false;
    *v = *inst->globals[idx]->storage;
    return true;
  }
  return false;
}

bool wrt_expr_ref_func(const wrt_expr *e, uint32_t *func_idx) {
  if (!e->bytes || e->len < 3 || e->bytes[0] != 0xd2)
    return false;
  reader r = {e->bytes + 1, e->bytes + e->len};
  return read_u32(&r, func_idx) && r.p + 1 == r.end && *r.p == 0x0b;
}

bool wrt_expr_eval(const wrt_instance *inst, const wrt_expr *e, wrt_raw *out) {
  wrt_raw stack[EXPR_STACK];
  size_t sp = 0;
  uint32_t f;
  if (inst && wrt_expr_ref_func(e, &f)) { /* the common element item, 10,000s per table */
    if (f >= inst->desc->n_funcs)
      return false;
    memset(out, 0, sizeof *out);
    out->ref = wrt_instance_func(inst, f);
    return true;
  }
  if (!e->bytes)
    return false;
  reader r = {e->bytes, e->bytes + e->len};
  while (r.p < r.end) {
    uint8_t op = *r.p++;
    if (op == 0x0b) {
      if (sp != 1)
        return false;
      *out = stack[0];
      return true;
    }
    if ((op >= 0x6a && op <= 0x6c) || (op >= 0x7c && op <= 0x7e)) {
      if (!binop(op, stack, &sp))
        return false;
      continue;
    }
    if (sp == EXPR_STACK || !eval_instr(inst, op, &r, &stack[sp]))
      return false;
    sp++;
  }
  return false; /* no `end` */
}
