/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's guest-physical to machine map. It lives in the nested page tables
 * (NPT or EPT); the vendor back end implements the table format, arch/x86/p2m.c
 * the rules below.
 *
 * Every entry says whose frame it maps, and so what removing it means:
 *  - P2M_RAM_*: the domain's own RAM (one reference, the owner's, held by the
 *    frame table), or a hypervisor page given to the domain (shared_info,
 *    grant frames), which no reference keeps. Removing an entry of the
 *    domain's own RAM gives the frame up: tot_pages falls and the frame is
 *    freed unless others still reference it.
 *  - P2M_MAP_FOREIGN: another domain's RAM frame; the entry holds a reference.
 *    Removing the entry drops it.
 *  - P2M_GRANT_MAP_*: a granted frame; the grant's pin (grant_table.c) holds
 *    the reference, removing the entry drops nothing.
 *  - P2M_MMIO_DIRECT: the hardware domain's view of a machine address that is
 *    no RAM (device MMIO, firmware tables), or of the sink page that stands
 *    for RAM it does not own (hwdom.c); no reference, removing drops nothing.
 *  - P2M_MAP_RESOURCE: a hypervisor page that belongs to another domain (a
 *    grant frame, XENMEM_acquire_resource). Such a page lives as long as its
 *    owner, so the entry holds a reference on the owner *domain*
 *    (domain_get), recorded with the entry in d->p2m_res; removing the entry
 *    drops it. Never the hypervisor's to copy through (p2m_get_page), never
 *    d's to give back.
 * Replacing an entry removes the old one first. A removed entry's frames are
 * released only after no vCPU of the domain can use the old translation.
 *
 * Locking: d->p2m_lock, taken inside these calls, nests inside the grant-table
 * locks and outside frames_lock (mm.c).
 */
#ifndef XENON_P2M_H
#define XENON_P2M_H

#include <xenon/types.h>

struct domain;

enum p2m_type {
    P2M_INVALID = 0,
    P2M_RAM_RW,
    P2M_RAM_RO,
    P2M_MAP_FOREIGN,
    P2M_GRANT_MAP_RW,
    P2M_GRANT_MAP_RO,
    P2M_MMIO_DIRECT,
    P2M_MAP_RESOURCE,
    P2M_NR_TYPES,
};

#define P2M_TYPE_BIT(t) (1u << (t))
#define P2M_RAM_TYPES (P2M_TYPE_BIT(P2M_RAM_RW) | P2M_TYPE_BIT(P2M_RAM_RO))
#define P2M_GRANT_TYPES (P2M_TYPE_BIT(P2M_GRANT_MAP_RW) | P2M_TYPE_BIT(P2M_GRANT_MAP_RO))

/* Guest-physical frames the P2M can map: 48-bit guest-physical addresses. */
#define P2M_GFN_LIMIT (1ull << 36)

static inline bool p2m_is_ram(enum p2m_type t)
{
    return t == P2M_RAM_RW || t == P2M_RAM_RO;
}
static inline bool p2m_is_grant(enum p2m_type t)
{
    return t == P2M_GRANT_MAP_RW || t == P2M_GRANT_MAP_RO;
}
static inline bool p2m_is_writable(enum p2m_type t)
{
    return t == P2M_RAM_RW || t == P2M_MAP_FOREIGN || t == P2M_GRANT_MAP_RW ||
           t == P2M_MMIO_DIRECT || t == P2M_MAP_RESOURCE;
}

/*
 * A domain's P2M_MAP_RESOURCE entries: where each is, its frame and the
 * domain that owns the frame, referenced. Under the domain's P2M lock.
 * The bound is what a caller may hold at once (-ENOSPC past it): one whole
 * grant table's worth (GNTTAB_MAX_FRAMES).
 */
#define P2M_MAX_RESOURCES 32

struct p2m_resource {
    uint64_t gfn;
    mfn_t mfn;
    struct domain *owner;
};

struct p2m_resources {
    unsigned int nr;
    /* The GFNs the P2M change in progress may release (see p2m_release). */
    uint64_t op_first, op_last;
    struct p2m_resource map[P2M_MAX_RESOURCES];
};

/*
 * Map 2^order frames (order 0 or 9, both aligned) at gfn; what was there is
 * removed as above. The caller hands over the reference the new entry holds
 * (a foreign map's) or owns the frames (RAM).
 */
int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t);
/* Remove the entry at gfn (one 4 KiB frame, splitting a 2 MiB one); -ENOENT if none. */
int p2m_unmap(struct domain *d, gfn_t gfn);
/*
 * Remove the entry at gfn only if its type is in types (P2M_TYPE_BIT mask)
 * and, for RAM types, the frame is d's own RAM (not a hypervisor page).
 * -ENOENT if nothing is mapped, -EINVAL if the entry is not removable so.
 */
int p2m_remove(struct domain *d, gfn_t gfn, unsigned int types);
/* d is dead: release every entry (p2m_release) and free the tables. Idempotent. */
void p2m_destroy(struct domain *d);

/*
 * Map owner's hypervisor page mfn (one of its grant frames) at gfn of d as
 * P2M_MAP_RESOURCE; what was at gfn is removed as above. The entry takes a
 * reference on owner of its own (the caller holds owner while calling);
 * owner != d. -ENOSPC if d holds P2M_MAX_RESOURCES such entries already.
 */
int p2m_map_resource(struct domain *d, gfn_t gfn, mfn_t mfn, struct domain *owner);
/* How many more P2M_MAP_RESOURCE entries d may hold now. */
unsigned int p2m_resource_room(struct domain *d);
/*
 * d is dead and none of its vCPUs runs: remove its P2M_MAP_RESOURCE entries
 * now, so the owners' references go even while something still holds d
 * (two dead domains mapping each other's frames would otherwise keep each
 * other forever). Called by domain_reap.
 */
void p2m_relinquish_resources(struct domain *d);
/* -ENOENT if gfn is not mapped. */
int p2m_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t);

/* p2m_get_page flags. */
#define P2M_GET_WRITE 1u /* to write through: the entry must be writable */
#define P2M_GET_OWN 2u   /* d's own RAM only: no hypervisor, grant or foreign page */

/*
 * Find gfn's frame and reference it in one step, so it cannot be freed
 * (ballooned out, unmapped) while the caller uses it. 0: a reference was
 * taken, drop it with mm_put_page(*mfn). 1: a hypervisor page, which lives
 * as long as d and needs none (never with P2M_GET_OWN). -ENOENT: nothing
 * mapped; -EINVAL: the entry does not allow this use.
 */
int p2m_get_page(struct domain *d, gfn_t gfn, unsigned int flags, mfn_t *mfn, enum p2m_type *t);

/*
 * For back ends: an entry of d mapping 2^order frames from mfn as type t has
 * gone, and no vCPU of d can still use it (TLBs flushed, or d is dead).
 * Called with d's P2M lock held, or on a dead domain.
 */
void p2m_release(struct domain *d, mfn_t mfn, unsigned int order, enum p2m_type t);

#endif
