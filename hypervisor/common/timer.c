/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One-shot timers. Each pCPU keeps its own sorted list; a timer goes on the
 * list of the pCPU that sets it and runs there, from the scheduler loop.
 * Lock order: a pCPU's timer_lock is a leaf (callbacks run without it).
 */
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/time.h>
#include <xenon/timer.h>

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    *t = (struct timer){ .fn = fn, .data = data };
}

/* Unlink t from the list it is on; the caller holds that list's lock. */
static void unlink(struct percpu *p, struct timer *t)
{
    for (struct timer **q = &p->timers; *q; q = &(*q)->next) {
        if (*q == t) {
            *q = t->next;
            break;
        }
    }
    t->active = false;
    t->next = NULL;
}

void timer_stop(struct timer *t)
{
    struct percpu *p;

    if (!t->active)
        return;
    p = percpu_of(t->cpu);
    spin_lock(&p->timer_lock);
    if (t->active && t->cpu == p->cpu)
        unlink(p, t);
    spin_unlock(&p->timer_lock);
}

void timer_set(struct timer *t, uint64_t expires)
{
    struct percpu *p = this_cpu();
    struct timer **q;
    bool first;

    timer_stop(t);
    spin_lock(&p->timer_lock);
    t->expires = expires;
    t->cpu = p->cpu;
    for (q = &p->timers; *q && (*q)->expires <= expires;)
        q = &(*q)->next;
    t->next = *q;
    *q = t;
    t->active = true;
    first = p->timers == t;
    spin_unlock(&p->timer_lock);
    if (first)
        sched_timer_changed(expires);
}

uint64_t timer_run_expired(uint64_t now)
{
    struct percpu *p = this_cpu();
    uint64_t next;

    for (;;) {
        struct timer *t;

        spin_lock(&p->timer_lock);
        t = p->timers;
        if (!t || t->expires > now) {
            next = t ? t->expires : UINT64_MAX;
            spin_unlock(&p->timer_lock);
            return next;
        }
        unlink(p, t);
        spin_unlock(&p->timer_lock);
        t->fn(t->data);
    }
}

void timer_dump(unsigned int cpu, uint64_t now)
{
    struct percpu *p = percpu_of(cpu);
    unsigned int n = 0;
    uint64_t first = UINT64_MAX;

    if (!spin_trylock(&p->timer_lock)) {
        log_info("  timers: list locked");
        return;
    }
    if (p->timers)
        first = p->timers->expires;
    for (const struct timer *t = p->timers; t; t = t->next)
        n++;
    spin_unlock(&p->timer_lock);
    log_info("  timers: %u, first in %lld us", n, time_us_from(now, first));
}
