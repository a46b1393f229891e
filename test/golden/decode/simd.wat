;; RUN: dump
;; SIMD: v128 locals, constants, lane operations, shuffles and memory access.
(module
  (memory 1)
  (func (param v128) (result v128)
    (local $t v128)
    (local.set $t (v128.const i32x4 1 2 3 -1))
    (i32x4.add (local.get 0) (local.get $t))
    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0))
    (f32x4.replace_lane 3 (f32.const 1.5))
    (v128.store offset=16 (i32.const 0) (local.get $t))
    (v128.load32_lane 1 (i32.const 4) (local.get 0))
    (drop)))

(;; EXPECT
types[1]
  0: (v128) -> (v128)
imports[0]
tables[0]
memories[1]
  0: min 1
globals[0]
exports[0]
elems[0]
datas[0]
funcs[1] (0 imported)
  func 0 type 0: (v128) -> (v128)
    locals v128*1; body 0x1d+77, depth 0
    0x000020: v128.const i8x16 0x01 0x00 0x00 0x00 0x02 0x00 0x00 0x00 0x03 0x00 0x00 0x00 0xff 0xff 0xff 0xff
    0x000032: local.set 1
    0x000034: local.get 0
    0x000036: local.get 1
    0x000038: i32x4.add
    0x00003b: local.get 0
    0x00003d: i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
    0x00004f: f32.const 0x3fc00000
    0x000054: f32x4.replace_lane 3
    0x000057: i32.const 0
    0x000059: local.get 1
    0x00005b: v128.store align=16 offset=16
    0x00005f: i32.const 4
    0x000061: local.get 0
    0x000063: v128.load32_lane align=4 offset=0 lane=1
    0x000068: drop
    0x000069: end
customs[0]
exit: 0
;;)
