/* SPDX-License-Identifier: GPL-2.0-only */
/* What the loader told us, in a loader-independent form (filled by arch code). */
#ifndef XENON_BOOT_INFO_H
#define XENON_BOOT_INFO_H

#include <xenon/types.h>

#define BOOT_MAX_MEMMAP 64
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 1024

enum boot_mem_type { BOOT_MEM_RAM = 1, BOOT_MEM_RESERVED = 2, BOOT_MEM_ACPI = 3, BOOT_MEM_NVS = 4, BOOT_MEM_UNUSABLE = 5 };

struct boot_mem_region {
    paddr_t start;
    uint64_t size;
    uint32_t type; /* enum boot_mem_type (e820 numbering) */
};

struct boot_module {
    paddr_t start;
    uint64_t size;
    const char *cmdline; /* arguments only: the image path is stripped; never NULL */
};

struct boot_info {
    const char *loader;            /* boot loader name, "" if not given */
    const char *cmdline;           /* hypervisor arguments, never NULL */
    unsigned int nr_memmap;
    struct boot_mem_region memmap[BOOT_MAX_MEMMAP];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    paddr_t rsdp;                  /* 0 if unknown */
};

#endif
