/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI (common/event_channel.c).
 *
 * Delivery follows Xen's rules as Linux's drivers/xen/events/ reads them:
 * sending sets the port's bit in shared_info->evtchn_pending; if the port is
 * not masked in shared_info->evtchn_mask and the bit was newly set, the
 * notified vCPU's vcpu_info->evtchn_pending_sel gets bit (port / 64); if that
 * bit was newly set and vcpu_info->evtchn_upcall_pending was 0, it becomes 1
 * and vcpu_kick() is called. Unmasking a pending port re-runs the same
 * selector/upcall steps.
 *
 * Lock order: each domain's event lock; two domains' locks in address order.
 */
#ifndef XENON_EVENT_H
#define XENON_EVENT_H

#include <xenon/types.h>
#include <public/xen-types.h>

struct domain;
struct vcpu;
struct hypercall_args;

/* 2-level ABI capacity for 64-bit guests: 64 * 64 ports. */
#define EVTCHN_2L_MAX_PORTS 4096
/* Default per-domain limit on ports (Xen's default for guests is 1023). */
#define EVTCHN_DEFAULT_MAX_PORTS 1023

/* Allocate the domain's event state; ports [0, max_ports]. Port 0 is reserved. */
int evtchn_domain_init(struct domain *d, unsigned int max_ports);
/*
 * Close every port (interdomain peers' ends go back to unbound, waiting for
 * this domain id) and free the state. Idempotent; accepts a half-built domain.
 */
void evtchn_domain_destroy(struct domain *d);

long do_event_channel_op(struct vcpu *v, const struct hypercall_args *args);

/*
 * The hypervisor opens an unbound port in d that domain remote may bind, as
 * EVTCHNOP_alloc_unbound would on d's behalf (a boot domain's xenstore port
 * for domain 0). The lowest free port; 0, or -ENOSPC / -ESRCH (no event state).
 */
int evtchn_alloc_unbound_port(struct domain *d, domid_t remote, evtchn_port_t *port);

/* Raise a per-vCPU VIRQ (e.g. VIRQ_TIMER) if v bound it; no-op otherwise. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
/* Raise a global VIRQ (e.g. VIRQ_DOM_EXC) if bound, on the vCPU bound to it. */
void evtchn_send_global_virq(struct domain *d, unsigned int virq);
/* For SCHEDOP_poll: is this port of d pending? false if out of range. */
bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port);
/*
 * SCHEDOP_poll (ports already copied from the guest): block v until one of
 * them is pending, masked or not, or system time reaches timeout (0: none).
 * Returns at once if one is pending already; -EINVAL if a port is out of
 * range or there are more than 128. Any event for v's domain may wake it
 * early: the guest looks again, as with Xen.
 */
long evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr_ports,
                 uint64_t timeout);

/*
 * Provided outside event_channel.c (common/domain.c): v's upcall became
 * pending; make the guest take its callback vector (and wake v if blocked).
 */
void vcpu_kick(struct vcpu *v);

#endif
