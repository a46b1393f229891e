;; RUN: asm
;; ARGS: -O1 --bounds-checks=guard --name=g
;; SYMBOL: g__func0
;; Guard mode: each load in the loop is base + zext(index) + offset, with no
;; bounds compare and no call; the memory base is loaded once, outside the loop.
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
<g__func0>:
               	pushq	%rbp
               	movq	%rsp, %rbp
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x6f <g__func0+0x6f>
               	testl	%edx, %edx
               	je	0x25 <g__func0+0x25>
               	movq	0x18(%rdi), %rax
               	movq	(%rax), %rcx
               	movl	%edx, %edi
               	andl	$0x3, %edi
               	cmpl	$0x4, %edx
               	jae	0x29 <g__func0+0x29>
               	xorl	%eax, %eax
               	jmp	0x5b <g__func0+0x5b>
               	xorl	%eax, %eax
               	popq	%rbp
               	retq
               	andl	$-0x4, %edx
               	xorl	%eax, %eax
               	nop
               	movl	%esi, %r8d
               	addl	0x10(%rcx,%r8), %eax
               	leal	0x4(%rsi), %r8d
               	addl	0x10(%rcx,%r8), %eax
               	leal	0x8(%rsi), %r8d
               	addl	0x10(%rcx,%r8), %eax
               	leal	0xc(%rsi), %r8d
               	addl	0x10(%rcx,%r8), %eax
               	addl	$0x10, %esi
               	addl	$-0x4, %edx
               	jne	0x30 <g__func0+0x30>
               	testl	%edi, %edi
               	je	0x6d <g__func0+0x6d>
               	nop
               	movl	%esi, %edx
               	addl	0x10(%rcx,%rdx), %eax
               	addl	$0x4, %esi
               	decl	%edi
               	jne	0x60 <g__func0+0x60>
               	popq	%rbp
               	retq
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x7b <g__func0+0x7b>
               	nopl	(%rax,%rax)
exit: 0
;;)
