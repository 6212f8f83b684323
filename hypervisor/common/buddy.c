/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buddy allocator over a contiguous range of machine frames (see buddy.h).
 *
 * Every frame has one struct buddy_frame in the caller's metadata array; the
 * frames themselves are never touched. A frame is in exactly one state:
 *
 *   RESERVED   not managed right now (firmware, image, ...); a single frame
 *   FREE       first frame of a free block of 2^order frames, on free_head[order]
 *   ALLOC      first frame of an allocated block of 2^order frames
 *   TAIL       any other frame of a free or allocated block
 *
 * Blocks are naturally aligned in absolute MFN terms (mfn % 2^order == 0),
 * so buddy_alloc() keeps the header's promise even with an unaligned
 * base_mfn; blocks simply never straddle either end of the managed range.
 *
 * Free lists are doubly linked through uint32 indices (mfn - base_mfn) so a
 * block can be unlinked in O(1) when its buddy is freed or a range reserved.
 * Because only block heads carry a meaningful order, a double free or a free
 * of the wrong order finds TAIL/FREE/RESERVED or a different order and is
 * refused before anything changes.
 */
#include <xenon/buddy.h>
#include <xenon/lib.h>
#include <xenon/string.h>

#define NO_FRAME UINT32_MAX

enum frame_state { FRAME_RESERVED = 0, FRAME_FREE, FRAME_ALLOC, FRAME_TAIL };

struct buddy_frame {
    uint32_t next; /* FREE only: neighbours on free_head[order] */
    uint32_t prev;
    uint8_t state; /* enum frame_state */
    uint8_t order; /* FREE and ALLOC only */
};

static inline uint64_t order_frames(unsigned int order)
{
    return 1ull << order;
}

static inline uint32_t mfn_index(const struct buddy *b, uint64_t mfn)
{
    return (uint32_t)(mfn - b->base_mfn);
}

static inline struct buddy_frame *frame_of(const struct buddy *b, uint64_t mfn)
{
    return &b->meta[mfn_index(b, mfn)];
}

/* Does the naturally aligned block [mfn, mfn + 2^order) lie inside the managed range? */
static bool block_in_range(const struct buddy *b, uint64_t mfn, unsigned int order)
{
    if (mfn < b->base_mfn)
        return false;
    /* nr_frames < 2^32 and order <= BUDDY_MAX_ORDER, so nothing here overflows. */
    return mfn - b->base_mfn <= b->nr_frames &&
           order_frames(order) <= b->nr_frames - (mfn - b->base_mfn);
}

/* Put a free block at the head of its list and count it. */
static void block_push(struct buddy *b, uint64_t mfn, unsigned int order)
{
    struct buddy_frame *f = frame_of(b, mfn);
    uint32_t idx = mfn_index(b, mfn);
    uint32_t old = b->free_head[order];

    f->state = FRAME_FREE;
    f->order = (uint8_t)order;
    f->prev = NO_FRAME;
    f->next = old;
    if (old != NO_FRAME)
        b->meta[old].prev = idx;
    b->free_head[order] = idx;
    b->nr_free += order_frames(order);
}

/* Take a free block off its list; its head becomes a plain TAIL until relabelled. */
static void block_unlink(struct buddy *b, uint64_t mfn)
{
    struct buddy_frame *f = frame_of(b, mfn);
    unsigned int order = f->order;

    if (f->prev != NO_FRAME)
        b->meta[f->prev].next = f->next;
    else
        b->free_head[order] = f->next;
    if (f->next != NO_FRAME)
        b->meta[f->next].prev = f->prev;
    f->state = FRAME_TAIL;
    f->next = f->prev = NO_FRAME;
    b->nr_free -= order_frames(order);
}

/*
 * Free the block [mfn, mfn + 2^order), merging with free buddies as far as
 * possible. The caller has checked the block; its frames other than the head
 * are already TAIL (or it is a single frame).
 */
static void block_free_coalesce(struct buddy *b, uint64_t mfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        uint64_t buddy_mfn = mfn ^ order_frames(order);
        const struct buddy_frame *bf;

        if (!block_in_range(b, buddy_mfn, order))
            break;
        bf = frame_of(b, buddy_mfn);
        if (bf->state != FRAME_FREE || bf->order != order)
            break;
        block_unlink(b, buddy_mfn);
        /* The higher of the two heads is inside the merged block now. */
        if (buddy_mfn < mfn) {
            frame_of(b, mfn)->state = FRAME_TAIL;
            mfn = buddy_mfn;
        }
        order++;
    }
    block_push(b, mfn, order);
}

/*
 * Free [start, end) as the largest naturally aligned blocks that fit. Every
 * frame of the range must be TAIL (left over from a block just unlinked).
 */
static void range_free_aligned(struct buddy *b, uint64_t start, uint64_t end)
{
    while (start < end) {
        unsigned int order = 0;

        while (order < BUDDY_MAX_ORDER && !(start & order_frames(order)) &&
               order_frames(order + 1) <= end - start)
            order++;
        block_free_coalesce(b, start, order);
        start += order_frames(order);
    }
}

size_t buddy_meta_size(uint64_t nr_frames)
{
    if (nr_frames > SIZE_MAX / sizeof(struct buddy_frame))
        return SIZE_MAX;
    return (size_t)nr_frames * sizeof(struct buddy_frame);
}

int buddy_init(struct buddy *b, uint64_t base_mfn, uint64_t nr_frames, void *meta, size_t meta_size)
{
    /* Indices are uint32 and UINT32_MAX means "none", so every index must be below it. */
    if (nr_frames >= (1ull << 32) || base_mfn + nr_frames < base_mfn)
        return -EINVAL;
    if (meta_size < buddy_meta_size(nr_frames))
        return -EINVAL;
    if (nr_frames && (!meta || (uintptr_t)meta % _Alignof(struct buddy_frame)))
        return -EINVAL;

    b->base_mfn = base_mfn;
    b->nr_frames = nr_frames;
    b->meta = meta;
    b->nr_free = 0;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        b->free_head[o] = NO_FRAME;
    for (uint64_t i = 0; i < nr_frames; i++)
        b->meta[i] = (struct buddy_frame){ NO_FRAME, NO_FRAME, FRAME_RESERVED, 0 };
    return 0;
}

void buddy_release_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn)
{
    uint64_t start = MAX(start_mfn, b->base_mfn);
    uint64_t end = MIN(end_mfn, b->base_mfn + b->nr_frames);

    /*
     * Frame by frame: only RESERVED frames change. Free frames are left alone
     * (release is idempotent) and so are allocated ones, which belong to
     * their owner. Coalescing makes ascending release amortised O(1) a frame.
     */
    for (uint64_t mfn = start; mfn < end; mfn++)
        if (frame_of(b, mfn)->state == FRAME_RESERVED)
            block_free_coalesce(b, mfn, 0);
}

/* Head of the free block containing mfn, or false if mfn is not free. */
static bool find_free_block(const struct buddy *b, uint64_t mfn, uint64_t *head)
{
    /* Blocks are naturally aligned, so a free block holding mfn starts at mfn rounded down to its size. */
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        uint64_t h = mfn & ~(order_frames(o) - 1);
        const struct buddy_frame *f;

        if (h < b->base_mfn)
            return false;
        if (!block_in_range(b, h, o))
            continue;
        f = frame_of(b, h);
        if (f->state == FRAME_FREE && f->order == o) {
            *head = h;
            return true;
        }
    }
    return false;
}

int buddy_reserve_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn)
{
    uint64_t mfn, head;

    if (start_mfn > end_mfn)
        return -EINVAL;
    if (start_mfn == end_mfn)
        return 0;
    /* Frames outside the managed range are never free. */
    if (start_mfn < b->base_mfn || end_mfn > b->base_mfn + b->nr_frames)
        return -EBUSY;

    /* First pass only looks, so a busy frame anywhere leaves everything unchanged. */
    for (mfn = start_mfn; mfn < end_mfn; mfn = head + order_frames(frame_of(b, head)->order))
        if (!find_free_block(b, mfn, &head))
            return -EBUSY;

    /* Second pass: unlink each covering block and give back what lies outside the range. */
    for (mfn = start_mfn; mfn < end_mfn;) {
        uint64_t block_end, lo, hi;

        find_free_block(b, mfn, &head);
        block_end = head + order_frames(frame_of(b, head)->order);
        lo = MAX(head, start_mfn);
        hi = MIN(block_end, end_mfn);
        block_unlink(b, head);
        for (uint64_t m = lo; m < hi; m++)
            frame_of(b, m)->state = FRAME_RESERVED;
        range_free_aligned(b, head, lo);
        range_free_aligned(b, hi, block_end);
        mfn = hi;
    }
    return 0;
}

int buddy_alloc_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn)
{
    int rc = buddy_reserve_range(b, start_mfn, end_mfn);

    /* Reserved frames are single frames already: label each an allocated block of one. */
    for (uint64_t m = start_mfn; !rc && m < end_mfn; m++)
        *frame_of(b, m) = (struct buddy_frame){ NO_FRAME, NO_FRAME, FRAME_ALLOC, 0 };
    return rc;
}

int buddy_alloc(struct buddy *b, unsigned int order, mfn_t *out)
{
    unsigned int o = order;
    uint64_t mfn;
    struct buddy_frame *f;

    if (order > BUDDY_MAX_ORDER)
        return -EINVAL;
    while (o <= BUDDY_MAX_ORDER && b->free_head[o] == NO_FRAME)
        o++;
    if (o > BUDDY_MAX_ORDER)
        return -ENOMEM;

    mfn = b->base_mfn + b->free_head[o];
    block_unlink(b, mfn);
    /* Split down, keeping the low half and freeing each upper half. */
    while (o > order) {
        o--;
        block_push(b, mfn + order_frames(o), o);
    }
    f = frame_of(b, mfn);
    f->state = FRAME_ALLOC;
    f->order = (uint8_t)order;
    *out = _mfn(mfn);
    return 0;
}

int buddy_free(struct buddy *b, mfn_t mfn, unsigned int order)
{
    uint64_t m = mfn_x(mfn);
    const struct buddy_frame *f;

    if (order > BUDDY_MAX_ORDER || (m & (order_frames(order) - 1)))
        return -EINVAL;
    if (!block_in_range(b, m, order))
        return -EINVAL;
    f = frame_of(b, m);
    if (f->state != FRAME_ALLOC || f->order != order)
        return -EINVAL;
    block_free_coalesce(b, m, order);
    return 0;
}

int buddy_split(struct buddy *b, mfn_t mfn, unsigned int order)
{
    uint64_t m = mfn_x(mfn);
    struct buddy_frame *f;

    if (order > BUDDY_MAX_ORDER || (m & (order_frames(order) - 1)) || !block_in_range(b, m, order))
        return -EINVAL;
    f = frame_of(b, m);
    if (f->state != FRAME_ALLOC || f->order != order)
        return -EINVAL;
    /* The tails hold no links (TAIL never does), so relabelling is all it takes. */
    for (uint64_t i = 0; i < order_frames(order); i++) {
        f = frame_of(b, m + i);
        f->state = FRAME_ALLOC;
        f->order = 0;
    }
    return 0;
}

/* Walk one free list: links, heads, alignment, no unmerged buddies. Adds its frames to *frames. */
static int check_list(const struct buddy *b, unsigned int order, uint64_t *frames, uint64_t *blocks)
{
    uint32_t prev = NO_FRAME;
    uint64_t steps = 0;

    for (uint32_t i = b->free_head[order]; i != NO_FRAME; prev = i, i = b->meta[i].next) {
        uint64_t mfn = b->base_mfn + i;
        uint64_t buddy_mfn = mfn ^ order_frames(order);
        const struct buddy_frame *f;

        /* More entries than frames means a cycle. */
        if (i >= b->nr_frames || ++steps > b->nr_frames)
            return -EIO;
        f = &b->meta[i];
        if (f->state != FRAME_FREE || f->order != order || f->prev != prev)
            return -EIO;
        if ((mfn & (order_frames(order) - 1)) || !block_in_range(b, mfn, order))
            return -EIO;
        if (order < BUDDY_MAX_ORDER && block_in_range(b, buddy_mfn, order) &&
            frame_of(b, buddy_mfn)->state == FRAME_FREE && frame_of(b, buddy_mfn)->order == order)
            return -EIO;
        *frames += order_frames(order);
        (*blocks)++;
    }
    return 0;
}

/* Linear scan: every frame is RESERVED or part of exactly one well-formed block. */
static int check_frames(const struct buddy *b, uint64_t *free_frames, uint64_t *free_blocks)
{
    uint64_t i = 0;

    while (i < b->nr_frames) {
        const struct buddy_frame *f = &b->meta[i];
        uint64_t n;

        if (f->state == FRAME_RESERVED) {
            i++;
            continue;
        }
        if ((f->state != FRAME_FREE && f->state != FRAME_ALLOC) || f->order > BUDDY_MAX_ORDER)
            return -EIO;
        if (((b->base_mfn + i) & (order_frames(f->order) - 1)) ||
            !block_in_range(b, b->base_mfn + i, f->order))
            return -EIO;
        n = order_frames(f->order);
        for (uint64_t t = 1; t < n; t++)
            if (b->meta[i + t].state != FRAME_TAIL)
                return -EIO;
        if (f->state == FRAME_FREE) {
            *free_frames += n;
            (*free_blocks)++;
        }
        i += n;
    }
    return 0;
}

int buddy_check(const struct buddy *b)
{
    uint64_t list_frames = 0, list_blocks = 0, scan_frames = 0, scan_blocks = 0;

    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        if (check_list(b, o, &list_frames, &list_blocks))
            return -EIO;
    if (check_frames(b, &scan_frames, &scan_blocks))
        return -EIO;
    /* Every FREE head found by the scan must be on a list, and the count must agree. */
    if (list_blocks != scan_blocks || list_frames != scan_frames || list_frames != b->nr_free)
        return -EIO;
    return 0;
}
