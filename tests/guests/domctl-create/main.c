// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_createdomain from the control domain, as libxenctrl issues it
 * for a PVH guest: configurations Xenon cannot build are refused; a good one
 * makes an empty domain (no memory, vCPUs down, paused once by the
 * controller) with the first free id, or the id asked for. max_vcpus,
 * max_mem, setdomainhandle and unpause act on it and read back; destroying
 * them all gives every frame back.
 */
#include "guest.h"
#include "ctl.h"

#define MS 1000000ull

static struct shared_info *si;
static const uint8_t uuid[16] = { 0x5e, 0x9d, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

static uint64_t free_pages(void)
{
    struct xen_sysctl_physinfo pi;

    check_eq("physinfo", sysctl_physinfo(&pi), 0);
    return pi.free_pages;
}

/* What libxl sends for a PVH guest with n vCPUs. */
static void pvh_config(struct xen_domctl *op, domid_t want, uint32_t vcpus)
{
    struct xen_domctl_createdomain *c = &op->u.createdomain;

    domctl_init(op, XEN_DOMCTL_createdomain, want);
    memcpy(c->handle, uuid, sizeof(uuid));
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = vcpus;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = -1;
    c->max_maptrack_frames = -1;
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);
    c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
}

/* Create with a good config; returns the new id, 0 on failure. */
static domid_t create(domid_t want, uint32_t vcpus)
{
    struct xen_domctl op;

    pvh_config(&op, want, vcpus);
    if (!check_eq("createdomain", HYPERVISOR_domctl(&op), 0))
        return 0;
    return op.domain;
}

static void check_refused(void)
{
    struct xen_domctl op;

#define REFUSE(what, field, value, err)                                                            \
    do {                                                                                           \
        pvh_config(&op, 0, 1);                                                                     \
        op.u.createdomain.field = (value);                                                         \
        check_eq("createdomain " what, HYPERVISOR_domctl(&op), -(err));                            \
    } while (0)
    REFUSE("PV", flags, 0, XEN_EINVAL);
    REFUSE("HVM without HAP", flags, XEN_DOMCTL_CDF_hvm, XEN_EINVAL);
    REFUSE("with IOMMU", flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_iommu, XEN_EINVAL);
    REFUSE("nested virt", flags, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_nested_virt,
           XEN_EINVAL);
    REFUSE("0 vCPUs", max_vcpus, 0, XEN_EINVAL);
    REFUSE("1000 vCPUs", max_vcpus, 1000, XEN_EINVAL);
    REFUSE("grant v2", grant_opts, 2, XEN_EINVAL);
    REFUSE("vmtrace", vmtrace_size, 4096, XEN_EINVAL);
    REFUSE("cpupool 3", cpupool_id, 3, XEN_ENOENT);
    REFUSE("full HVM devices", arch.emulation_flags, XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI, XEN_EOPNOTSUPP);
    REFUSE("unknown misc flag", arch.misc_flags, 2, XEN_EINVAL);
#undef REFUSE
}

static void check_fresh(domid_t id, uint32_t vcpus)
{
    struct xen_domctl_getdomaininfo in;

    if (!check_eq("getdomaininfo(new)", domctl_domain_info(id, &in), 0))
        return;
    check_eq("new: flags", in.flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_paused);
    check_eq("new: nr_online_vcpus", in.nr_online_vcpus, 0);
    check_eq("new: max_vcpu_id", in.max_vcpu_id, vcpus - 1);
    check_eq("new: tot_pages", in.tot_pages, 0);
    check_eq("new: max_pages", in.max_pages, 0);
    if (memcmp(in.handle, uuid, sizeof(uuid)))
        test_fail("new: handle not the one given");
}

static void configure(domid_t id)
{
    struct xen_domctl op;
    struct xen_domctl_getdomaininfo in;

    domctl_init(&op, XEN_DOMCTL_max_vcpus, id);
    op.u.max_vcpus.max = 2;
    check_eq("max_vcpus 2", HYPERVISOR_domctl(&op), 0);
    op.u.max_vcpus.max = 3;
    check_eq("max_vcpus 3 (not createdomain's)", HYPERVISOR_domctl(&op), -XEN_EINVAL);
    domctl_init(&op, XEN_DOMCTL_max_mem, id);
    op.u.max_mem.max_memkb = 8192 + 3; /* rounded down to pages */
    check_eq("max_mem", HYPERVISOR_domctl(&op), 0);
    domctl_init(&op, XEN_DOMCTL_setdomainhandle, id);
    memset(op.u.setdomainhandle.handle, 0x77, sizeof(op.u.setdomainhandle.handle));
    check_eq("setdomainhandle", HYPERVISOR_domctl(&op), 0);
    domctl_init(&op, XEN_DOMCTL_getvcpuinfo, id);
    if (check_eq("getvcpuinfo(new)", HYPERVISOR_domctl(&op), 0))
        check_eq("new vCPU online", op.u.getvcpuinfo.online, 0);
    if (!check_eq("getdomaininfo(configured)", domctl_domain_info(id, &in), 0))
        return;
    check_eq("max_pages after max_mem", in.max_pages, 2048);
    check_eq("handle after setdomainhandle", in.handle[15], 0x77);
    /* The creation pause is the controller's: one unpause lifts it. */
    check_eq("unpause new", domctl_simple(XEN_DOMCTL_unpausedomain, id), 0);
    check_eq("unpause new again", domctl_simple(XEN_DOMCTL_unpausedomain, id), -XEN_EINVAL);
    if (check_eq("getdomaininfo(unpaused)", domctl_domain_info(id, &in), 0))
        check_eq("unpaused: flags", in.flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
}

static void destroy(domid_t id)
{
    check_eq("destroydomain", domctl_simple(XEN_DOMCTL_destroydomain, id), 0);
    if (!ctl_wait_gone(id, &si->vcpu_info[0].time, 2000 * MS))
        test_fail("d%u still there 2 s after destroydomain", id);
}

void test_main(void)
{
    uint64_t before, after, end;
    struct xen_domctl op;
    domid_t a, b, c;

    si = map_shared_info();
    if (!si)
        return;
    before = free_pages();
    check_refused();
    a = create(0, 2);
    check_eq("first free id", a, 1);
    if (!a)
        return;
    check_fresh(a, 2);
    configure(a);
    pvh_config(&op, a, 1);
    check_eq("createdomain with a taken id", HYPERVISOR_domctl(&op), -XEN_EEXIST);
    b = create(9, 1);
    check_eq("the id asked for", b, 9);
    c = create(DOMID_FIRST_RESERVED, 1);
    check_eq("a reserved id picks the next free one", c, 2);
    printf("created d%u, d%u, d%u; %lu pages were free before\n", a, b, c, before);
    destroy(a);
    destroy(b);
    destroy(c);
    end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS;
    while ((after = free_pages()) != before && pvclock_read(&si->vcpu_info[0].time) < end)
        xen_yield();
    check_eq("free pages after destroying them all", after, before);
}
