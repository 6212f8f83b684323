/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1 (common/grant_table.c).
 *
 * A domain shares pages with another by filling grant_entry_v1 slots in its
 * grant frames (hypervisor pages it places in its physmap with
 * XENMEM_add_to_physmap, XENMAPSPACE_grant_table). The grantee maps a granted
 * page into its own P2M (GNTTABOP_map_grant_ref) or copies through it
 * (GNTTABOP_copy). While a grant is in use the hypervisor keeps GTF_reading /
 * GTF_writing set in the shared entry, so the granter knows not to reuse the
 * page. When either domain dies every mapping between them is torn down
 * before the granter's frames are freed.
 */
#ifndef XENON_GRANT_TABLE_H
#define XENON_GRANT_TABLE_H

#include <xenon/types.h>
#include <public/xen-types.h>

struct domain;
struct vcpu;
struct hypercall_args;

/* Hard limit on grant frames per domain (the struct's array size). */
#define GNTTAB_MAX_FRAMES 32
/* Default limits of a new domain: grant frames and maptrack pages (mappings it may hold). */
#define GNTTAB_DEFAULT_MAX_FRAMES 32
#define GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES 64
#define GNTTAB_MAX_MAPTRACK_PAGES 64

/*
 * Give d a grant table with one frame, able to grow to max_frames, and room
 * for max_maptrack_pages pages of its own mappings of other domains' grants.
 * 0 or -ENOMEM / -EINVAL.
 */
int grant_table_init(struct domain *d, unsigned int max_frames, unsigned int max_maptrack_pages);

/*
 * Tear down every mapping d holds and every mapping others hold of d's
 * grants (unmapped from their P2M; their handles stay valid until they
 * unmap), then free the table. Call before d's P2M and frames are freed.
 * Idempotent; accepts a half-built domain.
 */
void grant_table_destroy(struct domain *d);

/*
 * XENMEM_add_to_physmap, XENMAPSPACE_grant_table: put grant frame idx of d
 * at gfn, growing the table up to idx + 1 frames. What was at gfn is
 * replaced; the frame's previous location is unmapped.
 * 0, -EINVAL (bad idx, status frames of v2) or -ENOMEM.
 */
int grant_table_map_frame(struct domain *d, uint64_t idx, gfn_t gfn);

/* XENMEM_acquire_resource, XENMEM_resource_grant_table: how many shared frames d may have. */
unsigned int grant_table_max_frames(const struct domain *d);

/*
 * The machine frames of d's shared grant frames [first, first + nr) in
 * mfns[], the table grown to hold them. They are hypervisor pages that live
 * until d is destroyed: a caller mapping them elsewhere keeps d referenced.
 * 0, -EINVAL (nr 0 or past the table's maximum) or -ENOMEM.
 */
int grant_table_get_frames(struct domain *d, unsigned int first, unsigned int nr, mfn_t *mfns);

/*
 * Is mfn pinned by a grant of d (mapped or being copied by a grantee)?
 * Such a frame must not be freed or moved: ballooning code asks first.
 */
bool grant_table_mfn_in_use(struct domain *d, mfn_t mfn);

/*
 * The hypervisor grants a frame of d's to grantee on d's behalf, as d itself
 * would: entry ref of d's table names gfn and grantee, then its flags say
 * GTF_permit_access (| GTF_readonly). Used before d runs, for the reserved
 * entries a toolstack fills (GNTTAB_RESERVED_XENSTORE of a boot domain). The
 * table's first frame exists from grant_table_init on and keeps what is
 * written here when the guest places it in its physmap later, so nothing
 * needs staging. 0, -EINVAL (ref beyond the table, gfn wider than the
 * entry's 32 bits) or -EBUSY (the entry is in use by a grantee).
 */
int grant_table_seed_v1(struct domain *d, grant_ref_t ref, domid_t grantee, gfn_t gfn,
                        bool readonly);

long do_grant_table_op(struct vcpu *v, const struct hypercall_args *args);

#endif
