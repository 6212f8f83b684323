/* SPDX-License-Identifier: GPL-2.0-only */
/* Dead domains through privcmd and VIRQ_DOM_EXC (dominfo.c). */
#ifndef XENSTORED_DOMINFO_H
#define XENSTORED_DOMINFO_H

#include "xsd.h"

struct xen_domctl_getdomaininfo;

/*
 * Open privcmd, set x->domain_alive and bind VIRQ_DOM_EXC on the guest
 * transport (xen_transport_open first). 0 or a negative errno; on failure
 * nothing is left set.
 */
int dominfo_open(struct xsd *x);
void dominfo_close(struct xsd *x);

/*
 * x->domain_alive's answer from getdomaininfo's result r and reply: 1 for a
 * running domain, 0 for one dying, shut down or gone, else r.
 */
int dominfo_alive(int r, const struct xen_domctl_getdomaininfo *info, unsigned domid);

#endif
