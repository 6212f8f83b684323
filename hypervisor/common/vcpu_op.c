/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_vcpu_op: per-vCPU state. */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <public/vcpu.h>
#include <public/xen.h>

/* Move the vCPU's vcpu_info into a page of the guest's choosing (once). */
static long register_vcpu_info(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    uint8_t *page;

    if (copy_from_guest(caller, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.rsvd || r.offset > PAGE_SIZE - sizeof(struct vcpu_info))
        return -EINVAL;
    if (v->vcpu_info_registered)
        return -EINVAL;
    page = gfn_to_virt(v->domain, _gfn(r.mfn), true);
    if (!page)
        return -EINVAL;
    memcpy(page + r.offset, v->vcpu_info, sizeof(struct vcpu_info));
    v->vcpu_info = (struct vcpu_info *)(page + r.offset);
    v->vcpu_info_registered = true;
    vcpu_update_time(v);
    return 0;
}

long do_vcpu_op(struct vcpu *v, const struct hypercall_args *args)
{
    struct domain *d = v->domain;
    uint64_t id = args->a[1];
    struct vcpu *target;

    if (id >= d->nr_vcpus || !d->vcpus[id])
        return -ENOENT;
    target = d->vcpus[id];
    switch (args->a[0]) {
    case VCPUOP_is_up:
        return target->state != VCPU_DOWN;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, target, args->a[2]);
    }
    return -ENOSYS;
}
