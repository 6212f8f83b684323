/* SPDX-License-Identifier: GPL-2.0-only */
/* The serial console: hypervisor messages, guest output, input for the control domain. */
#ifndef XENON_CONSOLE_H
#define XENON_CONSOLE_H

#include <xenon/types.h>
#include <xenon/lib.h>

struct domain;

/* loglvl= / guest_loglvl= values: none|error|warning|info|debug|all; -EINVAL if unknown. */
int console_set_loglvl(const char *hyp, const char *guest);
void console_write(const char *s, size_t len);
/* Guest console_io write: buffered per domain, one "(dN) " line at a time. */
void console_guest_write(struct domain *d, const char *s, size_t len);
void console_guest_flush(struct domain *d);
/* Up to len bytes of pending serial input; 0 if none. */
size_t console_read(char *buf, size_t len);
/* Poll serial input from now on, raising VIRQ_CONSOLE in the control domain when some arrives. */
void console_input_start(void);

void arch_console_init(void);
void arch_console_putc(char c);
int arch_console_getc(void);

#endif
