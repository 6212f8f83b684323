// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arm a 2 s domain watchdog and spin forever without yielding. The
 * hypervisor must preempt us (the survivor beside us finishes) and shut
 * us down with SHUTDOWN_watchdog.
 */
#include "guest.h"
#include <public/sched.h>

void test_main(void)
{
    struct sched_watchdog wd = { .id = 0, .timeout = 2 };
    struct sched_watchdog bogus = { .id = 99, .timeout = 0 };
    long id = HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd);

    if (id <= 0)
        test_abort(RESULT_FAILURE, "SCHEDOP_watchdog(id 0, 2 s) returned %ld", id);
    check_eq("freeing watchdog 99 (not allocated)",
             HYPERVISOR_sched_op(SCHEDOP_watchdog, &bogus), -XEN_EINVAL);
    wd.id = (uint32_t)id;
    check_eq("re-arming the watchdog", HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd), 0);
    if (test_failed())
        test_exit();
    printf("watchdog %ld armed for 2 s; spinning\n", id);
    for (;;)
        cpu_relax();
}
