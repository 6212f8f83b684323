/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Translate Multiboot1 and Multiboot2 loader information into struct
 * boot_info. Strings are copied out, so the loader's memory can be reused.
 * Layouts are those of the Multiboot 0.6.96 and 2.0 specifications.
 */
#include <asm/boot_defs.h>
#include <xenon/boot_info.h>
#include <xenon/lib.h>

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_MMAP (1u << 6)
#define MB1_INFO_LOADER (1u << 9)

struct __attribute__((packed)) mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
};
struct __attribute__((packed)) mb1_module { uint32_t start, end, string, reserved; };
struct __attribute__((packed)) mb1_mmap { uint32_t size; uint64_t addr, len; uint32_t type; };

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
struct mb2_tag { uint32_t type, size; };
struct mb2_tag_module { struct mb2_tag tag; uint32_t start, end; char string[]; };
struct mb2_tag_mmap { struct mb2_tag tag; uint32_t entry_size, entry_version; };
struct mb2_mmap_entry { uint64_t addr, len; uint32_t type, reserved; };

static char string_pool[4096];
static size_t pool_used;

/* Copy a string into the pool; "" when the pool is full. */
static const char *pool_strdup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);

    if (pool_used + n + 1 > sizeof(string_pool))
        return "";
    memcpy(string_pool + pool_used, s, n);
    string_pool[pool_used + n] = '\0';
    pool_used += n + 1;
    return string_pool + pool_used - n - 1;
}

/*
 * GRUB 2 passes only the arguments; other loaders (QEMU) put the image path
 * first. Drop it so everyone downstream sees arguments only.
 */
static const char *skip_image_name(const char *s, const char *loader)
{
    if (!strncmp(loader, "GRUB 2", 6))
        return s;
    while (*s == ' ')
        s++;
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

static void add_region(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if (bi->nr_memmap == BOOT_MAX_MEMMAP || !len)
        return;
    bi->memmap[bi->nr_memmap++] = (struct boot_mem_region){ addr, len, type };
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *s)
{
    if (bi->nr_modules == BOOT_MAX_MODULES || end < start)
        return;
    bi->modules[bi->nr_modules++] = (struct boot_module){
        start, end - start, pool_strdup(skip_image_name(s, bi->loader), BOOT_CMDLINE_MAX)
    };
}

static void parse_mb1(const struct mb1_info *mbi, struct boot_info *bi)
{
    if (mbi->flags & MB1_INFO_LOADER)
        bi->loader = pool_strdup((const char *)(uintptr_t)mbi->boot_loader_name, 64);
    if (mbi->flags & MB1_INFO_CMDLINE)
        bi->cmdline = pool_strdup(skip_image_name((const char *)(uintptr_t)mbi->cmdline, bi->loader),
                                  BOOT_CMDLINE_MAX);
    if (mbi->flags & MB1_INFO_MMAP) {
        uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

        while (p + sizeof(struct mb1_mmap) <= end) {
            const struct mb1_mmap *e = (const struct mb1_mmap *)(uintptr_t)p;

            add_region(bi, e->addr, e->len, e->type);
            p += e->size + sizeof(e->size);
        }
    } else {
        add_region(bi, 0, (uint64_t)mbi->mem_lower << 10, BOOT_MEM_RAM);
        add_region(bi, 1ull << 20, (uint64_t)mbi->mem_upper << 10, BOOT_MEM_RAM);
    }
    if (mbi->flags & MB1_INFO_MODS) {
        const struct mb1_module *m = (const struct mb1_module *)(uintptr_t)mbi->mods_addr;

        for (uint32_t i = 0; i < mbi->mods_count; i++)
            add_module(bi, m[i].start, m[i].end, m[i].string ? (const char *)(uintptr_t)m[i].string : "");
    }
}

static void parse_mb2_mmap(const struct mb2_tag_mmap *t, struct boot_info *bi)
{
    const uint8_t *p = (const uint8_t *)(t + 1), *end = (const uint8_t *)t + t->tag.size;

    if (t->entry_size < sizeof(struct mb2_mmap_entry))
        return;
    for (; p + t->entry_size <= end; p += t->entry_size) {
        const struct mb2_mmap_entry *e = (const struct mb2_mmap_entry *)p;

        add_region(bi, e->addr, e->len, e->type);
    }
}

static void parse_mb2(const uint8_t *info, struct boot_info *bi)
{
    uint32_t total = *(const uint32_t *)info;
    const uint8_t *p, *end = info + total;

    /* The loader name decides how command lines look: find it first. */
    for (p = info + 8; p + sizeof(struct mb2_tag) <= end;) {
        const struct mb2_tag *t = (const struct mb2_tag *)p;

        if (t->type == MB2_TAG_END || t->size < sizeof(*t))
            break;
        if (t->type == MB2_TAG_LOADER)
            bi->loader = pool_strdup((const char *)(t + 1), 64);
        p += ALIGN_UP(t->size, 8);
    }
    for (p = info + 8; p + sizeof(struct mb2_tag) <= end;) {
        const struct mb2_tag *t = (const struct mb2_tag *)p;

        if (t->type == MB2_TAG_END || t->size < sizeof(*t))
            break;
        if (t->type == MB2_TAG_CMDLINE)
            bi->cmdline = pool_strdup(skip_image_name((const char *)(t + 1), bi->loader),
                                      BOOT_CMDLINE_MAX);
        else if (t->type == MB2_TAG_MODULE) {
            const struct mb2_tag_module *m = (const struct mb2_tag_module *)t;

            add_module(bi, m->start, m->end, m->string);
        } else if (t->type == MB2_TAG_MMAP)
            parse_mb2_mmap((const struct mb2_tag_mmap *)t, bi);
        p += ALIGN_UP(t->size, 8);
    }
}

int multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi)
{
    bi->loader = "";
    bi->cmdline = "";
    if (magic == MB1_LOADER_MAGIC)
        parse_mb1((const struct mb1_info *)(uintptr_t)info, bi);
    else if (magic == MB2_LOADER_MAGIC)
        parse_mb2((const uint8_t *)(uintptr_t)info, bi);
    else
        return -EINVAL;
    return 0;
}
