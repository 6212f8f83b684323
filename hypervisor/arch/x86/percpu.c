/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-pCPU areas; GS base points at the running pCPU's. */
#include <asm/cpu.h>
#include <xenon/percpu.h>

struct percpu percpu_area[MAX_PCPUS];
unsigned int nr_cpus = 1;
cpumask_t cpu_online_mask;

void percpu_init_this(unsigned int cpu, uint32_t apic_id)
{
    struct percpu *p = &percpu_area[cpu];

    p->self = p;
    p->cpu = cpu;
    p->apic_id = apic_id;
    spin_lock_init(&p->timer_lock);
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)p);
}
