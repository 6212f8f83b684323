// SPDX-License-Identifier: GPL-2.0-only
/*
 * printf to the console. The formatting is the hypervisor's own
 * (hypervisor/common/vsnprintf.c, built into this library as it is, with
 * its string functions): one implementation of each, and every guest run
 * exercises the one the hypervisor logs with.
 */
#include "guest.h"

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}
