/* SPDX-License-Identifier: GPL-2.0-only */
/* Device interrupts forwarded to the hardware domain (arch/x86/irq_passthrough.c). */
#ifndef ASM_IRQ_PASSTHROUGH_H
#define ASM_IRQ_PASSTHROUGH_H

#include <xenon/types.h>

struct vcpu;

/* v (of the hardware domain, pinned to cpu) takes the device interrupts arriving at cpu. */
void irq_passthrough_bind(struct vcpu *v, unsigned int cpu);
void irq_passthrough_unbind(struct vcpu *v);
/* In interrupt context: forward vec if it is the hardware domain's here; false if not. */
bool irq_passthrough(unsigned int vec);
/* v EOIed vec in its virtual APIC: end it physically if it came from a device. */
void irq_passthrough_eoi(struct vcpu *v, uint8_t vec);

#endif
