;; refs_b.wat: instance B of the reference tests (host_refs.c). Its table
;; starts empty; the host fills it with A's funcrefs (directly or through
;; put()) and B calls them with call_indirect. B's own global $g (7) differs
;; from A's so that running A's code with B's state would show.
(module
  (type $v_i (func (result i32)))
  (type $i_i (func (param i32) (result i32)))
  (global $g (export "g") (mut i32) (i32.const 7))
  (table $ft (export "ftab") 4 funcref)

  (func (export "put") (param i32 funcref) (table.set $ft (local.get 0) (local.get 1)))
  (func (export "call0") (param $i i32) (result i32)
    (call_indirect $ft (type $v_i) (local.get $i)))
  (func (export "call1") (param $i i32) (param $x i32) (result i32)
    (call_indirect $ft (type $i_i) (local.get $x) (local.get $i)))
  ;; B's own reading of $g, for contrast.
  (func (export "get_g") (result i32) (global.get $g))
)
