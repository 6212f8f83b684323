/* SPDX-License-Identifier: MIT */
/*
 * PVH boot ABI: the structure a PVH guest finds at EBX on its 32-bit entry.
 * Layout and values are those of Xen's public interface (version 1).
 */
#ifndef XEN_PUBLIC_HVM_START_INFO_H
#define XEN_PUBLIC_HVM_START_INFO_H

#include <stdint.h>

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578u

#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

/* hvm_start_info.flags, shared with the PV start_info (SIF_*) */
#define SIF_PRIVILEGED   (1u << 0)
#define SIF_INITDOMAIN   (1u << 1)

struct hvm_start_info {
    uint32_t magic;          /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;        /* 0: up to rsdp_paddr; 1: adds the memory map */
    uint32_t flags;          /* SIF_* */
    uint32_t nr_modules;
    uint64_t modlist_paddr;  /* array of struct hvm_modlist_entry */
    uint64_t cmdline_paddr;  /* NUL-terminated ASCII, 0 if none */
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;   /* array of struct hvm_memmap_table_entry */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info v1 layout");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry layout");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry layout");

#endif
