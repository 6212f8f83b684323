/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1: HYPERVISOR_grant_table_op(cmd, arg, count).
 * A granting domain fills grant_entry_v1 slots in its table frames; the
 * grantee maps or copies through the hypervisor by (domid, ref).
 */
#ifndef XEN_PUBLIC_GRANT_TABLE_H
#define XEN_PUBLIC_GRANT_TABLE_H

#include "xen-types.h"

struct grant_entry_v1 {
    uint16_t flags;     /* GTF_* */
    domid_t domid;      /* who may use this grant */
    uint32_t frame;     /* GFN of the granted page */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "");

#define GNTTAB_NR_RESERVED_ENTRIES 8    /* refs 0..7: toolstack use */
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags: type in bits 1:0 */
#define GTF_invalid            0x0u
#define GTF_permit_access      0x1u
#define GTF_accept_transfer    0x2u
#define GTF_transitive         0x3u
#define GTF_type_mask          0x3u
#define GTF_readonly           (1u << 2)
#define GTF_reading            (1u << 3)   /* set by the hypervisor while mapped */
#define GTF_writing            (1u << 4)
#define GTF_PWT                (1u << 5)
#define GTF_PCD                (1u << 6)
#define GTF_PAT                (1u << 7)
#define GTF_sub_page           (1u << 8)
/* Transfer grants reuse bits 2-3. */
#define GTF_transfer_committed (1u << 2)
#define GTF_transfer_completed (1u << 3)

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version         10
#define GNTTABOP_swap_grant_ref      11
#define GNTTABOP_cache_flush         12

/* gnttab_map_grant_ref.flags */
#define GNTMAP_device_map       (1u << 0)
#define GNTMAP_host_map         (1u << 1)
#define GNTMAP_readonly         (1u << 2)
#define GNTMAP_application_map  (1u << 3)
#define GNTMAP_contains_pte     (1u << 4)
#define GNTMAP_guest_avail_mask (~0u << 16)

/* Per-operation status (the hypercall itself returns 0 or -errno). */
#define GNTST_okay               0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg     (-10)
#define GNTST_address_too_big  (-11)
#define GNTST_eagain           (-12)
#define GNTST_no_space         (-13)

/* For auto-translated guests host_addr is the GPA to map at. */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t dom;
    int16_t status;         /* out: GNTST_* */
    grant_handle_t handle;  /* out */
    uint64_t dev_bus_addr;  /* out */
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, dom) == 16, "");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, handle) == 20, "");

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "");

/* Returns the table frames (PV) - auto-translated guests use add_to_physmap. */
struct gnttab_setup_table {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    int16_t status;
    uint16_t pad2[3];
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "");
_Static_assert(__builtin_offsetof(struct gnttab_setup_table, frame_list) == 16, "");

struct gnttab_dump_table {
    domid_t dom;
    int16_t status;
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "");

struct gnttab_transfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t pad;
    grant_ref_t ref;
    int16_t status;
    uint16_t pad2[3];
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "");

#define GNTCOPY_source_gref (1u << 0)
#define GNTCOPY_dest_gref   (1u << 1)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
    uint32_t pad;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "");

struct gnttab_copy {
    struct gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;     /* GNTCOPY_* */
    int16_t status;
    uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "");

struct gnttab_query_size {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;     /* out */
    uint32_t max_nr_frames; /* out */
    int16_t status;
    uint16_t pad2;
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "");

struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "");

struct gnttab_set_version {
    uint32_t version;   /* only 1 is supported */
};
struct gnttab_get_version {
    domid_t dom;
    uint16_t pad;
    uint32_t version;   /* out */
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "");

struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;
    XEN_GUEST_HANDLE(uint64_t) frame_list;
};
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "");

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;     /* out: GNTST_* */
    uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "");

/* Cache maintenance on a granted page (Arm; x86 guests do not issue it). */
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;    /* from the start of the grant */
    uint16_t length;    /* within the grant */
    uint32_t op;        /* GNTTAB_CACHE_* */
};
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "");

#endif
