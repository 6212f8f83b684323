/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_memory_op: the guest's view of its memory.
 *
 * Reservation operations (populate_physmap, decrease_reservation) go extent
 * by extent: read the extent's GFN from the guest, check it, do it. They
 * return the number of extents done (counting a continuation's start
 * extent, as Xen). Where Xenon differs from Xen, on purpose:
 *  - an error before any extent is done is a negative errno (Xen returns 0
 *    extents): a bad list pointer -EFAULT, a bad order or GFN -EINVAL, the
 *    reservation full -ENOMEM. After some progress, the count;
 *  - XENMEM_increase_reservation is -ENOSYS: for auto-translated guests
 *    (all of ours) Xen's version allocates frames the guest can never reach
 *    (it returns MFNs and maps nothing); Linux's balloon driver uses
 *    populate_physmap instead on PVH and HVM;
 *  - a page of the domain's own RAM that leaves the physmap
 *    (remove_from_physmap, or replaced by add_to_physmap) is given back
 *    at once; Xen keeps it allocated to the domain, unreachable, until the
 *    domain dies;
 *  - no continuations: a call runs to its end (nr_extents is capped as in
 *    Xen's continuation encoding, each extent at most 2 MiB);
 *  - XENMEM_acquire_resource maps grant frames only; the other types
 *    (ioreq servers, processor-trace buffers, unknown ones) are -EOPNOTSUPP,
 *    which their users (QEMU's ioreq mapping, libxenctrl's grant-table
 *    seeding) take as "use the older interface". Xen answers -EINVAL for a
 *    resource it has none of (its size is 0), -EOPNOTSUPP only for an
 *    unknown type.
 *
 * Locks: none is held here across calls. The calls take, in this order,
 * the domain list lock (domain_get, briefly), a domain's P2M lock, then
 * frames_lock (p2m.h, mm.h).
 */
#include <xenon/domain.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/xsm.h>
#include <public/memory.h>

#define MAX_ORDER_DOMU 9 /* Xen's default for a domain's own requests: 2 MiB */
#define MAX_NR_EXTENTS (UINT32_MAX >> XENMEMOP_EXTENT_SHIFT)
#define XENMEMF_known_flags                                                                        \
    (0xffffu | XENMEMF_populate_on_demand | XENMEMF_exact_node_request | XENMEMF_vnode)

/*
 * DOMID_SELF (or the caller's own id), or another live domain the
 * access-control policy lets the caller act on, held until target_put().
 */
static int target_get(struct vcpu *v, domid_t id, struct domain **out)
{
    struct domain *d;

    if (id == DOMID_SELF || id == v->domain->id) {
        *out = v->domain;
        return 0;
    }
    d = domain_get(id);
    if (!d)
        return -ESRCH;
    if (xsm_domain_control(v->domain, d)) {
        domain_put(d);
        return -EPERM;
    }
    *out = d;
    return 0;
}

static void target_put(struct vcpu *v, struct domain *d)
{
    if (d != v->domain)
        domain_put(d);
}

static long reservation_query(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    struct domain *d;
    domid_t id;
    long rc;

    if (copy_from_guest(v, &id, arg, sizeof(id)))
        return -EFAULT;
    rc = target_get(v, id, &d);
    if (rc)
        return rc;
    if (cmd == XENMEM_current_reservation)
        rc = (long)__atomic_load_n(&d->pages.nr, __ATOMIC_RELAXED);
    else if (cmd == XENMEM_maximum_reservation)
        rc = (long)d->max_pages;
    else
        rc = (long)__atomic_load_n(&d->max_gpfn, __ATOMIC_RELAXED);
    target_put(v, d);
    return rc;
}

/* ---- populate_physmap, decrease_reservation ---- */

/*
 * Which allocation mem_flags ask for: only what one NUMA node can give.
 * 0 and the address width in *bits, or -EINVAL / -EOPNOTSUPP.
 */
static int decode_mem_flags(uint32_t flags, unsigned int *bits)
{
    if (flags & ~XENMEMF_known_flags)
        return -EINVAL;
    /* No populate-on-demand pool and no virtual NUMA topology to name nodes of. */
    if (flags & XENMEMF_populate_on_demand)
        return -EOPNOTSUPP;
    if (flags & XENMEMF_vnode)
        return -EINVAL;
    /* Node 0 is the only one; node field 0 means "any" (NUMA_NO_NODE). */
    if ((flags & XENMEMF_exact_node_request) && XENMEMF_get_node(flags) != 0 &&
        XENMEMF_get_node(flags) != 0xff)
        return -EINVAL;
    *bits = XENMEMF_get_address_bits(flags);
    return *bits && *bits < PAGE_SHIFT ? -EINVAL : 0;
}

/* Xen refuses to populate over a mapping of someone else's frame (-EBUSY). */
static bool range_has_mapping(struct domain *d, uint64_t gfn, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        enum p2m_type t;

        if (!p2m_lookup(d, _gfn(gfn + i), NULL, &t) &&
            (t == P2M_MAP_FOREIGN || t == P2M_MAP_RESOURCE || p2m_is_grant(t)))
            return true;
    }
    return false;
}

static int populate_one(struct domain *d, uint64_t gfn, unsigned int order, unsigned int bits)
{
    uint64_t n = 1ull << order;

    if (gfn & (n - 1) || gfn >= P2M_GFN_LIMIT || gfn + n > P2M_GFN_LIMIT)
        return -EINVAL;
    if (range_has_mapping(d, gfn, n))
        return -EBUSY;
    return domain_populate(d, _gfn(gfn), order, bits);
}

static int decrease_one(struct domain *d, uint64_t gfn, unsigned int order)
{
    uint64_t n = 1ull << order;

    if (gfn >= P2M_GFN_LIMIT || gfn + n > P2M_GFN_LIMIT)
        return -EINVAL;
    /* Only the domain's own RAM; whatever went before an error stays gone, as in Xen. */
    for (uint64_t i = 0; i < n; i++) {
        int rc = p2m_remove(d, _gfn(gfn + i), P2M_RAM_TYPES);

        if (rc)
            return rc;
    }
    return 0;
}

static long reservation_op(struct vcpu *v, unsigned int cmd, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    unsigned int bits = 0;
    struct domain *d;
    uint64_t i;
    int rc;

    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.nr_extents > MAX_NR_EXTENTS || r.extent_order > MAX_ORDER_DOMU)
        return -EINVAL;
    rc = cmd == XENMEM_populate_physmap ? decode_mem_flags(r.mem_flags, &bits) : 0;
    if (!rc)
        rc = target_get(v, r.domid, &d);
    if (rc)
        return rc;
    for (i = start; i < r.nr_extents; i++) {
        xen_pfn_t gfn;

        if (copy_from_guest(v, &gfn, r.extent_start + i * sizeof(gfn), sizeof(gfn))) {
            rc = -EFAULT;
            break;
        }
        rc = cmd == XENMEM_populate_physmap ? populate_one(d, gfn, r.extent_order, bits)
                                            : decrease_one(d, gfn, r.extent_order);
        if (rc)
            break;
    }
    target_put(v, d);
    return rc && i == start ? rc : (long)i;
}

/* ---- add_to_physmap, add_to_physmap_batch, remove_from_physmap ---- */

static long memory_map(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct xen_memory_map map;
    unsigned int n;

    if (copy_from_guest(v, &map, arg, sizeof(map)))
        return -EFAULT;
    n = MIN(map.nr_entries, d->nr_memmap);
    for (unsigned int i = 0; i < n; i++) {
        struct xen_e820_entry e = {d->memmap[i].addr, d->memmap[i].size, d->memmap[i].type};

        if (copy_to_guest(v, map.buffer + i * sizeof(e), &e, sizeof(e)))
            return -EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest(v, arg, &map, sizeof(map)) ? -EFAULT : 0;
}

/*
 * The page moves: its old location is unmapped if it still holds it (the
 * guest may have put something else there since). RAM at the new location
 * is given back (p2m.h).
 */
static int map_shared_info(struct domain *d, uint64_t gpfn)
{
    mfn_t si = virt_to_mfn(d->shared_info), cur;
    uint64_t old = d->shared_info_gfn;
    int rc;

    if (gpfn >= P2M_GFN_LIMIT)
        return -EINVAL;
    if (old != SHARED_INFO_UNMAPPED && old != gpfn && !p2m_lookup(d, _gfn(old), &cur, NULL) &&
        mfn_x(cur) == mfn_x(si))
        p2m_unmap(d, _gfn(old));
    rc = p2m_map(d, _gfn(gpfn), si, 0, P2M_RAM_RW);
    if (rc)
        return rc;
    d->shared_info_gfn = gpfn;
    domain_raise_max_gpfn(d, gpfn);
    return 0;
}

/*
 * Map frame fgfn of domain fid at gpfn of d: a reference on the frame, taken
 * while fid is held alive, stays with the P2M entry until it is removed.
 */
static int map_foreign(struct vcpu *v, struct domain *d, domid_t fid, uint64_t fgfn, uint64_t gpfn)
{
    struct domain *fd;
    mfn_t mfn;
    int rc;

    if (gpfn >= P2M_GFN_LIMIT || fgfn >= P2M_GFN_LIMIT)
        return -EINVAL;
    if (fid == DOMID_SELF || fid == d->id)
        return -EINVAL; /* Xen: a domain does not foreign-map itself */
    fd = domain_get(fid);
    if (!fd)
        return -ESRCH;
    rc = xsm_domain_control(v->domain, fd);
    if (!rc && !domain_is_alive(fd))
        rc = -ESRCH;
    /* Its own RAM only: never a grant or foreign mapping it holds, nor a hypervisor page. */
    if (!rc)
        rc = p2m_get_page(fd, _gfn(fgfn), P2M_GET_OWN | P2M_GET_WRITE, &mfn, NULL);
    domain_put(fd);
    if (rc)
        return rc == -ENOENT ? -EINVAL : rc;
    rc = p2m_map(d, _gfn(gpfn), mfn, 0, P2M_MAP_FOREIGN);
    if (rc) {
        mm_put_page(mfn);
        return rc;
    }
    domain_raise_max_gpfn(d, gpfn);
    return 0;
}

/* One entry of add_to_physmap(_batch) into d, which the caller may act on. */
static int physmap_add_one(struct vcpu *v, struct domain *d, unsigned int space, domid_t fid,
                           uint64_t idx, uint64_t gpfn)
{
    switch (space) {
    case XENMAPSPACE_shared_info:
        return idx ? -EINVAL : map_shared_info(d, gpfn);
    case XENMAPSPACE_grant_table:
        return grant_table_map_frame(d, idx, _gfn(gpfn));
    case XENMAPSPACE_gmfn_foreign:
        return map_foreign(v, d, fid, idx, gpfn);
    }
    /* XENMAPSPACE_gmfn(_range) (moving own frames) and dev_mmio: not yet. */
    return -ENOSYS;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d;
    int rc;

    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -EFAULT;
    /* As Xen: a foreign frame has no domain to name here, only the batch form has one. */
    if (x.space == XENMAPSPACE_gmfn_foreign)
        return -EINVAL;
    rc = target_get(v, x.domid, &d);
    if (rc)
        return rc;
    rc = physmap_add_one(v, d, x.space, DOMID_INVALID, x.idx, x.gpfn);
    target_put(v, d);
    return rc;
}

/* Each entry's result goes to errs[]; the call itself fails only on a bad argument. */
static long add_to_physmap_batch(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap_batch b;
    struct domain *d;
    long rc;

    if (copy_from_guest(v, &b, arg, sizeof(b)))
        return -EFAULT;
    if (b.space != XENMAPSPACE_gmfn_foreign && b.space != XENMAPSPACE_shared_info &&
        b.space != XENMAPSPACE_grant_table)
        return -EOPNOTSUPP;
    rc = target_get(v, b.domid, &d);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < b.size && !rc; i++) {
        xen_ulong_t idx;
        xen_pfn_t gpfn;
        int err;

        if (copy_from_guest(v, &idx, b.idxs + i * sizeof(idx), sizeof(idx)) ||
            copy_from_guest(v, &gpfn, b.gpfns + i * sizeof(gpfn), sizeof(gpfn))) {
            rc = -EFAULT;
            break;
        }
        err = physmap_add_one(v, d, b.space, b.u.foreign_domid, idx, gpfn);
        if (copy_to_guest(v, b.errs + i * sizeof(err), &err, sizeof(err)))
            rc = -EFAULT;
    }
    target_put(v, d);
    return rc;
}

/*
 * Whatever is at gpfn leaves the physmap: a foreign mapping drops its
 * reference, a resource mapping its reference on the frame's owner, the
 * domain's own RAM is given back, a hypervisor page or a grant mapping is
 * only unmapped (the grant stays until the grant unmap).
 */
static long remove_from_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_remove_from_physmap x;
    struct domain *d;
    long rc;

    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -EFAULT;
    if (x.gpfn >= P2M_GFN_LIMIT)
        return -EINVAL;
    rc = target_get(v, x.domid, &d);
    if (rc)
        return rc;
    rc = p2m_unmap(d, _gfn(x.gpfn));
    target_put(v, d);
    return rc;
}

/* ---- acquire_resource ---- */

/*
 * Frames one call may map. Xen maps in batches of 32 too (then continues);
 * here the largest resource, a whole grant table, fits one batch.
 */
#define ACQUIRE_MAX_FRAMES 32
_Static_assert(GNTTAB_MAX_FRAMES <= ACQUIRE_MAX_FRAMES, "a grant table fits one call");

/*
 * Another live domain the caller may act on, held until domain_put(). As in
 * Xen, never the caller itself (-EPERM; DOMID_SELF names no domain: -ESRCH):
 * its own frames are in its physmap already.
 */
static int remote_get(struct vcpu *v, domid_t id, struct domain **out)
{
    struct domain *d = domain_get(id);
    int rc = 0;

    if (!d)
        return -ESRCH;
    if (!domain_is_alive(d))
        rc = -ESRCH;
    else if (d == v->domain || xsm_domain_control(v->domain, d))
        rc = -EPERM;
    if (rc) {
        domain_put(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* Frames in d's resource (type, id): grant tables v1 only, see the top of this file. */
static long resource_size(const struct domain *d, uint16_t type, uint32_t id)
{
    unsigned int n;

    if (type != XENMEM_resource_grant_table)
        return -EOPNOTSUPP;
    /* Status frames exist only in grant tables v2. */
    if (id != XENMEM_resource_grant_table_id_shared)
        return -EINVAL;
    n = grant_table_max_frames(d);
    return n ? (long)n : -EINVAL;
}

/*
 * Everything a mapping request needs, checked: the GFNs from frame_list,
 * room for their records, and d's frames (its table grown to hold them, as
 * XENMAPSPACE_grant_table does).
 */
static int acquire_decode(struct vcpu *v, const struct xen_mem_acquire_resource *r,
                          struct domain *d, uint64_t size, xen_pfn_t *gfns, mfn_t *mfns)
{
    if (!r->nr_frames || r->frame + r->nr_frames > size)
        return -EINVAL;
    if (copy_from_guest(v, gfns, r->frame_list, r->nr_frames * sizeof(*gfns)))
        return -EFAULT;
    for (uint32_t i = 0; i < r->nr_frames; i++)
        if (gfns[i] >= P2M_GFN_LIMIT)
            return -EINVAL;
    if (p2m_resource_room(v->domain) < r->nr_frames)
        return -ENOSPC;
    return grant_table_get_frames(d, (unsigned int)r->frame, r->nr_frames, mfns);
}

/*
 * Each frame at its GFN of the caller, the entry holding a reference on d.
 * As Xen, a failure after the first frame is -EIO and the frames before it
 * stay mapped (each with its reference, removed like any other entry); the
 * first can fail only for want of memory or, raced by another vCPU, of room.
 */
static long acquire_invoke(struct vcpu *v, struct domain *d, uint32_t nr, const xen_pfn_t *gfns,
                           const mfn_t *mfns)
{
    for (uint32_t i = 0; i < nr; i++) {
        int rc = p2m_map_resource(v->domain, _gfn(gfns[i]), mfns[i], d);

        if (rc)
            return i ? -EIO : rc;
        domain_raise_max_gpfn(v->domain, gfns[i]);
    }
    return 0;
}

static long acquire_resource(struct vcpu *v, uint64_t arg)
{
    struct xen_mem_acquire_resource r;
    xen_pfn_t gfns[ACQUIRE_MAX_FRAMES];
    mfn_t mfns[ACQUIRE_MAX_FRAMES];
    struct domain *d;
    long size, rc;

    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    /* As Xen: frame is 64 bits wide but no resource reaches 2^32 frames. */
    if (r.pad || r.frame >> 32 || (r.frame + r.nr_frames) >> 32)
        return -EINVAL;
    rc = remote_get(v, r.domid, &d);
    if (rc)
        return rc;
    rc = size = resource_size(d, r.type, r.id);
    if (rc < 0)
        goto out;
    if (!r.frame_list) {
        /* A size query: nr_frames 0 in, the size out. */
        rc = r.nr_frames ? -EINVAL : 0;
        r.nr_frames = (uint32_t)size;
        if (!rc && copy_to_guest(v, arg + offsetof(struct xen_mem_acquire_resource, nr_frames),
                                 &r.nr_frames, sizeof(r.nr_frames)))
            rc = -EFAULT;
        goto out;
    }
    rc = acquire_decode(v, &r, d, (uint64_t)size, gfns, mfns);
    if (!rc)
        rc = acquire_invoke(v, d, r.nr_frames, gfns, mfns);
out:
    domain_put(d);
    return rc;
}

long do_memory_op(struct vcpu *v, const struct hypercall_args *args)
{
    unsigned int cmd = args->a[0] & XENMEMOP_CMD_MASK;
    uint64_t start = args->a[0] >> XENMEMOP_EXTENT_SHIFT;
    uint64_t arg = args->a[1];

    switch (cmd) {
    case XENMEM_populate_physmap:
    case XENMEM_decrease_reservation:
        return reservation_op(v, cmd, start, arg);
    case XENMEM_increase_reservation:
        return -ENOSYS; /* see the top of this file */
    }
    /* Only the reservation operations have a start extent to continue from. */
    if (start)
        return -EINVAL;
    switch (cmd) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return reservation_query(v, cmd, arg);
    case XENMEM_memory_map:
        return memory_map(v, arg);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, arg);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(v, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, arg);
    case XENMEM_acquire_resource:
        return acquire_resource(v, arg);
    }
    /* Exchange, PoD targets, sharing, paging, access, claims: not (yet). */
    return -ENOSYS;
}
