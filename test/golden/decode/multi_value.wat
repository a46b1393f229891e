;; RUN: dump
;; Multi-value: functions and blocks with several results and block parameters.
(module
  (type $pair (func (result i32 i64)))
  (func $pair (type $pair) (i32.const 1) (i64.const 2))
  (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func $blocks (result i32)
    (call $pair)
    (drop)
    (block (param i32) (result i32 i32)
      (i32.const 7))
    (i32.add)))

(;; EXPECT
types[4]
  0: () -> (i32 i64)
  1: (i32 i64) -> (i64 i32)
  2: () -> (i32)
  3: (i32) -> (i32 i32)
imports[0]
tables[0]
memories[0]
globals[0]
exports[0]
elems[0]
datas[0]
funcs[3] (0 imported)
  func 0 type 0: () -> (i32 i64)
    locals; body 0x2b+6, depth 0
    0x00002c: i32.const 1
    0x00002e: i64.const 2
    0x000030: end
  func 1 type 1: (i32 i64) -> (i64 i32)
    locals; body 0x32+6, depth 0
    0x000033: local.get 1
    0x000035: local.get 0
    0x000037: end
  func 2 type 2: () -> (i32)
    locals; body 0x39+11, depth 1
    0x00003a: call 0
    0x00003c: drop
    0x00003d: block (type 3)
    0x00003f:   i32.const 7
    0x000041: end
    0x000042: i32.add
    0x000043: end
customs[0]
exit: 0
;;)
