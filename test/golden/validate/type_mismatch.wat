;; RUN: validate
;; WAT2WASM: --no-check
;; An i64 where the function result is i32.
(module
  (func (result i32)
    (i64.const 0)))

(;; EXPECT
type_mismatch.wasm:0x0000001a: error: type mismatch: expected i32, got i64 (func 0)
exit: 1
;;)
