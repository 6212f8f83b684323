/* SPDX-License-Identifier: GPL-2.0-only */
/* x86 per-domain and per-vCPU state that generic x86 code uses; vendor state hangs off it. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <xenon/types.h>
#include <asm/vlapic.h>

/* General-purpose registers saved on every exit (RAX/RSP live in the VMCB/VMCS). */
struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

struct arch_vcpu {
    struct guest_regs regs;
    void *vendor;              /* VMCB (SVM) or VMCS (VMX) and friends */
    uint64_t hypercall_msr;    /* last value written to the hypercall-page MSR */
    uint32_t tsc_aux;          /* what RDTSCP/RDPID return: loaded into the MSR before entry */
    uint64_t mtrr_def_type;    /* IA32_MTRR_DEF_TYPE as the guest set it (hvm.h) */
    struct vlapic vlapic;
};

struct arch_domain {
    paddr_t npt_root;          /* nested page table root (NPT or EPT) */
    uint32_t asid;
    uint64_t npt_pages;        /* table pages in use, capped: a guest cannot make us grow them forever */
    volatile uint64_t tlb_gen; /* bumped on every nested-page-table change */
};

#endif
