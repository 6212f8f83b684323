// SPDX-License-Identifier: GPL-2.0-only
/* sched_op: yield returns 0, a bad shutdown reason -EINVAL (and the domain
 * keeps running), an unknown command -ENOSYS, a bad pointer -EFAULT. */
#include "guest.h"
#include <public/sched.h>

void test_main(void)
{
    struct sched_shutdown bad_reason = { .reason = 42 };
    struct sched_shutdown max_plus_one = { .reason = SHUTDOWN_MAX + 1 };

    for (int i = 0; i < 10; i++)
        if (!check_eq("SCHEDOP_yield", xen_yield(), 0))
            break;
    check_eq("shutdown, reason 42", HYPERVISOR_sched_op(SCHEDOP_shutdown, &bad_reason),
             -XEN_EINVAL);
    check_eq("shutdown, reason SHUTDOWN_MAX + 1",
             HYPERVISOR_sched_op(SCHEDOP_shutdown, &max_plus_one), -XEN_EINVAL);
    check_eq("shutdown, unmapped argument",
             HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)(uintptr_t)UNMAPPED_GPA), -XEN_EFAULT);
    check_eq("unknown command 100", HYPERVISOR_sched_op(100, NULL), -XEN_ENOSYS);
    check_eq("yield still works", xen_yield(), 0);
}
