/* SPDX-License-Identifier: GPL-2.0-only */
/* The virtual local APIC: xAPIC (MMIO page) then x2APIC (MSRs) mode (arch/x86/vlapic.c). */
#ifndef ASM_VLAPIC_H
#define ASM_VLAPIC_H

#include <xenon/timer.h>
#include <xenon/types.h>

#define VLAPIC_MSR_BASE 0x800u
#define VLAPIC_MSR_LAST 0x8ffu
/* LVT entries in register order (timer .. error), then CMCI. */
#define VLAPIC_NR_LVT 7
#define VLAPIC_LVT_TIMER 0
#define VLAPIC_LVT_CMCI 6

struct vcpu;

struct vlapic {
    uint32_t irr[8];        /* any pCPU sets bits, atomically */
    uint32_t isr[8];
    bool x2apic;            /* x2APIC mode (MSRs) rather than xAPIC (the MMIO page) */
    bool init_seen;         /* an INIT arrived: the next STARTUP starts the vCPU */
    uint32_t tpr, svr, tdcr, tmict;
    uint32_t ldr, dfr;      /* xAPIC mode only: in x2APIC mode LDR derives from the id */
    uint32_t lvt[VLAPIC_NR_LVT];
    uint64_t icr;
    uint64_t timer_start;   /* system time the current count started, 0 if stopped */
    struct timer timer;
};

void vlapic_init(struct vcpu *v);
void vlapic_destroy(struct vcpu *v);
#define VLAPIC_MMIO_BASE 0xfee00000ull
/* IA32_APIC_BASE as the guest sees it, and its writes (only the mode may change, to x2APIC). */
uint64_t vlapic_base_msr(const struct vcpu *v);
int vlapic_set_base_msr(struct vcpu *v, uint64_t val);
/* A 32-bit access to the xAPIC page at offset off; -EINVAL: fault the guest. */
int vlapic_mmio(struct vcpu *v, unsigned int off, bool write, uint32_t *val);
int vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
/* Raise a fixed interrupt on v (any pCPU). */
void vlapic_set_irq(struct vcpu *v, uint8_t vec);
/* The vector to offer v now, or -1; vlapic_ack() once the guest took it. */
int vlapic_pending_vector(struct vcpu *v);
void vlapic_ack(struct vcpu *v, uint8_t vec);
void vlapic_timer_fired(void *data);

#endif
