/* SPDX-License-Identifier: GPL-2.0-only */
/* Dead domains through privcmd and VIRQ_DOM_EXC (dominfo.c). */
#ifndef XENSTORED_DOMINFO_H
#define XENSTORED_DOMINFO_H

#include "xsd.h"

struct xen_domctl_getdomaininfo;

/*
 * Open privcmd, set x->domain_state and bind VIRQ_DOM_EXC on the guest
 * transport (xen_transport_open first). 0 or a negative errno; on failure
 * nothing is left set.
 */
int dominfo_open(struct xsd *x);
void dominfo_close(struct xsd *x);

/*
 * x->domain_state's answer from getdomaininfo's result r and reply: an enum
 * xsd_dom_state (dying counts as gone, whether shut down or not), else r.
 */
int dominfo_state(int r, const struct xen_domctl_getdomaininfo *info, unsigned domid);

#endif
