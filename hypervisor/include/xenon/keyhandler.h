/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Debug keys on the serial line, as Xen has them: three Ctrl-A in a row
 * switch serial input between the control domain and the hypervisor; in
 * the hypervisor's hands each key prints a piece of its state ('h' lists
 * them). For a wedged guest: what each vCPU waits for, what each pCPU runs.
 */
#ifndef XENON_KEYHANDLER_H
#define XENON_KEYHANDLER_H

/* One character of serial input; the control domain's are passed to deliver(). */
void keyhandler_input(char c, void (*deliver)(char c));

#endif
