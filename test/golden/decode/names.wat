;; RUN: dump
;; WAT2WASM: --debug-names
;; The "name" custom section: module and function names.
(module $named
  (import "env" "ext" (func $imported))
  (func $first)
  (func)
  (func $third (call $first) (call $imported)))

(;; EXPECT
module "named"
types[1]
  0: () -> ()
imports[1]
  "env"."ext" func 0
tables[0]
memories[0]
globals[0]
exports[0]
elems[0]
datas[0]
funcs[4] (1 imported)
  func 0 "imported" type 0: () -> () imported
  func 1 "first" type 0: () -> ()
    locals; body 0x25+2, depth 0
    0x000026: end
  func 2 type 0: () -> ()
    locals; body 0x28+2, depth 0
    0x000029: end
  func 3 "third" type 0: () -> ()
    locals; body 0x2b+6, depth 0
    0x00002c: call 1
    0x00002e: call 0
    0x000030: end
customs[1]
  "name" 46 bytes after section 10
exit: 0
;;)
