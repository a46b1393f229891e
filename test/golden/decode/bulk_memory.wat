;; RUN: dump
;; Bulk memory: passive data, the data count section, memory.init/copy/fill
;; and data.drop.
(module
  (memory 1)
  (data $passive "hello")
  (data (i32.const 16) "world")
  (func (param i32)
    (memory.init $passive (local.get 0) (i32.const 0) (i32.const 5))
    (data.drop $passive)
    (memory.copy (i32.const 32) (i32.const 16) (i32.const 5))
    (memory.fill (i32.const 64) (i32.const 0) (i32.const 8))))

(;; EXPECT
types[1]
  0: (i32) -> ()
imports[0]
tables[0]
memories[1]
  0: min 1
globals[0]
exports[0]
elems[0]
datas[2]
  0: passive 5 bytes
  1: active 5 bytes memory 0 offset
    0x00004d:   i32.const 16
    0x00004f:   end
funcs[1] (0 imported)
  func 0 type 0: (i32) -> ()
    locals; body 0x1f+35, depth 0
    0x000020: local.get 0
    0x000022: i32.const 0
    0x000024: i32.const 5
    0x000026: memory.init 0 0
    0x00002a: data.drop 0
    0x00002d: i32.const 32
    0x00002f: i32.const 16
    0x000031: i32.const 5
    0x000033: memory.copy 0 0
    0x000037: i32.const 64
    0x00003a: i32.const 0
    0x00003c: i32.const 8
    0x00003e: memory.fill 0
    0x000041: end
customs[0]
exit: 0
;;)
