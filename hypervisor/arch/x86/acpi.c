/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough ACPI to find the pCPUs: the RSDP (EBDA or the BIOS area),
 * RSDT/XSDT, and the MADT's local APIC entries. Table layouts from the ACPI
 * specification (5.2.5 RSDP, 5.2.7/5.2.8 RSDT/XSDT, 5.2.12 MADT). Every
 * length is checked against the table's own header and a sane maximum.
 */
#include <asm/acpi.h>
#include <xenon/acpi_build.h>
#include <xenon/lib.h>

#define MAX_TABLE_LEN (1u << 20)
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define LAPIC_ENABLED (1u << 0)
#define LAPIC_ONLINE_CAPABLE (1u << 1)

struct __attribute__((packed)) rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
};

struct __attribute__((packed)) sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
};

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static const struct rsdp *scan_rsdp(paddr_t start, paddr_t end)
{
    for (paddr_t p = start; p + sizeof(struct rsdp) <= end; p += 16) {
        const struct rsdp *r = (const struct rsdp *)(uintptr_t)p;

        if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
            return r;
    }
    return NULL;
}

paddr_t acpi_find_rsdp(void)
{
    uintptr_t bda_ebda = 0x40e; /* BIOS data area: EBDA segment */
    paddr_t ebda;
    const struct rsdp *r = NULL;

    /* Hide the constant address from the compiler's array-bounds analysis. */
    __asm__("" : "+r"(bda_ebda));
    ebda = (paddr_t)(*(const volatile uint16_t *)bda_ebda) << 4;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        r = scan_rsdp(ebda, ebda + 1024);
    if (!r)
        r = scan_rsdp(0xe0000, 0x100000);
    return (paddr_t)(uintptr_t)r;
}

static const struct sdt_header *valid_table(paddr_t pa)
{
    const struct sdt_header *h = (const struct sdt_header *)(uintptr_t)pa;

    if (!pa || pa >= (4ull << 30) - sizeof(*h))
        return NULL;
    if (h->length < sizeof(*h) || h->length > MAX_TABLE_LEN || !checksum_ok(h, h->length))
        return NULL;
    return h;
}

/*
 * Call fn for every valid table the root (XSDT, else RSDT) lists, until it
 * returns true; that table is returned.
 */
static const struct sdt_header *for_each_table(paddr_t rsdp_pa,
                                               bool (*fn)(const struct sdt_header *t, void *ctx), void *ctx)
{
    const struct rsdp *r = (const struct rsdp *)(uintptr_t)rsdp_pa;
    bool x = r->revision >= 2 && r->xsdt;
    const struct sdt_header *root = valid_table(x ? r->xsdt : r->rsdt);
    unsigned int entry = x ? 8 : 4, n;

    if (!root)
        return NULL;
    n = (root->length - sizeof(*root)) / entry;
    for (unsigned int i = 0; i < n; i++) {
        const uint8_t *e = (const uint8_t *)(root + 1) + i * entry;
        paddr_t pa = x ? *(const uint64_t *)e : *(const uint32_t *)e;
        const struct sdt_header *t = valid_table(pa);

        if (t && fn(t, ctx))
            return t;
    }
    return NULL;
}

static bool has_signature(const struct sdt_header *t, void *sig) { return !memcmp(t->signature, sig, 4); }

static const struct sdt_header *find_table(paddr_t rsdp_pa, const char sig[4])
{
    return for_each_table(rsdp_pa, has_signature, (void *)sig);
}

struct host_view_ctx {
    struct acpi_host_view *view;
    uint64_t *tables;
    unsigned int max;
};

static bool add_to_view(const struct sdt_header *t, void *p)
{
    struct host_view_ctx *c = p;

    if (!memcmp(t->signature, "APIC", 4))
        c->view->madt = (const struct acpi_header *)t;
    else if (c->view->nr_tables < c->max)
        c->tables[c->view->nr_tables++] = (uint64_t)(uintptr_t)t;
    return false;
}

int acpi_host_view(paddr_t rsdp, uint64_t *tables, unsigned int max, struct acpi_host_view *view)
{
    struct host_view_ctx c = { view, tables, max };

    *view = (struct acpi_host_view){ tables, 0, NULL };
    if (!rsdp)
        return -ENOENT;
    for_each_table(rsdp, add_to_view, &c);
    return view->madt ? 0 : -ENOENT;
}

int acpi_enumerate_cpus(paddr_t rsdp, uint32_t *apic_ids, unsigned int max)
{
    const struct sdt_header *madt = rsdp ? find_table(rsdp, "APIC") : NULL;
    const uint8_t *p, *end;
    unsigned int n = 0;

    if (!madt)
        return -ENOENT;
    p = (const uint8_t *)(madt + 1) + 8; /* local APIC address, flags */
    end = (const uint8_t *)madt + madt->length;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == MADT_LOCAL_APIC && p[1] >= 8 && (p[4] & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)) &&
            n < max)
            apic_ids[n++] = p[3];
        else if (p[0] == MADT_LOCAL_X2APIC && p[1] >= 16 && (p[8] & LAPIC_ENABLED) && n < max)
            apic_ids[n++] = *(const uint32_t *)(p + 4);
        p += p[1];
    }
    return (int)n;
}
