// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for hypervisor/common/pvh_start_info.c: the block is decoded
 * back the way a guest would, following the guest-physical pointers.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include <xenon/pvh_start_info.h>

#define GPA 0x200000ull
#define BUF_LEN 4096

static uint8_t buf[BUF_LEN + 16];

static struct hvm_start_info read_info(const uint8_t *b)
{
    struct hvm_start_info si;

    memcpy(&si, b, sizeof(si));
    return si;
}

static struct hvm_modlist_entry read_mod(const uint8_t *b, uint64_t gpa, uint64_t paddr,
                                         unsigned int i)
{
    struct hvm_modlist_entry m;

    memcpy(&m, b + (paddr - gpa) + i * sizeof(m), sizeof(m));
    return m;
}

static struct hvm_memmap_table_entry read_map(const uint8_t *b, uint64_t gpa, uint64_t paddr,
                                              unsigned int i)
{
    struct hvm_memmap_table_entry e;

    memcpy(&e, b + (paddr - gpa) + i * sizeof(e), sizeof(e));
    return e;
}

/* The string a guest finds at `paddr`, if it lies within the used bytes and is terminated. */
static const char *str_at(const uint8_t *b, uint64_t gpa, size_t used, uint64_t paddr)
{
    if (paddr < gpa || paddr - gpa >= used)
        return NULL;
    if (!memchr(b + (paddr - gpa), '\0', used - (paddr - gpa)))
        return NULL;
    return (const char *)b + (paddr - gpa);
}

static const struct hvm_memmap_table_entry two_ram[] = {
    { 0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    { 0x100000, 0x3ff00000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
};

TEST(layout_and_pointers)
{
    const struct pvh_module mods[] = { { 0x400000, 0x1234, "initrd args" } };
    struct pvh_start_params p = {
        .flags = SIF_PRIVILEGED,
        .cmdline = "console=hvc0",
        .modules = mods,
        .nr_modules = 1,
        .memmap = two_ram,
        .nr_memmap = 2,
    };
    struct hvm_start_info si;
    size_t used = 0;

    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    /* Header, then the module list, then the map, then the strings. */
    CHECK_EQ(si.modlist_paddr, GPA + sizeof(si));
    CHECK_EQ(si.memmap_paddr, si.modlist_paddr + sizeof(struct hvm_modlist_entry));
    CHECK_EQ(si.modlist_paddr % 8, 0);
    CHECK_EQ(si.memmap_paddr % 8, 0);
    CHECK_EQ(si.cmdline_paddr, si.memmap_paddr + 2 * sizeof(struct hvm_memmap_table_entry));
    CHECK_EQ(used, sizeof(si) + 32 + 48 + sizeof("console=hvc0") + sizeof("initrd args"));
    CHECK_EQ(si.reserved, 0);
    /* Nothing past `used` is touched. */
    CHECK_EQ(buf[used], 0xcc);
    CHECK_EQ(buf[BUF_LEN - 1], 0xcc);
}

TEST(magic_version_and_empty_params)
{
    struct pvh_start_params p = { 0 };
    struct hvm_start_info si;
    size_t used = 0;

    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    CHECK_EQ(used, sizeof(struct hvm_start_info));
    si = read_info(buf);
    CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
    CHECK_EQ(si.version, 1);
    CHECK_EQ(si.flags, 0);
    CHECK_EQ(si.nr_modules, 0);
    CHECK_EQ(si.modlist_paddr, 0);
    CHECK_EQ(si.cmdline_paddr, 0);
    CHECK_EQ(si.rsdp_paddr, 0);
    CHECK_EQ(si.memmap_paddr, 0);
    CHECK_EQ(si.memmap_entries, 0);
    CHECK_EQ(si.reserved, 0);
}

TEST(cmdline)
{
    struct pvh_start_params p = { .cmdline = "root=/dev/xvda1 quiet" };
    struct hvm_start_info si;
    const char *s;
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    s = str_at(buf, GPA, used, si.cmdline_paddr);
    CHECK(s && !strcmp(s, "root=/dev/xvda1 quiet"));
    CHECK_EQ(used, sizeof(si) + sizeof("root=/dev/xvda1 quiet"));

    /* An empty (non-NULL) command line is still passed, as "". */
    p.cmdline = "";
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    s = str_at(buf, GPA, used, si.cmdline_paddr);
    CHECK(s && s[0] == '\0');
}

TEST(modules_with_cmdlines)
{
    const struct pvh_module mods[] = {
        { 0x1000000, 0x200000, "first" },
        { 0x1200000, 0x1000, NULL },
        { 0x1300000, 1, "third module" },
    };
    struct pvh_start_params p = { .cmdline = "k", .modules = mods, .nr_modules = 3 };
    struct hvm_start_info si;
    struct hvm_modlist_entry m;
    const char *s;
    size_t used = 0;

    memset(buf, 0xcc, sizeof(buf));
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    CHECK_EQ(si.nr_modules, 3);
    CHECK_EQ(si.memmap_paddr, 0);
    for (unsigned int i = 0; i < 3; i++) {
        m = read_mod(buf, GPA, si.modlist_paddr, i);
        CHECK_EQ(m.paddr, mods[i].paddr);
        CHECK_EQ(m.size, mods[i].size);
        CHECK_EQ(m.reserved, 0);
        if (!mods[i].cmdline) {
            CHECK_EQ(m.cmdline_paddr, 0);
            continue;
        }
        s = str_at(buf, GPA, used, m.cmdline_paddr);
        CHECK(s && !strcmp(s, mods[i].cmdline));
    }
    s = str_at(buf, GPA, used, si.cmdline_paddr);
    CHECK(s && !strcmp(s, "k"));
}

TEST(memmap_copied)
{
    /* Touching entries are fine; reserved fields are cleared. */
    const struct hvm_memmap_table_entry map[] = {
        { 0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0x9fc00, 0x400, XEN_HVM_MEMMAP_TYPE_RESERVED, 0xffff },
        { 0xe0000, 0x20000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
        { 0x100000, 0x7ff00000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0xfee00000, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    };
    struct pvh_start_params p = { .memmap = map, .nr_memmap = ARRAY_SIZE(map) };
    struct hvm_start_info si;
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    CHECK_EQ(si.memmap_entries, ARRAY_SIZE(map));
    CHECK_EQ(si.nr_modules, 0);
    CHECK_EQ(si.modlist_paddr, 0);
    CHECK_EQ(used, sizeof(si) + sizeof(map));
    for (unsigned int i = 0; i < ARRAY_SIZE(map); i++) {
        struct hvm_memmap_table_entry e = read_map(buf, GPA, si.memmap_paddr, i);

        CHECK_EQ(e.addr, map[i].addr);
        CHECK_EQ(e.size, map[i].size);
        CHECK_EQ(e.type, map[i].type);
        CHECK_EQ(e.reserved, 0);
    }
}

TEST(enospc)
{
    const struct pvh_module mods[] = { { 0x400000, 0x1000, "mod" } };
    struct pvh_start_params p = {
        .cmdline = "console=hvc0",
        .modules = mods,
        .nr_modules = 1,
        .memmap = two_ram,
        .nr_memmap = 2,
    };
    size_t need = 0, used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &need), 0);
    /* Exactly enough works, one byte less does not, at every earlier size too. */
    CHECK_EQ(pvh_start_info_build(buf, need, GPA, &p, &used), 0);
    CHECK_EQ(used, need);
    for (size_t len = 0; len < need; len++) {
        /* A heap buffer of exactly `len` bytes: ASan flags any write past it. */
        uint8_t *small = malloc(len ? len : 1);

        used = 12345;
        CHECK_EQ(pvh_start_info_build(small, len, GPA, &p, &used), -ENOSPC);
        CHECK_EQ(used, 12345);
        free(small);
    }
}

TEST(memmap_unsorted_or_overlapping_einval)
{
    const struct hvm_memmap_table_entry unsorted[] = {
        { 0x100000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    };
    const struct hvm_memmap_table_entry overlap[] = {
        { 0, 0x2000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0x1fff, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    };
    const struct hvm_memmap_table_entry duplicate[] = {
        { 0x1000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { 0x1000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    };
    const struct hvm_memmap_table_entry empty[] = { { 0x1000, 0, XEN_HVM_MEMMAP_TYPE_RAM, 0 } };
    const struct hvm_memmap_table_entry wraps[] = {
        { UINT64_MAX - 0xfff, 0x2000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    };
    struct pvh_start_params p = { .memmap = unsorted, .nr_memmap = 2 };
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.memmap = overlap;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.memmap = duplicate;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.memmap = empty;
    p.nr_memmap = 1;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.memmap = wraps;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.memmap = NULL; /* entries claimed but no array */
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    /* Bad parameters are reported even when the buffer is also too small. */
    p.memmap = unsorted;
    p.nr_memmap = 2;
    CHECK_EQ(pvh_start_info_build(buf, 8, GPA, &p, &used), -EINVAL);
    CHECK_EQ(used, 0);
}

TEST(zero_sized_module_einval)
{
    struct pvh_module mods[] = { { 0x400000, 0x1000, NULL }, { 0x500000, 0, "empty" } };
    struct pvh_start_params p = { .modules = mods, .nr_modules = 2 };
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    mods[1].size = 1;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    mods[1].paddr = UINT64_MAX; /* last byte would wrap */
    mods[1].size = 2;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
    p.modules = NULL;
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), -EINVAL);
}

TEST(misaligned_gpa_einval)
{
    struct pvh_start_params p = { .cmdline = "x" };
    size_t used = 0;

    for (uint64_t gpa = GPA + 1; gpa < GPA + 8; gpa++)
        CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, gpa, &p, &used), -EINVAL);
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, 0x1008, &p, &used), 0);
    /* The block would run past the top of the guest-physical space. */
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, UINT64_MAX - 7, &p, &used), -EINVAL);
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, 0, &p, &used), 0);
}

TEST(rsdp_and_flags)
{
    struct pvh_start_params p = { .flags = SIF_PRIVILEGED | SIF_INITDOMAIN, .rsdp_paddr = 0xf5a40 };
    struct hvm_start_info si;
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf);
    CHECK_EQ(si.rsdp_paddr, 0xf5a40);
    CHECK_EQ(si.flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
}

TEST(unaligned_buffer)
{
    const struct pvh_module mods[] = { { 0x400000, 0x1000, "m" } };
    struct pvh_start_params p = {
        .cmdline = "c", .modules = mods, .nr_modules = 1, .memmap = two_ram, .nr_memmap = 2,
    };
    struct hvm_start_info si;
    struct hvm_modlist_entry m;
    size_t used = 0;

    /* Only the guest address must be aligned: the staging buffer may be anywhere. */
    CHECK_EQ(pvh_start_info_build(buf + 3, BUF_LEN, GPA, &p, &used), 0);
    si = read_info(buf + 3);
    CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
    m = read_mod(buf + 3, GPA, si.modlist_paddr, 0);
    CHECK_EQ(m.size, 0x1000);
    CHECK(str_at(buf + 3, GPA, used, m.cmdline_paddr) != NULL);
}

TEST(null_arguments_einval)
{
    struct pvh_start_params p = { 0 };
    size_t used = 0;

    CHECK_EQ(pvh_start_info_build(NULL, BUF_LEN, GPA, &p, &used), -EINVAL);
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, NULL, &used), -EINVAL);
    CHECK_EQ(pvh_start_info_build(buf, BUF_LEN, GPA, &p, NULL), -EINVAL);
}
