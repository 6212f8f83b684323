/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_sched_op(cmd, XEN_GUEST_HANDLE(void) arg) */
#ifndef XEN_PUBLIC_SCHED_H
#define XEN_PUBLIC_SCHED_H

#include "xen-types.h"

/* Give up the pCPU; arg ignored. */
#define SCHEDOP_yield           0

/* Sleep until an event is pending; arg ignored. */
#define SCHEDOP_block           1

/* Stop the calling domain; arg: struct sched_shutdown. */
#define SCHEDOP_shutdown        2

/* Block until one of the listed ports is pending or timeout (ns, absolute
 * system time; 0 = none) passes; arg: struct sched_poll. */
#define SCHEDOP_poll            3

/* Shut down another domain (privileged); arg: struct sched_remote_shutdown. */
#define SCHEDOP_remote_shutdown 4

/* Record a reason without stopping (used before suspend); arg: sched_shutdown. */
#define SCHEDOP_shutdown_code   5

/*
 * Domain watchdog; arg: struct sched_watchdog.
 *   id == 0, timeout != 0: allocate a watchdog, returns its id (>= 1).
 *   id != 0, timeout != 0: re-arm watchdog id.
 *   id != 0, timeout == 0: free watchdog id.
 * On expiry the domain is shut down with SHUTDOWN_watchdog.
 */
#define SCHEDOP_watchdog        6

/* Temporarily run this vCPU on one pCPU (privileged); arg: sched_pin_override. */
#define SCHEDOP_pin_override    7

/* Shutdown reasons */
#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

struct sched_shutdown {
    uint32_t reason;
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "");

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;
};
_Static_assert(sizeof(struct sched_poll) == 24, "");
_Static_assert(__builtin_offsetof(struct sched_poll, timeout) == 16, "");

struct sched_remote_shutdown {
    domid_t domain_id;
    uint16_t pad;
    uint32_t reason;
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "");
_Static_assert(__builtin_offsetof(struct sched_remote_shutdown, reason) == 4, "");

struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;   /* seconds */
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "");

struct sched_pin_override {
    int32_t pcpu;       /* -1 ends the override */
};
_Static_assert(sizeof(struct sched_pin_override) == 4, "");

#endif
