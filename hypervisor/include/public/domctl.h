/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_domctl(XEN_GUEST_HANDLE(xen_domctl_t) op): the toolstack's
 * per-domain control interface, Xen 4.17's (interface version 0x15).
 *
 * The whole struct xen_domctl is read from the caller, acted on and, for the
 * operations that return something, written back whole. Only the control
 * domain may call it. The numbers and layouts below are the ABI libxenctrl
 * 4.17 is built against; every struct's size and the offsets a mistake would
 * move are checked at build time. Operations Xenon does not implement are
 * numbered here but return -ENOSYS.
 */
#ifndef XEN_PUBLIC_DOMCTL_H
#define XEN_PUBLIC_DOMCTL_H

#include "xen-types.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* A bitmap of CPUs or nodes in the caller's memory: bit i of byte i / 8. */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;
    uint32_t nr_bits;
};
_Static_assert(sizeof(struct xenctl_bitmap) == 16, "xenctl_bitmap layout");

/* x86 part of a domain's configuration: which devices the hypervisor emulates. */
#define XEN_X86_EMU_LAPIC    (1u << 0)
#define XEN_X86_EMU_HPET     (1u << 1)
#define XEN_X86_EMU_PM       (1u << 2)
#define XEN_X86_EMU_RTC      (1u << 3)
#define XEN_X86_EMU_IOAPIC   (1u << 4)
#define XEN_X86_EMU_PIC      (1u << 5)
#define XEN_X86_EMU_VGA      (1u << 6)
#define XEN_X86_EMU_IOMMU    (1u << 7)
#define XEN_X86_EMU_PIT      (1u << 8)
#define XEN_X86_EMU_USE_PIRQ (1u << 9)
#define XEN_X86_EMU_VPCI     (1u << 10)
#define XEN_X86_EMU_ALL      0x7ffu

/* misc_flags: unhandled MSR accesses read 0 / are dropped instead of #GP. */
#define XEN_X86_MSR_RELAXED  (1u << 0)

struct xen_arch_domainconfig {
    uint32_t emulation_flags; /* XEN_X86_EMU_*; a PVH guest has only the LAPIC */
    uint32_t misc_flags;      /* XEN_X86_MSR_RELAXED */
};
_Static_assert(sizeof(struct xen_arch_domainconfig) == 8, "xen_arch_domainconfig layout");

/*
 * XEN_DOMCTL_createdomain. xen_domctl.domain is in and out: a free id below
 * DOMID_FIRST_RESERVED is used as given, 0 (or a reserved id) asks the
 * hypervisor to pick one. The new domain has no memory and starts paused
 * once by the controller (XEN_DOMCTL_unpausedomain lets it run).
 */
#define XEN_DOMCTL_CDF_hvm          (1u << 0)
#define XEN_DOMCTL_CDF_hap          (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1u << 2)
#define XEN_DOMCTL_CDF_oos_off      (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1u << 4)
#define XEN_DOMCTL_CDF_iommu        (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1u << 6)
#define XEN_DOMCTL_CDF_vpmu         (1u << 7)
#define XEN_DOMCTL_CDF_MAX          XEN_DOMCTL_CDF_vpmu

#define XEN_DOMCTL_IOMMU_no_sharept (1u << 0)
#define XEN_DOMCTL_IOMMU_MAX        XEN_DOMCTL_IOMMU_no_sharept

/* grant_opts: the highest grant-table version the guest may use, low 4 bits. */
#define XEN_DOMCTL_GRANT_version_mask 0xfu
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)

struct xen_domctl_createdomain {
    uint32_t ssidref;              /* security label (ignored without a policy) */
    xen_domain_handle_t handle;    /* the toolstack's UUID for it */
    uint32_t flags;                /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;           /* XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;      /* < 0: the hypervisor's default */
    int32_t max_maptrack_frames;   /* < 0: the hypervisor's default */
    uint32_t grant_opts;           /* XEN_DOMCTL_GRANT_version() */
    uint32_t vmtrace_size;         /* bytes of processor-trace buffer per vCPU, 0 = none */
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, flags) == 20, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, max_vcpus) == 28, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, grant_opts) == 44, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, cpupool_id) == 52, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_createdomain, arch) == 56, "");

/*
 * XEN_DOMCTL_getdomaininfo: the first domain whose id is >= xen_domctl.domain
 * (its id is written to both domain fields); -ESRCH if there is none. Also
 * the element of XEN_SYSCTL_getdomaininfolist.
 */
#define XEN_DOMINF_dying      (1u << 0)  /* being destroyed */
#define XEN_DOMINF_hvm_guest  (1u << 1)
#define XEN_DOMINF_shutdown   (1u << 2)  /* the guest shut down; code below */
#define XEN_DOMINF_paused     (1u << 3)  /* by the controller */
#define XEN_DOMINF_blocked    (1u << 4)  /* every online vCPU waits for an event */
#define XEN_DOMINF_running    (1u << 5)  /* some vCPU is on a pCPU */
#define XEN_DOMINF_debugged   (1u << 6)
#define XEN_DOMINF_xs_domain  (1u << 7)
#define XEN_DOMINF_hap        (1u << 8)
#define XEN_DOMINF_shutdownmask  255u    /* SHUTDOWN_* when XEN_DOMINF_shutdown is set */
#define XEN_DOMINF_shutdownshift 16

#define XEN_INVALID_MAX_VCPU_ID (~0u)    /* max_vcpu_id of a domain without vCPUs */

struct xen_domctl_getdomaininfo {
    domid_t domain;
    uint16_t pad1;
    uint32_t flags;                /* XEN_DOMINF_* */
    uint64_t tot_pages;            /* RAM frames it owns */
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;    /* GFN where the guest mapped shared_info */
    uint64_t cpu_time;             /* ns its vCPUs have run, summed */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits;           /* width of its guest-physical address space */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) == 48, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104, "");

/* XEN_DOMCTL_max_mem: the domain's memory limit, in KiB (rounded down to pages). */
struct xen_domctl_max_mem {
    uint64_t max_memkb;
};
_Static_assert(sizeof(struct xen_domctl_max_mem) == 8, "max_mem layout");

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                 /* in */
    uint8_t online;                /* out: up (not hot-unplugged) */
    uint8_t blocked;               /* out: waiting for an event */
    uint8_t running;               /* out: on a pCPU now */
    uint64_t cpu_time;             /* out: ns it has run */
    uint32_t cpu;                  /* out: the pCPU it runs or last ran on */
};
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, online) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16, "");

/*
 * XEN_DOMCTL_setvcpuaffinity / XEN_DOMCTL_getvcpuaffinity. flags selects the
 * masks. Set returns the masks now in effect (restricted to online pCPUs);
 * get returns them as stored.
 */
#define XEN_VCPUAFFINITY_HARD  (1u << 0)
#define XEN_VCPUAFFINITY_SOFT  (1u << 1)
#define XEN_VCPUAFFINITY_FORCE (1u << 2)  /* also drop a SCHEDOP_pin_override */

struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
    uint32_t flags;
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};
_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40, "vcpuaffinity layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_vcpuaffinity, cpumap_hard) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_vcpuaffinity, cpumap_soft) == 24, "");

/* XEN_DOMCTL_max_vcpus: must repeat createdomain's max_vcpus. */
struct xen_domctl_max_vcpus {
    uint32_t max;
};
_Static_assert(sizeof(struct xen_domctl_max_vcpus) == 4, "max_vcpus layout");

/* XEN_DOMCTL_scheduler_op: sched_id names the scheduler the caller expects. */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

/* Credit putinfo: weight 0 and cap 0xffff each mean "keep the current value". */
struct xen_domctl_sched_credit {
    uint16_t weight;
    uint16_t cap;                  /* percent of one pCPU, 0 = uncapped */
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

#define XEN_DOMCTL_SCHEDRT_extra (1u << 0)
struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
    uint32_t flags;                /* XEN_DOMCTL_SCHEDRT_* */
};

struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
};
typedef struct xen_domctl_schedparam_vcpu xen_domctl_schedparam_vcpu_t;
_Static_assert(sizeof(struct xen_domctl_schedparam_vcpu) == 16, "schedparam_vcpu layout");

#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3

struct xen_domctl_scheduler_op {
    uint32_t sched_id;             /* XEN_SCHEDULER_* */
    uint32_t cmd;                  /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;     /* in: entries; out: entries done */
            uint32_t padding;
        } v;
    } u;
};
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24, "scheduler_op layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_scheduler_op, u) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_scheduler_op, u.v.nr_vcpus) == 16, "");

/* XEN_DOMCTL_setdomainhandle */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};
_Static_assert(sizeof(struct xen_domctl_setdomainhandle) == 16, "setdomainhandle layout");

/*
 * XEN_DOMCTL_gethvmcontext / XEN_DOMCTL_sethvmcontext: the domain's vCPU
 * state as an HVM context stream (hvm/save.h). The domain is paused for the
 * call; its own vCPUs may not ask (-EINVAL).
 * Get: a null buffer returns in size the bytes a get can need; otherwise
 * size is the buffer's room in (-ENOSPC if below that bound) and the bytes
 * written out. Set: size bytes are read; every vCPU goes down and those
 * with a CPU record come up with its state (unpaused, they run).
 */
struct xen_domctl_hvmcontext {
    uint32_t size;
    XEN_GUEST_HANDLE_64(uint8) buffer;
};
_Static_assert(sizeof(struct xen_domctl_hvmcontext) == 16, "hvmcontext layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_hvmcontext, buffer) == 8, "");

/*
 * XEN_DOMCTL_gethvmcontext_partial: the body of one record, without its
 * descriptor. bufsz is the room in and the body's length out; a null buffer
 * returns only the length. -EINVAL for a type that is not saved this way,
 * -ENOENT for no such vCPU, -ENODATA for a vCPU that is down (no CPU
 * record), -ENOBUFS if bufsz is too small.
 */
struct xen_domctl_hvmcontext_partial {
    uint32_t type;                 /* HVM_SAVE_CODE_* */
    uint32_t instance;             /* the vCPU, for per-vCPU records */
    uint64_t bufsz;
    XEN_GUEST_HANDLE_64(uint8) buffer;
};
_Static_assert(sizeof(struct xen_domctl_hvmcontext_partial) == 24, "hvmcontext_partial layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_hvmcontext_partial, bufsz) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl_hvmcontext_partial, buffer) == 16, "");

/*
 * XEN_DOMCTL_gettscinfo / XEN_DOMCTL_settscinfo. Modes as in the Xen CPUID
 * leaf: 0 default (native when the host TSC is safe and the guest frequency
 * is the host's), 1 always emulate, 2 never emulate (native).
 */
#define XEN_TSC_MODE_DEFAULT         0
#define XEN_TSC_MODE_ALWAYS_EMULATE  1
#define XEN_TSC_MODE_NEVER_EMULATE   2

struct xen_domctl_tsc_info {
    uint32_t tsc_mode;
    uint32_t gtsc_khz;             /* guest TSC frequency, 0 = the host's */
    uint32_t incarnation;
    uint32_t pad;
    uint64_t elapsed_nsec;
};
_Static_assert(sizeof(struct xen_domctl_tsc_info) == 24, "tsc_info layout");
_Static_assert(__builtin_offsetof(struct xen_domctl_tsc_info, elapsed_nsec) == 16, "");

/*
 * XEN_DOMCTL_set_target: xen_domctl.domain (a device model or stub domain)
 * may from now on control target as the control domain would. Once only.
 */
struct xen_domctl_set_target {
    domid_t target;
};
_Static_assert(sizeof(struct xen_domctl_set_target) == 2, "set_target layout");

#define XEN_DOMCTL_createdomain              1
#define XEN_DOMCTL_destroydomain             2
#define XEN_DOMCTL_pausedomain               3
#define XEN_DOMCTL_unpausedomain             4
#define XEN_DOMCTL_getdomaininfo             5
#define XEN_DOMCTL_setvcpuaffinity           9
#define XEN_DOMCTL_shadow_op                10
#define XEN_DOMCTL_max_mem                  11
#define XEN_DOMCTL_setvcpucontext           12
#define XEN_DOMCTL_getvcpucontext           13
#define XEN_DOMCTL_getvcpuinfo              14
#define XEN_DOMCTL_max_vcpus                15
#define XEN_DOMCTL_scheduler_op             16
#define XEN_DOMCTL_setdomainhandle          17
#define XEN_DOMCTL_setdebugging             18
#define XEN_DOMCTL_irq_permission           19
#define XEN_DOMCTL_iomem_permission         20
#define XEN_DOMCTL_ioport_permission        21
#define XEN_DOMCTL_hypercall_init           22
#define XEN_DOMCTL_settimeoffset            24
#define XEN_DOMCTL_getvcpuaffinity          25
#define XEN_DOMCTL_real_mode_area           26
#define XEN_DOMCTL_resumedomain             27
#define XEN_DOMCTL_sendtrigger              28
#define XEN_DOMCTL_subscribe                29
#define XEN_DOMCTL_gethvmcontext            33
#define XEN_DOMCTL_sethvmcontext            34
#define XEN_DOMCTL_set_address_size         35
#define XEN_DOMCTL_get_address_size         36
#define XEN_DOMCTL_assign_device            37
#define XEN_DOMCTL_bind_pt_irq              38
#define XEN_DOMCTL_memory_mapping           39
#define XEN_DOMCTL_ioport_mapping           40
#define XEN_DOMCTL_set_ext_vcpucontext      42
#define XEN_DOMCTL_get_ext_vcpucontext      43
#define XEN_DOMCTL_set_opt_feature          44
#define XEN_DOMCTL_test_assign_device       45
#define XEN_DOMCTL_set_target               46
#define XEN_DOMCTL_deassign_device          47
#define XEN_DOMCTL_unbind_pt_irq            48
#define XEN_DOMCTL_get_device_group         50
#define XEN_DOMCTL_debug_op                 54
#define XEN_DOMCTL_gethvmcontext_partial    55
#define XEN_DOMCTL_vm_event_op              56
#define XEN_DOMCTL_mem_sharing_op           57
#define XEN_DOMCTL_gettscinfo               59
#define XEN_DOMCTL_settscinfo               60
#define XEN_DOMCTL_getpageframeinfo3        61
#define XEN_DOMCTL_setvcpuextstate          62
#define XEN_DOMCTL_getvcpuextstate          63
#define XEN_DOMCTL_set_access_required      64
#define XEN_DOMCTL_audit_p2m                65
#define XEN_DOMCTL_set_virq_handler         66
#define XEN_DOMCTL_set_broken_page_p2m      67
#define XEN_DOMCTL_setnodeaffinity          68
#define XEN_DOMCTL_getnodeaffinity          69
#define XEN_DOMCTL_cacheflush               71
#define XEN_DOMCTL_get_vcpu_msrs            72
#define XEN_DOMCTL_set_vcpu_msrs            73
#define XEN_DOMCTL_setvnumainfo             74
#define XEN_DOMCTL_psr_cmt_op               75
#define XEN_DOMCTL_monitor_op               77
#define XEN_DOMCTL_psr_alloc                78
#define XEN_DOMCTL_soft_reset               79
#define XEN_DOMCTL_vuart_op                 81
#define XEN_DOMCTL_get_cpu_policy           82
#define XEN_DOMCTL_set_cpu_policy           83
#define XEN_DOMCTL_vmtrace_op               84
#define XEN_DOMCTL_get_paging_mempool_size  85
#define XEN_DOMCTL_set_paging_mempool_size  86
#define XEN_DOMCTL_gdbsx_guestmemio       1000
#define XEN_DOMCTL_gdbsx_pausevcpu        1001
#define XEN_DOMCTL_gdbsx_unpausevcpu      1002
#define XEN_DOMCTL_gdbsx_domstatus        1003

struct xen_domctl {
    uint32_t cmd;                  /* XEN_DOMCTL_* */
    uint32_t interface_version;    /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_hvmcontext hvmcontext;
        struct xen_domctl_hvmcontext_partial hvmcontext_partial;
        struct xen_domctl_tsc_info tsc_info;
        struct xen_domctl_set_target set_target;
        uint8_t pad[128];          /* fixes the size for every operation, known or not */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl layout");
_Static_assert(__builtin_offsetof(struct xen_domctl, interface_version) == 4, "");
_Static_assert(__builtin_offsetof(struct xen_domctl, domain) == 8, "");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 16, "");

#endif
