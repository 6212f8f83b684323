// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvclock is monotonic across vCPUs and pCPUs: four vCPUs (on four pCPUs when
 * QEMU has them) each read their own vcpu_time_info in a loop and publish the
 * highest time seen. A reading taken after another vCPU published a time
 * must not be earlier than it.
 */
#include "guest.h"
#include <public/sched.h>

#define NR_VCPUS 4
#define STACK_SIZE 8192
#define READS 200000

static uint8_t stacks[NR_VCPUS][STACK_SIZE] __attribute__((aligned(16)));
static struct shared_info *si;
static volatile uint64_t latest;       /* highest time any vCPU has read */
static volatile uint64_t worst_back;   /* largest step backwards seen */
static volatile uint32_t finished;

static void run_reads(unsigned int id)
{
    if (id >= NR_VCPUS)
        test_abort(RESULT_ERROR, "vCPU id %u out of range", id);
    for (unsigned int i = 0; i < READS; i++) {
        uint64_t seen = __atomic_load_n(&latest, __ATOMIC_SEQ_CST);
        uint64_t now = pvclock_read(&si->vcpu_info[id].time);
        uint64_t cur = seen;

        if (now < seen && seen - now > worst_back)
            worst_back = seen - now;
        while (now > cur && !__atomic_compare_exchange_n(&latest, &cur, now, false, __ATOMIC_SEQ_CST,
                                                         __ATOMIC_SEQ_CST))
            ;
    }
    __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
}

noreturn static void secondary(void)
{
    run_reads(vcpu_self_id());
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void test_main(void)
{
    si = map_shared_info();
    if (!si)
        return;
    for (unsigned int id = 1; id < NR_VCPUS; id++)
        if (vcpu_start_64(id, secondary, stacks[id] + STACK_SIZE))
            test_abort(RESULT_ERROR, "cannot start vCPU %u", id);
    run_reads(0);
    while (finished < NR_VCPUS)
        xen_yield();
    printf("%u vCPUs x %u reads, latest %lu ns, worst step back %lu ns\n", NR_VCPUS, READS, latest,
           worst_back);
    if (worst_back)
        test_fail("pvclock went back by %lu ns across vCPUs", worst_back);
}
