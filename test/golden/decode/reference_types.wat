;; RUN: dump
;; Reference types: several tables, externref, ref.null/ref.func/ref.is_null,
;; table instructions and passive/declarative element segments.
(module
  (table $funcs 2 funcref)
  (table $externs 1 externref)
  (elem $active (table $funcs) (i32.const 0) func $f)
  (elem $passive funcref (ref.func $f) (ref.null func))
  (elem declare func $g)
  (func $f)
  (func $g (param externref) (result i32)
    (table.set $externs (i32.const 0) (local.get 0))
    (drop (table.grow $funcs (ref.func $g) (i32.const 1)))
    (table.init $funcs $passive (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $passive)
    (drop (table.size $externs))
    (ref.is_null (table.get $externs (i32.const 0)))))

(;; EXPECT
types[2]
  0: () -> ()
  1: (externref) -> (i32)
imports[0]
tables[2]
  0: funcref min 2
  1: externref min 1
memories[0]
globals[0]
exports[0]
elems[3]
  0: active funcref table 0 offset
    0x000025:   i32.const 0
    0x000027:   end
    items[1] 0
  1: passive funcref
    items[2]
    0x00002d:   ref.func 0
    0x00002f:   end
    0x000030:   ref.null func
    0x000032:   end
  2: declarative funcref
    items[1] 1
datas[0]
funcs[2] (0 imported)
  func 0 type 0: () -> ()
    locals; body 0x3b+2, depth 0
    0x00003c: end
  func 1 type 1: (externref) -> (i32)
    locals; body 0x3e+38, depth 0
    0x00003f: i32.const 0
    0x000041: local.get 0
    0x000043: table.set 1
    0x000045: ref.func 1
    0x000047: i32.const 1
    0x000049: table.grow 0
    0x00004c: drop
    0x00004d: i32.const 0
    0x00004f: i32.const 0
    0x000051: i32.const 1
    0x000053: table.init 1 0
    0x000057: elem.drop 1
    0x00005a: table.size 1
    0x00005d: drop
    0x00005e: i32.const 0
    0x000060: table.get 1
    0x000062: ref.is_null
    0x000063: end
customs[0]
exit: 0
;;)
