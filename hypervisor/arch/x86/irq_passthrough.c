/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device interrupts of the hardware domain. It programs the I/O APIC and its
 * devices' MSIs itself, with its vCPUs' APIC ids, which are those of the
 * pCPUs they are pinned to; so a device interrupt arrives at the pCPU its
 * vCPU runs on, on the vector that vCPU chose. The hypervisor's own vectors
 * are VECTOR_FIRST_HYPERVISOR and up; every vector below that, from 32, is
 * the hardware domain's. It is raised in the vCPU's virtual local APIC, and
 * the physical EOI waits until the vCPU EOIs it: until then the physical
 * APIC holds back that vector and lower ones (never the hypervisor's), and a
 * level-triggered line cannot fire again before its handler ran.
 */
#include <asm/apic.h>
#include <asm/irq_passthrough.h>
#include <asm/traps.h>
#include <asm/vlapic.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>

static struct vcpu *bound[MAX_PCPUS];           /* the hardware domain's vCPU pinned there */
static uint32_t eoi_deferred[MAX_PCPUS][8];     /* vectors in service physically, by pCPU */

void irq_passthrough_bind(struct vcpu *v, unsigned int cpu)
{
    __atomic_store_n(&bound[cpu], v, __ATOMIC_RELEASE);
}

void irq_passthrough_unbind(struct vcpu *v)
{
    for (unsigned int cpu = 0; cpu < MAX_PCPUS; cpu++)
        __atomic_compare_exchange_n(&bound[cpu], &v, NULL, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

bool irq_passthrough(unsigned int vec)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *v = __atomic_load_n(&bound[cpu], __ATOMIC_ACQUIRE);

    if (vec < 32 || vec >= VECTOR_FIRST_HYPERVISOR || !v || !domain_is_alive(v->domain))
        return false;
    eoi_deferred[cpu][vec / 32] |= 1u << (vec % 32);
    vlapic_set_irq(v, (uint8_t)vec);
    return true;
}

void irq_passthrough_eoi(struct vcpu *v, uint8_t vec)
{
    unsigned int cpu = smp_processor_id();

    /* Only on the pCPU the vector is in service on; a pinned vCPU EOIs there. */
    if (__atomic_load_n(&bound[cpu], __ATOMIC_ACQUIRE) != v || !(eoi_deferred[cpu][vec / 32] & (1u << (vec % 32))))
        return;
    eoi_deferred[cpu][vec / 32] &= ~(1u << (vec % 32));
    apic_eoi();
}
