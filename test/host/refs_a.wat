;; refs_a.wat: instance A of the reference tests (host_refs.c). It owns state
;; the host can tell apart from B's: global $g (100 at start) is read by the
;; functions it hands out as funcrefs. It also carries the externref global
;; and table the host stores into, and exports its function, memory, global
;; and table for refs_imp.wat to import.
;; Table "ftab" = [get_g, add_g, null, null].
(module
  (type $v_i (func (result i32)))
  (type $i_i (func (param i32) (result i32)))
  (global $g (export "g") (mut i32) (i32.const 100))
  (global $eg (export "eg") (mut externref) (ref.null extern))
  (table $et (export "etab") 4 externref)
  (table $ft (export "ftab") 4 funcref)
  (memory (export "mem") 1)
  (elem (table $ft) (i32.const 0) func $get_g $add_g)

  (func $get_g (export "get_g") (type $v_i) (global.get $g))
  (func $add_g (type $i_i) (i32.add (local.get 0) (global.get $g)))
  (func (export "ref_add_g") (result funcref) (ref.func $add_g))

  ;; externref round trips: through a parameter, the global and the table.
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "eg_set") (param externref) (global.set $eg (local.get 0)))
  (func (export "eg_get") (result externref) (global.get $eg))
  (func (export "et_set") (param i32 externref) (table.set $et (local.get 0) (local.get 1)))
  (func (export "et_get") (param i32) (result externref) (table.get $et (local.get 0)))
)
