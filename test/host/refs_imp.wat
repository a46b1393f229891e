;; refs_imp.wat: imports A's (refs_a.wat) function, memory, global and table
;; under module name "a", and gives the host a way to use each of them.
(module
  (type $v_i (func (result i32)))
  (import "a" "get_g" (func $get_g (type $v_i)))
  (import "a" "mem" (memory 1))
  (import "a" "g" (global $g (mut i32)))
  (import "a" "ftab" (table $t 4 funcref))

  (func (export "call_get_g") (result i32) (call $get_g))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "gget") (result i32) (global.get $g))
  (func (export "gset") (param i32) (global.set $g (local.get 0)))
  (func (export "tcall") (param i32) (result i32) (call_indirect $t (type $v_i) (local.get 0)))
  (func (export "tsize") (result i32) (table.size $t))
)
