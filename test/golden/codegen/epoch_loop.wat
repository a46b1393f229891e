;; RUN: asm
;; ARGS: -O2 --epoch-interruption --name=e
;; SYMBOL: e__func0
;; Epoch checks go into the optimised code (codegen/epoch.c): LLVM unrolls
;; the loop below four times as it does without checks. Each of the two loops
;; it leaves (the unrolled one and the remainder) is versioned
;; (codegen/epoch_version.c): a test of its trip count before it takes a copy
;; without a check when the run is short (under 2^22 instructions), and else
;; the loop itself, which compares the store's due flag with zero at the end
;; of its header (the flag's address is loaded once, before the loops), with
;; the cold call of the epoch_interrupt libcall out of line. No entry check:
;; nothing is called.
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
               	subq	$0x18, %rsp
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x13c <e__func0+0x13c>
               	movl	%edx, %r14d
               	testl	%edx, %edx
               	je	0x42 <e__func0+0x42>
               	movl	%esi, %ebx
               	movq	0x10(%rdi), %r15
               	movq	0x18(%rdi), %rax
               	movq	(%rax), %r12
               	movl	%r14d, %r13d
               	andl	$0x3, %r13d
               	cmpl	$0x4, %r14d
               	jae	0x46 <e__func0+0x46>
               	xorl	%eax, %eax
               	jmp	0x88 <e__func0+0x88>
               	xorl	%eax, %eax
               	jmp	0xaf <e__func0+0xaf>
               	andl	$-0x4, %r14d
               	leal	-0x4(%r14), %eax
               	shrl	$0x2, %eax
               	cmpl	$0x2c85a, %eax          # imm = 0x2C85A
               	jae	0xea <e__func0+0xea>
               	xorl	%eax, %eax
               	nop
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x4(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x8(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0xc(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	addl	$0x10, %ebx
               	addl	$-0x4, %r14d
               	jne	0x60 <e__func0+0x60>
               	testl	%r13d, %r13d
               	je	0xaf <e__func0+0xaf>
               	leal	-0x1(%r13), %ecx
               	cmpl	$0x80001, %ecx          # imm = 0x80001
               	jae	0xc0 <e__func0+0xc0>
               	nopl	(%rax)
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	addl	$0x4, %ebx
               	decl	%r13d
               	jne	0xa0 <e__func0+0xa0>
               	addq	$0x18, %rsp
               	popq	%rbx
               	popq	%r12
               	popq	%r13
               	popq	%r14
               	popq	%r15
               	popq	%rbp
               	retq
               	nop
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	cmpl	$0x0, (%r15)
               	jne	0xd7 <e__func0+0xd7>
               	addl	$0x4, %ebx
               	decl	%r13d
               	jne	0xc0 <e__func0+0xc0>
               	jmp	0xaf <e__func0+0xaf>
               	movq	%rdi, %r14
               	movl	%eax, -0x2c(%rbp)
               	callq	0xe2 <e__func0+0xe2>
               	movl	-0x2c(%rbp), %eax
               	movq	%r14, %rdi
               	jmp	0xcd <e__func0+0xcd>
               	xorl	%eax, %eax
               	nopl	(%rax)
               	movl	%ebx, %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x4(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0x8(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	leal	0xc(%rbx), %ecx
               	addl	0x10(%r12,%rcx), %eax
               	cmpl	$0x0, (%r15)
               	jne	0x123 <e__func0+0x123>
               	addl	$0x10, %ebx
               	addl	$-0x4, %r14d
               	jne	0xf0 <e__func0+0xf0>
               	jmp	0x88 <e__func0+0x88>
               	movq	%rdi, -0x38(%rbp)
               	movq	-0x38(%rbp), %rdi
               	movl	%eax, -0x2c(%rbp)
               	callq	0x133 <e__func0+0x133>
               	movl	-0x2c(%rbp), %eax
               	movq	-0x38(%rbp), %rdi
               	jmp	0x115 <e__func0+0x115>
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x148 <e__func0+0x148>
               	nopl	(%rax,%rax)
exit: 0
;;)
