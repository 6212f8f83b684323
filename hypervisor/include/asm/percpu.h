/* SPDX-License-Identifier: GPL-2.0-only */
/* x86: GS base holds this pCPU's struct percpu (whose first field points to itself). */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#ifdef XENON_HOST
/* Host unit tests run "on" pCPU 0. */
static inline struct percpu *this_cpu(void) { return &percpu_area[0]; }
#else
static inline struct percpu *this_cpu(void)
{
    struct percpu *p;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}
#endif

void percpu_init_this(unsigned int cpu, uint32_t apic_id);

#endif
