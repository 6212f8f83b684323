/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_mca(struct xen_mc *): machine-check architecture operations for
 * the control domain (Xen 4.17 numbers and layouts). Only what Linux's
 * xen-mcelog asks at start-up is defined: the physical CPU list.
 */
#ifndef XEN_PUBLIC_ARCH_X86_XEN_MCA_H
#define XEN_PUBLIC_ARCH_X86_XEN_MCA_H

#include "../xen-types.h"

#define XEN_MCA_INTERFACE_VERSION 0x01ecc003
#define VIRQ_MCA 16 /* VIRQ_ARCH_0 */

struct mcinfo_msr {
    uint64_t reg;
    uint64_t value;
};

/* One physical CPU as the MCA interface describes it. */
struct mcinfo_logical_cpu {
    uint32_t mc_cpunr;
    uint32_t mc_chipid;
    uint16_t mc_coreid;
    uint16_t mc_threadid;
    uint32_t mc_apicid;
    uint32_t mc_clusterid;
    uint32_t mc_ncores;
    uint32_t mc_ncores_active;
    uint32_t mc_nthreads;
    int32_t mc_cpuid_level;
    uint32_t mc_family;
    uint32_t mc_vendor;
    uint32_t mc_model;
    uint32_t mc_step;
    char mc_vendorid[16];
    char mc_brandid[64];
    uint32_t mc_cpu_caps[7];
    uint32_t mc_cache_size;
    uint32_t mc_cache_alignment;
    int32_t mc_nmsrvals;
    struct mcinfo_msr mc_msrvalues[8];
};
_Static_assert(sizeof(struct mcinfo_logical_cpu) == 304, "mcinfo_logical_cpu layout");
_Static_assert(__builtin_offsetof(struct mcinfo_logical_cpu, mc_apicid) == 12, "");
_Static_assert(__builtin_offsetof(struct mcinfo_logical_cpu, mc_vendorid) == 52, "");
_Static_assert(__builtin_offsetof(struct mcinfo_logical_cpu, mc_nmsrvals) == 168, "");

/* The number of physical CPUs; with info non-zero, also their descriptions. */
#define XEN_MC_physcpuinfo 3
struct xen_mc_physcpuinfo {
    uint32_t ncpus;      /* IN: room in info; OUT: CPUs there are */
    uint32_t _pad0;
    uint64_t info;       /* guest handle: struct mcinfo_logical_cpu[ncpus], or 0 */
};

struct xen_mc {
    uint32_t cmd;
    uint32_t interface_version;  /* XEN_MCA_INTERFACE_VERSION */
    union {
        struct xen_mc_physcpuinfo mc_physcpuinfo;
        uint8_t pad[144];        /* the size of Xen's largest member */
    } u;
};
_Static_assert(sizeof(struct xen_mc) == 152, "xen_mc layout");

#endif
