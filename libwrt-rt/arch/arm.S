/*
** arm.S: the fiber context switch for ARMv7-A (AAPCS, hard float, ARM
** state), see fiber.c and x86_64.S for the contract. Saved: r4-r11, lr,
** d8-d15, and r12 only to keep the stack 8-byte aligned.
**
** Frame laid out by fiber.c (104 bytes from the saved SP): d8 ... d15, r4
** ... r12, lr; lr is wrt_fiber_entry, r4 the fiber.
*/
#if defined(__arm__)
        .syntax unified
        .arm
        .fpu    vfpv3-d16
        .text
        .globl  wrt_fiber_switch
        .hidden wrt_fiber_switch
        .type   wrt_fiber_switch, %function
        .p2align 2
wrt_fiber_switch:
        push    {r4-r12, lr}
        vpush   {d8-d15}
        str     sp, [r0]
        mov     sp, r1
        vpop    {d8-d15}
        pop     {r4-r12, pc}
        .size   wrt_fiber_switch, . - wrt_fiber_switch

        .globl  wrt_fiber_entry
        .hidden wrt_fiber_entry
        .type   wrt_fiber_entry, %function
        .p2align 2
wrt_fiber_entry:
        mov     r0, r4
        bl      wrt_fiber_main
        udf     #0
        .size   wrt_fiber_entry, . - wrt_fiber_entry
#endif
#if defined(__linux__) && defined(__ELF__)
        .section .note.GNU-stack, "", %progbits
#endif
