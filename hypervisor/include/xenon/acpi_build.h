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

#endif
