// SPDX-License-Identifier: GPL-2.0-only
/* A read of a GPA far above RAM and below the LAPIC: no RAM, no device.
 * The hypervisor kills this domain (NPT violation); a survivor runs on. */
#include "guest.h"

void test_main(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)UNMAPPED_GPA;
    uint32_t v;

    printf("reading GPA %#llx\n", UNMAPPED_GPA);
    v = *p;
    test_fail("read of unmapped GPA %#llx returned %#x", UNMAPPED_GPA, v);
}
