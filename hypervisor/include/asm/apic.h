/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC (xAPIC mode): interrupts, the one-shot timer, IPIs. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xenon/types.h>

int apic_init(void);
void apic_eoi(void);
uint32_t apic_id(void);
/* Fire VECTOR_TIMER once, at system time deadline (ns); UINT64_MAX disarms. */
void apic_timer_deadline(uint64_t deadline_ns);

#endif
