/* SPDX-License-Identifier: GPL-2.0-only */
/* Building a PVH domain from an ELF kernel image. */
#ifndef XENON_DOMAIN_BUILD_H
#define XENON_DOMAIN_BUILD_H

#include <xenon/domain.h>

struct pvh_build_params {
    const void *image;        /* the ELF kernel, in hypervisor memory */
    size_t image_size;
    const char *cmdline;
    uint64_t mem_bytes;       /* guest RAM, from guest-physical 0 */
};

/* Populate RAM, load the kernel, write hvm_start_info, point vCPU 0 at the entry. */
int domain_build_pvh(struct domain *d, const struct pvh_build_params *p);

#endif
