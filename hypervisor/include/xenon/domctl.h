/* SPDX-License-Identifier: GPL-2.0-only */
/* The toolstack control interface (common/domctl.c, common/sysctl.c). */
#ifndef XENON_DOMCTL_H
#define XENON_DOMCTL_H

#include <xenon/cpumask.h>
#include <public/domctl.h>

struct domain;
struct vcpu;

/* What XEN_DOMCTL_getdomaininfo and XEN_SYSCTL_getdomaininfolist report of d (referenced). */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

/*
 * A struct xenctl_bitmap in the caller's memory to a CPU mask and back, as
 * Xen converts them: bits past nr_bits read as 0, bits past what a cpumask_t
 * holds are ignored on the way in and written as 0 on the way out.
 * 0 or -EFAULT.
 */
int domctl_bitmap_to_cpumask(struct vcpu *caller, const struct xenctl_bitmap *b, cpumask_t *out);
int domctl_cpumask_to_bitmap(struct vcpu *caller, const struct xenctl_bitmap *b, cpumask_t m);

#endif
