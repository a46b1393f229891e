;; Hostile modules: memory.grow between accesses. Explicit mode must see the
;; new length (and a moved base) after every grow, guard mode the new pages;
;; nothing past the current length is ever reachable.
(module
  (memory 1 3)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  ;; Traps at the old end, grows, then the same address is in bounds.
  (func (export "grow_then_load") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.load (local.get 0)))
  ;; Grows in a loop, writing the last word of the memory after each grow.
  (func (export "grow_loop") (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 7))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 0))
)
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "grow_then_load" (i32.const 65536)) (i32.const 0))
(assert_trap (invoke "load" (i32.const 131070)) "out of bounds memory access")
(assert_return (invoke "grow_loop") (i32.const 1))
(assert_return (invoke "load" (i32.const 196604)) (i32.const 7))
(assert_trap (invoke "load" (i32.const 196605)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))

(module
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
;; Past 4 GiB (65536 pages) memory.grow fails, it never wraps.
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
