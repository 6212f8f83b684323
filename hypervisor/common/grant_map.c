/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables: GNTTABOP_map_grant_ref and GNTTABOP_unmap_grant_ref, the
 * mapper's maptrack (its mappings, indexed by grant handle), and what
 * becomes of mappings when either side dies: a dying mapper's pins given
 * back, a dying granter's frames taken out of its mappers' P2Ms. Locks are
 * taken in the order grant_table.h gives.
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

#define MAPTRACK_PER_PAGE ((unsigned int)(PAGE_SIZE / sizeof(struct maptrack)))
#define MT_IN_USE 1u
#define MT_READONLY 2u

struct maptrack {
    struct grant_table *granter; /* NULL once the granter died (the handle is an orphan) */
    uint64_t gfn;                /* where the mapping is in our P2M */
    union {
        grant_ref_t ref;    /* in use */
        uint32_t next_free; /* free */
    };
    uint32_t flags; /* MT_*; 0 when free */
};

static struct maptrack *maptrack_at(struct grant_table *gt, uint32_t handle)
{
    return &gt->maptrack[handle / MAPTRACK_PER_PAGE][handle % MAPTRACK_PER_PAGE];
}

/* The in-use maptrack entry for a guest-supplied handle, or NULL. */
static struct maptrack *maptrack_lookup(struct grant_table *gt, grant_handle_t handle)
{
    struct maptrack *e;

    if (handle >= gt->maptrack_pages * MAPTRACK_PER_PAGE)
        return NULL;
    e = maptrack_at(gt, handle);
    return e->flags & MT_IN_USE ? e : NULL;
}

/* Is gfn the place of one of gt's own grant mappings? */
static bool maptrack_has_gfn(struct grant_table *gt, uint64_t gfn)
{
    for (uint32_t h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++) {
        const struct maptrack *e = maptrack_at(gt, h);

        if ((e->flags & MT_IN_USE) && e->granter && e->gfn == gfn)
            return true;
    }
    return false;
}

static int maptrack_grow(struct grant_table *gt)
{
    struct maptrack *page;
    uint32_t base = gt->maptrack_pages * MAPTRACK_PER_PAGE;

    if (gt->maptrack_pages == gt->max_maptrack_pages)
        return -ENOSPC;
    page = page_alloc_zeroed(0);
    if (!page)
        return -ENOMEM;
    gt->maptrack[gt->maptrack_pages++] = page;
    /* Pushed in reverse so the lowest handle is handed out first. */
    for (uint32_t i = MAPTRACK_PER_PAGE; i-- > 0;) {
        page[i].next_free = gt->maptrack_free;
        gt->maptrack_free = base + i;
    }
    return 0;
}

static int maptrack_get(struct grant_table *gt, uint32_t *handle)
{
    struct maptrack *e;

    if (gt->maptrack_free == MAPTRACK_NONE && maptrack_grow(gt))
        return -ENOSPC;
    *handle = gt->maptrack_free;
    e = maptrack_at(gt, *handle);
    gt->maptrack_free = e->next_free;
    gt->maptrack_used++;
    return 0;
}

static void maptrack_put(struct grant_table *gt, uint32_t handle)
{
    struct maptrack *e = maptrack_at(gt, handle);

    e->flags = 0;
    e->granter = NULL;
    e->next_free = gt->maptrack_free;
    gt->maptrack_free = handle;
    gt->maptrack_used--;
}

/* ---- teardown ---- */

/* The dying domain's own mappings: give back the pins. Its P2M goes with it. */
void gnttab_release_own_mappings(struct grant_table *gt)
{
    for (uint32_t h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++) {
        struct maptrack *e = maptrack_at(gt, h);
        struct grant_table *g = e->granter;

        if (!(e->flags & MT_IN_USE))
            continue;
        if (g && g != gt)
            spin_lock(&g->lock);
        if (g)
            gnttab_unpin_grant(g, e->ref, e->flags & MT_READONLY);
        if (g && g != gt)
            spin_unlock(&g->lock);
        maptrack_put(gt, h);
    }
}

/*
 * A mapper's gfn that held a dead granter's frame: its own zeroed page
 * there instead of a hole, so that a mapper still using the mapping (a
 * back end that has not yet seen the death) reads and writes harmlessly
 * rather than faulting; the orphan handle's unmap takes it out. Xen keeps
 * the dead granter's frame until then; Xenon frees it now. Without memory
 * for the page the gfn stays a hole. Mapper's table lock held.
 */
static void map_dead_page(struct grant_table *m, uint64_t gfn)
{
    if (!m->dead_page)
        m->dead_page = page_alloc_zeroed(0);
    if (m->dead_page)
        p2m_map(m->d, _gfn(gfn), virt_to_mfn(m->dead_page), 0, P2M_GRANT_MAP_RW);
}

static bool holds_dead_page(struct grant_table *m, uint64_t gfn)
{
    mfn_t mfn;

    return m->dead_page && !p2m_lookup(m->d, _gfn(gfn), &mfn, NULL) &&
           mfn_x(mfn) == mfn_x(virt_to_mfn(m->dead_page));
}

/*
 * Other domains' mappings of the dying domain's grants: out of their P2M
 * (p2m_unmap flushes their TLBs) before the frames can be freed, each
 * replaced by the mapper's dead page. Their handles become orphans, still
 * valid for one unmap.
 */
void gnttab_revoke_foreign_mappings(struct grant_table *gt)
{
    for (struct grant_table *m = gnttab_registry; m && gt->nr_pinned; m = m->next) {
        spin_lock(&m->lock);
        for (uint32_t h = 0; h < m->maptrack_pages * MAPTRACK_PER_PAGE; h++) {
            struct maptrack *e = maptrack_at(m, h);
            mfn_t mfn;

            if (!(e->flags & MT_IN_USE) || e->granter != gt)
                continue;
            if (!p2m_lookup(m->d, _gfn(e->gfn), &mfn, NULL) &&
                mfn_x(mfn) == mfn_x(active_entry(gt, e->ref)->mfn)) {
                p2m_unmap(m->d, _gfn(e->gfn));
                map_dead_page(m, e->gfn);
            }
            gnttab_unpin_grant(gt, e->ref, e->flags & MT_READONLY);
            e->granter = NULL;
        }
        spin_unlock(&m->lock);
    }
    /* Every pin belongs to a mapping or to a copy under the lock we drained. */
    BUG_ON(gt->nr_pinned);
}

/* ---- map and unmap ---- */

static int16_t map_decode(const struct gnttab_map_grant_ref *op)
{
    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_gntref;
    /* Auto-translated guests: no device, PTE or application mappings. */
    if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte))
        return GNTST_general_error;
    if (op->host_addr & (PAGE_SIZE - 1) || (op->host_addr >> PAGE_SHIFT) >= GFN_LIMIT)
        return GNTST_bad_virt_addr;
    return GNTST_okay;
}

static int16_t map_locked(struct grant_table *lgt, struct grant_table *rgt,
                          struct gnttab_map_grant_ref *op)
{
    bool ro = op->flags & GNTMAP_readonly;
    uint64_t gfn = op->host_addr >> PAGE_SHIFT;
    struct maptrack *e;
    uint32_t handle;
    int16_t st;
    mfn_t mfn;

    /* A grant mapping is already there (Xen would crash the domain). */
    if (maptrack_has_gfn(lgt, gfn))
        return GNTST_bad_virt_addr;
    if (maptrack_get(lgt, &handle))
        return GNTST_no_space;
    st = gnttab_pin_grant(rgt, op->ref, lgt->d, ro, true, &mfn);
    if (st) {
        maptrack_put(lgt, handle);
        return st;
    }
    if (p2m_map(lgt->d, _gfn(gfn), mfn, 0, ro ? P2M_GRANT_MAP_RO : P2M_GRANT_MAP_RW)) {
        gnttab_unpin_grant(rgt, op->ref, ro);
        maptrack_put(lgt, handle);
        return GNTST_general_error;
    }
    e = maptrack_at(lgt, handle);
    e->granter = rgt;
    e->gfn = gfn;
    e->ref = op->ref;
    e->flags = MT_IN_USE | (ro ? MT_READONLY : 0);
    op->handle = handle;
    op->dev_bus_addr = 0; /* never a machine address for a guest */
    return GNTST_okay;
}

int16_t gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt = v->domain->grant_table, *rgt;
    int16_t st = map_decode(op);

    if (st)
        return st;
    spin_lock(&gnttab_registry_lock);
    /* By numeric id only, as Xen: DOMID_SELF is not a domain to map from. */
    rgt = gnttab_registry_find(op->dom);
    if (!rgt) {
        spin_unlock(&gnttab_registry_lock);
        return GNTST_bad_domain;
    }
    if (xsm_grant_access(v->domain, rgt->d)) {
        spin_unlock(&gnttab_registry_lock);
        return GNTST_permission_denied;
    }
    spin_lock_pair(&lgt->lock, &rgt->lock);
    spin_unlock(&gnttab_registry_lock);
    st = map_locked(lgt, rgt, op);
    spin_unlock_pair(&lgt->lock, &rgt->lock);
    return st;
}

static int16_t unmap_locked(struct grant_table *lgt, struct grant_table *rgt,
                            const struct gnttab_unmap_grant_ref *op)
{
    struct maptrack *e = maptrack_lookup(lgt, op->handle);
    mfn_t mfn;

    /* The granter may have changed if another vCPU unmapped and remapped meanwhile. */
    if (!e || e->granter != rgt)
        return GNTST_bad_handle;
    if (op->dev_bus_addr)
        return GNTST_bad_dev_addr;
    if (op->host_addr != gfn_to_gpaddr(_gfn(e->gfn)))
        return GNTST_general_error;
    if (rgt) {
        /* Only if the GFN still holds the grant: the guest may have put something else there. */
        if (!p2m_lookup(lgt->d, _gfn(e->gfn), &mfn, NULL) &&
            mfn_x(mfn) == mfn_x(active_entry(rgt, e->ref)->mfn))
            p2m_unmap(lgt->d, _gfn(e->gfn));
        gnttab_unpin_grant(rgt, e->ref, e->flags & MT_READONLY);
    } else if (holds_dead_page(lgt, e->gfn)) {
        p2m_unmap(lgt->d, _gfn(e->gfn)); /* an orphan: its granter died */
    }
    maptrack_put(lgt, op->handle);
    return GNTST_okay;
}

int16_t gnttab_unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
    struct grant_table *lgt = v->domain->grant_table, *rgt = NULL;
    const struct maptrack *e;
    int16_t st;

    spin_lock(&gnttab_registry_lock);
    spin_lock(&lgt->lock);
    e = maptrack_lookup(lgt, op->handle);
    if (e && e->granter && e->granter != lgt) {
        /* Relock in address order; the registry lock keeps the granter's table alive. */
        rgt = e->granter;
        spin_unlock(&lgt->lock);
        spin_lock_pair(&lgt->lock, &rgt->lock);
    } else if (e) {
        rgt = e->granter;
    }
    spin_unlock(&gnttab_registry_lock);
    st = unmap_locked(lgt, rgt, op);
    if (rgt && rgt != lgt)
        spin_unlock(&rgt->lock);
    spin_unlock(&lgt->lock);
    return st;
}
