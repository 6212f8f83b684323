/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The P2M interface over the back end's nested page tables: the per-domain
 * lock, and what each entry type means for the frames' references (p2m.h).
 *
 * The back end reports a removed entry by its frame (p2m_release), not its
 * GFN. For P2M_MAP_RESOURCE entries, whose records say which domain to drop,
 * every change first notes the GFNs it touches (op_begin), so the release
 * finds the record of the entry that went even when one frame is mapped at
 * several GFNs.
 *
 * Lock order: d->p2m_lock, then frames_lock (taken by the mm_* calls).
 * domain_put() under the P2M lock is a bare atomic decrement.
 */
#include <asm/hvm.h>
#include <xenon/domain.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/spinlock.h>

static void op_begin(struct domain *d, uint64_t gfn, unsigned int order)
{
    d->p2m_res.op_first = gfn;
    d->p2m_res.op_last = gfn + (1ull << order) - 1;
}

int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    int rc;

    if (order != 0 && order != 9)
        return -EINVAL;
    if (gfn_x(gfn) & ((1ull << order) - 1) || mfn_x(mfn) & ((1ull << order) - 1))
        return -EINVAL;
    /* A resource entry comes with its record: p2m_map_resource. */
    if (gfn_x(gfn) >= P2M_GFN_LIMIT || t == P2M_INVALID || t == P2M_MAP_RESOURCE ||
        t >= P2M_NR_TYPES)
        return -EINVAL;
    spin_lock(&d->p2m_lock);
    op_begin(d, gfn_x(gfn), order);
    rc = hvm->p2m_map(d, gfn, mfn, order, t);
    spin_unlock(&d->p2m_lock);
    return rc;
}

int p2m_unmap(struct domain *d, gfn_t gfn)
{
    int rc;

    spin_lock(&d->p2m_lock);
    op_begin(d, gfn_x(gfn), 0);
    rc = hvm->p2m_unmap(d, gfn);
    spin_unlock(&d->p2m_lock);
    return rc;
}

int p2m_remove(struct domain *d, gfn_t gfn, unsigned int types)
{
    enum p2m_type t;
    mfn_t mfn;
    int rc;

    spin_lock(&d->p2m_lock);
    rc = hvm->p2m_lookup(d, gfn, &mfn, &t);
    if (!rc && !(types & P2M_TYPE_BIT(t)))
        rc = -EINVAL;
    /* A hypervisor page (shared_info, a grant frame) is not the domain's to give back. */
    if (!rc && p2m_is_ram(t) && !mm_page_owned_by(d, mfn))
        rc = -EINVAL;
    if (!rc) {
        op_begin(d, gfn_x(gfn), 0);
        rc = hvm->p2m_unmap(d, gfn);
    }
    spin_unlock(&d->p2m_lock);
    return rc;
}

void p2m_destroy(struct domain *d)
{
    struct p2m_resources *r = &d->p2m_res;

    d->p2m_res.op_first = 0;
    d->p2m_res.op_last = UINT64_MAX;
    hvm->p2m_free(d);
    /* Every record went with its entry; a half-built domain has none. */
    ASSERT(!r->nr);
    while (r->nr)
        domain_put(r->map[--r->nr].owner);
}

int p2m_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t)
{
    int rc;

    spin_lock(&d->p2m_lock);
    rc = hvm->p2m_lookup(d, gfn, mfn, t);
    spin_unlock(&d->p2m_lock);
    return rc;
}

static bool type_allows(enum p2m_type t, unsigned int flags)
{
    /* Device memory and the sink page are never the hypervisor's to read or write through. */
    if (t == P2M_MMIO_DIRECT)
        return false;
    /*
     * Nor another domain's hypervisor page: it lives only as long as this
     * entry, which another vCPU may remove while we copy, and no frame
     * reference can hold it. Grant map and copy, foreign maps and guest
     * copies all refuse it.
     */
    if (t == P2M_MAP_RESOURCE)
        return false;
    if (flags & P2M_GET_OWN)
        return t == P2M_RAM_RW || (t == P2M_RAM_RO && !(flags & P2M_GET_WRITE));
    return (flags & P2M_GET_WRITE) ? p2m_is_writable(t) : t != P2M_INVALID;
}

int p2m_get_page(struct domain *d, gfn_t gfn, unsigned int flags, mfn_t *mfn, enum p2m_type *t)
{
    enum p2m_type type;
    int rc;

    spin_lock(&d->p2m_lock);
    rc = hvm->p2m_lookup(d, gfn, mfn, &type);
    if (!rc && !type_allows(type, flags))
        rc = -EINVAL;
    /* Under the P2M lock the entry, and so the reference it stands for, cannot go meanwhile. */
    if (!rc && (flags & P2M_GET_OWN))
        rc = mm_get_page(d, *mfn);
    else if (!rc) {
        rc = mm_get_page_any(*mfn);
        if (rc == -ENOENT)
            rc = p2m_is_ram(type) ? 1 : -EINVAL;
    }
    spin_unlock(&d->p2m_lock);
    if (rc >= 0 && t)
        *t = type;
    return rc == -EOVERFLOW ? -EINVAL : rc;
}

/* The entry at one of the GFNs being changed that mapped mfn went: drop its record and owner. */
static void resource_release(struct domain *d, mfn_t mfn)
{
    struct p2m_resources *r = &d->p2m_res;
    unsigned int i, any = r->nr;
    struct domain *owner;

    for (i = 0; i < r->nr; i++) {
        if (mfn_x(r->map[i].mfn) != mfn_x(mfn))
            continue;
        if (r->map[i].gfn >= r->op_first && r->map[i].gfn <= r->op_last)
            break;
        any = i;
    }
    if (i == r->nr)
        i = any;
    ASSERT(i < r->nr);
    if (i == r->nr)
        return;
    owner = r->map[i].owner;
    r->map[i] = r->map[--r->nr];
    domain_put(owner);
}

void p2m_release(struct domain *d, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    /* Only 4 KiB entries are ever of this type. */
    if (t == P2M_MAP_RESOURCE) {
        resource_release(d, mfn);
        return;
    }
    for (uint64_t i = 0; i < (1ull << order); i++) {
        mfn_t m = _mfn(mfn_x(mfn) + i);

        if (p2m_is_ram(t))
            mm_domain_release(d, m); /* -EINVAL for a hypervisor page: nothing to give back */
        else if (t == P2M_MAP_FOREIGN)
            mm_put_page(m);
    }
}

/* ---- other domains' hypervisor pages (P2M_MAP_RESOURCE) ---- */

int p2m_map_resource(struct domain *d, gfn_t gfn, mfn_t mfn, struct domain *owner)
{
    struct p2m_resources *r = &d->p2m_res;
    int rc = 0;

    if (gfn_x(gfn) >= P2M_GFN_LIMIT || owner == d)
        return -EINVAL;
    spin_lock(&d->p2m_lock);
    /* Counted before the map: a resource entry it replaces would free a slot, but too late. */
    if (r->nr == P2M_MAX_RESOURCES)
        rc = -ENOSPC;
    if (!rc) {
        op_begin(d, gfn_x(gfn), 0);
        rc = hvm->p2m_map(d, gfn, mfn, 0, P2M_MAP_RESOURCE);
    }
    /* What it replaced is released already; under the lock, no one sees the entry unrecorded. */
    if (!rc) {
        r->map[r->nr++] = (struct p2m_resource){gfn_x(gfn), mfn, owner};
        domain_hold(owner);
    }
    spin_unlock(&d->p2m_lock);
    return rc;
}

unsigned int p2m_resource_room(struct domain *d)
{
    unsigned int room;

    spin_lock(&d->p2m_lock);
    room = P2M_MAX_RESOURCES - d->p2m_res.nr;
    spin_unlock(&d->p2m_lock);
    return room;
}

void p2m_relinquish_resources(struct domain *d)
{
    struct p2m_resources *r = &d->p2m_res;

    spin_lock(&d->p2m_lock);
    while (r->nr) {
        struct p2m_resource e = r->map[r->nr - 1];
        unsigned int before = r->nr;
        enum p2m_type t;
        mfn_t mfn;

        /* Its removal releases the record (resource_release). */
        op_begin(d, e.gfn, 0);
        if (!hvm->p2m_lookup(d, _gfn(e.gfn), &mfn, &t) && t == P2M_MAP_RESOURCE &&
            mfn_x(mfn) == mfn_x(e.mfn))
            hvm->p2m_unmap(d, _gfn(e.gfn));
        /* Never: each record has its entry. Still, this loop must end. */
        ASSERT(r->nr < before);
        if (r->nr == before) {
            r->nr--;
            domain_put(e.owner);
        }
    }
    spin_unlock(&d->p2m_lock);
}
