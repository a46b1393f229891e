// fuzz_templates.cjs: template-based differential fuzzing against wabt's
// reference interpreter (spectest-interp). A seed gives one module built from
// five template families (SIMD, bulk memory, reference types, multi-value,
// traps) with random constants and shapes, plus a bare `(invoke ...)` of every
// export with random arguments. wabt runs that script; its printed results
// become the assertions of a second script that wrt-wast runs (scripts/fuzz-diff
// --source=templates).
//
//   node fuzz_templates.cjs gen SEED > GEN.wast
//       the module (one field per line group, "(module $m" ... ")") and one
//       command per line after it
//   node fuzz_templates.cjs expect GEN.wast REF.txt > CASE.wast
//       REF.txt is spectest-interp's output for GEN.wast; CASE.wast is GEN.wast
//       with each command replaced by its assertion, line for line (so a line
//       number of CASE.wast is one of GEN.wast). Exit status 3: nothing to
//       compare (the reference ran no command)
//   node fuzz_templates.cjs reduce GEN.wast TEST OUT.wast [SECONDS]
//       removes module fields and commands while `bash TEST CANDIDATE.wast`
//       still prints MISMATCH; writes the smallest GEN.wast found to OUT.wast
//
// Values are compared exactly. Exports never return f32/f64 (wabt prints
// them rounded, "%f"): a float result is returned as its bits. NaNs stay
// deterministic: a float that came out of arithmetic (whose NaN payload and
// sign the spec leaves open) is canonicalised ($cf32 ... $cf64x2: any NaN
// becomes the positive canonical NaN, per lane for v128) before anything can
// see its bits; values that were only moved or changed bitwise (neg, abs,
// copysign, pmin/pmax, loads, stores, block parameters) keep their exact bits.
'use strict';
const fs = require('fs');
const cp = require('child_process');

// ------------------------------------------------------------------ random
// xorshift128 seeded through a multiplicative hash: the same seed gives the
// same module everywhere.
class Rng {
  constructor(seed) {
    let h = (Number(seed) >>> 0) ^ 0x5bd1e995;
    this.s = [];
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      h = (Math.imul(h ^ (h >>> 12), 0x297a2d39) ^ (h >>> 15)) >>> 0;
      this.s.push(h || 0x9e3779b9);
    }
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32() {
    const s = this.s;
    let t = s[3];
    t ^= t << 11; t ^= t >>> 8;
    s[3] = s[2]; s[2] = s[1]; s[1] = s[0];
    t ^= s[0] ^ (s[0] >>> 19);
    s[0] = t >>> 0;
    return s[0];
  }
  int(n) { return Math.floor((this.u32() / 4294967296) * n); } // [0, n)
  range(a, b) { return a + this.int(b - a + 1); } // [a, b]
  chance(p) { return this.u32() / 4294967296 < p; }
  pick(a) { return a[this.int(a.length)]; }
  u64() { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
}

// ------------------------------------------------------------------ values
const I32_EDGE = [0, 1, 2, 3, -1, -2, 0x7fffffff, 0x80000000, 0x7ffffffe, 0x80000001, 0xff, 0x80,
  0x7f, 0xffff, 0x8000, 0x7fff, 0x10000, 31, 32, 33, 63, 64, 65535, 65536];
const I64_EDGE = [0n, 1n, 2n, -1n, -2n, 0x7fffffffffffffffn, -0x8000000000000000n,
  -0x7fffffffffffffffn, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0x100000000n, -0x100000000n,
  -0x80000000n, 63n, 64n, 0xffn, 0x8000n];
const F32_EDGE = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf7d70a4, 0x7f800000,
  0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x7f800001, 0xffffffff, 0x7f7fffff, 0xff7fffff,
  0x00000001, 0x80000001, 0x00800000, 0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, 0x4f800000,
  0x4f7fffff, 0x5f000000, 0xdf000000, 0x5effffff, 0xdf000001, 0x5f800000, 0x5f7fffff, 0x40200000,
  0xc0200000, 0x3fc00000, 0xbfc00000, 0x40400000, 0x4b000000, 0x4b000001, 0x3effffff, 0x3f7fffff];
const F64_EDGE = [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n,
  0x3fe0000000000000n, 0xbfefae147ae147aen, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000000n, 0x7ff0000000000001n,
  0x7fefffffffffffffn, 0x0000000000000001n, 0x8000000000000001n, 0x0010000000000000n,
  0x41e0000000000000n, 0xc1e0000000000000n, 0x41dfffffffc00000n, 0xc1e0000000200000n,
  0x41dfffffffffffffn, 0xc1e00000001fffffn, 0x41f0000000000000n, 0x41efffffffe00000n,
  0x41efffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n,
  0x43dfffffffffffffn, 0xc3e0000000000001n, 0x43f0000000000000n, 0x43efffffffffffffn,
  0x4004000000000000n, 0xc004000000000000n, 0x3ff8000000000000n, 0x4330000000000000n,
  0x4330000000000001n, 0x3fdfffffffffffffn, 0x7e37e43c8800759cn];

function hex32(x) { return '0x' + (x >>> 0).toString(16).padStart(8, '0'); }

function fmtF32(b) {
  b >>>= 0;
  const sign = b >>> 31 ? '-' : '', e = (b >>> 23) & 0xff, f = b & 0x7fffff;
  if (e === 0xff) return f ? `${sign}nan:0x${f.toString(16)}` : `${sign}inf`;
  const m = (f << 1).toString(16).padStart(6, '0');
  return e === 0 ? `${sign}0x0.${m}p-126` : `${sign}0x1.${m}p${e - 127}`;
}

function fmtF64(b) {
  b = BigInt.asUintN(64, b);
  const sign = b >> 63n ? '-' : '', e = Number((b >> 52n) & 0x7ffn), f = b & ((1n << 52n) - 1n);
  if (e === 0x7ff) return f ? `${sign}nan:0x${f.toString(16)}` : `${sign}inf`;
  const m = f.toString(16).padStart(13, '0');
  return e === 0 ? `${sign}0x0.${m}p-1022` : `${sign}0x1.${m}p${e - 1023}`;
}

// Random values of each type, edge cases half of the time.
function rI32(r) { return r.chance(0.5) ? r.pick(I32_EDGE) | 0 : r.chance(0.5) ? r.range(-100, 100) : r.u32() | 0; }
function rI64(r) {
  if (r.chance(0.5)) return r.pick(I64_EDGE);
  return r.chance(0.5) ? BigInt(r.range(-100, 100)) : BigInt.asIntN(64, r.u64());
}
// NaNs with any payload are welcome: bits given as arguments or constants
// must survive every move exactly.
function rF32(r) { return r.chance(0.6) ? r.pick(F32_EDGE) >>> 0 : r.u32(); }
function rF64(r) { return r.chance(0.6) ? r.pick(F64_EDGE) : r.u64(); }

// 16 bytes whose lanes are edge values of SHAPE ('i8x16' ... 'f64x2', or null: any).
function rV128(r, shape) {
  const b = Buffer.alloc(16);
  shape = shape || r.pick(['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2', 'rand']);
  for (let i = 0; i < 16;) {
    switch (shape) {
    case 'i8x16': b[i] = r.chance(0.6) ? r.pick([0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x81, 0x40]) : r.int(256); i += 1; break;
    case 'i16x8': b.writeUInt16LE(r.chance(0.6) ? r.pick([0, 1, 0x7fff, 0x8000, 0xffff, 0x7f, 0x80, 0xff, 0x100, 0xff80, 0x4000]) : r.int(65536), i); i += 2; break;
    case 'i32x4': b.writeUInt32LE(rI32(r) >>> 0, i); i += 4; break;
    case 'i64x2': b.writeBigUInt64LE(BigInt.asUintN(64, rI64(r)), i); i += 8; break;
    case 'f32x4': b.writeUInt32LE(rF32(r), i); i += 4; break;
    case 'f64x2': b.writeBigUInt64LE(BigInt.asUintN(64, rF64(r)), i); i += 8; break;
    default: b[i] = r.int(256); i += 1;
    }
  }
  return [0, 4, 8, 12].map((k) => b.readUInt32LE(k));
}

const lit = {
  i32: (v) => `(i32.const ${v | 0})`,
  i64: (v) => `(i64.const ${BigInt.asIntN(64, BigInt(v))})`,
  f32: (v) => `(f32.const ${fmtF32(v)})`,
  f64: (v) => `(f64.const ${fmtF64(v)})`,
  v128: (v) => `(v128.const i32x4 ${v.map(hex32).join(' ')})`,
  externref: (v) => v === null ? '(ref.null extern)' : `(ref.extern ${v})`,
  funcref: () => '(ref.null func)',
};

function rVal(r, t, shape) {
  switch (t) {
  case 'i32': return rI32(r);
  case 'i64': return rI64(r);
  case 'f32': return rF32(r);
  case 'f64': return rF64(r);
  case 'v128': return rV128(r, shape);
  case 'externref': return r.chance(0.25) ? null : r.int(10);
  default: return null;
  }
}
const rLit = (r, t, shape) => lit[t](rVal(r, t, shape));

// ------------------------------------------------------------------ the module
const PAGE = 65536;

class Func {
  constructor(m, name, exported) {
    this.m = m; this.name = name; this.exported = exported;
    this.params = []; this.locals = []; this.results = []; this.body = [];
  }
  // A new parameter of type T; GEN() gives an argument literal for a call.
  param(t, gen) {
    const n = `$p${this.params.length}`;
    this.params.push({t, n, gen: gen || ((r) => rLit(r, t))});
    return `(local.get ${n})`;
  }
  local(t) {
    const n = `$l${this.locals.length}`;
    this.locals.push({t, n});
    return n;
  }
  text() {
    const p = this.params.map((x) => ` (param ${x.n} ${x.t})`).join('');
    const res = this.results.length ? ` (result ${this.results.join(' ')})` : '';
    const l = this.locals.map((x) => ` (local ${x.n} ${x.t})`).join('');
    const ex = this.exported ? ` (export "${this.name}")` : '';
    return `  (func $${this.name}${ex}${p}${res}${l}\n    ${this.body.join('\n    ')})`;
  }
}

class Module {
  constructor(r) {
    this.r = r; this.fields = []; this.funcs = []; this.cmds = []; this.types = new Map();
    this.count = 0;
  }
  uniq(prefix) { return `${prefix}${this.count++}`; }
  field(text) { this.fields.push(text); }
  func(prefix, exported = true) {
    const f = new Func(this, this.uniq(prefix), exported);
    this.funcs.push(f);
    return f;
  }
  type(sig) { // a named function type for call_indirect, deduplicated
    if (!this.types.has(sig)) {
      const n = `$type${this.types.size}`;
      this.types.set(sig, n);
      this.field(`  (type ${n} (func ${sig}))`);
    }
    return this.types.get(sig);
  }
  // A call of F with random arguments (or ARGS, literals).
  call(f, args) {
    args = args || f.params.map((p) => p.gen(this.r));
    this.cmds.push(`(invoke "${f.name}"${args.map((a) => ' ' + a).join('')})`);
  }
  hash() { this.cmds.push('(invoke "hash")'); }
  text() {
    return '(module $m\n' + this.fields.join('\n') + '\n' +
           this.funcs.map((f) => f.text()).join('\n') + '\n)\n' + this.cmds.join('\n') + '\n';
  }
}

// Helpers every module has: NaN canonicalisation of arithmetic results and a
// hash of the whole memory (the effect of stores and bulk operations).
function common(m) {
  m.field(`  (func $cf32 (param f32) (result i32)
    (select (i32.const 0x7fc00000) (i32.reinterpret_f32 (local.get 0)) (f32.ne (local.get 0) (local.get 0))))`);
  m.field(`  (func $cf64 (param f64) (result i64)
    (select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 (local.get 0)) (f64.ne (local.get 0) (local.get 0))))`);
  m.field(`  (func $cf32x4 (param v128) (result v128)
    (v128.bitselect (local.get 0) (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (f32x4.eq (local.get 0) (local.get 0))))`);
  m.field(`  (func $cf64x2 (param v128) (result v128)
    (v128.bitselect (local.get 0) (v128.const i64x2 0x7ff8000000000000 0x7ff8000000000000) (f64x2.eq (local.get 0) (local.get 0))))`);
  m.field(`  (func $hash (export "hash") (result i64) (local $i i32) (local $n i32) (local $h i64)
    (local.set $n (i32.mul (memory.size) (i32.const ${PAGE})))
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 0x100000001b3)))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $next)))
    (local.get $h))`);
}

function dataString(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += '\\' + r.int(256).toString(16).padStart(2, '0');
  return `"${s}"`;
}

// Memory addresses and lengths around the end of a PAGE-sized memory, for an
// access of WIDTH bytes at constant offset OFF: some in bounds, some just
// past, some wrapping.
function rAddr(r, width, off) {
  const end = PAGE - off - width;
  switch (r.int(6)) {
  case 0: case 1: return (end + r.range(-3, 3)) | 0;
  case 2: return end + r.pick([width, 1, -width]) | 0;
  case 3: return r.pick([0, 1, 0xffffffff, 0xfffffff0, 0x80000000, PAGE, PAGE - 1, 0x7fffffff]) | 0;
  default: return r.int(Math.max(1, end)) | 0;
  }
}
const OFFSETS = [0, 0, 0, 1, 3, 8, 15, 16, 100, 4096, 65520, 65535, 65536, 65537, 0x7fffffff, 0xfffffff0, 0xffffffff];
const rOffset = (r) => (r.chance(0.5) ? 0 : r.pick(OFFSETS));
const memarg = (off, align) => `${off ? ` offset=${off}` : ''}${align !== undefined ? ` align=${align}` : ''}`;
const rAlign = (r, width) => (r.chance(0.5) ? undefined : 1 << r.int(Math.log2(width) + 1));

// ------------------------------------------------------------------ SIMD
const SHAPES = ['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'];
const LANES = {i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2};
const LANE_T = {i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64'};
const words = (s) => s.trim().split(/\s+/);
// Integer (and bitwise) binary operations: [name, shape of the inputs].
const BIN_INT = [
  ...words('add sub add_sat_s add_sat_u sub_sat_s sub_sat_u min_s min_u max_s max_u avgr_u eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u swizzle popcnt')
    .filter((o) => o !== 'popcnt').map((o) => [`i8x16.${o}`, 'i8x16']),
  ['i8x16.narrow_i16x8_s', 'i16x8'], ['i8x16.narrow_i16x8_u', 'i16x8'],
  ...words('add sub mul add_sat_s add_sat_u sub_sat_s sub_sat_u min_s min_u max_s max_u avgr_u eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u q15mulr_sat_s')
    .map((o) => [`i16x8.${o}`, 'i16x8']),
  ['i16x8.narrow_i32x4_s', 'i32x4'], ['i16x8.narrow_i32x4_u', 'i32x4'],
  ...words('extmul_low_i8x16_s extmul_high_i8x16_s extmul_low_i8x16_u extmul_high_i8x16_u').map((o) => [`i16x8.${o}`, 'i8x16']),
  ...words('add sub mul min_s min_u max_s max_u eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u').map((o) => [`i32x4.${o}`, 'i32x4']),
  ...words('dot_i16x8_s extmul_low_i16x8_s extmul_high_i16x8_s extmul_low_i16x8_u extmul_high_i16x8_u').map((o) => [`i32x4.${o}`, 'i16x8']),
  ...words('add sub mul eq ne lt_s gt_s le_s ge_s').map((o) => [`i64x2.${o}`, 'i64x2']),
  ...words('extmul_low_i32x4_s extmul_high_i32x4_s extmul_low_i32x4_u extmul_high_i32x4_u').map((o) => [`i64x2.${o}`, 'i32x4']),
  ...words('and or xor andnot').map((o) => [`v128.${o}`, null]),
];
// Float binary operations: [name, shape, out] where out is 'arith' (may make
// a NaN of any payload), 'keep' (bits of an input), 'cmp' (a mask).
const BIN_FLOAT = [];
for (const s of ['f32x4', 'f64x2']) {
  for (const o of words('add sub mul div min max')) BIN_FLOAT.push([`${s}.${o}`, s, 'arith']);
  for (const o of words('pmin pmax')) BIN_FLOAT.push([`${s}.${o}`, s, 'keep']);
  for (const o of words('eq ne lt gt le ge')) BIN_FLOAT.push([`${s}.${o}`, s, 'cmp']);
}
const UN_INT = [
  ['i8x16.abs', 'i8x16'], ['i8x16.neg', 'i8x16'], ['i8x16.popcnt', 'i8x16'], ['v128.not', null],
  ...words('abs neg').map((o) => [`i16x8.${o}`, 'i16x8']),
  ...words('extadd_pairwise_i8x16_s extadd_pairwise_i8x16_u extend_low_i8x16_s extend_high_i8x16_s extend_low_i8x16_u extend_high_i8x16_u')
    .map((o) => [`i16x8.${o}`, 'i8x16']),
  ...words('abs neg').map((o) => [`i32x4.${o}`, 'i32x4']),
  ...words('extadd_pairwise_i16x8_s extadd_pairwise_i16x8_u extend_low_i16x8_s extend_high_i16x8_s extend_low_i16x8_u extend_high_i16x8_u')
    .map((o) => [`i32x4.${o}`, 'i16x8']),
  ...words('abs neg').map((o) => [`i64x2.${o}`, 'i64x2']),
  ...words('extend_low_i32x4_s extend_high_i32x4_s extend_low_i32x4_u extend_high_i32x4_u').map((o) => [`i64x2.${o}`, 'i32x4']),
  // integer to float: never a NaN, exact
  ['f32x4.convert_i32x4_s', 'i32x4'], ['f32x4.convert_i32x4_u', 'i32x4'],
  ['f64x2.convert_low_i32x4_s', 'i32x4'], ['f64x2.convert_low_i32x4_u', 'i32x4'],
];
// Float unary operations: [name, input shape, out, output shape].
const UN_FLOAT = [
  ['i32x4.trunc_sat_f32x4_s', 'f32x4', 'cmp'], ['i32x4.trunc_sat_f32x4_u', 'f32x4', 'cmp'],
  ['i32x4.trunc_sat_f64x2_s_zero', 'f64x2', 'cmp'], ['i32x4.trunc_sat_f64x2_u_zero', 'f64x2', 'cmp'],
  ['f32x4.demote_f64x2_zero', 'f64x2', 'arith', 'f32x4'], ['f64x2.promote_low_f32x4', 'f32x4', 'arith', 'f64x2'],
];
for (const s of ['f32x4', 'f64x2']) {
  for (const o of words('abs neg')) UN_FLOAT.push([`${s}.${o}`, s, 'keep', s]);
  for (const o of words('sqrt ceil floor trunc nearest')) UN_FLOAT.push([`${s}.${o}`, s, 'arith', s]);
}
// Operations whose lowering to the hardware's instructions has edge cases
// (index and saturation rules, NaN and signed-zero rules, unsigned
// conversions), picked more often.
const TRICKY = new Set(words(`i8x16.swizzle i16x8.q15mulr_sat_s i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
  i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i32x4.dot_i16x8_s i8x16.avgr_u i16x8.avgr_u i64x2.mul
  i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s i32x4.min_u i32x4.max_u i8x16.popcnt i64x2.abs
  i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_u i64x2.extmul_high_i32x4_u
  f32x4.min f32x4.max f64x2.min f64x2.max f32x4.pmin f64x2.pmax f32x4.nearest f64x2.nearest
  f32x4.convert_i32x4_u f64x2.convert_low_i32x4_u i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u
  i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f32x4.demote_f64x2_zero`));
const SHIFT_AMOUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, -1, -8, 0x7fffffff];

// A v128 expression: {c: text, nan: null | 'f32x4' | 'f64x2'} where nan names
// the lane shape in which it may hold a NaN of unspecified bits.
class SimdGen {
  constructor(m, f) { this.m = m; this.r = m.r; this.f = f; }
  op(table) {
    const t = table.filter((x) => TRICKY.has(x[0]));
    return this.r.chance(0.35) && t.length ? this.r.pick(t) : this.r.pick(table);
  }
  canon(e) {
    if (e.nan === 'f32x4') return `(call $cf32x4 ${e.c})`;
    if (e.nan === 'f64x2') return `(call $cf64x2 ${e.c})`;
    return e.c;
  }
  // An operand for a float operation on lanes of SHAPE: a NaN of that shape is
  // fine (its bits do not matter to the result), one of another shape is not.
  floatOperand(e, shape) { return e.nan === shape ? e.c : this.canon(e); }
  scalar(t) {
    const r = this.r;
    if (r.chance(0.5)) return this.f.param(t);
    return rLit(r, t);
  }
  leaf(shape) {
    const r = this.r, k = r.int(20);
    if (k < 9) return {c: rLit(r, 'v128', shape), nan: null};
    if (k < 16) return {c: this.f.param('v128', (rr) => rLit(rr, 'v128', shape)), nan: null};
    if (k < 18) {
      const s = shape || r.pick(SHAPES);
      return {c: `(${s}.splat ${this.scalar(LANE_T[s])})`, nan: null};
    }
    const off = r.pick([0, 0, 3, 16, 100]); // in bounds, where the data segments are
    const at = r.chance(0.5) ? r.int(240 - off) : PAGE - 256 + r.int(240 - off);
    return {c: `(v128.load${memarg(off, rAlign(r, 16))} (i32.const ${at}))`, nan: null};
  }
  v(d, shape) {
    const r = this.r;
    if (d <= 0 || r.chance(0.2)) return this.leaf(shape);
    switch (r.int(10)) {
    case 0: case 1: {
      const [op, s] = this.op(BIN_INT);
      if (op === 'i8x16.swizzle') { // indices: some in range, some not
        const idx = Buffer.alloc(16);
        for (let i = 0; i < 16; i++) idx[i] = r.chance(0.7) ? r.int(16) : r.pick([16, 17, 31, 32, 0x7f, 0x80, 0xff, r.int(256)]);
        const b = r.chance(0.6) ? `(v128.const i8x16 ${[...idx].join(' ')})` : this.canon(this.v(d - 1, 'i8x16'));
        return {c: `(${op} ${this.canon(this.v(d - 1, s))} ${b})`, nan: null};
      }
      const a = this.canon(this.v(d - 1, s)); // sometimes squared: equal lanes on both sides
      return {c: `(${op} ${a} ${r.chance(0.15) ? a : this.canon(this.v(d - 1, s))})`, nan: null};
    }
    case 2: case 3: {
      const [op, s, out] = this.op(BIN_FLOAT);
      const a = this.v(d - 1, s), b = r.chance(0.15) ? a : this.v(d - 1, s);
      const nan = out === 'arith' ? s : out === 'keep' && (a.nan === s || b.nan === s) ? s : null;
      return {c: `(${op} ${this.floatOperand(a, s)} ${this.floatOperand(b, s)})`, nan};
    }
    case 4: {
      const [op, s] = this.op(UN_INT);
      return {c: `(${op} ${this.canon(this.v(d - 1, s))})`, nan: null};
    }
    case 5: {
      const [op, s, out, os] = this.op(UN_FLOAT);
      const a = this.v(d - 1, s);
      const nan = out === 'arith' ? os : out === 'keep' && a.nan === s ? os : null;
      return {c: `(${op} ${this.floatOperand(a, s)})`, nan};
    }
    case 6: {
      const s = r.pick(['i8x16', 'i16x8', 'i32x4', 'i64x2']);
      const op = `${s}.${r.pick(['shl', 'shr_s', 'shr_u'])}`;
      const amt = r.chance(0.3) ? this.f.param('i32', (rr) => lit.i32(rr.pick(SHIFT_AMOUNTS))) : lit.i32(r.pick(SHIFT_AMOUNTS));
      return {c: `(${op} ${this.canon(this.v(d - 1, s))} ${amt})`, nan: null};
    }
    case 7: {
      const lanes = [];
      for (let i = 0; i < 16; i++) lanes.push(r.int(32));
      return {c: `(i8x16.shuffle ${lanes.join(' ')} ${this.canon(this.v(d - 1))} ${this.canon(this.v(d - 1))})`, nan: null};
    }
    case 8:
      return {c: `(v128.bitselect ${this.canon(this.v(d - 1))} ${this.canon(this.v(d - 1))} ${this.canon(this.v(d - 1))})`, nan: null};
    default: {
      const s = r.pick(SHAPES);
      return {c: `(${s}.replace_lane ${r.int(LANES[s])} ${this.canon(this.v(d - 1, s))} ${this.scalar(LANE_T[s])})`, nan: null};
    }
    }
  }
  // An expression of the function's single result (never f32/f64: bits).
  result(d) {
    const r = this.r, f = this.f;
    if (r.chance(0.45)) {
      f.results = ['v128'];
      return this.canon(this.v(d));
    }
    const s = r.pick(SHAPES);
    const k = r.int(6);
    if (k === 0) { f.results = ['i32']; return `(v128.any_true ${this.canon(this.v(d))})`; }
    if (k === 1 && s[0] === 'i') { f.results = ['i32']; return `(${s}.all_true ${this.canon(this.v(d, s))})`; }
    if (k === 2 && s[0] === 'i') { f.results = ['i32']; return `(${s}.bitmask ${this.canon(this.v(d, s))})`; }
    const lane = r.int(LANES[s]);
    const sx = s === 'i8x16' || s === 'i16x8' ? r.pick(['_s', '_u']) : '';
    const a = this.v(d, s);
    if (s[0] === 'f') { // float lane: its bits, canonicalised if it may be a NaN from arithmetic
      const ex = `(${s}.extract_lane ${lane} ${this.floatOperand(a, s)})`;
      const wide = s === 'f64x2';
      f.results = [wide ? 'i64' : 'i32'];
      if (a.nan === s) return `(call ${wide ? '$cf64' : '$cf32'} ${ex})`;
      return `(${wide ? 'i64.reinterpret_f64' : 'i32.reinterpret_f32'} ${ex})`;
    }
    f.results = [LANE_T[s]];
    return `(${s}.extract_lane${sx} ${lane} ${this.canon(a)})`;
  }
}

const SIMD_LOADS = [['v128.load', 16], ['v128.load8x8_s', 8], ['v128.load8x8_u', 8], ['v128.load16x4_s', 8],
  ['v128.load16x4_u', 8], ['v128.load32x2_s', 8], ['v128.load32x2_u', 8], ['v128.load8_splat', 1],
  ['v128.load16_splat', 2], ['v128.load32_splat', 4], ['v128.load64_splat', 8], ['v128.load32_zero', 4],
  ['v128.load64_zero', 8]];
const SIMD_LANE_MEM = [['8', 1, 16], ['16', 2, 8], ['32', 4, 4], ['64', 8, 2]];

function tmplSimd(m, n) {
  const r = m.r;
  for (let k = 0; k < n; k++) {
    const kind = r.int(10);
    const f = m.func('simd');
    const g = new SimdGen(m, f);
    let stores = false;
    if (kind < 6) {
      f.body.push(g.result(r.range(1, 3)));
    } else {
      // memory: loads and stores of every kind at addresses near the end
      const off = rOffset(r);
      const which = r.int(4);
      let width;
      if (which === 0) {
        const [op, w] = r.pick(SIMD_LOADS);
        width = w;
        const addr = f.param('i32', (rr) => lit.i32(rAddr(rr, width, off)));
        f.results = ['v128'];
        const ld = `(${op}${memarg(off, rAlign(r, Math.min(w, 16)))} ${addr})`;
        f.body.push(r.chance(0.3) ? `(i32x4.add ${ld} ${rLit(r, 'v128')})` : ld);
      } else if (which === 1) {
        const [bits, w, lanes] = r.pick(SIMD_LANE_MEM);
        width = w;
        const addr = f.param('i32', (rr) => lit.i32(rAddr(rr, width, off)));
        f.results = ['v128'];
        f.body.push(`(v128.load${bits}_lane${memarg(off, rAlign(r, w))} ${r.int(lanes)} ${addr} ${g.canon(g.v(1))})`);
      } else if (which === 2) {
        width = 16;
        const addr = f.param('i32', (rr) => lit.i32(rAddr(rr, width, off)));
        f.body.push(`(v128.store${memarg(off, rAlign(r, 16))} ${addr} ${g.canon(g.v(1))})`);
        stores = true;
      } else {
        const [bits, w, lanes] = r.pick(SIMD_LANE_MEM);
        width = w;
        const addr = f.param('i32', (rr) => lit.i32(rAddr(rr, width, off)));
        f.body.push(`(v128.store${bits}_lane${memarg(off, rAlign(r, w))} ${r.int(lanes)} ${addr} ${g.canon(g.v(1))})`);
        stores = true;
      }
    }
    for (let i = r.range(1, 3); i > 0; i--) {
      m.call(f);
      if (stores) m.hash();
    }
  }
}

// ------------------------------------------------------------------ bulk memory
function rBulkAddr(r) {
  switch (r.int(8)) {
  case 0: case 1: return r.int(64);
  case 2: case 3: return PAGE - r.int(48);
  case 4: return r.pick([0, PAGE, PAGE + 1, 0xffffffff, 0x80000000, 2 * PAGE, 2 * PAGE - 1]);
  default: return r.int(PAGE);
  }
}
// A length: small, exactly the ROOM left (give or take 2), or huge.
function rBulkLen(r, room) {
  switch (r.int(8)) {
  case 0: return r.pick([0, 1, 2]);
  case 1: case 2: return Math.max(0, room + r.range(-2, 2));
  case 3: return r.pick([PAGE, 0xffffffff, 0x80000000, 0x7fffffff, PAGE + 1]);
  default: return r.int(Math.max(1, Math.min(64, room + 1)));
  }
}

function tmplBulk(m, n) {
  const r = m.r;
  const segs = [];
  for (let i = r.range(1, 3); i > 0; i--) {
    const len = r.pick([0, 1, r.int(8), r.int(40), r.int(40)]);
    const name = m.uniq('$d');
    segs.push({name, len});
    m.field(`  (data ${name} ${dataString(r, len)})`);
  }
  if (r.chance(0.5)) { // an active segment, dropped at instantiation
    const len = r.range(1, 16), name = m.uniq('$d');
    segs.push({name, len: 0});
    m.field(`  (data ${name} (i32.const ${r.int(PAGE - len)}) ${dataString(r, len)})`);
  }
  const ops = [];
  const args3 = (f, lenRoom) => {
    const d = f.param('i32', (rr) => lit.i32(rBulkAddr(rr)));
    const s = f.param('i32', (rr) => lit.i32(rBulkAddr(rr)));
    const l = f.param('i32', (rr) => lit.i32(rBulkLen(rr, lenRoom(rr))));
    return [d, s, l];
  };
  // Calls with related arguments: overlapping copies, lengths to the end.
  const fill = m.func('bulk_fill');
  {
    const d = fill.param('i32'), v = fill.param('i32'), l = fill.param('i32');
    fill.body.push(`(memory.fill ${d} ${v} ${l})`);
    ops.push(() => {
      const dd = rBulkAddr(r);
      m.call(fill, [lit.i32(dd), rLit(r, 'i32'), lit.i32(rBulkLen(r, PAGE - dd))]);
    });
  }
  const copy = m.func('bulk_copy');
  {
    const [d, s, l] = args3(copy, () => 0);
    copy.body.push(`(memory.copy ${d} ${s} ${l})`);
    ops.push(() => {
      let dd = rBulkAddr(r), ss = rBulkAddr(r), ll = rBulkLen(r, PAGE - Math.max(dd, ss));
      if (r.chance(0.5)) { // overlapping, either direction
        const k = r.range(1, 20);
        ss = dd < PAGE / 2 ? dd + k : dd - k;
        if (r.chance(0.5)) [dd, ss] = [ss, dd];
        ll = r.range(k, 3 * k + 8);
      }
      m.call(copy, [lit.i32(dd), lit.i32(ss), lit.i32(ll)]);
    });
  }
  for (const seg of segs) {
    const init = m.func('bulk_init');
    const [d, s, l] = args3(init, () => 0);
    init.body.push(`(memory.init ${seg.name} ${d} ${s} ${l})`);
    ops.push(() => {
      const ss = r.chance(0.7) ? r.int(seg.len + 2) : rBulkAddr(r);
      const dd = rBulkAddr(r);
      m.call(init, [lit.i32(dd), lit.i32(ss), lit.i32(r.chance(0.6) ? Math.max(0, seg.len - ss + r.range(-1, 1)) : rBulkLen(r, 0))]);
    });
    const drop = m.func('bulk_drop');
    drop.body.push(`(data.drop ${seg.name})`);
    ops.push(() => m.call(drop, []));
  }
  // Constant operands, which the code generator can see.
  for (let i = r.range(1, 3); i > 0; i--) {
    const f = m.func('bulk_const');
    const dd = rBulkAddr(r), ss = rBulkAddr(r);
    const k = r.int(3);
    if (k === 0) f.body.push(`(memory.fill (i32.const ${dd | 0}) (i32.const ${rI32(r)}) (i32.const ${rBulkLen(r, PAGE - dd) | 0}))`);
    else if (k === 1 || !segs.length) f.body.push(`(memory.copy (i32.const ${dd | 0}) (i32.const ${ss | 0}) (i32.const ${rBulkLen(r, PAGE - Math.max(dd, ss)) | 0}))`);
    else {
      const seg = r.pick(segs);
      f.body.push(`(memory.init ${seg.name} (i32.const ${dd | 0}) (i32.const ${r.int(seg.len + 2)}) (i32.const ${rBulkLen(r, seg.len) | 0}))`);
    }
    ops.push(() => m.call(f, []));
  }
  const size = m.func('bulk_size');
  size.results = ['i32'];
  size.body.push('(memory.size)');
  const grow = m.func('bulk_grow');
  grow.results = ['i32'];
  grow.body.push(`(memory.grow ${grow.param('i32', (rr) => lit.i32(rr.pick([0, 1, 1, 2, 0x10000, -1])))})`);
  ops.push(() => { m.call(grow); m.call(size, []); });
  const peek = m.func('bulk_peek');
  peek.results = ['i64'];
  peek.body.push(`(i64.load ${peek.param('i32', (rr) => lit.i32(rBulkAddr(rr)))})`);
  ops.push(() => m.call(peek));
  for (let i = 0; i < n; i++) {
    r.pick(ops)();
    m.hash();
  }
}

// ------------------------------------------------------------------ reference types
function tmplRef(m, n) {
  const r = m.r;
  const ti = m.type('(param i32) (result i32)'), tl = m.type('(result i64)'), tv = m.type('(param i32)');
  // Targets: $ti functions with distinct constants (so a call shows which one
  // it reached), and others of other types.
  const gs = [], others = [];
  for (let i = r.range(2, 5); i > 0; i--) {
    const f = m.func('ref_g', false);
    f.params.push({t: 'i32', n: '$x'});
    f.results = ['i32'];
    f.body.push(`(i32.add (i32.mul (local.get $x) (i32.const ${r.range(2, 1000)})) (i32.const ${rI32(r)}))`);
    gs.push('$' + f.name);
  }
  {
    const f = m.func('ref_h', false);
    f.results = ['i64'];
    f.body.push(lit.i64(rI64(r)));
    others.push('$' + f.name);
    const v = m.func('ref_v', false);
    v.params.push({t: 'i32', n: '$x'});
    v.body.push('(drop (local.get $x))');
    others.push('$' + v.name);
  }
  const all = gs.concat(others);
  m.field(`  (elem declare func ${all.join(' ')})`);
  const fSize = r.range(1, 6), fMax = r.chance(0.6) ? fSize + r.int(6) : null;
  const mSize = r.range(2, 6), xSize = r.range(0, 5), xMax = r.chance(0.5) ? xSize + r.int(4) : null;
  // $tf holds only $ti functions and nulls (tf_sum calls every element);
  // $tm holds any function; $tx externrefs.
  m.field(`  (table $tf ${fSize}${fMax !== null ? ' ' + fMax : ''} funcref)`);
  m.field(`  (table $tm ${mSize} funcref)`);
  m.field(`  (table $tx ${xSize}${xMax !== null ? ' ' + xMax : ''} externref)`);
  {
    const len = r.int(fSize + 1), off = r.int(fSize - len + 1);
    if (len) m.field(`  (elem (table $tf) (i32.const ${off}) func ${Array.from({length: len}, () => r.pick(gs)).join(' ')})`);
    const ml = r.int(mSize + 1), mo = r.int(mSize - ml + 1);
    if (ml) m.field(`  (elem (table $tm) (i32.const ${mo}) func ${Array.from({length: ml}, () => r.pick(all)).join(' ')})`);
  }
  const segsF = [], segsM = [];
  for (let i = r.range(1, 2); i > 0; i--) {
    const name = m.uniq('$e'), len = r.int(5);
    const items = Array.from({length: len}, () => (r.chance(0.25) ? '(ref.null func)' : `(ref.func ${r.pick(gs)})`));
    m.field(`  (elem ${name} funcref${items.map((x) => ' ' + x).join('')})`);
    segsF.push({name, len});
  }
  {
    const name = m.uniq('$e'), len = r.int(5);
    m.field(`  (elem ${name} func${Array.from({length: len}, () => ' ' + r.pick(all)).join('')})`);
    segsM.push({name, len});
  }
  // Indices mostly within the initial size, some at or just past it, a few huge.
  const idx = (size) => (rr) => lit.i32(rr.chance(0.65) ? rr.int(Math.max(1, size))
    : rr.chance(0.7) ? size + rr.int(3) : rr.pick([0xffffffff, 0x80000000, 0x7fffffff]));
  const len = (size) => (rr) => lit.i32(rr.chance(0.6) ? rr.int((size >> 1) + 2)
    : rr.chance(0.8) ? rr.int(size + 3) : rr.pick([0xffffffff, 0x80000000]));
  const ext = (rr) => rLit(rr, 'externref');
  const fref = () => (r.chance(0.2) ? '(ref.null func)' : `(ref.func ${r.pick(gs)})`);
  
  const sum = m.func('ref_tf_sum'); // a snapshot of $tf
  sum.results = ['i64'];
  sum.locals.push({t: 'i32', n: '$i'}, {t: 'i64', n: '$h'});
  sum.body.push(`(block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (table.size $tf)))
      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 1000003))
        (if (result i64) (ref.is_null (table.get $tf (local.get $i)))
          (then (i64.const 0x5555))
          (else (i64.extend_i32_u (call_indirect $tf (type ${ti}) (i32.add (local.get $i) (i32.const 7)) (local.get $i)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i64.add (i64.shl (local.get $h) (i64.const 8)) (i64.extend_i32_u (table.size $tf)))`);
  const ops = [], obs = [];
  const mk = (name, build, calls = 1, isObs = false) => {
    const f = m.func(name);
    build(f);
    (isObs ? obs : ops).push(() => { for (let i = 0; i < calls; i++) m.call(f); });
    return f;
  };
  mk('ref_tf_call', (f) => { f.results = ['i32']; const i = f.param('i32', idx(fSize)); f.body.push(`(call_indirect $tf (type ${ti}) ${f.param('i32')} ${i})`); }, 2, true);
  mk('ref_tm_call_i', (f) => { f.results = ['i32']; const i = f.param('i32', idx(mSize)); f.body.push(`(call_indirect $tm (type ${ti}) ${f.param('i32')} ${i})`); }, 2, true);
  mk('ref_tm_call_l', (f) => { f.results = ['i64']; f.body.push(`(call_indirect $tm (type ${tl}) ${f.param('i32', idx(mSize))})`); }, 2, true);
  mk('ref_tm_call_v', (f) => { f.body.push(`(call_indirect $tm (type ${tv}) (i32.const 5) ${f.param('i32', idx(mSize))})`); }, 1, true);
  mk('ref_tf_get', (f) => { f.results = ['funcref']; f.body.push(`(table.get $tf ${f.param('i32', idx(fSize))})`); }, 1, true);
  mk('ref_tm_isnull', (f) => { f.results = ['i32']; f.body.push(`(ref.is_null (table.get $tm ${f.param('i32', idx(mSize))}))`); }, 1, true);
  mk('ref_tx_get', (f) => { f.results = ['externref']; f.body.push(`(table.get $tx ${f.param('i32', idx(xSize))})`); }, 2, true);
  mk('ref_tx_isnull', (f) => { f.results = ['i32']; f.body.push(`(ref.is_null (table.get $tx ${f.param('i32', idx(xSize))}))`); }, 1, true);
  mk('ref_sizes', (f) => { f.results = ['i32', 'i32', 'i32']; f.body.push('(table.size $tf) (table.size $tm) (table.size $tx)'); }, 1, true);
  mk('ref_tf_set', (f) => { f.body.push(`(table.set $tf ${f.param('i32', idx(fSize))} ${fref()})`); });
  mk('ref_tf_set_from', (f) => { f.body.push(`(table.set $tf ${f.param('i32', idx(fSize))} (table.get $tf ${f.param('i32', idx(fSize))}))`); });
  mk('ref_tm_set', (f) => { f.body.push(`(table.set $tm ${f.param('i32', idx(mSize))} (ref.func ${r.pick(all)}))`); });
  mk('ref_tf_grow', (f) => {
    f.results = ['i32'];
    const big = fMax !== null ? [0xffffffff, 0x80000000, fMax - fSize + 1] : [];
    f.body.push(`(table.grow $tf ${fref()} ${f.param('i32', (rr) => lit.i32(rr.chance(0.8) || !big.length ? rr.int(4) : rr.pick(big)))})`);
  });
  mk('ref_tf_fill', (f) => { f.body.push(`(table.fill $tf ${f.param('i32', idx(fSize))} ${fref()} ${f.param('i32', len(fSize))})`); });
  mk('ref_tf_copy', (f) => { f.body.push(`(table.copy $tf $tf ${f.param('i32', idx(fSize))} ${f.param('i32', idx(fSize))} ${f.param('i32', len(fSize))})`); });
  mk('ref_tm_from_tf', (f) => { f.body.push(`(table.copy $tm $tf ${f.param('i32', idx(mSize))} ${f.param('i32', idx(fSize))} ${f.param('i32', len(mSize))})`); });
  for (const s of segsF) {
    mk('ref_tf_init', (f) => { f.body.push(`(table.init $tf ${s.name} ${f.param('i32', idx(fSize))} ${f.param('i32', idx(s.len))} ${f.param('i32', len(s.len))})`); });
    mk('ref_drop', (f) => { f.body.push(`(elem.drop ${s.name})`); });
  }
  for (const s of segsM) {
    mk('ref_tm_init', (f) => { f.body.push(`(table.init $tm ${s.name} ${f.param('i32', idx(mSize))} ${f.param('i32', idx(s.len))} ${f.param('i32', len(s.len))})`); });
    mk('ref_drop', (f) => { f.body.push(`(elem.drop ${s.name})`); });
  }
  mk('ref_tx_set', (f) => { f.body.push(`(table.set $tx ${f.param('i32', idx(xSize))} ${f.param('externref', ext)})`); }, 2);
  mk('ref_tx_grow', (f) => {
    f.results = ['i32'];
    const big = xMax !== null ? [0xffffffff, xMax - xSize + 1] : [];
    f.body.push(`(table.grow $tx ${f.param('externref', ext)} ${f.param('i32', (rr) => lit.i32(rr.chance(0.8) || !big.length ? rr.int(4) : rr.pick(big)))})`);
  });
  mk('ref_tx_fill', (f) => { f.body.push(`(table.fill $tx ${f.param('i32', idx(xSize))} ${f.param('externref', ext)} ${f.param('i32', len(xSize))})`); });
  mk('ref_tx_copy', (f) => { f.body.push(`(table.copy $tx $tx ${f.param('i32', idx(xSize))} ${f.param('i32', idx(xSize))} ${f.param('i32', len(xSize))})`); });
  mk('ref_ext_select', (f) => {
    f.results = ['externref'];
    f.body.push(`(select (result externref) ${f.param('externref', ext)} ${f.param('externref', ext)} ${f.param('i32', (rr) => lit.i32(rr.int(2)))})`);
  }, 1, true);
  mk('ref_isnull', (f) => {
    f.results = ['i32', 'i32', 'i32'];
    f.body.push(`(ref.is_null (ref.func ${r.pick(all)})) (ref.is_null (ref.null func)) (ref.is_null ${f.param('externref', ext)})`);
  }, 1, true);
  for (let i = 0; i < n; i++) {
    r.pick(ops)();
    m.call(sum, []);
    for (let j = r.int(3); j > 0; j--) r.pick(obs)();
  }
}

// ------------------------------------------------------------------ multi-value
// Structured control flow carrying several values: blocks, loops and ifs with
// parameters and results, br / br_if / br_table with several values, calls
// of functions with several results. Floats and vectors are only moved (or
// changed bitwise), so their bits compare exactly; exports return float
// results as bits.
const MV_TYPES = ['i32', 'i32', 'i64', 'i64', 'f32', 'f64', 'v128'];
const INT_OPS = words('add sub mul xor and or shl shr_s shr_u rotl rotr');

class MultiGen {
  constructor(m, f, helpers) {
    this.m = m; this.r = m.r; this.f = f; this.helpers = helpers;
    this.labels = []; // {name, br: types a branch carries, loop}
    this.avail = {i32: [], i64: [], f32: [], f64: [], v128: []};
    for (const p of f.params) this.avail[p.t].push(p.n);
  }
  types(max) { return Array.from({length: this.r.int(max + 1)}, () => this.r.pick(MV_TYPES)); }
  expr(t, d) {
    const r = this.r, a = this.avail[t];
    if (d > 0 && r.chance(0.35)) {
      switch (t) {
      case 'i32': return r.chance(0.8) ? `(i32.${r.pick(INT_OPS)} ${this.expr('i32', d - 1)} ${this.expr('i32', d - 1)})`
                                       : `(i32.wrap_i64 ${this.expr('i64', d - 1)})`;
      case 'i64': return r.chance(0.8) ? `(i64.${r.pick(INT_OPS)} ${this.expr('i64', d - 1)} ${this.expr('i64', d - 1)})`
                                       : `(i64.extend_i32_${r.pick(['s', 'u'])} ${this.expr('i32', d - 1)})`;
      case 'f32': case 'f64':
        return r.chance(0.5) ? `(${t}.${r.pick(['neg', 'abs'])} ${this.expr(t, d - 1)})`
                             : `(${t}.copysign ${this.expr(t, d - 1)} ${this.expr(t, d - 1)})`;
      default: return `(select (result ${t}) ${this.expr(t, d - 1)} ${this.expr(t, d - 1)} ${this.cond()})`;
      }
    }
    if (a.length && r.chance(0.6)) return `(local.get ${r.pick(a)})`;
    return rLit(r, t);
  }
  vals(ts) { return ts.map((t) => this.expr(t, 2)).join(' '); }
  cond() {
    const r = this.r, a = this.avail.i32;
    if (!a.length || r.chance(0.15)) return lit.i32(r.int(2));
    return `(i32.and (local.get ${r.pick(a)}) (i32.const ${1 << r.int(8)}))`;
  }
  fuelCond() { // true a bounded number of times per call (loops end)
    return '(i32.gt_s (local.tee $fuel (i32.sub (local.get $fuel) (i32.const 1))) (i32.const 0))';
  }
  pop(ts) { // pop TS (in order) into fresh locals, now available
    const names = ts.map((t) => this.f.local(t));
    names.forEach((n, i) => this.avail[ts[i]].push(n));
    return names.slice().reverse().map((n) => `(local.set ${n})`).join(' ');
  }
  // Code that leaves OUT on the stack (or branches away). D bounds the
  // nesting; branches are also made below it (they nest no further).
  seq(out, d) {
    const r = this.r, c = d < -2 ? 100 : r.int(100);
    const nonLoop = this.labels.filter((l) => !l.loop);
    if (c < 20 && this.labels.length) { // br_if: the values stay when not taken
      const l = r.pick(this.labels);
      const cond = l.loop ? this.fuelCond() : this.cond();
      return `${this.vals(l.br)} (br_if ${l.name} ${cond}) ${this.pop(l.br)} ${this.seq(out, d - 1)}`;
    }
    if (c < 40 && nonLoop.length) { // br, or br_table to labels of the same types
      const l = r.pick(nonLoop);
      if (r.chance(0.3)) return `${this.vals(l.br)} (br ${l.name})`;
      const same = nonLoop.filter((x) => x.br.join() === l.br.join());
      const targets = Array.from({length: r.range(1, 4)}, () => r.pick(same).name);
      const idx = this.avail.i32.length && r.chance(0.8)
        ? `(i32.rem_u (local.get ${r.pick(this.avail.i32)}) (i32.const ${targets.length + 2}))` : lit.i32(r.int(6));
      return `${this.vals(l.br)} (br_table ${targets.join(' ')} ${idx})`;
    }
    if (d > 0 && c < 70) return this.block(out, d);
    if (d > 0 && c < 78) { // a block with other results, consumed
      const mid = this.types(3);
      return `${this.block(mid, d)} ${this.pop(mid)} ${this.seq(out, d - 1)}`;
    }
    if (d > 0 && c < 86 && this.helpers.length) {
      const h = r.pick(this.helpers);
      return `${this.vals(h.params.map((p) => p.t))} (call $${h.name}) ${this.pop(h.results)} ${this.seq(out, d - 1)}`;
    }
    if (c >= 86 && c < 89) return `${this.vals(this.f.results)} (return)`;
    return this.vals(out);
  }
  block(out, d) {
    const r = this.r, ps = this.types(3);
    const name = this.m.uniq('$L'), kind = r.pick(['block', 'loop', 'if']);
    const bt = `${ps.length ? ` (param ${ps.join(' ')})` : ''}${out.length ? ` (result ${out.join(' ')})` : ''}`;
    const saved = {};
    for (const t in this.avail) saved[t] = this.avail[t].slice();
    const body = () => {
      this.labels.push({name, br: kind === 'loop' ? ps : out, loop: kind === 'loop'});
      const s = `${this.pop(ps)} ${this.seq(out, d - 1)}`;
      this.labels.pop();
      for (const t in this.avail) this.avail[t] = saved[t].slice(); // locals set inside may be unset on a branch path: still defined (zero), fine
      return s;
    };
    const args = this.vals(ps);
    if (kind === 'if') return `${args} ${this.cond()} (if ${name}${bt} (then ${body()}) (else ${body()}))`;
    return `${args} (${kind} ${name}${bt} ${body()})`;
  }
}

function tmplMulti(m, n) {
  const r = m.r, helpers = [];
  for (let k = 0; k < n; k++) {
    const exported = k >= 1 && r.chance(0.75);
    const f = m.func('mv', false);
    for (let i = r.range(1, 3); i > 0; i--) f.param(r.pick(MV_TYPES));
    if (f.params[0].t !== 'i32') f.params.unshift({t: 'i32', n: '$c', gen: (rr) => rLit(rr, 'i32')});
    const g = new MultiGen(m, f, helpers.slice());
    f.results = g.types(4);
    if (!f.results.length) f.results = ['i64'];
    f.locals.push({t: 'i32', n: '$fuel'});
    f.body.push(`(local.set $fuel (i32.const ${r.range(1, 6)}))`);
    f.body.push(g.seq(f.results, r.range(2, 4)));
    helpers.push(f);
    if (!exported) continue;
    // The export: the same parameters, float results as bits.
    const w = m.func('mvx');
    for (const p of f.params) w.param(p.t, p.gen);
    const names = f.results.map((t) => w.local(t));
    w.results = f.results.map((t) => (t === 'f32' ? 'i32' : t === 'f64' ? 'i64' : t));
    w.body.push(`(call $${f.name} ${w.params.map((p) => `(local.get ${p.n})`).join(' ')})`);
    w.body.push(names.slice().reverse().map((x) => `(local.set ${x})`).join(' '));
    w.body.push(names.map((x, i) => f.results[i] === 'f32' ? `(i32.reinterpret_f32 (local.get ${x}))`
      : f.results[i] === 'f64' ? `(i64.reinterpret_f64 (local.get ${x}))` : `(local.get ${x})`).join(' '));
    for (let i = r.range(2, 4); i > 0; i--) m.call(w);
  }
  // A call_indirect of a multi-result function through a table.
  if (helpers.length) {
    const h = r.pick(helpers);
    const sig = `(param ${h.params.map((p) => p.t).join(' ')}) (result ${h.results.join(' ')})`;
    const t = m.type(sig);
    m.field(`  (table $tmv 2 funcref)`);
    m.field(`  (elem (table $tmv) (i32.const ${r.int(2)}) func $${h.name})`);
    const w = m.func('mvci');
    for (const p of h.params) w.param(p.t, p.gen);
    const names = h.results.map((x) => w.local(x));
    w.results = h.results.map((x) => (x === 'f32' ? 'i32' : x === 'f64' ? 'i64' : x));
    w.body.push(`(call_indirect $tmv (type ${t}) ${w.params.map((p) => `(local.get ${p.n})`).join(' ')} ${w.param('i32', (rr) => lit.i32(rr.int(3)))})`);
    w.body.push(names.slice().reverse().map((x) => `(local.set ${x})`).join(' '));
    w.body.push(names.map((x, i) => h.results[i] === 'f32' ? `(i32.reinterpret_f32 (local.get ${x}))`
      : h.results[i] === 'f64' ? `(i64.reinterpret_f64 (local.get ${x}))` : `(local.get ${x})`).join(' '));
    for (let i = r.range(2, 3); i > 0; i--) m.call(w);
  }
}

// ------------------------------------------------------------------ traps
const SCALAR_LOADS = [['i32.load', 4, 'i32'], ['i32.load8_s', 1, 'i32'], ['i32.load8_u', 1, 'i32'],
  ['i32.load16_s', 2, 'i32'], ['i32.load16_u', 2, 'i32'], ['i64.load', 8, 'i64'], ['i64.load8_s', 1, 'i64'],
  ['i64.load8_u', 1, 'i64'], ['i64.load16_s', 2, 'i64'], ['i64.load16_u', 2, 'i64'], ['i64.load32_s', 4, 'i64'],
  ['i64.load32_u', 4, 'i64'], ['f32.load', 4, 'f32'], ['f64.load', 8, 'f64']];
const SCALAR_STORES = [['i32.store', 4, 'i32'], ['i32.store8', 1, 'i32'], ['i32.store16', 2, 'i32'],
  ['i64.store', 8, 'i64'], ['i64.store8', 1, 'i64'], ['i64.store16', 2, 'i64'], ['i64.store32', 4, 'i64'],
  ['f32.store', 4, 'f32'], ['f64.store', 8, 'f64']];

function tmplTraps(m, n) {
  const r = m.r;
  const kinds = ['div', 'div', 'trunc', 'trunc', 'sat', 'unreachable', 'load', 'load', 'store', 'store'];
  const divArg = (t) => (rr) => (rr.chance(0.5) ? lit[t](rr.pick(t === 'i32' ? [0, -1, 1, 0x80000000, 0x7fffffff] : [0n, -1n, 1n, -0x8000000000000000n])) : rLit(rr, t));
  for (let k = 0; k < n; k++) {
    const kind = r.pick(kinds);
    const f = m.func('trap');
    let stores = false;
    if (kind === 'div') {
      const t = r.pick(['i32', 'i64']), op = `${t}.${r.pick(['div_s', 'div_u', 'rem_s', 'rem_u'])}`;
      f.results = [t];
      const a = r.chance(0.8) ? f.param(t, divArg(t)) : divArg(t)(r);
      const b = r.chance(0.7) ? f.param(t, divArg(t)) : divArg(t)(r);
      f.body.push(`(${op} ${a} ${b})`);
    } else if (kind === 'trunc' || kind === 'sat') {
      const it = r.pick(['i32', 'i64']), ft = r.pick(['f32', 'f64']);
      const op = `${it}.trunc_${kind === 'sat' ? 'sat_' : ''}${ft}_${r.pick(['s', 'u'])}`;
      f.results = [it];
      f.body.push(`(${op} ${r.chance(0.8) ? f.param(ft) : rLit(r, ft)})`);
    } else if (kind === 'unreachable') {
      // Nested blocks, loops and ifs; the argument's bits pick a path, some
      // of which reach an unreachable (here or in a callee).
      const p = f.param('i32', (rr) => lit.i32(rr.chance(0.7) ? rr.int(64) : rr.u32()));
      f.results = ['i32'];
      f.locals.push({t: 'i32', n: '$r'});
      const labels = [];
      const cond = () => `(i32.eq (i32.and ${p} (i32.const ${(r.int(3) + 1) << r.int(5)})) (i32.const 0))`;
      const nest = (d) => {
        const parts = [];
        for (let i = r.range(1, 3); i > 0; i--) {
          const c = r.int(d > 0 ? 6 : 4);
          if (c === 0) parts.push(`(local.set $r (i32.add (local.get $r) (i32.const ${r.range(1, 100)})))`);
          else if (c === 1 && labels.length) parts.push(`(br_if ${r.pick(labels)} ${cond()})`);
          else if (c === 2) parts.push(`(if ${cond()} (then ${r.chance(0.3) ? '(call $trap_unreachable)' : '(unreachable)'}))`);
          else if (c === 3) parts.push(`(local.set $r (i32.xor (local.get $r) ${p}))`);
          else {
            const name = m.uniq('$B'), kw = r.pick(['block', 'loop', 'block']);
            if (kw === 'block') labels.push(name);
            const inner = nest(d - 1);
            if (kw === 'block') labels.pop();
            parts.push(`(${kw} ${name} ${inner})`);
          }
        }
        return parts.join(' ');
      };
      f.body.push(nest(3), '(local.get $r)');
    } else if (kind === 'load') {
      const [op, w, t] = r.pick(SCALAR_LOADS), off = rOffset(r), al = rAlign(r, w);
      f.results = [t === 'f32' ? 'i32' : t === 'f64' ? 'i64' : t];
      const addr = r.chance(0.75) ? f.param('i32', (rr) => lit.i32(rAddr(rr, w, off))) : lit.i32(rAddr(r, w, off));
      const ld = `(${op}${memarg(off, al)} ${addr})`;
      f.body.push(t === 'f32' ? `(i32.reinterpret_f32 ${ld})` : t === 'f64' ? `(i64.reinterpret_f64 ${ld})` : ld);
    } else {
      const [op, w, t] = r.pick(SCALAR_STORES), off = rOffset(r), al = rAlign(r, w);
      const addr = r.chance(0.75) ? f.param('i32', (rr) => lit.i32(rAddr(rr, w, off))) : lit.i32(rAddr(r, w, off));
      f.body.push(`(${op}${memarg(off, al)} ${addr} ${r.chance(0.8) ? f.param(t) : rLit(r, t)})`);
      stores = true;
    }
    for (let i = r.range(2, 4); i > 0; i--) {
      m.call(f);
      if (stores) m.hash();
    }
  }
  m.field('  (func $trap_unreachable (unreachable))');
  // call_indirect: a match, a type mismatch, a null element, past the end.
  const ti = m.type('(param i32) (result i32)');
  m.field('  (table $ttr 3 funcref)');
  m.field('  (elem (table $ttr) (i32.const 0) func $trap_ci_ok $trap_unreachable)');
  m.field('  (func $trap_ci_ok (param i32) (result i32) (i32.sub (local.get 0) (i32.const 3)))');
  const ci = m.func('trap_ci');
  ci.results = ['i32'];
  ci.body.push(`(call_indirect $ttr (type ${ti}) ${ci.param('i32')} ${ci.param('i32', (rr) => lit.i32(rr.chance(0.8) ? rr.int(5) : rr.u32()))})`);
  for (let i = r.range(2, 4); i > 0; i--) m.call(ci);
  if (r.chance(0.3)) { // stack exhaustion: unbounded recursion
    const rec = m.func('trap_rec');
    rec.results = ['i32'];
    rec.body.push(`(i32.add (call $${rec.name} (i32.add ${rec.param('i32')} (i32.const 1))) (i32.const 1))`);
    m.call(rec);
  }
}

// ------------------------------------------------------------------ generate
function generate(seed) {
  const r = new Rng(seed);
  const m = new Module(r);
  const pages = r.chance(0.8) ? 1 : 2;
  m.field(`  (memory ${pages} ${pages + r.int(2)})`);
  // Random contents where loads look: the first and last 256 bytes, and a few
  // other places.
  m.field(`  (data (i32.const 0) ${dataString(r, 256)})`);
  m.field(`  (data (i32.const ${PAGE - 256}) ${dataString(r, 256)})`);
  for (let i = r.int(3); i > 0; i--) {
    const len = r.range(1, 64), at = r.int(PAGE - len);
    m.field(`  (data (i32.const ${at}) ${dataString(r, len)})`);
  }
  common(m);
  // Each family with probability 0.7 (at least two), in random order.
  const fam = [['simd', tmplSimd, 8, 16], ['bulk', tmplBulk, 8, 20], ['ref', tmplRef, 8, 20],
    ['multi', tmplMulti, 3, 7], ['traps', tmplTraps, 6, 14]];
  let use = fam.filter(() => r.chance(0.7));
  while (use.length < 2) use = fam.filter(() => r.chance(0.5));
  for (let i = use.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [use[i], use[j]] = [use[j], use[i]];
  }
  for (const [, fn, lo, hi] of use) fn(m, r.range(lo, hi));
  const head = `;; fuzz_templates.cjs seed ${seed}: ${use.map((u) => u[0]).join(', ')}\n`;
  return head + m.text();
}

// ------------------------------------------------------------------ reference output
// wabt's interpreter messages (spectest-interp 1.0.32) mapped to the spec's
// wording, which wrt-wast compares by prefix; null: unknown.
function trapText(msg) {
  const map = [[/^unreachable/, 'unreachable'], [/^integer divide by zero/, 'integer divide by zero'],
    [/^integer overflow/, 'integer overflow'], [/^invalid conversion to integer/, 'invalid conversion to integer'],
    [/^out of bounds memory access/, 'out of bounds memory access'],
    [/^out of bounds table access/, 'out of bounds table access'],
    [/^undefined table index/, 'undefined element'], [/^uninitialized table element/, 'uninitialized element'],
    [/^indirect call signature mismatch/, 'indirect call type mismatch']];
  for (const [re, t] of map) if (re.test(msg)) return t;
  return null;
}

// One printed result ("i32:4294967295", "v128 i32x4:0x... 0x... 0x... 0x...",
// "externref:3", "funcref:0") as the literal that matches it, or null.
function resultLiteral(text) {
  let m;
  if ((m = /^(i32|i64):(\d+)$/.exec(text))) return `(${m[1]}.const ${m[2]})`;
  if ((m = /^v128 i32x4:(0x[0-9a-f]{8}) (0x[0-9a-f]{8}) (0x[0-9a-f]{8}) (0x[0-9a-f]{8})$/.exec(text)))
    return `(v128.const i32x4 ${m.slice(1).join(' ')})`;
  if ((m = /^externref:(\d+)$/.exec(text))) // wabt shows (ref.extern N) as N+1, null as 0
    return m[1] === '0' ? '(ref.null extern)' : `(ref.extern ${BigInt(m[1]) - 1n})`;
  if ((m = /^funcref:(\d+)$/.exec(text))) return m[1] === '0' ? '(ref.null func)' : '(ref.func)';
  return null; // f32/f64 are printed rounded: exports never return them
}

// GEN.wast with each command line replaced by its assertion. Stops comparing
// (drops the remaining commands) where the reference output does not fit.
function expect(genPath, refPath) {
  const gen = fs.readFileSync(genPath, 'utf8').split('\n');
  const ref = fs.readFileSync(refPath, 'utf8').split('\n')
    .filter((l) => /^[A-Za-z0-9_]+\(.*\) =>( |$)/.test(l));
  const out = [];
  let k = 0, calls = 0, stopped = null;
  for (const line of gen) {
    const c = /^\(invoke "([^"]*)"/.exec(line);
    if (!c) { out.push(line); continue; }
    if (stopped) break;
    const res = ref[k++];
    const m = res && /^([A-Za-z0-9_]+)\(.*?\) =>(?: (.*))?$/.exec(res);
    if (!m || m[1] !== c[1]) { stopped = `no reference output for ${line}`; break; }
    const text = m[2] || '';
    let e;
    if (text.startsWith('error: ')) {
      const msg = text.slice(7);
      if (msg.startsWith('call stack exhausted')) e = `(assert_exhaustion ${line} "call stack exhausted")`;
      else {
        const t = trapText(msg);
        if (t === null) { stopped = `unknown trap message "${msg}"`; break; }
        e = `(assert_trap ${line} "${t}")`;
      }
    } else {
      const lits = text === '' ? [] : text.split(', ').map(resultLiteral);
      if (lits.some((x) => x === null)) { stopped = `unusable result "${text}"`; break; }
      e = `(assert_return ${line}${lits.map((x) => ' ' + x).join('')})`;
    }
    out.push(e);
    calls++;
  }
  if (stopped) process.stderr.write(`fuzz_templates: stopped after ${calls} calls: ${stopped}\n`);
  if (calls === 0) process.exit(3);
  process.stdout.write(out.join('\n') + (out[out.length - 1] === '' ? '' : '\n'));
}

// ------------------------------------------------------------------ reduction
// Items of a GEN.wast: its module fields (balanced parentheses from a line
// starting with "  (") and command lines; the rest is kept as is.
function splitItems(text) {
  const lines = text.split('\n'), items = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (/^ {2}\(/.test(l)) {
      let depth = 0, j = i, s = [];
      do {
        for (const ch of lines[j].replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/;;.*$/, '')) {
          if (ch === '(') depth++;
          else if (ch === ')') depth--;
        }
        s.push(lines[j++]);
      } while (depth > 0 && j < lines.length);
      items.push({text: s.join('\n'), drop: true});
      i = j;
    } else {
      items.push({text: l, drop: /^\((invoke|assert_)/.test(l)});
      i++;
    }
  }
  return items;
}

function reduce(genPath, test, outPath, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let items = splitItems(fs.readFileSync(genPath, 'utf8'));
  const join = (its) => its.map((x) => x.text).join('\n');
  const cand = outPath + '.cand.wast';
  const fails = (its) => {
    fs.writeFileSync(cand, join(its));
    try {
      return /MISMATCH/.test(cp.execFileSync('bash', [test, cand], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}));
    } catch (e) { return false; }
  };
  let tries = 0;
  const removable = () => items.map((x, i) => (x.drop ? i : -1)).filter((i) => i >= 0);
  for (let chunk = Math.ceil(removable().length / 2); chunk >= 1 && Date.now() < deadline; chunk = Math.floor(chunk / 2)) {
    let changed = true;
    while (changed && Date.now() < deadline) {
      changed = false;
      const idx = removable();
      for (let s = idx.length - chunk; s > -chunk && Date.now() < deadline; s -= chunk) {
        const gone = new Set(idx.slice(Math.max(0, s), s + chunk));
        const next = items.filter((_, i) => !gone.has(i));
        tries++;
        if (fails(next)) { items = next; changed = true; }
      }
      if (chunk > 1) break;
    }
  }
  fs.writeFileSync(outPath, join(items));
  fs.rmSync(cand, {force: true});
  process.stderr.write(`fuzz_templates reduce: ${tries} tries, ${removable().length} items left\n`);
}

const args = process.argv.slice(2);
if (args[0] === 'gen' && args.length === 2) process.stdout.write(generate(Number(args[1])));
else if (args[0] === 'expect' && args.length === 3) expect(args[1], args[2]);
else if (args[0] === 'reduce' && args.length >= 4) reduce(args[1], args[2], args[3], Number(args[4] || 300));
else {
  process.stderr.write('usage: fuzz_templates.cjs gen SEED | expect GEN.wast REF.txt | reduce GEN.wast TEST OUT.wast [SECONDS]\n');
  process.exit(2);
}
