/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory: every RAM frame the loader reported goes into one buddy
 * allocator, except low memory, the hypervisor image, the boot modules and
 * the memory's own metadata (the allocator's and the frame table).
 *
 * Domain RAM is tracked frame by frame in the frame table (frame_table.h):
 * a frame handed to a domain is split out of its buddy block, so ballooning
 * can give back any single 4 KiB frame of a 2 MiB extent, and a frame that
 * others still reference (foreign or grant mappings) outlives its owner's
 * interest in it. frames_lock covers the allocator, the frame table, every
 * domain's page list and its tot_pages; it is a leaf lock.
 */
#include <xenon/buddy.h>
#include <xenon/domain.h>
#include <xenon/frame_table.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/spinlock.h>

#define LOW_MEMORY_END (1ull << 20)
#define DIRECT_MAP_END (4ull << 30) /* what the boot page tables map */
#define MAX_EXCLUDED (BOOT_MAX_MODULES + 4)

struct range {
    paddr_t start, end;
};

static struct buddy frames;
static struct frame_table frame_table;
static spinlock_t frames_lock = SPINLOCK_INIT; /* leaf lock */
static uint64_t managed_frames; /* ever put in the pool: free or in use */

/* Next excluded range that overlaps or follows addr, or NULL. */
static const struct range *next_excluded(const struct range *ex, unsigned int n, paddr_t addr)
{
    const struct range *best = NULL;

    for (unsigned int i = 0; i < n; i++)
        if (ex[i].end > addr && (!best || ex[i].start < best->start))
            best = &ex[i];
    return best;
}

/*
 * Walk the free intervals of RAM: RAM regions minus excluded ranges, page
 * aligned inwards. fn returns true to stop.
 */
static void for_each_free(const struct boot_info *bi, const struct range *ex, unsigned int n,
                          bool (*fn)(paddr_t s, paddr_t e, void *ctx), void *ctx)
{
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct boot_mem_region *r = &bi->memmap[i];
        paddr_t cur = ALIGN_UP(r->start, PAGE_SIZE);
        paddr_t end = ALIGN_DOWN(MIN(r->start + r->size, DIRECT_MAP_END), PAGE_SIZE);

        if (r->type != BOOT_MEM_RAM)
            continue;
        while (cur < end) {
            const struct range *x = next_excluded(ex, n, cur);
            paddr_t stop = x && x->start < end ? MAX(x->start, cur) : end;

            stop = ALIGN_DOWN(stop, PAGE_SIZE);
            if (stop > cur && fn(cur, stop, ctx))
                return;
            if (!x || x->start >= end)
                break;
            cur = ALIGN_UP(MAX(x->end, cur), PAGE_SIZE);
        }
    }
}

struct meta_search {
    size_t size;
    paddr_t found;
};

/* The highest fit: low memory stays free for the hardware domain's identity map. */
static bool find_meta_space(paddr_t s, paddr_t e, void *ctx)
{
    struct meta_search *m = ctx;

    if (e - s >= m->size)
        m->found = ALIGN_DOWN(e - m->size, PAGE_SIZE);
    return false;
}

static bool release(paddr_t s, paddr_t e, void *ctx)
{
    buddy_release_range(ctx, s >> PAGE_SHIFT, e >> PAGE_SHIFT);
    return false;
}

static bool overlaps(paddr_t s1, paddr_t e1, paddr_t s2, paddr_t e2) { return s1 < e2 && s2 < e1; }

/*
 * Move the boot modules to the top of RAM below 4 GiB, packed in their order,
 * if that space overlaps neither them nor the image: loaders put them right
 * after the image, where the hardware domain's kernel must go (its RAM is
 * identity-mapped and Linux's PVH entry is not relocatable). Left in place
 * if they are high already or there is no room.
 */
void mm_relocate_modules(struct boot_info *bi, paddr_t image_start, paddr_t image_end)
{
    paddr_t total = 0, top = 0, dst;

    for (unsigned int i = 0; i < bi->nr_modules; i++)
        total += ALIGN_UP(bi->modules[i].size, PAGE_SIZE);
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct boot_mem_region *r = &bi->memmap[i];
        paddr_t end = ALIGN_DOWN(MIN(r->start + r->size, DIRECT_MAP_END), PAGE_SIZE);

        paddr_t start = MAX(r->start, LOW_MEMORY_END);

        if (r->type == BOOT_MEM_RAM && end > start && end - start >= total && end > top)
            top = end;
    }
    if (!total || !top)
        return;
    dst = top - total;
    if (overlaps(dst, top, image_start, image_end))
        return;
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        if (overlaps(dst, top, bi->modules[i].start, bi->modules[i].start + bi->modules[i].size))
            return;
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        struct boot_module *m = &bi->modules[i];

        memcpy(maddr_to_virt(dst), maddr_to_virt(m->start), m->size);
        m->start = dst;
        dst += ALIGN_UP(m->size, PAGE_SIZE);
    }
    log_info("boot modules moved to %#lx-%#lx", (unsigned long)(top - total), (unsigned long)top);
}

int mm_init(const struct boot_info *bi, paddr_t image_start, paddr_t image_end)
{
    struct range ex[MAX_EXCLUDED];
    struct meta_search ms = { 0, 0 };
    size_t buddy_size;
    unsigned int n = 0;
    paddr_t top = 0;
    int rc;

    for (unsigned int i = 0; i < bi->nr_memmap; i++)
        if (bi->memmap[i].type == BOOT_MEM_RAM)
            top = MAX(top, bi->memmap[i].start + bi->memmap[i].size);
    if (top > DIRECT_MAP_END) {
        log_warn("RAM above 4 GiB is not used yet (%lu MiB ignored)", (unsigned long)((top - DIRECT_MAP_END) >> 20));
        top = DIRECT_MAP_END;
    }
    ex[n++] = (struct range){ 0, LOW_MEMORY_END };
    ex[n++] = (struct range){ image_start, image_end };
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        ex[n++] = (struct range){ bi->modules[i].start, bi->modules[i].start + bi->modules[i].size };

    /* One region for both: the buddy metadata, then the frame table. */
    buddy_size = ALIGN_UP(buddy_meta_size(top >> PAGE_SHIFT), 64);
    ms.size = ALIGN_UP(buddy_size + (top >> PAGE_SHIFT) * sizeof(struct page_info), PAGE_SIZE);
    for_each_free(bi, ex, n, find_meta_space, &ms);
    if (!ms.found)
        return -ENOMEM;
    ex[n++] = (struct range){ ms.found, ms.found + ms.size };

    rc = buddy_init(&frames, 0, top >> PAGE_SHIFT, maddr_to_virt(ms.found), buddy_size);
    if (!rc)
        rc = frame_table_init(&frame_table, maddr_to_virt(ms.found + buddy_size),
                              top >> PAGE_SHIFT);
    if (rc)
        return rc;
    for_each_free(bi, ex, n, release, &frames);
    managed_frames = buddy_nr_free(&frames);
    log_info("memory: %lu MiB free of %lu MiB", (buddy_nr_free(&frames) << PAGE_SHIFT) >> 20,
             top >> 20);
    return 0;
}

int frames_alloc(unsigned int order, mfn_t *out)
{
    int rc;

    spin_lock(&frames_lock);
    rc = buddy_alloc(&frames, order, out);
    spin_unlock(&frames_lock);
    return rc;
}

void frames_free(mfn_t mfn, unsigned int order)
{
    int rc;

    spin_lock(&frames_lock);
    rc = buddy_free(&frames, mfn, order);
    spin_unlock(&frames_lock);
    BUG_ON(rc); /* freeing what we never allocated is a hypervisor bug */
}

uint64_t frames_nr_free(void)
{
    return buddy_nr_free(&frames);
}

uint64_t frames_nr_in_use(void)
{
    uint64_t n;

    spin_lock(&frames_lock);
    n = managed_frames - buddy_nr_free(&frames);
    spin_unlock(&frames_lock);
    return n;
}

void *page_alloc_zeroed(unsigned int order)
{
    mfn_t mfn;
    void *p;

    if (frames_alloc(order, &mfn))
        return NULL;
    p = mfn_to_virt(mfn);
    memset(p, 0, PAGE_SIZE << order);
    return p;
}

void page_free(void *p, unsigned int order)
{
    frames_free(virt_to_mfn(p), order);
}

/* ---- Domain RAM ---- */

/* A frame nobody references any more goes back to the allocator; frames_lock held. */
static void free_if_last(int last, mfn_t mfn)
{
    if (last == 1)
        BUG_ON(buddy_free(&frames, mfn, 0));
}

static bool below_address_bits(mfn_t mfn, unsigned int order, unsigned int bits)
{
    return !bits || bits >= 64 || mfn_x(mfn) + (1ull << order) <= 1ull << (bits - PAGE_SHIFT);
}

int mm_domain_alloc(struct domain *d, unsigned int order, unsigned int address_bits, mfn_t *out)
{
    uint64_t n = 1ull << order;
    mfn_t mfn;
    int rc;

    if (order > BUDDY_MAX_ORDER || (address_bits && address_bits < PAGE_SHIFT + order))
        return -EINVAL;
    spin_lock(&frames_lock);
    rc = d->pages.nr + n > d->max_pages ? -ENOMEM : buddy_alloc(&frames, order, &mfn);
    /* One try, no search for low memory: all RAM in use lies below 4 GiB today. */
    if (!rc && !below_address_bits(mfn, order, address_bits)) {
        buddy_free(&frames, mfn, order);
        rc = -ENOMEM;
    }
    if (!rc) {
        BUG_ON(buddy_split(&frames, mfn, order));
        for (uint64_t i = 0; i < n; i++)
            BUG_ON(frame_table_assign(&frame_table, &d->pages, _mfn(mfn_x(mfn) + i), d->id));
    }
    spin_unlock(&frames_lock);
    if (!rc)
        *out = mfn;
    return rc;
}

int mm_domain_claim(struct domain *d, mfn_t mfn, unsigned int order, unsigned int address_bits)
{
    uint64_t n = 1ull << order;
    int rc;

    if (order > BUDDY_MAX_ORDER || !below_address_bits(mfn, order, address_bits))
        return -ENOMEM;
    spin_lock(&frames_lock);
    rc = d->pages.nr + n > d->max_pages ? -ENOMEM : buddy_alloc_range(&frames, mfn_x(mfn), mfn_x(mfn) + n);
    for (uint64_t i = 0; !rc && i < n; i++)
        BUG_ON(frame_table_assign(&frame_table, &d->pages, _mfn(mfn_x(mfn) + i), d->id));
    spin_unlock(&frames_lock);
    return rc;
}

static paddr_t low_keep_start, low_keep_end;
static bool low_memory_reusable;

void mm_low_memory_reusable(paddr_t keep_start, paddr_t keep_end)
{
    low_keep_start = keep_start;
    low_keep_end = keep_end;
    low_memory_reusable = true;
}

void mm_release_low_memory(const struct boot_info *bi)
{
    /* Frame 0 (the real-mode IVT), what arch code keeps, and everything from 1 MiB up. */
    const struct range keep[] = {
        { 0, PAGE_SIZE }, { low_keep_start, low_keep_end }, { LOW_MEMORY_END, DIRECT_MAP_END },
    };
    uint64_t free_before;

    spin_lock(&frames_lock);
    free_before = buddy_nr_free(&frames);
    if (low_memory_reusable)
        for_each_free(bi, keep, ARRAY_SIZE(keep), release, &frames);
    low_memory_reusable = false;
    managed_frames += buddy_nr_free(&frames) - free_before;
    spin_unlock(&frames_lock);
}

int mm_domain_release(struct domain *d, mfn_t mfn)
{
    int rc;

    spin_lock(&frames_lock);
    rc = frame_table_release(&frame_table, &d->pages, mfn, d->id);
    free_if_last(rc, mfn);
    spin_unlock(&frames_lock);
    return rc < 0 ? rc : 0;
}

int mm_get_page(const struct domain *owner, mfn_t mfn)
{
    int rc;

    spin_lock(&frames_lock);
    rc = frame_table_get(&frame_table, mfn, owner->id);
    spin_unlock(&frames_lock);
    return rc;
}

int mm_get_page_any(mfn_t mfn)
{
    int rc;

    spin_lock(&frames_lock);
    rc = frame_table_get_any(&frame_table, mfn);
    spin_unlock(&frames_lock);
    return rc;
}

void mm_put_page(mfn_t mfn)
{
    int rc;

    spin_lock(&frames_lock);
    rc = frame_table_put(&frame_table, mfn);
    free_if_last(rc, mfn);
    spin_unlock(&frames_lock);
    BUG_ON(rc < 0); /* a put without a get is a hypervisor bug */
}

bool mm_page_owned_by(const struct domain *d, mfn_t mfn)
{
    bool owned;

    spin_lock(&frames_lock);
    owned = frame_table_owned_by(&frame_table, mfn, d->id);
    spin_unlock(&frames_lock);
    return owned;
}

/*
 * d is dead and its P2M gone: give up every frame still on its list. Frames
 * others still reference stay, ownerless, until their last reference goes.
 * The lock is dropped between frames so other pCPUs can allocate meanwhile.
 */
void mm_domain_teardown(struct domain *d)
{
    for (;;) {
        mfn_t mfn;
        int rc;

        spin_lock(&frames_lock);
        if (!frame_table_first(&d->pages, &mfn)) {
            spin_unlock(&frames_lock);
            return;
        }
        rc = frame_table_release(&frame_table, &d->pages, mfn, d->id);
        BUG_ON(rc < 0);
        free_if_last(rc, mfn);
        spin_unlock(&frames_lock);
    }
}
