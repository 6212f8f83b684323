// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_scheduler_op (credit) and XEN_DOMCTL_set/getvcpuaffinity on a
 * running two-vCPU peer:
 *   peer=N cpus=N weight=N   the peer's id, the host's pCPUs, its boot weight
 * Credit's getinfo returns the boot weight; putinfo changes weight and cap,
 * with weight 0 and cap 0xffff keeping the current value; a cap above what
 * the host can give is -EINVAL and changes nothing. A vCPU pinned to one
 * pCPU runs there; a mask of offline pCPUs only is -EINVAL; bitmaps are
 * converted as Xen does (nr_bits cuts, wider bitmaps are zero-filled).
 */
#include "guest.h"
#include "ctl.h"

#define MS 1000000ull
#define KEEP_CAP 0xffff

static struct shared_info *si;

static long credit_op(domid_t d, uint32_t cmd, uint16_t *weight, uint16_t *cap)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_scheduler_op, d);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit.weight = *weight;
    op.u.scheduler_op.u.credit.cap = *cap;
    rc = HYPERVISOR_domctl(&op);
    *weight = op.u.scheduler_op.u.credit.weight;
    *cap = op.u.scheduler_op.u.credit.cap;
    return rc;
}

static void expect_params(domid_t d, uint16_t weight, uint16_t cap, const char *when)
{
    uint16_t w = 0, c = 0;

    if (!check_eq("getinfo", credit_op(d, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0))
        return;
    printf("%s: weight %u cap %u\n", when, w, c);
    if (w != weight || c != cap)
        test_fail("%s: weight %u cap %u, expected %u and %u", when, w, c, weight, cap);
}

static void check_credit(domid_t peer, uint16_t boot_weight, uint32_t cpus)
{
    uint16_t w, c;

    expect_params(peer, boot_weight, 0, "at boot");
    w = 1000, c = 50;
    check_eq("putinfo 1000/50", credit_op(peer, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
    expect_params(peer, 1000, 50, "after putinfo");
    w = 0, c = KEEP_CAP;
    check_eq("putinfo keeping both", credit_op(peer, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
    expect_params(peer, 1000, 50, "after a keep-both putinfo");
    w = 0, c = 0;
    check_eq("putinfo uncapped", credit_op(peer, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
    expect_params(peer, 1000, 0, "uncapped");
    w = 300, c = (uint16_t)(100 * cpus + 1);
    check_eq("putinfo cap past the host", credit_op(peer, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), -XEN_EINVAL);
    expect_params(peer, 1000, 0, "after a refused putinfo");
    w = boot_weight, c = 0;
    check_eq("putinfo back", credit_op(peer, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0);
}

/* hard/soft: in for set (NULL: not given), out for both. */
static long affinity(uint32_t cmd, domid_t d, uint32_t vcpu, uint8_t *hard, uint8_t *soft, uint32_t nr_bits)
{
    struct xen_domctl op;

    domctl_init(&op, cmd, d);
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = (hard ? XEN_VCPUAFFINITY_HARD : 0) | (soft ? XEN_VCPUAFFINITY_SOFT : 0);
    op.u.vcpuaffinity.cpumap_hard.bitmap = XEN_GUEST_HANDLE_FROM_PTR(hard);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
    op.u.vcpuaffinity.cpumap_soft.bitmap = XEN_GUEST_HANDLE_FROM_PTR(soft);
    op.u.vcpuaffinity.cpumap_soft.nr_bits = nr_bits;
    return HYPERVISOR_domctl(&op);
}

/* vCPU vcpu of d shows up on pCPU cpu (it spins, so it is soon scheduled there). */
static void expect_on_cpu(domid_t d, uint32_t vcpu, uint32_t cpu)
{
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS;
    struct xen_domctl op;

    do {
        domctl_init(&op, XEN_DOMCTL_getvcpuinfo, d);
        op.u.getvcpuinfo.vcpu = vcpu;
        if (!check_eq("getvcpuinfo", HYPERVISOR_domctl(&op), 0))
            return;
        if (op.u.getvcpuinfo.running && op.u.getvcpuinfo.cpu == cpu)
            return;
        xen_yield();
    } while (pvclock_read(&si->vcpu_info[0].time) < end);
    test_fail("vCPU %u of d%u never ran on pCPU %u (last on %u)", vcpu, d, cpu, op.u.getvcpuinfo.cpu);
}

static void check_affinity(domid_t peer, uint32_t cpus)
{
    uint8_t online = (uint8_t)((1u << cpus) - 1), hard[32], soft[8];

    memset(hard, 0xaa, sizeof(hard));
    memset(soft, 0, sizeof(soft));
    /* A 256-bit bitmap: what we do not have reads back as zero. */
    if (check_eq("getvcpuaffinity", affinity(XEN_DOMCTL_getvcpuaffinity, peer, 0, hard, NULL, 256), 0)) {
        check_eq("boot hard affinity", hard[0], online);
        for (unsigned int i = 1; i < sizeof(hard); i++)
            if (hard[i])
                test_fail("hard affinity byte %u is %#x", i, hard[i]);
    }
    hard[0] = 0x2;
    if (check_eq("pin vCPU 1 to pCPU 1", affinity(XEN_DOMCTL_setvcpuaffinity, peer, 1, hard, NULL, 8), 0))
        check_eq("effective hard affinity", hard[0], 0x2);
    expect_on_cpu(peer, 1, 1);
    hard[0] = 0x4;
    check_eq("pin to an offline pCPU", affinity(XEN_DOMCTL_setvcpuaffinity, peer, 1, hard, NULL, 8), -XEN_EINVAL);
    hard[0] = 0;
    if (check_eq("getvcpuaffinity 1", affinity(XEN_DOMCTL_getvcpuaffinity, peer, 1, hard, NULL, 8), 0))
        check_eq("hard affinity kept", hard[0], 0x2);
    /* Bits past nr_bits do not count: 0xfd over 1 bit is pCPU 0. */
    hard[0] = 0xfd;
    soft[0] = 0xff;
    if (check_eq("pin vCPU 1 to pCPU 0", affinity(XEN_DOMCTL_setvcpuaffinity, peer, 1, hard, soft, 1), 0)) {
        check_eq("effective hard, 1 bit", hard[0], 0x1);
        check_eq("effective soft, 1 bit", soft[0], 0x1);
    }
    expect_on_cpu(peer, 1, 0);
    hard[0] = online;
    check_eq("unpin", affinity(XEN_DOMCTL_setvcpuaffinity, peer, 1, hard, NULL, 8), 0);
    check_eq("getvcpuaffinity, no such vCPU", affinity(XEN_DOMCTL_getvcpuaffinity, peer, 2, hard, NULL, 8),
             -XEN_EINVAL);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 1);
    uint32_t cpus = (uint32_t)guest_arg("cpus", 1);

    si = map_shared_info();
    if (!si)
        return;
    check_credit(peer, (uint16_t)guest_arg("weight", 256), cpus);
    check_affinity(peer, cpus);
}
