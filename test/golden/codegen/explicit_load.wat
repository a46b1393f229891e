;; RUN: asm
;; ARGS: -O2 --bounds-checks=explicit --name=e
;; SYMBOL: e__func0
;; Explicit mode: the end of the access (index + offset + 4) is compared with
;; the memory's current length before the load; failure calls the trap libcall.
(module
  (memory 1)
  (func (param i32) (result i32) (i32.load offset=8 (local.get 0))))

(;; EXPECT
<e__func0>:
               	pushq	%rbp
               	movq	%rsp, %rbp
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x25 <e__func0+0x25>
               	movq	0x18(%rdi), %rax
               	movl	%esi, %ecx
               	leaq	0xc(%rcx), %rdx
               	cmpq	0x8(%rax), %rdx
               	ja	0x31 <e__func0+0x31>
               	movq	(%rax), %rax
               	movl	0x8(%rax,%rcx), %eax
               	popq	%rbp
               	retq
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x31 <e__func0+0x31>
               	movl	$0x2, %esi
               	xorl	%edx, %edx
               	callq	0x3d <e__func0+0x3d>
               	nopl	(%rax)
exit: 0
;;)
