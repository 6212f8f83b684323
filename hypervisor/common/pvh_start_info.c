/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH hvm_start_info builder (see xenon/pvh_start_info.h).
 *
 * The block is laid out as
 *   hvm_start_info | modlist[nr_modules] | memmap[nr_memmap] | strings
 * with each array at an 8-byte aligned offset. The whole size is computed
 * and checked before anything is written, and structures are stored with
 * memcpy so the buffer itself need not be aligned. Optional parts that are
 * absent (no modules, no memory map, NULL command lines) get a 0 pointer.
 */
#include <xenon/pvh_start_info.h>
#include <xenon/lib.h>
#include <xenon/string.h>

#define START_INFO_VERSION 1
#define ARRAY_ALIGN 8

/* Offsets of each part inside the block. */
struct layout {
    size_t modlist;
    size_t memmap;
    size_t strings;
    size_t total;
};

/* Memory map entries: non-empty, no wrap, sorted by address, disjoint. */
static int check_memmap(const struct pvh_start_params *p)
{
    uint64_t prev_end = 0;

    if (p->nr_memmap && !p->memmap)
        return -EINVAL;
    for (unsigned int i = 0; i < p->nr_memmap; i++) {
        const struct hvm_memmap_table_entry *e = &p->memmap[i];

        if (!e->size || e->size > UINT64_MAX - e->addr)
            return -EINVAL;
        /* Each entry starts at or after the previous one's end (touching is fine). */
        if (e->addr < prev_end)
            return -EINVAL;
        prev_end = e->addr + e->size;
    }
    return 0;
}

/* Modules: non-empty and not wrapping the guest-physical address space. */
static int check_modules(const struct pvh_start_params *p)
{
    if (p->nr_modules && !p->modules)
        return -EINVAL;
    for (unsigned int i = 0; i < p->nr_modules; i++) {
        const struct pvh_module *m = &p->modules[i];

        if (!m->size || m->size > UINT64_MAX - m->paddr)
            return -EINVAL;
    }
    return 0;
}

/* Add a string's size (with NUL) to *total; false on overflow. */
static bool add_string(size_t *total, const char *s)
{
    if (!s)
        return true;
    return !__builtin_add_overflow(*total, strlen(s) + 1, total);
}

static int compute_layout(const struct pvh_start_params *p, struct layout *l)
{
    size_t mods, maps, total;

    if (__builtin_mul_overflow((size_t)p->nr_modules, sizeof(struct hvm_modlist_entry), &mods) ||
        __builtin_mul_overflow((size_t)p->nr_memmap, sizeof(struct hvm_memmap_table_entry), &maps))
        return -ENOSPC;
    /* Entry sizes are multiples of 8, so the arrays stay 8-byte aligned. */
    l->modlist = ALIGN_UP(sizeof(struct hvm_start_info), (size_t)ARRAY_ALIGN);
    l->memmap = l->modlist + mods;
    if (__builtin_add_overflow(l->memmap, maps, &l->strings))
        return -ENOSPC;
    total = l->strings;
    if (!add_string(&total, p->cmdline))
        return -ENOSPC;
    for (unsigned int i = 0; i < p->nr_modules; i++)
        if (!add_string(&total, p->modules[i].cmdline))
            return -ENOSPC;
    l->total = total;
    return 0;
}

/* Copy a string into the strings area; returns its guest address (0 for NULL). */
static uint64_t put_string(uint8_t *buf, uint64_t buf_gpa, size_t *pos, const char *s)
{
    size_t len;
    uint64_t gpa;

    if (!s)
        return 0;
    len = strlen(s) + 1;
    gpa = buf_gpa + *pos;
    memcpy(buf + *pos, s, len);
    *pos += len;
    return gpa;
}

static void write_block(uint8_t *buf, uint64_t gpa, const struct pvh_start_params *p,
                        const struct layout *l)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = START_INFO_VERSION,
        .flags = p->flags,
        .nr_modules = p->nr_modules,
        .modlist_paddr = p->nr_modules ? gpa + l->modlist : 0,
        .rsdp_paddr = p->rsdp_paddr,
        .memmap_paddr = p->nr_memmap ? gpa + l->memmap : 0,
        .memmap_entries = p->nr_memmap,
    };
    size_t pos = l->strings;

    /* Zero first so padding and reserved fields never leak stale bytes. */
    memset(buf, 0, l->total);
    si.cmdline_paddr = put_string(buf, gpa, &pos, p->cmdline);
    for (unsigned int i = 0; i < p->nr_modules; i++) {
        struct hvm_modlist_entry m = {
            .paddr = p->modules[i].paddr,
            .size = p->modules[i].size,
            .cmdline_paddr = put_string(buf, gpa, &pos, p->modules[i].cmdline),
        };

        memcpy(buf + l->modlist + i * sizeof(m), &m, sizeof(m));
    }
    for (unsigned int i = 0; i < p->nr_memmap; i++) {
        struct hvm_memmap_table_entry e = p->memmap[i];

        e.reserved = 0;
        memcpy(buf + l->memmap + i * sizeof(e), &e, sizeof(e));
    }
    memcpy(buf, &si, sizeof(si));
}

int pvh_start_info_build(void *buf, size_t buf_len, uint64_t buf_gpa,
                         const struct pvh_start_params *p, size_t *used)
{
    struct layout l;
    int rc;

    if (!buf || !p || !used || buf_gpa & (ARRAY_ALIGN - 1))
        return -EINVAL;
    rc = check_modules(p);
    if (!rc)
        rc = check_memmap(p);
    if (rc)
        return rc;
    rc = compute_layout(p, &l);
    if (rc)
        return rc;
    /* Every pointer written is buf_gpa + offset < buf_gpa + total: must not wrap. */
    if (l.total > UINT64_MAX - buf_gpa)
        return -EINVAL;
    if (l.total > buf_len)
        return -ENOSPC;
    write_block(buf, buf_gpa, p, &l);
    *used = l.total;
    return 0;
}
