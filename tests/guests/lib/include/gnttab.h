/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables v1 for micro-guests: placing grant frame 0 in the physmap,
 * filling and ending grants as Linux's drivers/xen/grant-table.c does, and
 * one-operation wrappers of GNTTABOP_map_grant_ref / unmap / copy.
 *
 * Addresses by convention (all identity-mapped by head.S, all above RAM):
 * grant frame 0 at GNTTAB_FRAME_GFN(), grant mappings from GNTTAB_MAP_GFN(0).
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>
#include "guest.h"

#define GNTTAB_FRAME_GFN() (find_free_gfn() + 8)
#define GNTTAB_MAP_GFN(i) (find_free_gfn() + 16 + (i))
#define GNTTAB_GPA(gfn) ((uint64_t)(gfn) << 12)

static inline uint64_t gnttab_gfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> 12;
}

/* Place grant frame 0 (XENMAPSPACE_grant_table); NULL and a failure on error. */
static inline struct grant_entry_v1 *gnttab_setup(void)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_grant_table,
        .idx = 0,
        .gpfn = GNTTAB_FRAME_GFN(),
    };
    long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

    if (rc) {
        test_fail("add_to_physmap(grant_table 0, gfn %#lx) returned %ld", xatp.gpfn, rc);
        return 0;
    }
    return (struct grant_entry_v1 *)(uintptr_t)GNTTAB_GPA(xatp.gpfn);
}

/* Offer a frame to domid: frame and domid first, the flags (which publish it) last. */
static inline void gnttab_grant(struct grant_entry_v1 *t, grant_ref_t ref, domid_t domid,
                                uint64_t gfn, uint16_t flags)
{
    t[ref].domid = domid;
    t[ref].frame = (uint32_t)gfn;
    __atomic_store_n(&t[ref].flags, flags, __ATOMIC_RELEASE);
}

static inline uint16_t gnttab_flags(const struct grant_entry_v1 *t, grant_ref_t ref)
{
    return __atomic_load_n(&t[ref].flags, __ATOMIC_ACQUIRE);
}

/* End a grant unless it is in use (GTF_reading/GTF_writing set by the hypervisor). */
static inline bool gnttab_end_access(struct grant_entry_v1 *t, grant_ref_t ref)
{
    uint16_t f = gnttab_flags(t, ref);

    do {
        if (f & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(&t[ref].flags, &f, 0, false, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    return true;
}

/* One map; the status (GNTST_*) is returned, -1000 + rc if the hypercall itself failed. */
static inline int gnttab_map(domid_t dom, grant_ref_t ref, uint64_t gpa, uint32_t flags,
                             grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {.host_addr = gpa, .flags = flags, .ref = ref, .dom = dom};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (rc)
        return -1000 + (int)rc;
    if (handle)
        *handle = op.handle;
    return op.status;
}

static inline int gnttab_unmap(uint64_t gpa, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {.host_addr = gpa, .handle = handle};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    return rc ? -1000 + (int)rc : op.status;
}

static inline int gnttab_copy_one(struct gnttab_copy *op)
{
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);

    return rc ? -1000 + (int)rc : op->status;
}

/* Grant-table size of dom: the status, frames in *nr if okay. GNTST_bad_domain once dom is gone. */
static inline int gnttab_query_size(domid_t dom, uint32_t *nr)
{
    struct gnttab_query_size q = {.dom = dom};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);

    if (rc)
        return -1000 + (int)rc;
    if (nr)
        *nr = q.nr_frames;
    return q.status;
}

/* Yield until cond(arg) holds, at most tries times; false (and a failure naming what) if it never
 * did. */
static inline bool gnttab_wait(bool (*cond)(void *), void *arg, unsigned int tries,
                               const char *what)
{
    for (unsigned int i = 0; i < tries; i++) {
        if (cond(arg))
            return true;
        xen_yield();
    }
    test_fail("gave up waiting: %s", what);
    return false;
}

/*
 * Map the peer's ref, yielding while the peer has not granted it yet (the
 * map is refused until then): the last status, GNTST_okay once mapped.
 */
static inline int gnttab_map_when_granted(domid_t dom, grant_ref_t ref, uint64_t gpa, uint32_t flags,
                                          grant_handle_t *handle, unsigned int tries)
{
    int st = GNTST_permission_denied;

    for (unsigned int i = 0; i < tries && st != GNTST_okay; i++) {
        st = gnttab_map(dom, ref, gpa, flags, handle);
        if (st != GNTST_okay)
            xen_yield();
    }
    return st;
}

/* For gnttab_wait(): has domain *(domid_t *)arg gone? */
static inline bool gnttab_peer_gone(void *arg)
{
    return gnttab_query_size(*(domid_t *)arg, NULL) == GNTST_bad_domain;
}

#endif
