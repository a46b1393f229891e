;; RUN: validate
;; ARGS: --features=+multi-memory
;; WAT2WASM: --enable-multi-memory
;; With the multi-memory feature, several memories and memory indices validate.
(module
  (memory $a 1)
  (memory $b 1)
  (func (result i32)
    (i32.store $b (i32.const 0) (i32.load $a (i32.const 4)))
    (memory.size $b)))

(;; EXPECT
exit: 0
;;)
