/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_memory_op: the guest's view of its memory. */
#include <xenon/domain.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/xsm.h>
#include <public/memory.h>

/* DOMID_SELF or a domain the access-control policy lets the caller act on. */
static int lookup_target(struct vcpu *v, domid_t id, struct domain **out)
{
    struct domain *d = id == DOMID_SELF ? v->domain : domain_by_id(id);

    if (!d)
        return -ESRCH;
    *out = d;
    return xsm_domain_control(v->domain, d);
}

static long reservation_query(struct vcpu *v, unsigned int cmd, uint64_t arg)
{
    struct domain *d;
    domid_t id;
    int rc;

    if (copy_from_guest(v, &id, arg, sizeof(id)))
        return -EFAULT;
    rc = lookup_target(v, id, &d);
    if (rc)
        return rc;
    switch (cmd) {
    case XENMEM_current_reservation:
        return (long)d->tot_pages;
    case XENMEM_maximum_reservation:
        return (long)d->max_pages;
    default:
        return (long)d->max_gpfn;
    }
}

static long memory_map(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct xen_memory_map map;
    unsigned int n;

    if (copy_from_guest(v, &map, arg, sizeof(map)))
        return -EFAULT;
    n = MIN(map.nr_entries, d->nr_memmap);
    for (unsigned int i = 0; i < n; i++) {
        struct xen_e820_entry e = { d->memmap[i].addr, d->memmap[i].size, d->memmap[i].type };

        if (copy_to_guest(v, map.buffer + i * sizeof(e), &e, sizeof(e)))
            return -EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest(v, arg, &map, sizeof(map)) ? -EFAULT : 0;
}

/*
 * The page moves: its old location is unmapped. A RAM page it covers stays
 * owned by the domain and is freed with it.
 */
static int map_shared_info(struct domain *d, uint64_t gpfn)
{
    int rc;

    if (gpfn >> 36)
        return -EINVAL;
    if (d->shared_info_gfn != SHARED_INFO_UNMAPPED && d->shared_info_gfn != gpfn)
        p2m_unmap(d, _gfn(d->shared_info_gfn));
    rc = p2m_map(d, _gfn(gpfn), virt_to_mfn(d->shared_info), 0, P2M_RAM_RW);
    if (rc)
        return rc;
    d->shared_info_gfn = gpfn;
    d->max_gpfn = MAX(d->max_gpfn, gpfn);
    return 0;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d;
    int rc;

    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -EFAULT;
    rc = lookup_target(v, x.domid, &d);
    if (rc)
        return rc;
    switch (x.space) {
    case XENMAPSPACE_shared_info:
        if (x.idx != 0)
            return -EINVAL;
        return map_shared_info(d, x.gpfn);
    case XENMAPSPACE_grant_table:
        return grant_table_map_frame(d, x.idx, _gfn(x.gpfn));
    }
    return -ENOSYS;
}

long do_memory_op(struct vcpu *v, const struct hypercall_args *args)
{
    unsigned int cmd = args->a[0] & XENMEMOP_CMD_MASK;
    uint64_t arg = args->a[1];

    switch (cmd) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return reservation_query(v, cmd, arg);
    case XENMEM_memory_map:
        return memory_map(v, arg);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, arg);
    }
    return -ENOSYS;
}
