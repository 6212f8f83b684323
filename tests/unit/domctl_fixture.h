// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the toolstack control interface tests (test_domctl.c,
 * test_domctl_vcpu.c, each linked with domctl_fixture.c): fakes of the domain
 * list, the scheduler and the architecture's HVM context records, their
 * state, and the helpers that issue an operation. Every case also checks
 * that each domain_get() was paired with a domain_put().
 */
#ifndef XENON_UNIT_DOMCTL_FIXTURE_H
#define XENON_UNIT_DOMCTL_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <xenon/domain.h>
#include <xenon/sched.h>
#include <public/domctl.h>

#define MAX_DOMS 8
#define TSC_KHZ 2000000u
#define FAKE_CONTEXT_SIZE 3000u /* the fake arch_hvm_context_size() adds the vCPU count */
#define FAKE_CONTEXT_WRITTEN 1234u

/* What domctl.c last handed the HVM context hooks, and whether the domain was paused meanwhile. */
struct hvmctx_calls {
    unsigned int calls;
    struct domain *d;
    uint64_t buf, bufsz;
    uint32_t size, type, instance;
    bool paused;
};

extern struct hvmctx_calls hvmctx;
extern int hvmctx_rc; /* what the HVM context hooks return */
extern unsigned int nr_kills, nr_pauses;
extern bool sched_is_rr;                            /* the scheduler has no parameters */
extern struct sched_credit_params params[MAX_DOMS]; /* by place in the domain list */

/* A domain of vcpus vCPUs, down, in the list by id. */
struct domain *add_domain(domid_t id, unsigned int vcpus);
struct vcpu *caller_of(struct domain *d);
long domctl(struct domain *caller, struct xen_domctl *op);
void init_op(struct xen_domctl *op, uint32_t cmd, domid_t d);
long simple(struct domain *caller, uint32_t cmd, domid_t d);
/* d0 (control, 1 vCPU running) and d1 (2 vCPUs runnable). */
struct domain *setup(struct domain **d1);

#endif
