/* SPDX-License-Identifier: GPL-2.0-only */
/* Building a PVH domain from an ELF kernel image. */
#ifndef XENON_DOMAIN_BUILD_H
#define XENON_DOMAIN_BUILD_H

#include <xenon/domain.h>

#define PVH_BUILD_MAX_MODULES 4

/* A module (initrd) handed to the kernel through hvm_start_info's modlist. */
struct pvh_build_module {
    const void *data;         /* in hypervisor memory */
    size_t size;
    const char *cmdline;      /* may be "" */
};

struct pvh_build_params {
    const void *image;        /* the ELF kernel, in hypervisor memory */
    size_t image_size;
    const char *cmdline;
    uint64_t mem_bytes;       /* guest RAM, from guest-physical 0 */
    struct pvh_build_module modules[PVH_BUILD_MAX_MODULES];
    unsigned int nr_modules;
};

/*
 * Populate RAM, load the kernel, then the modules (page-aligned, after the
 * kernel), write hvm_start_info after them, point vCPU 0 at the entry.
 */
int domain_build_pvh(struct domain *d, const struct pvh_build_params *p);

#endif
