/* SPDX-License-Identifier: GPL-2.0-only */
/* The access-control hooks and their built-in policies. */
#include <xenon/domain.h>
#include <xenon/lib.h>
#include <xenon/xsm.h>

static enum xsm_policy policy = XSM_POLICY_DEFAULT;

int xsm_set_policy(const char *name)
{
    if (!strcmp(name, "default"))
        policy = XSM_POLICY_DEFAULT;
    else if (!strcmp(name, "test"))
        policy = XSM_POLICY_TEST;
    else
        return -EINVAL;
    return 0;
}

/* The one rule every hook shares. */
static int may_act_on(const struct domain *caller, const struct domain *target)
{
    /* A device model controls the domain it serves (XEN_DOMCTL_set_target). */
    if (caller == target || is_control_domain(caller) || (target && caller->target == target))
        return 0;
    if (policy == XSM_POLICY_TEST)
        return 0;
    return -EPERM;
}

int xsm_domain_control(const struct domain *caller, const struct domain *target)
{
    return may_act_on(caller, target);
}

int xsm_evtchn_unbound(const struct domain *caller, const struct domain *d)
{
    return may_act_on(caller, d);
}

int xsm_evtchn_interdomain(const struct domain *local, const struct domain *remote)
{
    /* The remote side offered the port to us explicitly: allowed, as in Xen's default. */
    (void)local;
    (void)remote;
    return 0;
}

int xsm_grant_access(const struct domain *mapper, const struct domain *granter)
{
    /* The granter's grant entry names the mapper; the grant table checks that. */
    (void)mapper;
    (void)granter;
    return 0;
}

int xsm_host_info(const struct domain *caller)
{
    return is_control_domain(caller) ? 0 : -EPERM;
}

int xsm_domctl(const struct domain *caller, const struct domain *target, unsigned int cmd)
{
    /* Even the test policy keeps the toolstack interface to the control domain. */
    (void)target;
    (void)cmd;
    return is_control_domain(caller) ? 0 : -EPERM;
}

int xsm_sysctl(const struct domain *caller, unsigned int cmd)
{
    (void)cmd;
    return is_control_domain(caller) ? 0 : -EPERM;
}

int xsm_physdev(const struct domain *caller, unsigned int cmd)
{
    /* The test policy does not widen this either: devices are the host's. */
    (void)cmd;
    return is_control_domain(caller) ? 0 : -EPERM;
}
