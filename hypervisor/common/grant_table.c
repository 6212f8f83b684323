/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1: the tables themselves (setup, growth, teardown,
 * the grant-frame case of XENMEM_add_to_physmap and the frames
 * XENMEM_acquire_resource maps into another domain), the pins on grant
 * entries, and HYPERVISOR_grant_table_op's table management and dispatch.
 * Map and unmap are in grant_map.c, copy in grant_copy.c; the data model,
 * the lock order and where Xenon differs from Xen are in grant_table.h.
 */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/spinlock.h>
#include <xenon/xsm.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>

#include "grant_table.h"

#define CMPXCHG_TRIES 5 /* a guest rewriting its entry must not livelock us */
#define PIN_MAX UINT16_MAX

/* Flags and domid of an entry, compared and exchanged as one word. */
typedef uint32_t __attribute__((may_alias)) entry_word_t;

spinlock_t gnttab_registry_lock = SPINLOCK_INIT;
struct grant_table *gnttab_registry;

/* Grow to nr frames; frames already there stay. Each frame comes whole or not at all. */
static int grow_table(struct grant_table *gt, unsigned int nr)
{
    if (nr > gt->max_frames)
        return -EINVAL;
    while (gt->nr_frames < nr) {
        unsigned int i = gt->nr_frames;

        gt->shared[i] = page_alloc_zeroed(0);
        gt->active[i] = page_alloc_zeroed(ACTIVE_ORDER);
        if (!gt->shared[i] || !gt->active[i]) {
            if (gt->shared[i])
                page_free(gt->shared[i], 0);
            if (gt->active[i])
                page_free(gt->active[i], ACTIVE_ORDER);
            gt->shared[i] = NULL;
            gt->active[i] = NULL;
            return -ENOMEM;
        }
        gt->frame_gfn[i] = GFN_NONE;
        gt->nr_frames = i + 1;
    }
    return 0;
}

/* ---- pins ---- */

/*
 * Set GTF_reading (and GTF_writing) in the shared entry with a compare-and-
 * exchange on flags+domid, so the granter cannot revoke or retarget it between
 * our check and our update. check_grant: first pin, the entry must be a
 * permit-access grant to ldomid.
 */
static int16_t set_status(struct grant_entry_v1 *e, domid_t ldomid, bool readonly, bool check_grant,
                          uint16_t type_mask)
{
    entry_word_t *word = (entry_word_t *)e;
    uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int tries = 0; tries < CMPXCHG_TRIES; tries++) {
        uint16_t flags = (uint16_t)old;
        uint32_t new = old | GTF_reading | (readonly ? 0 : GTF_writing);

        if (check_grant &&
            ((flags & type_mask) != GTF_permit_access || (domid_t)(old >> 16) != ldomid))
            return GNTST_permission_denied;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_permission_denied;
        if (__atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return GNTST_okay;
    }
    printk_guest(LOG_DEBUG, "grant entry keeps changing under the hypervisor");
    return GNTST_general_error;
}

/* Drop the status bits no pin needs any more. */
static void clear_status(struct grant_table *gt, grant_ref_t ref, const struct active_grant *act)
{
    uint16_t *flags = &shared_entry(gt, ref)->flags;

    if (!act->rw_pins)
        __atomic_fetch_and(flags, (uint16_t)~GTF_writing, __ATOMIC_RELEASE);
    if (!act->rw_pins && !act->ro_pins)
        __atomic_fetch_and(flags, (uint16_t)~GTF_reading, __ATOMIC_RELEASE);
}

/*
 * First pin: take the frame the entry names, now that GTF_reading stops the
 * granter changing it. It must be the granter's own RAM, not a grant or
 * foreign mapping of a third domain's page nor a hypervisor page. The pin
 * holds a reference on the frame (dropped by the last unpin), so a granter
 * that balloons the page out or dies does not free it under the mapper.
 */
static int16_t pin_frame(struct grant_table *rgt, grant_ref_t ref, bool readonly,
                         struct active_grant *act)
{
    uint64_t gfn = __atomic_load_n(&shared_entry(rgt, ref)->frame, __ATOMIC_ACQUIRE);
    enum p2m_type t;
    mfn_t mfn;

    if (p2m_get_page(rgt->d, _gfn(gfn), P2M_GET_OWN | (readonly ? 0 : P2M_GET_WRITE), &mfn, &t))
        return GNTST_bad_page;
    act->mfn = mfn;
    act->frame_ro = t == P2M_RAM_RO;
    return GNTST_okay;
}

/* Pin ref of rgt for ld; called with rgt's lock held. map: a mapping (no sub-page grants). */
int16_t gnttab_pin_grant(struct grant_table *rgt, grant_ref_t ref, const struct domain *ld, bool readonly,
                  bool map, mfn_t *mfn)
{
    struct active_grant *act;
    bool first;
    int16_t st;

    if (ref >= nr_entries(rgt))
        return GNTST_bad_gntref;
    act = active_entry(rgt, ref);
    first = !act->ro_pins && !act->rw_pins;
    if (!first && act->domid != ld->id)
        return GNTST_permission_denied;
    if (!first && !readonly && act->frame_ro)
        return GNTST_bad_page;
    if ((readonly ? act->ro_pins : act->rw_pins) == PIN_MAX)
        return GNTST_no_space;
    if (first || (!readonly && !act->rw_pins)) {
        st = set_status(shared_entry(rgt, ref), ld->id, readonly, first,
                        map ? GTF_type_mask | GTF_sub_page : GTF_type_mask);
        if (st)
            return st;
    }
    if (first) {
        st = pin_frame(rgt, ref, readonly, act);
        if (st) {
            clear_status(rgt, ref, act);
            return st;
        }
        act->domid = ld->id;
        rgt->nr_pinned++;
    }
    if (readonly)
        act->ro_pins++;
    else
        act->rw_pins++;
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    struct active_grant *act = active_entry(rgt, ref);

    BUG_ON(readonly ? !act->ro_pins : !act->rw_pins);
    if (readonly)
        act->ro_pins--;
    else
        act->rw_pins--;
    clear_status(rgt, ref, act);
    if (!act->ro_pins && !act->rw_pins) {
        rgt->nr_pinned--;
        mm_put_page(act->mfn);
    }
}

/* ---- setup and teardown ---- */

/* Live table of a domain; registry lock held. */
struct grant_table *gnttab_registry_find(domid_t id)
{
    for (struct grant_table *gt = gnttab_registry; gt; gt = gt->next)
        if (gt->d->id == id)
            return gt;
    return NULL;
}

static void registry_unlink(struct grant_table *gt)
{
    for (struct grant_table **p = &gnttab_registry; *p; p = &(*p)->next) {
        if (*p == gt) {
            *p = gt->next;
            return;
        }
    }
}

int grant_table_init(struct domain *d, unsigned int max_frames, unsigned int max_maptrack_pages)
{
    struct grant_table *gt;

    if (!max_frames || max_frames > GNTTAB_MAX_FRAMES ||
        max_maptrack_pages > GNTTAB_MAX_MAPTRACK_PAGES)
        return -EINVAL;
    gt = page_alloc_zeroed(0);
    if (!gt)
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    gt->d = d;
    gt->max_frames = max_frames;
    gt->max_maptrack_pages = max_maptrack_pages;
    gt->maptrack_free = MAPTRACK_NONE;
    d->grant_table = gt;
    if (grow_table(gt, 1)) {
        grant_table_destroy(d);
        return -ENOMEM;
    }
    spin_lock(&gnttab_registry_lock);
    gt->next = gnttab_registry;
    gnttab_registry = gt;
    spin_unlock(&gnttab_registry_lock);
    return 0;
}

static void free_table(struct grant_table *gt)
{
    for (unsigned int i = 0; i < GNTTAB_MAX_FRAMES; i++) {
        if (gt->shared[i])
            page_free(gt->shared[i], 0);
        if (gt->active[i])
            page_free(gt->active[i], ACTIVE_ORDER);
    }
    for (unsigned int i = 0; i < gt->maptrack_pages; i++)
        page_free(gt->maptrack[i], 0);
    if (gt->dead_page)
        page_free(gt->dead_page, 0); /* the domain's P2M, which mapped it, is gone */
    page_free(gt, 0);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (!gt)
        return;
    spin_lock(&gnttab_registry_lock);
    registry_unlink(gt);
    /* Wait for operations that found the table before it left the registry. */
    spin_lock(&gt->lock);
    spin_unlock(&gt->lock);
    gnttab_release_own_mappings(gt);
    gnttab_revoke_foreign_mappings(gt);
    spin_unlock(&gnttab_registry_lock);
    free_table(gt);
    d->grant_table = NULL;
}

/* ---- frames and entries, for memory_op.c and domain building ---- */

/* Frame idx now lives at gfn only; table lock held. */
static int place_frame(struct grant_table *gt, unsigned int idx, uint64_t gfn)
{
    struct domain *d = gt->d;
    mfn_t mfn = virt_to_mfn(gt->shared[idx]), cur;
    uint64_t old = gt->frame_gfn[idx];
    int rc;

    /* Unmap the old place only if it still holds this frame: the guest may have reused it. */
    if (old != GFN_NONE && old != gfn && !p2m_lookup(d, _gfn(old), &cur, NULL) &&
        mfn_x(cur) == mfn_x(mfn))
        p2m_unmap(d, _gfn(old));
    rc = p2m_map(d, _gfn(gfn), mfn, 0, P2M_RAM_RW);
    if (rc) {
        if (old != gfn)
            gt->frame_gfn[idx] = GFN_NONE; /* the old place is gone either way */
        return rc;
    }
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (gt->frame_gfn[i] == gfn)
            gt->frame_gfn[i] = GFN_NONE; /* replaced by this one */
    gt->frame_gfn[idx] = gfn;
    d->max_gpfn = MAX(d->max_gpfn, gfn);
    return 0;
}

int grant_table_map_frame(struct domain *d, uint64_t idx, gfn_t gfn)
{
    struct grant_table *gt = d->grant_table;
    int rc;

    if (!gt)
        return -ENOSYS;
    /* Status frames exist only in v2; XENMAPIDX_grant_table_status lands here too. */
    if (idx >= gt->max_frames || gfn_x(gfn) >= GFN_LIMIT)
        return -EINVAL;
    spin_lock(&gt->lock);
    rc = grow_table(gt, (unsigned int)idx + 1);
    if (!rc)
        rc = place_frame(gt, (unsigned int)idx, gfn_x(gfn));
    spin_unlock(&gt->lock);
    return rc;
}

unsigned int grant_table_max_frames(const struct domain *d)
{
    /* Fixed when the table is made: no lock needed. */
    return d->grant_table ? d->grant_table->max_frames : 0;
}

int grant_table_get_frames(struct domain *d, unsigned int first, unsigned int nr, mfn_t *mfns)
{
    struct grant_table *gt = d->grant_table;
    int rc;

    if (!gt || !nr || first >= gt->max_frames || nr > gt->max_frames - first)
        return -EINVAL;
    spin_lock(&gt->lock);
    rc = grow_table(gt, first + nr);
    for (unsigned int i = 0; !rc && i < nr; i++)
        mfns[i] = virt_to_mfn(gt->shared[first + i]);
    spin_unlock(&gt->lock);
    return rc;
}

bool grant_table_mfn_in_use(struct domain *d, mfn_t mfn)
{
    struct grant_table *gt = d->grant_table;
    bool found = false;

    if (!gt)
        return false;
    spin_lock(&gt->lock);
    for (grant_ref_t ref = 0; gt->nr_pinned && ref < nr_entries(gt) && !found; ref++) {
        const struct active_grant *act = active_entry(gt, ref);

        found = (act->ro_pins || act->rw_pins) && mfn_x(act->mfn) == mfn_x(mfn);
    }
    spin_unlock(&gt->lock);
    return found;
}

int grant_table_seed_v1(struct domain *d, grant_ref_t ref, domid_t grantee, gfn_t gfn,
                        bool readonly)
{
    struct grant_table *gt = d->grant_table;
    struct grant_entry_v1 *e;
    const struct active_grant *act;
    int rc = -EINVAL;

    if (!gt || gfn_x(gfn) > UINT32_MAX)
        return -EINVAL;
    spin_lock(&gt->lock);
    if (ref >= nr_entries(gt))
        goto out;
    act = active_entry(gt, ref);
    rc = -EBUSY;
    if (act->ro_pins || act->rw_pins)
        goto out;
    e = shared_entry(gt, ref);
    /* The granter's order: a grantee that sees the flags sees the frame and domid too. */
    __atomic_store_n(&e->flags, (uint16_t)GTF_invalid, __ATOMIC_RELEASE);
    e->domid = grantee;
    e->frame = (uint32_t)gfn_x(gfn);
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
    rc = 0;
out:
    spin_unlock(&gt->lock);
    return rc;
}

/* ---- table management ---- */

/*
 * Lock the table of dom (DOMID_SELF allowed) if the caller may act on it.
 * GNTST_* status; on success the table's lock is held.
 */
static int16_t lock_target(struct vcpu *v, domid_t dom, struct grant_table **out)
{
    struct grant_table *gt;
    int16_t st = GNTST_okay;

    spin_lock(&gnttab_registry_lock);
    gt = gnttab_registry_find(dom == DOMID_SELF ? v->domain->id : dom);
    if (!gt)
        st = GNTST_bad_domain;
    else if (xsm_domain_control(v->domain, gt->d))
        st = GNTST_permission_denied;
    else
        spin_lock(&gt->lock);
    spin_unlock(&gnttab_registry_lock);
    *out = gt;
    return st;
}

static int16_t setup_table_invoke(struct vcpu *v, const struct gnttab_setup_table *op)
{
    struct grant_table *gt;
    int16_t st;

    if (op->nr_frames > GNTTAB_MAX_FRAMES)
        return GNTST_general_error;
    st = lock_target(v, op->dom, &gt);
    if (st)
        return st;
    if (grow_table(gt, op->nr_frames))
        st = GNTST_general_error;
    /* Auto-translated guests get where each frame is in their physmap (or ~0: not placed). */
    for (uint32_t i = 0; i < op->nr_frames && !st; i++)
        if (copy_to_guest(v, op->frame_list + i * sizeof(xen_pfn_t), &gt->frame_gfn[i],
                          sizeof(xen_pfn_t)))
            st = GNTST_bad_virt_addr;
    spin_unlock(&gt->lock);
    return st;
}

static long setup_table(struct vcpu *v, uint64_t arg, uint32_t count)
{
    struct gnttab_setup_table op;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    op.status = setup_table_invoke(v, &op);
    return copy_to_guest(v, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(struct vcpu *v, uint64_t arg, uint32_t count)
{
    struct gnttab_query_size op;
    struct grant_table *gt;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    op.status = lock_target(v, op.dom, &gt);
    if (!op.status) {
        op.nr_frames = gt->nr_frames;
        op.max_nr_frames = gt->max_frames;
        spin_unlock(&gt->lock);
    }
    return copy_to_guest(v, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(struct vcpu *v, uint64_t arg, uint32_t count)
{
    struct gnttab_set_version op;
    long rc;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    /* Xen built without v2 answers -ENOSYS for 2, and the guest stays on 1. */
    rc = op.version == 1 ? 0 : op.version == 2 ? -ENOSYS : -EINVAL;
    op.version = 1;
    return copy_to_guest(v, arg, &op, sizeof(op)) ? -EFAULT : rc;
}

static long get_version(struct vcpu *v, uint64_t arg, uint32_t count)
{
    struct gnttab_get_version op;
    struct grant_table *gt;
    int16_t st;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    st = lock_target(v, op.dom, &gt);
    if (st)
        return st == GNTST_bad_domain ? -ESRCH : -EPERM;
    spin_unlock(&gt->lock);
    op.version = 1;
    return copy_to_guest(v, arg, &op, sizeof(op)) ? -EFAULT : 0;
}

/* ---- batches ---- */

union batch_op {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_copy copy;
};

static void map_op(struct vcpu *v, union batch_op *op)
{
    op->map.status = gnttab_map_one(v, &op->map);
}
static void unmap_op(struct vcpu *v, union batch_op *op)
{
    op->unmap.status = gnttab_unmap_one(v, &op->unmap);
}
static void copy_op(struct vcpu *v, union batch_op *op)
{
    op->copy.status = gnttab_copy_one(v, &op->copy);
}

/* count operations of size bytes at arg, each decoded, done and its status written back in turn. */
static long run_batch(struct vcpu *v, uint64_t arg, uint32_t count, size_t size,
                      void (*fn)(struct vcpu *v, union batch_op *op))
{
    for (uint32_t i = 0; i < count; i++) {
        union batch_op op;
        uint64_t a = arg + (uint64_t)i * size;

        if (copy_from_guest(v, &op, a, size))
            return -EFAULT;
        fn(v, &op);
        if (copy_to_guest(v, a, &op, size))
            return -EFAULT;
    }
    return 0;
}

long do_grant_table_op(struct vcpu *v, const struct hypercall_args *args)
{
    uint64_t cmd = args->a[0], arg = args->a[1];
    uint32_t count = (uint32_t)args->a[2];

    if ((int32_t)count < 0)
        return -EINVAL;
    if (!v->domain->grant_table)
        return -ENOSYS;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return run_batch(v, arg, count, sizeof(struct gnttab_map_grant_ref), map_op);
    case GNTTABOP_unmap_grant_ref:
        return run_batch(v, arg, count, sizeof(struct gnttab_unmap_grant_ref), unmap_op);
    case GNTTABOP_setup_table:
        return setup_table(v, arg, count);
    case GNTTABOP_copy:
        return run_batch(v, arg, count, sizeof(struct gnttab_copy), copy_op);
    case GNTTABOP_query_size:
        return query_size(v, arg, count);
    case GNTTABOP_set_version:
        return set_version(v, arg, count);
    case GNTTABOP_get_version:
        return get_version(v, arg, count);
    }
    return -ENOSYS;
}
