;; RUN: validate
;; WAT2WASM: --no-check
;; Two exports share a name (different kinds still clash).
(module
  (func $f)
  (memory 1)
  (export "x" (func $f))
  (export "x" (memory 0)))

(;; EXPECT
duplicate_export.wasm:0x0000001e: error: duplicate export name "x"
exit: 1
;;)
