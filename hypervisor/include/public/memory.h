/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_memory_op(cmd, XEN_GUEST_HANDLE(void) arg).
 * A cmd may carry a continuation start extent in bits 6 and up; only the
 * low bits select the operation.
 */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include "xen-types.h"

#define XENMEMOP_CMD_MASK          0x3fu
#define XENMEMOP_EXTENT_SHIFT      6

/*
 * arg: struct xen_memory_reservation; returns the number of extents done
 * (fewer than nr_extents on partial failure) or a negative errno.
 * populate_physmap: allocate and map each extent at the GFN given;
 * decrease_reservation: give back the frames at each GFN (ballooning);
 * increase_reservation: allocate and return MFNs (PV guests only).
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)      (x)
#define XENMEMF_get_address_bits(x)  ((x) & 0xffu)
#define XENMEMF_node(x)              (((x) + 1) << 8)
#define XENMEMF_get_node(x)          ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand   (1u << 16)
#define XENMEMF_exact_node_request   (1u << 17)
#define XENMEMF_exact_node(n)        (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode                (1u << 18)

struct xen_memory_reservation {
    /* GFNs: in for decrease/populate, out (MFNs) for PV increase */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    uint32_t extent_order;      /* each extent is 2^order pages */
    uint32_t mem_flags;         /* XENMEMF_*; Linux names it address_bits and sets 0 */
    domid_t domid;
    uint16_t pad[3];
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, nr_extents) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, extent_order) == 16, "");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, mem_flags) == 20, "");
_Static_assert(__builtin_offsetof(struct xen_memory_reservation, domid) == 24, "");

/* arg: struct xen_memory_exchange */
#define XENMEM_exchange             11
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;   /* caller sets 0 */
};
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "");

/* arg ignored; returns the highest machine frame number of RAM. Never fails in Xen. */
#define XENMEM_maximum_ram_page     2
/* arg: domid_t *; return the domain's pages now / its limit. */
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
/* arg: domid_t *; returns the highest GFN the domain has populated. */
#define XENMEM_maximum_gpfn        14

/* PV-only M2P queries; kept for numbering. */
#define XENMEM_machphys_mfn_list    5
#define XENMEM_machphys_mapping    12
#define XENMEM_machphys_compat_mfn_list 25

struct xen_machphys_mfn_list {
    uint32_t max_extents;
    uint32_t pad;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    uint32_t nr_extents;
    uint32_t pad2;
};
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "");

struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "");

/* Address spaces that add_to_physmap can map from. */
#define XENMAPSPACE_shared_info   0  /* idx 0: the shared_info page */
#define XENMAPSPACE_grant_table   1  /* idx: grant frame (| XENMAPIDX_...) */
#define XENMAPSPACE_gmfn          2  /* idx: another GFN of the same domain */
#define XENMAPSPACE_gmfn_range    3  /* idx..idx+size-1; add_to_physmap only */
#define XENMAPSPACE_gmfn_foreign  4  /* idx: GFN of the foreign domain; batch (range) only */
#define XENMAPSPACE_dev_mmio      5

#define XENMAPIDX_grant_table_status 0x80000000u

/* arg: struct xen_add_to_physmap */
#define XENMEM_add_to_physmap       7
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;          /* pages, for XENMAPSPACE_gmfn_range */
    uint32_t space;         /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;         /* where in the domain's physmap to put it */
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap, space) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap, idx) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap, gpfn) == 16, "");

/*
 * arg: struct xen_add_to_physmap_batch; per-entry results in errs[], the
 * call itself returns 0 or an error about the whole batch. Linux calls it
 * XENMEM_add_to_physmap_range (struct xen_add_to_physmap_range, same layout
 * with foreign_domid in place of the union). privcmd on an auto-translated
 * Dom0 maps guest frames through it with XENMAPSPACE_gmfn_foreign and undoes
 * that with XENMEM_remove_from_physmap.
 */
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_add_to_physmap_range XENMEM_add_to_physmap_batch
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;
    uint16_t size;          /* entries in idxs/gpfns/errs */
    union {
        domid_t foreign_domid;  /* for XENMAPSPACE_gmfn_foreign */
        uint16_t res0;
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;
};
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap_batch, u) == 6, "");
_Static_assert(__builtin_offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "");

/* arg: struct xen_remove_from_physmap: unmap the page at gpfn of domid. */
#define XENMEM_remove_from_physmap 15
struct xen_remove_from_physmap {
    domid_t domid;
    uint16_t pad[3];
    xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "");

/*
 * arg: struct xen_memory_map. In: nr_entries = capacity of buffer (entries);
 * out: nr_entries = entries written. buffer holds E820 entries.
 */
#define XENMEM_memory_map           9
#define XENMEM_machine_memory_map  10   /* privileged: the host map */
#define XENMEM_set_memory_map      13   /* arg: struct xen_foreign_memory_map */

struct xen_memory_map {
    uint32_t nr_entries;
    uint32_t pad;
    XEN_GUEST_HANDLE(void) buffer;
};
_Static_assert(sizeof(struct xen_memory_map) == 16, "");

struct xen_foreign_memory_map {
    domid_t domid;
    uint16_t pad[3];
    struct xen_memory_map map;
};
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "");

/* The BIOS E820 entry: 20 bytes, packed. */
#define XEN_E820_RAM        1
#define XEN_E820_RESERVED   2
#define XEN_E820_ACPI       3
#define XEN_E820_NVS        4
#define XEN_E820_UNUSABLE   5

struct xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct xen_e820_entry) == 20, "e820 entry is 20 bytes");

/* Populate-on-demand target; arg: struct xen_pod_target. */
#define XENMEM_set_pod_target      16
#define XENMEM_get_pod_target      17
struct xen_pod_target {
    uint64_t target_pages;
    uint64_t tot_pages;
    uint64_t pod_cache_pages;
    uint64_t pod_entries;
    domid_t domid;
    uint16_t pad[3];
};
_Static_assert(sizeof(struct xen_pod_target) == 40, "");

#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op                20
#define XENMEM_access_op                21
#define XENMEM_sharing_op               22

/* Reserve pages for a domain being built; arg: xen_memory_reservation. */
#define XENMEM_claim_pages              24

#define XENMEM_get_vnumainfo            26
#define XENMEM_reserved_device_memory_map 27

/* Map a resource of another domain (grant frames, ioreq pages). */
#define XENMEM_acquire_resource         28
#define XENMEM_resource_ioreq_server    0
#define XENMEM_resource_grant_table     1
#define XENMEM_resource_vmtrace_buf     2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1

/*
 * nr_frames: in, frames wanted; 0 with a null frame_list asks for the
 * resource's size, returned in it. pad: must be zero (once an output
 * flags word). frame: the first frame of the resource to map. frame_list:
 * the GFNs to map the frames at (auto-translated caller) or, for a PV
 * caller, where their MFNs are returned.
 */
struct xen_mem_acquire_resource {
    domid_t domid;
    uint16_t type;
    uint32_t id;
    uint32_t nr_frames;
    uint32_t pad;
    uint64_t frame;
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "");
_Static_assert(__builtin_offsetof(struct xen_mem_acquire_resource, frame) == 16, "");

#endif
