// SPDX-License-Identifier: GPL-2.0-only
/* memory_op: unmapped argument pointers give -EFAULT, unknown ops -ENOSYS,
 * a bad map space -EINVAL (or -ENOSYS), and nothing kills the guest. */
#include "guest.h"
#include <public/memory.h>

void test_main(void)
{
    void *bad = (void *)(uintptr_t)UNMAPPED_GPA;
    struct xen_add_to_physmap xatp = { .domid = DOMID_SELF, .space = 0x7777, .idx = 0,
                                       .gpfn = find_free_gfn() };
    struct xen_memory_map map = { .nr_entries = 4, .buffer = UNMAPPED_GPA };
    long rc;

    check_eq("current_reservation, unmapped domid pointer",
             HYPERVISOR_memory_op(XENMEM_current_reservation, bad), -XEN_EFAULT);
    check_eq("memory_map, unmapped argument", HYPERVISOR_memory_op(XENMEM_memory_map, bad),
             -XEN_EFAULT);
    check_eq("memory_map, unmapped buffer", HYPERVISOR_memory_op(XENMEM_memory_map, &map),
             -XEN_EFAULT);
    check_eq("add_to_physmap, unmapped argument",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, bad), -XEN_EFAULT);
    /* Xen on x86 says -EINVAL; -ENOSYS ("no such space") is as clear. */
    rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
    if (rc != -XEN_EINVAL && rc != -XEN_ENOSYS)
        test_fail("add_to_physmap with space 0x7777 returned %ld", rc);
    check_eq("unknown op 63", HYPERVISOR_memory_op(63, bad), -XEN_ENOSYS);
    check_eq("unknown op 40", HYPERVISOR_memory_op(40, NULL), -XEN_ENOSYS);
}
