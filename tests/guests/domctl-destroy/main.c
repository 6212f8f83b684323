// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_destroydomain on a peer (peer=N) whose vCPUs spin on another
 * pCPU. The call returns at once; the peer then disappears from
 * getdomaininfo and getdomaininfolist, every frame it owned is free again,
 * and a second destroy finds nothing (-ESRCH). Destroying ourselves is
 * -EINVAL.
 */
#include "guest.h"
#include "ctl.h"

#define MS 1000000ull

static struct shared_info *si;

static uint64_t free_pages(void)
{
    struct xen_sysctl_physinfo pi;

    check_eq("physinfo", sysctl_physinfo(&pi), 0);
    return pi.free_pages;
}

/* The peer's vCPUs are up and one is on its pCPU. */
static bool wait_running(domid_t peer, struct xen_domctl_getdomaininfo *in)
{
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS;

    while (pvclock_read(&si->vcpu_info[0].time) < end)
        if (domctl_domain_info(peer, in) == 0 && in->nr_online_vcpus == 2 && (in->flags & XEN_DOMINF_running))
            return true;
    test_fail("d%u never ran", peer);
    return false;
}

/* Teardown may finish on the other pCPU a little after the domain left the list. */
static uint64_t wait_free_at_least(uint64_t want)
{
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS, got;

    while ((got = free_pages()) < want && pvclock_read(&si->vcpu_info[0].time) < end)
        xen_yield();
    return got;
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 1);
    struct xen_domctl_getdomaininfo in, list[4];
    uint64_t before, after, pages;

    si = map_shared_info();
    if (!si || !wait_running(peer, &in))
        return;
    before = free_pages();
    pages = in.tot_pages;
    printf("d%u runs with %lu pages; %lu pages free\n", peer, pages, before);
    check_eq("destroy ourselves", domctl_simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL);
    check_eq("destroy", domctl_simple(XEN_DOMCTL_destroydomain, peer), 0);
    if (!ctl_wait_gone(peer, &si->vcpu_info[0].time, 2000 * MS))
        test_fail("d%u still listed 2 s after destroydomain", peer);
    check_eq("getdomaininfo after destroy", domctl_domain_info(peer, &in), -XEN_ESRCH);
    if (check_eq("getdomaininfolist after destroy", sysctl_getdomaininfolist(0, 4, list), 1))
        check_eq("the one left", list[0].domain, 0);
    check_eq("destroy again", domctl_simple(XEN_DOMCTL_destroydomain, peer), -XEN_ESRCH);
    after = wait_free_at_least(before + pages);
    printf("%lu pages free after the destroy\n", after);
    if (after < before + pages)
        test_fail("only %lu of d%u's %lu pages came back", after - before, peer, pages);
}
