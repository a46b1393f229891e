;; refs_bad.wat: imports A's "get_g" (() -> i32 in refs_a.wat) with another
;; signature; instantiating it must fail with "incompatible import type".
(module
  (import "a" "get_g" (func (param i32) (result i32)))
)
