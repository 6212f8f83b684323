/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building the PVH hvm_start_info block in a buffer that will be copied into
 * guest memory at a known guest-physical address.
 *
 * Layout inside the buffer (all pointers in it are guest-physical):
 *   struct hvm_start_info | modlist[] | memmap[] | command lines (NUL-terminated)
 * each array 8-byte aligned.
 */
#ifndef XENON_PVH_START_INFO_H
#define XENON_PVH_START_INFO_H

#include <xenon/types.h>
#include <public/hvm/start_info.h>

struct pvh_module {
    uint64_t paddr;        /* guest-physical */
    uint64_t size;
    const char *cmdline;   /* may be NULL */
};

struct pvh_start_params {
    uint32_t flags;                          /* SIF_* */
    const char *cmdline;                     /* may be NULL */
    const struct pvh_module *modules;
    unsigned int nr_modules;
    const struct hvm_memmap_table_entry *memmap;
    unsigned int nr_memmap;
    uint64_t rsdp_paddr;                     /* 0 if none */
};

/*
 * Write the block for a guest that will find it at guest-physical buf_gpa.
 * -ENOSPC if it does not fit in buf_len (buffer contents then unspecified),
 * -EINVAL on bad parameters (memory map entries overlapping or unsorted,
 * a zero-sized module, buf_gpa not 8-byte aligned). On success *used is the
 * number of bytes written.
 */
int pvh_start_info_build(void *buf, size_t buf_len, uint64_t buf_gpa,
                         const struct pvh_start_params *p, size_t *used);

#endif
