/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buddy allocator over a contiguous range of machine frames.
 *
 * Metadata lives in a caller-provided array (never inside the frames), so the
 * allocator works on frames the hypervisor has not mapped and runs unchanged
 * in host unit tests. All frames start reserved; buddy_release_range() frees
 * the usable ones (from the loader's memory map).
 */
#ifndef XENON_BUDDY_H
#define XENON_BUDDY_H

#include <xenon/types.h>

#define BUDDY_MAX_ORDER 18 /* 2^18 frames = 1 GiB */

struct buddy_frame; /* private per-frame metadata */

struct buddy {
    uint64_t base_mfn;
    uint64_t nr_frames;
    struct buddy_frame *meta;
    uint32_t free_head[BUDDY_MAX_ORDER + 1]; /* index of first free block, or UINT32_MAX */
    uint64_t nr_free;                        /* free frames, all orders */
};

/* Bytes of metadata buddy_init() needs for nr_frames frames. */
size_t buddy_meta_size(uint64_t nr_frames);

/* Manage [base_mfn, base_mfn + nr_frames); all reserved. -EINVAL if meta_size too small or nr_frames >= 2^32. */
int buddy_init(struct buddy *b, uint64_t base_mfn, uint64_t nr_frames, void *meta, size_t meta_size);

/* Free every frame of [start, end) (MFNs, clipped to the managed range). Frees already free are ignored. */
void buddy_release_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn);

/* Take [start, end) out of the free pool; -EBUSY (and no change) if any frame of it is not free. */
int buddy_reserve_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn);

/*
 * Allocate exactly the frames [start, end), each a block of its own (freed
 * with buddy_free(b, mfn, 0)); -EBUSY (and no change) if any is not free.
 */
int buddy_alloc_range(struct buddy *b, uint64_t start_mfn, uint64_t end_mfn);
/* Allocate 2^order naturally aligned frames: 0 or -ENOMEM (-EINVAL for order > BUDDY_MAX_ORDER). */
int buddy_alloc(struct buddy *b, unsigned int order, mfn_t *out);

/*
 * Return a block from buddy_alloc(). -EINVAL (and no change) if it is out of
 * range, misaligned, or not an allocated block of that order: a double free
 * is caught, never corrupts the free lists.
 */
int buddy_free(struct buddy *b, mfn_t mfn, unsigned int order);

/*
 * Turn an allocated block of 2^order frames into 2^order allocated single
 * frames, each to be freed on its own (buddy_free(b, mfn + i, 0)); freeing
 * them all merges the block again. -EINVAL (and no change) unless mfn heads
 * an allocated block of exactly that order.
 */
int buddy_split(struct buddy *b, mfn_t mfn, unsigned int order);

static inline uint64_t buddy_nr_free(const struct buddy *b) { return b->nr_free; }

/* Self-check of the free lists against the metadata; 0 or -EIO. For tests and debug builds. */
int buddy_check(const struct buddy *b);

#endif
