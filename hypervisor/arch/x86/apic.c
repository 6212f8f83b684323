/* SPDX-License-Identifier: GPL-2.0-only */
/* xAPIC: enabled with a spurious vector; its timer calibrated against the TSC. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/traps.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/time.h>

#define APIC_ID 0x020
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define ICR_BUSY (1u << 12)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define APIC_LDR 0x0d0
#define APIC_DFR 0x0e0
#define APIC_SVR 0x0f0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_DM_NMI (4u << 8)
#define APIC_BASE_ENABLE (1ull << 11)

static volatile uint32_t *apic_mmio;
static uint64_t apic_ticks_per_ms;

static uint32_t apic_read(unsigned int reg) { return apic_mmio[reg / 4]; }
static void apic_write(unsigned int reg, uint32_t v) { apic_mmio[reg / 4] = v; }

static void mask_legacy_pic(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

/* Count APIC timer ticks over 10 ms of TSC time. */
static void calibrate_timer(void)
{
    uint64_t start, wait = tsc_khz() * 10;

    apic_write(APIC_TIMER_DIV, 0x3); /* divide by 16 */
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_TIMER_INIT, 0xffffffffu);
    start = rdtsc();
    while (rdtsc() - start < wait)
        cpu_relax();
    apic_ticks_per_ms = (0xffffffffu - apic_read(APIC_TIMER_CUR)) / 10;
    apic_write(APIC_TIMER_INIT, 0);
    if (!apic_ticks_per_ms)
        apic_ticks_per_ms = 1;
}

int apic_init(bool bsp)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    mask_legacy_pic();
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_mmio = (volatile uint32_t *)(uintptr_t)(base & 0xfffff000ull);
    apic_write(APIC_SVR, APIC_SVR_ENABLE | VECTOR_SPURIOUS);
    apic_write(APIC_TPR, 0);
    /*
     * Flat logical model, pCPU i = bit i: the hardware domain's vCPU i takes
     * the same logical id, so its logical-mode I/O APIC and MSI routes land.
     */
    apic_write(APIC_DFR, 0xffffffffu);
    apic_write(APIC_LDR, smp_processor_id() < 8 ? (1u << smp_processor_id()) << 24 : 0);
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT_LINT1, APIC_DM_NMI);
    if (bsp) {
        calibrate_timer();
        log_info("APIC %u: timer %lu ticks/ms", apic_id(), apic_ticks_per_ms);
    }
    return 0;
}

uint32_t apic_id(void)
{
    return apic_read(APIC_ID) >> 24;
}

static void icr_wait(void)
{
    for (unsigned int i = 0; i < 1000000 && (apic_read(APIC_ICR_LO) & ICR_BUSY); i++)
        cpu_relax();
}

static void icr_send(uint32_t apic_id, uint32_t lo)
{
    icr_wait();
    apic_write(APIC_ICR_HI, apic_id << 24);
    apic_write(APIC_ICR_LO, lo);
    icr_wait();
}

void apic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    icr_send(apic_id, vector);
}

static void delay_us(uint64_t us)
{
    uint64_t start = rdtsc(), ticks = tsc_khz() * us / 1000;

    while (rdtsc() - start < ticks)
        cpu_relax();
}

void apic_start_ap(uint32_t apic_id, uint8_t start_page)
{
    icr_send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
    delay_us(10000);
    for (unsigned int i = 0; i < 2; i++) {
        icr_send(apic_id, ICR_STARTUP | start_page);
        delay_us(200);
    }
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

/*
 * On hardware a no-op (the TPR stays 0); under QEMU's TCG (7.2) what keeps
 * this pCPU's timer alive. There VMRUN, when it offers the guest a virtual
 * interrupt (V_IRQ), sets the CPU's interrupt request without QEMU's lock,
 * and a request raised in the same instant by another of QEMU's threads
 * (our APIC timer expiring, an IPI) is lost. The vector then waits in the IRR and
 * the CPU never takes it; the one-shot timer is never re-armed, and nothing
 * timer-driven runs again here or in the guest (domain 0 wedged so, one
 * benchmark boot in three). Writing the TPR makes QEMU's APIC look at its
 * IRR again and raise the request anew. Called after every #VMEXIT, so a
 * request lost on the way in is taken at the following STGI, as the guest's
 * next exit (Linux makes one to program its next tick) comes soon.
 * microguest-timer-interrupt-across-vmrun catches the loss in seconds.
 */
void apic_resignal_pending(void)
{
    __asm__ volatile("mov %0, %%cr8" ::"r"(0ul) : "memory");
}

void apic_timer_deadline(uint64_t deadline_ns)
{
    uint64_t now = now_ns(), ticks;

    if (deadline_ns == UINT64_MAX) {
        apic_write(APIC_TIMER_INIT, 0);
        return;
    }
    ticks = deadline_ns > now ? (deadline_ns - now) * apic_ticks_per_ms / 1000000 : 0;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER); /* one-shot */
    apic_write(APIC_TIMER_INIT, (uint32_t)ticks);
}
