/*
** aarch64.S: the fiber context switch for AArch64 (AAPCS64), see fiber.c and
** x86_64.S for the contract. Saved: x19-x28, x29 (fp), x30 (lr), d8-d15.
**
** Frame laid out by fiber.c (160 bytes from the saved SP): x19 x20 ... x28
** x29 x30 d8 ... d15; x30 is wrt_fiber_entry, x19 the fiber.
*/
#if defined(__aarch64__)
        .text
        .globl  wrt_fiber_switch
        .hidden wrt_fiber_switch
        .type   wrt_fiber_switch, %function
        .p2align 4
wrt_fiber_switch:
        sub     sp, sp, #160
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x2, sp
        str     x2, [x0]
        mov     sp, x1
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #160
        ret
        .size   wrt_fiber_switch, . - wrt_fiber_switch

        .globl  wrt_fiber_entry
        .hidden wrt_fiber_entry
        .type   wrt_fiber_entry, %function
        .p2align 4
wrt_fiber_entry:
        mov     x0, x19
        bl      wrt_fiber_main
        brk     #0
        .size   wrt_fiber_entry, . - wrt_fiber_entry
#endif
#if defined(__linux__) && defined(__ELF__)
        .section .note.GNU-stack, "", %progbits
#endif
