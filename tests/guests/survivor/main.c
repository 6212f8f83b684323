// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helper guest: runs beside a guest that dies (or attacks), yielding so it
 * is alive when the other one crashes, then reports success. With
 * "seconds=N" it stays N seconds of system time and says so every second;
 * its memory holds a secret another domain must never read.
 */
#include "guest.h"
#include <public/sched.h>
#include <public/xen.h>

#define SECOND 1000000000ull

/* Found nowhere but in this guest's RAM and its boot module. */
const char survivor_secret[] = "xenon-survivor-secret-4f1c9a";

static bool yield_ok(void)
{
    long rc = xen_yield();

    if (rc)
        test_fail("SCHEDOP_yield returned %ld", rc);
    return rc == 0;
}

static void stay(uint64_t seconds)
{
    struct shared_info *si = map_shared_info();
    uint64_t start, next;

    if (!si)
        return;
    start = pvclock_read(&si->vcpu_info[0].time);
    for (next = 1; next <= seconds;) {
        if (!yield_ok())
            return;
        if (pvclock_read(&si->vcpu_info[0].time) - start >= next * SECOND)
            printf("survivor: alive at %lu s\n", (unsigned long)next++);
    }
    printf("survivor: still alive after %lu s (secret at %#lx)\n", (unsigned long)seconds,
           (unsigned long)(uintptr_t)survivor_secret);
}

void test_main(void)
{
    uint64_t seconds = guest_arg("seconds", 0);

    if (seconds) {
        stay(seconds);
        return;
    }
    for (int i = 0; i < 200; i++)
        if (!yield_ok())
            return;
    printf("survivor: still alive after 200 yields\n");
}
