/* SPDX-License-Identifier: GPL-2.0-only */
/* One-shot software timers, run from the scheduler loop of the pCPU that set them. */
#ifndef XENON_TIMER_H
#define XENON_TIMER_H

#include <xenon/types.h>

struct timer {
    uint64_t expires;          /* system time, ns */
    void (*fn)(void *data);
    void *data;
    struct timer *next;
    unsigned int cpu;          /* pCPU whose list holds it */
    bool active;
};

void timer_init(struct timer *t, void (*fn)(void *), void *data);
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);
/* Run every expired timer; returns the next deadline or UINT64_MAX. */
uint64_t timer_run_expired(uint64_t now);
/* Debug key: how many timers cpu holds and when the first is due. */
void timer_dump(unsigned int cpu, uint64_t now);
/* Provided by the scheduler: the earliest timer changed, re-arm the hardware timer. */
void sched_timer_changed(uint64_t next);

#endif
