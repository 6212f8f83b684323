/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Round-robin scheduling of runnable vCPUs on the boot pCPU, preempted by the
 * one-shot timer at the end of each slice. (The credit scheduler and SMP
 * replace this behind the same interface.)
 */
#include <xenon/arch.h>
#include <xenon/lib.h>
#include <xenon/sched.h>
#include <xenon/time.h>

static struct vcpu *runq_head, *runq_tail;
static struct vcpu *running;
static volatile bool need_resched;
static uint64_t slice_end = UINT64_MAX;

struct vcpu *current_vcpu(void) { return running; }
bool sched_need_resched(void) { return need_resched; }
void sched_tick(void) { need_resched = true; }

static bool on_runq(const struct vcpu *v)
{
    for (const struct vcpu *p = runq_head; p; p = p->runq_next)
        if (p == v)
            return true;
    return false;
}

static void runq_push(struct vcpu *v)
{
    if (on_runq(v) || v == running)
        return;
    v->runq_next = NULL;
    if (runq_tail)
        runq_tail->runq_next = v;
    else
        runq_head = v;
    runq_tail = v;
}

static struct vcpu *runq_pop(void)
{
    struct vcpu *v = runq_head;

    if (v) {
        runq_head = v->runq_next;
        if (!runq_head)
            runq_tail = NULL;
        v->runq_next = NULL;
    }
    return v;
}

void sched_add_vcpu(struct vcpu *v)
{
    if (v->state == VCPU_RUNNABLE)
        runq_push(v);
}

void sched_remove_vcpu(struct vcpu *v)
{
    struct vcpu *prev = NULL;

    for (struct vcpu *p = runq_head; p; prev = p, p = p->runq_next) {
        if (p != v)
            continue;
        if (prev)
            prev->runq_next = p->runq_next;
        else
            runq_head = p->runq_next;
        if (runq_tail == p)
            runq_tail = prev;
        p->runq_next = NULL;
        return;
    }
}

void sched_wake(struct vcpu *v)
{
    if (v->state != VCPU_BLOCKED)
        return;
    v->state = VCPU_RUNNABLE;
    runq_push(v);
}

void sched_block(struct vcpu *v)
{
    /* An event already pending means the block returns at once. */
    if (v->vcpu_info->evtchn_upcall_pending)
        return;
    v->state = VCPU_BLOCKED;
}

void sched_yield(struct vcpu *v)
{
    (void)v;
    need_resched = true;
}

void sched_timer_changed(uint64_t next)
{
    arch_set_timer(MIN(next, slice_end));
}

void sched_run(void)
{
    for (;;) {
        uint64_t now = now_ns(), next_timer = timer_run_expired(now);
        struct vcpu *v;

        domain_reap();
        if (!domain_first())
            return;
        v = runq_pop();
        if (!v) {
            slice_end = UINT64_MAX;
            arch_set_timer(next_timer);
            arch_idle();
            continue;
        }
        slice_end = now + SCHED_SLICE_NS;
        arch_set_timer(MIN(next_timer, slice_end));
        need_resched = false;
        running = v;
        vcpu_update_time(v);
        arch_vcpu_run(v);
        running = NULL;
        if (v->state == VCPU_RUNNABLE)
            runq_push(v);
    }
}
