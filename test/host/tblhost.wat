;; tblhost.wat: calls whatever the host put in its table through
;; call_indirect. It imports no function, so host functions put there get
;; their exit trampoline from the module's type section (host_refs.c).
(module
  (type $unop (func (param i32) (result i32)))
  (type $binop (func (param i64 i64) (result i64)))
  (table (export "tab") 2 funcref)
  (func (export "call_unop") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $unop) (local.get $x) (local.get $i)))
  (func (export "call_binop") (param $i i32) (param $a i64) (param $b i64) (result i64)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $i)))
)
