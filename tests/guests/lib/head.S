/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH entry: 32-bit protected mode, paging off, flat segments, EBX =
 * struct hvm_start_info. Build identity page tables for the first 4 GiB
 * (2 MiB pages), switch to long mode and call guest_start(start_info).
 */
#include <public/elfnote.h>

#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)
#define CR0_PE          (1 << 0)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define PTE_P           0x001
#define PTE_RW          0x002
#define PTE_PWT         0x008
#define PTE_PCD         0x010
#define PTE_PS          0x080
#define SEL_CODE64      0x08
#define SEL_DATA        0x10

/* ELF notes: the hypervisor (and QEMU) find the 32-bit entry here. */
.macro xen_note type, payload:vararg
    .balign 4
    .long 4                 /* namesz, "Xen\0" */
    .long 2f - 1f           /* descsz */
    .long \type
    .asciz "Xen"
    .balign 4
1:  \payload
2:  .balign 4
.endm

    .section .note.Xen, "a", @note
    xen_note XEN_ELFNOTE_PHYS32_ENTRY, .long pvh_entry32
    xen_note XEN_ELFNOTE_GUEST_OS, .asciz "Xenon-microguest"
    xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_LOADER, .asciz "generic"

    .section .text.entry, "ax"
    .code32
    .globl pvh_entry32
pvh_entry32:
    cld
    /* The PVH ABI leaves ESP undefined: have a stack before PUSHF. */
    mov     $stack_top, %esp
    /* Record the state we were handed; pvh-entry-state checks it. */
    mov     %cr0, %eax
    mov     %eax, entry_cr0
    mov     %cr4, %eax
    mov     %eax, entry_cr4
    pushf
    pop     %eax
    mov     %eax, entry_eflags
    mov     %cs, %ax
    mov     %ax, entry_cs
    mov     %ds, %ax
    mov     %ax, entry_ds
    mov     %ebx, %esi

    /* A loader need not zero .bss for us; our page tables live there. */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb
    mov     $stack_top, %esp

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories. */
    mov     $pdpt, %eax
    or      $(PTE_P | PTE_RW), %eax
    mov     %eax, pml4
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $12, %eax
    add     $(pd + PTE_P + PTE_RW), %eax
    mov     %eax, pdpt(, %ecx, 8)
    inc     %ecx
    cmp     $4, %ecx
    jb      1b

    /* 2048 2 MiB identity pages; the top GiB (MMIO, LAPIC) uncached. */
    xor     %ecx, %ecx
2:  mov     %ecx, %eax
    shl     $21, %eax
    or      $(PTE_P | PTE_RW | PTE_PS), %eax
    cmp     $1536, %ecx
    jb      3f
    or      $(PTE_PWT | PTE_PCD), %eax
3:  mov     %eax, pd(, %ecx, 8)
    movl    $0, pd + 4(, %ecx, 8)
    inc     %ecx
    cmp     $2048, %ecx
    jb      2b

    lgdt    gdt_ptr
    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $pml4, %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $entry64

    .code64
entry64:
    mov     $SEL_DATA, %ax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    mov     %ax, %fs
    mov     %ax, %gs
    mov     $stack_top, %rsp
    mov     %esi, %edi      /* zero-extends: start_info GPA */
    call    guest_start
4:  cli
    hlt
    jmp     4b

    /* Filled by the hypervisor after the MSR write; int3 until then. */
    .section .text.hypercall_page, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .data
    .balign 16
gdt:
    .quad 0                         /* null */
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL0 */
    .quad 0x00cf92000000ffff        /* 0x10: flat data */
    .quad 0x00cf9a000000ffff        /* 0x18: 32-bit code */
gdt_end:
    .globl gdt_ptr
gdt_ptr:
    .word gdt_end - gdt - 1
    .quad gdt

    .globl entry_cr0, entry_cr4, entry_eflags, entry_cs, entry_ds
entry_cr0:    .long 0
entry_cr4:    .long 0
entry_eflags: .long 0
entry_cs:     .word 0
entry_ds:     .word 0

    .bss
    .balign 4096
pml4:   .skip 4096
pdpt:   .skip 4096
pd:     .skip 4096 * 4
stack:  .skip 16384
stack_top:

    .section .note.GNU-stack, "", @progbits
