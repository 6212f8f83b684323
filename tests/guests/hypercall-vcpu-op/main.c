// SPDX-License-Identifier: GPL-2.0-only
/* vcpu_op: is_up(0) = 1; vCPU ids beyond the domain's give -ENOENT;
 * unknown commands -ENOSYS; a runstate read, if implemented, says running. */
#include "guest.h"
#include <public/vcpu.h>

void test_main(void)
{
    static const unsigned int absent[] = { 1024, 4096, 0x7fffffff };
    struct vcpu_runstate_info rs;
    long rc;

    check_eq("is_up(0)", HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
        long rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, absent[i], NULL);

        if (rc != -XEN_ENOENT)
            test_fail("is_up(%u) returned %ld, expected -ENOENT", absent[i], rc);
    }
    check_eq("unknown vcpu_op 99 on vcpu 0", HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS);

    /* Optional: Linux uses the registered runstate area instead. */
    memset(&rs, 0xff, sizeof(rs));
    rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
    if (rc == -XEN_ENOSYS)
        printf("note: VCPUOP_get_runstate_info not implemented\n");
    else if (check_eq("get_runstate_info(0)", rc, 0))
        check_eq("vcpu 0 runstate (we are running it)", rs.state, RUNSTATE_running);
}
