// SPDX-License-Identifier: GPL-2.0-only
/* add_to_physmap(shared_info) at a free GFN; the wallclock there is sane. */
#include "guest.h"
#include <public/memory.h>

#define JAN_1_2020 1577836800u

void test_main(void)
{
    struct shared_info *si = map_shared_info();
    uint32_t ver, sec, nsec, sec_hi;

    if (!si)
        return;
    printf("shared_info mapped at %p\n", (void *)si);
    for (int tries = 0;; tries++) {
        ver = __atomic_load_n(&si->wc_version, __ATOMIC_ACQUIRE);
        sec = si->wc_sec;
        nsec = si->wc_nsec;
        sec_hi = si->wc_sec_hi;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (!(ver & 1) && ver == si->wc_version)
            break;
        if (tries > 1000) {
            test_fail("wc_version stuck odd (%u)", ver);
            return;
        }
    }
    printf("wallclock: version %u, %u.%09u s (hi %u)\n", ver, sec, nsec, sec_hi);
    if (sec <= JAN_1_2020 && !sec_hi)
        test_fail("wc_sec %u is before 2020-01-01", sec);
    if (nsec >= 1000000000u)
        test_fail("wc_nsec %u >= 1e9", nsec);
    if (si->vcpu_info[0].time.version & 1)
        test_fail("vcpu_info[0].time.version is odd");
    if (!si->vcpu_info[0].time.tsc_to_system_mul)
        test_fail("vcpu_info[0].time.tsc_to_system_mul is 0");
    /* Mapping it again (same GFN) must also work. */
    {
        struct xen_add_to_physmap xatp = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
                                           .idx = 0, .gpfn = (uintptr_t)si >> 12 };

        check_eq("second add_to_physmap at the same GFN",
                 HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), 0);
    }
}
