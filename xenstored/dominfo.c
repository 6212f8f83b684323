// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dead domains: the hypervisor raises VIRQ_DOM_EXC in domain 0 when a domain
 * shuts down, crashes or is destroyed; on each, xenstored asks
 * XEN_DOMCTL_getdomaininfo (privcmd, libxc) about every introduced domain
 * and releases those that are no longer alive (domain_release_dead). Kept
 * out of the daemon's core so that the core builds and is tested without
 * the hypervisor's headers; tests fake x->domain_state instead.
 */
#include <errno.h>
#include <stdlib.h>

#include "dominfo.h"
#include "xc.h"
#include <public/xen.h>

int dominfo_state(int r, const struct xen_domctl_getdomaininfo *info, unsigned domid)
{
    /* getdomaininfo answers for the first domain at or above the one asked for. */
    if (r == -ESRCH)
        return XSD_DOM_GONE;
    if (r < 0)
        return r;
    if (info->domain != domid || (info->flags & XEN_DOMINF_dying))
        return XSD_DOM_GONE;
    return info->flags & XEN_DOMINF_shutdown ? XSD_DOM_SHUTDOWN : XSD_DOM_RUNNING;
}

static int privcmd_domain_state(struct xsd *x, unsigned domid)
{
    struct xen_domctl_getdomaininfo info;
    int r;

    if (domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    r = xc_domain_getinfo(x->dominfo, (domid_t)domid, &info);
    return dominfo_state(r, &info, domid);
}

int dominfo_open(struct xsd *x)
{
    struct xc *xc;
    int r = xc_open(&xc);

    if (r < 0)
        return r;
    x->dominfo = xc;
    x->domain_state = privcmd_domain_state;
    r = xen_transport_bind_virq(x, VIRQ_DOM_EXC);
    if (r < 0)
        dominfo_close(x);
    return r;
}

void dominfo_close(struct xsd *x)
{
    xc_close(x->dominfo);
    x->dominfo = NULL;
    x->domain_state = NULL;
}
