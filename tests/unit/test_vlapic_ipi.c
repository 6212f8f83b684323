// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC (arch/x86/vlapic.c): IPI destinations in both
 * modes, INIT + STARTUP, and the timer. The shared fakes: vlapic_fixture.h.
 */
#include "vlapic_fixture.h"

/* ---- IPIs ---- */

TEST(x2apic_fixed_ipi_physical)
{
    setup(4);
    all_x2apic();
    x2_ipi(&vcpus[0], 2, ICR_FIXED | 0x41);
    CHECK_EQ(take_irr(0x41), 1u << 2);
    CHECK_EQ(kicks[2], 1);
    CHECK_EQ(kicks[1] + kicks[3], 0);
    /* x2APIC ICR reads back whole, delivery status (bit 12) never set. */
    CHECK_EQ(x2_read(&vcpus[0], APIC_ICR), (2ull << 32) | 0x41);
    x2_ipi(&vcpus[3], 0, 0x42);
    CHECK_EQ(take_irr(0x42), 1u << 0);
    x2_ipi(&vcpus[1], 1, 0x43); /* to itself by its own id */
    CHECK_EQ(take_irr(0x43), 1u << 1);
    x2_ipi(&vcpus[0], 7, 0x44); /* no such APIC */
    CHECK_EQ(take_irr(0x44), 0);
    x2_ipi(&vcpus[0], 0x100 | 2, 0x44); /* all 32 destination bits count */
    CHECK_EQ(take_irr(0x44), 0);
}

TEST(x2apic_fixed_ipi_logical_cluster)
{
    setup(18);
    all_x2apic();
    x2_ipi(&vcpus[0], (1u << 16) | (1u << 1), ICR_LOGICAL | 0x51);
    CHECK_EQ(take_irr(0x51), 1u << 17);
    x2_ipi(&vcpus[0], (1u << 16) | 3u, ICR_LOGICAL | 0x52);
    CHECK_EQ(take_irr(0x52), (1u << 16) | (1u << 17));
    x2_ipi(&vcpus[0], 0xau, ICR_LOGICAL | 0x53); /* cluster 0: ids 1 and 3 */
    CHECK_EQ(take_irr(0x53), (1u << 1) | (1u << 3));
    x2_ipi(&vcpus[0], 1u << 1, ICR_LOGICAL | 0x54); /* cluster 0 id 1, not cluster 1's id 17 */
    CHECK_EQ(take_irr(0x54), 1u << 1);
    x2_ipi(&vcpus[0], 2u << 16 | 0xffff, ICR_LOGICAL | 0x55); /* empty cluster */
    CHECK_EQ(take_irr(0x55), 0);
}

TEST(ipi_shorthands)
{
    setup(4);
    all_x2apic();
    /* A shorthand ignores the destination field. */
    x2_ipi(&vcpus[1], 3, ICR_SELF | 0x61);
    CHECK_EQ(take_irr(0x61), 1u << 1);
    x2_ipi(&vcpus[1], 3, ICR_ALL | 0x62);
    CHECK_EQ(take_irr(0x62), 0xf);
    x2_ipi(&vcpus[1], 1, ICR_OTHERS | 0x63);
    CHECK_EQ(take_irr(0x63), 0xd);

    /* The same from the xAPIC page. */
    setup(4);
    for (unsigned int i = 0; i < 4; i++)
        mmio_write(&vcpus[i], APIC_SVR, SVR_ENABLE | 0xff);
    xapic_ipi(&vcpus[2], 0, ICR_SELF | 0x64);
    CHECK_EQ(take_irr(0x64), 1u << 2);
    xapic_ipi(&vcpus[2], 0, ICR_ALL | 0x65);
    CHECK_EQ(take_irr(0x65), 0xf);
    xapic_ipi(&vcpus[2], 2, ICR_OTHERS | 0x66);
    CHECK_EQ(take_irr(0x66), 0xb);
}

TEST(x2apic_broadcast)
{
    setup(4);
    all_x2apic();
    x2_ipi(&vcpus[2], 0xffffffffu, ICR_FIXED | 0x71);
    CHECK_EQ(take_irr(0x71), 0xf); /* the sender too */
    x2_ipi(&vcpus[2], 0xffffffffu, ICR_LOGICAL | 0x72);
    CHECK_EQ(take_irr(0x72), 0xf);
    /* 0xff is only a broadcast in xAPIC mode. */
    x2_ipi(&vcpus[2], 0xff, ICR_FIXED | 0x73);
    CHECK_EQ(take_irr(0x73), 0);
}

TEST(xapic_icr_physical_and_flat)
{
    setup(4);
    /* Physical: ICR2 holds the id in bits 31:24, only those bits are kept. */
    mmio_write(&vcpus[0], APIC_ICR2, 0x02ffffff);
    CHECK_EQ(mmio_read(&vcpus[0], APIC_ICR2), 0x02000000);
    mmio_write(&vcpus[0], APIC_ICR, ICR_FIXED | 0x81);
    CHECK_EQ(take_irr(0x81), 1u << 2);
    CHECK_EQ(mmio_read(&vcpus[0], APIC_ICR), 0x81); /* idle: delivery status clear */
    CHECK_EQ(mmio_read(&vcpus[0], APIC_ICR2), 0x02000000);
    mmio_write(&vcpus[0], APIC_ICR, 0x82); /* the destination stays for the next send */
    CHECK_EQ(take_irr(0x82), 1u << 2);
    xapic_ipi(&vcpus[3], 1, 0x83);
    CHECK_EQ(take_irr(0x83), 1u << 1);
    xapic_ipi(&vcpus[3], 9, 0x84);
    CHECK_EQ(take_irr(0x84), 0);
    xapic_ipi(&vcpus[3], 0xff, 0x85); /* physical broadcast */
    CHECK_EQ(take_irr(0x85), 0xf);

    /* Flat logical (the reset DFR): an LDR bit per vCPU, destination a bit mask. */
    for (unsigned int i = 0; i < 4; i++)
        mmio_write(&vcpus[i], APIC_LDR, (1u << i) << 24);
    xapic_ipi(&vcpus[0], 0x06, ICR_LOGICAL | 0x86);
    CHECK_EQ(take_irr(0x86), 0x6);
    xapic_ipi(&vcpus[0], 0x09, ICR_LOGICAL | 0x87);
    CHECK_EQ(take_irr(0x87), 0x9);
    xapic_ipi(&vcpus[0], 0x30, ICR_LOGICAL | 0x88);
    CHECK_EQ(take_irr(0x88), 0);
    xapic_ipi(&vcpus[0], 0xff, ICR_LOGICAL | 0x89);
    CHECK_EQ(take_irr(0x89), 0xf);
}

TEST(xapic_cluster_logical)
{
    /* Cluster model: LDR bits 31:28 the cluster, 27:24 a member bit. */
    static const uint8_t ldr[4] = { 0x01, 0x11, 0x12, 0x21 };

    setup(4);
    for (unsigned int i = 0; i < 4; i++) {
        mmio_write(&vcpus[i], APIC_DFR, 0x0fffffff);
        mmio_write(&vcpus[i], APIC_LDR, (uint32_t)ldr[i] << 24);
    }
    xapic_ipi(&vcpus[0], 0x13, ICR_LOGICAL | 0x91);
    CHECK_EQ(take_irr(0x91), 0x6);
    xapic_ipi(&vcpus[0], 0x21, ICR_LOGICAL | 0x92);
    CHECK_EQ(take_irr(0x92), 0x8);
    xapic_ipi(&vcpus[3], 0x01, ICR_LOGICAL | 0x93);
    CHECK_EQ(take_irr(0x93), 0x1);
    xapic_ipi(&vcpus[3], 0x31, ICR_LOGICAL | 0x94);
    CHECK_EQ(take_irr(0x94), 0);
}

TEST(lowest_priority_delivers_to_one)
{
    uint32_t got;

    setup(4);
    all_x2apic();
    x2_ipi(&vcpus[0], 0xe, ICR_LOGICAL | ICR_LOWEST | 0xa1);
    got = take_irr(0xa1);
    CHECK(got && !(got & (got - 1)));   /* exactly one ... */
    CHECK_EQ(got & ~0xeu, 0);            /* ... of those addressed */
    x2_ipi(&vcpus[0], 0xffffffffu, ICR_LOWEST | 0xa2);
    got = take_irr(0xa2);
    CHECK(got && !(got & (got - 1)));
    CHECK_EQ(kicks[0] + kicks[1] + kicks[2] + kicks[3], 2);
}

/* ---- INIT and STARTUP ---- */

TEST(init_startup_starts_once)
{
    setup(3);
    all_x2apic();
    /* Linux's sequence: INIT assert, INIT de-assert, STARTUP, STARTUP. */
    x2_ipi(&vcpus[0], 1, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
    x2_ipi(&vcpus[0], 1, ICR_INIT | ICR_LEVEL);
    CHECK_EQ(starts[1], 0);
    x2_ipi(&vcpus[0], 1, ICR_STARTUP | 0x9a);
    CHECK_EQ(starts[1], 1);
    CHECK_EQ(sipi_vector[1], 0x9a);
    CHECK(vcpus[1].initialised);
    x2_ipi(&vcpus[0], 1, ICR_STARTUP | 0x9b); /* the second is ignored */
    CHECK_EQ(starts[1], 1);
    CHECK_EQ(sipi_vector[1], 0x9a);
    /* Neither message is an interrupt, and vCPU 2 was not addressed. */
    CHECK_EQ(take_irr(0x9a) | take_irr(0x9b), 0);
    CHECK_EQ(starts[2], 0);
    CHECK_EQ(sipi_vector[2], -1);
    CHECK(!vcpus[2].initialised);
}

TEST(startup_without_init_ignored)
{
    setup(2);
    all_x2apic();
    x2_ipi(&vcpus[0], 1, ICR_STARTUP | 0x10);
    CHECK_EQ(starts[1], 0);
    /* A de-assert alone is not an INIT. */
    x2_ipi(&vcpus[0], 1, ICR_INIT | ICR_LEVEL);
    x2_ipi(&vcpus[0], 1, ICR_STARTUP | 0x11);
    CHECK_EQ(starts[1], 0);
    CHECK_EQ(sipi_vector[1], -1);
    CHECK(!vcpus[1].initialised);
    /* With the INIT, the same vCPU does start: it was the INIT that was missing. */
    x2_ipi(&vcpus[0], 1, ICR_INIT | ICR_ASSERT);
    x2_ipi(&vcpus[0], 1, ICR_STARTUP | 0x12);
    CHECK_EQ(starts[1], 1);
    CHECK_EQ(sipi_vector[1], 0x12);
}

TEST(startup_running_vcpu_ignored)
{
    setup(3);
    all_x2apic();
    /* vCPU 1 runs; vCPU 2 is down but ran before (VCPUOP_down): neither is restarted. */
    vcpus[1].state = VCPU_RUNNABLE;
    vcpus[1].initialised = true;
    vcpus[2].initialised = true;
    for (unsigned int i = 1; i < 3; i++) {
        x2_ipi(&vcpus[0], i, ICR_INIT | ICR_ASSERT);
        x2_ipi(&vcpus[0], i, ICR_STARTUP | 0x20);
        CHECK_EQ(starts[i], 0);
        CHECK_EQ(sipi_vector[i], -1);
    }
    CHECK_EQ(vcpus[1].state, VCPU_RUNNABLE);
    CHECK_EQ(vcpus[2].state, VCPU_DOWN);
}

TEST(init_startup_all_but_self_xapic)
{
    setup(3);
    /* Older kernels broadcast INIT/STARTUP from the xAPIC page; the sender is not reset. */
    mmio_write(&vcpus[0], APIC_ICR, ICR_OTHERS | ICR_INIT | ICR_LEVEL | ICR_ASSERT);
    mmio_write(&vcpus[0], APIC_ICR, ICR_OTHERS | ICR_STARTUP | 0x9f);
    CHECK_EQ(starts[0], 0);
    CHECK_EQ(starts[1], 1);
    CHECK_EQ(starts[2], 1);
    CHECK_EQ(sipi_vector[0], -1);
    CHECK_EQ(sipi_vector[1], 0x9f);
    CHECK_EQ(sipi_vector[2], 0x9f);
}

/* ---- Timer ---- */

/* Software-enabled x2APIC vCPU 0 with the timer LVT and divide configuration given. */
static struct vcpu *timer_vcpu(uint32_t lvt, uint32_t tdcr)
{
    setup(1);
    all_x2apic();
    x2_write(&vcpus[0], APIC_LVT_TIMER, lvt);
    x2_write(&vcpus[0], APIC_TDCR, tdcr);
    return &vcpus[0];
}

TEST(timer_one_shot)
{
    struct vcpu *v = timer_vcpu(0x40, 0xb); /* divide by 1: one tick a ns */

    x2_write(v, APIC_TMICT, 1000);
    CHECK(v->arch.vlapic.timer.active);
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 1000);
    CHECK_EQ(x2_read(v, APIC_TMICT), 1000);
    CHECK_EQ(x2_read(v, APIC_TMCCT), 1000);
    fake_now = T0 + 250;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 750);
    fake_now = T0 + 1000;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 0); /* expired, before the timer list ran it */
    fake_now = T0 + 5000;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 0);
    CHECK_EQ(vlapic_pending_vector(v), -1);

    CHECK(fire_timer(v));
    CHECK_EQ(vlapic_pending_vector(v), 0x40);
    CHECK_EQ(kicks[0], 1);
    CHECK(!v->arch.vlapic.timer.active); /* one-shot: not re-armed */

    /* With a divisor: 1000 ticks of 2 ns, from the time TMICT is written. */
    fake_now = T0 + 5000;
    x2_write(v, APIC_TDCR, 0x0);
    x2_write(v, APIC_TMICT, 1000);
    CHECK(v->arch.vlapic.timer.active);
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 5000 + 2000);
    fake_now += 500;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 750);
}

/*
 * BUG (vlapic.c, vlapic_timer_fired): a one-shot expiry sets timer_start = 0,
 * and timer_current() reads timer_start == 0 as "stopped" and returns TMICT.
 * So once the timer has fired, TMCCT reads TMICT again instead of staying 0
 * (SDM 11.5.4: in one-shot mode the current count stays 0 until TMICT is
 * rewritten). Linux's lapic calibration and delay loops read TMCCT.
 */
TEST(timer_one_shot_count_stays_zero_after_expiry)
{
    struct vcpu *v = timer_vcpu(0x40, 0xb);

    x2_write(v, APIC_TMICT, 1000);
    CHECK(fire_timer(v));
    CHECK_EQ(x2_read(v, APIC_TMCCT), 0);
    fake_now += 123456;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 0);
    CHECK_EQ(x2_read(v, APIC_TMICT), 1000); /* the initial count itself is kept */
}

TEST(timer_masked_counts_without_interrupt)
{
    struct vcpu *v = timer_vcpu(LVT_MASKED | 0x40, 0xb);

    x2_write(v, APIC_TMICT, 300);
    fake_now = T0 + 100;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 200); /* a masked timer still counts */
    CHECK(fire_timer(v));
    CHECK(!in_irr(v, 0x40));
    CHECK_EQ(kicks[0], 0);
    CHECK_EQ(vlapic_pending_vector(v), -1);
}

TEST(timer_periodic_rearms)
{
    struct vcpu *v = timer_vcpu(LVT_PERIODIC | 0x41, 0xb);

    CHECK_EQ(x2_read(v, APIC_LVT_TIMER), LVT_PERIODIC | 0x41);
    x2_write(v, APIC_TMICT, 200000); /* 200 us */
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 200000);
    CHECK(fire_timer_late(v, 100));
    CHECK(in_irr(v, 0x41));
    /* Re-armed one period after the last expiry, not after the late run: no drift. */
    CHECK(v->arch.vlapic.timer.active);
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 400000);
    CHECK_EQ(x2_read(v, APIC_TMCCT), 199900); /* reloaded at T0 + 200000 */
    fake_now = T0 + 200300;
    CHECK_EQ(x2_read(v, APIC_TMCCT), 199700);
    CHECK(fire_timer(v));
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 600000);
    CHECK_EQ(kicks[0], 2);

    /* Writing 0 to TMICT stops it. */
    x2_write(v, APIC_TMICT, 0);
    CHECK(!v->arch.vlapic.timer.active);
    CHECK_EQ(x2_read(v, APIC_TMCCT), 0);
}

TEST(timer_periodic_skips_missed_periods)
{
    struct vcpu *v = timer_vcpu(LVT_PERIODIC | 0x41, 0xb);

    /* 10.5 periods late: one interrupt, re-armed at the next period boundary. */
    x2_write(v, APIC_TMICT, 200000);
    CHECK(fire_timer_late(v, 2100000));
    CHECK(in_irr(v, 0x41));
    CHECK_EQ(kicks[0], 1);
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 2400000);
    CHECK_EQ(x2_read(v, APIC_TMCCT), 100000);
}

TEST(timer_periodic_tiny_period)
{
    struct vcpu *v = timer_vcpu(LVT_PERIODIC | LVT_MASKED | 0x41, 0xb);
    uint64_t at;

    /* TMICT 1, divide by 1: a 1 ns period. It fires at most every 100 us... */
    x2_write(v, APIC_TMICT, 1);
    CHECK_EQ(v->arch.vlapic.timer.expires, T0 + 1);
    CHECK(fire_timer(v));
    at = fake_now;
    CHECK(fire_timer(v));
    CHECK_EQ(fake_now - at, 100000);
    /* ...and fired a second late it is re-armed after now, within 100 us:
     * the timer loop runs it once, not a billion times. */
    CHECK(fire_timer_late(v, 1000000000ull));
    CHECK(v->arch.vlapic.timer.expires > fake_now);
    CHECK(v->arch.vlapic.timer.expires <= fake_now + 100000);
}

TEST(timer_divide_configuration)
{
    /* TDCR bits 3,1:0 (SDM 11.5.4); bit 2 and bits above 3 are reserved. */
    static const struct { uint32_t tdcr, div; } table[] = {
        { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
        { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
    };
    struct vcpu *v = timer_vcpu(0x40, 0xb);

    for (unsigned int i = 0; i < ARRAY_SIZE(table); i++) {
        uint64_t start = fake_now;

        x2_write(v, APIC_TDCR, table[i].tdcr);
        CHECK_EQ(x2_read(v, APIC_TDCR), table[i].tdcr);
        x2_write(v, APIC_TMICT, 100);
        CHECK_EQ(v->arch.vlapic.timer.expires, start + 100ull * table[i].div);
        fake_now += table[i].div; /* one tick */
        CHECK_EQ(x2_read(v, APIC_TMCCT), 99);
        fake_now += 1000;
    }
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_TDCR), 0x4), -EINVAL);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_TDCR), 0x1b), -EINVAL);
    CHECK_EQ(x2_read(v, APIC_TDCR), 0xb);
}

TEST(timer_tsc_deadline_rejected)
{
    struct vcpu *v = timer_vcpu(0x40, 0xb);

    /* Not offered in CPUID: selecting it faults and leaves the LVT as it was. */
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_LVT_TIMER), LVT_TSC_DEADLINE | 0x40), -EINVAL);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_LVT_TIMER), (3u << 17) | 0x40), -EINVAL);
    CHECK_EQ(x2_read(v, APIC_LVT_TIMER), 0x40);
    setup(1);
    mmio_write(&vcpus[0], APIC_SVR, SVR_ENABLE | 0xff);
    CHECK_EQ(mmio_write_rc(&vcpus[0], APIC_LVT_TIMER, LVT_TSC_DEADLINE | 0x40), -EINVAL);
    CHECK_EQ(mmio_read(&vcpus[0], APIC_LVT_TIMER), LVT_MASKED);
}

