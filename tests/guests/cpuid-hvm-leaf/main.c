// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID base+4 (HVM features): if the vCPU id is present it is 0 on the
 * boot vCPU; if the domain id is present it is a real guest domid.
 */
#include "guest.h"
#include <public/arch-x86/cpuid.h>

void test_main(void)
{
    struct cpuid_regs r = cpuid_count(xen_cpuid_base + 4, 0);

    printf("HVM leaf: flags %#x vcpu %u domid %u\n", r.eax, r.ebx, r.ecx);
    if (r.eax & ~0x7fu)
        test_fail("undefined flag bits %#x", r.eax & ~0x7fu);
    if (r.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT)
        check_eq("vcpu id of the boot vCPU", r.ebx, 0);
    else
        printf("note: vcpu id not reported\n");
    if (r.eax & XEN_HVM_CPUID_DOMID_PRESENT) {
        if (r.ecx == 0 || r.ecx >= DOMID_FIRST_RESERVED)
            test_fail("domid %u is not a guest domain id", r.ecx);
    } else {
        printf("note: domid not reported\n");
    }
}
