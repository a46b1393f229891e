;; RUN: asm
;; ARGS: -O2 --target=x86_64-linux-gnu --bounds-checks=explicit --name=e
;; SYMBOL: e__func0
;; Explicit mode: memory.grow may move the memory (32-bit hosts remap it), so
;; the base and length are loaded again from the memory record after the call.
(module
  (memory 1)
  (func (param i32) (result i32)
    (i32.load (local.get 0))
    (drop (memory.grow (i32.const 1)))
    (i32.load (local.get 0))
    (i32.add)))

(;; EXPECT
<e__func0>:
               	pushq	%rbp
               	movq	%rsp, %rbp
               	pushq	%r15
               	pushq	%r14
               	pushq	%r13
               	pushq	%r12
               	pushq	%rbx
               	pushq	%rax
               	movq	%rdi, %rbx
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x72 <e__func0+0x72>
               	movq	0x18(%rbx), %r12
               	movl	%esi, %r15d
               	leaq	0x4(%r15), %r13
               	cmpq	0x8(%r12), %r13
               	ja	0x63 <e__func0+0x63>
               	movq	(%r12), %rax
               	movl	(%rax,%r15), %r14d
               	movl	$0x1, %edx
               	movq	%rbx, %rdi
               	xorl	%esi, %esi
               	callq	0x42 <e__func0+0x42>
               	cmpq	0x8(%r12), %r13
               	ja	0x63 <e__func0+0x63>
               	movq	(%r12), %rax
               	addl	(%rax,%r15), %r14d
               	movl	%r14d, %eax
               	addq	$0x8, %rsp
               	popq	%rbx
               	popq	%r12
               	popq	%r13
               	popq	%r14
               	popq	%r15
               	popq	%rbp
               	retq
               	movq	%rbx, %rdi
               	movl	$0x2, %esi
               	xorl	%edx, %edx
               	callq	0x72 <e__func0+0x72>
               	movq	%rbx, %rdi
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x81 <e__func0+0x81>
               	nopw	%cs:(%rax,%rax)
exit: 0
;;)
