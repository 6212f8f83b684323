/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1: what grant_table.c (the tables, pins, table
 * management and the dispatcher), grant_map.c (map, unmap, the maptrack and
 * dead granters) and grant_copy.c (GNTTABOP_copy) share. Not an interface
 * for other code: that is <xenon/grant_table.h>.
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
 *   gnttab_registry_lock  global: the list of live tables. A foreign table is
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
 *  - when the granter dies first, its frames leave the mapper's P2M rather
 *    than being kept alive: a zeroed page of the mapper's own (dead_page)
 *    stands in at each such address until the mapper unmaps it, and the
 *    mapper's handle stays valid so that unmap still succeeds;
 *  - GNTMAP_host_map only, at a guest-physical address (all guests are
 *    auto-translated); after unmap the GFN is left empty, as in Xen: what was
 *    there before the map is not restored.
 *  - no preemption: a batch runs to its end.
 */
#ifndef XENON_COMMON_GRANT_TABLE_H
#define XENON_COMMON_GRANT_TABLE_H

#include <xenon/grant_table.h>
#include <xenon/spinlock.h>
#include <public/grant_table.h>

#define ENTRIES_PER_FRAME ((unsigned int)(PAGE_SIZE / sizeof(struct grant_entry_v1)))
#define ACTIVE_ORDER 1
#define MAPTRACK_NONE UINT32_MAX
#define GFN_NONE UINT64_MAX
#define GFN_LIMIT (1ull << 36) /* what the P2M can map */

struct active_grant {
    uint16_t ro_pins;  /* read-only mappings and reads in flight */
    uint16_t rw_pins;  /* writable mappings and writes in flight */
    domid_t domid;     /* the grantee: fixed while pinned */
    uint16_t frame_ro; /* the frame was read-only in the granter's P2M */
    mfn_t mfn;         /* pinned at first use; the entry's frame may change later */
};
_Static_assert(sizeof(struct active_grant) * 512 == PAGE_SIZE << ACTIVE_ORDER,
               "active entries of a frame");

struct maptrack; /* grant_map.c */

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

/* grant_table.c: the registry of live tables (lock order above). */
extern spinlock_t gnttab_registry_lock;
extern struct grant_table *gnttab_registry;

static inline unsigned int nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

static inline struct grant_entry_v1 *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->shared[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static inline struct active_grant *active_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

/* grant_table.c */
struct grant_table *gnttab_registry_find(domid_t id);
int16_t gnttab_pin_grant(struct grant_table *rgt, grant_ref_t ref, const struct domain *ld, bool readonly,
                  bool map, mfn_t *mfn);
void gnttab_unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly);

/* grant_map.c */
int16_t gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op);
int16_t gnttab_unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op);
void gnttab_release_own_mappings(struct grant_table *gt);
void gnttab_revoke_foreign_mappings(struct grant_table *gt);

/* grant_copy.c */
int16_t gnttab_copy_one(struct vcpu *v, const struct gnttab_copy *op);

#endif
