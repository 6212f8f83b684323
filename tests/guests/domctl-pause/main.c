// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_pausedomain / unpausedomain on a peer that spins on its own
 * pCPU (peer=N). While the peer runs its cpu_time grows; once pausedomain
 * returns it is off its pCPU (not running), shows XEN_DOMINF_paused and its
 * cpu_time stands still; pauses nest (two pauses need two unpauses); one
 * unpause too many and pausing ourselves are -EINVAL.
 */
#include "guest.h"
#include "ctl.h"

#define MS 1000000ull

static struct shared_info *si;

static void spin_ms(uint64_t ms)
{
    ctl_spin(&si->vcpu_info[0].time, ms * MS);
}

static bool info(domid_t peer, struct xen_domctl_getdomaininfo *in)
{
    return check_eq("getdomaininfo(peer)", domctl_domain_info(peer, in), 0);
}

/* The peer is on its pCPU and its cpu_time grows while we watch. */
static void check_advancing(domid_t peer, const char *when)
{
    struct xen_domctl_getdomaininfo a, b;
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS;

    do {
        if (!info(peer, &a))
            return;
    } while (!(a.flags & XEN_DOMINF_running) && pvclock_read(&si->vcpu_info[0].time) < end);
    spin_ms(50);
    if (!info(peer, &b))
        return;
    printf("%s: flags %#x, cpu_time %lu -> %lu ns\n", when, b.flags, a.cpu_time, b.cpu_time);
    if (!(a.flags & XEN_DOMINF_running) || (b.flags & XEN_DOMINF_paused))
        test_fail("%s: flags %#x, then %#x: not running", when, a.flags, b.flags);
    if (b.cpu_time < a.cpu_time + 10 * MS)
        test_fail("%s: cpu_time %lu -> %lu over 50 ms", when, a.cpu_time, b.cpu_time);
}

/* Paused: flagged, off its pCPU, and its cpu_time stands still. */
static void check_frozen(domid_t peer, const char *when)
{
    struct xen_domctl_getdomaininfo a, b;
    struct xen_domctl op;

    if (!info(peer, &a))
        return;
    spin_ms(50);
    if (!info(peer, &b))
        return;
    printf("%s: flags %#x, cpu_time %lu -> %lu ns\n", when, b.flags, a.cpu_time, b.cpu_time);
    if (!(b.flags & XEN_DOMINF_paused) || (a.flags | b.flags) & XEN_DOMINF_running)
        test_fail("%s: flags %#x, then %#x", when, a.flags, b.flags);
    if (b.cpu_time != a.cpu_time)
        test_fail("%s: cpu_time moved %lu -> %lu", when, a.cpu_time, b.cpu_time);
    domctl_init(&op, XEN_DOMCTL_getvcpuinfo, peer);
    if (check_eq("getvcpuinfo", HYPERVISOR_domctl(&op), 0))
        check_eq("paused vCPU running", op.u.getvcpuinfo.running, 0);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 1);

    si = map_shared_info();
    if (!si)
        return;
    check_advancing(peer, "before");
    check_eq("pause", domctl_simple(XEN_DOMCTL_pausedomain, peer), 0);
    check_frozen(peer, "paused");
    check_eq("pause again", domctl_simple(XEN_DOMCTL_pausedomain, peer), 0);
    check_eq("unpause once of two", domctl_simple(XEN_DOMCTL_unpausedomain, peer), 0);
    check_frozen(peer, "still paused");
    check_eq("unpause", domctl_simple(XEN_DOMCTL_unpausedomain, peer), 0);
    check_advancing(peer, "unpaused");
    check_eq("unpause too many", domctl_simple(XEN_DOMCTL_unpausedomain, peer), -XEN_EINVAL);
    check_eq("pause ourselves", domctl_simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL);
    check_eq("unpause ourselves (never paused)", domctl_simple(XEN_DOMCTL_unpausedomain, 0), -XEN_EINVAL);
    check_eq("pause nobody", domctl_simple(XEN_DOMCTL_pausedomain, 77), -XEN_ESRCH);
}
