/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduling core. It owns vCPU run states and runs the loop on every
 * pCPU; which vCPU runs where and for how long is the scheduler's decision
 * (sched_if.h). All scheduler state is under sched_lock.
 *
 * A vCPU's is_running stays true from being picked until the next decision
 * on its pCPU; a wake meanwhile only marks it runnable, and the decision
 * (prev_runnable) puts it back, so it is never queued twice.
 */
#include <xenon/arch.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <xenon/timer.h>

static spinlock_t sched_lock = SPINLOCK_INIT;
static const struct scheduler *ops = &sched_credit;
static volatile bool sched_started;

struct vcpu *current_vcpu(void) { return this_cpu()->curr; }
bool sched_need_resched(void) { return this_cpu()->need_resched; }
void sched_tick(void) { this_cpu()->need_resched = true; }

int sched_select(const char *name)
{
    static const struct scheduler *const all[] = { &sched_credit, &sched_rr };

    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        if (!strcmp(name, all[i]->name)) {
            ops = all[i];
            return 0;
        }
    }
    return -EINVAL;
}

int sched_init(void)
{
    int rc = ops->init(cpu_online_mask);

    if (!rc) {
        log_info("scheduler: %s on %u pCPU%s", ops->name, nr_cpus, nr_cpus > 1 ? "s" : "");
        __atomic_store_n(&sched_started, true, __ATOMIC_RELEASE);
    }
    return rc;
}

/* Make cpu run its scheduler soon. */
static void tickle(unsigned int cpu)
{
    if (cpu >= NR_CPUS || !cpumask_test(cpu_online_mask, cpu))
        return;
    percpu_of(cpu)->need_resched = true;
    if (cpu != smp_processor_id())
        arch_kick_cpu(cpu);
}

int sched_domain_init(struct domain *d)
{
    int rc;

    spin_lock(&sched_lock);
    rc = ops->alloc_domain(d);
    spin_unlock(&sched_lock);
    return rc;
}

void sched_domain_destroy(struct domain *d)
{
    spin_lock(&sched_lock);
    ops->free_domain(d);
    spin_unlock(&sched_lock);
}

int sched_vcpu_init(struct vcpu *v)
{
    int rc;

    v->hard_affinity = v->soft_affinity = CPUMASK_ALL;
    /* Offline from now on: no phantom running time before its first run. */
    v->runstate = (struct vcpu_runstate_info){ .state = RUNSTATE_offline, .state_entry_time = now_ns() };
    spin_lock(&sched_lock);
    rc = ops->alloc_vcpu(v);
    if (!rc)
        ops->insert_vcpu(v);
    spin_unlock(&sched_lock);
    return rc;
}

void sched_vcpu_destroy(struct vcpu *v)
{
    spin_lock(&sched_lock);
    ops->remove_vcpu(v);
    ops->free_vcpu(v);
    spin_unlock(&sched_lock);
}

/* Under sched_lock: account the time v spent in its old runstate. */
static void runstate_set(struct vcpu *v, int state, uint64_t now)
{
    struct vcpu_runstate_info *r = &v->runstate;

    if (now > r->state_entry_time)
        r->time[r->state & 3] += now - r->state_entry_time;
    r->state_entry_time = MAX(now, r->state_entry_time);
    r->state = state;
}

static int runstate_of(const struct vcpu *v)
{
    switch (v->state) {
    case VCPU_RUNNABLE:
        return RUNSTATE_runnable;
    case VCPU_BLOCKED:
        return RUNSTATE_blocked;
    default:
        return RUNSTATE_offline;
    }
}

/*
 * Refresh the guest's registered copy. Only on the pCPU about to run v or
 * that just ran it, where its paging state may be read; a bad address is the
 * guest's problem and is ignored, as in Xen.
 */
static void runstate_publish(struct vcpu *v)
{
    struct vcpu_runstate_info copy;

    if (!v->runstate_gva)
        return;
    spin_lock(&sched_lock);
    copy = v->runstate;
    spin_unlock(&sched_lock);
    (void)copy_to_guest(v, v->runstate_gva, &copy, sizeof(copy));
}

void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *out)
{
    spin_lock(&sched_lock);
    *out = v->runstate;
    /* Include the time in the current state up to now. */
    if (now_ns() > out->state_entry_time)
        out->time[out->state & 3] += now_ns() - out->state_entry_time;
    spin_unlock(&sched_lock);
}

/* Under sched_lock: v becomes runnable; the pCPU to tickle, or NR_CPUS. */
static unsigned int make_runnable(struct vcpu *v)
{
    v->state = VCPU_RUNNABLE;
    if (v->is_running)
        return NR_CPUS;
    runstate_set(v, RUNSTATE_runnable, now_ns());
    /* A paused domain's vCPUs reach the scheduler when it is unpaused. */
    return v->domain->pause_count ? NR_CPUS : ops->wake(v, now_ns());
}

/* Runnable and allowed to run: what the scheduler may have queued. */
static bool schedulable(const struct vcpu *v)
{
    return v->state == VCPU_RUNNABLE && !v->domain->pause_count;
}

void sched_vcpu_start(struct vcpu *v)
{
    unsigned int cpu = NR_CPUS;

    spin_lock(&sched_lock);
    if (v->state == VCPU_DOWN && v->initialised)
        cpu = make_runnable(v);
    spin_unlock(&sched_lock);
    tickle(cpu);
}

void sched_wake(struct vcpu *v)
{
    unsigned int cpu = NR_CPUS;

    spin_lock(&sched_lock);
    if (v->state == VCPU_BLOCKED)
        cpu = make_runnable(v);
    spin_unlock(&sched_lock);
    tickle(cpu);
}

void sched_vcpu_stop(struct vcpu *v, enum vcpu_state state)
{
    unsigned int cpu = NR_CPUS;

    spin_lock(&sched_lock);
    if (schedulable(v) && !v->is_running)
        ops->sleep(v);
    if (v->state != VCPU_DEAD)
        v->state = state;
    if (!v->is_running)
        runstate_set(v, RUNSTATE_offline, now_ns());
    if (v->is_running)
        cpu = v->processor;
    spin_unlock(&sched_lock);
    tickle(cpu);
}

void sched_block(struct vcpu *v)
{
    spin_lock(&sched_lock);
    /* An event already pending means the block returns at once. */
    if (!v->vcpu_info->evtchn_upcall_pending && !arch_vcpu_irq_pending(v) && v->state == VCPU_RUNNABLE) {
        v->state = VCPU_BLOCKED;
        this_cpu()->need_resched = true;
    }
    spin_unlock(&sched_lock);
}

void sched_yield(struct vcpu *v)
{
    spin_lock(&sched_lock);
    ops->yield(v);
    spin_unlock(&sched_lock);
    this_cpu()->need_resched = true;
}

static bool any_running(const struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] && __atomic_load_n(&d->vcpus[i]->is_running, __ATOMIC_ACQUIRE))
            return true;
    return false;
}

void sched_pause_domain(struct domain *d)
{
    cpumask_t kick = 0;
    unsigned int cpu;

    spin_lock(&sched_lock);
    if (d->pause_count++ == 0) {
        for (unsigned int i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (!v || v->state != VCPU_RUNNABLE)
                continue;
            if (v->is_running)
                kick |= cpumask_of(v->processor);
            else
                ops->sleep(v);
        }
    }
    spin_unlock(&sched_lock);
    for_each_cpu(cpu, kick)
        tickle(cpu);
    /* A vCPU cannot wait for itself to stop: it stops at its next exit. */
    if (current_vcpu() && current_vcpu()->domain == d)
        return;
    while (any_running(d))
        arch_cpu_relax();
}

void sched_unpause_domain(struct domain *d)
{
    cpumask_t kick = 0;
    unsigned int cpu;

    spin_lock(&sched_lock);
    if (d->pause_count && --d->pause_count == 0) {
        for (unsigned int i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (v && v->state == VCPU_RUNNABLE && !v->is_running) {
                cpu = ops->wake(v, now_ns());
                if (cpu < NR_CPUS)
                    kick |= cpumask_of(cpu);
            }
        }
    }
    spin_unlock(&sched_lock);
    for_each_cpu(cpu, kick)
        tickle(cpu);
}

int sched_set_affinity(struct vcpu *v, cpumask_t hard)
{
    unsigned int cpu = NR_CPUS;

    hard &= cpu_online_mask;
    if (cpumask_empty(hard))
        return -EINVAL;
    spin_lock(&sched_lock);
    v->hard_affinity = hard;
    ops->affinity_changed(v);
    if (v->is_running && !cpumask_test(hard, v->processor))
        cpu = v->processor;
    spin_unlock(&sched_lock);
    tickle(cpu);
    return 0;
}

int sched_get_params(struct domain *d, struct sched_credit_params *p)
{
    int rc;

    spin_lock(&sched_lock);
    rc = ops->get_params(d, p);
    spin_unlock(&sched_lock);
    return rc;
}

int sched_set_params(struct domain *d, const struct sched_credit_params *p)
{
    int rc;

    spin_lock(&sched_lock);
    rc = ops->set_params(d, p);
    spin_unlock(&sched_lock);
    return rc;
}

void sched_timer_changed(uint64_t next)
{
    arch_set_timer(MIN(next, this_cpu()->slice_end));
}

void sched_dump(void)
{
    uint64_t now = now_ns();
    unsigned int cpu;

    log_info("scheduler %s at %llu us:", ops->name, (unsigned long long)(now / 1000));
    for_each_cpu(cpu, cpu_online_mask) {
        const struct percpu *p = percpu_of(cpu);
        const struct vcpu *v = p->curr;

        log_info(" p%u: %s d%d v%d, resched %u, slice ends in %lld us", cpu, v ? "runs" : "idle",
                 v ? (int)v->domain->id : -1, v ? (int)v->id : -1, p->need_resched,
                 time_us_from(now, p->slice_end));
        timer_dump(cpu, now);
    }
    if (!ops->dump)
        return;
    if (!spin_trylock(&sched_lock)) {
        log_info(" run queues: scheduler lock held");
        return;
    }
    ops->dump();
    spin_unlock(&sched_lock);
}

/* One decision and what follows it: run the chosen vCPU, or idle. */
static struct vcpu *schedule_once(struct vcpu *prev)
{
    struct percpu *p = this_cpu();
    uint64_t next_timer = timer_run_expired(now_ns()), now = now_ns();
    struct sched_decision dec;
    struct vcpu *v;

    spin_lock(&sched_lock);
    if (prev) {
        prev->is_running = false;
        runstate_set(prev, runstate_of(prev), now);
    }
    dec = ops->do_schedule(p->cpu, prev, prev && schedulable(prev), now);
    v = dec.next;
    if (v) {
        v->is_running = true;
        v->processor = p->cpu;
        runstate_set(v, RUNSTATE_running, now);
    }
    p->curr = v;
    p->need_resched = false;
    spin_unlock(&sched_lock);

    p->slice_end = dec.slice_ns > UINT64_MAX - now ? UINT64_MAX : now + dec.slice_ns;
    arch_set_timer(MIN(next_timer, p->slice_end));
    if (!v) {
        arch_idle();
        return NULL;
    }
    vcpu_update_time(v);
    runstate_publish(v);
    arch_vcpu_run(v);
    runstate_publish(v);
    return v;
}

void sched_run(void)
{
    struct vcpu *prev = NULL;

    for (;;) {
        domain_reap();
        if (domains_all_gone())
            return;
        prev = schedule_once(prev);
    }
}

void sched_run_secondary(void)
{
    struct vcpu *prev = NULL;

    while (!__atomic_load_n(&sched_started, __ATOMIC_ACQUIRE))
        arch_cpu_relax();
    for (;;) {
        domain_reap();
        prev = schedule_once(prev);
    }
}
