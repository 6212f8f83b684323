// SPDX-License-Identifier: GPL-2.0-only
/* xen_version: unknown subops give -ENOSYS, unmapped buffers -EFAULT,
 * XENVER_build_id reports its size or -ENOBUFS / a build id. */
#include "guest.h"
#include <public/version.h>

static union {
    struct xen_build_id id;
    uint8_t raw[256];
} bid;

static void check_build_id(void)
{
    long rc;

    bid.id.len = sizeof(bid) - sizeof(bid.id);
    rc = HYPERVISOR_xen_version(XENVER_build_id, &bid);
    printf("build_id: rc %ld\n", rc);
    /* Privileged domains only in Xen (-EPERM); -ENODATA without a build id. */
    if (rc == -XEN_ENODATA || rc == -XEN_EPERM)
        return;
    if (rc <= 0 || rc > (long)(sizeof(bid) - sizeof(bid.id))) {
        test_fail("XENVER_build_id returned %ld", rc);
        return;
    }
    bid.id.len = 0;
    check_eq("build_id with len 0", HYPERVISOR_xen_version(XENVER_build_id, &bid), -XEN_ENOBUFS);
}

void test_main(void)
{
    void *bad = (void *)(uintptr_t)UNMAPPED_GPA;
    long rc;

    check_eq("subop 11", HYPERVISOR_xen_version(11, NULL), -XEN_ENOSYS);
    check_eq("subop 0x7fffffff", HYPERVISOR_xen_version(0x7fffffff, NULL), -XEN_ENOSYS);
    check_eq("extraversion to an unmapped GPA", HYPERVISOR_xen_version(XENVER_extraversion, bad),
             -XEN_EFAULT);
    check_eq("compile_info to an unmapped GPA", HYPERVISOR_xen_version(XENVER_compile_info, bad),
             -XEN_EFAULT);
    check_eq("get_features from an unmapped GPA", HYPERVISOR_xen_version(XENVER_get_features, bad),
             -XEN_EFAULT);
    rc = HYPERVISOR_xen_version(XENVER_commandline, bad);
    if (rc != -XEN_EFAULT && rc != -XEN_EPERM)
        test_fail("commandline to an unmapped GPA returned %ld", rc);
    check_build_id();
}
