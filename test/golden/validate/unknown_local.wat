;; RUN: validate
;; WAT2WASM: --no-check
;; local.get of an index beyond the parameters and locals.
(module
  (func (param i32) (local i64)
    (drop (local.get 2))))

(;; EXPECT
unknown_local.wasm:0x0000001a: error: unknown local 2 (func 0)
exit: 1
;;)
