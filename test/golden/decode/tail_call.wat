;; RUN: dump
;; ARGS: --features=+tail-call
;; WAT2WASM: --enable-tail-call
;; Tail calls (proposal, opt-in): return_call and return_call_indirect.
(module
  (type $i_i (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $count)
  (func $count (type $i_i)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else
        (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
  (func (param i32) (result i32)
    (return_call_indirect (type $i_i) (local.get 0) (i32.const 0))))

(;; EXPECT
types[1]
  0: (i32) -> (i32)
imports[0]
tables[1]
  0: funcref min 1
memories[0]
globals[0]
exports[0]
elems[1]
  0: active funcref table 0 offset
    0x00001f:   i32.const 0
    0x000021:   end
    items[1] 0
datas[0]
funcs[2] (0 imported)
  func 0 type 0: (i32) -> (i32)
    locals; body 0x28+18, depth 1
    0x000029: local.get 0
    0x00002b: i32.eqz
    0x00002c: if (result i32)
    0x00002e:   i32.const 0
    0x000030: else
    0x000031:   local.get 0
    0x000033:   i32.const 1
    0x000035:   i32.sub
    0x000036:   return_call 0
    0x000038: end
    0x000039: end
  func 1 type 0: (i32) -> (i32)
    locals; body 0x3b+9, depth 0
    0x00003c: local.get 0
    0x00003e: i32.const 0
    0x000040: return_call_indirect (type 0) table=0
    0x000043: end
customs[0]
exit: 0
;;)
