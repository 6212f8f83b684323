/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frame table bookkeeping (see frame_table.h): ownership, reference counts
 * and the per-domain page lists. No locking and no freeing here; the caller
 * holds the lock over the table and returns frames to the allocator.
 *
 * The page lists are doubly linked through the table by frame number + 1,
 * so a zeroed struct domain has an empty list and removal is O(1) at any
 * position (ballooning removes frames from the middle).
 */
#include <xenon/frame_table.h>
#include <xenon/lib.h>

#define LINK_NONE 0u
#define COUNT_MAX UINT32_MAX

static inline uint32_t link_of(uint64_t mfn)
{
    return (uint32_t)(mfn + 1);
}
static inline uint64_t mfn_of(uint32_t link)
{
    return (uint64_t)link - 1;
}

static struct page_info *page_of(const struct frame_table *ft, mfn_t mfn)
{
    return mfn_x(mfn) < ft->nr_frames ? &ft->pages[mfn_x(mfn)] : NULL;
}

static bool is_owned_by(const struct page_info *pg, domid_t owner)
{
    return pg && (pg->flags & PGF_ALLOCATED) && pg->owner == owner;
}

int frame_table_init(struct frame_table *ft, struct page_info *pages, uint64_t nr_frames)
{
    if (nr_frames >= UINT32_MAX || (nr_frames && !pages))
        return -EINVAL;
    ft->pages = pages;
    ft->nr_frames = nr_frames;
    if (nr_frames)
        memset(pages, 0, nr_frames * sizeof(*pages));
    return 0;
}

static void list_add(struct frame_table *ft, struct page_list *list, uint64_t mfn)
{
    struct page_info *pg = &ft->pages[mfn];

    pg->prev = LINK_NONE;
    pg->next = list->head;
    if (list->head != LINK_NONE)
        ft->pages[mfn_of(list->head)].prev = link_of(mfn);
    list->head = link_of(mfn);
    list->nr++;
}

static void list_del(struct frame_table *ft, struct page_list *list, uint64_t mfn)
{
    struct page_info *pg = &ft->pages[mfn];

    if (pg->prev != LINK_NONE)
        ft->pages[mfn_of(pg->prev)].next = pg->next;
    else
        list->head = pg->next;
    if (pg->next != LINK_NONE)
        ft->pages[mfn_of(pg->next)].prev = pg->prev;
    pg->next = pg->prev = LINK_NONE;
    list->nr--;
}

int frame_table_assign(struct frame_table *ft, struct page_list *list, mfn_t mfn, domid_t owner)
{
    struct page_info *pg = page_of(ft, mfn);

    if (!pg || pg->count || pg->flags)
        return -EINVAL;
    pg->count = 1;
    pg->owner = owner;
    pg->flags = PGF_ALLOCATED;
    list_add(ft, list, mfn_x(mfn));
    return 0;
}

int frame_table_release(struct frame_table *ft, struct page_list *list, mfn_t mfn, domid_t owner)
{
    struct page_info *pg = page_of(ft, mfn);

    if (!is_owned_by(pg, owner))
        return -EINVAL;
    list_del(ft, list, mfn_x(mfn));
    pg->flags &= (uint16_t)~PGF_ALLOCATED;
    /* An orphan still referenced by others has no owner any more: a reused id must not match. */
    pg->owner = DOMID_INVALID;
    return --pg->count == 0;
}

int frame_table_get(struct frame_table *ft, mfn_t mfn, domid_t owner)
{
    struct page_info *pg = page_of(ft, mfn);

    if (!is_owned_by(pg, owner))
        return -EINVAL;
    if (pg->count == COUNT_MAX)
        return -EOVERFLOW;
    pg->count++;
    return 0;
}

int frame_table_get_any(struct frame_table *ft, mfn_t mfn)
{
    struct page_info *pg = page_of(ft, mfn);

    if (!pg || !pg->count)
        return -ENOENT;
    if (pg->count == COUNT_MAX)
        return -EOVERFLOW;
    pg->count++;
    return 0;
}

int frame_table_put(struct frame_table *ft, mfn_t mfn)
{
    struct page_info *pg = page_of(ft, mfn);

    if (!pg || !pg->count)
        return -EINVAL;
    /* The owner's reference is dropped only by release: a put never takes it. */
    if ((pg->flags & PGF_ALLOCATED) && pg->count == 1)
        return -EINVAL;
    return --pg->count == 0;
}

bool frame_table_owned_by(const struct frame_table *ft, mfn_t mfn, domid_t owner)
{
    return is_owned_by(page_of(ft, mfn), owner);
}

bool frame_table_first(const struct page_list *list, mfn_t *mfn)
{
    if (list->head == LINK_NONE)
        return false;
    *mfn = _mfn(mfn_of(list->head));
    return true;
}

int frame_table_check_list(const struct frame_table *ft, const struct page_list *list,
                           domid_t owner)
{
    uint32_t prev = LINK_NONE;
    uint64_t n = 0;

    for (uint32_t l = list->head; l != LINK_NONE; prev = l, l = ft->pages[mfn_of(l)].next) {
        const struct page_info *pg;

        /* More entries than frames means a cycle. */
        if (mfn_of(l) >= ft->nr_frames || ++n > ft->nr_frames)
            return -EIO;
        pg = &ft->pages[mfn_of(l)];
        if (pg->prev != prev || !is_owned_by(pg, owner) || !pg->count)
            return -EIO;
    }
    return n == list->nr ? 0 : -EIO;
}
