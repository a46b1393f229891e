;; wasm2obj: --epoch-interruption
;; epoch.wat: code compiled with epoch checks (test/host/host_epoch.c).
(module
  (func (export "spin")
    (loop $forever (br $forever)))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  ;; No loop, no call: runs in bounded time, so it has no check.
  (func $leaf (export "leaf") (result i32) (i32.const 5)))
