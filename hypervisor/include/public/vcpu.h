/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_vcpu_op(cmd, vcpuid, XEN_GUEST_HANDLE(void) arg) */
#ifndef XEN_PUBLIC_VCPU_H
#define XEN_PUBLIC_VCPU_H

#include "xen-types.h"

/*
 * Set the initial state of an offline vCPU. For HVM/PVH guests arg is a
 * struct vcpu_hvm_context (hvm/hvm_vcpu.h, a later milestone).
 */
#define VCPUOP_initialise            0
#define VCPUOP_up                    1   /* arg ignored */
#define VCPUOP_down                  2   /* arg ignored */
#define VCPUOP_is_up                 3   /* returns 1 or 0; arg ignored */

/* arg: struct vcpu_runstate_info (out) */
#define VCPUOP_get_runstate_info     4

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

struct vcpu_runstate_info {
    int32_t state;              /* RUNSTATE_* */
    uint32_t pad;
    uint64_t state_entry_time;  /* system time (ns) of the last change */
    uint64_t time[4];           /* ns spent in each RUNSTATE_* */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "");
_Static_assert(__builtin_offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "");

/* Set in state_entry_time while the hypervisor updates the area
 * (with VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (1ull << 63)

/* Ask the hypervisor to keep a runstate copy at a guest virtual address. */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area {
    uint64_t addr;              /* guest handle of struct vcpu_runstate_info */
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "");

#define VCPUOP_set_periodic_timer    6   /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer   7   /* arg ignored */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "");

/* Fire VIRQ_TIMER once at timeout_abs_ns (system time). */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
#define VCPU_SSHOTTMR_future (1u << 0)  /* -ETIME if already in the past */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
    uint32_t pad;
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "");

/*
 * Move this vCPU's vcpu_info out of shared_info to GFN mfn + offset
 * (the struct must not cross a page boundary). Once only per vCPU.
 */
#define VCPUOP_register_vcpu_info   10
struct vcpu_register_vcpu_info {
    uint64_t mfn;       /* a GFN for auto-translated guests */
    uint32_t offset;
    uint32_t rsvd;      /* must be 0 */
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "");
_Static_assert(__builtin_offsetof(struct vcpu_register_vcpu_info, offset) == 8, "");

#define VCPUOP_send_nmi             11   /* arg ignored */

#define VCPUOP_get_physid           12
struct vcpu_get_physid {
    uint64_t phys_id;
};
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "");
#define xen_vcpu_physid_to_x86_apicid(id)  ((uint32_t)(id))
#define xen_vcpu_physid_to_x86_acpiid(id)  ((uint32_t)((id) >> 32))

/* Like the runstate area, for a second copy of vcpu_time_info. */
#define VCPUOP_register_vcpu_time_memory_area 13
struct vcpu_register_time_memory_area {
    uint64_t addr;      /* guest handle of struct vcpu_time_info */
};
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "");

#endif
