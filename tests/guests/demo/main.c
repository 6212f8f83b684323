// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `make run` demo: a PVH guest that says what hypervisor it runs on and
 * what it was given, then powers off. Also a test: every query must succeed.
 */
#include "guest.h"
#include <public/features.h>
#include <public/memory.h>
#include <public/version.h>

static void show_version(void)
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    char extra[XEN_EXTRAVERSION_LEN] = { 0 }, caps[XEN_CAPABILITIES_LEN] = { 0 };
    struct xen_feature_info fi = { .submap_idx = 0 };

    if (HYPERVISOR_xen_version(XENVER_extraversion, extra) ||
        HYPERVISOR_xen_version(XENVER_capabilities, caps) ||
        HYPERVISOR_xen_version(XENVER_get_features, &fi))
        test_fail("xen_version queries failed");
    printf("Hello from a PVH guest on Xen %ld.%ld%s\n", v >> 16, v & 0xffff, extra);
    printf("  capabilities: %s\n", caps);
    printf("  features: %#x (auto-translated physmap: %s)\n", fi.submap,
           fi.submap & (1u << XENFEAT_auto_translated_physmap) ? "yes" : "no");
}

static void show_memory(void)
{
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    uint32_t nr;
    const struct hvm_memmap_table_entry *e = memmap_entries(&nr);

    if (cur <= 0 || max < cur)
        test_fail("reservation %ld of %ld pages", cur, max);
    printf("  memory: %ld KiB (maximum %ld KiB)\n", cur * 4, max * 4);
    for (uint32_t i = 0; i < nr; i++)
        printf("    %#012lx-%#012lx type %u\n", e[i].addr, e[i].addr + e[i].size, e[i].type);
}

static void show_time(void)
{
    struct shared_info *s = map_shared_info();
    uint64_t secs, days;

    if (!s) {
        test_fail("cannot map shared_info");
        return;
    }
    secs = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
    days = secs / 86400;
    printf("  wallclock at boot: %lu s since the epoch (day %lu, %02lu:%02lu UTC)\n", secs, days,
           secs % 86400 / 3600, secs % 3600 / 60);
    if (secs < 1577836800u)
        test_fail("wallclock %lu is before 2020", secs);
}

void test_main(void)
{
    const char *cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;

    show_version();
    printf("  command line: \"%s\"\n", cmdline ? cmdline : "");
    show_memory();
    show_time();
    printf("Powering off.\n");
}
