// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of ports: EVTCHNOP_status of every kind (closed, unbound,
 * interdomain, virq, ipi) and its vcpu field; close turning the other end of
 * an interdomain channel back into an unbound port waiting for us (loopback
 * and with another domain, whose close we watch from here); EVTCHNOP_reset
 * closing everything. role=0 is the test; role=1 is the peer domain.
 */
#include "guest.h"
#include "evtchn.h"

#define PEER_PORT 1
#define TRIES 1000000

static domid_t self;

#define ANY_PORT 0xffffffffu

/* Fail unless port's status is status, on vcpu, naming dom (and rport, unless ANY_PORT). */
static void expect_status(const char *what, evtchn_port_t port, uint32_t status, domid_t dom,
                          evtchn_port_t rport, uint32_t vcpu)
{
    struct evtchn_status s;

    if (!check_eq(what, evtchn_status(DOMID_SELF, port, &s), 0))
        return;
    if (!check_eq(what, s.status, status))
        return;
    check_eq(what, s.vcpu, vcpu);
    if (status == EVTCHNSTAT_unbound)
        check_eq(what, s.u.unbound.dom, dom);
    if (status == EVTCHNSTAT_interdomain) {
        check_eq(what, s.u.interdomain.dom, dom);
        if (rport != ANY_PORT)
            check_eq(what, s.u.interdomain.port, rport);
    }
}

static void local_ports(void)
{
    evtchn_port_t unbound, la, lb, virq, ipi, again;

    check_eq("alloc_unbound(remote 5)", evtchn_alloc_unbound(DOMID_SELF, 5, &unbound), 0);
    expect_status("status unbound", unbound, EVTCHNSTAT_unbound, 5, 0, 0);
    check_eq("alloc_unbound(self)", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &la), 0);
    expect_status("loopback offer names us", la, EVTCHNSTAT_unbound, self, 0, 0);
    check_eq("bind_interdomain(self)", evtchn_bind_interdomain(DOMID_SELF, la, &lb), 0);
    expect_status("loopback end a", la, EVTCHNSTAT_interdomain, self, lb, 0);
    expect_status("loopback end b", lb, EVTCHNSTAT_interdomain, self, la, 0);
    check_eq("bind_virq(TIMER, vcpu 1)", evtchn_bind_virq(VIRQ_TIMER, 1, &virq), 0);
    expect_status("status virq", virq, EVTCHNSTAT_virq, 0, 0, 1);
    check_eq("bind_ipi(vcpu 1)", evtchn_bind_ipi(1, &ipi), 0);
    expect_status("status ipi", ipi, EVTCHNSTAT_ipi, 0, 0, 1);
    expect_status("status of port 0", 0, EVTCHNSTAT_closed, 0, 0, 0);
    expect_status("status of a free port", 100, EVTCHNSTAT_closed, 0, 0, 0);
    check_eq("bind_vcpu(a, 1)", evtchn_bind_vcpu(la, 1), 0);
    expect_status("status after bind_vcpu", la, EVTCHNSTAT_interdomain, self, lb, 1);
    check_eq("bind_vcpu(a, 0)", evtchn_bind_vcpu(la, 0), 0);

    evtchn_wait_count(lb, 1); /* the binding's own notification */
    check_eq("close b", evtchn_close(lb), 0);
    expect_status("closed end", lb, EVTCHNSTAT_closed, 0, 0, 0);
    expect_status("other end waits for us again", la, EVTCHNSTAT_unbound, self, 0, 0);
    check_eq("close b twice", evtchn_close(lb), -XEN_EINVAL);
    check_eq("send on the unbound end (dropped)", evtchn_send(la), 0);
    check_eq("nothing pending on the closed end", evtchn_is_pending(lb), 0);
    check_eq("bind again", evtchn_bind_interdomain(DOMID_SELF, la, &again), 0);
    check_eq("lowest free port reused", again, lb);
    check_eq("close the virq", evtchn_close(virq), 0);
    check_eq("virq binds again", evtchn_bind_virq(VIRQ_TIMER, 1, &virq), 0);
}

static void with_peer(domid_t peer)
{
    evtchn_port_t port;
    struct evtchn_status s;
    long rc = -XEN_EINVAL;

    for (unsigned int i = 0; i < TRIES && rc == -XEN_EINVAL; i++) {
        rc = evtchn_bind_interdomain(peer, PEER_PORT, &port);
        if (rc)
            xen_yield();
    }
    if (!check_eq("bind to the peer's offer", rc, 0))
        return;
    expect_status("bound to the peer", port, EVTCHNSTAT_interdomain, peer, PEER_PORT, 0);
    check_eq("status of the peer's port (default policy)", evtchn_status(peer, PEER_PORT, &s),
             -XEN_EPERM);
    check_eq("send to the peer", evtchn_send(port), 0);
    /* The peer closes its end when it has our event (or dies): ours waits for it again. */
    for (unsigned int i = 0; i < TRIES; i++) {
        if (evtchn_status(DOMID_SELF, port, &s) || s.status != EVTCHNSTAT_interdomain)
            break;
        xen_yield();
    }
    expect_status("peer closed its end", port, EVTCHNSTAT_unbound, peer, 0, 0);
}

static void reset(void)
{
    evtchn_port_t port;

    check_eq("reset", evtchn_reset(DOMID_SELF), 0);
    for (evtchn_port_t p = 0; p < 16; p++)
        expect_status("closed by reset", p, EVTCHNSTAT_closed, 0, 0, 0);
    check_eq("bind_virq after reset", evtchn_bind_virq(VIRQ_TIMER, 0, &port), 0);
    check_eq("numbering starts over", port, 1);
}

/* role=1: offer port 1 to the test, close it once the test's event came. */
static void peer_main(domid_t test_dom)
{
    evtchn_port_t port;

    if (!check_eq("offer", evtchn_alloc_unbound(DOMID_SELF, test_dom, &port), 0) ||
        !check_eq("offered port", port, PEER_PORT))
        return;
    evtchn_wait_count(port, 1);
    expect_status("peer: connected", port, EVTCHNSTAT_interdomain, test_dom, ANY_PORT, 0);
    check_eq("peer: close", evtchn_close(port), 0);
    expect_status("peer: closed", port, EVTCHNSTAT_closed, 0, 0, 0);
}

void test_main(void)
{
    if (evtchn_init())
        return;
    self = evtchn_self_id();
    if (guest_arg("role", 0)) {
        peer_main((domid_t)guest_arg("peer", 0));
        return;
    }
    local_ports();
    with_peer((domid_t)guest_arg("peer", 0));
    reset();
}
