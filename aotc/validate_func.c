/*
** validate_func.c: the function-body type checker (spec: validation,
** instructions, and the appendix's validation algorithm): an operand stack of
** value types with an "unknown" bottom type for unreachable code, and a
** control stack of frames. Simple instructions are typed from the signature
** column of opcodes.def; the rest have a rule each below.
*/
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#define UNKNOWN 0 /* the bottom type of the polymorphic stack */

typedef struct frame {
  aotc_op op;
  uint32_t n_in, n_out;
  const aotc_valtype *in, *out;
  size_t height;
  bool unreachable;
} frame;

/*
** Invariants: vals[0..n_vals) is the operand stack of the whole function;
** frames[i].height is the operand height when frame i was entered, so a
** frame may pop only down to its own height. Buffers are reused across
** functions and freed once at the end.
*/
/* An opcodes.def signature, pre-parsed once per validation run. ADDR stands
** for the address type of the instruction's memory. */
#define ADDR 1
typedef struct sig {
  uint8_t n_pop, n_push;
  aotc_valtype pop[3], push[1];
} sig;

typedef struct fcheck {
  aotc_validator *v;
  sig sigs[AOTC_OP_COUNT];
  aotc_module *m;
  aotc_reader r;
  aotc_valtype *vals;
  size_t n_vals, cap_vals, max_vals;
  frame *frames;
  size_t n_frames, cap_frames;
  /* Locals: params individually, then the declaration runs with prefix sums. */
  const aotc_functype *ft;
  const aotc_code *code;
  uint64_t *run_end; /* run_end[i] = n_params + sum of counts of runs 0..i */
  size_t cap_runs;
  aotc_valtype single[256]; /* storage for one-value block types, by type code */
} fcheck;

static bool mismatch(fcheck *c, size_t off, const char *what) {
  return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "type mismatch%s%s", what[0] ? ": " : "",
                       what);
}

static bool push(fcheck *c, aotc_valtype t) {
  if (c->n_vals == c->cap_vals) {
    size_t cap = c->cap_vals ? c->cap_vals * 2 : 256;
    aotc_valtype *nv = realloc(c->vals, cap);
    if (!nv)
      return aotc_diag_set(c->v->diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
    c->vals = nv, c->cap_vals = cap;
  }
  c->vals[c->n_vals++] = t;
  if (c->n_vals > c->max_vals)
    c->max_vals = c->n_vals;
  return true;
}

static bool pop(fcheck *c, size_t off, aotc_valtype *out) {
  frame *f = &c->frames[c->n_frames - 1];
  if (c->n_vals == f->height) {
    if (f->unreachable) {
      *out = UNKNOWN;
      return true;
    }
    return mismatch(c, off, "operand stack underflow");
  }
  *out = c->vals[--c->n_vals];
  return true;
}

static bool pop_expect(fcheck *c, size_t off, aotc_valtype want) {
  aotc_valtype t = UNKNOWN;
  if (!pop(c, off, &t))
    return false;
  if (t != want && t != UNKNOWN && want != UNKNOWN)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "type mismatch: expected %s, got %s",
                         aotc_valtype_name(want), aotc_valtype_name(t));
  return true;
}

static bool pop_types(fcheck *c, size_t off, uint32_t n, const aotc_valtype *ts) {
  for (uint32_t i = n; i-- > 0;)
    if (!pop_expect(c, off, ts[i]))
      return false;
  return true;
}

static bool push_types(fcheck *c, uint32_t n, const aotc_valtype *ts) {
  for (uint32_t i = 0; i < n; i++)
    if (!push(c, ts[i]))
      return false;
  return true;
}

static bool push_frame(fcheck *c, aotc_op op, uint32_t n_in, const aotc_valtype *in,
                       uint32_t n_out, const aotc_valtype *out) {
  if (c->n_frames == c->cap_frames) {
    size_t cap = c->cap_frames ? c->cap_frames * 2 : 64;
    frame *nf = realloc(c->frames, cap * sizeof *nf);
    if (!nf)
      return aotc_diag_set(c->v->diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
    c->frames = nf, c->cap_frames = cap;
  }
  c->frames[c->n_frames++] = (frame){op, n_in, n_out, in, out, c->n_vals, false};
  return push_types(c, n_in, in);
}

/* Pops the frame's results and checks nothing else is left above its height. */
static bool pop_frame(fcheck *c, size_t off, frame *out) {
  frame *f = &c->frames[c->n_frames - 1];
  if (!pop_types(c, off, f->n_out, f->out))
    return false;
  if (c->n_vals != f->height)
    return mismatch(c, off, "values remaining on the stack at end of block");
  *out = *f;
  c->n_frames--;
  return true;
}

static void set_unreachable(fcheck *c) {
  frame *f = &c->frames[c->n_frames - 1];
  c->n_vals = f->height;
  f->unreachable = true;
}

/* Types a branch to label l carries: a loop's parameters, else the results. */
static void label_types(const frame *f, uint32_t *n, const aotc_valtype **ts) {
  if (f->op == AOTC_OP_LOOP)
    *n = f->n_in, *ts = f->in;
  else
    *n = f->n_out, *ts = f->out;
}

static bool get_label(fcheck *c, size_t off, uint32_t l, const frame **f) {
  if (l >= c->n_frames)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown label %u", l);
  *f = &c->frames[c->n_frames - 1 - l];
  return true;
}

/* ------------------------------------------------------------ locals */

static bool local_type(fcheck *c, size_t off, uint32_t idx, aotc_valtype *t) {
  if (idx < c->ft->n_params) {
    *t = c->ft->params[idx];
    return true;
  }
  uint32_t n = c->code->n_decls;
  if (n == 0 || idx >= c->run_end[n - 1])
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown local %u", idx);
  uint32_t lo = 0, hi = n - 1; /* first run whose end exceeds idx */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->run_end[mid] > idx)
      hi = mid;
    else
      lo = mid + 1;
  }
  *t = c->code->decls[lo].type;
  return true;
}

static bool setup_locals(fcheck *c) {
  uint32_t n = c->code->n_decls;
  if (n > c->cap_runs) {
    uint64_t *nr = realloc(c->run_end, n * sizeof *nr);
    if (!nr)
      return aotc_diag_set(c->v->diag, AOTC_ENOMEM, AOTC_NO_OFFSET, "out of memory");
    c->run_end = nr, c->cap_runs = n;
  }
  uint64_t sum = c->ft->n_params;
  for (uint32_t i = 0; i < n; i++) {
    sum += c->code->decls[i].count;
    c->run_end[i] = sum;
  }
  return true;
}

/* ------------------------------------------------------------ rules */

static bool block_type(fcheck *c, const aotc_instr *in, uint32_t *n_in, const aotc_valtype **ins,
                       uint32_t *n_out, const aotc_valtype **outs) {
  int64_t bt = in->u.block_type;
  *n_in = 0, *ins = NULL;
  if (bt == AOTC_BLOCK_EMPTY) {
    *n_out = 0, *outs = NULL;
  } else if (bt < 0) { /* a value type */
    aotc_valtype code = aotc_block_valtype(bt);
    c->single[code] = code;
    *n_out = 1, *outs = &c->single[code];
  } else {
    if ((uint64_t)bt >= c->m->n_types)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "unknown type %u", (unsigned)bt);
    const aotc_functype *ft = &c->m->types[bt];
    *n_in = ft->n_params, *ins = ft->params;
    *n_out = ft->n_results, *outs = ft->results;
  }
  return true;
}

static bool op_block(fcheck *c, const aotc_instr *in) {
  uint32_t ni = 0, no = 0;
  const aotc_valtype *ins = NULL, *outs = NULL;
  if (!block_type(c, in, &ni, &ins, &no, &outs))
    return false;
  if (in->op == AOTC_OP_IF && !pop_expect(c, in->off, AOTC_I32))
    return false;
  return pop_types(c, in->off, ni, ins) && push_frame(c, in->op, ni, ins, no, outs);
}

static bool op_else(fcheck *c, const aotc_instr *in) {
  frame f;
  if (c->frames[c->n_frames - 1].op != AOTC_OP_IF)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "else without if");
  if (!pop_frame(c, in->off, &f))
    return false;
  return push_frame(c, AOTC_OP_ELSE, f.n_in, f.in, f.n_out, f.out);
}

static bool op_end(fcheck *c, const aotc_instr *in) {
  frame f;
  if (!pop_frame(c, in->off, &f))
    return false;
  /* spec: an if without else behaves as if the else branch passed its
  ** parameters through, so they must equal the results. */
  if (f.op == AOTC_OP_IF) {
    if (f.n_in != f.n_out || (f.n_in && memcmp(f.in, f.out, f.n_in) != 0))
      return mismatch(c, in->off, "if without else must not change the stack types");
  }
  return push_types(c, f.n_out, f.out);
}

static bool op_br_table(fcheck *c, const aotc_instr *in) {
  if (!pop_expect(c, in->off, AOTC_I32))
    return false;
  aotc_br_table_iter it;
  aotc_br_table_iter_init(&it, &c->r, in);
  uint32_t n_targets = in->u.br_table.n_targets, l, arity = 0;
  const frame *def = NULL;
  /* The default label comes last in the encoding; find its arity first. */
  aotc_br_table_iter it2 = it;
  for (uint32_t i = 0; i <= n_targets; i++)
    if (!aotc_br_table_next(&it2, &l))
      return false;
  if (!get_label(c, in->off, l, &def))
    return false;
  const aotc_valtype *def_ts;
  label_types(def, &arity, &def_ts);
  while (aotc_br_table_next(&it, &l)) {
    const frame *f = NULL;
    uint32_t n;
    const aotc_valtype *ts;
    if (!get_label(c, in->off, l, &f))
      return false;
    label_types(f, &n, &ts);
    if (n != arity)
      return mismatch(c, in->off, "br_table targets have different arities");
    /* Check the operands against this label, then restore them. */
    size_t save = c->n_vals;
    for (uint32_t i = n; i-- > 0;) {
      aotc_valtype t = UNKNOWN;
      if (!pop(c, in->off, &t))
        return false;
      if (t != ts[i] && t != UNKNOWN)
        return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off,
                             "type mismatch: expected %s, got %s", aotc_valtype_name(ts[i]),
                             aotc_valtype_name(t));
    }
    c->n_vals = save;
  }
  if (c->v->diag->code != AOTC_OK)
    return false;
  set_unreachable(c);
  return true;
}

static bool check_call(fcheck *c, const aotc_instr *in, const aotc_functype *ft, bool tail) {
  if (!pop_types(c, in->off, ft->n_params, ft->params))
    return false;
  if (tail) {
    const aotc_functype *self = c->ft;
    if (self->n_results != ft->n_results ||
        (ft->n_results && memcmp(self->results, ft->results, ft->n_results) != 0))
      return mismatch(c, in->off, "tail call results differ from the caller's");
    set_unreachable(c);
    return true;
  }
  return push_types(c, ft->n_results, ft->results);
}

static bool check_table(fcheck *c, size_t off, uint32_t idx) {
  if (idx >= c->m->n_tables)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown table %u", idx);
  return true;
}

static bool check_mem(fcheck *c, size_t off, uint32_t idx) {
  if (idx >= c->m->n_memories)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown memory %u", idx);
  return true;
}

static bool op_call_indirect(fcheck *c, const aotc_instr *in) {
  uint32_t ti = in->u.call_ind.table_idx, ty = in->u.call_ind.type_idx;
  if (!check_table(c, in->off, ti))
    return false;
  if (c->m->tables[ti].type.elem != AOTC_FUNCREF)
    return mismatch(c, in->off, "call_indirect through a table that is not funcref");
  if (ty >= c->m->n_types)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "unknown type %u", ty);
  return pop_expect(c, in->off, AOTC_I32) &&
         check_call(c, in, &c->m->types[ty], in->op == AOTC_OP_RETURN_CALL_INDIRECT);
}

static bool op_select(fcheck *c, const aotc_instr *in) {
  aotc_valtype t1 = UNKNOWN, t2 = UNKNOWN;
  if (in->op == AOTC_OP_SELECT_T) {
    if (in->u.select_t.n != 1)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "invalid result arity");
    aotc_valtype t = in->u.select_t.type;
    return pop_expect(c, in->off, AOTC_I32) && pop_expect(c, in->off, t) &&
           pop_expect(c, in->off, t) && push(c, t);
  }
  if (!pop_expect(c, in->off, AOTC_I32) || !pop(c, in->off, &t1) || !pop(c, in->off, &t2))
    return false;
  /* spec: untyped select only takes numeric and vector operands. */
  if (aotc_is_reftype(t1) || aotc_is_reftype(t2))
    return mismatch(c, in->off, "select without a type needs numeric operands");
  if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN)
    return mismatch(c, in->off, "select operands differ");
  return push(c, t1 == UNKNOWN ? t2 : t1);
}

static bool op_variable(fcheck *c, const aotc_instr *in) {
  aotc_valtype t = UNKNOWN;
  uint32_t idx = in->u.idx;
  switch (in->op) {
  case AOTC_OP_LOCAL_GET: return local_type(c, in->off, idx, &t) && push(c, t);
  case AOTC_OP_LOCAL_SET: return local_type(c, in->off, idx, &t) && pop_expect(c, in->off, t);
  case AOTC_OP_LOCAL_TEE:
    return local_type(c, in->off, idx, &t) && pop_expect(c, in->off, t) && push(c, t);
  default: break;
  }
  if (idx >= c->m->n_globals)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "unknown global %u", idx);
  const aotc_globaltype *g = &c->m->globals[idx].type;
  if (in->op == AOTC_OP_GLOBAL_GET)
    return push(c, g->type);
  if (!g->mut)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "global is immutable");
  return pop_expect(c, in->off, g->type);
}

static bool check_elem_idx(fcheck *c, size_t off, uint32_t idx) {
  if (idx >= c->m->n_elems)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown elem segment %u", idx);
  return true;
}

static bool op_table(fcheck *c, const aotc_instr *in) {
  aotc_module *m = c->m;
  size_t off = in->off;
  switch (in->op) {
  case AOTC_OP_TABLE_COPY: {
    if (!check_table(c, off, in->u.pair.dst) || !check_table(c, off, in->u.pair.src))
      return false;
    if (m->tables[in->u.pair.dst].type.elem != m->tables[in->u.pair.src].type.elem)
      return mismatch(c, off, "table.copy between tables of different types");
    return pop_expect(c, off, AOTC_I32) && pop_expect(c, off, AOTC_I32) &&
           pop_expect(c, off, AOTC_I32);
  }
  case AOTC_OP_TABLE_INIT:
    if (!check_table(c, off, in->u.init.dst) || !check_elem_idx(c, off, in->u.init.seg))
      return false;
    if (m->tables[in->u.init.dst].type.elem != m->elems[in->u.init.seg].type)
      return mismatch(c, off, "table.init of a segment of a different type");
    return pop_expect(c, off, AOTC_I32) && pop_expect(c, off, AOTC_I32) &&
           pop_expect(c, off, AOTC_I32);
  case AOTC_OP_ELEM_DROP: return check_elem_idx(c, off, in->u.idx);
  default: break;
  }
  if (!check_table(c, off, in->u.idx))
    return false;
  aotc_valtype t = m->tables[in->u.idx].type.elem;
  switch (in->op) {
  case AOTC_OP_TABLE_GET: return pop_expect(c, off, AOTC_I32) && push(c, t);
  case AOTC_OP_TABLE_SET: return pop_expect(c, off, t) && pop_expect(c, off, AOTC_I32);
  case AOTC_OP_TABLE_SIZE: return push(c, AOTC_I32);
  case AOTC_OP_TABLE_GROW:
    return pop_expect(c, off, AOTC_I32) && pop_expect(c, off, t) && push(c, AOTC_I32);
  case AOTC_OP_TABLE_FILL:
    return pop_expect(c, off, AOTC_I32) && pop_expect(c, off, t) && pop_expect(c, off, AOTC_I32);
  default: return aotc_diag_set(c->v->diag, AOTC_EINTERNAL, off, "unhandled table op");
  }
}

static bool check_data_idx(fcheck *c, size_t off, uint32_t idx) {
  if (idx >= c->m->data_count)
    return aotc_diag_set(c->v->diag, AOTC_EINVALID, off, "unknown data segment %u", idx);
  return true;
}

/* memory.size/grow/fill/copy/init and data.drop. */
static bool op_memory(fcheck *c, const aotc_instr *in) {
  aotc_module *m = c->m;
  size_t off = in->off;
  switch (in->op) {
  case AOTC_OP_MEMORY_SIZE:
    return check_mem(c, off, in->u.idx) && push(c, aotc_mem_addr_type(m, in->u.idx));
  case AOTC_OP_MEMORY_GROW: {
    if (!check_mem(c, off, in->u.idx))
      return false;
    aotc_valtype a = aotc_mem_addr_type(m, in->u.idx);
    return pop_expect(c, off, a) && push(c, a);
  }
  case AOTC_OP_MEMORY_FILL: {
    if (!check_mem(c, off, in->u.idx))
      return false;
    aotc_valtype a = aotc_mem_addr_type(m, in->u.idx);
    return pop_expect(c, off, a) && pop_expect(c, off, AOTC_I32) && pop_expect(c, off, a);
  }
  case AOTC_OP_MEMORY_COPY: {
    if (!check_mem(c, off, in->u.pair.dst) || !check_mem(c, off, in->u.pair.src))
      return false;
    aotc_valtype d = aotc_mem_addr_type(m, in->u.pair.dst);
    aotc_valtype s = aotc_mem_addr_type(m, in->u.pair.src);
    aotc_valtype n = (d == AOTC_I64 && s == AOTC_I64) ? AOTC_I64 : AOTC_I32;
    return pop_expect(c, off, n) && pop_expect(c, off, s) && pop_expect(c, off, d);
  }
  case AOTC_OP_MEMORY_INIT:
    if (!check_mem(c, off, in->u.init.dst) || !check_data_idx(c, off, in->u.init.seg))
      return false;
    return pop_expect(c, off, AOTC_I32) && pop_expect(c, off, AOTC_I32) &&
           pop_expect(c, off, aotc_mem_addr_type(m, in->u.init.dst));
  case AOTC_OP_DATA_DROP: return check_data_idx(c, off, in->u.idx);
  default: return aotc_diag_set(c->v->diag, AOTC_EINTERNAL, off, "unhandled memory op");
  }
}

/* Lane count of a lane-indexed SIMD instruction, from its shape prefix. */
static unsigned shape_lanes(const char *name) {
  if (!strncmp(name, "i8x16", 5))
    return 16;
  if (!strncmp(name, "i16x8", 5))
    return 8;
  if (!strncmp(name, "i32x4", 5) || !strncmp(name, "f32x4", 5))
    return 4;
  return 2;
}

/* Checks memarg (memory exists, alignment, offset range) and lane immediates. */
static bool check_immediates(fcheck *c, const aotc_instr *in, const aotc_opinfo *info) {
  switch (info->imm) {
  case AOTC_IMM_MEMARG:
  case AOTC_IMM_MEMLANE:
    if (!check_mem(c, in->off, in->u.mem.mem_idx))
      return false;
    if (in->u.mem.align > info->align)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off,
                           "alignment must not be larger than natural");
    if (!c->m->memories[in->u.mem.mem_idx].lim.is64 && in->u.mem.offset > UINT32_MAX)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "offset out of range");
    if (info->imm == AOTC_IMM_MEMLANE && in->u.mem.lane >= 16u >> info->align)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "invalid lane index");
    return true;
  case AOTC_IMM_LANE:
    if (in->u.lane >= shape_lanes(info->name))
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "invalid lane index");
    return true;
  case AOTC_IMM_SHUFFLE:
    for (int i = 0; i < 16; i++)
      if (in->u.bytes[i] >= 32)
        return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "invalid lane index");
    return true;
  default: return true;
  }
}

static aotc_valtype sig_char(char ch) {
  switch (ch) {
  case 'i': return AOTC_I32;
  case 'I': return AOTC_I64;
  case 'f': return AOTC_F32;
  case 'F': return AOTC_F64;
  case 'v': return AOTC_V128;
  default: return ADDR; /* 'a' */
  }
}

static void parse_sigs(fcheck *c) {
  for (int op = 0; op < AOTC_OP_COUNT; op++) {
    const char *p = aotc_opinfo_table[op].sig;
    sig *s = &c->sigs[op];
    s->n_pop = s->n_push = 0;
    if (!p)
      continue;
    for (; *p != ':'; p++)
      s->pop[s->n_pop++] = sig_char(*p);
    for (p++; *p; p++)
      s->push[s->n_push++] = sig_char(*p);
  }
}

/* Types an instruction from its opcodes.def signature "pops:pushes". */
static bool op_simple(fcheck *c, const aotc_instr *in, const aotc_opinfo *info) {
  if (info->imm != AOTC_IMM_NONE && !check_immediates(c, in, info))
    return false;
  const sig *s = &c->sigs[in->op];
  for (unsigned i = s->n_pop; i-- > 0;) {
    aotc_valtype t = s->pop[i];
    if (t == ADDR)
      t = aotc_mem_addr_type(c->m, in->u.mem.mem_idx);
    if (!pop_expect(c, in->off, t))
      return false;
  }
  for (unsigned i = 0; i < s->n_push; i++)
    if (!push(c, s->push[i]))
      return false;
  return true;
}

static bool op_ref(fcheck *c, const aotc_instr *in) {
  aotc_valtype t = UNKNOWN;
  switch (in->op) {
  case AOTC_OP_REF_NULL: return push(c, in->u.reftype);
  case AOTC_OP_REF_IS_NULL:
    if (!pop(c, in->off, &t))
      return false;
    if (t != UNKNOWN && !aotc_is_reftype(t))
      return mismatch(c, in->off, "ref.is_null needs a reference");
    return push(c, AOTC_I32);
  default: /* ref.func */
    if (in->u.idx >= c->m->n_funcs)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "unknown function %u", in->u.idx);
    if (!aotc_val_ref_declared(c->v, in->u.idx))
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off,
                           "undeclared function reference %u", in->u.idx);
    return push(c, AOTC_FUNCREF);
  }
}

/* The dispatch: one line per rule. */
static bool check_instr(fcheck *c, const aotc_instr *in) {
  const aotc_opinfo *info = &aotc_opinfo_table[in->op];
  const frame *f = NULL;
  aotc_valtype t = UNKNOWN;
  switch (in->op) {
  case AOTC_OP_UNREACHABLE: set_unreachable(c); return true;
  case AOTC_OP_NOP: return true;
  case AOTC_OP_BLOCK:
  case AOTC_OP_LOOP:
  case AOTC_OP_IF: return op_block(c, in);
  case AOTC_OP_ELSE: return op_else(c, in);
  case AOTC_OP_END: return op_end(c, in);
  case AOTC_OP_BR:
  case AOTC_OP_BR_IF: {
    uint32_t n;
    const aotc_valtype *ts;
    if (!get_label(c, in->off, in->u.idx, &f))
      return false;
    label_types(f, &n, &ts);
    if (in->op == AOTC_OP_BR_IF)
      return pop_expect(c, in->off, AOTC_I32) && pop_types(c, in->off, n, ts) &&
             push_types(c, n, ts);
    if (!pop_types(c, in->off, n, ts))
      return false;
    set_unreachable(c);
    return true;
  }
  case AOTC_OP_BR_TABLE: return op_br_table(c, in);
  case AOTC_OP_RETURN:
    if (!pop_types(c, in->off, c->ft->n_results, c->ft->results))
      return false;
    set_unreachable(c);
    return true;
  case AOTC_OP_CALL:
  case AOTC_OP_RETURN_CALL:
    if (in->u.idx >= c->m->n_funcs)
      return aotc_diag_set(c->v->diag, AOTC_EINVALID, in->off, "unknown function %u", in->u.idx);
    return check_call(c, in, aotc_func_type(c->m, in->u.idx), in->op == AOTC_OP_RETURN_CALL);
  case AOTC_OP_CALL_INDIRECT:
  case AOTC_OP_RETURN_CALL_INDIRECT: return op_call_indirect(c, in);
  case AOTC_OP_DROP: return pop(c, in->off, &t);
  case AOTC_OP_SELECT:
  case AOTC_OP_SELECT_T: return op_select(c, in);
  case AOTC_OP_REF_NULL:
  case AOTC_OP_REF_IS_NULL:
  case AOTC_OP_REF_FUNC: return op_ref(c, in);
  default: break;
  }
  if (info->sig)
    return op_simple(c, in, info);
  switch (info->family) {
  case AOTC_FAM_VAR: return op_variable(c, in);
  case AOTC_FAM_TABLE: return op_table(c, in);
  case AOTC_FAM_MEM: return op_memory(c, in);
  default: return aotc_diag_set(c->v->diag, AOTC_EINTERNAL, in->off, "no typing rule for %s",
                                info->name);
  }
}

static bool check_func(fcheck *c, uint32_t def_idx) {
  aotc_module *m = c->m;
  aotc_code *code = &m->codes[def_idx];
  c->code = code;
  c->ft = aotc_func_type(m, aotc_def_to_func(m, def_idx));
  c->n_vals = c->n_frames = c->max_vals = 0;
  aotc_reader_init(&c->r, m->bytes, code->body.off + code->body.len, c->v->diag);
  c->r.pos = code->instr_off;
  if (!setup_locals(c) ||
      !push_frame(c, AOTC_OP_BLOCK, 0, NULL, c->ft->n_results, c->ft->results))
    return false;
  aotc_instr in;
  /* The structural scan guarantees the body ends with the function's end. */
  while (c->n_frames > 0) {
    if (!aotc_instr_read(&c->r, m->features, &in) || !check_instr(c, &in))
      return false;
  }
  code->max_stack = (uint32_t)c->max_vals;
  return true;
}

bool aotc_validate_funcs(aotc_validator *v) {
  fcheck c = {.v = v, .m = v->m};
  bool ok = true;
  parse_sigs(&c);
  for (uint32_t i = 0; i < v->m->n_codes && ok; i++) {
    ok = check_func(&c, i);
    if (!ok && v->diag->func_idx == AOTC_NO_FUNC)
      v->diag->func_idx = aotc_def_to_func(v->m, i);
  }
  free(c.vals);
  free(c.frames);
  free(c.run_end);
  return ok;
}
