/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Translate a guest-virtual address through the guest's own page tables
 * (2-level, PAE or 4-level), every table read going through the P2M. Used
 * only to reach hypercall arguments; it never sets accessed/dirty bits.
 */
#include <asm/hvm.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

struct walk_mode {
    unsigned int levels;     /* 2, 3 (PAE) or 4 */
    unsigned int entry_size; /* 4 or 8 bytes */
    bool pse;                /* large pages allowed at level 2 */
};

static unsigned int level_shift(const struct walk_mode *m, unsigned int level)
{
    return m->entry_size == 4 ? 12 + 10 * (level - 1) : 12 + 9 * (level - 1);
}

static unsigned int level_index(const struct walk_mode *m, unsigned int level, uint64_t gva)
{
    uint64_t idx = gva >> level_shift(m, level);

    if (m->entry_size == 4)
        return (unsigned int)(idx & 1023);
    if (m->levels == 3 && level == 3)
        return (unsigned int)(idx & 3);
    return (unsigned int)(idx & 511);
}

static bool is_leaf(const struct walk_mode *m, unsigned int level, uint64_t pte)
{
    if (level == 1)
        return true;
    if (!(pte & PTE_PS))
        return false;
    return (level == 2 && m->pse) || (level == 3 && m->levels == 4);
}

static int walk(struct vcpu *v, const struct walk_mode *m, gpaddr_t table, uint64_t gva,
                bool write, gpaddr_t *gpa)
{
    for (unsigned int level = m->levels; level >= 1; level--) {
        gpaddr_t at = table + (gpaddr_t)level_index(m, level, gva) * m->entry_size;
        uint64_t pte = 0, page_mask;

        if (copy_from_gpa(v->domain, &pte, at, m->entry_size) || !(pte & PTE_P))
            return -EFAULT;
        /* PAE PDPTEs have no R/W bit. */
        if (write && !(pte & PTE_RW) && !(m->levels == 3 && level == 3))
            return -EFAULT;
        if (is_leaf(m, level, pte)) {
            page_mask = (1ull << level_shift(m, level)) - 1;
            pte &= m->entry_size == 4 ? 0xfffff000ull : PTE_ADDR_MASK;
            *gpa = (pte & ~page_mask) | (gva & page_mask);
            return 0;
        }
        table = pte & (m->entry_size == 4 ? 0xfffff000ull : PTE_ADDR_MASK);
    }
    return -EFAULT;
}

int arch_gva_to_gpa(struct vcpu *v, uint64_t gva, bool write, gpaddr_t *gpa)
{
    struct hvm_paging p;
    struct walk_mode m;
    gpaddr_t root;

    hvm->get_paging(v, &p);
    if (!(p.cr0 & X86_CR0_PG)) {
        *gpa = gva & 0xffffffffull;
        return 0;
    }
    if (p.efer & X86_EFER_LMA) {
        if ((gva >> 47) != 0 && (gva >> 47) != 0x1ffff)
            return -EFAULT; /* non-canonical */
        m = (struct walk_mode){ 4, 8, true };
        root = p.cr3 & PTE_ADDR_MASK;
    } else if (p.cr4 & X86_CR4_PAE) {
        m = (struct walk_mode){ 3, 8, true };
        root = p.cr3 & 0xffffffe0ull;
    } else {
        m = (struct walk_mode){ 2, 4, (p.cr4 & X86_CR4_PSE) != 0 };
        root = p.cr3 & 0xfffff000ull;
        gva &= 0xffffffffull;
    }
    return walk(v, &m, root, gva, write, gpa);
}
