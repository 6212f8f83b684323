// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack control interface (common/domctl.c, common/sysctl.c with the
 * real access-control hooks of common/xsm.c): the order of the checks, each
 * operation's argument checks and effects, Xen's bitmap conversion and
 * getdomaininfo flags, against fakes of the domain list, the scheduler and
 * guest memory (a guest address is a host pointer here). Every case also
 * checks that each domain_get() was paired with a domain_put().
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/guest_access.h>
#include <xenon/hvm_context.h>
#include <xenon/hypercall.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/setup.h>
#include <public/domctl.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/xen.h>

#define MAX_DOMS 8
#define TSC_KHZ 2000000u

/* ---- Fakes ---- */

struct percpu percpu_area[MAX_PCPUS];
unsigned int nr_cpus = 2;
cpumask_t cpu_online_mask = 0x3;
uint64_t boot_ram_pages = 131072, boot_max_mfn = 0x1ffff;

static struct domain *doms[MAX_DOMS]; /* sorted by id, as the real list */
static unsigned int nr_doms, nr_kills, nr_pauses;
static bool sched_is_rr;
static struct sched_credit_params params[MAX_DOMS];

/*
 * The architecture's HVM context records (tested in test_hvm_context.c):
 * what domctl.c hands them, and whether the domain was paused meanwhile.
 */
#define FAKE_CONTEXT_SIZE 3000u
#define FAKE_CONTEXT_WRITTEN 1234u

static struct {
    unsigned int calls;
    struct domain *d;
    uint64_t buf, bufsz;
    uint32_t size, type, instance;
    bool paused;
} hvmctx;
static int hvmctx_rc;

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
    for (unsigned int i = 0; i < nr_doms; i++)
        if (doms[i] == d)
            return i;
    abort();
}

static struct domain *add_domain(domid_t id, unsigned int vcpus)
{
    struct domain *d = calloc(1, sizeof(*d));
    unsigned int i = nr_doms;

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
    while (i && doms[i - 1]->id > id) {
        doms[i] = doms[i - 1];
        i--;
    }
    doms[i] = d;
    nr_doms++;
    return d;
}

static void reset(void)
{
    for (unsigned int i = 0; i < nr_doms; i++) {
        for (unsigned int v = 0; v < doms[i]->nr_vcpus; v++)
            free(doms[i]->vcpus[v]);
        free(doms[i]);
    }
    nr_doms = nr_kills = nr_pauses = 0;
    memset(&hvmctx, 0, sizeof(hvmctx));
    hvmctx_rc = 0;
    sched_is_rr = false;
    for (unsigned int i = 0; i < MAX_DOMS; i++)
        params[i] = (struct sched_credit_params){ 256, 0 };
}

static void check_refs_balanced(void)
{
    for (unsigned int i = 0; i < nr_doms; i++)
        CHECK_EQ(doms[i]->refcnt, 0);
}

struct domain *domain_get(domid_t id)
{
    for (unsigned int i = 0; i < nr_doms; i++) {
        if (doms[i]->id == id) {
            doms[i]->refcnt++;
            return doms[i];
        }
    }
    return NULL;
}

struct domain *domain_get_next(domid_t id)
{
    for (unsigned int i = 0; i < nr_doms; i++) {
        if (doms[i]->id >= id) {
            doms[i]->refcnt++;
            return doms[i];
        }
    }
    return NULL;
}

void domain_put(struct domain *d)
{
    CHECK(d->refcnt > 0);
    d->refcnt--;
}

int domain_create(domid_t id, unsigned int nr_vcpus, uint64_t max_pages, unsigned int flags, struct domain **out)
{
    struct domain *d;

    (void)flags;
    if (!nr_vcpus || nr_vcpus > MAX_VIRT_CPUS || id >= DOMID_FIRST_RESERVED || nr_doms == MAX_DOMS)
        return -EINVAL;
    for (unsigned int i = 0; i < nr_doms; i++)
        if (doms[i]->id == id)
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

static struct vcpu *caller_of(struct domain *d) { return d->vcpus[0]; }

static long domctl(struct domain *caller, struct xen_domctl *op)
{
    struct hypercall_args a = { __HYPERVISOR_domctl, { (uint64_t)(uintptr_t)op } };

    return do_domctl(caller_of(caller), &a);
}

static long sysctl(struct domain *caller, struct xen_sysctl *op)
{
    struct hypercall_args a = { __HYPERVISOR_sysctl, { (uint64_t)(uintptr_t)op } };

    return do_sysctl(caller_of(caller), &a);
}

static void init_op(struct xen_domctl *op, uint32_t cmd, domid_t d)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = d;
}

static long simple(struct domain *caller, uint32_t cmd, domid_t d)
{
    struct xen_domctl op;

    init_op(&op, cmd, d);
    return domctl(caller, &op);
}

/* d0 (control, 1 vCPU running) and d1 (2 vCPUs runnable). */
static struct domain *setup(struct domain **d1)
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

static void pvh_config(struct xen_domctl *op, domid_t want)
{
    init_op(op, XEN_DOMCTL_createdomain, want);
    op->u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    op->u.createdomain.max_vcpus = 2;
    op->u.createdomain.max_grant_frames = -1;
    op->u.createdomain.max_maptrack_frames = -1;
    op->u.createdomain.grant_opts = 1;
    op->u.createdomain.arch.emulation_flags = XEN_X86_EMU_LAPIC;
}

/* ---- The order of the checks ---- */

TEST(bad_pointer_is_efault)
{
    struct domain *d1, *d0 = setup(&d1);
    struct hypercall_args a = { __HYPERVISOR_domctl, { BAD_GVA } };

    CHECK_EQ(do_domctl(caller_of(d0), &a), -EFAULT);
    CHECK_EQ(do_sysctl(caller_of(d0), &a), -EFAULT);
    check_refs_balanced();
}

TEST(version_checked_before_anything)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    struct xen_sysctl sop = { .cmd = XEN_SYSCTL_physinfo, .interface_version = 0x14 };

    init_op(&op, XEN_DOMCTL_pausedomain, 1);
    op.interface_version = 0x14;
    CHECK_EQ(domctl(d1, &op), -EACCES);
    CHECK_EQ(domctl(d0, &op), -EACCES);
    CHECK_EQ(d1->pause_count, 0);
    CHECK_EQ(sysctl(d0, &sop), -EACCES);
    check_refs_balanced();
}

TEST(unknown_domain_before_access_control)
{
    struct domain *d1, *d0 = setup(&d1);

    /* As Xen: the domain is looked up first, so anyone learns -ESRCH. */
    CHECK_EQ(simple(d1, XEN_DOMCTL_pausedomain, 7), -ESRCH);
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 7), -ESRCH);
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, DOMID_SELF), -ESRCH);
    check_refs_balanced();
}

TEST(only_the_control_domain)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    struct xen_sysctl sop = { .cmd = XEN_SYSCTL_physinfo, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };

    CHECK_EQ(simple(d1, XEN_DOMCTL_pausedomain, 0), -EPERM);
    CHECK_EQ(simple(d1, XEN_DOMCTL_getdomaininfo, 1), -EPERM);
    CHECK_EQ(simple(d1, 999, 1), -EPERM);
    pvh_config(&op, 0);
    CHECK_EQ(domctl(d1, &op), -EPERM);
    CHECK_EQ(nr_doms, 2);
    CHECK_EQ(sysctl(d1, &sop), -EPERM);
    CHECK_EQ(d0->pause_count, 0);
    check_refs_balanced();
}

TEST(unknown_command_is_enosys)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_sysctl sop = { .cmd = 0xdead, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };

    CHECK_EQ(simple(d0, 999, 1), -ENOSYS);
    CHECK_EQ(simple(d0, 0, 1), -ENOSYS);
    CHECK_EQ(simple(d0, 0xffffffffu, 1), -ENOSYS);
    CHECK_EQ(simple(d0, XEN_DOMCTL_shadow_op, 1), -ENOSYS);
    CHECK_EQ(simple(d0, XEN_DOMCTL_getvcpucontext, 1), -ENOSYS);
    CHECK_EQ(sysctl(d0, &sop), -ENOSYS);
    check_refs_balanced();
}

/* ---- getdomaininfo ---- */

TEST(getdomaininfo_finds_the_next_id)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;

    add_domain(5, 1);
    init_op(&op, XEN_DOMCTL_getdomaininfo, 2);
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(op.domain, 5);
    CHECK_EQ(op.u.getdomaininfo.domain, 5);
    init_op(&op, XEN_DOMCTL_getdomaininfo, 6);
    CHECK_EQ(domctl(d0, &op), -ESRCH);
    CHECK_EQ(op.domain, 6); /* nothing copied back */
    init_op(&op, XEN_DOMCTL_getdomaininfo, DOMID_FIRST_RESERVED);
    CHECK_EQ(domctl(d0, &op), -EINVAL);
    check_refs_balanced();
}

TEST(getdomaininfo_fields)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    struct xen_domctl_getdomaininfo *in = &op.u.getdomaininfo;

    d1->pages.nr = 100;
    d1->max_pages = 4096;
    d1->shared_info_gfn = 0xfeff;
    d1->handle[3] = 9;
    d1->vcpus[0]->runstate.time[RUNSTATE_running] = 1000;
    d1->vcpus[0]->runstate.time[RUNSTATE_runnable] = 77;
    d1->vcpus[1]->runstate.time[RUNSTATE_running] = 234;
    init_op(&op, XEN_DOMCTL_getdomaininfo, 1);
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(in->flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
    CHECK_EQ(in->tot_pages, 100);
    CHECK_EQ(in->max_pages, 4096);
    CHECK_EQ(in->shared_info_frame, 0xfeff);
    CHECK_EQ(in->cpu_time, 1234);
    CHECK_EQ(in->nr_online_vcpus, 2);
    CHECK_EQ(in->max_vcpu_id, 1);
    CHECK_EQ(in->handle[3], 9);
    CHECK_EQ(in->cpupool, 0);
    CHECK_EQ(in->gpaddr_bits, 48);
    CHECK_EQ(in->arch_config.emulation_flags, XEN_X86_EMU_LAPIC);
    check_refs_balanced();
}

static uint32_t flags_of(struct domain *d0, domid_t id)
{
    struct xen_domctl op;

    init_op(&op, XEN_DOMCTL_getdomaininfo, id);
    CHECK_EQ(domctl(d0, &op), 0);
    return op.u.getdomaininfo.flags & ~(XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
}

TEST(getdomaininfo_flags)
{
    struct domain *d1, *d0 = setup(&d1);

    CHECK_EQ(flags_of(d0, 0), XEN_DOMINF_running);
    d1->vcpus[0]->state = VCPU_BLOCKED;
    CHECK_EQ(flags_of(d0, 1), 0); /* one of two blocked: not blocked */
    d1->vcpus[1]->state = VCPU_BLOCKED;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_blocked);
    d1->vcpus[1]->state = VCPU_DOWN;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_blocked); /* down vCPUs do not count */
    d1->vcpus[0]->state = VCPU_DOWN;
    CHECK_EQ(flags_of(d0, 1), 0); /* no online vCPU: neither blocked nor running */
    d1->controller_pause_count = 1;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_paused);
    d1->controller_pause_count = 0;
    d1->pause_count = 1; /* an internal pause is not the controller's */
    CHECK_EQ(flags_of(d0, 1), 0);
    d1->state = DOMAIN_SHUTDOWN;
    d1->shutdown_reason = SHUTDOWN_reboot;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_shutdown | SHUTDOWN_reboot << XEN_DOMINF_shutdownshift);
    d1->state = DOMAIN_CRASHED;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_shutdown | SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    d1->state = DOMAIN_KILLED;
    CHECK_EQ(flags_of(d0, 1), XEN_DOMINF_dying);
    check_refs_balanced();
}

TEST(getvcpuinfo)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;

    d1->vcpus[1]->state = VCPU_BLOCKED;
    d1->vcpus[1]->processor = 1;
    d1->vcpus[1]->runstate.time[RUNSTATE_running] = 55;
    init_op(&op, XEN_DOMCTL_getvcpuinfo, 1);
    op.u.getvcpuinfo.vcpu = 1;
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 1);
    CHECK_EQ(op.u.getvcpuinfo.blocked, 1);
    CHECK_EQ(op.u.getvcpuinfo.running, 0);
    CHECK_EQ(op.u.getvcpuinfo.cpu_time, 55);
    CHECK_EQ(op.u.getvcpuinfo.cpu, 1);
    op.u.getvcpuinfo.vcpu = 2;
    CHECK_EQ(domctl(d0, &op), -EINVAL);
    check_refs_balanced();
}

/* ---- createdomain ---- */

TEST(createdomain_refuses_what_we_cannot_build)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    static const struct {
        uint32_t flags, iommu, vcpus, grant, vmtrace, pool, emu, misc;
        int32_t gframes;
        int err;
    } bad[] = {
        { 0, 0, 2, 1, 0, 0, 1, 0, -1, -EINVAL },          /* PV */
        { 1, 0, 2, 1, 0, 0, 1, 0, -1, -EINVAL },          /* HVM on shadow paging */
        { 3 | 1u << 5, 0, 2, 1, 0, 0, 1, 0, -1, -EINVAL }, /* IOMMU */
        { 3 | 1u << 8, 0, 2, 1, 0, 0, 1, 0, -1, -EINVAL }, /* unknown flag */
        { 3, 1, 2, 1, 0, 0, 1, 0, -1, -EINVAL },          /* IOMMU options */
        { 3, 0, 0, 1, 0, 0, 1, 0, -1, -EINVAL },          /* no vCPU */
        { 3, 0, MAX_VIRT_CPUS + 1, 1, 0, 0, 1, 0, -1, -EINVAL },
        { 3, 0, 2, 0, 0, 0, 1, 0, -1, -EINVAL },          /* grant version 0 */
        { 3, 0, 2, 2, 0, 0, 1, 0, -1, -EINVAL },          /* grant v2 */
        { 3, 0, 2, 0x11, 0, 0, 1, 0, -1, -EINVAL },       /* bits past the version */
        { 3, 0, 2, 1, 0, 0, 1, 0, 0, -EINVAL },           /* no grant frame */
        { 3, 0, 2, 1, 64, 0, 1, 0, -1, -EINVAL },         /* vmtrace */
        { 3, 0, 2, 1, 0, 1, 1, 0, -1, -ENOENT },          /* no such pool */
        { 3, 0, 2, 1, 0, 0, 0, 0, -1, -EOPNOTSUPP },      /* no LAPIC */
        { 3, 0, 2, 1, 0, 0, 0x3ff, 0, -1, -EOPNOTSUPP },  /* full HVM */
        { 3, 0, 2, 1, 0, 0, 1, 1, -1, -EOPNOTSUPP },      /* relaxed MSRs */
        { 3, 0, 2, 1, 0, 0, 1, 2, -1, -EINVAL },          /* unknown misc flag */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        pvh_config(&op, 0);
        op.u.createdomain.flags = bad[i].flags;
        op.u.createdomain.iommu_opts = bad[i].iommu;
        op.u.createdomain.max_vcpus = bad[i].vcpus;
        op.u.createdomain.grant_opts = bad[i].grant;
        op.u.createdomain.vmtrace_size = bad[i].vmtrace;
        op.u.createdomain.cpupool_id = bad[i].pool;
        op.u.createdomain.arch.emulation_flags = bad[i].emu;
        op.u.createdomain.arch.misc_flags = bad[i].misc;
        op.u.createdomain.max_grant_frames = bad[i].gframes;
        long rc = domctl(d0, &op);

        if (rc != bad[i].err)
            fprintf(stderr, "bad config %u: %ld\n", i, rc);
        CHECK_EQ(rc, bad[i].err);
        CHECK_EQ(op.domain, 0);
    }
    CHECK_EQ(nr_doms, 2);
    check_refs_balanced();
}

TEST(createdomain_ids)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;

    pvh_config(&op, 0);
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(op.domain, 2); /* 1 is taken */
    pvh_config(&op, 7);
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(op.domain, 7);
    pvh_config(&op, 7);
    CHECK_EQ(domctl(d0, &op), -EEXIST);
    pvh_config(&op, DOMID_SELF);
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(op.domain, 3); /* after the last one picked, not the last one made */
    CHECK_EQ(nr_doms, 5);
    check_refs_balanced();
}

TEST(createdomain_makes_a_paused_empty_domain)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    struct domain *d;

    pvh_config(&op, 4);
    op.u.createdomain.handle[0] = 0xab;
    CHECK_EQ(domctl(d0, &op), 0);
    d = domain_get(4);
    CHECK(d != NULL);
    CHECK_EQ(d->nr_vcpus, 2);
    CHECK_EQ(d->max_pages, 0);
    CHECK_EQ(d->handle[0], 0xab);
    CHECK_EQ(d->controller_pause_count, 1);
    CHECK_EQ(d->pause_count, 1);
    domain_put(d);
    CHECK_EQ(simple(d0, XEN_DOMCTL_unpausedomain, 4), 0);
    CHECK_EQ(d->pause_count, 0);
    check_refs_balanced();
}

/* ---- HVM context ---- */

static long hvmcontext(struct domain *caller, uint32_t cmd, domid_t d, uint64_t buf, uint32_t size,
                       struct xen_domctl *op)
{
    init_op(op, cmd, d);
    op->u.hvmcontext.buffer = buf;
    op->u.hvmcontext.size = size;
    return domctl(caller, op);
}

TEST(hvmcontext_needs_another_live_domain)
{
    static const uint32_t cmds[] = { XEN_DOMCTL_gethvmcontext, XEN_DOMCTL_sethvmcontext,
                                     XEN_DOMCTL_gethvmcontext_partial };
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    uint8_t buf[16];

    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        uint64_t b = (uint64_t)(uintptr_t)buf;

        /* As Xen: its own vCPUs could not wait for the domain to pause. */
        CHECK_EQ(hvmcontext(d0, cmds[i], 0, b, 8000, &op), -EINVAL);
        CHECK_EQ(hvmcontext(d1, cmds[i], 1, b, 8000, &op), -EPERM);
        CHECK_EQ(hvmcontext(d0, cmds[i], 7, b, 8000, &op), -ESRCH);
        d1->state = DOMAIN_KILLED;
        CHECK_EQ(hvmcontext(d0, cmds[i], 1, b, 8000, &op), -EINVAL);
        d1->state = DOMAIN_RUNNING;
    }
    CHECK_EQ(hvmctx.calls, 0);
    CHECK_EQ(nr_pauses, 0);
    check_refs_balanced();
}

TEST(gethvmcontext_size_and_room)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    uint64_t b = 0x123000;

    /* A null buffer asks for the room a get needs: nothing is saved or paused. */
    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_gethvmcontext, 1, 0, 5, &op), 0);
    CHECK_EQ(op.u.hvmcontext.size, FAKE_CONTEXT_SIZE + 2);
    CHECK_EQ(hvmctx.calls, 0);
    CHECK_EQ(nr_pauses, 0);
    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_gethvmcontext, 1, b, FAKE_CONTEXT_SIZE + 1, &op), -ENOSPC);
    CHECK_EQ(hvmctx.calls, 0);
    /* Room enough: saved while paused; the bytes written go back in size. */
    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_gethvmcontext, 1, b, FAKE_CONTEXT_SIZE + 2, &op), 0);
    CHECK_EQ(hvmctx.calls, 1);
    CHECK(hvmctx.d == d1);
    CHECK(hvmctx.paused);
    CHECK_EQ(hvmctx.buf, b);
    CHECK_EQ(hvmctx.size, FAKE_CONTEXT_SIZE + 2);
    CHECK_EQ(op.u.hvmcontext.size, FAKE_CONTEXT_WRITTEN);
    CHECK_EQ(d1->pause_count, 0);
    hvmctx_rc = -EFAULT;
    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_gethvmcontext, 1, b, 9000, &op), -EFAULT);
    CHECK_EQ(op.u.hvmcontext.size, 9000); /* not copied back */
    CHECK_EQ(d1->pause_count, 0);
    check_refs_balanced();
}

TEST(sethvmcontext_loads_while_paused)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;

    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_sethvmcontext, 1, 0x4000, 1080, &op), 0);
    CHECK_EQ(hvmctx.calls, 1);
    CHECK(hvmctx.d == d1);
    CHECK(hvmctx.paused);
    CHECK_EQ(hvmctx.buf, 0x4000);
    CHECK_EQ(hvmctx.size, 1080);
    CHECK_EQ(d1->pause_count, 0);
    /* A controller pause outlives the call. */
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 1), 0);
    hvmctx_rc = -ENODATA;
    CHECK_EQ(hvmcontext(d0, XEN_DOMCTL_sethvmcontext, 1, 0x4000, 3, &op), -ENODATA);
    CHECK_EQ(d1->pause_count, 1);
    check_refs_balanced();
}

TEST(gethvmcontext_partial)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;
    struct xen_domctl_hvmcontext_partial *p = &op.u.hvmcontext_partial;

    init_op(&op, XEN_DOMCTL_gethvmcontext_partial, 1);
    p->type = 2;
    p->instance = 1;
    p->bufsz = 2000;
    p->buffer = 0x5000;
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK(hvmctx.paused);
    CHECK_EQ(hvmctx.type, 2);
    CHECK_EQ(hvmctx.instance, 1);
    CHECK_EQ(hvmctx.bufsz, 2000);
    CHECK_EQ(hvmctx.buf, 0x5000);
    CHECK_EQ(p->bufsz, 77);
    CHECK_EQ(d1->pause_count, 0);
    hvmctx_rc = -ENOENT;
    p->bufsz = 2000;
    CHECK_EQ(domctl(d0, &op), -ENOENT);
    CHECK_EQ(d1->pause_count, 0);
    check_refs_balanced();
}

/* ---- Pause, destroy, limits ---- */

TEST(pause_nests_and_is_limited)
{
    struct domain *d1, *d0 = setup(&d1);

    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 0), -EINVAL);
    CHECK_EQ(simple(d0, XEN_DOMCTL_unpausedomain, 1), -EINVAL);
    for (unsigned int i = 0; i < 255; i++)
        CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 1), 0);
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 1), -EOVERFLOW);
    CHECK_EQ(d1->pause_count, 255);
    for (unsigned int i = 0; i < 255; i++)
        CHECK_EQ(simple(d0, XEN_DOMCTL_unpausedomain, 1), 0);
    CHECK_EQ(simple(d0, XEN_DOMCTL_unpausedomain, 1), -EINVAL);
    CHECK_EQ(d1->pause_count, 0);
    CHECK_EQ(d1->controller_pause_count, 0);
    check_refs_balanced();
}

TEST(destroydomain)
{
    struct domain *d1, *d0 = setup(&d1);

    CHECK_EQ(simple(d0, XEN_DOMCTL_destroydomain, 0), -EINVAL);
    CHECK_EQ(d0->state, DOMAIN_RUNNING);
    CHECK_EQ(simple(d0, XEN_DOMCTL_destroydomain, 1), 0);
    CHECK_EQ(d1->state, DOMAIN_KILLED);
    CHECK_EQ(simple(d0, XEN_DOMCTL_destroydomain, 1), 0); /* dying already: nothing to do */
    CHECK_EQ(nr_kills, 1);
    check_refs_balanced();
}

TEST(max_mem_and_max_vcpus)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl op;

    init_op(&op, XEN_DOMCTL_max_mem, 1);
    op.u.max_mem.max_memkb = 8195;
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(d1->max_pages, 2048);
    op.u.max_mem.max_memkb = UINT64_MAX;
    CHECK_EQ(domctl(d0, &op), 0);
    CHECK_EQ(d1->max_pages, UINT64_MAX >> 2);
    init_op(&op, XEN_DOMCTL_max_vcpus, 1);
    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(d0, &op), 0);
    op.u.max_vcpus.max = 3;
    CHECK_EQ(domctl(d0, &op), -EINVAL);
    init_op(&op, XEN_DOMCTL_max_vcpus, 0);
    op.u.max_vcpus.max = 1;
    CHECK_EQ(domctl(d0, &op), -EINVAL); /* not on ourselves */
    check_refs_balanced();
}

/* ---- Bitmaps and affinity ---- */

TEST(bitmap_to_cpumask)
{
    struct domain *d1, *d0 = setup(&d1);
    uint8_t bytes[16];
    struct xenctl_bitmap b = { (uint64_t)(uintptr_t)bytes, 12 };
    cpumask_t m;

    memset(bytes, 0xff, sizeof(bytes));
    CHECK_EQ(domctl_bitmap_to_cpumask(caller_of(d0), &b, &m), 0);
    CHECK_EQ(m, 0xfff); /* bits past nr_bits do not count */
    b.nr_bits = 128;
    CHECK_EQ(domctl_bitmap_to_cpumask(caller_of(d0), &b, &m), 0);
    CHECK(m == CPUMASK_ALL); /* bits past 64 are ignored */
    b.nr_bits = 0;
    CHECK_EQ(domctl_bitmap_to_cpumask(caller_of(d0), &b, &m), 0);
    CHECK_EQ(m, 0);
    b.nr_bits = 8;
    b.bitmap = BAD_GVA;
    CHECK_EQ(domctl_bitmap_to_cpumask(caller_of(d0), &b, &m), -EFAULT);
    check_refs_balanced();
}

TEST(cpumask_to_bitmap)
{
    struct domain *d1, *d0 = setup(&d1);
    uint8_t bytes[24];
    struct xenctl_bitmap b = { (uint64_t)(uintptr_t)bytes, 5 };

    memset(bytes, 0xaa, sizeof(bytes));
    CHECK_EQ(domctl_cpumask_to_bitmap(caller_of(d0), &b, 0xff), 0);
    CHECK_EQ(bytes[0], 0x1f);   /* cut at nr_bits */
    CHECK_EQ(bytes[1], 0xaa);   /* past the bitmap: untouched */
    b.nr_bits = 160;
    memset(bytes, 0xaa, sizeof(bytes));
    CHECK_EQ(domctl_cpumask_to_bitmap(caller_of(d0), &b, 0x0102), 0);
    CHECK_EQ(bytes[0], 0x02);
    CHECK_EQ(bytes[1], 0x01);
    for (unsigned int i = 2; i < 20; i++)
        CHECK_EQ(bytes[i], 0); /* wider than a cpumask_t: zero-filled */
    CHECK_EQ(bytes[20], 0xaa);
    b.bitmap = BAD_GVA;
    CHECK_EQ(domctl_cpumask_to_bitmap(caller_of(d0), &b, 1), -EFAULT);
    check_refs_balanced();
}

static long affinity(struct domain *d0, uint32_t cmd, uint32_t vcpu, uint8_t *hard, uint8_t *soft)
{
    struct xen_domctl op;

    init_op(&op, cmd, 1);
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = (hard ? XEN_VCPUAFFINITY_HARD : 0) | (soft ? XEN_VCPUAFFINITY_SOFT : 0);
    op.u.vcpuaffinity.cpumap_hard = (struct xenctl_bitmap){ (uint64_t)(uintptr_t)hard, 8 };
    op.u.vcpuaffinity.cpumap_soft = (struct xenctl_bitmap){ (uint64_t)(uintptr_t)soft, 8 };
    return domctl(d0, &op);
}

TEST(vcpuaffinity)
{
    struct domain *d1, *d0 = setup(&d1);
    uint8_t hard = 0x2, soft = 0x3;

    CHECK_EQ(affinity(d0, XEN_DOMCTL_setvcpuaffinity, 1, NULL, NULL), -EINVAL);
    CHECK_EQ(affinity(d0, XEN_DOMCTL_setvcpuaffinity, 2, &hard, NULL), -EINVAL);
    CHECK_EQ(affinity(d0, XEN_DOMCTL_setvcpuaffinity, 1, &hard, &soft), 0);
    CHECK_EQ(d1->vcpus[1]->hard_affinity, 0x2);
    CHECK_EQ(d1->vcpus[1]->soft_affinity, 0x3);
    CHECK_EQ(soft, 0x2); /* effective: within the hard mask */
    hard = 0x4; /* offline only: refused, and the soft mask is not changed either */
    soft = 0x1;
    CHECK_EQ(affinity(d0, XEN_DOMCTL_setvcpuaffinity, 1, &hard, &soft), -EINVAL);
    CHECK_EQ(d1->vcpus[1]->hard_affinity, 0x2);
    CHECK_EQ(d1->vcpus[1]->soft_affinity, 0x3);
    hard = soft = 0;
    CHECK_EQ(affinity(d0, XEN_DOMCTL_getvcpuaffinity, 1, &hard, &soft), 0);
    CHECK_EQ(hard, 0x2);
    CHECK_EQ(soft, 0x3); /* get returns what was set */
    check_refs_balanced();
}

/* ---- Scheduler parameters ---- */

static long credit(struct domain *d0, uint32_t sched_id, uint32_t cmd, uint16_t *w, uint16_t *c)
{
    struct xen_domctl op;
    long rc;

    init_op(&op, XEN_DOMCTL_scheduler_op, 1);
    op.u.scheduler_op.sched_id = sched_id;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit.weight = *w;
    op.u.scheduler_op.u.credit.cap = *c;
    rc = domctl(d0, &op);
    *w = op.u.scheduler_op.u.credit.weight;
    *c = op.u.scheduler_op.u.credit.cap;
    return rc;
}

TEST(scheduler_op_credit)
{
    struct domain *d1, *d0 = setup(&d1);
    uint16_t w = 512, c = 20;

    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
    w = 0, c = 0xffff;
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
    CHECK_EQ(params[1].weight, 512);
    CHECK_EQ(params[1].cap, 20);
    w = 100, c = 201; /* two pCPUs: at most 200% */
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), -EINVAL);
    w = c = 0;
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0);
    CHECK_EQ(w, 512);
    CHECK_EQ(c, 20);
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), -EINVAL);
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putvcpuinfo, &w, &c), -EINVAL);
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, 9, &w, &c), -EINVAL);
    sched_is_rr = true;
    CHECK_EQ(credit(d0, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), -EINVAL);
    check_refs_balanced();
}

/* ---- TSC, targets ---- */

static long tsc(struct domain *d0, uint32_t mode, uint32_t khz)
{
    struct xen_domctl op;

    init_op(&op, XEN_DOMCTL_settscinfo, 1);
    op.u.tsc_info.tsc_mode = mode;
    op.u.tsc_info.gtsc_khz = khz;
    return domctl(d0, &op);
}

TEST(settscinfo)
{
    struct domain *d1, *d0 = setup(&d1);

    CHECK_EQ(tsc(d0, XEN_TSC_MODE_DEFAULT, 0), 0);
    CHECK_EQ(tsc(d0, XEN_TSC_MODE_DEFAULT, TSC_KHZ), 0);
    CHECK_EQ(tsc(d0, XEN_TSC_MODE_DEFAULT, TSC_KHZ / 2), -EOPNOTSUPP);
    CHECK_EQ(tsc(d0, XEN_TSC_MODE_NEVER_EMULATE, 0), 0);
    CHECK_EQ(tsc(d0, XEN_TSC_MODE_ALWAYS_EMULATE, 0), -EOPNOTSUPP);
    CHECK_EQ(tsc(d0, 3, 0), -EINVAL);
    check_refs_balanced();
}

static long target(struct domain *d0, domid_t d, domid_t t)
{
    struct xen_domctl op;

    init_op(&op, XEN_DOMCTL_set_target, d);
    op.u.set_target.target = t;
    return domctl(d0, &op);
}

TEST(set_target)
{
    struct domain *d1, *d0 = setup(&d1);
    struct domain *d2 = add_domain(2, 1);

    CHECK_EQ(target(d0, 1, 1), -EINVAL);
    CHECK_EQ(target(d0, 1, 9), -ESRCH);
    CHECK_EQ(target(d0, 1, 2), 0);
    CHECK(d1->target == d2);
    CHECK_EQ(d2->refcnt, 1); /* held until d1 is destroyed */
    CHECK_EQ(target(d0, 1, 0), -EINVAL); /* once only */
    CHECK_EQ(target(d0, 2, 1), -EINVAL); /* a loop would never be freed */
    CHECK_EQ(d1->refcnt, 0);
    CHECK_EQ(d0->refcnt, 0);
    d2->refcnt--;
    d1->target = NULL;
    check_refs_balanced();
}

/* ---- sysctl ---- */

TEST(physinfo)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    const struct xen_sysctl_physinfo *pi = &op.u.physinfo;

    CHECK_EQ(sysctl(d0, &op), 0);
    CHECK_EQ(pi->nr_cpus, 2);
    CHECK_EQ(pi->max_cpu_id, 1);
    CHECK_EQ(pi->threads_per_core * pi->cores_per_socket, 2);
    CHECK_EQ(pi->cpu_khz, TSC_KHZ);
    CHECK_EQ(pi->capabilities, XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1);
    CHECK_EQ(pi->total_pages, 131072);
    CHECK_EQ(pi->free_pages, 1000);
    CHECK_EQ(pi->max_mfn, 0x1ffff);
    check_refs_balanced();
}

static long infolist(struct domain *caller, domid_t first, uint32_t max, uint64_t buf)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    long rc;

    op.u.getdomaininfolist.first_domain = first;
    op.u.getdomaininfolist.max_domains = max;
    op.u.getdomaininfolist.buffer = buf;
    rc = sysctl(caller, &op);
    return rc ? rc : (long)op.u.getdomaininfolist.num_domains;
}

TEST(getdomaininfolist)
{
    struct domain *d1, *d0 = setup(&d1);
    struct xen_domctl_getdomaininfo list[4];
    uint64_t buf = (uint64_t)(uintptr_t)list;

    add_domain(7, 1);
    memset(list, 0, sizeof(list));
    CHECK_EQ(infolist(d0, 0, 4, buf), 3);
    CHECK_EQ(list[0].domain, 0);
    CHECK_EQ(list[1].domain, 1);
    CHECK_EQ(list[2].domain, 7);
    CHECK_EQ(infolist(d0, 1, 1, buf), 1);
    CHECK_EQ(list[0].domain, 1);
    CHECK_EQ(infolist(d0, 2, 4, buf), 1);
    CHECK_EQ(list[0].domain, 7);
    CHECK_EQ(infolist(d0, 8, 4, buf), 0);
    CHECK_EQ(infolist(d0, 0, 0, buf), 0);
    CHECK_EQ(infolist(d0, 0, 4, BAD_GVA), -EFAULT);
    CHECK_EQ(infolist(d1, 0, 4, buf), -EPERM);
    check_refs_balanced();
}
