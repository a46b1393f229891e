;; RUN: dump
;; Imports of every kind, exports of every kind, a start function, and the
;; unified index spaces (imports first).
(module
  (type $v (func))
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "tab" (table 2 10 funcref))
  (import "env" "mem" (memory 1 2))
  (import "env" "g" (global $g i32))
  (global $counter (mut i64) (i64.const -1))
  (func $init (type $v))
  (func $add (type $ii_i) (local.get 0) (local.get 1) (i32.add))
  (export "add" (func $add))
  (export "tab" (table 0))
  (export "mem" (memory 0))
  (export "counter" (global $counter))
  (start $init))

(;; EXPECT
types[3]
  0: () -> ()
  1: (i32 i32) -> (i32)
  2: (i32) -> ()
imports[4]
  "env"."log" func 0
  "env"."tab" table 0
  "env"."mem" memory 0
  "env"."g" global 0
tables[1]
  0: funcref min 2 max 10 imported
memories[1]
  0: min 1 max 2 imported
globals[2]
  0: i32 imported
  1: mut i64
    0x000051:   i64.const -1
    0x000053:   end
exports[4]
  "add" func 2
  "tab" table 0
  "mem" memory 0
  "counter" global 1
start 1
elems[0]
datas[0]
funcs[3] (1 imported)
  func 0 type 2: (i32) -> () imported
  func 1 type 0: () -> ()
    locals; body 0x7a+2, depth 0
    0x00007b: end
  func 2 type 1: (i32 i32) -> (i32)
    locals; body 0x7d+7, depth 0
    0x00007e: local.get 0
    0x000080: local.get 1
    0x000082: i32.add
    0x000083: end
customs[0]
exit: 0
;;)
