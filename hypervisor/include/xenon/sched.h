/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduling core: vCPU run states, the per-pCPU run loop, tickles.
 * Decisions are delegated to a scheduler (sched_if.h).
 *
 * Lock order: sched_lock, then a pCPU's timer_lock. Never taken in interrupt
 * context.
 */
#ifndef XENON_SCHED_H
#define XENON_SCHED_H

#include <xenon/domain.h>
#include <xenon/sched_if.h>
#include <xenon/time.h>

/* Choose the scheduler by name (before sched_init): "credit" or "rr"; -EINVAL if unknown. */
int sched_select(const char *name);
/* Start scheduling on every online pCPU. */
int sched_init(void);

int sched_domain_init(struct domain *d);
void sched_domain_destroy(struct domain *d);
int sched_vcpu_init(struct vcpu *v);
void sched_vcpu_destroy(struct vcpu *v);

/* An initialised, down vCPU starts running (boot, VCPUOP_up). */
void sched_vcpu_start(struct vcpu *v);
/* Stop a vCPU (VCPUOP_down: VCPU_DOWN; domain death: VCPU_DEAD). */
void sched_vcpu_stop(struct vcpu *v, enum vcpu_state state);
/* A blocked vCPU has something to do. */
void sched_wake(struct vcpu *v);
/* The running vCPU waits for an event (unless one is pending). */
void sched_block(struct vcpu *v);
void sched_yield(struct vcpu *v);
int sched_set_affinity(struct vcpu *v, cpumask_t hard);
/*
 * Stop every vCPU of d from running (nested: as many unpauses as pauses).
 * Returns once none runs, except when called from one of d's own vCPUs,
 * which stops at its next exit.
 */
void sched_pause_domain(struct domain *d);
void sched_unpause_domain(struct domain *d);
/* v's runstate with the time in its current state counted up to now. */
void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *out);
int sched_get_params(struct domain *d, struct sched_credit_params *p);
int sched_set_params(struct domain *d, const struct sched_credit_params *p);

/* The boot pCPU's loop: returns when no domain is left. */
void sched_run(void);
/* Secondary pCPUs' loop: never returns. */
void sched_run_secondary(void) __attribute__((noreturn));
/* Timer interrupt: the slice or a timer is due on this pCPU. */
void sched_tick(void);
/* Debug key: each pCPU (what it runs, its slice, its timers) and the scheduler's queues. */
void sched_dump(void);
/* True when the vCPU running here should stop at its next exit. */
bool sched_need_resched(void);

extern const struct scheduler sched_rr;

#endif
