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
