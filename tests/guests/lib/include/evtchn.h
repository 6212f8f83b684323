/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels for micro-guests (lib/evtchn.c, lib/upcall.S): hypercall
 * wrappers, the upcall vector (HVMOP_set_evtchn_upcall_vector), and a
 * 2-level dispatcher that counts events per port and calls an optional
 * handler, as Linux's drivers/xen/events does.
 *
 * Use: evtchn_init() on vCPU 0 (maps shared_info, builds a full IDT with the
 * upcall gate, registers the vector for vCPU 0, enables interrupts);
 * evtchn_init_vcpu() first thing on every other vCPU. Wait with
 * evtchn_wait_until(): it blocks in SCHEDOP_block with interrupts off, so
 * an event between testing the condition and blocking is never missed. (Not
 * STI;HLT: QEMU before 9.1 drops the STI shadow across an intercepted
 * physical interrupt, so the upcall can run just before the HLT, which then
 * sleeps with nothing left to wake it.)
 *
 * As Linux keeps a per-CPU mask of the ports bound to it, each vCPU here
 * takes only the ports it bound (bind_ipi/bind_virq/bind_vcpu through these
 * wrappers; vCPU 0 for the rest), so one vCPU never swallows another's event.
 */
#ifndef GUEST_EVTCHN_H
#define GUEST_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define EVTCHN_UPCALL_VECTOR 0xf3
#define EVTCHN_GUEST_PORTS   4096   /* 2-level capacity of a 64-bit guest */

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *data);

extern struct shared_info *evtchn_shared;

/* 0 or a negative Xen errno; failures are also reported with test_fail(). */
long evtchn_init(void);
long evtchn_init_vcpu(unsigned int vcpu);
/* Our domain id, from CPUID leaf base+4 (the vCPU id: vcpu_self_id() in guest.h). */
domid_t evtchn_self_id(void);

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data);
/* Events the dispatcher has taken for port so far, and the vCPU that took the last. */
uint32_t evtchn_count(evtchn_port_t port);
unsigned int evtchn_last_vcpu(evtchn_port_t port);

/* The hypercalls; a returned port comes through *port. */
long evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *port);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
long evtchn_unmask(evtchn_port_t port);
long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *out);
long evtchn_reset(domid_t dom);

/* The guest's own bits in shared_info. */
void evtchn_mask(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/*
 * Block until cond(arg) holds, taking events meanwhile. An event that never
 * comes hangs here; the runner's timeout then fails the test.
 */
void evtchn_wait_until(bool (*cond)(void *arg), void *arg);
/* Wait until port has taken at least want events. */
void evtchn_wait_count(evtchn_port_t port, uint32_t want);
/* Wait with "sti; hlt" as Linux idles, instead of SCHEDOP_block (default false). */
extern bool evtchn_wait_with_hlt;

#endif
