/* SPDX-License-Identifier: MIT */
/*
 * Initial register state of an HVM/PVH vCPU, for VCPUOP_initialise (Xen's
 * public interface). Segment "_ar" attributes: bits 0-3 type, 4 S, 5-6 DPL,
 * 7 P, 8 AVL, 9 L, 10 D/B, 11 G.
 */
#ifndef XEN_PUBLIC_HVM_HVM_VCPU_H
#define XEN_PUBLIC_HVM_HVM_VCPU_H

#include <stddef.h>
#include <stdint.h>

struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t pad1;
    uint64_t efer;          /* only SCE, LME, NXE are honoured; LMA follows */
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};

/* Long mode with flat segments set up by the hypervisor. */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
    uint64_t rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
};

#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1

struct vcpu_hvm_context {
    uint32_t mode;
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "vcpu_hvm_x86_32 layout");
_Static_assert(sizeof(struct vcpu_hvm_x86_64) == 112, "vcpu_hvm_x86_64 layout");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "vcpu_hvm_context layout");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, efer) == 56 && offsetof(struct vcpu_hvm_x86_32, cs_ar) == 104,
               "vcpu_hvm_x86_32 field offsets");

#endif
