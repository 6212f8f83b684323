// SPDX-License-Identifier: GPL-2.0-only
/*
 * A page given back with decrease_reservation is gone from the guest's
 * physmap: touching it is an access to unmapped guest-physical memory, and
 * the hypervisor kills the domain. Its other frames, ballooned or not, all
 * return to the allocator (no leak); a survivor runs on.
 */
#include "guest.h"
#include "mem.h"

void test_main(void)
{
    xen_pfn_t gfn = MEM_SCRATCH_GFN + 3;
    volatile uint32_t *p = (volatile uint32_t *)MEM_PTR(gfn);
    uint32_t v;

    *p = 0x12345678;
    if (!check_eq("decrease one page", mem_decrease(&gfn, 1, 0), 1))
        return;
    printf("reading ballooned-out GPA %#lx\n", MEM_GPA(gfn));
    v = *p;
    test_fail("read of a ballooned-out page returned %#x", v);
}
