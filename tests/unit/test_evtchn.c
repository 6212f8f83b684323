// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels (common/event_channel.c): the port state machine, the
 * 2-level delivery rules, error paths and teardown, against small fakes of
 * the domain list, guest memory (a guest address is a host pointer here),
 * the page allocator, access control, the scheduler and timers.
 */
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/mm.h>
#include <xenon/sched.h>
#include <xenon/timer.h>
#include <xenon/xsm.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>

#define NR_TEST_VCPUS 2
#define MAX_TEST_DOMS 8

/* ---- Fakes ---- */

static struct domain *doms[MAX_TEST_DOMS];
static unsigned int kicks[MAX_TEST_DOMS][NR_TEST_VCPUS];
static bool deny_unbound, deny_interdomain, deny_control;
static uint64_t fake_now = 1000;

struct domain *domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < MAX_TEST_DOMS; i++)
        if (doms[i] && doms[i]->id == id)
            return doms[i];
    return NULL;
}

/* As sched_wake: a blocked vCPU becomes runnable. */
void vcpu_kick(struct vcpu *v)
{
    kicks[v->domain->id][v->id]++;
    if (v->state == VCPU_BLOCKED)
        v->state = VCPU_RUNNABLE;
}

void sched_block(struct vcpu *v)
{
    if (!v->vcpu_info->evtchn_upcall_pending && v->state == VCPU_RUNNABLE)
        v->state = VCPU_BLOCKED;
}

int xsm_evtchn_unbound(const struct domain *caller, const struct domain *d)
{
    return caller != d && deny_unbound ? -EPERM : 0;
}

int xsm_evtchn_interdomain(const struct domain *local, const struct domain *remote)
{
    return deny_interdomain ? -EPERM : 0;
}

int xsm_domain_control(const struct domain *caller, const struct domain *target)
{
    return caller != target && deny_control ? -EPERM : 0;
}

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    *t = (struct timer){ .fn = fn, .data = data };
}

static struct timer *last_timer; /* the last one armed */

void timer_set(struct timer *t, uint64_t expires)
{
    last_timer = t;
    t->expires = expires;
    t->active = true;
}

void timer_stop(struct timer *t) { t->active = false; }

uint64_t now_ns(void) { return fake_now; }

/* ---- Helpers ---- */

static struct domain *make_domain(domid_t id, unsigned int max_ports)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->id = id;
    d->nr_vcpus = NR_TEST_VCPUS;
    d->shared_info = calloc(1, sizeof(*d->shared_info));
    for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        v->domain = d;
        v->id = i;
        v->state = VCPU_RUNNABLE;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        d->vcpus[i] = v;
    }
    CHECK_EQ(evtchn_domain_init(d, max_ports), 0);
    for (unsigned int i = 0; i < MAX_TEST_DOMS; i++) {
        if (!doms[i]) {
            doms[i] = d;
            break;
        }
    }
    memset(kicks[id], 0, sizeof(kicks[id]));
    return d;
}

/* As domain_destroy: unlinked, vCPUs gone, then the event state. */
static void drop_domain(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_TEST_DOMS; i++)
        if (doms[i] == d)
            doms[i] = NULL;
    for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
        free(d->vcpus[i]);
        d->vcpus[i] = NULL;
    }
    evtchn_domain_destroy(d);
    CHECK(d->evtchn == NULL);
    free(d->shared_info);
    free(d);
}

static long op(struct domain *d, unsigned int vcpu, uint64_t cmd, void *arg)
{
    struct hypercall_args a = { __HYPERVISOR_event_channel_op, { cmd, (uint64_t)(uintptr_t)arg } };

    return do_event_channel_op(d->vcpus[vcpu], &a);
}

static long alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = op(d, 0, EVTCHNOP_alloc_unbound, &a);

    *port = a.port;
    return rc;
}

static long bind_interdomain(struct domain *d, domid_t remote, evtchn_port_t rport,
                             evtchn_port_t *port)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = rport };
    long rc = op(d, 0, EVTCHNOP_bind_interdomain, &b);

    *port = b.local_port;
    return rc;
}

static long send(struct domain *d, evtchn_port_t port)
{
    struct evtchn_send s = { port };

    return op(d, 0, EVTCHNOP_send, &s);
}

static long close_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn_close c = { port };

    return op(d, 0, EVTCHNOP_close, &c);
}

static long status(struct domain *d, domid_t dom, evtchn_port_t port, struct evtchn_status *s)
{
    *s = (struct evtchn_status){ .dom = dom, .port = port };
    return op(d, 0, EVTCHNOP_status, s);
}

static long bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = op(d, 0, EVTCHNOP_bind_virq, &b);

    *port = b.port;
    return rc;
}

static long bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = op(d, 0, EVTCHNOP_bind_ipi, &b);

    *port = b.port;
    return rc;
}

static long bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { port, vcpu };

    return op(d, 0, EVTCHNOP_bind_vcpu, &b);
}

static long unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn_unmask u = { port };

    return op(d, 0, EVTCHNOP_unmask, &u);
}

static bool pending(struct domain *d, evtchn_port_t port)
{
    return (d->shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void set_mask(struct domain *d, evtchn_port_t port)
{
    d->shared_info->evtchn_mask[port / 64] |= 1ull << (port % 64);
}

/* What a guest's upcall handler does once it has consumed everything. */
static void guest_ack_all(struct domain *d)
{
    memset(d->shared_info->evtchn_pending, 0, sizeof(d->shared_info->evtchn_pending));
    for (unsigned int i = 0; i < NR_TEST_VCPUS; i++) {
        d->shared_info->vcpu_info[i].evtchn_pending_sel = 0;
        d->shared_info->vcpu_info[i].evtchn_upcall_pending = 0;
    }
    memset(kicks[d->id], 0, sizeof(kicks[d->id]));
}

/* d2 offers a port to d1, d1 binds it; both ports out, all events cleared. */
static void connect_pair(struct domain *d1, struct domain *d2, evtchn_port_t *p1, evtchn_port_t *p2)
{
    CHECK_EQ(alloc_unbound(d2, d1->id, p2), 0);
    CHECK_EQ(bind_interdomain(d1, d2->id, *p2, p1), 0);
    guest_ack_all(d1);
    guest_ack_all(d2);
}

static void end_test(void)
{
    for (unsigned int i = 0; i < MAX_TEST_DOMS; i++)
        if (doms[i])
            drop_domain(doms[i]);
    CHECK_EQ(unit_live_pages, 0);
    CHECK_EQ(unit_panics, 0);
    deny_unbound = deny_interdomain = deny_control = false;
    unit_allocs_left = -1;
    unit_readonly_gva = 0;
}

/* ---- Cases ---- */

TEST(interdomain_send_sets_bits)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct vcpu_info *vi2 = &d2->shared_info->vcpu_info[0];
    evtchn_port_t p1, p2;

    CHECK_EQ(alloc_unbound(d2, 1, &p2), 0);
    CHECK_EQ(p2, 1); /* lowest free port: numbers are predictable */
    CHECK_EQ(bind_interdomain(d1, 2, p2, &p1), 0);
    CHECK_EQ(p1, 1);
    /* Xen notifies the new local port once, for events lost while unbound. */
    CHECK(pending(d1, p1));
    CHECK_EQ(d1->shared_info->vcpu_info[0].evtchn_pending_sel, 1);
    CHECK_EQ(d1->shared_info->vcpu_info[0].evtchn_upcall_pending, 1);
    CHECK_EQ(kicks[1][0], 1);
    guest_ack_all(d1);

    CHECK_EQ(send(d1, p1), 0);
    CHECK(pending(d2, p2));
    CHECK_EQ(vi2->evtchn_pending_sel, 1ull << (p2 / 64));
    CHECK_EQ(vi2->evtchn_upcall_pending, 1);
    CHECK_EQ(kicks[2][0], 1);
    CHECK(!pending(d1, p1));
    /* Already pending: nothing more happens. */
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(kicks[2][0], 1);
    /* Port consumed but selector and upcall still set: no new kick. */
    d2->shared_info->evtchn_pending[0] = 0;
    CHECK_EQ(send(d1, p1), 0);
    CHECK(pending(d2, p2));
    CHECK_EQ(kicks[2][0], 1);
    /* Selector cleared but upcall still pending: selector set again, no kick. */
    d2->shared_info->evtchn_pending[0] = 0;
    vi2->evtchn_pending_sel = 0;
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(vi2->evtchn_pending_sel, 1);
    CHECK_EQ(kicks[2][0], 1);
    /* And back the other way. */
    CHECK_EQ(send(d2, p2), 0);
    CHECK(pending(d1, p1));
    CHECK_EQ(kicks[1][0], 1);
    CHECK(evtchn_port_is_pending(d1, p1));
    CHECK(!evtchn_port_is_pending(d1, EVTCHN_DEFAULT_MAX_PORTS + 1));
    end_test();
}

TEST(selector_word_follows_port)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t p1, p2, filler;

    for (unsigned int i = 1; i < 130; i++)
        CHECK_EQ(alloc_unbound(d2, 7, &filler), 0);
    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(p2, 130);
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(d2->shared_info->evtchn_pending[2], 1ull << (130 % 64));
    CHECK_EQ(d2->shared_info->vcpu_info[0].evtchn_pending_sel, 1ull << 2);
    end_test();
}

TEST(masked_port_then_unmask)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct vcpu_info *vi2 = &d2->shared_info->vcpu_info[0];
    evtchn_port_t p1, p2, other;

    connect_pair(d1, d2, &p1, &p2);
    set_mask(d2, p2);
    CHECK_EQ(send(d1, p1), 0);
    CHECK(pending(d2, p2));
    CHECK_EQ(vi2->evtchn_pending_sel, 0);
    CHECK_EQ(vi2->evtchn_upcall_pending, 0);
    CHECK_EQ(kicks[2][0], 0);
    CHECK_EQ(unmask(d2, p2), 0);
    CHECK_EQ(d2->shared_info->evtchn_mask[0], 0);
    CHECK_EQ(vi2->evtchn_pending_sel, 1);
    CHECK_EQ(vi2->evtchn_upcall_pending, 1);
    CHECK_EQ(kicks[2][0], 1);
    /* Unmasking a port that is not pending only clears the mask. */
    guest_ack_all(d2);
    CHECK_EQ(alloc_unbound(d2, 1, &other), 0);
    set_mask(d2, other);
    CHECK_EQ(unmask(d2, other), 0);
    CHECK_EQ(d2->shared_info->evtchn_mask[0], 0);
    CHECK_EQ(vi2->evtchn_upcall_pending, 0);
    CHECK_EQ(kicks[2][0], 0);
    end_test();
}

TEST(close_returns_peer_to_unbound)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_status s;
    evtchn_port_t p1, p2;

    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(send(d2, p2), 0);
    CHECK(pending(d1, p1));
    CHECK_EQ(close_port(d1, p1), 0);
    CHECK(!pending(d1, p1)); /* a re-used port starts clean */
    CHECK_EQ(status(d1, DOMID_SELF, p1, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_closed);
    CHECK_EQ(status(d2, DOMID_SELF, p2, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 1);
    /* Sending on the now-unbound end is dropped silently, as in Xen. */
    guest_ack_all(d1);
    CHECK_EQ(send(d2, p2), 0);
    CHECK_EQ(kicks[1][0], 0);
    CHECK_EQ(close_port(d1, p1), -EINVAL);
    /* d1 may bind the same port again. */
    CHECK_EQ(bind_interdomain(d1, 2, p2, &p1), 0);
    CHECK_EQ(status(d2, DOMID_SELF, p2, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s.u.interdomain.port, p1);
    end_test();
}

TEST(status_of_each_kind)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_status s;
    evtchn_port_t p1, p2, unbound, virq, ipi;

    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(alloc_unbound(d1, 5, &unbound), 0);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 1, &virq), 0);
    CHECK_EQ(bind_ipi(d1, 1, &ipi), 0);

    CHECK_EQ(status(d1, DOMID_SELF, 0, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_closed);
    CHECK_EQ(status(d1, DOMID_SELF, 100, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_closed);
    CHECK_EQ(status(d1, DOMID_SELF, p1, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s.u.interdomain.dom, 2);
    CHECK_EQ(s.u.interdomain.port, p2);
    CHECK_EQ(s.vcpu, 0);
    CHECK_EQ(status(d1, 1, unbound, &s), 0); /* own id works like DOMID_SELF */
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 5);
    CHECK_EQ(status(d1, DOMID_SELF, virq, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_virq);
    CHECK_EQ(s.u.virq, VIRQ_TIMER);
    CHECK_EQ(s.vcpu, 1);
    CHECK_EQ(status(d1, DOMID_SELF, ipi, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_ipi);
    CHECK_EQ(s.vcpu, 1);
    /* Another domain's port, policy permitting. */
    CHECK_EQ(status(d1, 2, p2, &s), 0);
    CHECK_EQ(s.u.interdomain.dom, 1);
    CHECK_EQ(s.u.interdomain.port, p1);
    CHECK_EQ(status(d1, 9, 1, &s), -ESRCH);
    CHECK_EQ(status(d1, DOMID_SELF, EVTCHN_DEFAULT_MAX_PORTS + 1, &s), -EINVAL);
    end_test();
}

TEST(reset_closes_everything)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_reset r = { DOMID_SELF };
    struct evtchn_status s;
    evtchn_port_t p1, p2, virq, ipi, unbound;

    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &virq), 0);
    CHECK_EQ(bind_ipi(d1, 0, &ipi), 0);
    CHECK_EQ(alloc_unbound(d1, 2, &unbound), 0);
    CHECK_EQ(op(d1, 0, EVTCHNOP_reset, &r), 0);
    for (evtchn_port_t p = 1; p <= 4; p++) {
        CHECK_EQ(status(d1, DOMID_SELF, p, &s), 0);
        CHECK_EQ(s.status, EVTCHNSTAT_closed);
    }
    CHECK_EQ(status(d2, DOMID_SELF, p2, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 1);
    /* The VIRQ table was cleared too: it binds again, and fires. */
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &virq), 0);
    CHECK_EQ(virq, 1);
    evtchn_send_virq(d1->vcpus[0], VIRQ_TIMER);
    CHECK(pending(d1, virq));
    /* Another domain's reset needs control over it. */
    r.dom = 2;
    deny_control = true;
    CHECK_EQ(op(d1, 0, EVTCHNOP_reset, &r), -EPERM);
    deny_control = false;
    CHECK_EQ(op(d1, 0, EVTCHNOP_reset, &r), 0);
    CHECK_EQ(status(d2, DOMID_SELF, p2, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_closed);
    r.dom = 9;
    CHECK_EQ(op(d1, 0, EVTCHNOP_reset, &r), -ESRCH);
    CHECK_EQ(op(d1, 0, EVTCHNOP_reset_cont, &(struct evtchn_reset){ DOMID_SELF }), 0);
    end_test();
}

TEST(virq_binding)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t t0, t1, exc, dummy;

    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &t0), 0);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &dummy), -EEXIST);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 1, &t1), 0); /* per-vCPU: a second vCPU may */
    CHECK_EQ(bind_virq(d1, VIRQ_DOM_EXC, 1, &dummy), -EINVAL); /* global: vCPU 0 only */
    CHECK_EQ(bind_virq(d1, VIRQ_DOM_EXC, 0, &exc), 0);
    CHECK_EQ(bind_virq(d1, VIRQ_DOM_EXC, 0, &dummy), -EEXIST);
    CHECK_EQ(bind_virq(d1, NR_VIRQS, 0, &dummy), -EINVAL);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, NR_TEST_VCPUS, &dummy), -ENOENT);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 1000, &dummy), -ENOENT);

    evtchn_send_virq(d1->vcpus[1], VIRQ_TIMER);
    CHECK(pending(d1, t1));
    CHECK(!pending(d1, t0));
    CHECK_EQ(d1->shared_info->vcpu_info[1].evtchn_upcall_pending, 1);
    CHECK_EQ(d1->shared_info->vcpu_info[0].evtchn_upcall_pending, 0);
    CHECK_EQ(kicks[1][1], 1);
    /* A global VIRQ follows bind_vcpu; sending it per-vCPU is ignored. */
    evtchn_send_virq(d1->vcpus[0], VIRQ_DOM_EXC);
    CHECK(!pending(d1, exc));
    CHECK_EQ(bind_vcpu(d1, exc, 1), 0);
    evtchn_send_global_virq(d1, VIRQ_DOM_EXC);
    CHECK(pending(d1, exc));
    CHECK_EQ(d1->shared_info->vcpu_info[1].evtchn_pending_sel, 1);
    /* Unbound VIRQs and bad numbers are no-ops. */
    evtchn_send_virq(d1->vcpus[0], VIRQ_DEBUG);
    evtchn_send_virq(d1->vcpus[0], 1000);
    evtchn_send_global_virq(d1, 1000);
    /* Closing frees the VIRQ for another binding. */
    CHECK_EQ(close_port(d1, t0), 0);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &t0), 0);
    end_test();
}

TEST(ipi_and_bind_vcpu)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t ipi, p1, p2, timer;

    CHECK_EQ(bind_ipi(d1, 1, &ipi), 0);
    CHECK_EQ(bind_ipi(d1, 2, &p1), -ENOENT);
    CHECK_EQ(send(d1, ipi), 0);
    CHECK(pending(d1, ipi));
    CHECK_EQ(d1->shared_info->vcpu_info[1].evtchn_upcall_pending, 1);
    CHECK_EQ(d1->shared_info->vcpu_info[0].evtchn_upcall_pending, 0);
    CHECK_EQ(kicks[1][1], 1);
    CHECK_EQ(bind_vcpu(d1, ipi, 0), -EINVAL);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &timer), 0);
    CHECK_EQ(bind_vcpu(d1, timer, 1), -EINVAL);
    guest_ack_all(d1);

    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(bind_vcpu(d2, p2, 1), 0);
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(d2->shared_info->vcpu_info[1].evtchn_upcall_pending, 1);
    CHECK_EQ(d2->shared_info->vcpu_info[0].evtchn_upcall_pending, 0);
    CHECK_EQ(kicks[2][1], 1);
    CHECK_EQ(bind_vcpu(d2, p2, 5), -ENOENT);
    CHECK_EQ(bind_vcpu(d2, 999, 0), -EINVAL); /* free port */
    CHECK_EQ(bind_vcpu(d2, EVTCHN_DEFAULT_MAX_PORTS + 1, 0), -EINVAL);
    end_test();
}

TEST(bad_ports)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t big[] = { EVTCHN_DEFAULT_MAX_PORTS + 1, EVTCHN_2L_MAX_PORTS, 0xffffffffu };
    struct evtchn_status s;
    evtchn_port_t port;

    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(send(d1, big[i]), -EINVAL);
        CHECK_EQ(close_port(d1, big[i]), -EINVAL);
        CHECK_EQ(unmask(d1, big[i]), -EINVAL);
        CHECK_EQ(status(d1, DOMID_SELF, big[i], &s), -EINVAL);
        CHECK_EQ(bind_vcpu(d1, big[i], 0), -EINVAL);
        CHECK_EQ(bind_interdomain(d1, 2, big[i], &port), -EINVAL);
    }
    /* Port 0 is reserved; free ports are not open. */
    CHECK_EQ(send(d1, 0), -EINVAL);
    CHECK_EQ(close_port(d1, 0), -EINVAL);
    CHECK_EQ(send(d1, 5), -EINVAL);
    CHECK_EQ(close_port(d1, 5), -EINVAL);
    CHECK_EQ(bind_interdomain(d1, 2, 0, &port), -EINVAL);
    /* Nothing was allocated by any of that, here or in d2. */
    CHECK_EQ(alloc_unbound(d1, 2, &port), 0);
    CHECK_EQ(port, 1);
    CHECK_EQ(alloc_unbound(d2, 1, &port), 0);
    CHECK_EQ(port, 1);
    end_test();
}

TEST(port_limit_enospc)
{
    struct domain *d1 = make_domain(1, 8);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t port, rport;

    for (unsigned int i = 1; i <= 8; i++) {
        CHECK_EQ(alloc_unbound(d1, 2, &port), 0);
        CHECK_EQ(port, i);
    }
    CHECK_EQ(alloc_unbound(d1, 2, &port), -ENOSPC);
    CHECK_EQ(bind_ipi(d1, 0, &port), -ENOSPC);
    CHECK_EQ(bind_virq(d1, VIRQ_TIMER, 0, &port), -ENOSPC);
    CHECK_EQ(alloc_unbound(d2, 1, &rport), 0);
    CHECK_EQ(bind_interdomain(d1, 2, rport, &port), -ENOSPC);
    CHECK_EQ(close_port(d1, 5), 0);
    CHECK_EQ(bind_interdomain(d1, 2, rport, &port), 0);
    CHECK_EQ(port, 5);
    CHECK_EQ(send(d1, 9), -EINVAL); /* beyond max_ports */
    end_test();
}

TEST(bind_without_offer_einval)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d3 = make_domain(3, EVTCHN_DEFAULT_MAX_PORTS);
    evtchn_port_t port, p3, p1, p2;

    CHECK_EQ(bind_interdomain(d1, 2, 1, &port), -EINVAL); /* d2 offered nothing */
    CHECK_EQ(alloc_unbound(d2, 3, &p3), 0);               /* offered to d3, not d1 */
    CHECK_EQ(bind_interdomain(d1, 2, p3, &port), -EINVAL);
    CHECK_EQ(bind_interdomain(d1, 9, 1, &port), -ESRCH);
    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(bind_interdomain(d3, 2, p2, &port), -EINVAL); /* already connected */
    CHECK_EQ(bind_interdomain(d3, 2, p3, &port), 0);
    CHECK_EQ(bind_interdomain(d3, 2, p3, &port), -EINVAL); /* twice */
    end_test();
}

TEST(xsm_denial_eperm)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_alloc_unbound a = { .dom = 2, .remote_dom = 1 };
    struct evtchn_status s;
    evtchn_port_t port, p2;

    deny_unbound = true;
    CHECK_EQ(op(d1, 0, EVTCHNOP_alloc_unbound, &a), -EPERM);
    a.dom = 9;
    CHECK_EQ(op(d1, 0, EVTCHNOP_alloc_unbound, &a), -ESRCH);
    deny_unbound = false;
    a.dom = 2;
    CHECK_EQ(op(d1, 0, EVTCHNOP_alloc_unbound, &a), 0); /* d1 allocates in d2 for itself */
    CHECK_EQ(a.port, 1);
    deny_control = true;
    CHECK_EQ(status(d1, 2, a.port, &s), -EPERM);
    deny_control = false;
    CHECK_EQ(status(d1, 2, a.port, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 1);

    CHECK_EQ(alloc_unbound(d2, 1, &p2), 0);
    deny_interdomain = true;
    CHECK_EQ(bind_interdomain(d1, 2, p2, &port), -EPERM);
    deny_interdomain = false;
    CHECK_EQ(bind_interdomain(d1, 2, p2, &port), 0);
    CHECK_EQ(port, 1); /* the denied attempt allocated nothing */
    end_test();
}

TEST(destroy_with_bound_channel)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_status s;
    evtchn_port_t p1, p2, loop_a, loop_b, virq;

    connect_pair(d1, d2, &p1, &p2);
    CHECK_EQ(alloc_unbound(d2, 2, &loop_a), 0);
    CHECK_EQ(bind_interdomain(d2, DOMID_SELF, loop_a, &loop_b), 0);
    CHECK_EQ(bind_virq(d2, VIRQ_TIMER, 0, &virq), 0);
    drop_domain(d2);
    CHECK_EQ(status(d1, DOMID_SELF, p1, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 2);
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(bind_interdomain(d1, 2, 1, &p2), -ESRCH);
    /* A new domain 2 may bind the waiting port. */
    d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    CHECK_EQ(bind_interdomain(d2, 1, p1, &p2), 0);
    CHECK_EQ(send(d1, p1), 0);
    CHECK(pending(d2, p2));
    /* Destroy is idempotent and accepts a domain that never got event state. */
    evtchn_domain_destroy(d2);
    evtchn_domain_destroy(d2);
    CHECK_EQ(status(d1, DOMID_SELF, p1, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    end_test();
}

TEST(loopback_channel)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_status s;
    evtchn_port_t a, b;

    CHECK_EQ(alloc_unbound(d1, DOMID_SELF, &a), 0);
    CHECK_EQ(bind_interdomain(d1, DOMID_SELF, a, &b), 0);
    guest_ack_all(d1);
    CHECK_EQ(send(d1, a), 0);
    CHECK(pending(d1, b));
    CHECK(!pending(d1, a));
    CHECK_EQ(send(d1, b), 0);
    CHECK(pending(d1, a));
    CHECK_EQ(close_port(d1, b), 0);
    CHECK_EQ(status(d1, DOMID_SELF, a, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 1);
    end_test();
}

TEST(bad_pointers_and_unknown_ops)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 2 };
    struct evtchn_init_control ic = { 0 };
    evtchn_port_t port;

    CHECK_EQ(op(d1, 0, EVTCHNOP_alloc_unbound, NULL), -EFAULT);
    CHECK_EQ(op(d1, 0, EVTCHNOP_send, (void *)(uintptr_t)BAD_GVA), -EFAULT);
    CHECK_EQ(op(d1, 0, EVTCHNOP_status, NULL), -EFAULT);
    /* A result that cannot be written back: refused before anything changes. */
    unit_readonly_gva = (uint64_t)(uintptr_t)&a;
    CHECK_EQ(op(d1, 0, EVTCHNOP_alloc_unbound, &a), -EFAULT);
    unit_readonly_gva = 0;
    CHECK_EQ(alloc_unbound(d1, 2, &port), 0);
    CHECK_EQ(port, 1);
    CHECK_EQ(op(d1, 0, EVTCHNOP_init_control, &ic), -ENOSYS);
    CHECK_EQ(op(d1, 0, EVTCHNOP_expand_array, &ic), -ENOSYS);
    CHECK_EQ(op(d1, 0, EVTCHNOP_set_priority, &ic), -ENOSYS);
    CHECK_EQ(op(d1, 0, EVTCHNOP_bind_pirq, &ic), -ENOSYS);
    CHECK_EQ(op(d1, 0, 99, &ic), -ENOSYS);
    CHECK_EQ(op(d1, 0, 1ull << 40, &ic), -ENOSYS);
    end_test();
}

TEST(init_limits_and_alloc_failure)
{
    struct domain d = { .id = 5 };

    CHECK_EQ(evtchn_domain_init(&d, 0), -EINVAL);
    CHECK_EQ(evtchn_domain_init(&d, EVTCHN_2L_MAX_PORTS), -EINVAL);
    unit_allocs_left = 0;
    CHECK_EQ(evtchn_domain_init(&d, EVTCHN_DEFAULT_MAX_PORTS), -ENOMEM);
    unit_allocs_left = -1;
    CHECK(d.evtchn == NULL);
    evtchn_domain_destroy(&d); /* half-built: nothing to do */
    CHECK_EQ(evtchn_domain_init(&d, EVTCHN_2L_MAX_PORTS - 1), 0);
    CHECK(unit_live_pages > 0); /* one allocation, sized for the ports */
    evtchn_domain_destroy(&d);
    end_test();
}

TEST(poll)
{
    struct domain *d1 = make_domain(1, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct vcpu *v = d2->vcpus[0];
    evtchn_port_t p1, p2, bad = EVTCHN_DEFAULT_MAX_PORTS + 1;
    evtchn_port_t many[129] = { 0 };

    connect_pair(d1, d2, &p1, &p2);
    set_mask(d2, p2); /* poll waits on masked ports, as Linux's spinlock kicker does */
    CHECK_EQ(evtchn_poll(v, &bad, 1, 0), -EINVAL);
    CHECK_EQ(evtchn_poll(v, many, 129, 0), -EINVAL);
    CHECK_EQ(evtchn_poll(v, &p2, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK_EQ(send(d1, p1), 0);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(kicks[2][0], 1);
    /* Already pending: no block at all. */
    CHECK_EQ(evtchn_poll(v, &p2, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    /* A timeout arms the timer; its expiry wakes the vCPU. */
    guest_ack_all(d2);
    CHECK_EQ(evtchn_poll(v, &p2, 1, fake_now + 500), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK(last_timer && last_timer->active);
    CHECK_EQ(last_timer->expires, fake_now + 500);
    last_timer->active = false;
    last_timer->fn(last_timer->data);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(kicks[2][0], 1);
    /* A second expiry after the wake does nothing. */
    last_timer->fn(last_timer->data);
    CHECK_EQ(kicks[2][0], 1);
    /* A timeout already in the past returns at once. */
    v->state = VCPU_RUNNABLE;
    CHECK_EQ(evtchn_poll(v, &p2, 1, fake_now - 1), 0);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    end_test();
}

/* The hypervisor offers a port of d1 to d0 (a boot domain's xenstore port): plainly unbound. */
TEST(hypervisor_alloc_unbound_port)
{
    struct domain *d0 = make_domain(0, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain *d1 = make_domain(1, 4);
    struct domain *d2 = make_domain(2, EVTCHN_DEFAULT_MAX_PORTS);
    struct domain bare = { .id = 7 };
    struct evtchn_status s;
    evtchn_port_t store, port, p0;

    CHECK_EQ(evtchn_alloc_unbound_port(d1, 0, &store), 0);
    CHECK_EQ(store, 1); /* before the guest runs, the first port */
    CHECK_EQ(status(d1, DOMID_SELF, store, &s), 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 0);
    /* The guest's own ports come after it; the guest may move it to another vCPU. */
    CHECK_EQ(alloc_unbound(d1, 2, &port), 0);
    CHECK_EQ(port, 2);
    CHECK_EQ(bind_vcpu(d1, store, 1), 0);
    /* Only the domain it is offered to binds it. */
    CHECK_EQ(bind_interdomain(d2, 1, store, &port), -EINVAL);
    CHECK_EQ(bind_interdomain(d0, 1, store, &p0), 0);
    guest_ack_all(d1);
    CHECK_EQ(send(d0, p0), 0);
    CHECK(pending(d1, store));
    CHECK_EQ(kicks[1][1], 1);
    /* Limits and a domain without event state. */
    CHECK_EQ(evtchn_alloc_unbound_port(d1, 0, &port), 0);
    CHECK_EQ(evtchn_alloc_unbound_port(d1, 0, &port), 0);
    CHECK_EQ(port, 4);
    CHECK_EQ(evtchn_alloc_unbound_port(d1, 0, &port), -ENOSPC);
    CHECK_EQ(evtchn_alloc_unbound_port(&bare, 0, &port), -ESRCH);
    end_test();
}
