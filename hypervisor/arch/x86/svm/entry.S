/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void svm_vmrun(paddr_t vmcb_pa, struct guest_regs *regs, paddr_t host_vmcb_pa)
 * Called with GIF clear. VMRUN saves/restores only part of the host state, so
 * the rest (FS/GS/TR/LDTR, syscall MSRs) is swapped with VMSAVE/VMLOAD.
 * RAX and RSP of the guest live in the VMCB.
 */
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8 56
#define R_R9 64
#define R_R10 72
#define R_R11 80
#define R_R12 88
#define R_R13 96
#define R_R14 104
#define R_R15 112

    .text
    .global svm_vmrun
svm_vmrun:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdx                      /* host VMCB */
    pushq %rsi                      /* guest regs */

    movq %rdi, %rax
    movq R_RBX(%rsi), %rbx
    movq R_RCX(%rsi), %rcx
    movq R_RDX(%rsi), %rdx
    movq R_RDI(%rsi), %rdi
    movq R_RBP(%rsi), %rbp
    movq R_R8(%rsi), %r8
    movq R_R9(%rsi), %r9
    movq R_R10(%rsi), %r10
    movq R_R11(%rsi), %r11
    movq R_R12(%rsi), %r12
    movq R_R13(%rsi), %r13
    movq R_R14(%rsi), %r14
    movq R_R15(%rsi), %r15
    movq R_RSI(%rsi), %rsi

    vmload %rax
    vmrun %rax
    .global svm_vmexit_rip
svm_vmexit_rip:                     /* where the host resumes after #VMEXIT */
    vmsave %rax

    movq (%rsp), %rax               /* guest regs */
    movq %rbx, R_RBX(%rax)
    movq %rcx, R_RCX(%rax)
    movq %rdx, R_RDX(%rax)
    movq %rsi, R_RSI(%rax)
    movq %rdi, R_RDI(%rax)
    movq %rbp, R_RBP(%rax)
    movq %r8, R_R8(%rax)
    movq %r9, R_R9(%rax)
    movq %r10, R_R10(%rax)
    movq %r11, R_R11(%rax)
    movq %r12, R_R12(%rax)
    movq %r13, R_R13(%rax)
    movq %r14, R_R14(%rax)
    movq %r15, R_R15(%rax)

    popq %rax
    popq %rax                       /* host VMCB */
    vmload %rax
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
