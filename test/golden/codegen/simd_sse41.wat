;; RUN: asm
;; ARGS: -O2 --cpu-features=+sse4.1 --name=s
;; SYMBOL: s__func0
;; SIMD on x86_64 with SSE4.1: one instruction per Wasm operation
;; (paddd, mulps, pshufb for a general shuffle, pminsd for i32x4.min_s).
(module
  (func (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1))
    (f32x4.mul (local.get 0))
    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 1))
    (i32x4.min_s (local.get 1))))

(;; EXPECT
<s__func0>:
               	pushq	%rbp
               	movq	%rsp, %rbp
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x2b <s__func0+0x2b>
               	movdqa	%xmm1, %xmm2
               	paddd	%xmm0, %xmm2
               	mulps	%xmm0, %xmm2
               	pshufb	(%rip), %xmm2           # 0x20 <s__func0+0x20>
               	pminsd	%xmm1, %xmm2
               	movdqa	%xmm2, %xmm0
               	popq	%rbp
               	retq
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x37 <s__func0+0x37>
               	nopw	(%rax,%rax)
exit: 0
;;)
