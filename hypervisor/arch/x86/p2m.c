/* SPDX-License-Identifier: GPL-2.0-only */
/* The P2M interface over the back end's nested page tables. */
#include <asm/hvm.h>
#include <xenon/p2m.h>

int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    if (order != 0 && order != 9)
        return -EINVAL;
    if (gfn_x(gfn) & ((1ull << order) - 1) || mfn_x(mfn) & ((1ull << order) - 1))
        return -EINVAL;
    return hvm->p2m_map(d, gfn, mfn, order, t);
}

int p2m_unmap(struct domain *d, gfn_t gfn)
{
    return hvm->p2m_unmap(d, gfn);
}

int p2m_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t)
{
    return hvm->p2m_lookup(d, gfn, mfn, t);
}
