/* SPDX-License-Identifier: MIT */
/*
 * Core of the Xen guest ABI as Xenon implements it (x86-64 only):
 * hypercall numbers, special domain ids, console_io, virtual IRQs and the
 * shared_info / vcpu_info pages.
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include "xen-types.h"
#include "arch-x86/xen.h"

/* Hypercall numbers (index into the hypercall page, 32 bytes per stub). */
#define __HYPERVISOR_set_trap_table                0
#define __HYPERVISOR_mmu_update                    1
#define __HYPERVISOR_set_gdt                       2
#define __HYPERVISOR_stack_switch                  3
#define __HYPERVISOR_set_callbacks                 4
#define __HYPERVISOR_fpu_taskswitch                5
#define __HYPERVISOR_sched_op_compat               6
#define __HYPERVISOR_platform_op                   7
#define __HYPERVISOR_set_debugreg                  8
#define __HYPERVISOR_get_debugreg                  9
#define __HYPERVISOR_update_descriptor            10
#define __HYPERVISOR_memory_op                    12
#define __HYPERVISOR_multicall                    13
#define __HYPERVISOR_update_va_mapping            14
#define __HYPERVISOR_set_timer_op                 15
#define __HYPERVISOR_event_channel_op_compat      16
#define __HYPERVISOR_xen_version                  17
#define __HYPERVISOR_console_io                   18
#define __HYPERVISOR_physdev_op_compat            19
#define __HYPERVISOR_grant_table_op               20
#define __HYPERVISOR_vm_assist                    21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                         23
#define __HYPERVISOR_vcpu_op                      24
#define __HYPERVISOR_set_segment_base             25
#define __HYPERVISOR_mmuext_op                    26
#define __HYPERVISOR_xsm_op                       27
#define __HYPERVISOR_nmi_op                       28
#define __HYPERVISOR_sched_op                     29
#define __HYPERVISOR_callback_op                  30
#define __HYPERVISOR_xenoprof_op                  31
#define __HYPERVISOR_event_channel_op             32
#define __HYPERVISOR_physdev_op                   33
#define __HYPERVISOR_hvm_op                       34
#define __HYPERVISOR_sysctl                       35
#define __HYPERVISOR_domctl                       36
#define __HYPERVISOR_kexec_op                     37
#define __HYPERVISOR_tmem_op                      38
#define __HYPERVISOR_argo_op                      39
#define __HYPERVISOR_xenpmu_op                    40
#define __HYPERVISOR_dm_op                        41
#define __HYPERVISOR_hypfs_op                     42
#define __HYPERVISOR_arch_0                       48
#define __HYPERVISOR_arch_1                       49
#define __HYPERVISOR_arch_2                       50
#define __HYPERVISOR_arch_3                       51
#define __HYPERVISOR_arch_4                       52
#define __HYPERVISOR_arch_5                       53
#define __HYPERVISOR_arch_6                       54
#define __HYPERVISOR_arch_7                       55
/* x86 machine-check hypercall lives in the arch range. */
#define __HYPERVISOR_mca                          __HYPERVISOR_arch_0

/* One page of 32-byte stubs holds 128 hypercalls. */
#define XEN_NR_HYPERCALLS                         128

/* Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER       0  /* per vCPU: the one-shot / periodic timer */
#define VIRQ_DEBUG       1
#define VIRQ_CONSOLE     2  /* global: console input for the privileged domain */
#define VIRQ_DOM_EXC     3  /* global: a domain changed state (for dom0) */
#define VIRQ_TBUF        4
#define VIRQ_DEBUGGER    6
#define VIRQ_XENOPROF    7
#define VIRQ_CON_RING    8
#define VIRQ_PCPU_STATE  9
#define VIRQ_MEM_EVENT  10
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12
#define VIRQ_XENPMU     13
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* Domain ids from 0x7FF0 up are not domains but names for special roles. */
#define DOMID_FIRST_RESERVED 0x7FF0u
#define DOMID_SELF           0x7FF0u
#define DOMID_IO             0x7FF1u
#define DOMID_XEN            0x7FF2u
#define DOMID_COW            0x7FF3u
#define DOMID_INVALID        0x7FF4u
#define DOMID_IDLE           0x7FFFu
#define DOMID_MASK           0x7FFFu

/* HYPERVISOR_console_io(cmd, count, XEN_GUEST_HANDLE(char) buffer) */
#define CONSOLEIO_write 0   /* returns 0 or -errno */
#define CONSOLEIO_read  1   /* returns bytes read (0 if none pending) */

/* HYPERVISOR_vm_assist(cmd, type) */
#define VMASST_CMD_enable                 0
#define VMASST_CMD_disable                1
#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32

/* HYPERVISOR_multicall(XEN_GUEST_HANDLE(multicall_entry) calls, nr) */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry layout");

/*
 * pvclock: system time in ns = system_time +
 *   ((rdtsc() - tsc_timestamp) << tsc_shift (right shift if negative)) *
 *   tsc_to_system_mul >> 32.
 * The hypervisor makes version odd while updating and even when done.
 */
#define XEN_PVCLOCK_TSC_STABLE_BIT  (1u << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1u << 1)

struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;
    uint8_t  pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info layout");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, tsc_timestamp) == 8, "");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, system_time) == 16, "");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, tsc_shift) == 28, "");
_Static_assert(__builtin_offsetof(struct vcpu_time_info, flags) == 29, "");

/*
 * Per-vCPU event state. evtchn_upcall_pending is set by the hypervisor, the
 * guest clears it; evtchn_pending_sel has one bit per word of
 * shared_info.evtchn_pending (2-level event channels).
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad0[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info layout");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "");
_Static_assert(__builtin_offsetof(struct vcpu_info, arch) == 16, "");
_Static_assert(__builtin_offsetof(struct vcpu_info, time) == 32, "");

/* Only the first 32 vCPUs have a slot in shared_info; the rest must
 * register a vcpu_info elsewhere (VCPUOP_register_vcpu_info). */
#define XEN_LEGACY_MAX_VCPUS 32
#define XEN_BITS_PER_LONG    64
/* 2-level event channels: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS (XEN_BITS_PER_LONG * XEN_BITS_PER_LONG)

/*
 * The shared_info page (XENMAPSPACE_shared_info). Wallclock: the time of
 * day at system_time 0 is wc_sec_hi:wc_sec seconds + wc_nsec since the
 * epoch; wc_version follows the same odd/even protocol as pvclock.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[XEN_BITS_PER_LONG];
    xen_ulong_t evtchn_mask[XEN_BITS_PER_LONG];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 2048, "");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 2560, "");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 3072, "");
_Static_assert(__builtin_offsetof(struct shared_info, wc_sec) == 3076, "");
_Static_assert(__builtin_offsetof(struct shared_info, wc_nsec) == 3080, "");
_Static_assert(__builtin_offsetof(struct shared_info, wc_sec_hi) == 3084, "");
_Static_assert(__builtin_offsetof(struct shared_info, arch) == 3088, "");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info layout");
_Static_assert(sizeof(struct shared_info) <= XEN_PAGE_SIZE, "fits a page");

#endif
