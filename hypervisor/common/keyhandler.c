/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Debug keys (keyhandler.h). Dumps read other pCPUs' state without
 * stopping them: a snapshot that may be a moment stale. The scheduler's and
 * the timers' locks are only tried (a wedged pCPU may hold them); domains
 * are walked holding a reference each, so one torn down meanwhile stays
 * readable until it is put.
 */
#include <xenon/arch.h>
#include <xenon/domain.h>
#include <xenon/keyhandler.h>
#include <xenon/lib.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <xenon/timer.h>
#include <public/xen.h>

#define SWITCH_CHAR 0x01 /* Ctrl-A */
#define SWITCH_COUNT 3

static unsigned int switch_seen;
static bool to_hypervisor;

static const char *vcpu_state_name(enum vcpu_state s)
{
    switch (s) {
    case VCPU_DOWN: return "down";
    case VCPU_RUNNABLE: return "runnable";
    case VCPU_BLOCKED: return "blocked";
    case VCPU_DEAD: return "dead";
    }
    return "?";
}

static void dump_vcpu(struct vcpu *v, uint64_t now)
{
    const struct vcpu_info *vi = v->vcpu_info;
    const struct timer *t = &v->singleshot;

    log_info("  v%u: %s%s on p%u, upcall %u mask %u sel %#llx, timer %s%lld us (p%u)", v->id,
             vcpu_state_name(v->state), v->is_running ? " running" : "", v->processor,
             vi ? vi->evtchn_upcall_pending : 0, vi ? vi->evtchn_upcall_mask : 0,
             vi ? (unsigned long long)vi->evtchn_pending_sel : 0ull,
             t->active ? "in " : "off, last ", time_us_from(now, t->expires), t->cpu);
    arch_vcpu_dump(v);
}

static void dump_domains(void)
{
    uint64_t now = now_ns();

    log_info("domains at %llu us:", (unsigned long long)(now / 1000));
    for (struct domain *d = domain_get_next(0), *next; d; d = next) {
        log_info(" d%u: state %d, paused %u, %u pages, %u vCPUs", d->id, d->state,
                 d->pause_count, (unsigned int)d->pages.nr, d->nr_vcpus);
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i])
                dump_vcpu(d->vcpus[i], now);
        next = d->id < DOMID_FIRST_RESERVED - 1 ? domain_get_next(d->id + 1) : NULL;
        domain_put(d);
    }
}

static void help(void)
{
    log_info("debug keys: 'h' this list, 'q' domains and vCPUs, 'r' pCPUs, timers and run "
             "queues; Ctrl-A x3 gives input back to domain 0");
}

static void handle_key(char c)
{
    switch (c) {
    case 'q': dump_domains(); break;
    case 'r': sched_dump(); break;
    default: help(); break;
    }
}

void keyhandler_input(char c, void (*deliver)(char c))
{
    if (c == SWITCH_CHAR) {
        if (++switch_seen < SWITCH_COUNT)
            return;
        switch_seen = 0;
        to_hypervisor = !to_hypervisor;
        log_info("serial input to %s (Ctrl-A x3 switches)",
                 to_hypervisor ? "the hypervisor: 'h' for the keys" : "domain 0");
        return;
    }
    /* Fewer than three: they were the domain's Ctrl-As after all. */
    for (; switch_seen; switch_seen--)
        if (!to_hypervisor)
            deliver(SWITCH_CHAR);
    if (to_hypervisor)
        handle_key(c);
    else
        deliver(c);
}
