/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <xenon/types.h>

/* Physical address of the RSDP, 0 if none. */
paddr_t acpi_find_rsdp(void);
/* Fill apic_ids with the enabled local APICs of the MADT; their count or -ENOENT. */
int acpi_enumerate_cpus(paddr_t rsdp, uint32_t *apic_ids, unsigned int max);


#endif
