// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two domains bounce one event back and forth over an interdomain channel,
 * ROUNDS times; exactly one event is ever in flight, so any lost or extra
 * notification shows up as a hang (runner timeout) or a wrong count.
 *
 * Ports by convention, no xenstore: the server (role=1) offers the first
 * port it allocates, which is port 1 (the lowest free), to peer=N; the
 * client (role=0) retries EVTCHNOP_bind_interdomain(peer, 1) until the
 * server has offered it.
 */
#include "guest.h"
#include "evtchn.h"

#define ROUNDS 10000
#define OFFERED_PORT 1
#define BIND_TRIES 100000

static void server(domid_t peer)
{
    evtchn_port_t port;

    if (!check_eq("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, peer, &port), 0) ||
        !check_eq("offered port (lowest free)", port, OFFERED_PORT))
        return;
    for (uint32_t i = 1; i <= ROUNDS; i++) {
        evtchn_wait_count(port, i);
        if (!check_eq("pong", evtchn_send(port), 0))
            return;
    }
    check_eq("pings taken", evtchn_count(port), ROUNDS);
    printf("served %u pings\n", ROUNDS);
}

static void client(domid_t peer)
{
    evtchn_port_t port = 0;
    long rc = -XEN_EINVAL;

    /* -EINVAL until the server has offered the port. */
    for (unsigned int i = 0; i < BIND_TRIES && rc == -XEN_EINVAL; i++) {
        rc = evtchn_bind_interdomain(peer, OFFERED_PORT, &port);
        if (rc)
            xen_yield();
    }
    if (!check_eq("bind_interdomain", rc, 0))
        return;
    /* Binding notifies the new port once (Xen: events sent while unbound were dropped). */
    evtchn_wait_count(port, 1);
    for (uint32_t i = 1; i <= ROUNDS; i++) {
        if (!check_eq("ping", evtchn_send(port), 0))
            return;
        evtchn_wait_count(port, 1 + i);
    }
    check_eq("pongs taken (+1 for the bind)", evtchn_count(port), ROUNDS + 1);
    check_eq("nothing left pending", evtchn_is_pending(port), 0);
    printf("%u round trips, none lost\n", ROUNDS);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    /* hlt=1: wait as Linux idles, with "sti; hlt" (see evtchn-ping-pong-hlt-smp2). */
    evtchn_wait_with_hlt = guest_arg("hlt", 0);
    if (evtchn_init())
        return;
    printf("d%u: %s, peer d%u\n", evtchn_self_id(), guest_arg("role", 0) ? "server" : "client",
           peer);
    if (guest_arg("role", 0))
        server(peer);
    else
        client(peer);
}
