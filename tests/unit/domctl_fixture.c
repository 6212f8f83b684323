// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the domctl and sysctl tests (domctl_fixture.h): fakes of
 * the domain list, the scheduler, the architecture's HVM context records and
 * what boot found, and the helpers that issue an operation.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "domctl_fixture.h"
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/hvm_context.h>
#include <xenon/hypercall.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/setup.h>
#include <public/domctl.h>
#include <public/xen.h>

/* ---- Fakes ---- */

struct percpu percpu_area[MAX_PCPUS];
unsigned int nr_cpus = 2;
cpumask_t cpu_online_mask = 0x3;
uint64_t boot_ram_pages = 131072, boot_max_mfn = 0x1ffff;

unsigned int nr_kills, nr_pauses;
bool sched_is_rr;
struct sched_credit_params params[MAX_DOMS];

/* The architecture's HVM context records (tested in test_hvm_context.c). */
struct hvmctx_calls hvmctx;
int hvmctx_rc;

static void hvmctx_called(struct domain *d, uint64_t buf)
{
    hvmctx.calls++;
    hvmctx.d = d;
    hvmctx.buf = buf;
    hvmctx.paused = d->pause_count > 0;
}

uint32_t arch_hvm_context_size(const struct domain *d) { return FAKE_CONTEXT_SIZE + d->nr_vcpus; }

int arch_hvm_context_save(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size,
                          uint32_t *written)
{
    hvmctx_called(d, buf);
    hvmctx.size = size;
    *written = FAKE_CONTEXT_WRITTEN;
    return hvmctx_rc;
}

int arch_hvm_context_save_one(struct vcpu *caller, struct domain *d, uint32_t type,
                              uint32_t instance, uint64_t buf, uint64_t *bufsz)
{
    hvmctx_called(d, buf);
    hvmctx.type = type;
    hvmctx.instance = instance;
    hvmctx.bufsz = *bufsz;
    *bufsz = 77;
    return hvmctx_rc;
}

int arch_hvm_context_load(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size)
{
    hvmctx_called(d, buf);
    hvmctx.size = size;
    return hvmctx_rc;
}

static unsigned int slot_of(const struct domain *d)
{
    for (unsigned int i = 0; i < unit_domain_count(); i++)
        if (unit_domain_at(i) == d)
            return i;
    abort();
}

struct domain *add_domain(domid_t id, unsigned int vcpus)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->id = id;
    d->nr_vcpus = vcpus;
    d->shared_info_gfn = SHARED_INFO_UNMAPPED;
    for (unsigned int v = 0; v < vcpus; v++) {
        d->vcpus[v] = calloc(1, sizeof(struct vcpu));
        d->vcpus[v]->domain = d;
        d->vcpus[v]->id = v;
        d->vcpus[v]->hard_affinity = cpu_online_mask;
        d->vcpus[v]->soft_affinity = CPUMASK_ALL;
    }
    unit_domain_add(d);
    return d;
}

static void reset(void)
{
    for (struct domain *d; (d = unit_domain_at(0));) {
        unit_domain_remove(d);
        for (unsigned int v = 0; v < d->nr_vcpus; v++)
            free(d->vcpus[v]);
        free(d);
    }
    nr_kills = nr_pauses = 0;
    memset(&hvmctx, 0, sizeof(hvmctx));
    hvmctx_rc = 0;
    sched_is_rr = false;
    for (unsigned int i = 0; i < MAX_DOMS; i++)
        params[i] = (struct sched_credit_params){ 256, 0 };
}

int domain_create(domid_t id, unsigned int nr_vcpus, uint64_t max_pages, unsigned int flags, struct domain **out)
{
    struct domain *d;

    (void)flags;
    if (!nr_vcpus || nr_vcpus > MAX_VIRT_CPUS || id >= DOMID_FIRST_RESERVED ||
        unit_domain_count() == MAX_DOMS)
        return -EINVAL;
    if (domain_by_id(id))
        return -EEXIST;
    d = add_domain(id, nr_vcpus);
    d->max_pages = max_pages;
    for (unsigned int v = 0; v < nr_vcpus; v++)
        d->vcpus[v]->state = VCPU_DOWN;
    *out = d;
    return 0;
}

bool domain_kill(struct domain *d)
{
    if (d->state != DOMAIN_RUNNING)
        return false;
    d->state = DOMAIN_KILLED;
    nr_kills++;
    return true;
}

void sched_get_runstate(struct vcpu *v, struct vcpu_runstate_info *out) { *out = v->runstate; }

void sched_pause_domain(struct domain *d)
{
    d->pause_count++;
    nr_pauses++;
}

void sched_unpause_domain(struct domain *d)
{
    CHECK(d->pause_count > 0);
    d->pause_count--;
}

int sched_set_affinity(struct vcpu *v, cpumask_t hard)
{
    if (!(hard & cpu_online_mask))
        return -EINVAL;
    v->hard_affinity = hard & cpu_online_mask;
    return 0;
}

int sched_get_params(struct domain *d, struct sched_credit_params *p)
{
    if (sched_is_rr)
        return -EOPNOTSUPP;
    *p = params[slot_of(d)];
    return 0;
}

int sched_set_params(struct domain *d, const struct sched_credit_params *p)
{
    if (sched_is_rr)
        return -EOPNOTSUPP;
    if (!p->weight || p->cap > 100 * nr_cpus)
        return -EINVAL;
    params[slot_of(d)] = *p;
    return 0;
}

uint64_t tsc_khz(void) { return TSC_KHZ; }
uint64_t frames_nr_free(void) { return 1000; }

/* ---- Helpers ---- */

struct vcpu *caller_of(struct domain *d) { return d->vcpus[0]; }

long domctl(struct domain *caller, struct xen_domctl *op)
{
    struct hypercall_args a = { __HYPERVISOR_domctl, { (uint64_t)(uintptr_t)op } };

    return do_domctl(caller_of(caller), &a);
}

void init_op(struct xen_domctl *op, uint32_t cmd, domid_t d)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = d;
}

long simple(struct domain *caller, uint32_t cmd, domid_t d)
{
    struct xen_domctl op;

    init_op(&op, cmd, d);
    return domctl(caller, &op);
}

/* d0 (control, 1 vCPU running) and d1 (2 vCPUs runnable). */
struct domain *setup(struct domain **d1)
{
    struct domain *d0;

    reset();
    d0 = add_domain(0, 1);
    d0->vcpus[0]->state = VCPU_RUNNABLE;
    d0->vcpus[0]->is_running = true;
    *d1 = add_domain(1, 2);
    (*d1)->vcpus[0]->state = VCPU_RUNNABLE;
    (*d1)->vcpus[1]->state = VCPU_RUNNABLE;
    return d0;
}
