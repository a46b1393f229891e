;; RUN: asm
;; ARGS: -O2 --target=aarch64-linux-gnu --name=a
;; SYMBOL: a__func0
;; SIMD on aarch64 NEON: the same operations as simd_sse41.wat map to add,
;; fmul, tbl/rev and smin.
(module
  (func (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1))
    (f32x4.mul (local.get 0))
    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 1))
    (i32x4.min_s (local.get 1))))

(;; EXPECT
<a__func0>:
               	stp	x29, x30, [sp, #-0x10]!
               	mov	x29, sp
               	ldr	x8, [x0]
               	mov	x9, sp
               	ldr	x8, [x8]
               	cmp	x8, x9
               	b.hi	0x38 <a__func0+0x38>
               	add	v2.4s, v1.4s, v0.4s
               	fmul	v0.4s, v0.4s, v2.4s
               	rev64	v0.16b, v0.16b
               	ext	v0.16b, v0.16b, v0.16b, #0x8
               	smin	v0.4s, v0.4s, v1.4s
               	ldp	x29, x30, [sp], #0x10
               	ret
               	mov	w1, #0x9                // =9
               	mov	w2, wzr
               	bl	0x40 <a__func0+0x40>
exit: 0
;;)
