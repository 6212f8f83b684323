// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helper guest: runs beside a guest that dies, yielding for a while so it
 * is alive when the other one crashes, then reports success.
 */
#include "guest.h"
#include <public/sched.h>

void test_main(void)
{
    for (int i = 0; i < 200; i++) {
        long rc = xen_yield();

        if (rc) {
            test_fail("SCHEDOP_yield returned %ld", rc);
            return;
        }
    }
    printf("survivor: still alive after 200 yields\n");
}
