// SPDX-License-Identifier: GPL-2.0-only
/* The guest ACPI tables: structure, pointers and checksums as Linux checks them. */
#include <string.h>

#include "harness.h"
#include <xenon/acpi_build.h>

#define BASE 0x4be5000u

static uint8_t page[ACPI_BUILD_SIZE];

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--)
        s += *p++;
    return s;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

/* The table the guest would find at guest-physical gpa. */
static const uint8_t *at(uint64_t gpa)
{
    CHECK(gpa >= BASE && gpa < BASE + ACPI_BUILD_SIZE);
    return page + (gpa - BASE);
}

TEST(rsdp_points_to_a_valid_xsdt)
{
    const uint8_t *xsdt;

    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, 2), 0);
    CHECK(!memcmp(page, "RSD PTR ", 8));
    CHECK_EQ(sum(page, 20), 0);
    CHECK_EQ(sum(page, 36), 0);
    CHECK_EQ(page[15], 2);
    xsdt = at(get64(page + 24));
    CHECK(!memcmp(xsdt, "XSDT", 4));
    CHECK_EQ(get32(xsdt + 4), 36 + 16);
    CHECK_EQ(sum(xsdt, get32(xsdt + 4)), 0);
}

TEST(madt_lists_every_vcpu)
{
    const uint8_t *xsdt, *madt;

    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, 4), 0);
    xsdt = at(get64(page + 24));
    madt = at(get64(xsdt + 36 + 8));
    CHECK(!memcmp(madt, "APIC", 4));
    CHECK_EQ(get32(madt + 4), 44 + 4 * 8);
    CHECK_EQ(sum(madt, get32(madt + 4)), 0);
    CHECK_EQ(get32(madt + 36), 0xfee00000u);
    for (unsigned int i = 0; i < 4; i++) {
        const uint8_t *e = madt + 44 + i * 8;

        CHECK_EQ(e[0], 0);
        CHECK_EQ(e[1], 8);
        CHECK_EQ(e[3], i);
        CHECK_EQ(get32(e + 4), 1);
    }
}

TEST(fadt_is_hardware_reduced_with_a_dsdt)
{
    const uint8_t *xsdt, *fadt, *dsdt;

    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, 1), 0);
    xsdt = at(get64(page + 24));
    fadt = at(get64(xsdt + 36));
    CHECK(!memcmp(fadt, "FACP", 4));
    CHECK_EQ(sum(fadt, get32(fadt + 4)), 0);
    CHECK(get32(fadt + 112) & (1u << 20));
    dsdt = at(get64(fadt + 140));
    CHECK_EQ(get32(fadt + 40), get64(fadt + 140));
    CHECK(!memcmp(dsdt, "DSDT", 4));
    CHECK_EQ(sum(dsdt, get32(dsdt + 4)), 0);
}

TEST(bad_arguments)
{
    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, 0), -EINVAL);
    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, ACPI_BUILD_MAX_VCPUS + 1), -EINVAL);
    CHECK_EQ(acpi_build_tables(page, sizeof(page), 0xfffff000u, 1), -EINVAL);
    CHECK_EQ(acpi_build_tables(page, sizeof(page) - 1, BASE, 1), -ENOSPC);
}

TEST(most_vcpus_fit_the_page)
{
    CHECK_EQ(acpi_build_tables(page, sizeof(page), BASE, ACPI_BUILD_MAX_VCPUS), 0);
    CHECK_EQ(sum(page, 36), 0);
}

/* ---- The hardware domain: the host's tables behind our XSDT and MADT ---- */

/* A host MADT as QEMU's firmware writes one: two CPUs, an I/O APIC, overrides, NMI lines. */
static size_t host_madt(uint8_t *m)
{
    static const uint8_t entries[] = {
        0, 8, 0, 0, 1, 0, 0, 0,                         /* local APIC, CPU 0 */
        0, 8, 1, 1, 1, 0, 0, 0,                         /* local APIC, CPU 1 */
        1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0, /* I/O APIC 0 at 0xfec00000, GSI 0 */
        2, 10, 0, 0, 2, 0, 0, 0, 0, 0,                  /* ISA IRQ 0 -> GSI 2 */
        2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0,               /* ISA IRQ 9 -> GSI 9, level high */
        4, 6, 0xff, 0, 0, 1,                            /* LAPIC NMI, every CPU, LINT1 */
        4, 6, 1, 0, 0, 1,                               /* LAPIC NMI, CPU 1 only */
    };
    size_t len = 36 + 8 + sizeof(entries);

    memset(m, 0, len);
    memcpy(m, "APIC", 4);
    memcpy(m + 4, &(uint32_t){ (uint32_t)len }, 4);
    memcpy(m + 36, &(uint32_t){ 0xfee00000u }, 4);
    memcpy(m + 40, &(uint32_t){ 1 }, 4); /* PC-AT compatible */
    memcpy(m + 44, entries, sizeof(entries));
    return len;
}

/* The entries of a MADT of type t, counted. */
static unsigned int madt_count(const uint8_t *madt, uint8_t t)
{
    unsigned int n = 0;

    for (const uint8_t *p = madt + 44; p < madt + get32(madt + 4); p += p[1])
        n += p[0] == t;
    return n;
}

TEST(hwdom_tables_keep_host_tables_and_routing)
{
    static const uint64_t host_tables[] = { 0x7ffe19df, 0x7ffe1ad3, 0x7ffe1b0b }; /* FACP HPET WAET */
    uint8_t hm[128];
    struct acpi_host_view host = { host_tables, 3, (const struct acpi_header *)hm };
    const uint8_t *xsdt, *madt;

    host_madt(hm);
    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 1), 0);
    CHECK_EQ(sum(page, 36), 0);
    xsdt = at(get64(page + 24));
    CHECK(!memcmp(xsdt, "XSDT", 4));
    CHECK_EQ(get32(xsdt + 4), 36 + 4 * 8);
    CHECK_EQ(sum(xsdt, get32(xsdt + 4)), 0);
    for (unsigned int i = 0; i < 3; i++)
        CHECK_EQ(get64(xsdt + 36 + 8 * i), host_tables[i]);
    madt = at(get64(xsdt + 36 + 24));
    CHECK(!memcmp(madt, "APIC", 4));
    CHECK_EQ(sum(madt, get32(madt + 4)), 0);
    CHECK_EQ(get32(madt + 40), 1);       /* the 8259s are still there */
    CHECK_EQ(madt_count(madt, 0), 1);    /* its one vCPU: pCPU 1 is not shown */
    CHECK_EQ(madt_count(madt, 1), 1);
    CHECK_EQ(madt_count(madt, 2), 2);
    CHECK_EQ(madt_count(madt, 4), 1);    /* the all-CPUs NMI line, not CPU 1's */

    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 2), 0);
    madt = at(get64(at(get64(page + 24)) + 36 + 24));
    CHECK_EQ(madt_count(madt, 0), 2);
    CHECK_EQ(madt_count(madt, 4), 2);
}

TEST(hwdom_tables_bad_input)
{
    uint64_t many[64] = { 0 };
    uint8_t hm[128];
    struct acpi_host_view host = { many, 3, NULL };

    host_madt(hm);
    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 1), -EINVAL); /* no MADT */
    host.madt = (const struct acpi_header *)hm;
    host.nr_tables = 64;
    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 1), -EINVAL); /* XSDT overflows */
    host.nr_tables = 3;
    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 0), -EINVAL);
    CHECK_EQ(acpi_build_hwdom_tables(page, 100, BASE, &host, 1), -ENOSPC);
    memcpy(hm + 4, &(uint32_t){ 20 }, 4); /* shorter than a MADT header */
    CHECK_EQ(acpi_build_hwdom_tables(page, sizeof(page), BASE, &host, 1), -EINVAL);
}
