/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Access control: every operation that names another domain asks one of
 * these hooks (common/xsm.c). Each returns 0 or -EPERM. The default policy:
 * a domain acts on itself; the control domain acts on all. The test policy
 * (xsm=test) also lets boot-module domains act on each other, so paired
 * micro-guests can play frontend and backend before Dom0 exists. A loadable
 * policy comes later, behind these same hooks.
 */
#ifndef XENON_XSM_H
#define XENON_XSM_H

#include <xenon/types.h>

struct domain;

enum xsm_policy { XSM_POLICY_DEFAULT, XSM_POLICY_TEST };

/* Select the policy by name ("default", "test"); -EINVAL if unknown. */
int xsm_set_policy(const char *name);

/* Generic control: read or change another domain's state or memory. */
int xsm_domain_control(const struct domain *caller, const struct domain *target);
/* Allocate an unbound port in d that remote may bind. */
int xsm_evtchn_unbound(const struct domain *caller, const struct domain *d);
/* Bind a local port to one a remote domain offered us. */
int xsm_evtchn_interdomain(const struct domain *local, const struct domain *remote);
/* Map or copy a grant of granter's into mapper. */
int xsm_grant_access(const struct domain *mapper, const struct domain *granter);
/* Host-wide information (hypervisor command line, build id). */
int xsm_host_info(const struct domain *caller);
/*
 * A domctl (XEN_DOMCTL_* cmd) on target, NULL for operations that name no
 * existing domain (createdomain), and a sysctl: the control domain only.
 */
int xsm_domctl(const struct domain *caller, const struct domain *target, unsigned int cmd);
int xsm_sysctl(const struct domain *caller, unsigned int cmd);
/*
 * A physdev_op (PHYSDEVOP_* cmd): telling the hypervisor about physical
 * devices is the hardware domain's, which is the control domain for now.
 */
int xsm_physdev(const struct domain *caller, unsigned int cmd);

#endif
