// SPDX-License-Identifier: GPL-2.0-only
/* hvm_op param errors: bad index -EINVAL, another domain -ESRCH/-EPERM,
 * bad pointer -EFAULT, unknown op -ENOSYS. */
#include "guest.h"
#include <public/hvm/params.h>

void test_main(void)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_NR_PARAMS };
    long rc;

    check_eq("get index HVM_NR_PARAMS", HYPERVISOR_hvm_op(HVMOP_get_param, &p), -XEN_EINVAL);
    p.index = 0xffffffffu;
    check_eq("get index 0xffffffff", HYPERVISOR_hvm_op(HVMOP_get_param, &p), -XEN_EINVAL);
    check_eq("set index 0xffffffff", HYPERVISOR_hvm_op(HVMOP_set_param, &p), -XEN_EINVAL);

    /* domid 0 (dom0, or no domain at all) and a domid nobody has. */
    p = (struct xen_hvm_param){ .domid = 0, .index = HVM_PARAM_CALLBACK_IRQ };
    rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
    if (rc != -XEN_ESRCH && rc != -XEN_EPERM)
        test_fail("get_param for domid 0 returned %ld, expected -ESRCH or -EPERM", rc);
    p.domid = 0x7000;
    rc = HYPERVISOR_hvm_op(HVMOP_set_param, &p);
    if (rc != -XEN_ESRCH && rc != -XEN_EPERM)
        test_fail("set_param for domid 0x7000 returned %ld, expected -ESRCH or -EPERM", rc);

    check_eq("get_param, unmapped argument",
             HYPERVISOR_hvm_op(HVMOP_get_param, (void *)(uintptr_t)UNMAPPED_GPA), -XEN_EFAULT);
    check_eq("unknown hvm_op 200", HYPERVISOR_hvm_op(200, &p), -XEN_ENOSYS);
}
