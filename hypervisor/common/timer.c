/* SPDX-License-Identifier: GPL-2.0-only */
/* A sorted list of one-shot timers; the scheduler loop runs the expired ones. */
#include <xenon/timer.h>

static struct timer *timer_list;

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    *t = (struct timer){ .fn = fn, .data = data };
}

void timer_stop(struct timer *t)
{
    for (struct timer **p = &timer_list; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->active = false;
    t->next = NULL;
}

void timer_set(struct timer *t, uint64_t expires)
{
    struct timer **p = &timer_list;

    timer_stop(t);
    t->expires = expires;
    while (*p && (*p)->expires <= expires)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    t->active = true;
    if (timer_list == t)
        sched_timer_changed(expires);
}

uint64_t timer_run_expired(uint64_t now)
{
    while (timer_list && timer_list->expires <= now) {
        struct timer *t = timer_list;

        timer_list = t->next;
        t->next = NULL;
        t->active = false;
        t->fn(t->data);
    }
    return timer_list ? timer_list->expires : UINT64_MAX;
}
