/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler: which vCPU runs next on this pCPU. */
#ifndef XENON_SCHED_H
#define XENON_SCHED_H

#include <xenon/domain.h>
#include <xenon/time.h>

#define SCHED_SLICE_NS MILLISECS(10)

void sched_add_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
void sched_wake(struct vcpu *v);
void sched_block(struct vcpu *v);
void sched_yield(struct vcpu *v);
/* Run guests forever; returns only when no domain is left. */
void sched_run(void);
/* Called from interrupt context when the slice timer fires. */
void sched_tick(void);
/* True when the running vCPU should stop at its next exit. */
bool sched_need_resched(void);

#endif
