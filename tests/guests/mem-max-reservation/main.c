// SPDX-License-Identifier: GPL-2.0-only
/*
 * The maximum reservation holds: a domain built with all of its allowance
 * cannot populate more (-ENOMEM, nothing done); with 4 pages ballooned out
 * a request for 6 gets exactly 4 (the count of extents done) and a 2 MiB
 * extent none. Freed room can be used anywhere in the physmap, above RAM
 * too. The hypervisor's leak check at exit covers every step.
 */
#include "guest.h"
#include "mem.h"

#define ABOVE_RAM_2M 0x2000ull /* 32 MiB: 2 MiB aligned, above the 16 MiB of RAM */

void test_main(void)
{
    long cur = mem_current(), max = mem_query(XENMEM_maximum_reservation, DOMID_SELF);
    uint64_t free_gfn = find_free_gfn();
    xen_pfn_t four[4], six[6], big = ABOVE_RAM_2M, hole = MEM_SCRATCH_GFN + 0x200;

    printf("current %ld, maximum %ld pages\n", cur, max);
    if (!check_eq("built with its whole allowance", cur, max))
        return;
    six[0] = free_gfn;
    check_eq("populate past the maximum", mem_populate(six, 1, 0), -XEN_ENOMEM);
    check_eq("populate a 2 MiB extent past the maximum", mem_populate(&big, 1, 9), -XEN_ENOMEM);
    check_eq("current unchanged", mem_current(), max);

    for (unsigned int i = 0; i < 4; i++)
        four[i] = six[i] = MEM_SCRATCH_GFN + i;
    six[4] = free_gfn;
    six[5] = free_gfn + 1;
    check_eq("decrease 4 pages", mem_decrease(four, 4, 0), 4);
    check_eq("current", mem_current(), max - 4);
    check_eq("a 2 MiB extent does not fit in 4 pages", mem_populate(&big, 1, 9), -XEN_ENOMEM);
    check_eq("6 pages asked, 4 fit: the count done", mem_populate(six, 6, 0), 4);
    check_eq("current back at the maximum", mem_current(), max);
    check_eq("the 5th was not populated", mem_remove_from_physmap(free_gfn), -XEN_ENOENT);

    /* A whole 2 MiB extent moves above RAM, and is usable there. */
    check_eq("decrease a 2 MiB extent", mem_decrease(&hole, 1, 9), 1);
    check_eq("populate it above RAM", mem_populate(&big, 1, 9), 1);
    check_eq("current", mem_current(), max);
    if (!mem_page_is_zero(ABOVE_RAM_2M) || !mem_page_is_zero(ABOVE_RAM_2M + 511))
        test_fail("the new extent above RAM is not zero");
    mem_fill(ABOVE_RAM_2M + 7, 42);
    if (!mem_check_fill(ABOVE_RAM_2M + 7, 42))
        test_fail("the new extent above RAM does not keep what is written");
    check_eq("maximum_gpfn covers it", mem_query(XENMEM_maximum_gpfn, DOMID_SELF),
             ABOVE_RAM_2M + 511);
    check_eq("still nothing past the maximum", mem_populate(&hole, 1, 0), -XEN_ENOMEM);
    printf("maximum reservation held: partial count 4 of 6, -ENOMEM past it\n");
}
