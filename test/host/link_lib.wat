;; link_lib.wat: the exporting side of host_link.c, called through its typed
;; header (wasm2obj --header): direct calls with C types, a trap inside a
;; WRT_TRY scope, several results through wrt_call, and objects (memory,
;; global) shared with link_app.wat.
(module
  (memory (export "mem") 1)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "scale") (param f64 f32) (result f64)
    (f64.mul (local.get 0) (f64.promote_f32 (local.get 1))))
  (func (export "wide") (param i64) (result i64)
    (i64.sub (i64.shl (local.get 0) (i64.const 8)) (i64.const 1)))
  (func (export "neg") (param i32) (result i32)
    (i32.sub (i32.const 0) (local.get 0)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "peek") (param i32) (result i32)
    (i32.load (local.get 0)))
)
