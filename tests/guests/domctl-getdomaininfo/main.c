// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_getdomaininfo from the control domain, about itself and about a
 * CPU-bound peer (sched-hog) sharing its one pCPU: ids, flags (running for
 * us, never for the peer, which cannot be on the pCPU while we are; neither
 * blocked nor paused), page counts, vCPU counts, cpu_time advancing, the
 * "first id at or above" lookup, getvcpuinfo and getdomaininfolist.
 *   peer=N peer_vcpus=N peer_pages=N   what the peer was booted with
 */
#include "guest.h"
#include "ctl.h"
#include <public/hvm/params.h>

static struct shared_info *si;

static void check_self(void)
{
    struct xen_domctl_getdomaininfo in;

    if (!check_eq("getdomaininfo(0)", domctl_getdomaininfo(0, &in), 0))
        return;
    check_eq("self: domain", in.domain, 0);
    check_eq("self: flags", in.flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_running);
    check_eq("self: nr_online_vcpus", in.nr_online_vcpus, 1);
    check_eq("self: max_vcpu_id", in.max_vcpu_id, 0);
    check_eq("self: max_pages", in.max_pages, (16u << 20) / PAGE_SIZE);
    if (!in.tot_pages || in.tot_pages > in.max_pages)
        test_fail("self: tot_pages %lu, max_pages %lu", in.tot_pages, in.max_pages);
    check_eq("self: shared_info_frame", in.shared_info_frame, (uint64_t)(uintptr_t)si / PAGE_SIZE);
    check_eq("self: cpupool", in.cpupool, 0);
    check_eq("self: emulation_flags", in.arch_config.emulation_flags, XEN_X86_EMU_LAPIC);
    if (in.gpaddr_bits < 32 || in.gpaddr_bits > 52)
        test_fail("self: gpaddr_bits %u", in.gpaddr_bits);
}

/* The peer starts its second vCPU at boot: wait for it (we share the pCPU, so yield). */
static bool wait_peer_online(domid_t peer, uint32_t vcpus, struct xen_domctl_getdomaininfo *in)
{
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000000000ull;

    while (pvclock_read(&si->vcpu_info[0].time) < end) {
        if (domctl_domain_info(peer, in) == 0 && in->nr_online_vcpus == vcpus)
            return true;
        xen_yield();
    }
    test_fail("peer d%u never had %u vCPUs online", peer, vcpus);
    return false;
}

/*
 * With a control domain among the boot domains the peer also has a xenstore
 * ring page, one page beyond its RAM (hypervisor/common/domain_store.c): its
 * HVM_PARAM_STORE_PFN, which the control domain may read, says where.
 */
static uint64_t peer_store_pages(domid_t peer)
{
    struct xen_hvm_param p = { .domid = peer, .index = HVM_PARAM_STORE_PFN };

    if (!check_eq("peer: get STORE_PFN", HYPERVISOR_hvm_op(HVMOP_get_param, &p), 0))
        return 0;
    printf("d%u: xenstore ring at gfn %#lx\n", peer, p.value);
    return p.value ? 1 : 0;
}

static void check_peer(domid_t peer, uint32_t vcpus, uint64_t pages)
{
    struct xen_domctl_getdomaininfo in, later;
    uint8_t zero[16] = { 0 };

    pages += peer_store_pages(peer);
    if (!wait_peer_online(peer, vcpus, &in))
        return;
    printf("d%u: flags %#x, %lu/%lu pages, %u vCPUs, cpu_time %lu ns\n", in.domain, in.flags, in.tot_pages,
           in.max_pages, in.nr_online_vcpus, in.cpu_time);
    /* We hold the only pCPU: the peer is runnable, not running, and not blocked. */
    check_eq("peer: flags", in.flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
    check_eq("peer: max_vcpu_id", in.max_vcpu_id, vcpus - 1);
    check_eq("peer: max_pages", in.max_pages, pages);
    if (!in.tot_pages || in.tot_pages > pages)
        test_fail("peer: tot_pages %lu of %lu", in.tot_pages, pages);
    if (memcmp(in.handle, zero, sizeof(zero)))
        test_fail("peer: a boot domain has a null handle");
    /* Keep the pCPU busy for a while: the scheduler hands the peer its share. */
    ctl_spin(&si->vcpu_info[0].time, 200000000ull);
    if (check_eq("getdomaininfo(peer) again", domctl_domain_info(peer, &later), 0) &&
        later.cpu_time <= in.cpu_time)
        test_fail("peer: cpu_time did not advance (%lu, then %lu)", in.cpu_time, later.cpu_time);
}

static void check_lookup(domid_t peer)
{
    struct xen_domctl_getdomaininfo in;

    /* Asking for an id nobody has gives the next domain up, as in Xen. */
    if (peer > 1 && check_eq("getdomaininfo(1)", domctl_getdomaininfo(1, &in), 0))
        check_eq("getdomaininfo(1) finds", in.domain, peer);
    check_eq("getdomaininfo above the last", domctl_getdomaininfo(peer + 1, &in), -XEN_ESRCH);
    check_eq("getdomaininfo(DOMID_SELF)", domctl_getdomaininfo(DOMID_SELF, &in), -XEN_EINVAL);
}

static void check_vcpuinfo(domid_t peer, uint32_t vcpus)
{
    struct xen_domctl op;

    for (uint32_t i = 0; i < vcpus; i++) {
        domctl_init(&op, XEN_DOMCTL_getvcpuinfo, peer);
        op.u.getvcpuinfo.vcpu = i;
        if (!check_eq("getvcpuinfo", HYPERVISOR_domctl(&op), 0))
            continue;
        check_eq("vcpu online", op.u.getvcpuinfo.online, 1);
        check_eq("vcpu blocked", op.u.getvcpuinfo.blocked, 0);
        check_eq("vcpu running", op.u.getvcpuinfo.running, 0);
        check_eq("vcpu cpu", op.u.getvcpuinfo.cpu, 0);
        if (!op.u.getvcpuinfo.cpu_time)
            test_fail("vCPU %u of d%u never ran", i, peer);
    }
    domctl_init(&op, XEN_DOMCTL_getvcpuinfo, peer);
    op.u.getvcpuinfo.vcpu = vcpus;
    check_eq("getvcpuinfo past the last vCPU", HYPERVISOR_domctl(&op), -XEN_EINVAL);
}

static void check_list(domid_t peer)
{
    struct xen_domctl_getdomaininfo list[8];

    if (check_eq("getdomaininfolist(0, 8)", sysctl_getdomaininfolist(0, 8, list), 2)) {
        check_eq("list[0]", list[0].domain, 0);
        check_eq("list[1]", list[1].domain, peer);
        check_eq("list[1] vCPUs", list[1].nr_online_vcpus, guest_arg("peer_vcpus", 1));
    }
    if (check_eq("getdomaininfolist(0, 1)", sysctl_getdomaininfolist(0, 1, list), 1))
        check_eq("list[0] of 1", list[0].domain, 0);
    if (check_eq("getdomaininfolist(1, 8)", sysctl_getdomaininfolist(1, 8, list), 1))
        check_eq("list from 1", list[0].domain, peer);
    check_eq("getdomaininfolist past the last", sysctl_getdomaininfolist(peer + 1, 8, list), 0);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 1);
    uint32_t vcpus = (uint32_t)guest_arg("peer_vcpus", 1);

    si = map_shared_info();
    if (!si)
        return;
    check_self();
    check_peer(peer, vcpus, guest_arg("peer_pages", 4096));
    check_lookup(peer);
    check_vcpuinfo(peer, vcpus);
    check_list(peer);
}
