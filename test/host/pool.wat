;; pool.wat: a tenant of a pooled slot (test/host/host_pool.c). `dirty` writes
;; everywhere a tenant can (every byte of its memory, grown memory, both
;; tables grown and set, the mutable global); the next tenant of the same
;; slots must see only its own initial state.
(module
  (memory (export "mem") 1 100)
  (table $funcs (export "funcs") 2 100 funcref)
  (table $refs (export "refs") 1 100 externref)
  (global $g (export "g") (mut i32) (i32.const 7))
  (func $f (result i32) (i32.const 42))
  (elem (table $funcs) (i32.const 0) func $f)
  (data (i32.const 16) "hello")

  (func (export "dirty") (param $x externref)
    (memory.fill (i32.const 0) (i32.const 0xab) (i32.const 65536))
    (drop (memory.grow (i32.const 9)))
    (memory.fill (i32.const 65536) (i32.const 0xcd) (i32.const 589824))
    (drop (table.grow $funcs (ref.func $f) (i32.const 10)))
    (table.set $funcs (i32.const 1) (ref.func $f))
    (drop (table.grow $refs (local.get $x) (i32.const 5)))
    (table.set $refs (i32.const 0) (local.get $x))
    (global.set $g (i32.const 99)))

  ;; Grows everything back to what `dirty` left, with null/zero contents.
  (func (export "grow") (result i32)
    (drop (table.grow $funcs (ref.null func) (i32.const 10)))
    (drop (table.grow $refs (ref.null extern) (i32.const 5)))
    (memory.grow (i32.const 9)))

  ;; Only an inline table.set: the table must count as written.
  (func (export "set1")
    (table.set $funcs (i32.const 1) (ref.func $f)))

  (func (export "load") (param $a i32) (result i32)
    (i32.load (local.get $a)))
  (func (export "call") (param $i i32) (result i32)
    (call_indirect $funcs (result i32) (local.get $i))))
