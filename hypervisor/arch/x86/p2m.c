/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The P2M interface over the back end's nested page tables: the per-domain
 * lock, and what each entry type means for the frames' references (p2m.h).
 *
 * Lock order: d->p2m_lock, then frames_lock (taken by the mm_* calls).
 */
#include <asm/hvm.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/spinlock.h>

int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    int rc;

    if (order != 0 && order != 9)
        return -EINVAL;
    if (gfn_x(gfn) & ((1ull << order) - 1) || mfn_x(mfn) & ((1ull << order) - 1))
        return -EINVAL;
    if (gfn_x(gfn) >= P2M_GFN_LIMIT || t == P2M_INVALID || t >= P2M_NR_TYPES)
        return -EINVAL;
    spin_lock(&d->p2m_lock);
    rc = hvm->p2m_map(d, gfn, mfn, order, t);
    spin_unlock(&d->p2m_lock);
    return rc;
}

int p2m_unmap(struct domain *d, gfn_t gfn)
{
    int rc;

    spin_lock(&d->p2m_lock);
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
    if (!rc)
        rc = hvm->p2m_unmap(d, gfn);
    spin_unlock(&d->p2m_lock);
    return rc;
}

void p2m_destroy(struct domain *d)
{
    hvm->p2m_free(d);
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

void p2m_release(struct domain *d, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    for (uint64_t i = 0; i < (1ull << order); i++) {
        mfn_t m = _mfn(mfn_x(mfn) + i);

        if (p2m_is_ram(t))
            mm_domain_release(d, m); /* -EINVAL for a hypervisor page: nothing to give back */
        else if (t == P2M_MAP_FOREIGN)
            mm_put_page(m);
    }
}
