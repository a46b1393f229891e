;; RUN: asm
;; ARGS: -O2 --epoch-interruption --name=e
;; SYMBOL: e__func0
;; Epoch checks go into the optimised code (codegen/epoch.c): LLVM unrolls
;; the loop below four times as it does without checks, and each of the two
;; loops it leaves (the unrolled one and the remainder) gets one compare of
;; the store's due flag with zero and a branch at the top of its header (the
;; flag's address is loaded once, before the loops), with the cold call of
;; the epoch_interrupt libcall out of line. No entry check: nothing is called.
(module
  (memory 1)
  (func (param $p i32) (param $n i32) (result i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (i32.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum)))

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
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0xd4 <e__func0+0xd4>
               	testl	%edx, %edx
               	je	0x43 <e__func0+0x43>
               	movl	%esi, %ebx
               	movq	0x10(%rdi), %r15
               	movq	0x18(%rdi), %rax
               	movq	(%rax), %r12
               	movl	%edx, %r13d
               	andl	$0x3, %r13d
               	cmpl	$0x4, %edx
               	jae	0x4a <e__func0+0x4a>
               	xorl	%eax, %eax
               	testl	%r13d, %r13d
               	jne	0xb0 <e__func0+0xb0>
               	jmp	0xc5 <e__func0+0xc5>
               	xorl	%eax, %eax
               	jmp	0xc5 <e__func0+0xc5>
               	andl	$-0x4, %edx
               	xorl	%eax, %eax
               	nop
               	cmpl	$0x0, (%r15)
               	jne	0x7f <e__func0+0x7f>
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x4(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x8(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0xc(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	addl	$0x10, %ebx
               	addl	$-0x4, %edx
               	jne	0x50 <e__func0+0x50>
               	jmp	0x39 <e__func0+0x39>
               	movq	%rdi, %r14
               	movl	%eax, -0x2c(%rbp)
               	movl	%edx, -0x30(%rbp)
               	callq	0x8d <e__func0+0x8d>
               	movl	-0x30(%rbp), %edx
               	movl	-0x2c(%rbp), %eax
               	movq	%r14, %rdi
               	jmp	0x56 <e__func0+0x56>
               	movq	%rdi, %r14
               	movl	%eax, -0x2c(%rbp)
               	callq	0xa3 <e__func0+0xa3>
               	movl	-0x2c(%rbp), %eax
               	movq	%r14, %rdi
               	jmp	0xb6 <e__func0+0xb6>
               	nopl	(%rax,%rax)
               	cmpl	$0x0, (%r15)
               	jne	0x98 <e__func0+0x98>
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	addl	$0x4, %ebx
               	decl	%r13d
               	jne	0xb0 <e__func0+0xb0>
               	addq	$0x8, %rsp
               	popq	%rbx
               	popq	%r12
               	popq	%r13
               	popq	%r14
               	popq	%r15
               	popq	%rbp
               	retq
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0xe0 <e__exit0>
exit: 0
;;)
