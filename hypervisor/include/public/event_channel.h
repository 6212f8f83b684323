/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_event_channel_op(cmd, XEN_GUEST_HANDLE(void) arg).
 * 2-level event channels: pending/mask bits live in shared_info.
 */
#ifndef XEN_PUBLIC_EVENT_CHANNEL_H
#define XEN_PUBLIC_EVENT_CHANNEL_H

#include "xen-types.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11   /* FIFO ABI; not implemented: -ENOSYS */
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13
#define EVTCHNOP_reset_cont       14

/* A fresh port in dom that remote_dom may bind to. */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    evtchn_port_t port;     /* out */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "");

struct evtchn_bind_interdomain {
    domid_t remote_dom;
    uint16_t pad;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;   /* out */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "");
_Static_assert(__builtin_offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "");

struct evtchn_bind_virq {
    uint32_t virq;          /* VIRQ_* */
    uint32_t vcpu;
    evtchn_port_t port;     /* out */
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "");

#define BIND_PIRQ__WILL_SHARE 1
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;
    evtchn_port_t port;     /* out */
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "");

struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;     /* out */
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "");

struct evtchn_close {
    evtchn_port_t port;
};
struct evtchn_send {
    evtchn_port_t port;
};
struct evtchn_unmask {
    evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_close) == 4, "");

#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

struct evtchn_status {
    domid_t dom;
    uint16_t pad;
    evtchn_port_t port;
    uint32_t status;        /* out: EVTCHNSTAT_* */
    uint32_t vcpu;          /* out: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            uint16_t pad;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "");
_Static_assert(__builtin_offsetof(struct evtchn_status, u) == 16, "");

struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "");

struct evtchn_reset {
    domid_t dom;
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "");

struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;      /* out */
    uint8_t pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "");

struct evtchn_expand_array {
    uint64_t array_gfn;
};
struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "");

/* Argument of the compat hypercall __HYPERVISOR_event_channel_op_compat. */
struct evtchn_op {
    uint32_t cmd;
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } u;
};
_Static_assert(sizeof(struct evtchn_op) == 28, "");
_Static_assert(__builtin_offsetof(struct evtchn_op, u) == 4, "");

#endif
