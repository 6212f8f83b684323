// SPDX-License-Identifier: GPL-2.0-only
/* CPUID base+1 EAX and XENVER_version report the same version. */
#include "guest.h"
#include <public/version.h>

void test_main(void)
{
    uint32_t leaf = cpuid(xen_cpuid_base + 1).eax;
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    printf("CPUID version %u.%u, XENVER_version %ld.%ld\n", leaf >> 16, leaf & 0xffff,
           ver >> 16, ver & 0xffff);
    if (ver < 0) {
        test_fail("XENVER_version returned %ld", ver);
        return;
    }
    check_eq("XENVER_version vs CPUID base+1 EAX", ver, leaf);
    /* Linux needs >= 3.x (XENFEAT_*, vcpu_info registration); Xen 4.x is expected. */
    if ((leaf >> 16) < 4)
        test_fail("major version %u < 4", leaf >> 16);
}
