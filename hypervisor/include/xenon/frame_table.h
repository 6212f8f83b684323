/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame table: one struct page_info per machine frame, saying which
 * domain owns the frame and how many references keep it alive.
 *
 * A domain's RAM frame carries one reference for the owner (PGF_ALLOCATED,
 * the frame is on the owner's page list) and one more for every use by
 * someone else: a foreign mapping in another domain's P2M, a grant pin, a
 * hypervisor copy in flight. When the owner gives the frame up (ballooning,
 * or its death) only the owner's reference goes; the frame is free when the
 * last one does. Frames the hypervisor keeps for itself have count 0 and no
 * owner.
 *
 * These functions are pure bookkeeping (common/frame_table.c); the caller
 * holds the lock that covers the table and frees what they say is free
 * (common/mm.c). Host unit tests drive them directly.
 */
#ifndef XENON_FRAME_TABLE_H
#define XENON_FRAME_TABLE_H

#include <xenon/types.h>
#include <public/xen-types.h>
#include <public/xen.h>

#define PGF_ALLOCATED 1u /* owned: the owner's reference is held and the frame is on its list */

struct page_info {
    uint32_t next, prev; /* owner's page list: frame number + 1; 0 ends the list */
    uint32_t count;      /* references; 0 means free or the hypervisor's own */
    domid_t owner;       /* meaningful while PGF_ALLOCATED */
    uint16_t flags;      /* PGF_* */
};
_Static_assert(sizeof(struct page_info) == 16, "16 bytes a frame");

/* The frames a domain owns: zero-initialised is the empty list. */
struct page_list {
    uint32_t head; /* frame number + 1, 0 if empty */
    uint32_t pad;
    uint64_t nr; /* Xen's tot_pages */
};

struct frame_table {
    struct page_info *pages; /* indexed by frame number */
    uint64_t nr_frames;      /* below 2^32 - 1, so frame number + 1 fits a link */
};

/* Use pages[0 .. nr_frames) for frames 0 .. nr_frames - 1; all start free. -EINVAL if too many. */
int frame_table_init(struct frame_table *ft, struct page_info *pages, uint64_t nr_frames);

/*
 * A free frame becomes owner's: one reference, on list. -EINVAL (no change)
 * if it is out of range or not free.
 */
int frame_table_assign(struct frame_table *ft, struct page_list *list, mfn_t mfn, domid_t owner);

/*
 * The owner gives the frame up: off its list, the owner's reference dropped.
 * 1 if that was the last reference (the caller frees the frame), 0 if others
 * still hold it, -EINVAL (no change) if the frame is not owner's.
 */
int frame_table_release(struct frame_table *ft, struct page_list *list, mfn_t mfn, domid_t owner);

/* Another reference on a frame owner owns now: 0, or -EINVAL (no change). */
int frame_table_get(struct frame_table *ft, mfn_t mfn, domid_t owner);

/*
 * Another reference on a frame that has one already (whoever holds it): 0,
 * or -ENOENT for a frame with none (the hypervisor's own, or free), which
 * the caller must not treat as a domain's. -EOVERFLOW at the count's limit.
 */
int frame_table_get_any(struct frame_table *ft, mfn_t mfn);

/*
 * Drop a reference taken by frame_table_get / _get_any: 1 if it was the
 * last (the caller frees the frame), 0 otherwise, -EINVAL if the frame had
 * none (a bug in the caller: nothing changes).
 */
int frame_table_put(struct frame_table *ft, mfn_t mfn);

bool frame_table_owned_by(const struct frame_table *ft, mfn_t mfn, domid_t owner);

/* Some frame on the list (for teardown); false if it is empty. */
bool frame_table_first(const struct page_list *list, mfn_t *mfn);

/* Consistency of one list against the table (links, owner, count); 0 or -EIO. For tests. */
int frame_table_check_list(const struct frame_table *ft, const struct page_list *list,
                           domid_t owner);

#endif
