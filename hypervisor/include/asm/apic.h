/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC (xAPIC mode): interrupts, the one-shot timer, IPIs. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xenon/types.h>

/* Enable this pCPU's APIC; the BSP also calibrates the timer. */
int apic_init(bool bsp);
void apic_eoi(void);
uint32_t apic_id(void);
/* Fire VECTOR_TIMER once, at system time deadline (ns); UINT64_MAX disarms. */
void apic_timer_deadline(uint64_t deadline_ns);
void apic_send_ipi(uint32_t apic_id, uint8_t vector);
/* Make the APIC signal the CPU again for what it holds pending (see apic.c). */
void apic_resignal_pending(void);
/* Start an AP: INIT, then two STARTUPs at real-mode page start_page. */
void apic_start_ap(uint32_t apic_id, uint8_t start_page);

#endif
