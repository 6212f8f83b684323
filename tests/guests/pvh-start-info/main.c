// SPDX-License-Identifier: GPL-2.0-only
/* hvm_start_info: magic, version >= 1, the command line the runner passed
 * (see expect), a sane memory map that holds this image. */
#include "guest.h"

#define EXPECTED_CMDLINE "microguest=pvh-start-info list=a,b,c"

extern char __image_start[], __image_end[];

static void check_memmap(void)
{
    uint32_t nr;
    const struct hvm_memmap_table_entry *e = memmap_entries(&nr);
    uint64_t img_lo = (uintptr_t)__image_start, img_hi = (uintptr_t)__image_end;
    bool image_in_ram = false;

    if (!nr) {
        test_fail("no memory map");
        return;
    }
    for (uint32_t i = 0; i < nr; i++) {
        printf("  memmap %#014lx-%#014lx type %u\n", e[i].addr, e[i].addr + e[i].size, e[i].type);
        if (!e[i].size || e[i].type < 1 || e[i].type > 7)
            test_fail("entry %u: size %#lx type %u", i, e[i].size, e[i].type);
        if (i && e[i].addr < e[i - 1].addr + e[i - 1].size)
            test_fail("entry %u overlaps or is out of order", i);
        if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr <= img_lo &&
            e[i].addr + e[i].size >= img_hi)
            image_in_ram = true;
    }
    if (!image_in_ram)
        test_fail("the image %#lx-%#lx is not inside a RAM entry", img_lo, img_hi);
}

void test_main(void)
{
    const struct hvm_start_info *si = start_info;
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;

    printf("start info at %p: magic %#x version %u flags %#x nr_modules %u\n", (void *)si,
           si->magic, si->version, si->flags, si->nr_modules);
    check_eq("magic", si->magic, XEN_HVM_START_MAGIC_VALUE);
    if (si->version < 1)
        test_fail("version %u < 1 (no memory map)", si->version);
    if (si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN))
        test_fail("a domU has SIF_PRIVILEGED/SIF_INITDOMAIN set (%#x)", si->flags);
    if ((uintptr_t)si & 7)
        test_fail("start info is not 8-byte aligned");
    if (!cmdline) {
        test_fail("no command line");
    } else {
        printf("cmdline \"%s\"\n", cmdline);
        if (strcmp(cmdline, EXPECTED_CMDLINE))
            test_fail("cmdline is \"%s\", expected \"%s\"", cmdline, EXPECTED_CMDLINE);
    }
    if (si->version >= 1)
        check_memmap();
}
