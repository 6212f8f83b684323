// SPDX-License-Identifier: GPL-2.0-only
/* VCPUOP_register_vcpu_info moves vcpu 0's vcpu_info into our page: the
 * hypervisor writes it there (time info with an even version). */
#include "guest.h"
#include <public/vcpu.h>

static uint8_t area[PAGE_SIZE] PAGE_ALIGNED;
#define OFFSET 0x140

void test_main(void)
{
    struct vcpu_register_vcpu_info reg = {
        .mfn = (uintptr_t)area >> 12,
        .offset = OFFSET,
    };
    volatile struct vcpu_info *vi = (volatile struct vcpu_info *)(area + OFFSET);
    bool changed = false;

    memset(area, 0xa5, sizeof(area));
    if (!check_eq("register_vcpu_info", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &reg), 0))
        return;
    for (size_t i = 0; i < sizeof(*vi); i++)
        if (((volatile uint8_t *)vi)[i] != 0xa5)
            changed = true;
    printf("vcpu_info at %p: mask %u, time version %u, system_time %lu, mul %#x\n",
           (void *)vi, vi->evtchn_upcall_mask, vi->time.version, vi->time.system_time,
           vi->time.tsc_to_system_mul);
    if (!changed)
        test_fail("nothing was written to the registered vcpu_info");
    if (vi->time.version & 1)
        test_fail("time.version is odd (%u)", vi->time.version);
    if (vi->time.version == 0xa5a5a5a5u || !vi->time.tsc_to_system_mul)
        test_fail("time info not filled in");
    /* Bytes around the struct stay untouched. */
    if (area[OFFSET - 1] != 0xa5 || area[OFFSET + sizeof(struct vcpu_info)] != 0xa5)
        test_fail("bytes outside the vcpu_info were written");
    /* A second registration for the same vCPU is refused (Xen: -EINVAL). */
    reg.offset = 0;
    if (HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == 0)
        test_fail("a second register_vcpu_info succeeded");
}
