/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Round-robin: one FIFO of runnable vCPUs shared by all pCPUs, fixed slices,
 * hard affinity respected. A reference scheduler for tests and debugging
 * (sched=rr); credit is the default.
 */
#include <xenon/domain.h>
#include <xenon/sched.h>

#define RR_SLICE_NS MILLISECS(10)

static struct vcpu *head, *tail;
static cpumask_t idle_cpus;

static bool queued(const struct vcpu *v)
{
    for (const struct vcpu *p = head; p; p = p->runq_next)
        if (p == v)
            return true;
    return false;
}

static void enqueue(struct vcpu *v)
{
    if (queued(v))
        return;
    v->runq_next = NULL;
    if (tail)
        tail->runq_next = v;
    else
        head = v;
    tail = v;
}

static void dequeue(struct vcpu *v)
{
    struct vcpu *prev = NULL;

    for (struct vcpu *p = head; p; prev = p, p = p->runq_next) {
        if (p != v)
            continue;
        if (prev)
            prev->runq_next = p->runq_next;
        else
            head = p->runq_next;
        if (tail == p)
            tail = prev;
        p->runq_next = NULL;
        return;
    }
}

static int rr_init(cpumask_t cpus) { idle_cpus = cpus; return 0; }
static int rr_alloc_domain(struct domain *d) { return 0; }
static void rr_free_domain(struct domain *d) {}
static int rr_alloc_vcpu(struct vcpu *v) { return 0; }
static void rr_free_vcpu(struct vcpu *v) {}
static void rr_insert(struct vcpu *v) {}
static void rr_remove(struct vcpu *v) { dequeue(v); }
static void rr_sleep(struct vcpu *v) { dequeue(v); }
static void rr_yield(struct vcpu *v) {}
static void rr_affinity_changed(struct vcpu *v) {}

static unsigned int rr_wake(struct vcpu *v, uint64_t now)
{
    cpumask_t idle = idle_cpus & v->hard_affinity;

    enqueue(v);
    return cpumask_first(idle);
}

static struct sched_decision rr_do_schedule(unsigned int cpu, struct vcpu *prev, bool prev_runnable,
                                            uint64_t now)
{
    if (prev && prev_runnable)
        enqueue(prev);
    for (struct vcpu *v = head; v; v = v->runq_next) {
        if (!cpumask_test(v->hard_affinity, cpu))
            continue;
        dequeue(v);
        v->processor = cpu;
        idle_cpus &= ~cpumask_of(cpu);
        return (struct sched_decision){ v, RR_SLICE_NS };
    }
    idle_cpus |= cpumask_of(cpu);
    return (struct sched_decision){ NULL, UINT64_MAX };
}

static int rr_get_params(struct domain *d, struct sched_credit_params *p) { return -EOPNOTSUPP; }
static int rr_set_params(struct domain *d, const struct sched_credit_params *p) { return -EOPNOTSUPP; }

const struct scheduler sched_rr = {
    .name = "rr",
    .init = rr_init,
    .alloc_domain = rr_alloc_domain,
    .free_domain = rr_free_domain,
    .alloc_vcpu = rr_alloc_vcpu,
    .free_vcpu = rr_free_vcpu,
    .insert_vcpu = rr_insert,
    .remove_vcpu = rr_remove,
    .wake = rr_wake,
    .sleep = rr_sleep,
    .yield = rr_yield,
    .do_schedule = rr_do_schedule,
    .get_params = rr_get_params,
    .set_params = rr_set_params,
    .affinity_changed = rr_affinity_changed,
};
