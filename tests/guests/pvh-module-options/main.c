// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-module hypervisor options: the runner boots this guest with
 * "[domid=7 vcpus=2 mem=8M] after-options"; the guest must see domain id 7
 * (CPUID base+4), 2 vCPUs, 8 MiB of RAM, and only "after-options" as its
 * command line.
 */
#include "guest.h"
#include "x86.h"
#include <public/arch-x86/cpuid.h>
#include <public/memory.h>
#include <public/vcpu.h>

void test_main(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 4);
    const char *cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;
    domid_t self = DOMID_SELF;

    if (!(r.eax & XEN_HVM_CPUID_DOMID_PRESENT))
        test_fail("CPUID base+4 does not give the domain id");
    check_eq("domain id", r.ecx, 7);
    check_eq("reservation (pages)", HYPERVISOR_memory_op(XENMEM_current_reservation, &self), 8 << 8);
    check_eq("vCPU 1 exists (down)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    check_eq("no vCPU 2", HYPERVISOR_vcpu_op(VCPUOP_is_up, 2, NULL), -XEN_ENOENT);
    if (!cmdline || strcmp(cmdline, "after-options"))
        test_fail("command line is \"%s\"", cmdline ? cmdline : "(none)");
}
