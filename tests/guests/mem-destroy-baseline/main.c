// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain leaves its memory in a mess and dies without tidying up: pages
 * ballooned out of 2 MiB mappings (split NPT tables), fresh pages and a
 * fresh 2 MiB extent above RAM, shared_info and a grant frame placed over
 * RAM pages (which go back to the allocator), its vcpu_info registered in a
 * page that it then balloons out (the hypervisor keeps that frame until the
 * vCPU dies). With crash=1 it then dies by a fault instead of a poweroff.
 * The hypervisor's leak check at exit must stay silent.
 */
#include "guest.h"
#include "gnttab.h"
#include "mem.h"
#include <public/vcpu.h>

#define ABOVE_RAM_2M 0x2000ull

static void balloon_and_populate(void)
{
    xen_pfn_t out[8], in[2], big = ABOVE_RAM_2M;
    long base = mem_current();

    /* Every 64th page of 8-16 MiB: each 2 MiB mapping there is split. */
    for (unsigned int i = 0; i < 8; i++)
        out[i] = MEM_SCRATCH_GFN + 3 + 64 * i;
    check_eq("balloon out 8 pages", mem_decrease(out, 8, 0), 8);
    in[0] = find_free_gfn() + 40;
    in[1] = find_free_gfn() + 41;
    check_eq("populate 2 above RAM", mem_populate(in, 2, 0), 2);
    out[0] = MEM_SCRATCH_GFN + 0x600; /* 14 MiB: a whole 2 MiB mapping */
    check_eq("balloon out a 2 MiB extent", mem_decrease(out, 1, 9), 1);
    check_eq("populate a 2 MiB extent above RAM", mem_populate(&big, 1, 9), 1);
    check_eq("reservation", mem_current(), base - 8 + 2);
}

static void special_pages_over_ram(void)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .gpfn = MEM_SCRATCH_GFN + 0x10,
    };
    long base = mem_current();

    check_eq("shared_info over a RAM page", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), 0);
    xatp.space = XENMAPSPACE_grant_table;
    xatp.gpfn = MEM_SCRATCH_GFN + 0x11;
    check_eq("grant frame over a RAM page", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), 0);
    /* As Xen: the RAM pages they replaced are given back. */
    check_eq("reservation", mem_current(), base - 2);
}

static void vcpu_info_ballooned_out(void)
{
    struct vcpu_register_vcpu_info reg = {.mfn = MEM_SCRATCH_GFN + 0x20, .offset = 64};
    xen_pfn_t gfn = reg.mfn;

    check_eq("register vcpu_info", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &reg), 0);
    check_eq("balloon out the vcpu_info page", mem_decrease(&gfn, 1, 0), 1);
    /* The hypervisor still writes there (its frame), the guest no longer sees it. */
    xen_yield();
}

void test_main(void)
{
    balloon_and_populate();
    special_pages_over_ram();
    vcpu_info_ballooned_out();
    printf("leaving memory ballooned, populated and replaced\n");
    if (guest_arg("crash", 0)) {
        uint32_t v = *(volatile uint32_t *)MEM_PTR(MEM_SCRATCH_GFN + 3); /* ballooned out */

        test_fail("read of a ballooned-out page returned %#x", v);
    }
}
