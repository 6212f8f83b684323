// SPDX-License-Identifier: GPL-2.0-only
/* Start-info memory map helpers and mapping the shared_info page. */
#include "guest.h"
#include <public/memory.h>

const struct hvm_memmap_table_entry *memmap_entries(uint32_t *nr)
{
    if (start_info->version < 1 || !start_info->memmap_paddr) {
        *nr = 0;
        return NULL;
    }
    *nr = start_info->memmap_entries;
    return (const struct hvm_memmap_table_entry *)(uintptr_t)start_info->memmap_paddr;
}

static bool memmap_covers(uint64_t addr)
{
    uint32_t nr;
    const struct hvm_memmap_table_entry *e = memmap_entries(&nr);

    for (uint32_t i = 0; i < nr; i++)
        if (addr >= e[i].addr && addr - e[i].addr < e[i].size)
            return true;
    return false;
}

/* A page-aligned GPA below 3 GiB that no memmap entry describes: above RAM. */
uint64_t find_free_gfn(void)
{
    uint32_t nr;
    const struct hvm_memmap_table_entry *e = memmap_entries(&nr);
    uint64_t top = 0x1000000;   /* at least 16 MiB up, clear of our image */

    for (uint32_t i = 0; i < nr; i++)
        if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr + e[i].size > top &&
            e[i].addr + e[i].size <= UNMAPPED_GPA)
            top = e[i].addr + e[i].size;
    top = (top + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    while (memmap_covers(top) && top < UNMAPPED_GPA)
        top += PAGE_SIZE;
    return top >> 12;
}

struct shared_info *map_shared_info(void)
{
    static struct shared_info *mapped;
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
    };
    long rc;

    if (mapped)
        return mapped;
    xatp.gpfn = find_free_gfn();
    rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
    if (rc) {
        test_fail("add_to_physmap(shared_info, gfn %#lx) returned %ld", xatp.gpfn, rc);
        return NULL;
    }
    mapped = (struct shared_info *)(uintptr_t)(xatp.gpfn << 12);
    return mapped;
}
