/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_hvm_op: HVM parameters. */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/xsm.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>

/* Parameters a guest may set on itself; the rest are the toolstack's. */
static bool guest_may_set(uint32_t index)
{
    return index == HVM_PARAM_CALLBACK_IRQ || index == HVM_PARAM_TIMER_MODE;
}

/*
 * Another domain's parameters are the toolstack's (the control domain, or a
 * device model for its target): domain 0 reads a boot domain's
 * STORE_PFN / STORE_EVTCHN to introduce it to xenstored.
 */
static long hvm_param(struct vcpu *v, uint64_t arg, bool set)
{
    struct xen_hvm_param p;
    struct domain *d = v->domain, *t = NULL;
    long rc = 0;

    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.index >= HVM_NR_PARAMS)
        return -EINVAL;
    if (p.domid != DOMID_SELF && p.domid != d->id) {
        /* Referenced: it cannot be freed under us if it dies meanwhile. */
        t = domain_get(p.domid);
        if (!t)
            return -ESRCH;
        if (xsm_domain_control(d, t)) {
            domain_put(t);
            return -EPERM;
        }
        d = t;
    } else if (set && !is_control_domain(d) && !guest_may_set(p.index)) {
        return -EPERM;
    }
    if (set)
        d->hvm_params[p.index] = p.value;
    else
        p.value = d->hvm_params[p.index];
    if (t)
        domain_put(t);
    if (!set && copy_to_guest(v, arg, &p, sizeof(p)))
        rc = -EFAULT;
    return rc;
}

static long set_upcall_vector(struct vcpu *v, uint64_t arg)
{
    struct xen_hvm_evtchn_upcall_vector u;
    struct domain *d = v->domain;

    if (copy_from_guest(v, &u, arg, sizeof(u)))
        return -EFAULT;
    if (u.vector < 0x10)
        return -EINVAL;
    if (u.vcpu >= d->nr_vcpus || !d->vcpus[u.vcpu])
        return -ENOENT;
    d->vcpus[u.vcpu]->upcall_vector = u.vector;
    return 0;
}

long do_hvm_op(struct vcpu *v, const struct hypercall_args *args)
{
    switch (args->a[0]) {
    case HVMOP_set_param:
        return hvm_param(v, args->a[1], true);
    case HVMOP_get_param:
        return hvm_param(v, args->a[1], false);
    case HVMOP_set_evtchn_upcall_vector:
        return set_upcall_vector(v, args->a[1]);
    }
    return -ENOSYS;
}
