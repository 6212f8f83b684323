/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sysctl(XEN_GUEST_HANDLE(xen_sysctl_t) op): host-wide control
 * and information for the toolstack, Xen 4.17's (interface version 0x15).
 * As with domctl, the whole struct is read, acted on and written back; the
 * control domain alone may call it; unimplemented operations are -ENOSYS.
 */
#ifndef XEN_PUBLIC_SYSCTL_H
#define XEN_PUBLIC_SYSCTL_H

#include "xen-types.h"
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/* XEN_SYSCTL_physinfo: what the host is and has. */
#define XEN_SYSCTL_PHYSCAP_hvm                (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv                 (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio           (1u << 2)  /* device pass-through (IOMMU) */
#define XEN_SYSCTL_PHYSCAP_hap                (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow             (1u << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1u << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace            (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu               (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1          (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2          (1u << 9)
#define XEN_SYSCTL_PHYSCAP_MAX                XEN_SYSCTL_PHYSCAP_gnttab_v2

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;              /* pCPUs online */
    uint32_t max_cpu_id;           /* highest pCPU id there can be */
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;         /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;              /* highest machine frame there can be */
    uint32_t hw_cap[8];
};
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo layout");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, nr_cpus) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, cpu_khz) == 24, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, capabilities) == 28, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, total_pages) == 40, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, free_pages) == 48, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, max_mfn) == 72, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, hw_cap) == 80, "");

/* XEN_SYSCTL_sched_id: the scheduler in use (XEN_SCHEDULER_*). */
struct xen_sysctl_sched_id {
    uint32_t sched_id;
};
_Static_assert(sizeof(struct xen_sysctl_sched_id) == 4, "sched_id layout");

/*
 * XEN_SYSCTL_getdomaininfolist: up to max_domains entries, in id order, for
 * the domains with id >= first_domain; num_domains says how many were written.
 */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain;
    uint32_t max_domains;
    XEN_GUEST_HANDLE_64(xen_domctl_getdomaininfo_t) buffer;
    uint32_t num_domains;
};
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24, "getdomaininfolist layout");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist, max_domains) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16, "");

#define XEN_SYSCTL_readconsole               1
#define XEN_SYSCTL_tbuf_op                   2
#define XEN_SYSCTL_physinfo                  3
#define XEN_SYSCTL_sched_id                  4
#define XEN_SYSCTL_perfc_op                  5
#define XEN_SYSCTL_getdomaininfolist         6
#define XEN_SYSCTL_debug_keys                7
#define XEN_SYSCTL_getcpuinfo                8
#define XEN_SYSCTL_availheap                 9
#define XEN_SYSCTL_get_pmstat               10
#define XEN_SYSCTL_cpu_hotplug              11
#define XEN_SYSCTL_pm_op                    12
#define XEN_SYSCTL_page_offline_op          14
#define XEN_SYSCTL_lockprof_op              15
#define XEN_SYSCTL_cputopoinfo              16
#define XEN_SYSCTL_numainfo                 17
#define XEN_SYSCTL_cpupool_op               18
#define XEN_SYSCTL_scheduler_op             19
#define XEN_SYSCTL_coverage_op              20
#define XEN_SYSCTL_psr_cmt_op               21
#define XEN_SYSCTL_pcitopoinfo              22
#define XEN_SYSCTL_psr_alloc                23
#define XEN_SYSCTL_get_cpu_levelling_caps   25
#define XEN_SYSCTL_get_cpu_featureset       26
#define XEN_SYSCTL_livepatch_op             27
#define XEN_SYSCTL_get_cpu_policy           29

struct xen_sysctl {
    uint32_t cmd;                  /* XEN_SYSCTL_* */
    uint32_t interface_version;    /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        uint8_t pad[128];          /* fixes the size for every operation, known or not */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl layout");
_Static_assert(__builtin_offsetof(struct xen_sysctl, interface_version) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_sysctl, u) == 8, "");

#endif
