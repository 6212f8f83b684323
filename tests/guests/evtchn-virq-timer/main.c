// SPDX-License-Identifier: GPL-2.0-only
/*
 * VIRQ_TIMER through an event channel: set_timer_op deadlines arrive as
 * upcalls, never early; a masked timer port goes pending without an upcall
 * and EVTCHNOP_unmask delivers it; SCHEDOP_poll wakes on a masked port's
 * event, on its timeout, and at once when the port is already pending.
 */
#include "guest.h"
#include "evtchn.h"
#include <public/sched.h>

#define SHOTS 10
#define DELAY_NS 1000000ull      /* 1 ms */
#define POLL_LIMIT_NS 5000000000ull
/* How late a 1 ms timer may be under QEMU TCG on a loaded 2-core host. */
#define LATE_LIMIT_NS 250000000ul

static evtchn_port_t timer_port;
static uint32_t want;

static uint64_t now(void)
{
    return pvclock_read(&evtchn_shared->vcpu_info[0].time);
}

static bool fired(void *arg)
{
    return evtchn_count(timer_port) >= want;
}

static long poll(evtchn_port_t *ports, uint32_t nr, uint64_t timeout)
{
    struct sched_poll p = {.ports = (uint64_t)(uintptr_t)ports, .nr_ports = nr, .timeout = timeout};

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static void upcalls(void)
{
    struct evtchn_status s;
    uint64_t worst = 0;

    check_eq("bind_virq(TIMER)", evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port), 0);
    check_eq("status", evtchn_status(DOMID_SELF, timer_port, &s), 0);
    check_eq("status is virq", s.status, EVTCHNSTAT_virq);
    check_eq("status virq number", s.u.virq, VIRQ_TIMER);
    for (unsigned int i = 1; i <= SHOTS; i++) {
        uint64_t deadline = now() + DELAY_NS;

        check_eq("set_timer_op", HYPERVISOR_set_timer_op(deadline), 0);
        want = i;
        evtchn_wait_until(fired, NULL);
        if (now() < deadline)
            test_fail("timer event %u came %lu ns early", i, deadline - now());
        else if (now() - deadline > worst)
            worst = now() - deadline;
    }
    check_eq("timer events", evtchn_count(timer_port), SHOTS);
    printf("%u one-shot timers of 1 ms: latest by %lu us\n", SHOTS, worst / 1000);
    if (worst > LATE_LIMIT_NS)
        test_fail("a timer event came %lu us late (limit %lu us)", worst / 1000, LATE_LIMIT_NS / 1000);
}

static void masked_and_poll(void)
{
    uint64_t start, deadline;
    uint32_t before = evtchn_count(timer_port);

    evtchn_mask(timer_port);
    deadline = now() + DELAY_NS;
    HYPERVISOR_set_timer_op(deadline);
    start = now();
    check_eq("poll for the masked timer port", poll(&timer_port, 1, start + POLL_LIMIT_NS), 0);
    if (now() < deadline || now() >= start + POLL_LIMIT_NS)
        test_fail("poll returned at %lu, timer due at %lu", now(), deadline);
    check_eq("masked port pending", evtchn_is_pending(timer_port), 1);
    check_eq("no upcall while masked", evtchn_count(timer_port), before);
    check_eq("poll on a pending port returns at once", poll(&timer_port, 1, 0), 0);

    want = before + 1;
    check_eq("unmask", evtchn_unmask(timer_port), 0);
    evtchn_wait_until(fired, NULL);
    check_eq("unmask delivered the event", evtchn_count(timer_port), before + 1);

    /* Nothing pending and no timer: the poll ends at its timeout. */
    evtchn_mask(timer_port);
    HYPERVISOR_set_timer_op(0);
    deadline = now() + 2 * DELAY_NS;
    check_eq("poll until timeout", poll(&timer_port, 1, deadline), 0);
    if (now() < deadline)
        test_fail("poll timed out %lu ns early", deadline - now());
    check_eq("timeout without event", evtchn_is_pending(timer_port), 0);
    evtchn_unmask(timer_port);
}

static void poll_errors(void)
{
    static evtchn_port_t many[129];
    evtchn_port_t bad = 4096;

    check_eq("poll: 129 ports", poll(many, 129, 0), -XEN_EINVAL);
    check_eq("poll: port out of range", poll(&bad, 1, 0), -XEN_EINVAL);
    check_eq("poll: unmapped port array", poll((evtchn_port_t *)(uintptr_t)UNMAPPED_GPA, 1, 0),
             -XEN_EFAULT);
    check_eq("poll: unmapped argument",
             HYPERVISOR_sched_op(SCHEDOP_poll, (void *)(uintptr_t)UNMAPPED_GPA), -XEN_EFAULT);
}

void test_main(void)
{
    if (evtchn_init())
        return;
    upcalls();
    masked_and_poll();
    poll_errors();
}
