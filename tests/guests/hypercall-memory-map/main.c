// SPDX-License-Identifier: GPL-2.0-only
/* XENMEM_memory_map returns an E820 map that matches the start info's. */
#include "guest.h"
#include <public/memory.h>

#define MAX_E820 64
static struct xen_e820_entry e820[MAX_E820];

void test_main(void)
{
    struct xen_memory_map map = { .nr_entries = MAX_E820, .buffer = XEN_GUEST_HANDLE_FROM_PTR(e820) };
    const struct hvm_memmap_table_entry *mm;
    uint32_t nr_mm;
    long rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);

    if (!check_eq("XENMEM_memory_map", rc, 0))
        return;
    mm = memmap_entries(&nr_mm);
    printf("e820: %u entries; start info memmap: %u entries\n", map.nr_entries, nr_mm);
    if (map.nr_entries == 0 || map.nr_entries > MAX_E820) {
        test_fail("nr_entries %u", map.nr_entries);
        return;
    }
    for (uint32_t i = 0; i < map.nr_entries; i++)
        printf("  e820 %#014lx-%#014lx type %u\n", e820[i].addr,
               e820[i].addr + e820[i].size, e820[i].type);
    if (!nr_mm) {
        test_fail("start info has no memory map to compare with");
        return;
    }
    check_eq("entry count vs start info", map.nr_entries, nr_mm);
    for (uint32_t i = 0; i < map.nr_entries && i < nr_mm; i++) {
        if (e820[i].addr != mm[i].addr || e820[i].size != mm[i].size ||
            e820[i].type != mm[i].type)
            test_fail("entry %u: e820 %#lx+%#lx/%u vs memmap %#lx+%#lx/%u", i, e820[i].addr,
                      e820[i].size, e820[i].type, mm[i].addr, mm[i].size, mm[i].type);
        if (i && e820[i].addr < e820[i - 1].addr + e820[i - 1].size)
            test_fail("entry %u overlaps or is out of order", i);
    }

    /* A buffer too small for the map: Xen fills what fits (nr_entries = 1). */
    map.nr_entries = 1;
    rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);
    if (rc == 0)
        check_eq("nr_entries after a 1-entry request", map.nr_entries, 1);
    else if (rc != -XEN_ENOBUFS)
        test_fail("1-entry memory_map returned %ld", rc);
}
