// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest with 4 vCPUs brings up vCPUs 1-3 with VCPUOP_initialise (64-bit
 * mode, our page tables, a stack each) and VCPUOP_up. Each reports its id as
 * CPUID leaf base+4 tells it; vCPU 0 waits for all three. Also: up before
 * initialise and a second initialise are refused, is_up follows.
 */
#include "guest.h"
#include "x86.h"
#include <public/arch-x86/cpuid.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define NR_VCPUS 4
#define STACK_SIZE 8192

static uint8_t stacks[NR_VCPUS][STACK_SIZE] __attribute__((aligned(16)));
static volatile uint32_t arrived;
static volatile uint32_t seen_id[NR_VCPUS];

/* Secondary vCPUs start here with a fresh stack; they never return. */
noreturn static void secondary_main(void)
{
    unsigned int id = vcpu_self_id();

    if (id < NR_VCPUS)
        seen_id[id] = 1;
    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static long start_vcpu(unsigned int id)
{
    return vcpu_start_64(id, secondary_main, stacks[id] + STACK_SIZE);
}

void test_main(void)
{
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };

    check_eq("up before initialise", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);
    check_eq("initialise with paging off in 64-bit mode", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx),
             -XEN_EINVAL);
    check_eq("is_up(1) before", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    for (unsigned int id = 1; id < NR_VCPUS; id++)
        check_eq("initialise + up", start_vcpu(id), 0);
    check_eq("second initialise", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
    check_eq("vcpu beyond the domain's", HYPERVISOR_vcpu_op(VCPUOP_is_up, NR_VCPUS, NULL), -XEN_ENOENT);
    for (unsigned int spins = 0; arrived < NR_VCPUS - 1 && spins < 100000; spins++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    printf("%u secondary vCPUs arrived\n", arrived);
    check_eq("secondary vCPUs running", arrived, NR_VCPUS - 1);
    for (unsigned int id = 1; id < NR_VCPUS; id++) {
        check_eq("vCPU saw its own id in CPUID", seen_id[id], 1);
        check_eq("is_up", HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 1);
    }
}
