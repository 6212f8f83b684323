/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_platform_op: what the control domain asks of the host. The time
 * of day (Linux's Dom0 keeps it in step) and the physical-CPU list are there
 * so far; every other command is -ENOSYS, which Linux takes as "not
 * available".
 */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/time.h>
#include <xenon/xsm.h>
#include <public/platform.h>

static void get_cpuinfo(struct xenpf_pcpuinfo *p)
{
    unsigned int cpu = p->xen_cpuid;

    p->max_present = nr_cpus - 1;
    if (cpu >= nr_cpus || !cpumask_test(cpu_online_mask, cpu)) {
        p->flags = XEN_PCPU_FLAGS_INVALID;
        return;
    }
    p->flags = XEN_PCPU_FLAGS_ONLINE;
    p->apic_id = percpu_of(cpu)->apic_id;
    p->acpi_id = cpu; /* the firmware's processor UIDs are not kept yet */
}

static long settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    int rc = wallclock_set(secs, nsecs, system_time);

    if (!rc)
        domain_update_wallclocks();
    return rc;
}

long do_platform_op(struct vcpu *v, const struct hypercall_args *args)
{
    struct xen_platform_op op;

    if (copy_from_guest(v, &op, args->a[0], sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -EACCES;
    if (xsm_host_info(v->domain))
        return -EPERM;
    switch (op.cmd) {
    case XENPF_settime32:
        return settime(op.u.settime32.secs, op.u.settime32.nsecs, op.u.settime32.system_time);
    case XENPF_settime64:
        if (op.u.settime64.mbz)
            return -EINVAL;
        return settime(op.u.settime64.secs, op.u.settime64.nsecs, op.u.settime64.system_time);
    case XENPF_get_cpuinfo:
        get_cpuinfo(&op.u.pcpu_info);
        return copy_to_guest(v, args->a[0], &op, sizeof(op)) ? -EFAULT : 0;
    }
    printk_guest(LOG_DEBUG, "d%u: platform_op %u not implemented", v->domain->id, op.cmd);
    return -ENOSYS;
}
