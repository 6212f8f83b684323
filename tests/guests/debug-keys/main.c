// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's debug keys: the runner types them (three Ctrl-A, 'q',
 * 'r', three Ctrl-A) when it sees this guest's "waiting" line; the guest
 * keeps its vCPU busy meanwhile, so the dumps must show it running on p0.
 */
#include "guest.h"

#define WAIT_NS 4000000000ull

void test_main(void)
{
    struct shared_info *s = map_shared_info();
    uint64_t start = pvclock_read(&s->vcpu_info[0].time);

    printf("debug-keys: waiting for the runner's keys\n");
    while (pvclock_read(&s->vcpu_info[0].time) - start < WAIT_NS)
        __asm__ volatile("pause");
}
