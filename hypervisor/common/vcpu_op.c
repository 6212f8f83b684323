/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_vcpu_op: per-vCPU state. */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/arch.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/sched.h>
#include <public/hvm/hvm_vcpu.h>
#include <xenon/time.h>
#include <public/vcpu.h>
#include <public/xen.h>

/* Move the vCPU's vcpu_info into a page of the guest's choosing (once). */
static long register_vcpu_info(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    uint8_t *page;
    mfn_t mfn;

    if (copy_from_guest(caller, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.rsvd || r.offset > PAGE_SIZE - sizeof(struct vcpu_info))
        return -EINVAL;
    if (v->vcpu_info_registered)
        return -EINVAL;
    /* The guest's own RAM, referenced for as long as we write to it (until the vCPU dies). */
    if (p2m_get_page(v->domain, _gfn(r.mfn), P2M_GET_OWN | P2M_GET_WRITE, &mfn, NULL))
        return -EINVAL;
    page = mfn_to_virt(mfn);
    memcpy(page + r.offset, v->vcpu_info, sizeof(struct vcpu_info));
    v->vcpu_info = (struct vcpu_info *)(page + r.offset);
    v->vcpu_info_mfn = mfn;
    v->vcpu_info_registered = true;
    vcpu_update_time(v);
    return 0;
}

/* Xen's rule: a timeout of 0 stops the timer; a past one fires at once. */
static void set_singleshot(struct vcpu *v, uint64_t timeout_abs_ns)
{
    if (!timeout_abs_ns)
        timer_stop(&v->singleshot);
    else
        timer_set(&v->singleshot, timeout_abs_ns);
}

long do_set_timer_op(struct vcpu *v, const struct hypercall_args *args)
{
    set_singleshot(v, args->a[0]);
    return 0;
}

static long singleshot_op(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer t;

    /* Only a vCPU's own timer, as in Xen. */
    if (caller != v)
        return -EINVAL;
    if (copy_from_guest(caller, &t, arg, sizeof(t)))
        return -EFAULT;
    if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < now_ns())
        return -ETIME;
    timer_set(&v->singleshot, t.timeout_abs_ns);
    return 0;
}

/* Keep a copy of v's runstate at a guest-virtual address, refreshed at every switch. */
static long register_runstate(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area r;
    struct vcpu_runstate_info now;

    if (copy_from_guest(caller, &r, arg, sizeof(r)))
        return -EFAULT;
    /* Check the address now, through the caller's paging, so a typo fails loudly. */
    sched_get_runstate(v, &now);
    if (r.addr && copy_to_guest(caller, r.addr, &now, sizeof(now)))
        return -EFAULT;
    v->runstate_gva = r.addr;
    return 0;
}

/* Keep a second copy of v's vcpu_time_info at a guest-virtual address (Linux maps it for its vDSO). */
static long register_time_area(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_time_memory_area r;

    if (copy_from_guest(caller, &r, arg, sizeof(r)))
        return -EFAULT;
    /* Checked now, through the caller's paging, so a bad address fails loudly. */
    if (r.addr && copy_to_guest(caller, r.addr, &v->vcpu_info->time, sizeof(v->vcpu_info->time)))
        return -EFAULT;
    v->time_area_gva = r.addr;
    return 0;
}

static long get_runstate(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;

    sched_get_runstate(v, &r);
    return copy_to_guest(caller, arg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* Give a vCPU that never ran its starting state; it stays down until VCPUOP_up. */
static long initialise(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_hvm_context ctx;
    int rc;

    if (copy_from_guest(caller, &ctx, arg, sizeof(ctx)))
        return -EFAULT;
    if (v->initialised)
        return -EEXIST;
    rc = arch_vcpu_set_context(v, &ctx);
    if (rc)
        return rc;
    v->initialised = true;
    return 0;
}

static long vcpu_up(struct vcpu *v)
{
    if (!v->initialised)
        return -EINVAL;
    sched_vcpu_start(v);
    return 0;
}

/* A vCPU taking itself down stops at its next exit; its state is kept for VCPUOP_up. */
static long vcpu_down(struct vcpu *v)
{
    if (v->state == VCPU_DEAD)
        return -EINVAL;
    sched_vcpu_stop(v, VCPU_DOWN);
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
    case VCPUOP_initialise:
        return initialise(v, target, args->a[2]);
    case VCPUOP_up:
        return vcpu_up(target);
    case VCPUOP_down:
        return vcpu_down(target);
    case VCPUOP_is_up:
        return target->state != VCPU_DOWN;
    case VCPUOP_get_runstate_info:
        return get_runstate(v, target, args->a[2]);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate(v, target, args->a[2]);
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, target, args->a[2]);
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(v, target, args->a[2]);
    case VCPUOP_set_singleshot_timer:
        return singleshot_op(v, target, args->a[2]);
    case VCPUOP_stop_singleshot_timer:
        if (v != target)
            return -EINVAL;
        timer_stop(&target->singleshot);
        return 0;
    }
    return -ENOSYS;
}
