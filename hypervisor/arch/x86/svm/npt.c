/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested page tables: the long-mode 4-level format (APM vol. 2, 15.25.5).
 * Guest accesses are treated as user accesses, so every entry sets U/S.
 * The P2M type lives in the software-available bits 9-11.
 *
 * Called with the domain's P2M lock held (arch/x86/p2m.c), except npt_free
 * on a dead domain. An entry that is replaced or removed is released (its
 * frames' references dropped, p2m_release) only after the TLB flush, and a
 * detached table is freed only then too: until the flush another pCPU may
 * still be walking it or using a translation through it.
 */
#include "svm.h"
#include <xenon/lib.h>
#include <xenon/mm.h>

#define NPT_P (1ull << 0)
#define NPT_RW (1ull << 1)
#define NPT_US (1ull << 2)
#define NPT_PS (1ull << 7)
#define NPT_TYPE_SHIFT 9
#define NPT_TYPE_MASK (7ull << NPT_TYPE_SHIFT)
#define NPT_ADDR_MASK 0x000ffffffffff000ull
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US)

_Static_assert(P2M_NR_TYPES <= 8, "P2M types fit the three software bits");

/*
 * Table pages a domain may cost us: enough to map all its RAM with 4 KiB
 * pages, plus room for sparse special pages.
 */
static uint64_t npt_page_limit(const struct domain *d)
{
    /* The hardware domain also maps device memory, anywhere in the address space. */
    if (is_hardware_domain(d))
        return d->max_pages / 512 + 4096;
    return d->max_pages / 512 + 64;
}

static uint64_t *alloc_table(struct domain *d)
{
    uint64_t *t;

    if (d->arch.npt_pages >= npt_page_limit(d))
        return NULL;
    t = page_alloc_zeroed(0);
    if (t)
        d->arch.npt_pages++;
    return t;
}

static void free_table(struct domain *d, void *t)
{
    page_free(t, 0);
    d->arch.npt_pages--;
}

static uint64_t *table_at(uint64_t entry) { return maddr_to_virt(entry & NPT_ADDR_MASK); }
static unsigned int index_at(uint64_t gfn, unsigned int level) { return (gfn >> (9 * (level - 1))) & 511; }

static uint64_t leaf_entry(mfn_t mfn, unsigned int level, enum p2m_type t)
{
    uint64_t e = mfn_to_paddr(mfn) | NPT_P | NPT_US | ((uint64_t)t << NPT_TYPE_SHIFT);

    if (p2m_is_writable(t))
        e |= NPT_RW;
    if (level > 1)
        e |= NPT_PS;
    return e;
}

/* Replace a 2 MiB leaf by a table of 512 4 KiB leaves with the same mapping. */
static int split_large(struct domain *d, uint64_t *entry)
{
    uint64_t *t = alloc_table(d), base = *entry & NPT_ADDR_MASK & ~0x1fffffull;
    uint64_t flags = *entry & (NPT_P | NPT_RW | NPT_US | NPT_TYPE_MASK);

    if (!t)
        return -ENOMEM;
    for (unsigned int i = 0; i < 512; i++)
        t[i] = (base + ((uint64_t)i << PAGE_SHIFT)) | flags;
    *entry = virt_to_maddr(t) | NPT_TABLE;
    return 0;
}

/* Entry for gfn at target level, building (and splitting) tables on the way. */
static int entry_for(struct domain *d, uint64_t gfn, unsigned int target, uint64_t **out)
{
    uint64_t *t = maddr_to_virt(d->arch.npt_root);

    for (unsigned int level = 4; level > target; level--) {
        uint64_t *e = &t[index_at(gfn, level)];

        if (!(*e & NPT_P)) {
            uint64_t *nt = alloc_table(d);

            if (!nt)
                return -ENOMEM;
            *e = virt_to_maddr(nt) | NPT_TABLE;
        } else if (*e & NPT_PS) {
            int rc = split_large(d, e);

            if (rc)
                return rc;
        }
        t = table_at(*e);
    }
    *out = &t[index_at(gfn, target)];
    return 0;
}

static mfn_t leaf_mfn(uint64_t e) { return _mfn((e & NPT_ADDR_MASK) >> PAGE_SHIFT); }
static enum p2m_type leaf_type(uint64_t e)
{
    return (enum p2m_type)((e & NPT_TYPE_MASK) >> NPT_TYPE_SHIFT);
}

/* Release what an old level-1 or level-2 entry held: a leaf, or a table of leaves. */
static void release_old(struct domain *d, uint64_t old, unsigned int level)
{
    uint64_t *t;

    if (!(old & NPT_P))
        return;
    if (level == 1 || (old & NPT_PS)) {
        p2m_release(d, leaf_mfn(old), level == 2 ? 9 : 0, leaf_type(old));
        return;
    }
    t = table_at(old);
    for (unsigned int i = 0; i < 512; i++)
        if (t[i] & NPT_P)
            p2m_release(d, leaf_mfn(t[i]), 0, leaf_type(t[i]));
    free_table(d, t);
}

/*
 * Put new in *e, then release the old value. A not-present entry is never
 * cached, so filling one needs no flush.
 */
static void set_entry(struct domain *d, uint64_t *e, uint64_t new, unsigned int level)
{
    uint64_t old = *e;

    __atomic_store_n(e, new, __ATOMIC_RELEASE);
    if (!(old & NPT_P))
        return;
    svm_flush_guest_tlbs(d);
    release_old(d, old, level);
}

int npt_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    unsigned int level = order == 9 ? 2 : 1;
    uint64_t *e;
    int rc = entry_for(d, gfn_x(gfn), level, &e);

    if (rc)
        return rc;
    set_entry(d, e, leaf_entry(mfn, level, t), level);
    return 0;
}

int npt_unmap(struct domain *d, gfn_t gfn)
{
    uint64_t *e;
    int rc = npt_lookup(d, gfn, NULL, NULL);

    if (rc)
        return rc;
    /* One 4 KiB frame: a 2 MiB mapping around it is split first. */
    rc = entry_for(d, gfn_x(gfn), 1, &e);
    if (rc)
        return rc;
    set_entry(d, e, 0, 1);
    return 0;
}

int npt_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *type)
{
    uint64_t *t = maddr_to_virt(d->arch.npt_root), g = gfn_x(gfn);

    if (!d->arch.npt_root || g >> 36)
        return -ENOENT;
    for (unsigned int level = 4; level >= 1; level--) {
        uint64_t e = t[index_at(g, level)];

        if (!(e & NPT_P))
            return -ENOENT;
        if (level == 1 || (e & NPT_PS)) {
            uint64_t span = (1ull << (9 * (level - 1))) - 1;

            if (mfn)
                *mfn = _mfn(((e & NPT_ADDR_MASK) >> PAGE_SHIFT) + (g & span));
            if (type)
                *type = (enum p2m_type)((e & NPT_TYPE_MASK) >> NPT_TYPE_SHIFT);
            return 0;
        }
        t = table_at(e);
    }
    return -ENOENT;
}

/* Release every leaf of a level-2 table's entries and free its level-1 tables. */
static void free_l2(struct domain *d, uint64_t *l2)
{
    for (unsigned int i2 = 0; i2 < 512; i2++) {
        uint64_t *l1;

        if (!(l2[i2] & NPT_P))
            continue;
        if (l2[i2] & NPT_PS) {
            p2m_release(d, leaf_mfn(l2[i2]), 9, leaf_type(l2[i2]));
            continue;
        }
        l1 = table_at(l2[i2]);
        for (unsigned int i1 = 0; i1 < 512; i1++)
            if (l1[i1] & NPT_P)
                p2m_release(d, leaf_mfn(l1[i1]), 0, leaf_type(l1[i1]));
        free_table(d, l1);
    }
    free_table(d, l2);
}

/*
 * d is dead: release every mapping (its RAM, its foreign mappings' references)
 * and free the table pages, bottom-up, without recursion.
 */
void npt_free(struct domain *d)
{
    uint64_t *l4 = maddr_to_virt(d->arch.npt_root);

    if (!d->arch.npt_root)
        return;
    for (unsigned int i4 = 0; i4 < 512; i4++) {
        uint64_t *l3;

        if (!(l4[i4] & NPT_P))
            continue;
        l3 = table_at(l4[i4]);
        for (unsigned int i3 = 0; i3 < 512; i3++)
            if ((l3[i3] & NPT_P) && !(l3[i3] & NPT_PS))
                free_l2(d, table_at(l3[i3]));
        free_table(d, l3);
    }
    page_free(l4, 0);
    d->arch.npt_root = 0;
}
