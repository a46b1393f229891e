;; async.wat: the async benchmark's module (inst_bench.c): loop(n) calls the
;; host function host.wait n times.
(module
  (import "host" "wait" (func $wait (param i32) (result i32)))
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $wait (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
  (func (export "nop") (result i32) (i32.const 7)))
