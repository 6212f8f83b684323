/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI tables for a PVH guest (common/acpi_build.c). */
#ifndef XENON_ACPI_BUILD_H
#define XENON_ACPI_BUILD_H

#include <xenon/types.h>

#define ACPI_BUILD_SIZE PAGE_SIZE    /* every table fits one page */
#define ACPI_BUILD_MAX_VCPUS 254     /* 8-bit APIC ids, 0xff is broadcast */

/*
 * Write RSDP, XSDT, FADT, DSDT and MADT into buf, for a guest that finds
 * buf at guest-physical base (below 4 GiB); the RSDP is at base itself.
 * -EINVAL for a bad vCPU count or base, -ENOSPC if buf is too small.
 */
int acpi_build_tables(void *buf, size_t len, uint64_t base, unsigned int nr_vcpus);

/* What the hardware domain is shown of the firmware's ACPI tables (arch code finds them). */
struct acpi_header;
struct acpi_host_view {
    const uint64_t *tables;          /* machine addresses of every root table but the MADT */
    unsigned int nr_tables;
    const struct acpi_header *madt;  /* the host's MADT, mapped */
};

/* Arch code: the firmware's root tables (up to max, all but the MADT) and its MADT; -ENOENT if none. */
int acpi_host_view(paddr_t rsdp, uint64_t *tables, unsigned int max, struct acpi_host_view *view);

/*
 * RSDP and XSDT over the host's tables plus a MADT with nr_vcpus local APICs
 * (ids 0..nr_vcpus-1, those of the pCPUs it runs on) and the host's I/O APIC,
 * interrupt source override and NMI entries. Same errors as above.
 */
int acpi_build_hwdom_tables(void *buf, size_t len, uint64_t base, const struct acpi_host_view *host,
                            unsigned int nr_vcpus);

#endif
