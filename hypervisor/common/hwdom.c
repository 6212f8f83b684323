/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hardware domain's memory: its RAM is identity-mapped (gfn == mfn, so
 * devices DMA to the addresses it programs without an IOMMU); the rest of the
 * machine's RAM (the hypervisor, the pool other domains draw from) is
 * "reserved" in the memory map it is given and never mapped for it. What is
 * not RAM at all (device MMIO, firmware tables, holes) is mapped 1:1 when it
 * first touches it. A touch of RAM it does not own maps a sink page instead:
 * reads see all ones (or what it wrote there itself), nothing else leaks.
 */
#include <xenon/domain.h>
#include <xenon/hwdom.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>

#define LARGE_ORDER 9
#define LARGE_FRAMES (1ull << LARGE_ORDER)
#define MAX_SINK_WARNINGS 8

static const struct boot_info *host;
static void *sink_page;
static unsigned int sink_warnings;

void hwdom_init(const struct boot_info *bi)
{
    host = bi;
}

paddr_t hwdom_host_rsdp(void)
{
    return host ? host->rsdp : 0;
}

static paddr_t region_end(const struct boot_mem_region *r) { return r->start + r->size; }

/* The host memory map's regions in address order: the next one starting at or after addr. */
static const struct boot_mem_region *next_region(paddr_t addr, const struct boot_mem_region *prev)
{
    const struct boot_mem_region *best = NULL;

    for (unsigned int i = 0; i < host->nr_memmap; i++) {
        const struct boot_mem_region *r = &host->memmap[i];

        if (r == prev || r->start < addr || !r->size)
            continue;
        if (!best || r->start < best->start)
            best = r;
    }
    return best;
}

bool hwdom_is_host_ram(uint64_t mfn)
{
    paddr_t pa = mfn << PAGE_SHIFT;

    for (unsigned int i = 0; host && i < host->nr_memmap; i++) {
        const struct boot_mem_region *r = &host->memmap[i];

        /* A frame only partly RAM counts as RAM: never expose it as "device memory". */
        if (r->type == BOOT_MEM_RAM && pa < region_end(r) && pa + PAGE_SIZE > r->start)
            return true;
    }
    return false;
}

/* Claim what is free of [gfn, end) for d, 2 MiB at a time where it can; *left counts down. */
static int populate_range(struct domain *d, uint64_t gfn, uint64_t end, uint64_t *left)
{
    while (gfn < end && *left) {
        bool large = !(gfn & (LARGE_FRAMES - 1)) && gfn + LARGE_FRAMES <= end && *left >= LARGE_FRAMES;
        int rc = large ? domain_populate(d, _gfn(gfn), LARGE_ORDER, 0) : -EBUSY;

        if (rc == -EBUSY) {
            large = false;
            rc = domain_populate(d, _gfn(gfn), 0, 0);
        }
        if (rc && rc != -EBUSY)
            return rc;
        if (!rc)
            *left -= large ? LARGE_FRAMES : 1;
        gfn += large ? LARGE_FRAMES : 1;
    }
    return 0;
}

int hwdom_populate(struct domain *d, uint64_t nr_pages)
{
    const struct boot_mem_region *r = NULL;
    uint64_t left = nr_pages;

    if (!host || !d->hardware)
        return -EINVAL;
    sink_page = page_alloc_zeroed(0);
    if (!sink_page)
        return -ENOMEM;
    memset(sink_page, 0xff, PAGE_SIZE);
    mm_release_low_memory(host);
    /* Lowest frames first: the kernel's fixed load address (16 MiB) must be among them. */
    while (left && (r = next_region(r ? r->start : 0, r))) {
        int rc;

        if (r->type != BOOT_MEM_RAM)
            continue;
        rc = populate_range(d, ALIGN_UP(r->start, PAGE_SIZE) >> PAGE_SHIFT,
                            ALIGN_DOWN(region_end(r), PAGE_SIZE) >> PAGE_SHIFT, &left);
        if (rc)
            return rc;
    }
    return left ? -ENOMEM : 0;
}

void hwdom_destroy(struct domain *d)
{
    if (!d->hardware || !sink_page)
        return;
    page_free(sink_page, 0);
    sink_page = NULL;
}

/* Append [start, start + size) of type to d's memory map, merging with the entry before. */
static int memmap_add(struct domain *d, uint64_t start, uint64_t size, uint32_t type)
{
    struct hvm_memmap_table_entry *last = d->nr_memmap ? &d->memmap[d->nr_memmap - 1] : NULL;

    if (!size)
        return 0;
    if (last && last->type == type && last->addr + last->size == start) {
        last->size += size;
        return 0;
    }
    if (d->nr_memmap == DOMAIN_MAX_MEMMAP)
        return -ENOSPC;
    d->memmap[d->nr_memmap++] = (struct hvm_memmap_table_entry){ start, size, type, 0 };
    return 0;
}

/* A RAM region frame by frame: d's own frames are RAM (the ACPI page excepted), others reserved. */
static int memmap_add_ram(struct domain *d, const struct boot_mem_region *r, paddr_t acpi, size_t acpi_len)
{
    paddr_t s = ALIGN_UP(r->start, PAGE_SIZE), e = ALIGN_DOWN(region_end(r), PAGE_SIZE);
    int rc = memmap_add(d, r->start, s - r->start, XEN_HVM_MEMMAP_TYPE_RESERVED);

    for (paddr_t pa = s; !rc && pa < e; pa += PAGE_SIZE) {
        uint32_t type = XEN_HVM_MEMMAP_TYPE_RESERVED;

        if (pa >= acpi && pa < acpi + acpi_len)
            type = XEN_HVM_MEMMAP_TYPE_ACPI;
        else if (mm_page_owned_by(d, paddr_to_mfn(pa)))
            type = XEN_HVM_MEMMAP_TYPE_RAM;
        rc = memmap_add(d, pa, PAGE_SIZE, type);
    }
    if (!rc && e > s)
        rc = memmap_add(d, e, region_end(r) - e, XEN_HVM_MEMMAP_TYPE_RESERVED);
    return rc;
}

int hwdom_build_memmap(struct domain *d, paddr_t acpi, size_t acpi_len)
{
    const struct boot_mem_region *r = NULL;

    d->nr_memmap = 0;
    while ((r = next_region(r ? r->start : 0, r))) {
        /* Firmware types keep their e820 numbers (XEN_HVM_MEMMAP_TYPE_* share them). */
        int rc = r->type == BOOT_MEM_RAM ? memmap_add_ram(d, r, acpi, acpi_len)
                                         : memmap_add(d, r->start, r->size, r->type);

        if (rc)
            return rc;
    }
    return 0;
}

int hwdom_fault(struct domain *d, uint64_t gfn, bool write)
{
    if (!d->hardware || gfn >= P2M_GFN_LIMIT)
        return -EINVAL;
    if (!hwdom_is_host_ram(gfn)) {
        printk_guest(LOG_DEBUG, "d%u: device memory at machine frame %#lx mapped 1:1", d->id, (unsigned long)gfn);
        return p2m_map(d, _gfn(gfn), _mfn(gfn), 0, P2M_MMIO_DIRECT);
    }
    /* RAM it does not own: the hypervisor's, another domain's, or not given to anyone. */
    if (sink_warnings < MAX_SINK_WARNINGS) {
        sink_warnings++;
        log_warn("d%u: %s of machine frame %#lx, which is not its RAM: refused (sink page mapped)", d->id,
                 write ? "write" : "read", (unsigned long)gfn);
    }
    return p2m_map(d, _gfn(gfn), virt_to_mfn(sink_page), 0, P2M_MMIO_DIRECT);
}
