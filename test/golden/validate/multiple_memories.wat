;; RUN: validate
;; WAT2WASM: --enable-multi-memory
;; Two memories need the multi-memory feature, which is off by default. The
;; error points at the second memory, the first one too many (its limits).
(module
  (memory 1)
  (memory 1))

(;; EXPECT
multiple_memories.wasm:0x0000000d: error: multiple memories
exit: 1
;;)
