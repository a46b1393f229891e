;; multi.wat: multi-value across the boundary (host_multi.c). triple()
;; returns three results of different types to wrt_call; via_host() calls a
;; host import with three results and returns them reordered and changed, so
;; that the order of results on both sides shows.
(module
  (import "host" "divmod" (func $divmod (param i32 i32) (result i32 i32 i64)))

  ;; (n, n * 10^12, n / 4)
  (func (export "triple") (param $n i32) (result i32 i64 f64)
    (local.get $n)
    (i64.mul (i64.extend_i32_s (local.get $n)) (i64.const 1000000000000))
    (f64.div (f64.convert_i32_s (local.get $n)) (f64.const 4)))

  ;; divmod(a, b) = (q, r, p); returns (p + 1, r, q)
  (func (export "via_host") (param $a i32) (param $b i32) (result i64 i32 i32)
    (local $q i32) (local $r i32) (local $p i64)
    (call $divmod (local.get $a) (local.get $b))
    (local.set $p)
    (local.set $r)
    (local.set $q)
    (i64.add (local.get $p) (i64.const 1))
    (local.get $r)
    (local.get $q))
)
