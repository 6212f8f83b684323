// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frame table (hypervisor/common/frame_table.c): ownership, reference
 * counts, page lists, and every refused call leaving the table unchanged.
 */
#include <string.h>

#include "harness.h"
#include <xenon/frame_table.h>

#define NR 64
#define D1 1
#define D2 2

static struct page_info pages[NR];
static struct page_info saved[NR];
static struct frame_table ft;
static struct page_list l1, l2;

static void setup(void)
{
    memset(&l1, 0, sizeof(l1));
    memset(&l2, 0, sizeof(l2));
    memset(pages, 0xa5, sizeof(pages)); /* init must clear it */
    CHECK_EQ(frame_table_init(&ft, pages, NR), 0);
}

static void save(void)
{
    memcpy(saved, pages, sizeof(pages));
}
static bool unchanged(void)
{
    return !memcmp(saved, pages, sizeof(pages));
}
static mfn_t m(uint64_t x)
{
    return _mfn(x);
}

TEST(init_limits)
{
    struct frame_table t;

    CHECK_EQ(frame_table_init(&t, pages, NR), 0);
    CHECK_EQ(frame_table_init(&t, NULL, 0), 0);
    CHECK_EQ(frame_table_init(&t, NULL, 5), -EINVAL);
    CHECK_EQ(frame_table_init(&t, pages, UINT32_MAX), -EINVAL);
}

TEST(assign_and_release)
{
    mfn_t first;

    setup();
    CHECK(!frame_table_first(&l1, &first));
    for (uint64_t i = 10; i < 20; i++)
        CHECK_EQ(frame_table_assign(&ft, &l1, m(i), D1), 0);
    CHECK_EQ(l1.nr, 10);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    CHECK(frame_table_owned_by(&ft, m(15), D1));
    CHECK(!frame_table_owned_by(&ft, m(15), D2));
    CHECK(!frame_table_owned_by(&ft, m(9), D1));
    /* From the middle, the ends, in any order: the list stays whole. */
    CHECK_EQ(frame_table_release(&ft, &l1, m(15), D1), 1);
    CHECK_EQ(frame_table_release(&ft, &l1, m(19), D1), 1);
    CHECK_EQ(frame_table_release(&ft, &l1, m(10), D1), 1);
    CHECK_EQ(l1.nr, 7);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    CHECK(!frame_table_owned_by(&ft, m(15), D1));
    /* Teardown order: always the first, until empty. */
    while (frame_table_first(&l1, &first))
        CHECK_EQ(frame_table_release(&ft, &l1, first, D1), 1);
    CHECK_EQ(l1.nr, 0);
    CHECK_EQ(l1.head, 0);
    /* Every frame is free again: assignable to anyone. */
    CHECK_EQ(frame_table_assign(&ft, &l2, m(15), D2), 0);
    CHECK_EQ(frame_table_check_list(&ft, &l2, D2), 0);
}

TEST(frame_zero_is_a_frame)
{
    mfn_t first;

    /* Links are frame + 1: frame 0 must not look like the end of a list. */
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(0), D1), 0);
    CHECK_EQ(frame_table_assign(&ft, &l1, m(1), D1), 0);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    CHECK_EQ(frame_table_release(&ft, &l1, m(1), D1), 1);
    CHECK(frame_table_first(&l1, &first));
    CHECK_EQ(mfn_x(first), 0);
    CHECK_EQ(frame_table_release(&ft, &l1, m(0), D1), 1);
    CHECK(!frame_table_first(&l1, &first));
}

TEST(refused_calls_change_nothing)
{
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(3), D1), 0);
    save();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(3), D1), -EINVAL); /* already owned */
    CHECK_EQ(frame_table_assign(&ft, &l2, m(3), D2), -EINVAL);
    CHECK_EQ(frame_table_assign(&ft, &l1, m(NR), D1), -EINVAL); /* out of range */
    CHECK_EQ(frame_table_release(&ft, &l2, m(3), D2), -EINVAL); /* not D2's */
    CHECK_EQ(frame_table_release(&ft, &l1, m(4), D1), -EINVAL); /* free */
    CHECK_EQ(frame_table_release(&ft, &l1, m(NR + 7), D1), -EINVAL);
    CHECK_EQ(frame_table_get(&ft, m(3), D2), -EINVAL);
    CHECK_EQ(frame_table_get(&ft, m(4), D1), -EINVAL);
    CHECK_EQ(frame_table_get_any(&ft, m(4)), -ENOENT); /* free or the hypervisor's */
    CHECK_EQ(frame_table_get_any(&ft, m(NR)), -ENOENT);
    CHECK_EQ(frame_table_put(&ft, m(4)), -EINVAL); /* nothing to drop */
    CHECK_EQ(frame_table_put(&ft, m(3)), -EINVAL); /* only the owner's: release it */
    CHECK(unchanged());
    CHECK_EQ(l1.nr, 1);
    CHECK_EQ(l2.nr, 0);
}

TEST(others_keep_a_released_frame)
{
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(7), D1), 0);
    /* D2 maps it (a foreign map), and a grant pins it too. */
    CHECK_EQ(frame_table_get(&ft, m(7), D1), 0);
    CHECK_EQ(frame_table_get_any(&ft, m(7)), 0);
    /* D1 balloons it out: off its list, but not free. */
    CHECK_EQ(frame_table_release(&ft, &l1, m(7), D1), 0);
    CHECK_EQ(l1.nr, 0);
    CHECK(!frame_table_owned_by(&ft, m(7), D1));
    /* An orphan: no new owner reference, nor assignment, while referenced. */
    CHECK_EQ(frame_table_get(&ft, m(7), D1), -EINVAL);
    CHECK_EQ(frame_table_assign(&ft, &l2, m(7), D2), -EINVAL);
    /* Still referenced: others may add references to what they hold. */
    CHECK_EQ(frame_table_get_any(&ft, m(7)), 0);
    CHECK_EQ(frame_table_put(&ft, m(7)), 0);
    CHECK_EQ(frame_table_put(&ft, m(7)), 0);
    /* The last reference frees it. */
    CHECK_EQ(frame_table_put(&ft, m(7)), 1);
    CHECK_EQ(frame_table_put(&ft, m(7)), -EINVAL);
    CHECK_EQ(frame_table_assign(&ft, &l2, m(7), D2), 0);
}

TEST(owner_id_not_matched_after_death)
{
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(5), D1), 0);
    CHECK_EQ(frame_table_get_any(&ft, m(5)), 0);
    CHECK_EQ(frame_table_release(&ft, &l1, m(5), D1), 0);
    /* A new domain reusing id D1 must not be taken for the owner of the orphan. */
    CHECK(!frame_table_owned_by(&ft, m(5), D1));
    CHECK_EQ(frame_table_release(&ft, &l1, m(5), D1), -EINVAL);
    CHECK_EQ(frame_table_put(&ft, m(5)), 1);
}

TEST(two_owners_interleaved)
{
    mfn_t first;

    setup();
    for (uint64_t i = 0; i < NR; i++)
        CHECK_EQ(frame_table_assign(&ft, i % 2 ? &l2 : &l1, m(i), i % 2 ? D2 : D1), 0);
    CHECK_EQ(l1.nr, NR / 2);
    CHECK_EQ(l2.nr, NR / 2);
    for (uint64_t i = 0; i < NR; i += 4)
        CHECK_EQ(frame_table_release(&ft, &l1, m(i), D1), 1);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    CHECK_EQ(frame_table_check_list(&ft, &l2, D2), 0);
    /* A list claimed for the wrong owner fails the check. */
    CHECK_EQ(frame_table_check_list(&ft, &l1, D2), -EIO);
    while (frame_table_first(&l2, &first))
        CHECK_EQ(frame_table_release(&ft, &l2, first, D2), 1);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    CHECK_EQ(l1.nr, NR / 4);
}

TEST(check_detects_corruption)
{
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(1), D1), 0);
    CHECK_EQ(frame_table_assign(&ft, &l1, m(2), D1), 0);
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), 0);
    l1.nr++;
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), -EIO);
    l1.nr--;
    pages[1].next = 3; /* a cycle through frame 2 */
    pages[2].next = 3;
    CHECK_EQ(frame_table_check_list(&ft, &l1, D1), -EIO);
}

TEST(count_saturates)
{
    setup();
    CHECK_EQ(frame_table_assign(&ft, &l1, m(9), D1), 0);
    pages[9].count = UINT32_MAX - 1;
    CHECK_EQ(frame_table_get_any(&ft, m(9)), 0);
    CHECK_EQ(frame_table_get_any(&ft, m(9)), -EOVERFLOW);
    CHECK_EQ(frame_table_get(&ft, m(9), D1), -EOVERFLOW);
    CHECK_EQ(pages[9].count, UINT32_MAX);
}
