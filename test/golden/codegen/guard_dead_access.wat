;; RUN: asm
;; ARGS: -O2 --bounds-checks=guard --name=g
;; SYMBOL: g__func0
;; Guard mode: a load whose value is folded away and a store that a later
;; store overwrites are both still executed (each may be the trap), at full
;; width and in order, with no bounds compare: load 4 bytes, store 4, store 4.
(module
  (memory 1)
  (func (param $p i32) (result i32)
    (i32.store offset=8 (local.get $p) (i32.const 1))
    (drop (i32.and (i32.load offset=16 (local.get $p)) (i32.const 0xff)))
    (i32.store offset=8 (local.get $p) (i32.const 2))
    (i32.const 0)))

(;; EXPECT
<g__func0>:
               	pushq	%rbp
               	movq	%rsp, %rbp
               	movq	(%rdi), %rax
               	cmpq	%rsp, (%rax)
               	ja	0x2d <g__func0+0x2d>
               	movq	0x18(%rdi), %rax
               	movq	(%rax), %rax
               	movl	%esi, %ecx
               	movl	$0x1, 0x8(%rax,%rcx)
               	movl	0x10(%rax,%rcx), %edx
               	movl	$0x2, 0x8(%rax,%rcx)
               	xorl	%eax, %eax
               	popq	%rbp
               	retq
               	movl	$0x9, %esi
               	xorl	%edx, %edx
               	callq	0x39 <g__func0+0x39>
               	nopl	(%rax)
exit: 0
;;)
