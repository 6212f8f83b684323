/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_sched_op: yield, block, poll, shutdown and the domain watchdog. */
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <xenon/xsm.h>
#include <public/sched.h>

#define NR_WATCHDOGS 2
#define POLL_MAX_PORTS 128 /* Xen's limit on ports per SCHEDOP_poll */

static void watchdog_fired(void *data)
{
    struct domain *d = data;

    log_info("d%u: watchdog timer fired", d->id);
    domain_shutdown(d, SHUTDOWN_watchdog);
}

/* id 0 allocates a slot (returns its id); timeout 0 frees the slot; otherwise re-arm. */
static long watchdog(struct domain *d, const struct sched_watchdog *w)
{
    unsigned int id = w->id;

    if (id == 0) {
        for (unsigned int i = 0; i < NR_WATCHDOGS; i++) {
            if (d->watchdog_timeout[i])
                continue;
            if (!w->timeout)
                return -EINVAL;
            d->watchdog_timeout[i] = w->timeout;
            timer_init(&d->watchdog[i], watchdog_fired, d);
            timer_set(&d->watchdog[i], now_ns() + SECONDS(w->timeout));
            return i + 1;
        }
        return -ENOSPC;
    }
    if (id > NR_WATCHDOGS || !d->watchdog_timeout[id - 1])
        return -EINVAL;
    if (!w->timeout) {
        timer_stop(&d->watchdog[id - 1]);
        d->watchdog_timeout[id - 1] = 0;
        return 0;
    }
    d->watchdog_timeout[id - 1] = w->timeout;
    timer_set(&d->watchdog[id - 1], now_ns() + SECONDS(w->timeout));
    return 0;
}

static long remote_shutdown(struct vcpu *v, const struct sched_remote_shutdown *r)
{
    struct domain *d;

    if (r->reason > SHUTDOWN_MAX)
        return -EINVAL;
    d = domain_by_id(r->domain_id);
    if (!d)
        return -ESRCH;
    if (xsm_domain_control(v->domain, d))
        return -EPERM;
    domain_shutdown(d, r->reason);
    return 0;
}

static long poll(struct vcpu *v, const struct sched_poll *p)
{
    evtchn_port_t ports[POLL_MAX_PORTS];

    if (p->nr_ports > POLL_MAX_PORTS)
        return -EINVAL;
    if (copy_from_guest(v, ports, p->ports, p->nr_ports * sizeof(ports[0])))
        return -EFAULT;
    return evtchn_poll(v, ports, p->nr_ports, p->timeout);
}

long do_sched_op(struct vcpu *v, const struct hypercall_args *args)
{
    uint64_t arg = args->a[1];

    switch (args->a[0]) {
    case SCHEDOP_yield:
        sched_yield(v);
        return 0;
    case SCHEDOP_block:
        sched_block(v);
        return 0;
    case SCHEDOP_poll: {
        struct sched_poll p;

        if (copy_from_guest(v, &p, arg, sizeof(p)))
            return -EFAULT;
        return poll(v, &p);
    }
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;

        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, s.reason);
        return 0;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown r;

        if (copy_from_guest(v, &r, arg, sizeof(r)))
            return -EFAULT;
        return remote_shutdown(v, &r);
    }
    case SCHEDOP_watchdog: {
        struct sched_watchdog w;

        if (copy_from_guest(v, &w, arg, sizeof(w)))
            return -EFAULT;
        return watchdog(v->domain, &w);
    }
    }
    return -ENOSYS;
}
