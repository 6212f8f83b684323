/* SPDX-License-Identifier: GPL-2.0-only */
/* Hooks every architecture implements for common code. */
#ifndef XENON_ARCH_H
#define XENON_ARCH_H

#include <xenon/types.h>

/*
 * Codes for arch_exit(). Under QEMU with isa-debug-exit the process exits
 * with (code << 1) | 1: 33 all domains powered off, 35 some failed, 37 panic.
 */
#define EXIT_ALL_POWEROFF 0x10
#define EXIT_SOME_FAILED 0x11
#define EXIT_PANIC 0x12

struct domain;
struct vcpu;

int arch_domain_init(struct domain *d);
void arch_domain_destroy(struct domain *d);
int arch_vcpu_init(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/* v, of the hardware domain and pinned to cpu, takes the device interrupts arriving there. */
void arch_hwdom_bind_vcpu(struct vcpu *v, unsigned int cpu);
/* Does vCPU i's APIC id equal pCPU i's (the hardware domain sees its pCPUs' ids)? */
bool arch_cpu_apic_id_is(unsigned int cpu, uint32_t id);
void arch_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t start_info);
/* Load guest-supplied initial state (VCPUOP_initialise); -EINVAL if it is not sane. */
struct vcpu_hvm_context;
int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/* Run v until it blocks, dies or its slice ends. */
void arch_vcpu_run(struct vcpu *v);
/* Arm this pCPU's one-shot timer interrupt at a system time (UINT64_MAX: off). */
void arch_set_timer(uint64_t deadline_ns);
/* An interrupt (other than the event-channel upcall) waits for v: HLT must not block. */
bool arch_vcpu_irq_pending(struct vcpu *v);
/* Debug key: one line of v's interrupt and register state (it may be running: a snapshot). */
void arch_vcpu_dump(struct vcpu *v);
/* Inside a spin-wait loop: let the other hyperthread and the memory system breathe. */
void arch_cpu_relax(void);
/* Make pCPU cpu reschedule soon: leave its guest or its idle halt. */
void arch_kick_cpu(unsigned int cpu);
/* Wait for an interrupt with interrupts enabled; returns with them disabled. */
void arch_idle(void);
/* Leave the machine: under QEMU, through isa-debug-exit with this code. */
void arch_exit(unsigned int code) __attribute__((noreturn));

#endif
