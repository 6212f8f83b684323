/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One page-aligned area per pCPU, reached through this_cpu() (the arch keeps
 * a pointer to it in a register: GS on x86).
 */
#ifndef XENON_PERCPU_H
#define XENON_PERCPU_H

#include <xenon/cpumask.h>
#include <xenon/spinlock.h>
#include <xenon/types.h>

#define MAX_PCPUS 16

struct vcpu;
struct timer;

struct percpu {
    struct percpu *self;        /* first: this_cpu() loads it */
    unsigned int cpu;           /* 0 .. nr_cpus-1 */
    uint32_t apic_id;
    bool online;
    struct vcpu *curr;          /* vCPU running here, NULL when idle */
    volatile bool need_resched; /* set by the timer interrupt and tickles */
    uint64_t slice_end;         /* end of the current slice (system time) */
    spinlock_t timer_lock;      /* protects timers */
    struct timer *timers;       /* this pCPU's timers, sorted by expiry */
    void *vendor;               /* virtualisation back end's per-pCPU state */
} __attribute__((aligned(4096)));

extern struct percpu percpu_area[MAX_PCPUS];
extern unsigned int nr_cpus;
extern cpumask_t cpu_online_mask;

static inline struct percpu *percpu_of(unsigned int cpu) { return &percpu_area[cpu]; }

#include <asm/percpu.h> /* this_cpu() */

static inline unsigned int smp_processor_id(void) { return this_cpu()->cpu; }

#endif
