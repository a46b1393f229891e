;; RUN: dump
;; Globals with constant initialisers (imported global.get, ref.null,
;; ref.func) and active element segments with offsets.
(module
  (import "env" "base" (global $base i32))
  (global $a i32 (global.get $base))
  (global $b (mut f64) (f64.const 0.5))
  (global $r funcref (ref.func $f))
  (global $x externref (ref.null extern))
  (table 4 funcref)
  (elem (global.get $base) $f $f)
  (elem (i32.const 2) func $f)
  (func $f))

(;; EXPECT
types[1]
  0: () -> ()
imports[1]
  "env"."base" global 0
tables[1]
  0: funcref min 4
memories[0]
globals[5]
  0: i32 imported
  1: i32
    0x00002c:   global.get 0
    0x00002e:   end
  2: mut f64
    0x000031:   f64.const 0x3fe0000000000000
    0x00003a:   end
  3: funcref
    0x00003d:   ref.func 0
    0x00003f:   end
  4: externref
    0x000042:   ref.null extern
    0x000044:   end
exports[0]
elems[2]
  0: active funcref table 0 offset
    0x000049:   global.get 0
    0x00004b:   end
    items[2] 0 0
  1: active funcref table 0 offset
    0x000050:   i32.const 2
    0x000052:   end
    items[1] 0
datas[0]
funcs[1] (0 imported)
  func 0 type 0: () -> ()
    locals; body 0x59+2, depth 0
    0x00005a: end
customs[0]
exit: 0
;;)
