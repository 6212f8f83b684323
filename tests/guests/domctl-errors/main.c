// SPDX-License-Identifier: GPL-2.0-only
/*
 * domctl and sysctl error paths, in Xen's order: the struct must be readable
 * (-EFAULT) and of this interface version (-EACCES); the domain named must
 * exist (-ESRCH); only the control domain may go further (-EPERM); unknown
 * commands are -ENOSYS; then each operation checks its arguments. Booted
 * twice: ctl=1 as the control domain d0, ctl=0 as an ordinary d1 (peer=N is
 * the other one).
 */
#include "guest.h"
#include "ctl.h"

static long domctl_vcpu(uint32_t cmd, domid_t d, uint32_t vcpu)
{
    struct xen_domctl op;

    domctl_init(&op, cmd, d);
    op.u.getvcpuinfo.vcpu = vcpu; /* the first field of every per-vCPU operation */
    return HYPERVISOR_domctl(&op);
}

/* Checks that come before access control, so every caller sees them. */
static void check_common(domid_t peer)
{
    struct xen_domctl op;
    struct xen_sysctl sop;

    domctl_init(&op, XEN_DOMCTL_getdomaininfo, peer);
    op.interface_version = 0x14;
    check_eq("domctl, old version", HYPERVISOR_domctl(&op), -XEN_EACCES);
    sysctl_init(&sop, XEN_SYSCTL_physinfo);
    sop.interface_version = 0x16;
    check_eq("sysctl, new version", HYPERVISOR_sysctl(&sop), -XEN_EACCES);
    check_eq("domctl, unmapped", HYPERVISOR_domctl((void *)UNMAPPED_GPA), -XEN_EFAULT);
    check_eq("sysctl, unmapped", HYPERVISOR_sysctl((void *)UNMAPPED_GPA), -XEN_EFAULT);
    check_eq("pause of nobody", domctl_simple(XEN_DOMCTL_pausedomain, 77), -XEN_ESRCH);
}

static void check_unprivileged(domid_t peer)
{
    struct xen_domctl_getdomaininfo in;
    struct xen_sysctl_physinfo pi;
    struct xen_domctl op;

    check_eq("getdomaininfo(self)", domctl_getdomaininfo(1, &in), -XEN_EPERM);
    check_eq("getdomaininfo(d0)", domctl_getdomaininfo(peer, &in), -XEN_EPERM);
    check_eq("pause d0", domctl_simple(XEN_DOMCTL_pausedomain, peer), -XEN_EPERM);
    check_eq("destroy d0", domctl_simple(XEN_DOMCTL_destroydomain, peer), -XEN_EPERM);
    check_eq("unknown domctl", domctl_simple(999, peer), -XEN_EPERM);
    domctl_init(&op, XEN_DOMCTL_createdomain, 0);
    check_eq("createdomain", HYPERVISOR_domctl(&op), -XEN_EPERM);
    check_eq("physinfo", sysctl_physinfo(&pi), -XEN_EPERM);
}

static void check_affinity_errors(domid_t peer)
{
    struct xen_domctl op;
    uint8_t map = 1;

    domctl_init(&op, XEN_DOMCTL_setvcpuaffinity, peer);
    op.u.vcpuaffinity.cpumap_hard.bitmap = XEN_GUEST_HANDLE_FROM_PTR(&map);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 8;
    check_eq("setvcpuaffinity, no flags", HYPERVISOR_domctl(&op), -XEN_EINVAL);
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.vcpu = 1;
    check_eq("setvcpuaffinity, no such vCPU", HYPERVISOR_domctl(&op), -XEN_EINVAL);
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.cpumap_hard.bitmap = UNMAPPED_GPA;
    check_eq("setvcpuaffinity, unmapped bitmap", HYPERVISOR_domctl(&op), -XEN_EFAULT);
}

static void check_sched_errors(domid_t peer)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_scheduler_op, peer);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    check_eq("scheduler_op, not the scheduler in use", HYPERVISOR_domctl(&op), -XEN_EINVAL);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
    check_eq("scheduler_op, per-vCPU on credit", HYPERVISOR_domctl(&op), -XEN_EINVAL);
    op.u.scheduler_op.cmd = 7;
    check_eq("scheduler_op, unknown cmd", HYPERVISOR_domctl(&op), -XEN_EINVAL);
}

static long settsc(domid_t d, uint32_t mode, uint32_t khz)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_settscinfo, d);
    op.u.tsc_info.tsc_mode = mode;
    op.u.tsc_info.gtsc_khz = khz;
    return HYPERVISOR_domctl(&op);
}

static long set_target(domid_t d, domid_t target)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_set_target, d);
    op.u.set_target.target = target;
    return HYPERVISOR_domctl(&op);
}

static void check_misc_errors(domid_t peer)
{
    struct xen_domctl_getdomaininfo in;

    check_eq("unknown domctl", domctl_simple(999, 0), -XEN_ENOSYS);
    check_eq("shadow_op (not implemented)", domctl_simple(XEN_DOMCTL_shadow_op, 0), -XEN_ENOSYS);
    check_eq("huge domctl number", domctl_simple(0x80000000u, 0), -XEN_ENOSYS);
    check_eq("unpause of nobody", domctl_simple(XEN_DOMCTL_unpausedomain, 4242), -XEN_ESRCH);
    check_eq("getdomaininfo(DOMID_IDLE)", domctl_getdomaininfo(DOMID_IDLE, &in), -XEN_EINVAL);
    check_eq("pause ourselves", domctl_simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL);
    check_eq("destroy ourselves", domctl_simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL);
    check_eq("getvcpuinfo, no such vCPU", domctl_vcpu(XEN_DOMCTL_getvcpuinfo, 0, 1), -XEN_EINVAL);
    check_eq("settscinfo native", settsc(peer, 2, 0), 0);
    check_eq("settscinfo default", settsc(peer, 0, 0), 0);
    check_eq("settscinfo default at another frequency", settsc(peer, 0, 12345), -XEN_EOPNOTSUPP);
    check_eq("settscinfo emulated", settsc(peer, 1, 0), -XEN_EOPNOTSUPP);
    check_eq("settscinfo unknown mode", settsc(peer, 7, 0), -XEN_EINVAL);
    check_eq("set_target to itself", set_target(peer, peer), -XEN_EINVAL);
    check_eq("set_target to nobody", set_target(peer, 77), -XEN_ESRCH);
    check_eq("set_target", set_target(peer, 0), 0);
    check_eq("set_target twice", set_target(peer, 0), -XEN_EINVAL);
    check_eq("set_target back (a loop)", set_target(0, peer), -XEN_EINVAL);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    check_common(peer);
    if (!guest_arg("ctl", 0)) {
        check_unprivileged(peer);
        return;
    }
    check_misc_errors(peer);
    check_affinity_errors(peer);
    check_sched_errors(peer);
}
