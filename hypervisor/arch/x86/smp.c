/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up the application processors found in the MADT, one at a time:
 * copy the real-mode trampoline below 1 MiB, INIT-SIPI-SIPI, wait for the AP
 * to report itself online from ap_start().
 */
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/boot_defs.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/traps.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/time.h>

#define AP_STACK_ORDER 2 /* 16 KiB */
#define AP_START_TIMEOUT MILLISECS(1000)

extern const char trampoline_start[], trampoline_end[];
uint64_t ap_boot_stack; /* read by ap_entry64 */
static volatile unsigned int ap_boot_cpu;
static volatile uint32_t ap_boot_apic_id;

void ap_start(void) __attribute__((noreturn));
void ap_start(void)
{
    unsigned int cpu = ap_boot_cpu;
    int rc;

    percpu_init_this(cpu, ap_boot_apic_id);
    desc_init(cpu);
    apic_init(false);
    rc = hvm->cpu_init();
    if (rc)
        panic("CPU%u: virtualisation back end failed (%d)", cpu, rc);
    __atomic_store_n(&percpu_of(cpu)->online, true, __ATOMIC_RELEASE);
    sched_run_secondary();
}

static int start_ap(unsigned int cpu, uint32_t apic_id)
{
    void *stack = page_alloc_zeroed(AP_STACK_ORDER);
    uint64_t deadline;

    if (!stack)
        return -ENOMEM;
    ap_boot_stack = (uint64_t)(uintptr_t)stack + (PAGE_SIZE << AP_STACK_ORDER);
    ap_boot_cpu = cpu;
    ap_boot_apic_id = apic_id;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_start_ap(apic_id, TRAMPOLINE_BASE >> PAGE_SHIFT);
    deadline = now_ns() + AP_START_TIMEOUT;
    while (!__atomic_load_n(&percpu_of(cpu)->online, __ATOMIC_ACQUIRE)) {
        if (now_ns() > deadline) {
            page_free(stack, AP_STACK_ORDER);
            return -ETIMEDOUT;
        }
        cpu_relax();
    }
    return 0;
}

void smp_boot_cpus(paddr_t rsdp, unsigned int max_cpus)
{
    uint32_t ids[MAX_PCPUS];
    int n = acpi_enumerate_cpus(rsdp, ids, MAX_PCPUS);
    uint32_t self = apic_id();

    percpu_of(0)->online = true;
    cpu_online_mask = cpumask_of(0);
    if (n <= 0) {
        log_warn("no MADT: running on the boot CPU only");
        return;
    }
    memcpy((void *)(uintptr_t)TRAMPOLINE_BASE, trampoline_start, trampoline_end - trampoline_start);
    for (int i = 0; i < n && nr_cpus < max_cpus; i++) {
        int rc;

        if (ids[i] == self)
            continue;
        rc = start_ap(nr_cpus, ids[i]);
        if (rc) {
            log_err("CPU with APIC id %u did not start (%d)", ids[i], rc);
            continue;
        }
        cpu_online_mask |= cpumask_of(nr_cpus);
        nr_cpus++;
    }
    log_info("%u CPU%s online", nr_cpus, nr_cpus > 1 ? "s" : "");
}

void arch_kick_cpu(unsigned int cpu)
{
    apic_send_ipi(percpu_of(cpu)->apic_id, VECTOR_RESCHED);
}
