// SPDX-License-Identifier: GPL-2.0-only
/* Hypercall numbers that Xen does not define return -ENOSYS through their
 * stubs, and the guest keeps running. */
#include "guest.h"

static bool is_unknown(unsigned int nr)
{
    return nr == 11 || (nr >= 43 && nr <= 47) || nr >= 56;
}

void test_main(void)
{
    unsigned int called = 0;

    for (unsigned int nr = 0; nr < XEN_NR_HYPERCALLS; nr++) {
        long rc;

        if (!is_unknown(nr))
            continue;
        rc = hypercall_raw(nr, 1, 2, 3, 4, 5);
        called++;
        if (rc != -XEN_ENOSYS)
            test_fail("hypercall %u returned %ld, expected -ENOSYS", nr, rc);
    }
    printf("%u unknown hypercalls called\n", called);
}
