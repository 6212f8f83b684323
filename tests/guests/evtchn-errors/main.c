// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every way to call EVTCHNOP_* wrongly gets a clean error, under the default
 * access-control policy: free, reserved and out-of-range ports, binding to a
 * domain that offered nothing (or offered to someone else), unknown domains,
 * other domains' state (-EPERM), VIRQ and vCPU mistakes, the port limit,
 * unmapped argument pointers, FIFO-only and unknown operations. Sending on
 * an allocated but unbound port is dropped silently, as in Xen. role=1 is a
 * peer that offers one port and waits for the test's event.
 */
#include "guest.h"
#include "evtchn.h"

#define PEER_PORT 1
#define TRIES 1000000
#define MAX_PORT 1023   /* the hypervisor's default per-domain limit */

static const uint64_t bad_ptrs[] = {
    UNMAPPED_GPA,            /* mapped by our page tables, not by the P2M */
    0x1000000000ull,         /* 64 GiB: not in our page tables */
    0x8000000000000000ull,   /* non-canonical */
};
static const evtchn_port_t bad_ports[] = { MAX_PORT + 1, 4096, 0xffffffffu };

static long op(unsigned int cmd, uint64_t arg)
{
    return HYPERVISOR_event_channel_op(cmd, (void *)(uintptr_t)arg);
}

static void port_numbers(void)
{
    struct evtchn_status s;
    evtchn_port_t port;

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ports); i++) {
        evtchn_port_t p = bad_ports[i];

        check_eq("send: out of range", evtchn_send(p), -XEN_EINVAL);
        check_eq("close: out of range", evtchn_close(p), -XEN_EINVAL);
        check_eq("unmask: out of range", evtchn_unmask(p), -XEN_EINVAL);
        check_eq("status: out of range", evtchn_status(DOMID_SELF, p, &s), -XEN_EINVAL);
        check_eq("bind_vcpu: out of range", evtchn_bind_vcpu(p, 0), -XEN_EINVAL);
    }
    check_eq("send: reserved port 0", evtchn_send(0), -XEN_EINVAL);
    check_eq("close: reserved port 0", evtchn_close(0), -XEN_EINVAL);
    check_eq("send: free port", evtchn_send(7), -XEN_EINVAL);
    check_eq("close: free port", evtchn_close(7), -XEN_EINVAL);
    check_eq("bind_vcpu: free port", evtchn_bind_vcpu(7, 0), -XEN_EINVAL);
    check_eq("alloc_unbound for the peer", evtchn_alloc_unbound(DOMID_SELF, 2, &port), 0);
    check_eq("send: unbound port (dropped, as Xen)", evtchn_send(port), 0);
    check_eq("close it", evtchn_close(port), 0);
}

static void domains(domid_t peer)
{
    struct evtchn_status s;
    evtchn_port_t port;
    struct evtchn_alloc_unbound a = { .dom = peer, .remote_dom = evtchn_self_id() };

    check_eq("bind: port the peer never offered", evtchn_bind_interdomain(peer, 9, &port),
             -XEN_EINVAL);
    check_eq("bind: peer's port 0", evtchn_bind_interdomain(peer, 0, &port), -XEN_EINVAL);
    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ports); i++)
        check_eq("bind: out-of-range remote port",
                 evtchn_bind_interdomain(peer, bad_ports[i], &port), -XEN_EINVAL);
    check_eq("bind: unknown domain", evtchn_bind_interdomain(77, 1, &port), -XEN_ESRCH);
    check_eq("bind: reserved domain id", evtchn_bind_interdomain(DOMID_XEN, 1, &port), -XEN_ESRCH);
    check_eq("alloc_unbound in another domain", op(EVTCHNOP_alloc_unbound, (uintptr_t)&a),
             -XEN_EPERM);
    a.dom = 77;
    check_eq("alloc_unbound in an unknown domain", op(EVTCHNOP_alloc_unbound, (uintptr_t)&a),
             -XEN_ESRCH);
    check_eq("status of another domain's port", evtchn_status(peer, 1, &s), -XEN_EPERM);
    check_eq("status in an unknown domain", evtchn_status(77, 1, &s), -XEN_ESRCH);
    check_eq("reset another domain", evtchn_reset(peer), -XEN_EPERM);
    check_eq("reset an unknown domain", evtchn_reset(77), -XEN_ESRCH);
}

static void virqs_and_vcpus(void)
{
    evtchn_port_t port, timer;

    check_eq("bind_virq(TIMER)", evtchn_bind_virq(VIRQ_TIMER, 0, &timer), 0);
    check_eq("bind_virq(TIMER) twice", evtchn_bind_virq(VIRQ_TIMER, 0, &port), -XEN_EEXIST);
    check_eq("bind_virq: number past NR_VIRQS", evtchn_bind_virq(NR_VIRQS, 0, &port), -XEN_EINVAL);
    check_eq("bind_virq: huge number", evtchn_bind_virq(0xffffffffu, 0, &port), -XEN_EINVAL);
    check_eq("bind_virq: global VIRQ on vCPU 1", evtchn_bind_virq(VIRQ_DOM_EXC, 1, &port),
             -XEN_EINVAL);
    check_eq("bind_virq: missing vCPU", evtchn_bind_virq(VIRQ_TIMER, 5, &port), -XEN_ENOENT);
    check_eq("bind_ipi: missing vCPU", evtchn_bind_ipi(5, &port), -XEN_ENOENT);
    check_eq("bind_ipi: huge vCPU", evtchn_bind_ipi(0xffffffffu, &port), -XEN_ENOENT);
    check_eq("bind_vcpu: per-vCPU VIRQ", evtchn_bind_vcpu(timer, 0), -XEN_EINVAL);
    check_eq("bind_vcpu: missing vCPU", evtchn_bind_vcpu(timer, 5), -XEN_ENOENT);
    check_eq("close the timer port", evtchn_close(timer), 0);
}

static void port_limit(void)
{
    static evtchn_port_t ports[MAX_PORT + 1];
    unsigned int n = 0;
    evtchn_port_t port;
    long rc;

    while (n < ARRAY_SIZE(ports) && !(rc = evtchn_alloc_unbound(DOMID_SELF, 2, &port)))
        ports[n++] = port;
    check_eq("out of ports", rc, -XEN_ENOSPC);
    check_eq("ports available", n, MAX_PORT);
    check_eq("bind_ipi when full", evtchn_bind_ipi(0, &port), -XEN_ENOSPC);
    check_eq("bind_virq when full", evtchn_bind_virq(VIRQ_TIMER, 0, &port), -XEN_ENOSPC);
    for (unsigned int i = 0; i < n; i++)
        if (!check_eq("close", evtchn_close(ports[i]), 0))
            break;
}

static void pointers_and_ops(void)
{
    static const unsigned int cmds[] = {
        EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_bind_ipi,
        EVTCHNOP_bind_vcpu, EVTCHNOP_send, EVTCHNOP_close, EVTCHNOP_status, EVTCHNOP_unmask,
        EVTCHNOP_reset,
    };
    struct evtchn_init_control ic = { 0 };
    evtchn_port_t port;

    for (unsigned int c = 0; c < ARRAY_SIZE(cmds); c++)
        for (unsigned int i = 0; i < ARRAY_SIZE(bad_ptrs); i++)
            check_eq("bad argument pointer", op(cmds[c], bad_ptrs[i]), -XEN_EFAULT);
    check_eq("init_control (FIFO)", op(EVTCHNOP_init_control, (uintptr_t)&ic), -XEN_ENOSYS);
    check_eq("expand_array (FIFO)", op(EVTCHNOP_expand_array, (uintptr_t)&ic), -XEN_ENOSYS);
    check_eq("set_priority (FIFO)", op(EVTCHNOP_set_priority, (uintptr_t)&ic), -XEN_ENOSYS);
    check_eq("unknown operation", op(99, (uintptr_t)&ic), -XEN_ENOSYS);
    /* None of that left a port behind. */
    check_eq("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, 2, &port), 0);
    check_eq("first port still free", port, 1);
    evtchn_close(port);
}

/* Finally a correct bind and send, which lets the peer finish. */
static void release_peer(domid_t peer)
{
    evtchn_port_t port;
    long rc = -XEN_EINVAL;

    for (unsigned int i = 0; i < TRIES && rc == -XEN_EINVAL; i++) {
        rc = evtchn_bind_interdomain(peer, PEER_PORT, &port);
        if (rc)
            xen_yield();
    }
    if (check_eq("bind to the peer's offer", rc, 0))
        check_eq("send to the peer", evtchn_send(port), 0);
}

static void peer_main(domid_t test_dom)
{
    evtchn_port_t port = 0;

    if (!check_eq("offer", evtchn_alloc_unbound(DOMID_SELF, test_dom, &port), 0) ||
        !check_eq("offered port", port, PEER_PORT))
        return;
    evtchn_wait_count(port, 1);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (evtchn_init())
        return;
    if (guest_arg("role", 0)) {
        peer_main(peer);
        return;
    }
    port_numbers();
    domains(peer);
    virqs_and_vcpus();
    port_limit();
    pointers_and_ops();
    release_peer(peer);
}
