/* SPDX-License-Identifier: MIT */
/*
 * x86-64 parts of shared_info / vcpu_info. PVH and HVM guests use these
 * layouts too (they are the only x86 layouts a 64-bit guest sees).
 */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_H
#define XEN_PUBLIC_ARCH_X86_XEN_H

#include "../xen-types.h"

/* Per-vCPU: cr2 is only meaningful to PV guests; kept for layout. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};

/* Per-domain: the PV p2m bookkeeping; PVH guests ignore it. */
struct arch_shared_info {
    uint64_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};

_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info layout");
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info layout");

/* Hypercall page: one 32-byte stub per hypercall number. */
#define XEN_HYPERCALL_STUB_SIZE 32

#endif
