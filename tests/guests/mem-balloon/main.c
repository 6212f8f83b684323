// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ballooning as Linux's balloon driver does it on PVH: decrease_reservation
 * gives pages back, populate_physmap brings fresh ones at the same GFNs.
 * current_reservation follows every step, repopulated pages are zero,
 * neighbours of a page taken out of a 2 MiB mapping keep their contents,
 * and the guest never touches a page while it is ballooned out (see
 * mem-balloon-touch for that).
 */
#include "guest.h"
#include "mem.h"

#define N 16
#define SMALL_GFN MEM_SCRATCH_GFN           /* 8 MiB: N single pages */
#define LARGE_GFN (MEM_SCRATCH_GFN + 0x200) /* 10 MiB: one 2 MiB extent */
#define HOLE_GFN (MEM_SCRATCH_GFN + 0x405)  /* 12 MiB + 5 pages: inside a 2 MiB mapping */
#define SEED 0x62616c6c6f6f6e21ull

static bool all_zero(uint64_t gfn, uint64_t nr)
{
    for (uint64_t i = 0; i < nr; i++)
        if (!mem_page_is_zero(gfn + i))
            return false;
    return true;
}

static void fill_all(uint64_t gfn, uint64_t nr)
{
    for (uint64_t i = 0; i < nr; i++)
        mem_fill(gfn + i, SEED);
}

/* N single pages out and back. */
static void small_pages(long base)
{
    xen_pfn_t gfns[N];

    for (unsigned int i = 0; i < N; i++)
        gfns[i] = SMALL_GFN + i;
    fill_all(SMALL_GFN, N);
    check_eq("decrease N pages", mem_decrease(gfns, N, 0), N);
    check_eq("current after decrease", mem_current(), base - N);
    /* Already gone: nothing to give back, and nothing done. */
    check_eq("decrease them again", mem_decrease(gfns, 1, 0), -XEN_ENOENT);
    check_eq("current unchanged", mem_current(), base - N);
    check_eq("populate them back", mem_populate(gfns, N, 0), N);
    check_eq("current after populate", mem_current(), base);
    if (!all_zero(SMALL_GFN, N))
        test_fail("a repopulated page is not zero");
}

/* One 2 MiB extent out and back (order 9). */
static void large_extent(long base)
{
    xen_pfn_t gfn = LARGE_GFN;

    fill_all(LARGE_GFN, 512);
    check_eq("decrease a 2 MiB extent", mem_decrease(&gfn, 1, 9), 1);
    check_eq("current after order-9 decrease", mem_current(), base - 512);
    check_eq("populate a 2 MiB extent", mem_populate(&gfn, 1, 9), 1);
    check_eq("current after order-9 populate", mem_current(), base);
    if (!all_zero(LARGE_GFN, 512))
        test_fail("the repopulated 2 MiB extent is not zero");
    /* Back as single pages, then repopulated as one extent again. */
    {
        xen_pfn_t one[4] = {LARGE_GFN, LARGE_GFN + 1, LARGE_GFN + 2, LARGE_GFN + 3};

        check_eq("decrease 4 pages of it", mem_decrease(one, 4, 0), 4);
        check_eq("current", mem_current(), base - 4);
        check_eq("populate them back", mem_populate(one, 4, 0), 4);
        check_eq("current", mem_current(), base);
    }
}

/* One 4 KiB page out of a 2 MiB mapping the domain builder made. */
static void hole_in_large_mapping(long base)
{
    xen_pfn_t gfn = HOLE_GFN;

    fill_all(HOLE_GFN - 2, 5);
    check_eq("decrease one page inside a 2 MiB mapping", mem_decrease(&gfn, 1, 0), 1);
    check_eq("current", mem_current(), base - 1);
    if (!mem_check_fill(HOLE_GFN - 1, SEED) || !mem_check_fill(HOLE_GFN + 1, SEED) ||
        !mem_check_fill(HOLE_GFN - 2, SEED) || !mem_check_fill(HOLE_GFN + 2, SEED))
        test_fail("a neighbour of the ballooned page lost its contents");
    check_eq("populate it back", mem_populate(&gfn, 1, 0), 1);
    if (!mem_page_is_zero(HOLE_GFN))
        test_fail("the repopulated page is not zero");
    if (!mem_check_fill(HOLE_GFN - 1, SEED) || !mem_check_fill(HOLE_GFN + 1, SEED))
        test_fail("a neighbour changed when the page came back");
    check_eq("current", mem_current(), base);
}

void test_main(void)
{
    long base = mem_current();
    long gpfn = mem_query(XENMEM_maximum_gpfn, DOMID_SELF);

    printf("current_reservation %ld pages, maximum_gpfn %#lx\n", base, gpfn);
    if (base < 4096)
        test_abort(RESULT_ERROR, "want 16 MiB of RAM, have %ld pages", base);
    small_pages(base);
    large_extent(base);
    hole_in_large_mapping(base);
    check_eq("maximum_gpfn unchanged", mem_query(XENMEM_maximum_gpfn, DOMID_SELF), gpfn);
    printf("ballooned %u pages, a 2 MiB extent and a page of a 2 MiB mapping out and back\n", N);
}
