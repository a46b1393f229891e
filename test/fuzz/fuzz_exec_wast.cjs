// fuzz_exec_wast.cjs: turns a module and binaryen's `wasm-opt --fuzz-exec-before`
// output for it (the reference interpreter's run) into a .wast script that
// wrt-wast runs against our compiled code. Each export the reference called is
// invoked in the same order with the same (zero) arguments; its result or trap
// becomes an assertion, and the values it logged through the fuzzing-support
// imports are folded into a hash that is compared after every call.
//
//   node fuzz_exec_wast.cjs MODULE.wasm REFERENCE.txt > CASE.wast
//   node fuzz_exec_wast.cjs --bytes SEED SIZE > RANDOM.bin  (deterministic input
//                                                            for wasm-opt -ttf)
// Exit status 0; 3 when the reference output is unusable (nothing to compare).
'use strict';
const fs = require('fs');

// ------------------------------------------------------------------ random bytes
// xorshift64*, seeded: the same SEED gives the same module on every machine.
function randomBytes(seed, size) {
  let x = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    x ^= x >> 12n; x ^= BigInt.asUintN(64, x << 25n); x ^= x >> 27n;
    out[i] = Number(BigInt.asUintN(64, x * 0x2545f4914f6cdd1dn) >> 56n);
  }
  return out;
}

// ------------------------------------------------------------------ binary reader
// Just enough of the binary format for the types of exported functions.
const VALTYPES = {0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
                  0x70: 'funcref', 0x6f: 'externref'};

function exportTypes(buf) {
  let p = 8;
  const u32 = () => {
    let r = 0, shift = 0, b;
    do { b = buf[p++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return r;
  };
  const name = () => { const n = u32(); const s = buf.toString('utf8', p, p + n); p += n; return s; };
  const limits = () => { const f = buf[p++]; u32(); if (f & 1) u32(); };
  const types = [], funcs = [], exports = new Map();
  while (p < buf.length) {
    const id = buf[p++], size = u32(), end = p + size;
    if (id === 1) {
      for (let n = u32(); n-- > 0;) {
        p++; // 0x60
        const params = []; for (let k = u32(); k-- > 0;) params.push(VALTYPES[buf[p++]]);
        const results = []; for (let k = u32(); k-- > 0;) results.push(VALTYPES[buf[p++]]);
        types.push({params, results});
      }
    } else if (id === 2) {
      for (let n = u32(); n-- > 0;) {
        name(); name();
        const kind = buf[p++];
        if (kind === 0) funcs.push(types[u32()]);
        else if (kind === 1) { p++; limits(); }
        else if (kind === 2) limits();
        else p += 2;
      }
    } else if (id === 3) {
      for (let n = u32(); n-- > 0;) funcs.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n-- > 0;) {
        const nm = name(), kind = buf[p++], idx = u32();
        if (kind === 0) exports.set(nm, funcs[idx]);
      }
    }
    p = end;
  }
  return exports;
}

// ------------------------------------------------------------------ values
const MASK64 = (1n << 64n) - 1n;
const HASH_MUL = 1099511628211n;

// The hash the fuzzing-support module below computes: h = h * P + v (mod 2^64).
// The reference prints logged values without their type, and a float with an
// integral value like an integer ("-1"), so values hash by what they print:
// an integer, or a float with an integral value in [-2^63, 2^63), as that signed
// 64-bit integer (i32 sign-extended, i64 as its two i32 halves, low first, as
// the reference prints it); another float as the bits of its f64 value, any
// NaN as one constant; a v128 as its four i32 lanes, unsigned ("i32x4 0x..."),
// after canonicalLanes.
function mixValue(h, text) {
  let v;
  if (/^0x/.test(text)) v = BigInt(text);
  else if (/nan/.test(text)) v = 0x7ff8000000000000n;
  else if (/^-?\d+$/.test(text) && BigInt(text) < 2n ** 63n && BigInt(text) >= -(2n ** 63n))
    v = BigInt.asUintN(64, BigInt(text));
  else {
    // A float; large integral ones print in exponent form ("-7320967456368768e3").
    const x = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
    if (Number.isInteger(x) && x >= -(2 ** 63) && x < 2 ** 63) {
      v = BigInt.asUintN(64, BigInt(x));
    } else {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, x);
      v = d.getBigUint64(0);
    }
  }
  return (h * HASH_MUL + v) & MASK64;
}

// A v128 lane with the bits of an f32 NaN, or a pair of lanes with those of
// an f64 NaN, holds a payload that is the hardware's choice when it came out
// of float arithmetic (wasm-opt 108's --denan leaves SIMD alone). The shape is
// not printed, so the rule must not depend on payload bits: a pair (lo, hi)
// whose hi lane has the bits of an f32 NaN -- as the hi half of every f64 NaN
// does -- compares as "any two lanes"; another lane with the bits of an f32
// NaN as "any NaN". Where NaN bits flow on into integer operations a
// difference remains (seed 888 on aarch64 is one).
function isF32Nan(bits) {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0;
}

// Logged lanes as the support module hashes them (see above).
function canonicalLanes(lanes) {
  const l = lanes.slice(), nan = 0x7fc00000;
  for (let i = 0; i < 4; i += 2) {
    if (isF32Nan(l[i + 1])) l[i] = l[i + 1] = nan;
    else if (isF32Nan(l[i])) l[i] = nan;
  }
  return l;
}

function f32Lane(bits) {
  if (isF32Nan(bits)) return bits & 0x400000 ? 'nan:arithmetic' : (bits < 0 || bits >= 2 ** 31 ? '-' : '') + 'nan:0x' + (bits & 0x7fffff).toString(16);
  const d = new DataView(new ArrayBuffer(4));
  d.setUint32(0, bits);
  const x = d.getFloat32(0);
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Object.is(x, -0) ? '-0' : x.toPrecision(9);
}

function literal(type, text) {
  text = text.trim();
  if (type === 'i32' || type === 'i64') return /^-?\d+$/.test(text) ? `(${type}.const ${text})` : null;
  if (type === 'f32' || type === 'f64') {
    const nan = /^-?nan(:0x([0-9a-f]+))?$/.exec(text);
    if (nan) { // arithmetic NaNs compare as any arithmetic NaN, others exactly
      const quiet = type === 'f32' ? 0x400000n : 0x8000000000000n;
      return `(${type}.const ${!nan[2] || BigInt('0x' + nan[2]) & quiet ? 'nan:arithmetic' : text})`;
    }
    if (text === 'inf' || text === '-inf' ||
        /^-?[\d.]+(e[-+]?\d+)?$/.test(text))
      return `(${type}.const ${text})`;
    return null;
  }
  if (type === 'v128') {
    const m = /^i32x4 (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)$/.exec(text);
    if (!m) return null;
    const lanes = m.slice(1).map(Number);
    if (isF32Nan(lanes[1]) || isF32Nan(lanes[3]))
      return null; // "any two lanes" has no literal: the call runs unchecked
    return lanes.some(isF32Nan) ? `(v128.const f32x4 ${lanes.map(f32Lane).join(' ')})`
                                : `(v128.const i32x4 ${m.slice(1).join(' ')})`;
  }
  return null; // references: the reference prints only their type
}

function zero(type) {
  if (type === 'funcref') return '(ref.null func)';
  if (type === 'externref') return '(ref.null extern)';
  if (type === 'v128') return '(v128.const i64x2 0 0)';
  return `(${type}.const 0)`;
}

// The reference interpreter's trap messages (binaryen 108, wasm-interpreter.h)
// mapped to the spec's; anything else must still trap, with any message.
function trapText(msg) {
  if (/> memory|memory access|out of bounds memory|memory\.(fill|copy|init)|oob/.test(msg))
    return 'out of bounds memory access';
  if (/by 0$/.test(msg)) return 'integer divide by zero';
  if (/div_s overflow|Float overflow|trunc.*overflow/.test(msg)) return 'integer overflow';
  if (/of nan/.test(msg)) return 'invalid conversion to integer';
  if (msg === 'unreachable') return 'unreachable';
  return '';
}

// ------------------------------------------------------------------ the script
const SUPPORT = `(module $fuzzing_support
  (global $h (mut i64) (i64.const 0))
  (func $mix (param i64)
    (global.set $h (i64.add (i64.mul (global.get $h) (i64.const ${HASH_MUL})) (local.get 0))))
  (func $mixf (param f64)
    (if (f64.ne (local.get 0) (local.get 0))
      (then (call $mix (i64.const 0x7ff8000000000000)) (return)))
    (if (i32.and (f64.eq (local.get 0) (f64.trunc (local.get 0)))
                 (i32.and (f64.ge (local.get 0) (f64.const -0x1p63))
                          (f64.lt (local.get 0) (f64.const 0x1p63))))
      (then (call $mix (i64.trunc_f64_s (local.get 0))) (return)))
    (call $mix (i64.reinterpret_f64 (local.get 0))))
  (func (export "log-i32") (param i32) (call $mix (i64.extend_i32_s (local.get 0))))
  (func (export "log-i64") (param i64) ;; printed as two i32 halves, low first
    (call $mix (i64.extend_i32_s (i32.wrap_i64 (local.get 0))))
    (call $mix (i64.extend_i32_s (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))))))
  (func (export "log-f32") (param f32) (call $mixf (f64.promote_f32 (local.get 0))))
  (func (export "log-f64") (param f64) (call $mixf (local.get 0)))
  (func $lane (param i32) ;; an f32 NaN pattern as one constant
    (if (i32.and (i32.eq (i32.and (local.get 0) (i32.const 0x7f800000)) (i32.const 0x7f800000))
                 (i32.ne (i32.and (local.get 0) (i32.const 0x7fffff)) (i32.const 0)))
      (then (local.set 0 (i32.const 0x7fc00000))))
    (call $mix (i64.extend_i32_u (local.get 0))))
  (func $half (param i64) (local i32) ;; canonicalLanes of one pair (lo, hi)
    (local.set 1 (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))))
    (if (i32.and (i32.eq (i32.and (local.get 1) (i32.const 0x7f800000)) (i32.const 0x7f800000))
                 (i32.ne (i32.and (local.get 1) (i32.const 0x7fffff)) (i32.const 0)))
      (then (call $mix (i64.const 0x7fc00000)) (call $mix (i64.const 0x7fc00000)) (return)))
    (call $lane (i32.wrap_i64 (local.get 0)))
    (call $mix (i64.extend_i32_u (local.get 1))))
  (func (export "log-v128") (param v128)
    (call $half (i64x2.extract_lane 0 (local.get 0)))
    (call $half (i64x2.extract_lane 1 (local.get 0))))
  (func (export "take") (result i64) (global.get $h) (global.set $h (i64.const 0))))
(register "fuzzing-support" $fuzzing_support)
`;

function convert(wasmPath, refPath) {
  const buf = fs.readFileSync(wasmPath);
  const exports = exportTypes(buf);
  const lines = fs.readFileSync(refPath, 'utf8').split('\n');
  let out = SUPPORT + '(module $m binary "' +
            [...buf].map((b) => '\\' + b.toString(16).padStart(2, '0')).join('') + '")\n';
  let cur = null, hash = 0n, calls = 0;
  const finish = (assertion) => {
    if (!cur) return;
    out += assertion + '\n';
    out += `(assert_return (invoke $fuzzing_support "take") (i64.const ${BigInt.asIntN(64, hash)}))\n`;
    hash = 0n, cur = null, calls++;
  };
  const invoke = (c) => `(invoke $m "${c.name}"${c.type.params.map((t) => ' ' + zero(t)).join('')})`;
  for (const line of lines) {
    let m;
    if ((m = /^\[fuzz-exec\] calling (.*)$/.exec(line))) {
      finish(cur && `(assert_return ${invoke(cur)})`); // no result line: no results
      const type = exports.get(m[1]);
      if (!type) process.exit(3);
      // The reference resets the module's hang limit before every export call.
      if (exports.has('hangLimitInitializer')) out += '(invoke $m "hangLimitInitializer")\n';
      cur = {name: m[1], type};
    } else if ((m = /^\[fuzz-exec\] note result: (.*) => (.*)$/.exec(line)) && cur) {
      // Several results print as a tuple: "(1, -2, i32x4 0x0 0x0 0x0 0x0)".
      const rs = cur.type.results;
      const texts = rs.length === 1 ? [m[2]] : m[2].replace(/^\(|\)$/g, '').split(', ');
      const lits = texts.length === rs.length ? rs.map((t, i) => literal(t, texts[i])) : [null];
      if (lits.every((l) => l)) {
        finish(`(assert_return ${invoke(cur)} ${lits.join(' ')})`);
      } else if (rs.length === 1) {
        finish(invoke(cur)); // a reference, printed as its type only: run the call unchecked
      } else {
        cur = null; // wast2json cannot write an unchecked call with several results
        break;
      }
    } else if ((m = /^\[trap (.*)\]$/.exec(line)) && cur) {
      const t = trapText(m[1]);
      finish(/stack limit|call stack/.test(m[1]) ? `(assert_exhaustion ${invoke(cur)} "")`
                                                 : `(assert_trap ${invoke(cur)} "${t}")`);
    } else if ((m = /^\[LoggingExternalInterface logging (.*)\]$/.exec(line)) && cur) {
      let vs = m[1].trim().split(/\s+/);
      if (vs[0] === 'i32x4')
        vs = canonicalLanes(vs.slice(1).map(Number)).map((x) => '0x' + x.toString(16));
      for (const v of vs) hash = mixValue(hash, v);
    } else if (/^\[host limit|^\[exception/.test(line)) {
      break; // the reference gave up here: compare no further
    }
  }
  finish(cur && `(assert_return ${invoke(cur)})`);
  if (calls === 0) process.exit(3);
  process.stdout.write(out);
}

const args = process.argv.slice(2);
if (args[0] === '--bytes') process.stdout.write(randomBytes(Number(args[1]), Number(args[2])));
else if (args.length === 2) convert(args[0], args[1]);
else {
  process.stderr.write('usage: fuzz_exec_wast.cjs MODULE.wasm REFERENCE.txt | --bytes SEED SIZE\n');
  process.exit(2);
}
