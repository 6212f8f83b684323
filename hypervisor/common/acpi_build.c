/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables a PVH guest is given (its hvm_start_info rsdp_paddr points
 * at them): RSDP -> XSDT -> MADT (one local APIC per vCPU) and a
 * hardware-reduced FADT with an empty DSDT. Linux finds its CPUs and its
 * local APIC through the MADT; without one it neither starts its APs nor
 * sets up its per-CPU (Xen) timers. Layouts are the ACPI specification's
 * (6.x, sections 5.2.5 to 5.2.12).
 *
 * The hardware domain gets the firmware's tables instead (FADT, DSDT, HPET,
 * MCFG, ...), behind a new RSDP and XSDT whose MADT lists only its own vCPUs
 * with the host's interrupt routing: it neither sees nor starts other pCPUs.
 */
#include <xenon/acpi_build.h>
#include <xenon/lib.h>
#include <xenon/string.h>

struct __attribute__((packed)) acpi_rsdp {
    char signature[8];
    uint8_t checksum;       /* of the first 20 bytes */
    char oem_id[6];
    uint8_t revision;       /* 2: XSDT present */
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 5.2.5.3");

struct __attribute__((packed)) acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
};
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 5.2.6");

struct __attribute__((packed)) acpi_madt_lapic {
    uint8_t type;           /* 0: processor local APIC */
    uint8_t length;         /* 8 */
    uint8_t processor_uid;
    uint8_t apic_id;
    uint32_t flags;         /* bit 0: enabled */
};
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "ACPI 5.2.12.2");

#define FADT_LENGTH 276                  /* revision 6 */
#define FADT_OFF_DSDT 40
#define FADT_OFF_FLAGS 112
#define FADT_OFF_MINOR_REVISION 131
#define FADT_OFF_X_DSDT 140
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define MADT_PCAT_COMPAT 1u              /* (unset: no 8259s) */

/* Offsets of each table inside the one page they share. */
#define OFF_RSDP 0
#define OFF_XSDT 64
#define OFF_DSDT 128
#define OFF_FADT 192
#define OFF_MADT 512

static uint8_t checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return (uint8_t)-sum;
}

static void header(struct acpi_header *h, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = rev;
    memcpy(h->oem_id, "XENON ", 6);
    memcpy(h->oem_table_id, "XENONPVH", 8);
    h->oem_revision = 1;
    memcpy(h->creator_id, "XNON", 4);
    h->creator_revision = 1;
}

static void seal(void *table)
{
    struct acpi_header *h = table;

    h->checksum = 0;
    h->checksum = checksum(table, h->length);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* The RSDP (revision 2) at the start of the page, pointing at the XSDT after it. */
static void write_rsdp(uint8_t *page, uint64_t base)
{
    struct acpi_rsdp *rsdp = (struct acpi_rsdp *)(page + OFF_RSDP);

    memcpy(rsdp->signature, "RSD PTR ", 8);
    memcpy(rsdp->oem_id, "XENON ", 6);
    rsdp->revision = 2;
    rsdp->length = sizeof(*rsdp);
    rsdp->xsdt_address = base + OFF_XSDT;
    rsdp->checksum = checksum(rsdp, 20);
    rsdp->extended_checksum = checksum(rsdp, sizeof(*rsdp));
}

static void build_madt(uint8_t *page, unsigned int nr_vcpus)
{
    struct acpi_header *h = (struct acpi_header *)(page + OFF_MADT);
    uint8_t *body = (uint8_t *)(h + 1);
    uint32_t len = sizeof(*h) + 8 + nr_vcpus * sizeof(struct acpi_madt_lapic);

    header(h, "APIC", len, 4);
    put32(body, 0xfee00000u); /* local APIC address */
    put32(body + 4, 0);       /* flags: no PC-AT 8259s */
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct acpi_madt_lapic e = { 0, sizeof(e), (uint8_t)i, (uint8_t)i, 1 };

        memcpy(body + 8 + i * sizeof(e), &e, sizeof(e));
    }
    seal(h);
}

static void build_fadt(uint8_t *page, uint64_t base)
{
    uint8_t *f = page + OFF_FADT;

    header((struct acpi_header *)f, "FACP", FADT_LENGTH, 6);
    put32(f + FADT_OFF_DSDT, (uint32_t)(base + OFF_DSDT));
    put32(f + FADT_OFF_FLAGS, FADT_HW_REDUCED_ACPI);
    f[FADT_OFF_MINOR_REVISION] = 0;
    put64(f + FADT_OFF_X_DSDT, base + OFF_DSDT);
    memcpy(f + 268, "XenVMMXe", 8); /* hypervisor vendor identity (ACPI 6.0) */
    seal(f);
}

int acpi_build_tables(void *buf, size_t len, uint64_t base, unsigned int nr_vcpus)
{
    uint8_t *page = buf;
    struct acpi_header *xsdt = (struct acpi_header *)(page + OFF_XSDT);

    if (!nr_vcpus || nr_vcpus > ACPI_BUILD_MAX_VCPUS || base > UINT32_MAX - ACPI_BUILD_SIZE)
        return -EINVAL;
    if (len < ACPI_BUILD_SIZE)
        return -ENOSPC;
    memset(page, 0, ACPI_BUILD_SIZE);
    header((struct acpi_header *)(page + OFF_DSDT), "DSDT", sizeof(struct acpi_header), 2);
    seal(page + OFF_DSDT);
    build_fadt(page, base);
    build_madt(page, nr_vcpus);
    header(xsdt, "XSDT", sizeof(*xsdt) + 16, 1);
    put64((uint8_t *)(xsdt + 1), base + OFF_FADT);
    put64((uint8_t *)(xsdt + 1) + 8, base + OFF_MADT);
    seal(xsdt);
    write_rsdp(page, base);
    return 0;
}

/* ---- The hardware domain: the host's tables behind a new XSDT and MADT ---- */

#define MADT_IOAPIC 1
#define MADT_INT_SOURCE_OVERRIDE 2
#define MADT_NMI_SOURCE 3
#define MADT_LAPIC_NMI 4
#define MADT_ALL_PROCESSORS 0xff
#define HWDOM_MAX_TABLES ((OFF_MADT - OFF_XSDT - sizeof(struct acpi_header)) / 8)

/* Host MADT entries the hardware domain keeps: interrupt routing, not processors. */
static bool keep_host_madt_entry(const uint8_t *e, unsigned int nr_vcpus)
{
    switch (e[0]) {
    case MADT_IOAPIC:
    case MADT_INT_SOURCE_OVERRIDE:
    case MADT_NMI_SOURCE:
        return true;
    case MADT_LAPIC_NMI: /* vCPU i runs on pCPU i: processor UIDs agree */
        return e[1] >= 6 && (e[2] == MADT_ALL_PROCESSORS || e[2] < nr_vcpus);
    }
    return false;
}

static int build_hwdom_madt(uint8_t *page, const struct acpi_host_view *host, unsigned int nr_vcpus)
{
    struct acpi_header *h = (struct acpi_header *)(page + OFF_MADT);
    const struct acpi_header *hm = host->madt;
    const uint8_t *p = (const uint8_t *)(hm + 1) + 8, *end = (const uint8_t *)hm + hm->length;
    uint8_t *body = (uint8_t *)(h + 1), *out;
    uint32_t flags;

    memcpy(&flags, (const uint8_t *)(hm + 1) + 4, 4);
    header(h, "APIC", 0, 4);
    put32(body, 0xfee00000u);
    put32(body + 4, flags & MADT_PCAT_COMPAT);
    out = body + 8;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct acpi_madt_lapic e = { 0, sizeof(e), (uint8_t)i, (uint8_t)i, 1 };

        memcpy(out, &e, sizeof(e));
        out += sizeof(e);
    }
    for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
        if (!keep_host_madt_entry(p, nr_vcpus))
            continue;
        if (out + p[1] > page + ACPI_BUILD_SIZE)
            return -ENOSPC;
        memcpy(out, p, p[1]);
        out += p[1];
    }
    h->length = (uint32_t)(out - (uint8_t *)h);
    seal(h);
    return 0;
}

int acpi_build_hwdom_tables(void *buf, size_t len, uint64_t base, const struct acpi_host_view *host,
                            unsigned int nr_vcpus)
{
    uint8_t *page = buf;
    struct acpi_header *xsdt = (struct acpi_header *)(page + OFF_XSDT);
    int rc;

    if (!nr_vcpus || nr_vcpus > ACPI_BUILD_MAX_VCPUS || base > UINT32_MAX - ACPI_BUILD_SIZE ||
        host->nr_tables > HWDOM_MAX_TABLES || !host->madt ||
        host->madt->length < sizeof(struct acpi_header) + 8)
        return -EINVAL;
    if (len < ACPI_BUILD_SIZE)
        return -ENOSPC;
    memset(page, 0, ACPI_BUILD_SIZE);
    rc = build_hwdom_madt(page, host, nr_vcpus);
    if (rc)
        return rc;
    header(xsdt, "XSDT", (uint32_t)(sizeof(*xsdt) + 8 * (host->nr_tables + 1)), 1);
    for (unsigned int i = 0; i < host->nr_tables; i++)
        put64((uint8_t *)(xsdt + 1) + 8 * i, host->tables[i]);
    put64((uint8_t *)(xsdt + 1) + 8 * host->nr_tables, base + OFF_MADT);
    seal(xsdt);
    write_rsdp(page, base);
    return 0;
}
