/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_sysctl: host-wide information and control for the toolstack,
 * with Xen 4.17's numbers, layouts and semantics (public/sysctl.h). The
 * control domain alone may call it; what is not implemented is -ENOSYS.
 */
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/setup.h>
#include <xenon/time.h>
#include <xenon/xsm.h>
#include <public/sysctl.h>

static void physinfo(struct xen_sysctl_physinfo *pi)
{
    memset(pi, 0, sizeof(*pi));
    /* No topology is read yet: every pCPU counts as a core of one socket. */
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr_cpus;
    pi->nr_cpus = nr_cpus;
    pi->max_cpu_id = nr_cpus - 1; /* pCPU ids are 0 .. nr_cpus - 1, no hot-plug */
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = (uint32_t)tsc_khz();
    /* PVH guests only: HVM containers on nested paging, grant tables v1. */
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = boot_ram_pages;
    pi->free_pages = frames_nr_free();
    pi->max_mfn = boot_max_mfn;
}

/* Up to max_domains entries, in id order from first_domain on. */
static long getdomaininfolist(struct vcpu *caller, struct xen_sysctl_getdomaininfolist *l)
{
    uint32_t n = 0;
    uint32_t next = l->first_domain;
    struct domain *d;

    while (n < l->max_domains && next < DOMID_FIRST_RESERVED && (d = domain_get_next((domid_t)next))) {
        struct xen_domctl_getdomaininfo info;

        domctl_getdomaininfo(d, &info);
        next = d->id + 1u;
        domain_put(d);
        if (copy_to_guest(caller, l->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info)))
            return -EFAULT;
        n++;
    }
    l->num_domains = n;
    return 0;
}

long do_sysctl(struct vcpu *v, const struct hypercall_args *args)
{
    struct xen_sysctl op;
    long rc;

    if (copy_from_guest(v, &op, args->a[0], sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    rc = xsm_sysctl(v->domain, op.cmd);
    if (rc)
        return rc;
    switch (op.cmd) {
    case XEN_SYSCTL_physinfo:
        physinfo(&op.u.physinfo);
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = getdomaininfolist(v, &op.u.getdomaininfolist);
        break;
    default:
        printk_guest(LOG_DEBUG, "d%u: sysctl %u not implemented", v->domain->id, op.cmd);
        return -ENOSYS;
    }
    if (!rc && copy_to_guest(v, args->a[0], &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
