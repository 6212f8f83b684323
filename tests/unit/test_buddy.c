// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the buddy frame allocator (hypervisor/common/buddy.c). */
#include <string.h>

#include "harness.h"
#include <xenon/buddy.h>

#define MAX_FRAMES (1u << BUDDY_MAX_ORDER)
#define META_WORDS (MAX_FRAMES * 4) /* 32 bytes a frame: ample for any sane struct buddy_frame */

static uint64_t meta_buf[META_WORDS];
static uint64_t saved_meta[META_WORDS];
static struct buddy saved_b;

/* A fresh allocator over [base, base + nr), all reserved. */
static void setup(struct buddy *b, uint64_t base, uint64_t nr)
{
    CHECK(buddy_meta_size(nr) <= sizeof(meta_buf));
    CHECK_EQ(buddy_init(b, base, nr, meta_buf, sizeof(meta_buf)), 0);
    CHECK_EQ(buddy_nr_free(b), 0);
    CHECK_EQ(buddy_check(b), 0);
}

/* Snapshot everything the allocator owns, to prove a failed call changed nothing. */
static void save(const struct buddy *b)
{
    saved_b = *b;
    memcpy(saved_meta, meta_buf, buddy_meta_size(b->nr_frames));
}

static bool unchanged(const struct buddy *b)
{
    return !memcmp(&saved_b, b, sizeof(*b)) &&
           !memcmp(saved_meta, meta_buf, buddy_meta_size(b->nr_frames));
}

/* Fixed-seed xorshift64: reproducible "random" sequences. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

TEST(init_errors)
{
    struct buddy b;
    size_t need = buddy_meta_size(100);

    CHECK(need >= 100);
    CHECK_EQ(buddy_meta_size(0), 0);
    CHECK(buddy_meta_size(200) > need);
    CHECK_EQ(buddy_init(&b, 0, 100, meta_buf, need - 1), -EINVAL);
    CHECK_EQ(buddy_init(&b, 0, 100, meta_buf, 0), -EINVAL);
    CHECK_EQ(buddy_init(&b, 0, 1ull << 32, meta_buf, sizeof(meta_buf)), -EINVAL);
    CHECK_EQ(buddy_init(&b, 0, UINT64_MAX, meta_buf, SIZE_MAX), -EINVAL);
    CHECK_EQ(buddy_init(&b, UINT64_MAX - 10, 100, meta_buf, need), -EINVAL);
    CHECK_EQ(buddy_init(&b, 0, 100, (char *)meta_buf + 1, need), -EINVAL);
    CHECK_EQ(buddy_init(&b, 0, 100, meta_buf, need), 0);
    CHECK_EQ(buddy_init(&b, 0, 0, NULL, 0), 0);
    CHECK_EQ(buddy_check(&b), 0);

    /* Everything starts reserved: nothing to allocate until released. */
    mfn_t m;
    CHECK_EQ(buddy_init(&b, 0, 100, meta_buf, need), 0);
    CHECK_EQ(buddy_nr_free(&b), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &m), -ENOMEM);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(alloc_all_orders)
{
    struct buddy b;
    mfn_t got[BUDDY_MAX_ORDER + 1];
    uint64_t expect = MAX_FRAMES;

    setup(&b, 0, MAX_FRAMES);
    buddy_release_range(&b, 0, MAX_FRAMES);
    CHECK_EQ(buddy_nr_free(&b), MAX_FRAMES);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER + 1, &got[0]), -EINVAL);

    /* Orders 0..17 fit together in half of the pool. */
    for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++) {
        CHECK_EQ(buddy_alloc(&b, o, &got[o]), 0);
        CHECK_EQ(mfn_x(got[o]) & ((1ull << o) - 1), 0);
        CHECK(mfn_x(got[o]) + (1ull << o) <= MAX_FRAMES);
        expect -= 1ull << o;
        CHECK_EQ(buddy_nr_free(&b), expect);
        CHECK_EQ(buddy_check(&b), 0);
    }
    CHECK_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER, &got[BUDDY_MAX_ORDER]), -ENOMEM);
    for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++)
        CHECK_EQ(buddy_free(&b, got[o], o), 0);
    CHECK_EQ(buddy_nr_free(&b), MAX_FRAMES);
    CHECK_EQ(buddy_check(&b), 0);

    /* Fully coalesced again: one block of the maximum order. */
    CHECK_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER, &got[BUDDY_MAX_ORDER]), 0);
    CHECK_EQ(mfn_x(got[BUDDY_MAX_ORDER]), 0);
    CHECK_EQ(buddy_nr_free(&b), 0);
    CHECK_EQ(buddy_free(&b, got[BUDDY_MAX_ORDER], BUDDY_MAX_ORDER), 0);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(exhaust_gives_enomem)
{
    struct buddy b;
    uint8_t seen[64] = { 0 };
    mfn_t m[64], extra;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    for (unsigned int i = 0; i < 64; i++) {
        CHECK_EQ(buddy_alloc(&b, 0, &m[i]), 0);
        CHECK(mfn_x(m[i]) < 64);
        CHECK_EQ(seen[mfn_x(m[i]) % 64]++, 0); /* never handed out twice */
    }
    CHECK_EQ(buddy_nr_free(&b), 0);
    save(&b);
    CHECK_EQ(buddy_alloc(&b, 0, &extra), -ENOMEM);
    CHECK_EQ(buddy_alloc(&b, 3, &extra), -ENOMEM);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_check(&b), 0);

    /* A bigger order fails while only smaller blocks are free. */
    CHECK_EQ(buddy_free(&b, m[0], 0), 0);
    CHECK_EQ(buddy_alloc(&b, 1, &extra), -ENOMEM);
    for (unsigned int i = 1; i < 64; i++)
        CHECK_EQ(buddy_free(&b, m[i], 0), 0);
    CHECK_EQ(buddy_alloc(&b, 6, &extra), 0);
    CHECK_EQ(mfn_x(extra), 0);
}

TEST(free_coalesces_to_full_order)
{
    struct buddy b;
    mfn_t m[16], big;
    static const unsigned int order[16] = { 7, 2, 13, 0, 9, 4, 15, 11, 1, 6, 3, 14, 8, 12, 5, 10 };

    setup(&b, 0, 16);
    buddy_release_range(&b, 0, 16);
    for (unsigned int i = 0; i < 16; i++)
        CHECK_EQ(buddy_alloc(&b, 0, &m[i]), 0);
    for (unsigned int i = 0; i < 16; i++) {
        CHECK_EQ(buddy_free(&b, m[order[i]], 0), 0);
        CHECK_EQ(buddy_nr_free(&b), i + 1);
        CHECK_EQ(buddy_check(&b), 0);
    }
    CHECK_EQ(buddy_alloc(&b, 4, &big), 0);
    CHECK_EQ(mfn_x(big), 0);
    CHECK_EQ(buddy_nr_free(&b), 0);
}

TEST(double_free_caught)
{
    struct buddy b;
    mfn_t a, c;

    setup(&b, 0, 32);
    buddy_release_range(&b, 0, 16); /* 16..31 stay reserved */
    CHECK_EQ(buddy_alloc(&b, 2, &a), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &c), 0);
    CHECK_EQ(buddy_free(&b, a, 2), 0);
    save(&b);
    CHECK_EQ(buddy_free(&b, a, 2), -EINVAL);
    CHECK_EQ(buddy_free(&b, a, 0), -EINVAL);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_free(&b, c, 0), 0);
    save(&b);
    CHECK_EQ(buddy_free(&b, c, 0), -EINVAL);
    /* Never-allocated frames: free (merged away) and reserved ones. */
    CHECK_EQ(buddy_free(&b, _mfn(8), 3), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(20), 0), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(16), 4), -EINVAL);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_nr_free(&b), 16);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(wrong_order_caught)
{
    struct buddy b;
    mfn_t a;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    CHECK_EQ(buddy_alloc(&b, 3, &a), 0);
    save(&b);
    CHECK_EQ(buddy_free(&b, a, 0), -EINVAL);
    CHECK_EQ(buddy_free(&b, a, 2), -EINVAL);
    CHECK_EQ(buddy_free(&b, a, 4), -EINVAL);
    /* A piece inside the allocated block is not a block of its own. */
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(a) + 4), 2), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(a) + 1), 0), -EINVAL);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_free(&b, a, 3), 0);
    CHECK_EQ(buddy_nr_free(&b), 64);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(misaligned_and_out_of_range_caught)
{
    struct buddy b;
    mfn_t a;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    CHECK_EQ(buddy_alloc(&b, 2, &a), 0);
    save(&b);
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(a) + 2), 2), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(a) + 1), 1), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(64), 0), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(UINT64_MAX), 0), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(0), 7), -EINVAL); /* larger than the whole range */
    CHECK_EQ(buddy_free(&b, a, BUDDY_MAX_ORDER + 1), -EINVAL);
    CHECK_EQ(buddy_free(&b, a, 200), -EINVAL);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_free(&b, a, 2), 0);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(reserve_range_busy_no_change)
{
    struct buddy b;
    mfn_t a, m;
    uint64_t n = 0;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 48); /* 48..63 reserved */
    CHECK_EQ(buddy_alloc(&b, 0, &a), 0);
    save(&b);
    CHECK_EQ(buddy_reserve_range(&b, 0, 48), -EBUSY); /* contains the allocated frame */
    CHECK_EQ(buddy_reserve_range(&b, mfn_x(a), mfn_x(a) + 1), -EBUSY);
    CHECK_EQ(buddy_reserve_range(&b, 40, 50), -EBUSY); /* runs into reserved frames */
    CHECK_EQ(buddy_reserve_range(&b, 60, 70), -EBUSY); /* beyond the managed range */
    CHECK_EQ(buddy_reserve_range(&b, 20, 10), -EINVAL);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_reserve_range(&b, 20, 20), 0);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_free(&b, a, 0), 0);
    CHECK_EQ(buddy_nr_free(&b), 48);

    /* Carve an unaligned hole across two free blocks. */
    CHECK_EQ(buddy_reserve_range(&b, 13, 35), 0);
    CHECK_EQ(buddy_nr_free(&b), 48 - 22);
    CHECK_EQ(buddy_check(&b), 0);
    save(&b);
    CHECK_EQ(buddy_reserve_range(&b, 20, 21), -EBUSY); /* now reserved */
    CHECK_EQ(buddy_reserve_range(&b, 10, 14), -EBUSY); /* partly reserved */
    CHECK(unchanged(&b));
    while (buddy_alloc(&b, 0, &m) == 0) {
        CHECK(mfn_x(m) < 13 || (mfn_x(m) >= 35 && mfn_x(m) < 48));
        n++;
    }
    CHECK_EQ(n, 48 - 22);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(reserve_then_release_restores)
{
    struct buddy b;
    mfn_t m;

    setup(&b, 0, 256);
    buddy_release_range(&b, 0, 256);
    CHECK_EQ(buddy_reserve_range(&b, 1, 255), 0);
    CHECK_EQ(buddy_nr_free(&b), 2);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_alloc(&b, 1, &m), -ENOMEM);
    buddy_release_range(&b, 0, 256);
    CHECK_EQ(buddy_nr_free(&b), 256);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_alloc(&b, 8, &m), 0);
    CHECK_EQ(mfn_x(m), 0);
}

TEST(release_range_idempotent)
{
    struct buddy b;
    mfn_t a;

    setup(&b, 0, 128);
    buddy_release_range(&b, 10, 70);
    CHECK_EQ(buddy_nr_free(&b), 60);
    CHECK_EQ(buddy_check(&b), 0);
    save(&b);
    buddy_release_range(&b, 10, 70);
    buddy_release_range(&b, 20, 30);
    buddy_release_range(&b, 70, 70);
    buddy_release_range(&b, 80, 75);
    CHECK(unchanged(&b));

    /* Overlapping and clipped releases only add the frames not yet free. */
    buddy_release_range(&b, 0, 20);
    CHECK_EQ(buddy_nr_free(&b), 70);
    buddy_release_range(&b, 100, UINT64_MAX);
    CHECK_EQ(buddy_nr_free(&b), 98);
    CHECK_EQ(buddy_check(&b), 0);

    /* An allocated block is its owner's: release does not free it. */
    CHECK_EQ(buddy_alloc(&b, 2, &a), 0);
    buddy_release_range(&b, 0, 128);
    CHECK_EQ(buddy_nr_free(&b), 128 - 4);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_free(&b, a, 2), 0);
    CHECK_EQ(buddy_nr_free(&b), 128);
    CHECK_EQ(buddy_alloc(&b, 7, &a), 0);
}

TEST(nr_free_accounting)
{
    struct buddy b;
    mfn_t m[8];
    uint64_t expect;

    setup(&b, 0, 1000); /* not a power of two */
    buddy_release_range(&b, 0, 1000);
    expect = 1000;
    CHECK_EQ(buddy_nr_free(&b), expect);
    CHECK_EQ(buddy_reserve_range(&b, 999, 1000), 0);
    expect -= 1;
    CHECK_EQ(buddy_nr_free(&b), expect);
    for (unsigned int i = 0; i < 8; i++) {
        CHECK_EQ(buddy_alloc(&b, i, &m[i]), 0);
        expect -= 1u << i;
        CHECK_EQ(buddy_nr_free(&b), expect);
    }
    CHECK_EQ(buddy_reserve_range(&b, 0, 1000), -EBUSY);
    CHECK_EQ(buddy_nr_free(&b), expect);
    for (unsigned int i = 0; i < 8; i += 2) {
        CHECK_EQ(buddy_free(&b, m[i], i), 0);
        expect += 1u << i;
        CHECK_EQ(buddy_nr_free(&b), expect);
    }
    CHECK_EQ(buddy_free(&b, m[0], 0), -EINVAL);
    CHECK_EQ(buddy_nr_free(&b), expect);
    CHECK_EQ(buddy_check(&b), 0);
}

#define RANDOM_FRAMES 4096
#define RANDOM_SLOTS 256

struct slot {
    bool used;
    uint64_t mfn;
    unsigned int order;
};

/* Record owner of frames; a frame handed out twice shows up here. */
static uint8_t owned[RANDOM_FRAMES];

static void random_step(struct buddy *b, struct slot *s, uint64_t *allocated)
{
    if (!s->used) {
        unsigned int order = (unsigned int)(rng() % 7);
        mfn_t m;
        int rc = buddy_alloc(b, order, &m);

        CHECK(rc == 0 || rc == -ENOMEM);
        if (rc)
            return;
        CHECK_EQ(mfn_x(m) & ((1ull << order) - 1), 0);
        for (uint64_t f = mfn_x(m); f < mfn_x(m) + (1ull << order); f++)
            CHECK_EQ(owned[f]++, 0);
        *s = (struct slot){ true, mfn_x(m), order };
        *allocated += 1ull << order;
    } else {
        CHECK_EQ(buddy_free(b, _mfn(s->mfn), s->order), 0);
        for (uint64_t f = s->mfn; f < s->mfn + (1ull << s->order); f++)
            owned[f]--;
        *allocated -= 1ull << s->order;
        s->used = false;
    }
}

TEST(random_sequence_consistent)
{
    static struct slot slots[RANDOM_SLOTS];
    struct buddy b;
    uint64_t allocated = 0, usable;

    memset(slots, 0, sizeof(slots));
    memset(owned, 0, sizeof(owned));
    rng_state = 0x9e3779b97f4a7c15ull;
    setup(&b, 0, RANDOM_FRAMES);
    /* A memory map with holes, as mm.c would produce. */
    buddy_release_range(&b, 3, 1500);
    buddy_release_range(&b, 1600, 4000);
    CHECK_EQ(buddy_reserve_range(&b, 2000, 2100), 0);
    usable = (1500 - 3) + (4000 - 1600) - 100;
    CHECK_EQ(buddy_nr_free(&b), usable);

    for (unsigned int step = 0; step < 20000; step++) {
        random_step(&b, &slots[rng() % RANDOM_SLOTS], &allocated);
        CHECK_EQ(buddy_nr_free(&b), usable - allocated);
        if (step % 64 == 0)
            CHECK_EQ(buddy_check(&b), 0);
    }
    CHECK_EQ(buddy_check(&b), 0);
    for (unsigned int i = 0; i < RANDOM_SLOTS; i++)
        if (slots[i].used)
            random_step(&b, &slots[i], &allocated);
    CHECK_EQ(allocated, 0);
    CHECK_EQ(buddy_nr_free(&b), usable);
    CHECK_EQ(buddy_check(&b), 0);
    for (unsigned int f = 0; f < RANDOM_FRAMES; f++)
        CHECK_EQ(owned[f], 0);
}

TEST(nonzero_base_mfn)
{
    const uint64_t base = 1000, nr = 300; /* base is not a power-of-two multiple */
    struct buddy b;
    mfn_t m;
    uint64_t total = 0;

    setup(&b, base, nr);
    buddy_release_range(&b, 0, base + nr + 50); /* clipped on both sides */
    CHECK_EQ(buddy_nr_free(&b), nr);
    CHECK_EQ(buddy_check(&b), 0);

    /* Blocks are naturally aligned in MFN terms and stay inside [base, base + nr). */
    CHECK_EQ(buddy_alloc(&b, 8, &m), 0);
    CHECK_EQ(mfn_x(m), 1024);
    CHECK_EQ(buddy_alloc(&b, 8, &m), -ENOMEM);
    CHECK_EQ(buddy_free(&b, m, 8), 0);
    for (int o = BUDDY_MAX_ORDER; o >= 0; o--) {
        while (buddy_alloc(&b, (unsigned int)o, &m) == 0) {
            CHECK_EQ(mfn_x(m) & ((1ull << o) - 1), 0);
            CHECK(mfn_x(m) >= base && mfn_x(m) + (1ull << o) <= base + nr);
            total += 1ull << o;
        }
    }
    CHECK_EQ(total, nr);
    CHECK_EQ(buddy_nr_free(&b), 0);
    CHECK_EQ(buddy_free(&b, _mfn(0), 0), -EINVAL);
    CHECK_EQ(buddy_free(&b, _mfn(base - 8), 3), -EINVAL);
    CHECK_EQ(buddy_reserve_range(&b, base - 1, base + 1), -EBUSY);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(check_detects_corruption)
{
    struct buddy b;
    uint32_t head;
    mfn_t m;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    CHECK_EQ(buddy_alloc(&b, 0, &m), 0);
    CHECK_EQ(buddy_check(&b), 0);
    b.nr_free++;
    CHECK_EQ(buddy_check(&b), -EIO);
    b.nr_free--;
    head = b.free_head[5];
    b.free_head[5] = 7; /* not a free block head of order 5 */
    CHECK_EQ(buddy_check(&b), -EIO);
    b.free_head[5] = head;
    CHECK_EQ(buddy_check(&b), 0);
    b.free_head[0] = UINT32_MAX; /* drop a free block from its list */
    CHECK_EQ(buddy_check(&b), -EIO);
    b.free_head[0] = b.free_head[1]; /* a block on the wrong list */
    CHECK_EQ(buddy_check(&b), -EIO);
}

TEST(split_frees_frame_by_frame)
{
    struct buddy b;
    mfn_t blk, whole;

    setup(&b, 0, 1024);
    buddy_release_range(&b, 0, 1024);
    CHECK_EQ(buddy_alloc(&b, 9, &blk), 0);
    CHECK_EQ(buddy_split(&b, blk, 9), 0);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_nr_free(&b), 512);
    /* The block is gone: only single frames remain to free. */
    CHECK_EQ(buddy_free(&b, blk, 9), -EINVAL);
    /* Out of order, one frame at a time; each is counted, the rest stay allocated. */
    for (unsigned int i = 0; i < 512; i++) {
        unsigned int f = (i * 37) % 512; /* 37 is odd: a permutation of 0..511 */

        CHECK_EQ(buddy_free(&b, _mfn(mfn_x(blk) + f), 0), 0);
        CHECK_EQ(buddy_nr_free(&b), 513 + i);
    }
    CHECK_EQ(buddy_check(&b), 0);
    /* Everything merged back into one block of the whole range. */
    CHECK_EQ(buddy_alloc(&b, 10, &whole), 0);
    CHECK_EQ(mfn_x(whole), 0);
}

TEST(split_partial_free_keeps_rest)
{
    struct buddy b;
    mfn_t blk, m;

    setup(&b, 0, 16);
    buddy_release_range(&b, 0, 16);
    CHECK_EQ(buddy_alloc(&b, 2, &blk), 0);
    CHECK_EQ(buddy_split(&b, blk, 2), 0);
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(blk) + 2), 0), 0);
    CHECK_EQ(buddy_free(&b, _mfn(mfn_x(blk) + 2), 0), -EINVAL); /* double free caught */
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_nr_free(&b), 13);
    /* The freed frame is handed out again; its neighbours are not. */
    CHECK_EQ(buddy_alloc(&b, 0, &m), 0);
    CHECK_EQ(mfn_x(m), mfn_x(blk) + 2);
    for (unsigned int i = 0; i < 4; i++)
        CHECK_EQ(buddy_free(&b, _mfn(mfn_x(blk) + i), 0), 0);
    CHECK_EQ(buddy_nr_free(&b), 16);
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(split_errors_change_nothing)
{
    struct buddy b;
    mfn_t blk, one;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    CHECK_EQ(buddy_alloc(&b, 3, &blk), 0);
    CHECK_EQ(buddy_alloc(&b, 0, &one), 0);
    save(&b);
    CHECK_EQ(buddy_split(&b, blk, 2), -EINVAL);                      /* wrong order */
    CHECK_EQ(buddy_split(&b, blk, 4), -EINVAL);
    CHECK_EQ(buddy_split(&b, _mfn(mfn_x(blk) + 1), 0), -EINVAL);     /* a tail */
    CHECK_EQ(buddy_split(&b, _mfn(mfn_x(blk) + 4), 2), -EINVAL);     /* inside the block */
    CHECK_EQ(buddy_split(&b, _mfn(32), 5), -EINVAL);                 /* free */
    CHECK_EQ(buddy_split(&b, _mfn(64), 0), -EINVAL);                 /* out of range */
    CHECK_EQ(buddy_split(&b, blk, BUDDY_MAX_ORDER + 1), -EINVAL);
    CHECK(unchanged(&b));
    /* Order 0 is a no-op split, allowed. */
    CHECK_EQ(buddy_split(&b, one, 0), 0);
    CHECK(unchanged(&b));
    CHECK_EQ(buddy_check(&b), 0);
}

TEST(alloc_range_exact_frames)
{
    struct buddy b;
    mfn_t m;

    setup(&b, 0, 64);
    buddy_release_range(&b, 0, 64);
    CHECK_EQ(buddy_alloc_range(&b, 5, 21), 0); /* unaligned, across blocks */
    CHECK_EQ(buddy_nr_free(&b), 64 - 16);
    CHECK_EQ(buddy_check(&b), 0);
    CHECK_EQ(buddy_alloc_range(&b, 20, 22), -EBUSY); /* frame 20 is taken */
    CHECK_EQ(buddy_nr_free(&b), 64 - 16);
    CHECK_EQ(buddy_free(&b, _mfn(5), 1), -EINVAL); /* each frame is its own block */
    while (buddy_alloc(&b, 0, &m) == 0)
        CHECK(mfn_x(m) < 5 || mfn_x(m) >= 21);
    for (uint64_t i = 5; i < 21; i++)
        CHECK_EQ(buddy_free(&b, _mfn(i), 0), 0);
    CHECK_EQ(buddy_nr_free(&b), 16);
    CHECK_EQ(buddy_check(&b), 0);
}
