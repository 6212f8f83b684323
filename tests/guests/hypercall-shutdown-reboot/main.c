// SPDX-License-Identifier: GPL-2.0-only
/* SCHEDOP_shutdown with SHUTDOWN_reboot stops the domain with that reason
 * (the hypervisor reports it; the run is not "all poweroff"). */
#include "guest.h"
#include <public/sched.h>

void test_main(void)
{
    long rc;

    printf("shutting down with SHUTDOWN_reboot\n");
    rc = xen_shutdown(SHUTDOWN_reboot);
    test_fail("SCHEDOP_shutdown(reboot) returned %ld", rc);
}
