;; RUN: asm
;; ARGS: -O2 --target=armv7-linux-gnueabihf --name=a
;; SYMBOL: a__func0
;; ARMv7 NEON flushes f32 subnormals to zero, so f32x4.add goes lane by lane
;; through IEEE VFP (vadd.f32 on s registers), not vadd.f32 on q registers;
;; integer lanes stay on NEON (vadd.i32).
(module
  (func (param v128 v128) (result v128)
    (f32x4.add (local.get 0) (local.get 1))
    (i32x4.add (local.get 1))))

(;; EXPECT
<a__func0>:
               	push	{r11, lr}
               	mov	r11, sp
               	ldr	r1, [r0]
               	ldr	r1, [r1]
               	cmp	r1, sp
               	bhi	0x40 <a__func0+0x40>    @ imm = #0x24
               	vmov.f32	s8, s7
               	vmov.f32	s12, s6
               	vadd.f32	s11, s8, s3
               	vmov.f32	s14, s5
               	vadd.f32	s10, s12, s2
               	vmov.f32	s12, s4
               	vadd.f32	s9, s14, s1
               	vadd.f32	s8, s12, s0
               	vadd.i32	q0, q2, q1
               	pop	{r11, pc}
               	mov	r1, #9
               	mov	r2, #0
               	bl	0x48 <a__func0+0x48>    @ imm = #-0x8
exit: 0
;;)
