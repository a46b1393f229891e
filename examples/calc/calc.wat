;; calc.wat: the module of docs/USING.md, workflow 2.
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "add") (param i32 i32) (result i32)
    (call $log (local.get 0))
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
