/* SPDX-License-Identifier: GPL-2.0-only */
/* The hardware domain's identity-mapped memory (common/hwdom.c). */
#ifndef XENON_HWDOM_H
#define XENON_HWDOM_H

#include <xenon/boot_info.h>
#include <xenon/types.h>

struct domain;

/* Keep the host memory map (bi lives as long as the hypervisor). */
void hwdom_init(const struct boot_info *bi);
/* The firmware's RSDP, 0 if none. */
paddr_t hwdom_host_rsdp(void);
/* Is any byte of the machine frame RAM in the host memory map? */
bool hwdom_is_host_ram(uint64_t mfn);
/* Give d nr_pages of free RAM, lowest addresses first, each at gfn == mfn. -ENOMEM if short. */
int hwdom_populate(struct domain *d, uint64_t nr_pages);
/*
 * d's memory map: the host's, its own frames RAM (but [acpi, acpi + len),
 * its ACPI tables), every other RAM frame reserved. -ENOSPC if too long.
 */
int hwdom_build_memmap(struct domain *d, paddr_t acpi, size_t acpi_len);
/*
 * d touched gfn, which its P2M does not map: map the machine frame 1:1 if it
 * is no RAM (device memory), else the sink page. 0 to retry the access.
 */
int hwdom_fault(struct domain *d, uint64_t gfn, bool write);
void hwdom_destroy(struct domain *d);

#endif
