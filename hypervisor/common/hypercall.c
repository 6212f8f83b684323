/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall dispatch by number; anything not implemented is -ENOSYS. */
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <public/xen.h>

typedef long (*hypercall_fn)(struct vcpu *v, const struct hypercall_args *args);

static const hypercall_fn hypercall_table[XEN_NR_HYPERCALLS] = {
    [__HYPERVISOR_console_io] = do_console_io,
    [__HYPERVISOR_xen_version] = do_xen_version,
    [__HYPERVISOR_sched_op] = do_sched_op,
    [__HYPERVISOR_memory_op] = do_memory_op,
    [__HYPERVISOR_hvm_op] = do_hvm_op,
    [__HYPERVISOR_vcpu_op] = do_vcpu_op,
    [__HYPERVISOR_event_channel_op] = do_event_channel_op,
    [__HYPERVISOR_set_timer_op] = do_set_timer_op,
    [__HYPERVISOR_platform_op] = do_platform_op,
    [__HYPERVISOR_physdev_op] = do_physdev_op,
    [__HYPERVISOR_mca] = do_mca,
    [__HYPERVISOR_grant_table_op] = do_grant_table_op,
    [__HYPERVISOR_sysctl] = do_sysctl,
    [__HYPERVISOR_domctl] = do_domctl,
};

long hypercall_dispatch(struct vcpu *v, const struct hypercall_args *args)
{
    if (args->nr >= XEN_NR_HYPERCALLS || !hypercall_table[args->nr]) {
        printk_guest(LOG_DEBUG, "d%u: hypercall %lu not implemented", v->domain->id, args->nr);
        return -ENOSYS;
    }
    return hypercall_table[args->nr](v, args);
}
