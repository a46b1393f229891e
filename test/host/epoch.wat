;; wasm2obj: --epoch-interruption
;; epoch.wat: code compiled with epoch checks (test/host/host_epoch.c).
(module
  (func (export "spin")
    (loop $forever (br $forever)))
  ;; Counts to n (at least once), hashing as it goes: the hash it stores
  ;; keeps the optimiser from replacing the loop by its result.
  (func (export "count") (param $n i32) (result i32)
    (local $i i32) (local $h i32)
    (loop $next
      (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (i32.store (i32.const 0) (local.get $h))
    (local.get $i))
  ;; No loop, no call: runs in bounded time, so it has no check.
  (func $leaf (export "leaf") (result i32) (i32.const 5))
  ;; Calls only, no loop (as written; the optimiser may turn one of the two
  ;; calls into a loop): exponential time at bounded depth.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; A counted loop whose result is used after it: short runs take the copy
  ;; without the check (codegen/epoch_version.c), long ones the loop itself.
  (func (export "mix") (param $n i32) (result i32)
    (local $i i32) (local $h i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.xor (local.get $i) (i32.shr_u (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h))
  ;; Counting up by a step from outside the loop: bounded only when the step
  ;; is not 0 and i cannot wrap past n (else it loops forever).
  (func (export "stride") (param $n i32) (param $s i32) (result i32)
    (local $i i32) (local $h i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i32.add (local.get $h) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (local.get $s)))
        (br $next)))
    (local.get $h))
  ;; A tight store loop the optimiser unrolls, inside a loop that never ends
  ;; by itself within the test's time: 2^40 stores.
  (memory 1)
  (func (export "scribble")
    (local $i i64)
    (loop $next
      (i64.store8 (i32.wrap_i64 (i64.and (local.get $i) (i64.const 0xfff))) (local.get $i))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $next (i64.lt_u (local.get $i) (i64.const 0x10000000000))))))
