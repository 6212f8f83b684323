// SPDX-License-Identifier: GPL-2.0-only
/* console_io: an unmapped buffer gives -EFAULT, an unknown command -ENOSYS. */
#include "guest.h"

void test_main(void)
{
    const void *bad = (const void *)(uintptr_t)UNMAPPED_GPA;
    char buf[8];

    check_eq("write from an unmapped GPA", HYPERVISOR_console_io(CONSOLEIO_write, 16, bad),
             -XEN_EFAULT);
    check_eq("write from a non-canonical address",
             HYPERVISOR_console_io(CONSOLEIO_write, 4, (const void *)0x8000000000000000ull),
             -XEN_EFAULT);
    check_eq("unknown command 2", HYPERVISOR_console_io(2, sizeof(buf), buf), -XEN_ENOSYS);
    check_eq("unknown command 0xffff", HYPERVISOR_console_io(0xffff, sizeof(buf), buf), -XEN_ENOSYS);
}
