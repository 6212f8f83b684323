// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control domain reads XEN_SYSCTL_physinfo: the pCPU count QEMU was
 * given (cpus=N), a TSC frequency, the capabilities of a PVH-only host and
 * page counts that fit QEMU's 512 MiB. Then the sysctl error paths: a wrong
 * interface version, an unknown command and bad pointers.
 */
#include "guest.h"
#include "ctl.h"

#define QEMU_RAM_PAGES ((512ull << 20) / PAGE_SIZE)

static void check_physinfo(const struct xen_sysctl_physinfo *pi, uint64_t cpus)
{
    uint32_t per_socket = pi->threads_per_core * pi->cores_per_socket;

    printf("physinfo: %u pCPUs (max id %u), %u thread(s)/core, %u core(s)/socket, %u kHz, caps %#x\n",
           pi->nr_cpus, pi->max_cpu_id, pi->threads_per_core, pi->cores_per_socket, pi->cpu_khz,
           pi->capabilities);
    printf("physinfo: %lu pages, %lu free, max_mfn %#lx\n", pi->total_pages, pi->free_pages, pi->max_mfn);
    check_eq("nr_cpus", pi->nr_cpus, cpus);
    check_eq("max_cpu_id", pi->max_cpu_id, cpus - 1);
    if (!per_socket || pi->nr_cpus % per_socket)
        test_fail("topology %u x %u does not divide %u pCPUs", pi->threads_per_core, pi->cores_per_socket,
                  pi->nr_cpus);
    check_eq("nr_nodes", pi->nr_nodes, 1);
    if (pi->cpu_khz < 100000)
        test_fail("cpu_khz %u is not a real TSC frequency", pi->cpu_khz);
    if ((pi->capabilities & (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap)) !=
        (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap))
        test_fail("capabilities %#x lack hvm or hap", pi->capabilities);
    if (pi->capabilities & XEN_SYSCTL_PHYSCAP_pv)
        test_fail("capabilities %#x claim PV guests", pi->capabilities);
    if (pi->total_pages < QEMU_RAM_PAGES / 2 || pi->total_pages > QEMU_RAM_PAGES)
        test_fail("total_pages %lu is not about 512 MiB", pi->total_pages);
    /* Our 16 MiB and the hypervisor are taken; most of the rest is free. */
    if (pi->free_pages < pi->total_pages / 2 || pi->free_pages >= pi->total_pages)
        test_fail("free_pages %lu of %lu", pi->free_pages, pi->total_pages);
    if (pi->max_mfn + 1 < pi->total_pages)
        test_fail("max_mfn %#lx below total_pages", pi->max_mfn);
}

static void check_domain_list(void)
{
    struct xen_domctl_getdomaininfo list[4];

    memset(list, 0xaa, sizeof(list));
    check_eq("getdomaininfolist(0, 4)", sysctl_getdomaininfolist(0, 4, list), 1);
    check_eq("list[0].domain", list[0].domain, 0);
    check_eq("list[0].nr_online_vcpus", list[0].nr_online_vcpus, 1);
    check_eq("list[1] untouched", list[1].domain, 0xaaaa);
    check_eq("getdomaininfolist(1, 4)", sysctl_getdomaininfolist(1, 4, list), 0);
    check_eq("getdomaininfolist(0, 0)", sysctl_getdomaininfolist(0, 0, list), 0);
    check_eq("getdomaininfolist, bad buffer", sysctl_getdomaininfolist(0, 4, (void *)UNMAPPED_GPA),
             -XEN_EFAULT);
}

static void check_errors(void)
{
    struct xen_sysctl op;

    sysctl_init(&op, XEN_SYSCTL_physinfo);
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
    check_eq("old interface version", HYPERVISOR_sysctl(&op), -XEN_EACCES);
    sysctl_init(&op, 0xdead);
    check_eq("unknown sysctl", HYPERVISOR_sysctl(&op), -XEN_ENOSYS);
    check_eq("unmapped argument", HYPERVISOR_sysctl((void *)UNMAPPED_GPA), -XEN_EFAULT);
}

void test_main(void)
{
    struct xen_sysctl_physinfo pi, again;
    long rc = sysctl_physinfo(&pi);

    if (!check_eq("physinfo", rc, 0))
        return;
    check_physinfo(&pi, guest_arg("cpus", 1));
    if (check_eq("physinfo again", sysctl_physinfo(&again), 0))
        check_eq("free_pages stable", again.free_pages, pi.free_pages);
    check_domain_list();
    check_errors();
}
