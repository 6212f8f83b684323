// SPDX-License-Identifier: GPL-2.0-only
/* The highest Xen leaf covers at least leaves base+0..base+4 (Linux PVH
 * reads leaf 4), and leaves up to it answer consistently. */
#include "guest.h"
#include <public/arch-x86/cpuid.h>

void test_main(void)
{
    uint32_t max = cpuid(xen_cpuid_base).eax;
    uint32_t nr = max - xen_cpuid_base;

    printf("highest Xen leaf %#x (base + %u)\n", max, nr);
    if (nr < 4)
        test_fail("highest leaf %#x lacks the HVM leaf base+4", max);
    if (nr > 0xff)
        test_fail("highest leaf %#x runs past the 0x100 block", max);
    for (uint32_t l = xen_cpuid_base + 1; l <= max && l < xen_cpuid_base + 0x100; l++) {
        struct cpuid_regs a = cpuid(l), b = cpuid(l);

        /* Leaf 3 (time) may legitimately change; the rest may not. */
        if (l != xen_cpuid_base + 3 && memcmp(&a, &b, sizeof(a)))
            test_fail("leaf %#x differs between two reads", l);
    }
}
