// SPDX-License-Identifier: GPL-2.0-only
/* current/maximum_reservation and maximum_gpfn for DOMID_SELF agree with
 * each other and with the RAM in the memory map. */
#include "guest.h"
#include <public/memory.h>

void test_main(void)
{
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    long gpfn = HYPERVISOR_memory_op(XENMEM_maximum_gpfn, &self);
    const struct hvm_memmap_table_entry *mm;
    uint64_t ram_pages = 0, ram_top = 0;
    uint32_t nr;

    mm = memmap_entries(&nr);
    for (uint32_t i = 0; i < nr; i++) {
        if (mm[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
            continue;
        ram_pages += mm[i].size >> 12;
        if (mm[i].addr + mm[i].size > ram_top)
            ram_top = mm[i].addr + mm[i].size;
    }
    printf("current %ld, maximum %ld, maximum_gpfn %#lx; memmap RAM %lu pages, top %#lx\n",
           cur, max, gpfn, ram_pages, ram_top);
    if (cur <= 0)
        test_fail("current_reservation %ld", cur);
    if (max < cur)
        test_fail("maximum_reservation %ld < current %ld", max, cur);
    /* The domain owns at least its RAM, and not wildly more (+ special pages). */
    if ((uint64_t)cur < ram_pages)
        test_fail("current_reservation %ld < %lu RAM pages in the memmap", cur, ram_pages);
    if (gpfn <= 0 || (uint64_t)gpfn < (ram_top >> 12) - 1)
        test_fail("maximum_gpfn %#lx below the top of RAM %#lx", gpfn, ram_top);
    check_eq("current_reservation, second read",
             HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur);

    self = 0x7000;  /* nobody */
    cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    if (cur != -XEN_ESRCH && cur != -XEN_EPERM)
        test_fail("current_reservation of domid 0x7000 returned %ld", cur);
}
