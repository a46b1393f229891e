;; RUN: validate
;; WAT2WASM: --enable-multi-memory
;; Two memories need the multi-memory feature, which is off by default.
(module
  (memory 1)
  (memory 1))

(;; EXPECT
multiple_memories.wasm: error: multiple memories
exit: 1
;;)
