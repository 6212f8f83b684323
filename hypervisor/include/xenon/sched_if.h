/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a scheduler implements (credit now; credit2, RTDS, ARINC 653 later).
 *
 * The scheduling core (common/sched.c) owns vCPU states, the per-pCPU run
 * loop, timers and IPIs; a scheduler only decides. Every hook is called with
 * the core's scheduler lock held (one global lock for now), so a scheduler
 * needs no locking of its own; hooks never block and never allocate except
 * in alloc_*. The core guarantees: insert before any wake; a vCPU is handed
 * to wake() only when it becomes runnable and to sleep() when it stops being
 * runnable (blocked, down, dead, or its domain paused); do_schedule() is
 * called on each pCPU at least at every slice end it returned, and whenever
 * the core was tickled for that pCPU.
 */
#ifndef XENON_SCHED_IF_H
#define XENON_SCHED_IF_H

#include <xenon/cpumask.h>
#include <xenon/types.h>

struct vcpu;
struct domain;

/* Per-domain parameters, as XEN_DOMCTL_SCHEDOP_{get,put}info carries them for credit. */
struct sched_credit_params {
    uint16_t weight; /* 1..65535, default 256 */
    uint16_t cap;    /* percent of one pCPU, 0 = no cap */
};

struct sched_decision {
    struct vcpu *next;     /* NULL: run the idle loop */
    uint64_t slice_ns;     /* run next (or idle) for at most this long */
};

struct scheduler {
    const char *name;
    /* The pCPUs it schedules (bit per pCPU id). */
    int (*init)(cpumask_t cpus);

    int (*alloc_domain)(struct domain *d);   /* d->sched_priv */
    void (*free_domain)(struct domain *d);
    int (*alloc_vcpu)(struct vcpu *v);       /* v->sched_priv */
    void (*free_vcpu)(struct vcpu *v);

    /* v is known to the scheduler (not runnable yet). */
    void (*insert_vcpu)(struct vcpu *v);
    void (*remove_vcpu)(struct vcpu *v);

    /*
     * v became runnable. Queue it on a pCPU its hard affinity allows and
     * return the pCPU the core should tickle (make reschedule soon) because
     * v should preempt what runs there, or NR_CPUS for none.
     */
    unsigned int (*wake)(struct vcpu *v, uint64_t now);
    /* v is no longer runnable (dequeue it if queued). */
    void (*sleep)(struct vcpu *v);
    /* v gives up the rest of its slice; it stays runnable. */
    void (*yield)(struct vcpu *v);

    /*
     * Pick what cpu runs next. prev is what ran there (NULL for idle); if it
     * is still runnable (prev_runnable) the scheduler must keep it queued or
     * return it. Charge prev for the time since it was picked. v->processor
     * of the returned vCPU is set to cpu by the scheduler.
     */
    struct sched_decision (*do_schedule)(unsigned int cpu, struct vcpu *prev, bool prev_runnable,
                                         uint64_t now);

    int (*get_params)(struct domain *d, struct sched_credit_params *p);
    int (*set_params)(struct domain *d, const struct sched_credit_params *p); /* -EINVAL if out of range */
    /* v's hard affinity changed (v->hard_affinity already updated). */
    void (*affinity_changed)(struct vcpu *v);
    /* Debug key: print what is queued where (optional). */
    void (*dump)(void);
};

extern const struct scheduler sched_credit;

#endif
