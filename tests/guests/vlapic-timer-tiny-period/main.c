// SPDX-License-Identifier: GPL-2.0-only
/*
 * The smallest period a guest can give its local APIC timer: periodic,
 * TMICT 1, divide by 1, a period of 1 ns. The hypervisor used to re-arm
 * such a timer in the past and catch up one nanosecond at a time with its
 * interrupts off, which never ends: the whole machine hung. Now a periodic
 * timer fires at most every 100 us, so the guest keeps running with it for
 * half a second of system time, then stops it and reports.
 */
#include "guest.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ull << 10)
#define MSR_X2APIC(reg) (0x800 + ((reg) >> 4))
#define APIC_SVR 0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define RUN_NS 500000000ull

void test_main(void)
{
    struct shared_info *s = map_shared_info();
    uint64_t start, spins = 0;

    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_X2APIC);
    wrmsr(MSR_X2APIC(APIC_SVR), 0x1ff);
    wrmsr(MSR_X2APIC(APIC_LVT_TIMER), LVT_PERIODIC | LVT_MASKED | 0xf0);
    wrmsr(MSR_X2APIC(APIC_TDCR), 0xb); /* divide by 1 */
    wrmsr(MSR_X2APIC(APIC_TMICT), 1);
    printf("periodic timer armed with a 1 ns period\n");
    start = pvclock_read(&s->vcpu_info[0].time);
    while (pvclock_read(&s->vcpu_info[0].time) - start < RUN_NS)
        spins++;
    check_eq("TMICT reads back", rdmsr(MSR_X2APIC(APIC_TMICT)), 1);
    wrmsr(MSR_X2APIC(APIC_TMICT), 0);
    check_eq("TMCCT once stopped", rdmsr(MSR_X2APIC(APIC_TMCCT)), 0);
    printf("ran %llu loops beside it; timer stopped\n", (unsigned long long)spins);
}
