;; fiber.wat: Wasm run on fibers (test/host/host_fiber.c). host.wait suspends
;; the fiber and, once resumed, returns its argument doubled.
(module
  (import "host" "wait" (func $wait (param i32) (result i32)))
  (memory 1)
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $wait (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
  (func $wait_then_trap (export "wait_then_trap")
    (drop (call $wait (i32.const 1)))
    (unreachable))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (local.get 0)) (i32.const 1)))
  (func (export "wait_then_oob") (result i32)
    (drop (call $wait (i32.const 1)))
    (i32.load (i32.const 70000)))
  (func (export "wait_then_recurse") (result i32)
    (drop (call $wait (i32.const 1)))
    (call $recurse (i32.const 0))))
