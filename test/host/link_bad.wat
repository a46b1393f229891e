;; link_bad.wat: imports lib.add with the wrong type; instantiating it after
;; link_lib.wat's exports are in the linker must fail with an error.
(module
  (import "lib" "add" (func (param i64 i64) (result i64)))
  (func (export "f") (result i64) (call 0 (i64.const 1) (i64.const 2)))
)
