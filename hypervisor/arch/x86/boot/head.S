/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry from a Multiboot loader: 32-bit protected mode, paging off.
 * Multiboot2 (GRUB, EAX=0x36d76289) and Multiboot1 (QEMU -kernel,
 * EAX=0x2BADB002); EBX points at the loader's information either way.
 * We build identity page tables for the first 4 GiB, enter long mode and
 * call arch_start(magic, info).
 */
#include <asm/boot_defs.h>

    .section .text.head, "ax"
    .code32

/* Multiboot2 header: must be 8-aligned within the first 32 KiB of the file. */
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long 0                                 /* architecture: i386 */
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
    .balign 8                               /* entry address tag */
    .short 3, 0
    .long 12
    .long _start
    .balign 8                               /* end tag */
    .short 0, 0
    .long 8
mb2_header_end:

/*
 * Multiboot1 header with the address fields (flag 16): QEMU's loader does not
 * load ELF64, so it loads the image from these instead.
 */
    .balign 4
mb1_header:
    .long MB1_HEADER_MAGIC
    .long MB1_HEADER_FLAGS
    .long -(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS)
    .long mb1_header                        /* header_addr */
    .long __image_start                     /* load_addr */
    .long __load_end                        /* load_end_addr */
    .long __bss_end                         /* bss_end_addr */
    .long _start                            /* entry_addr */

    .global _start
_start:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %eax, %edi                         /* keep loader magic and info */
    movl %ebx, %esi

    /* PML4[0] -> PDPT; PDPT[0..3] -> four PDs of 2 MiB pages = 4 GiB identity. */
    movl $boot_pdpt + PTE_PRESENT_RW, boot_pml4
    xorl %ecx, %ecx
    movl $boot_pd + PTE_PRESENT_RW, %eax
1:  movl %eax, boot_pdpt(, %ecx, 8)
    addl $4096, %eax
    incl %ecx
    cmpl $4, %ecx
    jne 1b

    xorl %ecx, %ecx                         /* 2048 large pages */
2:  movl %ecx, %eax
    shll $21, %eax
    orl $PTE_LARGE_RW, %eax
    cmpl $1536, %ecx                        /* top GiB is MMIO: uncached */
    jb 3f
    orl $PTE_PCD_PWT, %eax
3:  movl %eax, boot_pd(, %ecx, 8)
    movl $0, boot_pd + 4(, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 2b

    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $(CR4_PAE | CR4_PGE | CR4_OSFXSR), %eax
    movl %eax, %cr4
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME | EFER_NXE), %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE | CR0_MP), %eax
    andl $~(CR0_EM | CR0_CD | CR0_NW), %eax
    movl %eax, %cr0

    lgdt boot_gdt_desc
    ljmp $BOOT_CS64, $start64

    .code64
start64:
    movl $BOOT_DS, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    movq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    /* edi = magic, esi = info: already the first two C arguments */
    call arch_start
4:  cli
    hlt
    jmp 4b

    .section .rodata
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff                /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
    .global boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    .global boot_stack_top
boot_stack: .skip BOOT_STACK_SIZE
boot_stack_top:
