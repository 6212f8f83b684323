/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * domctl / sysctl helpers for micro-guests playing the control domain,
 * shaped like libxenctrl's (xc_domain_getinfo, xc_physinfo, ...): each fills
 * a whole struct xen_domctl / xen_sysctl with the current interface version
 * and returns the hypercall's result.
 */
#ifndef GUEST_CTL_H
#define GUEST_CTL_H

#include <stdint.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/sched.h>
#include "guest.h"

static inline void domctl_init(struct xen_domctl *op, uint32_t cmd, domid_t domid)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = domid;
}

static inline void sysctl_init(struct xen_sysctl *op, uint32_t cmd)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

/* A domctl whose only argument is the domain (pause, unpause, destroy). */
static inline long domctl_simple(uint32_t cmd, domid_t domid)
{
    struct xen_domctl op;

    domctl_init(&op, cmd, domid);
    return HYPERVISOR_domctl(&op);
}

/* Info of the first domain with id >= domid (info->domain says which). */
static inline long domctl_getdomaininfo(domid_t domid, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_getdomaininfo, domid);
    rc = HYPERVISOR_domctl(&op);
    *info = op.u.getdomaininfo; /* zero (as sent) on failure */
    return rc;
}

/* Info of exactly domid: -ESRCH if it is not there (the next one does not count). */
static inline long domctl_domain_info(domid_t domid, struct xen_domctl_getdomaininfo *info)
{
    long rc = domctl_getdomaininfo(domid, info);

    return !rc && info->domain != domid ? -XEN_ESRCH : rc;
}

static inline long sysctl_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op;
    long rc;

    sysctl_init(&op, XEN_SYSCTL_physinfo);
    rc = HYPERVISOR_sysctl(&op);
    *pi = op.u.physinfo; /* zero (as sent) on failure */
    return rc;
}

/* Number of domains written to buf, or a negative errno. */
static inline long sysctl_getdomaininfolist(domid_t first, uint32_t max, struct xen_domctl_getdomaininfo *buf)
{
    struct xen_sysctl op;
    long rc;

    sysctl_init(&op, XEN_SYSCTL_getdomaininfolist);
    op.u.getdomaininfolist.first_domain = first;
    op.u.getdomaininfolist.max_domains = max;
    op.u.getdomaininfolist.buffer = XEN_GUEST_HANDLE_FROM_PTR(buf);
    rc = HYPERVISOR_sysctl(&op);
    return rc ? rc : (long)op.u.getdomaininfolist.num_domains;
}

/* Yield until domid is gone (true) or timeout_ns of system time passed (false). */
static inline bool ctl_wait_gone(domid_t domid, const volatile struct vcpu_time_info *clock, uint64_t timeout_ns)
{
    uint64_t end = pvclock_read(clock) + timeout_ns;
    struct xen_domctl_getdomaininfo info;

    while (domctl_domain_info(domid, &info) == 0) {
        if (pvclock_read(clock) > end)
            return false;
        xen_yield();
    }
    return true;
}

/* Spin (not yield) for ns of system time: the caller keeps its pCPU. */
static inline void ctl_spin(const volatile struct vcpu_time_info *clock, uint64_t ns)
{
    uint64_t end = pvclock_read(clock) + ns;

    while (pvclock_read(clock) < end)
        __builtin_ia32_pause();
}

#endif
