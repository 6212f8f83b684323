// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack control interface's vCPU operations (common/domctl.c):
 * getvcpuinfo, Xen's bitmap conversion, affinity, scheduler parameters and
 * the HVM context (the records themselves are tested in test_hvm_context.c),
 * against the fakes of domctl_fixture.c (a guest address is a host pointer
 * here). Every case also checks that each domain_get() was paired with a
 * domain_put().
 */
#include <string.h>

#include "harness.h"
#include "domctl_fixture.h"
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/sched.h>
#include <public/domctl.h>
#include <public/xen.h>

/* ---- getvcpuinfo ---- */

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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
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
    unit_domains_check_put();
}
