;; RUN: validate
;; WAT2WASM: --no-check
;; global.set of an immutable global; the error names function 1 (after the import).
(module
  (import "env" "f" (func))
  (global $g i32 (i32.const 0))
  (func
    (global.set $g (i32.const 1))))

(;; EXPECT
immutable_global.wasm:0x0000002c: error: global is immutable (func 1)
exit: 1
;;)
