/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENMEM reservation and physmap wrappers for micro-guests, shaped like
 * Linux's drivers/xen/mem-reservation.c (one call, a GFN list, DOMID_SELF).
 *
 * Scratch RAM by convention: micro-guests load at 1 MiB and are small, so
 * RAM from MEM_SCRATCH_GFN (8 MiB) up to the end of the default 16 MiB is
 * free for tests to balloon out and back. Every page there is identity-mapped
 * by head.S, as is everything up to 4 GiB.
 */
#ifndef GUEST_MEM_H
#define GUEST_MEM_H

#include <stdint.h>
#include <public/memory.h>
#include <public/xen.h>
#include "guest.h"

#define MEM_SCRATCH_GFN 0x800ull
#define MEM_GPA(gfn) ((uint64_t)(gfn) << 12)
#define MEM_PTR(gfn) ((volatile uint8_t *)(uintptr_t)MEM_GPA(gfn))

static inline long mem_reservation_op(unsigned int cmd, domid_t domid, xen_pfn_t *gfns, uint64_t nr,
                                      unsigned int order, uint32_t flags)
{
    struct xen_memory_reservation r = {
        .extent_start = XEN_GUEST_HANDLE_FROM_PTR(gfns),
        .nr_extents = nr,
        .extent_order = order,
        .mem_flags = flags,
        .domid = domid,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

/* Extents done, or a negative errno. */
static inline long mem_populate(xen_pfn_t *gfns, uint64_t nr, unsigned int order)
{
    return mem_reservation_op(XENMEM_populate_physmap, DOMID_SELF, gfns, nr, order, 0);
}

static inline long mem_decrease(xen_pfn_t *gfns, uint64_t nr, unsigned int order)
{
    return mem_reservation_op(XENMEM_decrease_reservation, DOMID_SELF, gfns, nr, order, 0);
}

/* XENMEM_current_reservation / _maximum_reservation / _maximum_gpfn of domid. */
static inline long mem_query(unsigned int cmd, domid_t domid)
{
    return HYPERVISOR_memory_op(cmd, &domid);
}

static inline long mem_current(void)
{
    return mem_query(XENMEM_current_reservation, DOMID_SELF);
}

/* One XENMAPSPACE_gmfn_foreign entry: the call's result, the entry's in *err. */
static inline long mem_map_foreign(domid_t from, xen_ulong_t fgfn, xen_pfn_t gpfn, int *err)
{
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn_foreign,
        .size = 1,
        .u.foreign_domid = from,
        .idxs = XEN_GUEST_HANDLE_FROM_PTR(&fgfn),
        .gpfns = XEN_GUEST_HANDLE_FROM_PTR(&gpfn),
        .errs = XEN_GUEST_HANDLE_FROM_PTR(err),
    };

    *err = 12345; /* the hypervisor must overwrite it */
    return HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b);
}

static inline long mem_remove_from_physmap(xen_pfn_t gpfn)
{
    struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = gpfn};

    return HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x);
}

/* Is every byte of the page at gfn zero? */
static inline bool mem_page_is_zero(uint64_t gfn)
{
    const volatile uint64_t *p = (const volatile uint64_t *)MEM_PTR(gfn);

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        if (p[i])
            return false;
    return true;
}

/* Fill the page at gfn with a pattern derived from gfn and seed. */
static inline void mem_fill(uint64_t gfn, uint64_t seed)
{
    volatile uint64_t *p = (volatile uint64_t *)MEM_PTR(gfn);

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = seed ^ (gfn << 20) ^ i;
}

static inline bool mem_check_fill(uint64_t gfn, uint64_t seed)
{
    const volatile uint64_t *p = (const volatile uint64_t *)MEM_PTR(gfn);

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        if (p[i] != (seed ^ (gfn << 20) ^ i))
            return false;
    return true;
}

#endif
