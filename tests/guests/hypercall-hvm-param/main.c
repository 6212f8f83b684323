// SPDX-License-Identifier: GPL-2.0-only
/* HVM_PARAM_CALLBACK_IRQ round-trips through set_param / get_param,
 * as Linux does when it installs its upcall vector. */
#include "guest.h"
#include <public/hvm/params.h>

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index, .value = ~0ull };
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

    *value = p.value;
    return rc;
}

static long set_param(uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index, .value = value };

    return HYPERVISOR_hvm_op(HVMOP_set_param, &p);
}

void test_main(void)
{
    uint64_t via_vector = HVM_PARAM_CALLBACK_VAL(HVM_PARAM_CALLBACK_TYPE_VECTOR, 0xf3);
    uint64_t v;

    check_eq("get CALLBACK_IRQ", get_param(HVM_PARAM_CALLBACK_IRQ, &v), 0);
    printf("initial CALLBACK_IRQ %#lx\n", v);
    check_eq("initial CALLBACK_IRQ", v, 0);
    check_eq("set CALLBACK_IRQ = vector 0xf3", set_param(HVM_PARAM_CALLBACK_IRQ, via_vector), 0);
    check_eq("get CALLBACK_IRQ", get_param(HVM_PARAM_CALLBACK_IRQ, &v), 0);
    check_eq("CALLBACK_IRQ read back", v, via_vector);
    check_eq("set CALLBACK_IRQ = 0 (off)", set_param(HVM_PARAM_CALLBACK_IRQ, 0), 0);
    check_eq("get CALLBACK_IRQ", get_param(HVM_PARAM_CALLBACK_IRQ, &v), 0);
    check_eq("CALLBACK_IRQ read back", v, 0);
}
