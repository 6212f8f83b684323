// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen CPUID block: "XenVMMXenVMM" at base 0x40000x00 with a sane
 * highest leaf, and the same answer on a second, independent scan.
 */
#include "guest.h"
#include <public/arch-x86/cpuid.h>

void test_main(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base);
    char sig[13];

    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    sig[12] = '\0';
    printf("base %#x: max leaf %#x, signature \"%s\"\n", xen_cpuid_base, r.eax, sig);
    if (strcmp(sig, "XenVMMXenVMM"))
        test_fail("signature is \"%s\"", sig);
    if ((xen_cpuid_base & 0xff) || xen_cpuid_base < XEN_CPUID_FIRST_LEAF ||
        xen_cpuid_base >= XEN_CPUID_SCAN_END)
        test_fail("odd base %#x", xen_cpuid_base);
    /* A lower base must not also claim to be Xen (we would have found it). */
    for (uint32_t b = XEN_CPUID_FIRST_LEAF; b < xen_cpuid_base; b += XEN_CPUID_SCAN_STEP) {
        struct cpuid_regs o = cpuid(b);

        if (o.ebx == XEN_CPUID_SIGNATURE_EBX)
            test_fail("a second Xen signature at %#x", b);
    }
}
