/*
** x86_64.S: the fiber context switch for x86-64 (System V), see fiber.c.
**
**   void wrt_fiber_switch(void **save_sp, void *to_sp)
**     pushes the callee-saved registers on the current stack, stores the
**     stack pointer in *save_sp, switches to to_sp and pops the registers
**     saved there (by an earlier switch, or laid out by fiber.c for a new
**     fiber), returning to the address below them. No signal mask, no
**     system call.
**   wrt_fiber_entry: where a new fiber's first switch "returns" to: calls
**     wrt_fiber_main(rbx), which never returns.
**
** Frame laid out by fiber.c (from the saved SP up): r15 r14 r13 r12 rbx rbp ret.
*/
#if defined(__x86_64__)
        .text
        .globl  wrt_fiber_switch
        .hidden wrt_fiber_switch
        .type   wrt_fiber_switch, @function
        .p2align 4
wrt_fiber_switch:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   wrt_fiber_switch, . - wrt_fiber_switch

        .globl  wrt_fiber_entry
        .hidden wrt_fiber_entry
        .type   wrt_fiber_entry, @function
        .p2align 4
wrt_fiber_entry:
        movq    %rbx, %rdi
        call    wrt_fiber_main@PLT
        ud2
        .size   wrt_fiber_entry, . - wrt_fiber_entry
#endif
#if defined(__linux__) && defined(__ELF__)
        .section .note.GNU-stack, "", %progbits
#endif
