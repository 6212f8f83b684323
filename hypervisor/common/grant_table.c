/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1: HYPERVISOR_grant_table_op, the grant-frame
 * case of XENMEM_add_to_physmap and the frames XENMEM_acquire_resource maps
 * into another domain.
 *
 * The granter owns a table: shared frames of grant_entry_v1 it writes, and
 * per ref an active entry holding the pins the hypervisor has taken (read-only
 * and writable counts, the grantee, the frame pinned at first use). The
 * mapper (the caller of map/copy) keeps its mappings in its own maptrack,
 * indexed by grant handle. A pin exists for every maptrack entry and for a
 * copy in flight; GTF_reading / GTF_writing are set in the shared entry
 * while any (writable) pin exists.
 *
 * Lock order:
 *   registry_lock       global: the list of live tables. A foreign table is
 *                       found, and its lock taken, only under it; a teardown
 *                       holds it from unlinking the table until it is freed.
 *                       So a table found under it stays valid while one of
 *                       its locks is held, and domain ids never name a table
 *                       that is going away.
 *   grant_table.lock    two tables lower address first, three (a copy) in
 *                       ascending address order.
 *   P2M, frame allocator  leaves.
 * P2M changes (and so TLB flushes of the mapper) happen with table locks
 * held: the flush must not wait for a pCPU that is in the hypervisor, which
 * may be spinning on one of these locks; it only needs pCPUs in guest mode.
 *
 * Where Xenon differs from Xen, on purpose:
 *  - a grant that is not for the caller (type, domid) or a writable use of a
 *    GTF_readonly grant is GNTST_permission_denied (Xen: general_error);
 *  - when the granter dies first, its frames are unmapped from the mapper's
 *    P2M (a later access by the mapper faults) rather than kept alive; the
 *    mapper's handle stays valid so its unmap still succeeds;
 *  - GNTMAP_host_map only, at a guest-physical address (all guests are
 *    auto-translated); after unmap the GFN is left empty, as in Xen: what was
 *    there before the map is not restored.
 *  - no preemption: a batch runs to its end.
 */
#include <xenon/domain.h>
#include <xenon/grant_table.h>
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

#define ENTRIES_PER_FRAME ((unsigned int)(PAGE_SIZE / sizeof(struct grant_entry_v1)))
#define ACTIVE_ORDER 1
#define MAPTRACK_PER_PAGE ((unsigned int)(PAGE_SIZE / sizeof(struct maptrack)))
#define MAPTRACK_NONE UINT32_MAX
#define GFN_NONE UINT64_MAX
#define GFN_LIMIT (1ull << 36) /* what the P2M can map */
#define CMPXCHG_TRIES 5        /* a guest rewriting its entry must not livelock us */
#define PIN_MAX UINT16_MAX

/* Flags and domid of an entry, compared and exchanged as one word. */
typedef uint32_t __attribute__((may_alias)) entry_word_t;

struct active_grant {
    uint16_t ro_pins;  /* read-only mappings and reads in flight */
    uint16_t rw_pins;  /* writable mappings and writes in flight */
    domid_t domid;     /* the grantee: fixed while pinned */
    uint16_t frame_ro; /* the frame was read-only in the granter's P2M */
    mfn_t mfn;         /* pinned at first use; the entry's frame may change later */
};
_Static_assert(sizeof(struct active_grant) * 512 == PAGE_SIZE << ACTIVE_ORDER,
               "active entries of a frame");

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

struct grant_table {
    spinlock_t lock;
    struct domain *d;
    struct grant_table *next; /* registry link */
    unsigned int nr_frames, max_frames;
    unsigned int nr_pinned; /* active entries with a pin */
    struct grant_entry_v1 *shared[GNTTAB_MAX_FRAMES];
    uint64_t frame_gfn[GNTTAB_MAX_FRAMES]; /* where d placed each frame, or GFN_NONE */
    struct active_grant *active[GNTTAB_MAX_FRAMES];
    unsigned int maptrack_pages, max_maptrack_pages, maptrack_used;
    uint32_t maptrack_free; /* free-list head, or MAPTRACK_NONE */
    struct maptrack *maptrack[GNTTAB_MAX_MAPTRACK_PAGES];
    void *dead_page; /* stands in for frames of dead granters this domain still maps */
};
_Static_assert(sizeof(struct grant_table) <= PAGE_SIZE, "a grant table fits a page");

static spinlock_t registry_lock = SPINLOCK_INIT;
static struct grant_table *registry;

static unsigned int nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->shared[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static struct active_grant *active_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

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
static int16_t pin_grant(struct grant_table *rgt, grant_ref_t ref, const struct domain *ld,
                         bool readonly, bool map, mfn_t *mfn)
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

static void unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly)
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

/* Live table of a domain; registry lock held. */
static struct grant_table *registry_find(domid_t id)
{
    for (struct grant_table *gt = registry; gt; gt = gt->next)
        if (gt->d->id == id)
            return gt;
    return NULL;
}

static void registry_unlink(struct grant_table *gt)
{
    for (struct grant_table **p = &registry; *p; p = &(*p)->next) {
        if (*p == gt) {
            *p = gt->next;
            return;
        }
    }
}

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
    spin_lock(&registry_lock);
    gt->next = registry;
    registry = gt;
    spin_unlock(&registry_lock);
    return 0;
}

/* The dying domain's own mappings: give back the pins. Its P2M goes with it. */
static void release_own_mappings(struct grant_table *gt)
{
    for (uint32_t h = 0; h < gt->maptrack_pages * MAPTRACK_PER_PAGE; h++) {
        struct maptrack *e = maptrack_at(gt, h);
        struct grant_table *g = e->granter;

        if (!(e->flags & MT_IN_USE))
            continue;
        if (g && g != gt)
            spin_lock(&g->lock);
        if (g)
            unpin_grant(g, e->ref, e->flags & MT_READONLY);
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
static void revoke_foreign_mappings(struct grant_table *gt)
{
    for (struct grant_table *m = registry; m && gt->nr_pinned; m = m->next) {
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
            unpin_grant(gt, e->ref, e->flags & MT_READONLY);
            e->granter = NULL;
        }
        spin_unlock(&m->lock);
    }
    /* Every pin belongs to a mapping or to a copy under the lock we drained. */
    BUG_ON(gt->nr_pinned);
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
    spin_lock(&registry_lock);
    registry_unlink(gt);
    /* Wait for operations that found the table before it left the registry. */
    spin_lock(&gt->lock);
    spin_unlock(&gt->lock);
    release_own_mappings(gt);
    revoke_foreign_mappings(gt);
    spin_unlock(&registry_lock);
    free_table(gt);
    d->grant_table = NULL;
}

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
    st = pin_grant(rgt, op->ref, lgt->d, ro, true, &mfn);
    if (st) {
        maptrack_put(lgt, handle);
        return st;
    }
    if (p2m_map(lgt->d, _gfn(gfn), mfn, 0, ro ? P2M_GRANT_MAP_RO : P2M_GRANT_MAP_RW)) {
        unpin_grant(rgt, op->ref, ro);
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

static int16_t map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt = v->domain->grant_table, *rgt;
    int16_t st = map_decode(op);

    if (st)
        return st;
    spin_lock(&registry_lock);
    /* By numeric id only, as Xen: DOMID_SELF is not a domain to map from. */
    rgt = registry_find(op->dom);
    if (!rgt) {
        spin_unlock(&registry_lock);
        return GNTST_bad_domain;
    }
    if (xsm_grant_access(v->domain, rgt->d)) {
        spin_unlock(&registry_lock);
        return GNTST_permission_denied;
    }
    spin_lock_pair(&lgt->lock, &rgt->lock);
    spin_unlock(&registry_lock);
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
        unpin_grant(rgt, e->ref, e->flags & MT_READONLY);
    } else if (holds_dead_page(lgt, e->gfn)) {
        p2m_unmap(lgt->d, _gfn(e->gfn)); /* an orphan: its granter died */
    }
    maptrack_put(lgt, op->handle);
    return GNTST_okay;
}

static int16_t unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
    struct grant_table *lgt = v->domain->grant_table, *rgt = NULL;
    const struct maptrack *e;
    int16_t st;

    spin_lock(&registry_lock);
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
    spin_unlock(&registry_lock);
    st = unmap_locked(lgt, rgt, op);
    if (rgt && rgt != lgt)
        spin_unlock(&rgt->lock);
    spin_unlock(&lgt->lock);
    return st;
}

/* ---- copy ---- */

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
    b->gt = registry_find(p->domid == DOMID_SELF ? v->domain->id : p->domid);
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
    st = pin_grant(b->gt, b->ref, ld, b->readonly, false, &mfn);
    if (st)
        return st;
    b->pinned = true;
    b->page = mfn_to_virt(mfn);
    return GNTST_okay;
}

static void copy_release(struct copy_buf *b)
{
    if (b->pinned)
        unpin_grant(b->gt, b->ref, b->readonly);
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

static int16_t copy_one(struct vcpu *v, const struct gnttab_copy *op)
{
    struct copy_buf src, dst;
    struct grant_table *locks[3];
    int16_t st;

    if (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE)
        return GNTST_bad_copy_arg;
    spin_lock(&registry_lock);
    st = copy_decode_side(v, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if (!st)
        st = copy_decode_side(v, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if (st) {
        spin_unlock(&registry_lock);
        return st;
    }
    /* The caller's table too: its own unmap must not pull a local frame from under the copy. */
    locks[0] = v->domain->grant_table;
    locks[1] = src.gt;
    locks[2] = dst.gt;
    lock_tables(locks);
    spin_unlock(&registry_lock);
    st = copy_locked(v->domain, op, &src, &dst);
    unlock_tables(locks);
    return st;
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

    spin_lock(&registry_lock);
    gt = registry_find(dom == DOMID_SELF ? v->domain->id : dom);
    if (!gt)
        st = GNTST_bad_domain;
    else if (xsm_domain_control(v->domain, gt->d))
        st = GNTST_permission_denied;
    else
        spin_lock(&gt->lock);
    spin_unlock(&registry_lock);
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
    op->map.status = map_one(v, &op->map);
}
static void unmap_op(struct vcpu *v, union batch_op *op)
{
    op->unmap.status = unmap_one(v, &op->unmap);
}
static void copy_op(struct vcpu *v, union batch_op *op)
{
    op->copy.status = copy_one(v, &op->copy);
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
