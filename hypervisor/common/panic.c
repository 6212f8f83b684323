/* SPDX-License-Identifier: GPL-2.0-only */
/* A hypervisor bug: say what happened on the serial line and stop the machine. */
#include <xenon/arch.h>
#include <xenon/lib.h>

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    __asm__ volatile("cli");
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log_err("****************************************");
    log_err("PANIC: %s", buf);
    log_err("****************************************");
    arch_exit(EXIT_PANIC);
}
