;; link_app.wat: the importing side of host_link.c. It imports functions and
;; the memory of link_lib.wat (resolved through the linker and type-checked
;; at instantiation) and two typed host functions that host_link.c defines
;; as link_app_import_env_log / _env_twice (link_app.h).
(module
  (import "lib" "add" (func $add (param i32 i32) (result i32)))
  (import "lib" "mem" (memory 1))
  (import "env" "log" (func $log (param i32)))
  (import "env" "twice" (func $twice (param i64) (result i64)))
  (import "lib" "divide" (func $divide (param i32 i32) (result i32)))
  ;; an import exported again: the header calls it through wrt_call
  (export "add_again" (func $add))
  ;; 1 + 2 + ... + n through lib.add, logging every partial sum
  (func (export "sum_to") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (local.get $i) (local.get $n)))
        (local.set $s (call $add (local.get $s) (local.get $i)))
        (call $log (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; stores v at addr in lib's memory
  (func (export "poke") (param i32 i32)
    (i32.store (local.get 0) (local.get 1)))
  ;; lib.divide(a, b) + 1: a trap in lib shows both modules in the backtrace
  (func (export "divide_plus1") (param i32 i32) (result i32)
    (i32.add (call $divide (local.get 0) (local.get 1)) (i32.const 1)))
  (func (export "quad") (param i64) (result i64)
    (call $twice (call $twice (local.get 0))))
)
