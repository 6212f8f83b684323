/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables: GNTTABOP_copy. Both sides are pinned as for a mapping (the
 * status bits set) for the length of the copy, with the caller's table and
 * up to two granters' tables locked in the order grant_table.h gives.
 */
#include <xenon/domain.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/spinlock.h>
#include <xenon/xsm.h>
#include <public/grant_table.h>
#include <public/xen.h>

#include "grant_table.h"

/* Lock up to three tables (NULLs and repeats skipped) in ascending address order. */
static void lock_tables(struct grant_table *t[3])
{
    for (unsigned int i = 0; i < 3; i++)
        for (unsigned int j = i + 1; j < 3; j++)
            if ((uintptr_t)t[j] < (uintptr_t)t[i]) {
                struct grant_table *x = t[i];

                t[i] = t[j];
                t[j] = x;
            }
    for (unsigned int i = 0; i < 3; i++)
        if (t[i] && (!i || t[i] != t[i - 1]))
            spin_lock(&t[i]->lock);
}

static void unlock_tables(struct grant_table *t[3])
{
    for (unsigned int i = 0; i < 3; i++)
        if (t[i] && (!i || t[i] != t[i - 1]))
            spin_unlock(&t[i]->lock);
}

struct copy_buf {
    struct grant_table *gt; /* the granter, or NULL: a frame of the caller */
    grant_ref_t ref;
    uint64_t gfn;
    bool readonly;
    bool pinned;
    bool referenced; /* a frame of the caller, referenced so it cannot be freed mid-copy */
    mfn_t mfn;
    uint8_t *page;
};

static int16_t copy_decode_side(struct vcpu *v, const struct gnttab_copy_ptr *p, bool is_gref,
                                bool readonly, struct copy_buf *b)
{
    *b = (struct copy_buf){.readonly = readonly};
    if (!is_gref) {
        /* Only the caller's own memory may be named by frame. */
        if (p->domid != DOMID_SELF)
            return GNTST_permission_denied;
        b->gfn = p->u.gmfn;
        return GNTST_okay;
    }
    b->ref = p->u.ref;
    b->gt = gnttab_registry_find(p->domid == DOMID_SELF ? v->domain->id : p->domid);
    if (!b->gt)
        return GNTST_bad_domain;
    return xsm_grant_access(v->domain, b->gt->d) ? GNTST_permission_denied : GNTST_okay;
}

static int16_t copy_claim(struct domain *ld, struct copy_buf *b)
{
    mfn_t mfn;
    int16_t st;

    if (!b->gt) {
        int rc = p2m_get_page(ld, _gfn(b->gfn), b->readonly ? 0 : P2M_GET_WRITE, &b->mfn, NULL);

        if (rc < 0)
            return GNTST_bad_page;
        b->referenced = rc == 0;
        b->page = mfn_to_virt(b->mfn);
        return GNTST_okay;
    }
    st = gnttab_pin_grant(b->gt, b->ref, ld, b->readonly, false, &mfn);
    if (st)
        return st;
    b->pinned = true;
    b->page = mfn_to_virt(mfn);
    return GNTST_okay;
}

static void copy_release(struct copy_buf *b)
{
    if (b->pinned)
        gnttab_unpin_grant(b->gt, b->ref, b->readonly);
    if (b->referenced)
        mm_put_page(b->mfn);
    b->pinned = b->referenced = false;
}

/* Tables locked: pin both sides (status bits set, as for a mapping), copy, unpin. */
static int16_t copy_locked(struct domain *ld, const struct gnttab_copy *op, struct copy_buf *src,
                           struct copy_buf *dst)
{
    int16_t st = copy_claim(ld, src);

    if (!st)
        st = copy_claim(ld, dst);
    if (!st)
        memmove(dst->page + op->dest.offset, src->page + op->source.offset, op->len);
    copy_release(dst);
    copy_release(src);
    return st;
}

int16_t gnttab_copy_one(struct vcpu *v, const struct gnttab_copy *op)
{
    struct copy_buf src, dst;
    struct grant_table *locks[3];
    int16_t st;

    if (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE)
        return GNTST_bad_copy_arg;
    spin_lock(&gnttab_registry_lock);
    st = copy_decode_side(v, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if (!st)
        st = copy_decode_side(v, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if (st) {
        spin_unlock(&gnttab_registry_lock);
        return st;
    }
    /* The caller's table too: its own unmap must not pull a local frame from under the copy. */
    locks[0] = v->domain->grant_table;
    locks[1] = src.gt;
    locks[2] = dst.gt;
    lock_tables(locks);
    spin_unlock(&gnttab_registry_lock);
    st = copy_locked(v->domain, op, &src, &dst);
    unlock_tables(locks);
    return st;
}
