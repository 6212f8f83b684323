/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxc: the toolstack's only way to the hypervisor. Hypercalls go through
 * Linux's /dev/xen/privcmd; the structures are the hypervisor's public
 * control ABI (hypervisor/include/public/, Xen 4.17's domctl and sysctl).
 * Functions return 0 or a negative errno.
 */
#ifndef XC_H
#define XC_H

#include <stdint.h>
#include <public/domctl.h>
#include <public/sysctl.h>

struct xc;

/* Open /dev/xen/privcmd (or $XC_PRIVCMD): -errno if it cannot be opened. */
int xc_open(struct xc **out);
void xc_close(struct xc *xc);

/* A raw hypercall: its return value, or -errno from the ioctl. */
long xc_hypercall(struct xc *xc, unsigned int op, const uint64_t args[5]);

/* Issue a sysctl/domctl; interface_version is filled in. */
int xc_sysctl(struct xc *xc, struct xen_sysctl *s);
int xc_domctl(struct xc *xc, struct xen_domctl *d);

int xc_physinfo(struct xc *xc, struct xen_sysctl_physinfo *out);
/* The first domain whose id is >= domid (Xen's getdomaininfo rule). */
int xc_domain_getinfo(struct xc *xc, domid_t domid, struct xen_domctl_getdomaininfo *out);
/* HVMOP_get_param: an HVM parameter (HVM_PARAM_*) of a domain the caller controls. */
int xc_hvm_param_get(struct xc *xc, domid_t domid, uint32_t index, uint64_t *value);

#endif
