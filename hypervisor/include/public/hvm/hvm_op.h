/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_hvm_op(cmd, XEN_GUEST_HANDLE(void) arg), for HVM and PVH guests. */
#ifndef XEN_PUBLIC_HVM_HVM_OP_H
#define XEN_PUBLIC_HVM_HVM_OP_H

#include "../xen-types.h"

/* arg: struct xen_hvm_param. index is an HVM_PARAM_* (hvm/params.h). */
#define HVMOP_set_param           0
#define HVMOP_get_param           1
struct xen_hvm_param {
    domid_t domid;      /* DOMID_SELF or a domain the caller controls */
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};
_Static_assert(sizeof(struct xen_hvm_param) == 16, "");
_Static_assert(__builtin_offsetof(struct xen_hvm_param, index) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_hvm_param, value) == 8, "");

/* Device-model operations (emulated interrupt lines); numbering only. */
#define HVMOP_set_pci_intx_level  2
#define HVMOP_set_isa_irq_level   3
#define HVMOP_set_pci_link_route  4
#define HVMOP_flush_tlbs          5

/* The guest says a page table is going away (shadow paging hint). */
#define HVMOP_pagetable_dying     9
struct xen_hvm_pagetable_dying {
    domid_t domid;
    uint16_t pad[3];
    uint64_t gpa;
};
_Static_assert(sizeof(struct xen_hvm_pagetable_dying) == 16, "");

/* arg: struct xen_hvm_get_time; now = current system time in ns. */
#define HVMOP_get_time           10
struct xen_hvm_get_time {
    uint64_t now;
};
_Static_assert(sizeof(struct xen_hvm_get_time) == 8, "");

#define HVMOP_xentrace           11
#define HVMOP_set_mem_access     12
#define HVMOP_get_mem_access     13

/* arg: struct xen_hvm_get_mem_type */
#define HVMOP_get_mem_type       15
#define HVMMEM_ram_rw             0
#define HVMMEM_ram_ro             1
#define HVMMEM_mmio_dm            2
#define HVMMEM_unused             3
#define HVMMEM_ioreq_server       4
struct xen_hvm_get_mem_type {
    domid_t domid;
    uint16_t mem_type;      /* out: HVMMEM_* */
    uint16_t pad[2];
    uint64_t pfn;
};
_Static_assert(sizeof(struct xen_hvm_get_mem_type) == 16, "");

/*
 * Per-vCPU event-channel upcall vector (an alternative to the global
 * HVM_PARAM_CALLBACK_IRQ vector). arg: struct xen_hvm_evtchn_upcall_vector.
 */
#define HVMOP_set_evtchn_upcall_vector 23
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;
    uint8_t vector;     /* >= 0x10 */
    uint8_t pad[3];
};
_Static_assert(sizeof(struct xen_hvm_evtchn_upcall_vector) == 8, "");

#define HVMOP_guest_request_vm_event 24
#define HVMOP_altp2m                 25

#endif
