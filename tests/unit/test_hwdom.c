// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware domain's memory (common/hwdom.c): which frames it is given
 * (lowest free first, 2 MiB at a time where it can), the memory map it is
 * told (its RAM, everything else of the host's RAM reserved, the firmware's
 * regions as they are), and what a touch of an unmapped frame maps (device
 * memory 1:1, the sink page for RAM it does not own).
 * Fakes stand in for the allocator (a set of busy frames), the P2M (a
 * record of the last mappings) and frame ownership.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/hwdom.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>

#define MB(x) ((uint64_t)(x) << 20)
#define NR_FRAMES (MB(64) >> PAGE_SHIFT) /* the fake machine's RAM ends at 64 MiB */

static struct boot_info bi;
static struct domain dom;
static bool busy[NR_FRAMES];   /* not free in the allocator */
static bool owned[NR_FRAMES];  /* the domain's */
static unsigned int large_claims, small_claims, low_memory_releases;
static struct { uint64_t gfn, mfn; enum p2m_type t; } last_map;
static void *sink;

/* ---- Fakes ---- */

int domain_populate(struct domain *d, gfn_t gfn, unsigned int order, unsigned int bits)
{
    uint64_t n = 1ull << order;

    (void)d;
    (void)bits;
    for (uint64_t i = 0; i < n; i++)
        if (gfn_x(gfn) + i >= NR_FRAMES || busy[gfn_x(gfn) + i] || owned[gfn_x(gfn) + i])
            return -EBUSY;
    for (uint64_t i = 0; i < n; i++)
        owned[gfn_x(gfn) + i] = true;
    if (order)
        large_claims++;
    else
        small_claims++;
    return 0;
}

bool mm_page_owned_by(const struct domain *d, mfn_t mfn)
{
    (void)d;
    return mfn_x(mfn) < NR_FRAMES && owned[mfn_x(mfn)];
}

void mm_release_low_memory(const struct boot_info *b)
{
    (void)b;
    low_memory_releases++;
}

int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    (void)d;
    (void)order;
    last_map.gfn = gfn_x(gfn);
    last_map.mfn = mfn_x(mfn);
    last_map.t = t;
    return 0;
}

/* ---- Helpers ---- */

static void add_region(uint64_t start, uint64_t size, uint32_t type)
{
    bi.memmap[bi.nr_memmap++] = (struct boot_mem_region){ start, size, type };
}

/* QEMU's pc machine with 64 MiB, listed out of order as a loader may. */
static void setup(void)
{
    memset(&bi, 0, sizeof(bi));
    memset(&dom, 0, sizeof(dom));
    memset(busy, 0, sizeof(busy));
    memset(owned, 0, sizeof(owned));
    large_claims = small_claims = low_memory_releases = 0;
    add_region(MB(1), MB(64) - MB(1) - 0x20000, BOOT_MEM_RAM);
    add_region(0, 0x9fc00, BOOT_MEM_RAM);
    add_region(0x9fc00, 0x400, BOOT_MEM_RESERVED);
    add_region(0xf0000, 0x10000, BOOT_MEM_RESERVED);
    add_region(MB(64) - 0x20000, 0x20000, BOOT_MEM_RESERVED); /* firmware ACPI tables */
    add_region(0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
    bi.rsdp = 0xf5a40;
    hwdom_init(&bi);
    dom.hardware = true;
    dom.max_pages = NR_FRAMES;
    busy[0] = busy[8] = true;                      /* frame 0, the AP trampoline */
    for (uint64_t f = MB(1) >> PAGE_SHIFT; f < (MB(1) + 0x80000) >> PAGE_SHIFT; f++)
        busy[f] = true;                            /* the hypervisor's image */
    for (uint64_t f = MB(48) >> PAGE_SHIFT; f < NR_FRAMES; f++)
        busy[f] = true;                            /* modules, metadata, the pool */
}

static const struct hvm_memmap_table_entry *entry_at(uint64_t addr)
{
    for (unsigned int i = 0; i < dom.nr_memmap; i++)
        if (addr >= dom.memmap[i].addr && addr < dom.memmap[i].addr + dom.memmap[i].size)
            return &dom.memmap[i];
    return NULL;
}

/* ---- Tests ---- */

TEST(populate_lowest_free_frames_identity)
{
    uint64_t pages = MB(20) >> PAGE_SHIFT;

    setup();
    CHECK_EQ(hwdom_populate(&dom, pages), 0);
    CHECK_EQ(low_memory_releases, 1); /* low memory joined the pool just before */
    CHECK(!owned[0] && !owned[8] && owned[1] && owned[9] && owned[0x9e]);
    CHECK(!owned[MB(1) >> PAGE_SHIFT]);               /* the hypervisor's image stays out */
    CHECK(owned[(MB(16) >> PAGE_SHIFT)]);             /* Linux's load address is in */
    CHECK(large_claims > 0);                          /* 2 MiB extents where aligned */
    CHECK_EQ((uint64_t)large_claims * 512 + small_claims, pages);
    hwdom_destroy(&dom);
}

TEST(populate_short_of_memory)
{
    setup();
    CHECK_EQ(hwdom_populate(&dom, NR_FRAMES), -ENOMEM); /* more than is free */
    hwdom_destroy(&dom);
    dom.hardware = false;
    CHECK_EQ(hwdom_populate(&dom, 16), -EINVAL);        /* only for the hardware domain */
}

TEST(memmap_own_ram_reserved_rest)
{
    const struct hvm_memmap_table_entry *e;

    setup();
    CHECK_EQ(hwdom_populate(&dom, MB(20) >> PAGE_SHIFT), 0);
    CHECK_EQ(hwdom_build_memmap(&dom, MB(40), PAGE_SIZE), 0);
    CHECK((e = entry_at(0)) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);        /* frame 0 */
    CHECK((e = entry_at(0x1000)) && e->type == XEN_HVM_MEMMAP_TYPE_RAM);
    CHECK((e = entry_at(0x8000)) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);   /* trampoline */
    CHECK((e = entry_at(0x9fc00)) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);
    CHECK((e = entry_at(MB(1))) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);    /* hypervisor */
    CHECK((e = entry_at(MB(16))) && e->type == XEN_HVM_MEMMAP_TYPE_RAM);
    CHECK((e = entry_at(MB(40))) && e->type == XEN_HVM_MEMMAP_TYPE_ACPI && e->size == PAGE_SIZE);
    CHECK((e = entry_at(MB(50))) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);   /* the pool */
    CHECK((e = entry_at(0xfffc0000)) && e->type == XEN_HVM_MEMMAP_TYPE_RESERVED);
    CHECK(entry_at(0xc0000000) == NULL);                                       /* holes stay holes */
    /* Sorted, merged: no two neighbours of one type touch. */
    for (unsigned int i = 1; i < dom.nr_memmap; i++) {
        CHECK(dom.memmap[i].addr >= dom.memmap[i - 1].addr + dom.memmap[i - 1].size);
        CHECK(dom.memmap[i].addr != dom.memmap[i - 1].addr + dom.memmap[i - 1].size ||
              dom.memmap[i].type != dom.memmap[i - 1].type);
    }
    CHECK_EQ(hwdom_host_rsdp(), 0xf5a40);
    hwdom_destroy(&dom);
}

TEST(memmap_too_fragmented)
{
    setup();
    /* Every other frame owned: far more runs than a memory map holds. */
    for (uint64_t f = MB(2) >> PAGE_SHIFT; f < MB(3) >> PAGE_SHIFT; f += 2)
        owned[f] = true;
    CHECK_EQ(hwdom_build_memmap(&dom, MB(40), PAGE_SIZE), -ENOSPC);
}

TEST(fault_maps_devices_1to1_and_ram_to_the_sink)
{
    setup();
    CHECK_EQ(hwdom_populate(&dom, 1024), 0);
    CHECK_EQ(hwdom_fault(&dom, 0xfec00, false), 0); /* the I/O APIC */
    CHECK_EQ(last_map.gfn, 0xfec00);
    CHECK_EQ(last_map.mfn, 0xfec00);
    CHECK_EQ(last_map.t, P2M_MMIO_DIRECT);
    CHECK_EQ(hwdom_fault(&dom, 0xf0, false), 0);    /* the BIOS area: firmware, not RAM */
    CHECK_EQ(last_map.mfn, 0xf0);
    /* RAM it does not own: the hypervisor's image, the pool, a frame partly RAM. */
    CHECK_EQ(hwdom_fault(&dom, MB(1) >> PAGE_SHIFT, false), 0);
    CHECK(last_map.mfn != MB(1) >> PAGE_SHIFT);
    sink = mfn_to_virt(_mfn(last_map.mfn));
    CHECK_EQ(((uint8_t *)sink)[0], 0xff);
    CHECK_EQ(((uint8_t *)sink)[PAGE_SIZE - 1], 0xff);
    CHECK_EQ(hwdom_fault(&dom, MB(50) >> PAGE_SHIFT, true), 0);
    CHECK_EQ(last_map.mfn, mfn_x(virt_to_mfn(sink)));
    CHECK_EQ(hwdom_fault(&dom, 0x9f, false), 0);     /* 0x9f000-0x9ffff: RAM up to 0x9fc00 */
    CHECK_EQ(last_map.mfn, mfn_x(virt_to_mfn(sink)));
    CHECK_EQ(hwdom_fault(&dom, P2M_GFN_LIMIT, false), -EINVAL);
    hwdom_destroy(&dom);
    dom.hardware = false;
    CHECK_EQ(hwdom_fault(&dom, 0xfec00, false), -EINVAL);
}
