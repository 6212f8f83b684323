/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The credit scheduler (the default): proportional share by weight, with
 * optional caps, per-pCPU run queues and work stealing.
 *
 * Credit is measured in nanoseconds of pCPU time. Every accounting period
 * the pCPUs' time is shared out among the active domains (those with a
 * runnable or running vCPU) in proportion to their weights, limited by their
 * caps, and split evenly among their active vCPUs. A vCPU is charged exactly
 * the time it ran. A pCPU runs a boosted vCPU (just woken from blocking, with
 * credit left) first, then the queued vCPU with the most credit; a vCPU of a
 * capped domain with no credit left is parked until the next period. When a
 * pCPU's own queue has nothing, it steals from the others.
 *
 * Every hook runs under the core's scheduler lock (sched_if.h).
 */
#include <xenon/domain.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>

#define CREDIT_PERIOD_NS MILLISECS(30)
#define CREDIT_SLICE_NS MILLISECS(30)
#define CREDIT_MIN_SLICE_NS MILLISECS(1)
/* Credit a vCPU may hoard: two periods of a whole pCPU. */
#define CREDIT_CLIP ((int64_t)(2 * CREDIT_PERIOD_NS))
/*
 * Credit it may owe. Generous, so that an overrun (a late timer, a long exit)
 * is paid back rather than forgiven, yet bounded so a debt never starves.
 */
#define CREDIT_DEBT_MAX ((int64_t)SECONDS(1))
#define CREDIT_DEFAULT_WEIGHT 256

struct credit_vcpu {
    struct vcpu *vcpu;
    struct credit_vcpu *next;  /* in its pCPU's run queue */
    struct credit_vcpu *sibling; /* in its domain's list */
    unsigned int queued_on;    /* pCPU whose queue holds it, or NR_CPUS */
    int64_t credit;
    uint64_t start;            /* when it was last picked */
    bool boost;
    bool parked;               /* capped and out of credit until next period */
};

struct credit_domain {
    struct credit_domain *next; /* all domains the scheduler knows */
    struct credit_vcpu *vcpus;  /* inserted vCPUs */
    unsigned int nr_vcpus;
    uint16_t weight;
    uint16_t cap;              /* percent of one pCPU; 0: none */
};

static struct credit_domain *domains;
static struct credit_vcpu *runq[NR_CPUS];
static cpumask_t sched_cpus, idle_cpus;
static uint64_t last_accounting;

static struct credit_vcpu *cv(const struct vcpu *v) { return v->sched_priv; }
static struct credit_domain *cd(const struct domain *d) { return d->sched_priv; }

static void runq_remove(struct credit_vcpu *c)
{
    if (c->queued_on >= NR_CPUS)
        return;
    for (struct credit_vcpu **p = &runq[c->queued_on]; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    c->next = NULL;
    c->queued_on = NR_CPUS;
}

/* FIFO order: the pick below takes the best, first queued among equals. */
static void runq_insert(struct credit_vcpu *c, unsigned int cpu)
{
    struct credit_vcpu **p = &runq[cpu];

    runq_remove(c);
    while (*p)
        p = &(*p)->next;
    c->next = NULL;
    *p = c;
    c->queued_on = cpu;
}

static bool vcpu_active(const struct vcpu *v)
{
    return v->state == VCPU_RUNNABLE;
}

/* Active vCPUs of c: runnable or running. */
static unsigned int nr_active(const struct credit_domain *c)
{
    unsigned int n = 0;

    for (const struct credit_vcpu *v = c->vcpus; v; v = v->sibling)
        n += vcpu_active(v->vcpu);
    return n;
}

/*
 * Share out the pCPUs' time since the last accounting among the active
 * domains. Using the time that really passed (not one nominal period) keeps
 * income equal to what was charged even when a slice overran.
 */
static void account(uint64_t now)
{
    uint64_t elapsed = MIN(now - last_accounting, (uint64_t)CREDIT_DEBT_MAX);
    uint64_t total = elapsed * cpumask_weight(sched_cpus), weight_sum = 0;

    last_accounting = now;
    for (const struct credit_domain *c = domains; c; c = c->next)
        weight_sum += (uint64_t)c->weight * nr_active(c);
    if (!weight_sum)
        return;
    for (const struct credit_domain *c = domains; c; c = c->next) {
        /* Each active vCPU carries its domain's weight once, as in Xen's credit1. */
        uint64_t income = MIN(total * c->weight / weight_sum, elapsed);

        if (c->cap)
            income = MIN(income, elapsed * c->cap / 100 / MAX(c->nr_vcpus, 1u));
        for (struct credit_vcpu *v = c->vcpus; v; v = v->sibling) {
            if (!vcpu_active(v->vcpu))
                continue;
            v->credit = MIN(v->credit + (int64_t)income, CREDIT_CLIP);
            /* A capped vCPU still in debt stays parked: the cap holds after overruns. */
            v->parked = c->cap && v->credit <= 0;
        }
    }
}

static void charge(struct credit_vcpu *c, uint64_t now)
{
    uint64_t ran = now > c->start ? now - c->start : 0;

    c->credit = MAX(c->credit - (int64_t)MIN(ran, (uint64_t)CREDIT_DEBT_MAX), -CREDIT_DEBT_MAX);
    c->boost = false;
    if (cd(c->vcpu->domain)->cap && c->credit <= 0)
        c->parked = true;
}

/* Is a better than b to run next? */
static bool better(const struct credit_vcpu *a, const struct credit_vcpu *b)
{
    if (!b)
        return true;
    if (a->boost != b->boost)
        return a->boost;
    return a->credit > b->credit;
}

/* The best vCPU in cpu's queue that may run on on_cpu. */
static struct credit_vcpu *best_in(unsigned int cpu, unsigned int on_cpu)
{
    struct credit_vcpu *best = NULL;

    for (struct credit_vcpu *c = runq[cpu]; c; c = c->next)
        if (!c->parked && cpumask_test(c->vcpu->hard_affinity, on_cpu) && better(c, best))
            best = c;
    return best;
}

/* Local queue first; steal from other pCPUs only what beats it. */
static struct credit_vcpu *pick(unsigned int cpu)
{
    struct credit_vcpu *best = best_in(cpu, cpu);
    unsigned int other;

    for_each_cpu(other, sched_cpus) {
        struct credit_vcpu *c;

        if (other == cpu)
            continue;
        c = best_in(other, cpu);
        /* Steal only what the owner's pCPU would not run now anyway. */
        if (c && better(c, best) && !(other < NR_CPUS && cpumask_test(idle_cpus, other)))
            best = c;
    }
    return best;
}

static uint64_t slice_for(const struct credit_vcpu *c)
{
    uint64_t slice = CREDIT_SLICE_NS;

    /* A capped vCPU runs no longer than its credit lasts. */
    if (cd(c->vcpu->domain)->cap && c->credit > 0)
        slice = MIN(slice, MAX((uint64_t)c->credit, CREDIT_MIN_SLICE_NS));
    return slice;
}

static struct sched_decision credit_do_schedule(unsigned int cpu, struct vcpu *prev,
                                                bool prev_runnable, uint64_t now)
{
    struct credit_vcpu *next;
    uint64_t until_acct;

    if (prev) {
        charge(cv(prev), now);
        if (prev_runnable)
            runq_insert(cv(prev), cpu);
    }
    if (now >= last_accounting + CREDIT_PERIOD_NS)
        account(now);
    next = pick(cpu);
    until_acct = last_accounting + CREDIT_PERIOD_NS - MIN(now, last_accounting + CREDIT_PERIOD_NS);
    if (!next) {
        idle_cpus |= cpumask_of(cpu);
        /* Parked vCPUs come back at the next period: wake up for it. */
        return (struct sched_decision){ NULL, MAX(until_acct, CREDIT_MIN_SLICE_NS) };
    }
    idle_cpus &= ~cpumask_of(cpu);
    runq_remove(next);
    next->start = now;
    next->vcpu->processor = cpu;
    return (struct sched_decision){ next->vcpu, slice_for(next) };
}

/* Where a waking vCPU should queue: its last pCPU if idle, else an idle one it likes. */
static unsigned int place(const struct vcpu *v)
{
    cpumask_t allowed = v->hard_affinity & sched_cpus, idle = allowed & idle_cpus;
    cpumask_t preferred = idle & v->soft_affinity;

    if (cpumask_test(idle, v->processor))
        return v->processor;
    if (!cpumask_empty(preferred))
        return cpumask_first(preferred);
    if (!cpumask_empty(idle))
        return cpumask_first(idle);
    if (cpumask_test(allowed, v->processor))
        return v->processor;
    return cpumask_first(allowed);
}

static unsigned int credit_wake(struct vcpu *v, uint64_t now)
{
    struct credit_vcpu *c = cv(v);
    unsigned int cpu = place(v);
    struct vcpu *curr;

    if (cpu >= NR_CPUS)
        return NR_CPUS;
    /* An I/O-bound vCPU that still has credit gets to answer at once. */
    c->boost = c->credit > 0 && !c->parked;
    runq_insert(c, cpu);
    curr = percpu_of(cpu)->curr;
    if (cpumask_test(idle_cpus, cpu) || !curr || (c->boost && !cv(curr)->boost))
        return cpu;
    return NR_CPUS;
}

static void credit_sleep(struct vcpu *v) { runq_remove(cv(v)); }
static void credit_yield(struct vcpu *v) { cv(v)->boost = false; }

static void credit_affinity_changed(struct vcpu *v)
{
    struct credit_vcpu *c = cv(v);

    if (c->queued_on < NR_CPUS && !cpumask_test(v->hard_affinity, c->queued_on))
        runq_insert(c, place(v));
}

static int credit_init(cpumask_t cpus)
{
    sched_cpus = cpus;
    idle_cpus = cpus;
    last_accounting = 0;
    return 0;
}

static int credit_alloc_domain(struct domain *d)
{
    struct credit_domain *c = page_alloc_zeroed(0);

    if (!c)
        return -ENOMEM;
    c->weight = CREDIT_DEFAULT_WEIGHT;
    c->next = domains;
    domains = c;
    d->sched_priv = c;
    return 0;
}

static void credit_free_domain(struct domain *d)
{
    struct credit_domain *c = d->sched_priv;

    if (!c)
        return;
    for (struct credit_domain **p = &domains; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    page_free(c, 0);
    d->sched_priv = NULL;
}

static int credit_alloc_vcpu(struct vcpu *v)
{
    struct credit_vcpu *c = page_alloc_zeroed(0);

    if (!c)
        return -ENOMEM;
    c->vcpu = v;
    c->queued_on = NR_CPUS;
    v->sched_priv = c;
    return 0;
}

static void credit_free_vcpu(struct vcpu *v)
{
    if (v->sched_priv)
        page_free(v->sched_priv, 0);
    v->sched_priv = NULL;
}

static void credit_insert(struct vcpu *v)
{
    struct credit_domain *d = cd(v->domain);

    cv(v)->sibling = d->vcpus;
    d->vcpus = cv(v);
    d->nr_vcpus++;
}

static void credit_remove(struct vcpu *v)
{
    struct credit_domain *d = cd(v->domain);

    runq_remove(cv(v));
    for (struct credit_vcpu **p = &d->vcpus; *p; p = &(*p)->sibling) {
        if (*p == cv(v)) {
            *p = cv(v)->sibling;
            d->nr_vcpus--;
            break;
        }
    }
}

static int credit_get_params(struct domain *d, struct sched_credit_params *p)
{
    p->weight = cd(d)->weight;
    p->cap = cd(d)->cap;
    return 0;
}

static int credit_set_params(struct domain *d, const struct sched_credit_params *p)
{
    if (!p->weight || p->cap > 100 * cpumask_weight(sched_cpus))
        return -EINVAL;
    cd(d)->weight = p->weight;
    cd(d)->cap = p->cap;
    return 0;
}

static void credit_dump(void)
{
    unsigned int cpu;

    log_info(" credit: idle pCPUs %#llx, last accounting %llu us", (unsigned long long)idle_cpus,
             (unsigned long long)(last_accounting / 1000));
    for_each_cpu(cpu, sched_cpus)
        for (const struct credit_vcpu *c = runq[cpu]; c; c = c->next)
            log_info("  queued on p%u: d%u v%u, credit %lld us%s%s", cpu, c->vcpu->domain->id,
                     c->vcpu->id, (long long)(c->credit / 1000), c->boost ? ", boost" : "",
                     c->parked ? ", parked" : "");
}

const struct scheduler sched_credit = {
    .name = "credit",
    .init = credit_init,
    .alloc_domain = credit_alloc_domain,
    .free_domain = credit_free_domain,
    .alloc_vcpu = credit_alloc_vcpu,
    .free_vcpu = credit_free_vcpu,
    .insert_vcpu = credit_insert,
    .remove_vcpu = credit_remove,
    .wake = credit_wake,
    .sleep = credit_sleep,
    .yield = credit_yield,
    .do_schedule = credit_do_schedule,
    .get_params = credit_get_params,
    .set_params = credit_set_params,
    .affinity_changed = credit_affinity_changed,
    .dump = credit_dump,
};
