;; RUN: dump
;; WAT2WASM: --enable-tail-call
;; Tail calls are opt-in: without --features=+tail-call the module is
;; rejected as unsupported (exit 1), naming the feature.
(module
  (func $f (result i32) (return_call $f)))

(;; EXPECT
tail_call_disabled.wasm:0x00000018: error: return_call requires feature 'tail-call' (func 0)
exit: 1
;;)
