;; traps.wat: one export per trap kind, for host_traps.c. Inputs come in as
;; parameters so that LLVM cannot fold a trap away at compile time.
;; Function indices (host_traps.c checks wrt_trap.func_idx against them):
;;   0 ret42  1 take_i32  2 unreachable  3 load  4 store  5 div_u  6 div_s
;;   7 trunc  8 call_ind  9 table_get  10 fill  11 copy  12 recurse  13 sum_to
;; Table $ft: [0] = ret42 : () -> i32, [1] = null, [2] = take_i32 : (i32) -> i32,
;; size 3, so index 3 is past its end.
(module
  (type $v_i (func (result i32)))
  (type $i_i (func (param i32) (result i32)))
  (memory 1 1)
  (table $ft 3 funcref)
  (table $et 2 externref)
  (elem (table $ft) (i32.const 0) func $ret42)
  (elem (table $ft) (i32.const 2) func $take_i32)
  ;; Deepest level the last recurse() call reached.
  (global $depth (export "depth") (mut i32) (i32.const 0))

  (func $ret42 (type $v_i) (i32.const 42))
  (func $take_i32 (type $i_i) (local.get 0))

  (func (export "unreachable") (unreachable))
  (func (export "load") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func (export "store") (param $addr i32) (param $v i32)
    (i32.store (local.get $addr) (local.get $v)))
  (func (export "div_u") (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f32) (result i32)
    (i32.trunc_f32_s (local.get 0)))
  (func (export "call_ind") (param $i i32) (result i32)
    (call_indirect $ft (type $v_i) (local.get $i)))
  (func (export "table_get") (param $i i32) (result externref)
    (table.get $et (local.get $i)))
  (func (export "fill") (param $dst i32) (param $n i32)
    (memory.fill (local.get $dst) (i32.const 0xab) (local.get $n)))
  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))

  ;; Unbounded, and not a tail call: the result is used after the call, in a
  ;; way no accumulator transformation can turn into a loop.
  (func $recurse (export "recurse") (param $n i32) (result i32)
    (local $r i32)
    (global.set $depth (local.get $n))
    (local.set $r (call $recurse (i32.add (local.get $n) (i32.const 1))))
    (i32.xor (local.get $r) (i32.mul (local.get $n) (local.get $r))))

  ;; Bounded recursion: n + (n-1) + ... + 0, to show the stack is usable
  ;; again after an exhaustion.
  (func $sum_to (export "sum_to") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $n)
                     (call $sum_to (i32.sub (local.get $n) (i32.const 1)))))))
)
