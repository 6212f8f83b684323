/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AP start-up. Copied to TRAMPOLINE_BASE (below 1 MiB) and entered in real
 * mode by a STARTUP IPI at CS:IP = TRAMPOLINE_BASE/16 : 0. Goes through
 * 32-bit protected mode into long mode on the boot page tables, then jumps
 * to ap_entry64 in the hypervisor image.
 */
#include <asm/boot_defs.h>

#define REL(x) ((x) - trampoline_start)
#define ABS(x) (TRAMPOLINE_BASE + REL(x))

    .section .rodata.trampoline, "a"
    .code16
    .global trampoline_start, trampoline_end
trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl REL(tramp_gdt_desc)
    mov %cr0, %eax
    or $CR0_PE, %eax
    mov %eax, %cr0
    ljmpl $0x08, $ABS(tramp32)

    .code32
tramp32:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE | CR4_OSFXSR), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE), %eax
    wrmsr
    mov %cr0, %eax
    or $(CR0_PG | CR0_WP | CR0_PE | CR0_MP), %eax
    and $~(CR0_EM | CR0_CD | CR0_NW), %eax
    mov %eax, %cr0
    ljmp $0x18, $ABS(tramp64)

    .code64
tramp64:
    movabs $ap_entry64, %rax
    jmp *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff            /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00af9a000000ffff            /* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_desc:
    .short tramp_gdt_end - tramp_gdt - 1
    .long ABS(tramp_gdt)
trampoline_end:

    .text
    .code64
    .global ap_entry64
ap_entry64:
    mov $BOOT_DS, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    mov ap_boot_stack(%rip), %rsp
    xor %ebp, %ebp
    call ap_start
1:  cli
    hlt
    jmp 1b
