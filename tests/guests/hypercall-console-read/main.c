// SPDX-License-Identifier: GPL-2.0-only
/* CONSOLEIO_read with no input pending returns 0 and leaves the buffer alone. */
#include "guest.h"

void test_main(void)
{
    char buf[64];
    long rc;

    memset(buf, 0x5a, sizeof(buf));
    rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
    check_eq("CONSOLEIO_read with nothing pending", rc, 0);
    for (size_t i = 0; i < sizeof(buf); i++) {
        if ((uint8_t)buf[i] != 0x5a) {
            test_fail("byte %zu of the buffer changed to %#x", i, (uint8_t)buf[i]);
            break;
        }
    }
    check_eq("CONSOLEIO_read of 0 bytes", HYPERVISOR_console_io(CONSOLEIO_read, 0, buf), 0);
}
