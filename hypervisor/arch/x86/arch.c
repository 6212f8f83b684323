/* SPDX-License-Identifier: GPL-2.0-only */
/* The arch hooks of xenon/arch.h, routed to the x86 pieces and the vendor back end. */
#include <asm/vlapic.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/irq_passthrough.h>
#include <xenon/arch.h>
#include <xenon/domain.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>

int arch_domain_init(struct domain *d) { return hvm->domain_init(d); }
void arch_domain_destroy(struct domain *d) { hvm->domain_destroy(d); }
int arch_vcpu_init(struct vcpu *v)
{
    vlapic_init(v);
    return hvm->vcpu_init(v);
}

void arch_vcpu_destroy(struct vcpu *v)
{
    if (is_hardware_domain(v->domain))
        irq_passthrough_unbind(v);
    vlapic_destroy(v);
    hvm->vcpu_destroy(v);
}

void arch_hwdom_bind_vcpu(struct vcpu *v, unsigned int cpu) { irq_passthrough_bind(v, cpu); }
bool arch_cpu_apic_id_is(unsigned int cpu, uint32_t id) { return percpu_of(cpu)->apic_id == id; }
bool arch_vcpu_irq_pending(struct vcpu *v) { return vlapic_pending_vector(v) >= 0; }
void arch_vcpu_dump(struct vcpu *v)
{
    log_info("    lapic: pending vector %d, upcall vector %u", vlapic_pending_vector(v), v->upcall_vector);
    if (hvm->vcpu_dump)
        hvm->vcpu_dump(v);
}

void arch_cpu_relax(void) { cpu_relax(); }
void arch_vcpu_run(struct vcpu *v) { hvm->vcpu_run(v); }
void arch_set_timer(uint64_t deadline_ns) { apic_timer_deadline(deadline_ns); }


void arch_idle(void)
{
    safe_halt();
    local_irq_disable();
}

void arch_exit(unsigned int code)
{
    local_irq_disable();
    outl(DEBUG_EXIT_PORT, code);
    for (;;)
        __asm__ volatile("hlt");
}
