/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPUID a guest sees: the host's, minus what we do not virtualise, plus
 * Xen's leaves at 0x40000000 (signature, version, hypercall MSR, HVM flags).
 */
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <public/arch-x86/cpuid.h>
#include <xenon/version.h>

#define HYPERCALL_MSR 0x40000000u

/* Leaf 1 ECX */
#define X86_FEAT_VMX (1u << 5)
#define X86_FEAT_XSAVE (1u << 26)
#define X86_FEAT_OSXSAVE (1u << 27)
#define X86_FEAT_AVX (1u << 28)
#define X86_FEAT_MONITOR (1u << 3)
#define X86_FEAT_X2APIC (1u << 21)
#define X86_FEAT_TSC_DEADLINE (1u << 24)
#define X86_FEAT_HYPERVISOR (1u << 31)
/* Leaf 1 EDX: machine checks are not virtualised (no vMCE) */
#define X86_FEAT_MCE (1u << 7)
#define X86_FEAT_MCA (1u << 14)
#define X86_FEAT_APIC (1u << 9)
/* Leaf 7 EBX: AVX2, AVX-512 family */
#define X86_FEAT7_AVX_MASK ((1u << 5) | 0xfc030000u)
/* Leaf 0x80000001 ECX */
#define X86_FEAT_SVM (1u << 2)

static void xen_leaves(struct vcpu *v, uint32_t idx, struct cpuid_regs *r)
{
    *r = (struct cpuid_regs){ 0 };
    switch (idx) {
    case 0:
        r->eax = XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES);
        r->ebx = XEN_CPUID_SIGNATURE_EBX;
        r->ecx = XEN_CPUID_SIGNATURE_ECX;
        r->edx = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->eax = (XENON_XEN_MAJOR << 16) | XENON_XEN_MINOR;
        break;
    case 2:
        r->eax = 1; /* hypercall pages */
        r->ebx = HYPERCALL_MSR;
        break;
    case 3:
        /* TSC: native, not emulated; subleaf 0 flags only. */
        r->eax = 0;
        break;
    case 4:
        r->eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT |
                 XEN_HVM_CPUID_UPCALL_VECTOR | XEN_HVM_CPUID_X2APIC_VIRT;
        r->ebx = v->id;
        r->ecx = v->domain->id;
        break;
    case 5:
        r->eax = 0;
        break;
    }
}

void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    if (leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + 0x100) {
        uint32_t idx = leaf - XEN_CPUID_FIRST_LEAF;

        if (idx <= XEN_CPUID_MAX_NUM_LEAVES)
            xen_leaves(v, idx, r);
        else
            *r = (struct cpuid_regs){ 0 };
        return;
    }
    *r = cpuid_count(leaf, subleaf);
    switch (leaf) {
    case 1:
        /* No nested virtualisation, no XSAVE state switching yet, no MONITOR. */
        r->ecx &= ~(X86_FEAT_VMX | X86_FEAT_XSAVE | X86_FEAT_OSXSAVE | X86_FEAT_AVX |
                    X86_FEAT_MONITOR | X86_FEAT_TSC_DEADLINE);
        /* The virtual APIC is an x2APIC (vlapic.c). */
        r->ecx |= X86_FEAT_HYPERVISOR | X86_FEAT_X2APIC;
        r->edx |= X86_FEAT_APIC;
        r->edx &= ~(X86_FEAT_MCE | X86_FEAT_MCA);
        /* Initial APIC ID: the vCPU id. */
        r->ebx = (r->ebx & 0x00ffffffu) | (v->id << 24);
        break;
    case 7:
        if (subleaf == 0)
            r->ebx &= ~X86_FEAT7_AVX_MASK;
        break;
    case 0xb:
    case 0x1f:
        r->edx = v->id; /* x2APIC id */
        break;
    case 0xd:
        *r = (struct cpuid_regs){ 0 };
        break;
    case 0x8000001e:
        r->eax = v->id; /* extended APIC id */
        break;
    case 0x80000001:
        r->ecx &= ~X86_FEAT_SVM;
        break;
    case 0x8000000a:
        *r = (struct cpuid_regs){ 0 };
        break;
    }
}
