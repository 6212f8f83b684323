// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op reservation and physmap errors: bad pointers -EFAULT, bad orders,
 * GFNs and flags -EINVAL, a partial list the count done, increase_reservation
 * -ENOSYS; nothing changes the reservation and nothing kills the guest.
 */
#include "guest.h"
#include "mem.h"

#define BAD ((void *)(uintptr_t)UNMAPPED_GPA)

static void bad_arguments(void)
{
    xen_pfn_t gfn = MEM_SCRATCH_GFN;

    check_eq("populate, unmapped argument", HYPERVISOR_memory_op(XENMEM_populate_physmap, BAD),
             -XEN_EFAULT);
    check_eq("decrease, unmapped argument", HYPERVISOR_memory_op(XENMEM_decrease_reservation, BAD),
             -XEN_EFAULT);
    check_eq("populate, unmapped GFN list", mem_populate(BAD, 1, 0), -XEN_EFAULT);
    check_eq("decrease, unmapped GFN list", mem_decrease(BAD, 1, 0), -XEN_EFAULT);
    check_eq("populate order 10", mem_populate(&gfn, 1, 10), -XEN_EINVAL);
    check_eq("decrease order 10", mem_decrease(&gfn, 1, 10), -XEN_EINVAL);
    check_eq("populate order 2^31", mem_populate(&gfn, 1, 1u << 31), -XEN_EINVAL);
    check_eq("too many extents to encode",
             mem_populate(&gfn, (UINT32_MAX >> XENMEMOP_EXTENT_SHIFT) + 1ull, 0), -XEN_EINVAL);
    check_eq("no extents", mem_populate(BAD, 0, 0), 0);
    check_eq("unknown domain", mem_reservation_op(XENMEM_populate_physmap, 0x7000, &gfn, 1, 0, 0),
             -XEN_ESRCH);
    check_eq("populate-on-demand",
             mem_reservation_op(XENMEM_populate_physmap, DOMID_SELF, &gfn, 1, 0,
                                XENMEMF_populate_on_demand),
             -XEN_EOPNOTSUPP);
    check_eq("unknown mem_flags bit",
             mem_reservation_op(XENMEM_populate_physmap, DOMID_SELF, &gfn, 1, 0, 1u << 24),
             -XEN_EINVAL);
    check_eq("address_bits below a page",
             mem_reservation_op(XENMEM_populate_physmap, DOMID_SELF, &gfn, 1, 0, 5), -XEN_EINVAL);
    check_eq(
        "exact node 3 of 1",
        mem_reservation_op(XENMEM_populate_physmap, DOMID_SELF, &gfn, 1, 0, XENMEMF_exact_node(3)),
        -XEN_EINVAL);
    check_eq("increase_reservation (PV only)",
             mem_reservation_op(XENMEM_increase_reservation, DOMID_SELF, &gfn, 1, 0, 0),
             -XEN_ENOSYS);
}

static void bad_gfns(void)
{
    xen_pfn_t gfn, list[2];

    gfn = MEM_SCRATCH_GFN + 1;
    check_eq("populate order 9 at an unaligned GFN", mem_populate(&gfn, 1, 9), -XEN_EINVAL);
    gfn = 1ull << 36;
    check_eq("populate beyond the physmap", mem_populate(&gfn, 1, 0), -XEN_EINVAL);
    check_eq("decrease beyond the physmap", mem_decrease(&gfn, 1, 0), -XEN_EINVAL);
    gfn = (1ull << 36) - 1;
    check_eq("decrease order 9 running past the physmap", mem_decrease(&gfn, 1, 9), -XEN_EINVAL);
    gfn = ~0ull;
    check_eq("populate GFN ~0", mem_populate(&gfn, 1, 0), -XEN_EINVAL);
    gfn = find_free_gfn() + 100;
    check_eq("decrease a hole", mem_decrease(&gfn, 1, 0), -XEN_ENOENT);

    /* Entry 0 fine, entry 1 bad: the count done. */
    list[0] = MEM_SCRATCH_GFN + 9;
    list[1] = 1ull << 40;
    check_eq("decrease, second GFN bad", mem_decrease(list, 2, 0), 1);
    check_eq("populate, second GFN bad", mem_populate(list, 2, 0), 1);
}

/* A list whose second entry lies past the end of RAM: -EFAULT after one is done. */
static void list_runs_off_ram(void)
{
    uint32_t nr;
    const struct hvm_memmap_table_entry *e = memmap_entries(&nr);
    uint64_t top = 0;
    xen_pfn_t *last;

    for (uint32_t i = 0; i < nr; i++)
        if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr + e[i].size > top)
            top = e[i].addr + e[i].size;
    /* Nothing is mapped right above RAM yet: not_own_ram() puts shared_info there later. */
    last = (xen_pfn_t *)(uintptr_t)(top - sizeof(xen_pfn_t));
    *last = MEM_SCRATCH_GFN + 10;
    check_eq("decrease, list runs off RAM", mem_decrease(last, 2, 0), 1);
    *last = MEM_SCRATCH_GFN + 10;
    check_eq("populate, list runs off RAM", mem_populate(last, 2, 0), 1);
}

static void not_own_ram(void)
{
    struct shared_info *si = map_shared_info();
    xen_pfn_t gfn;

    if (!si)
        return;
    gfn = (uint64_t)(uintptr_t)si >> 12;
    check_eq("decrease shared_info (not the guest's RAM)", mem_decrease(&gfn, 1, 0), -XEN_EINVAL);
    check_eq("shared_info still there", si->vcpu_info[0].time.version & 1, 0);
}

static void physmap_errors(void)
{
    struct xen_add_to_physmap_batch b = {.domid = DOMID_SELF, .space = XENMAPSPACE_gmfn, .size = 1};
    xen_ulong_t idx = 0;
    xen_pfn_t gpfn = find_free_gfn() + 50;
    int err;

    check_eq("remove_from_physmap, unmapped argument",
             HYPERVISOR_memory_op(XENMEM_remove_from_physmap, BAD), -XEN_EFAULT);
    check_eq("remove_from_physmap, a hole", mem_remove_from_physmap(gpfn), -XEN_ENOENT);
    check_eq("remove_from_physmap, beyond the physmap", mem_remove_from_physmap(1ull << 36),
             -XEN_EINVAL);
    check_eq("add_to_physmap_batch, unmapped argument",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, BAD), -XEN_EFAULT);
    check_eq("add_to_physmap_batch, gmfn space",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -XEN_EOPNOTSUPP);
    b.space = XENMAPSPACE_gmfn_foreign;
    b.u.foreign_domid = 0x7000;
    b.idxs = XEN_GUEST_HANDLE_FROM_PTR(BAD);
    check_eq("add_to_physmap_batch, unmapped idxs",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -XEN_EFAULT);
    b.idxs = XEN_GUEST_HANDLE_FROM_PTR(&idx);
    b.gpfns = XEN_GUEST_HANDLE_FROM_PTR(&gpfn);
    b.errs = XEN_GUEST_HANDLE_FROM_PTR(BAD);
    check_eq("add_to_physmap_batch, unmapped errs",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -XEN_EFAULT);
    check_eq("foreign map from nobody", mem_map_foreign(0x7000, 0x800, gpfn, &err), 0);
    check_eq("  its error", err, -XEN_ESRCH);
    check_eq("foreign map from ourselves", mem_map_foreign(DOMID_SELF, 0x800, gpfn, &err), 0);
    check_eq("  its error", err, -XEN_EINVAL);
    check_eq("foreign map through add_to_physmap (batch only)",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap,
                                  &(struct xen_add_to_physmap){.domid = DOMID_SELF,
                                                               .space = XENMAPSPACE_gmfn_foreign,
                                                               .gpfn = gpfn}),
             -XEN_EINVAL);
}

void test_main(void)
{
    long base = mem_current();
    xen_pfn_t gfn = MEM_SCRATCH_GFN;

    bad_arguments();
    bad_gfns();
    list_runs_off_ram();
    not_own_ram();
    physmap_errors();
    /* A continuation's start extent past the list: nothing to do, the count is the start. */
    check_eq("start extent 2 of 2",
             mem_reservation_op(XENMEM_populate_physmap | (2u << XENMEMOP_EXTENT_SHIFT), DOMID_SELF,
                                &gfn, 2, 0, 0),
             2);
    check_eq("start extent on a query",
             HYPERVISOR_memory_op(XENMEM_current_reservation | (1u << 6), &(domid_t){DOMID_SELF}),
             -XEN_EINVAL);
    check_eq("current_reservation unchanged", mem_current(), base);
    if (!mem_page_is_zero(MEM_SCRATCH_GFN + 9))
        test_fail("a repopulated page is not zero");
}
