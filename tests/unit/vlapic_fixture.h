// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the virtual local APIC tests (test_vlapic.c: reset, mode,
 * priorities, register rules; test_vlapic_ipi.c: IPIs, INIT + STARTUP, the
 * timer; each linked with vlapic_fixture.c). Register offsets and bit values
 * are the SDM's (vol. 3, ch. 11), not copied from vlapic.c, so the tests
 * check the architecture, not the code. Fakes stand in for the timer list
 * (armed expiry recorded, fired by hand), the system clock (settable), the
 * scheduler and the SIPI entry point.
 */
#ifndef XENON_UNIT_VLAPIC_FIXTURE_H
#define XENON_UNIT_VLAPIC_FIXTURE_H

#include "harness.h"
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/vlapic.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <xenon/timer.h>

/* xAPIC page offsets; the x2APIC MSR is 0x800 + offset / 16. */
enum {
    APIC_ID = 0x20, APIC_VERSION = 0x30, APIC_TPR = 0x80, APIC_APR = 0x90, APIC_PPR = 0xa0,
    APIC_EOI = 0xb0, APIC_LDR = 0xd0, APIC_DFR = 0xe0, APIC_SVR = 0xf0, APIC_ISR = 0x100,
    APIC_TMR = 0x180, APIC_IRR = 0x200, APIC_ESR = 0x280, APIC_LVT_CMCI = 0x2f0,
    APIC_ICR = 0x300, APIC_ICR2 = 0x310, APIC_LVT_TIMER = 0x320, APIC_LVT_ERROR = 0x370,
    APIC_TMICT = 0x380, APIC_TMCCT = 0x390, APIC_TDCR = 0x3e0, APIC_SELF_IPI = 0x3f0,
};
#define MSR(off) (VLAPIC_MSR_BASE + (off) / 16)

#define SVR_ENABLE 0x100u
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define LVT_TSC_DEADLINE (2u << 17)

#define ICR_FIXED (0u << 8)
#define ICR_LOWEST (1u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_LOGICAL (1u << 11)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)
#define ICR_SELF (1u << 18)
#define ICR_ALL (2u << 18)
#define ICR_OTHERS (3u << 18)

#define T0 1000000u /* the fake clock's start: non-zero, as system time is once guests run */

/* The domain setup() builds, and what the fakes recorded. */
extern struct domain dom;
extern struct vcpu vcpus[MAX_VIRT_CPUS];
extern uint64_t fake_now;
extern unsigned int kicks[MAX_VIRT_CPUS];
extern unsigned int starts[MAX_VIRT_CPUS];
extern int sipi_vector[MAX_VIRT_CPUS]; /* -1: no STARTUP took effect */
/* Device-interrupt EOIs passed on (arch/x86/irq_passthrough.c): the last vector, how many. */
extern int passthrough_eoi_vec;
extern unsigned int passthrough_eois;

/*
 * As timer_run_expired, late ns after the expiry (the scheduler loop runs
 * timers when it gets to them): the timer is unlinked, then its function runs.
 */
bool fire_timer_late(struct vcpu *v, uint64_t late);
bool fire_timer(struct vcpu *v);
/*
 * A domain of n vCPUs just built: vCPU 0 runs (the BSP), the others are down
 * and were never initialised, as APs waiting for INIT + STARTUP.
 */
void setup(unsigned int n);
int to_x2apic(struct vcpu *v);
uint64_t x2_read(struct vcpu *v, unsigned int off);
void x2_write(struct vcpu *v, unsigned int off, uint64_t val);
uint32_t mmio_read(struct vcpu *v, unsigned int off);
int mmio_write_rc(struct vcpu *v, unsigned int off, uint32_t val);
void mmio_write(struct vcpu *v, unsigned int off, uint32_t val);
/* Every vCPU in x2APIC mode and software-enabled: the state Linux runs in. */
void all_x2apic(void);
bool in_irr(struct vcpu *v, uint8_t vec);
bool in_isr(struct vcpu *v, uint8_t vec);
/* Which vCPUs have vec pending (bit i: vCPU i); clears it so the next IPI starts afresh. */
uint32_t take_irr(uint8_t vec);
void x2_ipi(struct vcpu *from, uint32_t dest, uint32_t low);
/* xAPIC: ICR2 holds the 8-bit destination, writing the low half sends. */
void xapic_ipi(struct vcpu *from, uint8_t dest, uint32_t low);

#endif
