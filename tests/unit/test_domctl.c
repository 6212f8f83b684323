// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack control interface (common/domctl.c, common/sysctl.c with the
 * real access-control hooks of common/xsm.c): the order of the checks,
 * getdomaininfo and Xen's flags, createdomain, pause, destroy, limits, TSC,
 * targets and sysctl, against the fakes of domctl_fixture.c (a guest address
 * is a host pointer here). The vCPU operations and the HVM context are in
 * test_domctl_vcpu.c. Every case also checks that each domain_get() was
 * paired with a domain_put().
 */
#include <string.h>

#include "harness.h"
#include "domctl_fixture.h"
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/hypercall.h>
#include <public/domctl.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/xen.h>

/* ---- Helpers ---- */

static long sysctl(struct domain *caller, struct xen_sysctl *op)
{
    struct hypercall_args a = { __HYPERVISOR_sysctl, { (uint64_t)(uintptr_t)op } };

    return do_sysctl(caller_of(caller), &a);
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
    unit_domains_check_put();
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
    unit_domains_check_put();
}

TEST(unknown_domain_before_access_control)
{
    struct domain *d1, *d0 = setup(&d1);

    /* As Xen: the domain is looked up first, so anyone learns -ESRCH. */
    CHECK_EQ(simple(d1, XEN_DOMCTL_pausedomain, 7), -ESRCH);
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, 7), -ESRCH);
    CHECK_EQ(simple(d0, XEN_DOMCTL_pausedomain, DOMID_SELF), -ESRCH);
    unit_domains_check_put();
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
    CHECK_EQ(unit_domain_count(), 2);
    CHECK_EQ(sysctl(d1, &sop), -EPERM);
    CHECK_EQ(d0->pause_count, 0);
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    CHECK_EQ(unit_domain_count(), 2);
    unit_domains_check_put();
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
    CHECK_EQ(unit_domain_count(), 5);
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
}
