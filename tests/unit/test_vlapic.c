// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC (arch/x86/vlapic.c): reset state, the xAPIC/x2APIC
 * mode switch, priorities and the IRR/ISR/EOI cycle, and the register access
 * rules of both modes. IPIs, INIT + STARTUP and the timer: test_vlapic_ipi.c;
 * the shared fakes: vlapic_fixture.h.
 */
#include "vlapic_fixture.h"

/* ---- Reset state and mode ---- */

TEST(reset_state)
{
    setup(3);
    for (unsigned int i = 0; i < 3; i++) {
        struct vcpu *v = &vcpus[i];
        uint64_t base = VLAPIC_MMIO_BASE | APIC_BASE_ENABLE | (i == 0 ? APIC_BASE_BSP : 0);
        uint32_t ver;

        /* Enabled, xAPIC mode, at the architectural address; only vCPU 0 is the BSP. */
        CHECK_EQ(vlapic_base_msr(v), base);
        CHECK(!v->arch.vlapic.x2apic);
        CHECK_EQ(mmio_read(v, APIC_ID), i << 24);
        ver = mmio_read(v, APIC_VERSION);
        CHECK((ver & 0xf0) == 0x10);          /* an integrated APIC */
        CHECK(((ver >> 16) & 0xff) >= 5);     /* timer .. error LVTs at least */
        for (unsigned int off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10)
            CHECK_EQ(mmio_read(v, off), LVT_MASKED);
        CHECK_EQ(mmio_read(v, APIC_LVT_CMCI), LVT_MASKED);
        CHECK_EQ(mmio_read(v, APIC_DFR), 0xffffffffu); /* flat model */
        CHECK_EQ(mmio_read(v, APIC_LDR), 0);
        CHECK_EQ(mmio_read(v, APIC_TPR), 0);
        CHECK_EQ(mmio_read(v, APIC_PPR), 0);
        CHECK_EQ(mmio_read(v, APIC_SVR) & SVR_ENABLE, 0); /* software-disabled */
        CHECK_EQ(mmio_read(v, APIC_TMICT), 0);
        CHECK_EQ(mmio_read(v, APIC_TMCCT), 0);
        for (unsigned int r = 0; r < 8; r++) {
            CHECK_EQ(mmio_read(v, APIC_ISR + r * 0x10), 0);
            CHECK_EQ(mmio_read(v, APIC_IRR + r * 0x10), 0);
        }
        CHECK_EQ(vlapic_pending_vector(v), -1);
        CHECK(!v->arch.vlapic.timer.active);
    }
}

TEST(base_msr_switch_to_x2apic_once)
{
    struct vcpu *v;
    uint64_t base;

    setup(2);
    v = &vcpus[1];
    base = vlapic_base_msr(v);
    CHECK_EQ(vlapic_set_base_msr(v, base), 0); /* rewriting the value is no change */
    CHECK_EQ(vlapic_set_base_msr(v, (base & ~PAGE_MASK) | 0xfed00000u), -EINVAL); /* relocation */
    CHECK_EQ(vlapic_set_base_msr(v, base & ~APIC_BASE_ENABLE), -EINVAL);          /* disable */
    CHECK_EQ(vlapic_set_base_msr(v, base | APIC_BASE_BSP), -EINVAL);              /* BSP is fixed */
    /* x2APIC needs the enable bit too (x2APIC-but-disabled is an invalid state). */
    CHECK_EQ(vlapic_set_base_msr(v, (base & ~APIC_BASE_ENABLE) | APIC_BASE_X2APIC), -EINVAL);
    CHECK(!v->arch.vlapic.x2apic);

    CHECK_EQ(vlapic_set_base_msr(v, base | APIC_BASE_X2APIC), 0);
    CHECK(v->arch.vlapic.x2apic);
    CHECK_EQ(vlapic_base_msr(v), base | APIC_BASE_X2APIC);
    CHECK_EQ(vlapic_set_base_msr(v, base | APIC_BASE_X2APIC), 0); /* same value again */
    CHECK_EQ(vlapic_set_base_msr(v, base), -EINVAL);  /* no way back to xAPIC */
    CHECK_EQ(vlapic_set_base_msr(v, base & ~(APIC_BASE_ENABLE | APIC_BASE_X2APIC)), -EINVAL);
    CHECK(v->arch.vlapic.x2apic);
    CHECK_EQ(vlapic_base_msr(v), base | APIC_BASE_X2APIC);

    /* The BSP switches with its BSP flag kept; dropping it is a change refused. */
    v = &vcpus[0];
    base = vlapic_base_msr(v);
    CHECK_EQ(vlapic_set_base_msr(v, (base & ~APIC_BASE_BSP) | APIC_BASE_X2APIC), -EINVAL);
    CHECK_EQ(to_x2apic(v), 0);
    CHECK_EQ(vlapic_base_msr(v), VLAPIC_MMIO_BASE | APIC_BASE_ENABLE | APIC_BASE_BSP | APIC_BASE_X2APIC);
}

TEST(mode_gates_msrs_and_mmio)
{
    struct vcpu *v;
    uint64_t val = 0;
    uint32_t v32 = 0x40;

    setup(2);
    v = &vcpus[0];
    /* xAPIC mode: every x2APIC MSR faults, and a faulting write changes nothing. */
    CHECK_EQ(vlapic_msr_read(v, MSR(APIC_ID), &val), -EINVAL);
    CHECK_EQ(vlapic_msr_read(v, MSR(APIC_TPR), &val), -EINVAL);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_TPR), 0x40), -EINVAL);
    CHECK_EQ(mmio_read(v, APIC_TPR), 0);
    /* The page takes aligned registers only, within the page. */
    CHECK_EQ(vlapic_mmio(v, APIC_TPR + 4, true, &v32), -EINVAL);
    CHECK_EQ(vlapic_mmio(v, (unsigned int)PAGE_SIZE, false, &v32), -EINVAL);
    mmio_write(v, APIC_TPR, 0x20);
    CHECK_EQ(mmio_read(v, APIC_TPR), 0x20);

    /* x2APIC mode: the page faults, MSRs work and see the same state. */
    CHECK_EQ(to_x2apic(v), 0);
    v32 = 0;
    CHECK_EQ(vlapic_mmio(v, APIC_TPR, false, &v32), -EINVAL);
    v32 = 0x30;
    CHECK_EQ(vlapic_mmio(v, APIC_TPR, true, &v32), -EINVAL);
    CHECK_EQ(x2_read(v, APIC_TPR), 0x20);
    x2_write(v, APIC_TPR, 0x50);
    CHECK_EQ(x2_read(v, APIC_TPR), 0x50);

    /* The mode is per vCPU: vCPU 1 is still xAPIC. */
    CHECK_EQ(vlapic_msr_read(&vcpus[1], MSR(APIC_TPR), &val), -EINVAL);
    CHECK_EQ(mmio_read(&vcpus[1], APIC_TPR), 0);
}

TEST(id_and_ldr_both_modes)
{
    uint64_t val;

    setup(18); /* vCPU 17 is in x2APIC logical cluster 1 */

    /* xAPIC: ID in bits 31:24 and not writable; LDR keeps bits 31:24; DFR bits 27:0 read 1. */
    mmio_write(&vcpus[2], APIC_ID, 0x07000000);
    CHECK_EQ(mmio_read(&vcpus[2], APIC_ID), 2u << 24);
    mmio_write(&vcpus[2], APIC_LDR, 0x05123456);
    CHECK_EQ(mmio_read(&vcpus[2], APIC_LDR), 0x05000000);
    mmio_write(&vcpus[2], APIC_DFR, 0x0fffffff);
    CHECK_EQ(mmio_read(&vcpus[2], APIC_DFR), 0x0fffffff);
    mmio_write(&vcpus[2], APIC_DFR, 0);
    CHECK_EQ(mmio_read(&vcpus[2], APIC_DFR), 0x0fffffff);
    mmio_write(&vcpus[2], APIC_DFR, 0xffffffff);
    CHECK_EQ(mmio_read(&vcpus[2], APIC_DFR), 0xffffffffu);

    /* x2APIC: 32-bit ID = vCPU id; LDR = cluster (id >> 4) << 16 | 1 << (id & 15), both read-only. */
    CHECK_EQ(to_x2apic(&vcpus[2]), 0);
    CHECK_EQ(to_x2apic(&vcpus[17]), 0);
    CHECK_EQ(x2_read(&vcpus[2], APIC_ID), 2);
    CHECK_EQ(x2_read(&vcpus[2], APIC_LDR), 1u << 2); /* the xAPIC LDR written above is gone */
    CHECK_EQ(x2_read(&vcpus[17], APIC_ID), 17);
    CHECK_EQ(x2_read(&vcpus[17], APIC_LDR), (1u << 16) | (1u << 1));
    CHECK_EQ(vlapic_msr_write(&vcpus[2], MSR(APIC_ID), 5), -EINVAL);
    CHECK_EQ(vlapic_msr_write(&vcpus[2], MSR(APIC_LDR), 1), -EINVAL);
    CHECK_EQ(x2_read(&vcpus[2], APIC_ID), 2);
    CHECK_EQ(x2_read(&vcpus[2], APIC_LDR), 1u << 2);
    /* DFR does not exist in x2APIC mode. */
    CHECK_EQ(vlapic_msr_read(&vcpus[2], MSR(APIC_DFR), &val), -EINVAL);
    CHECK_EQ(vlapic_msr_write(&vcpus[2], MSR(APIC_DFR), 0xffffffff), -EINVAL);
}

/* ---- Priorities and the interrupt cycle ---- */

TEST(tpr_ppr_priority)
{
    struct vcpu *v;

    setup(1);
    all_x2apic();
    v = &vcpus[0];

    vlapic_set_irq(v, 0x5f);
    /* A vector is offered only if its class (bits 7:4) is above the PPR's. */
    x2_write(v, APIC_TPR, 0x50);
    CHECK_EQ(x2_read(v, APIC_PPR), 0x50);
    CHECK_EQ(vlapic_pending_vector(v), -1); /* same class as the TPR */
    x2_write(v, APIC_TPR, 0x60);
    CHECK_EQ(vlapic_pending_vector(v), -1); /* below */
    x2_write(v, APIC_TPR, 0x4f);
    CHECK_EQ(vlapic_pending_vector(v), 0x5f); /* 0x4f's class is 4 */
    x2_write(v, APIC_TPR, 0);
    CHECK_EQ(vlapic_pending_vector(v), 0x5f);

    /* In service: PPR is the ISR class, unless the TPR is at or above it. */
    vlapic_ack(v, 0x5f);
    CHECK_EQ(x2_read(v, APIC_PPR), 0x50);
    x2_write(v, APIC_TPR, 0x45);
    CHECK_EQ(x2_read(v, APIC_PPR), 0x50);
    x2_write(v, APIC_TPR, 0x5a);
    CHECK_EQ(x2_read(v, APIC_PPR), 0x5a);
    x2_write(v, APIC_TPR, 0x70);
    CHECK_EQ(x2_read(v, APIC_PPR), 0x70);
    x2_write(v, APIC_TPR, 0);

    /* An in-service class blocks its own class and those below, not those above. */
    vlapic_set_irq(v, 0x51);
    CHECK_EQ(vlapic_pending_vector(v), -1);
    vlapic_set_irq(v, 0x60);
    CHECK_EQ(vlapic_pending_vector(v), 0x60);
    x2_write(v, APIC_TPR, 0x60);
    CHECK_EQ(vlapic_pending_vector(v), -1);

    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_TPR), 0x100), -EINVAL);
    CHECK_EQ(x2_read(v, APIC_TPR), 0x60);
}

TEST(svr_software_disable)
{
    struct vcpu *v;

    setup(1);
    v = &vcpus[0];
    CHECK_EQ(to_x2apic(v), 0);

    /* Disabled (the reset state): the IRR holds the vector but nothing is offered. */
    vlapic_set_irq(v, 0x80);
    CHECK(in_irr(v, 0x80));
    CHECK_EQ(vlapic_pending_vector(v), -1);
    x2_write(v, APIC_SVR, SVR_ENABLE | 0xff);
    CHECK_EQ(x2_read(v, APIC_SVR), SVR_ENABLE | 0xff);
    CHECK_EQ(vlapic_pending_vector(v), 0x80);

    /* Unmasking works while enabled; disabling masks every LVT again. */
    x2_write(v, APIC_LVT_TIMER, 0x30);
    CHECK_EQ(x2_read(v, APIC_LVT_TIMER), 0x30);
    x2_write(v, APIC_LVT_ERROR, 0x31);
    x2_write(v, APIC_SVR, 0xff);
    CHECK_EQ(vlapic_pending_vector(v), -1);
    CHECK_EQ(x2_read(v, APIC_LVT_TIMER), LVT_MASKED | 0x30);
    CHECK_EQ(x2_read(v, APIC_LVT_ERROR), LVT_MASKED | 0x31);
    /* While disabled an LVT cannot be unmasked. */
    x2_write(v, APIC_LVT_TIMER, 0x32);
    CHECK_EQ(x2_read(v, APIC_LVT_TIMER), LVT_MASKED | 0x32);
}

TEST(irq_ack_eoi_cycle)
{
    struct vcpu *v;

    setup(1);
    all_x2apic();
    v = &vcpus[0];

    vlapic_set_irq(v, 0x31);
    vlapic_set_irq(v, 0x92);
    vlapic_set_irq(v, 0x40);
    CHECK_EQ(kicks[0], 3); /* each one gets the vCPU's attention */
    CHECK_EQ(x2_read(v, APIC_IRR + 0x10 * (0x92 / 32)), 1u << (0x92 % 32));

    /* Highest first; ack moves it from IRR to ISR. */
    CHECK_EQ(vlapic_pending_vector(v), 0x92);
    vlapic_ack(v, 0x92);
    CHECK(!in_irr(v, 0x92));
    CHECK(in_isr(v, 0x92));
    CHECK_EQ(x2_read(v, APIC_ISR + 0x10 * (0x92 / 32)), 1u << (0x92 % 32));
    CHECK_EQ(vlapic_pending_vector(v), -1); /* 0x40 is below the in-service class */
    x2_write(v, APIC_EOI, 0);
    CHECK(!in_isr(v, 0x92));
    CHECK_EQ(vlapic_pending_vector(v), 0x40);

    /* Nested: a higher class preempts; EOI retires the highest in service only. */
    vlapic_ack(v, 0x40);
    vlapic_set_irq(v, 0xa0);
    CHECK_EQ(vlapic_pending_vector(v), 0xa0);
    vlapic_ack(v, 0xa0);
    CHECK(in_isr(v, 0x40) && in_isr(v, 0xa0));
    x2_write(v, APIC_EOI, 0);
    CHECK(!in_isr(v, 0xa0));
    CHECK(in_isr(v, 0x40));
    CHECK_EQ(x2_read(v, APIC_PPR), 0x40);
    x2_write(v, APIC_EOI, 0);
    CHECK(!in_isr(v, 0x40));
    CHECK_EQ(x2_read(v, APIC_PPR), 0);
    x2_write(v, APIC_EOI, 0); /* nothing in service: harmless */
    CHECK_EQ(vlapic_pending_vector(v), 0x31);

    /* xAPIC: an EOI write of any value retires the highest in service. */
    setup(1);
    v = &vcpus[0];
    mmio_write(v, APIC_SVR, SVR_ENABLE | 0xff);
    vlapic_set_irq(v, 0x70);
    CHECK_EQ(vlapic_pending_vector(v), 0x70);
    vlapic_ack(v, 0x70);
    CHECK_EQ(mmio_read(v, APIC_ISR + 0x30), 1u << (0x70 % 32));
    mmio_write(v, APIC_EOI, 0x12345678);
    CHECK(!in_isr(v, 0x70));
}

TEST(reserved_vectors_dropped)
{
    struct vcpu *v;

    setup(1);
    all_x2apic();
    v = &vcpus[0];
    /* Vectors 0-15 are illegal for fixed delivery: never pending, no kick. */
    for (unsigned int vec = 0; vec < 16; vec++)
        vlapic_set_irq(v, (uint8_t)vec);
    x2_write(v, APIC_SELF_IPI, 0x0f);
    CHECK_EQ(v->arch.vlapic.irr[0], 0);
    CHECK_EQ(kicks[0], 0);
    CHECK_EQ(vlapic_pending_vector(v), -1);
    vlapic_set_irq(v, 16);
    CHECK_EQ(vlapic_pending_vector(v), 16);
}

TEST(x2apic_nonzero_eoi_faults)
{
    struct vcpu *v;

    setup(1);
    all_x2apic();
    v = &vcpus[0];
    vlapic_set_irq(v, 0x55);
    vlapic_ack(v, 0x55);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_EOI), 1), -EINVAL);
    CHECK(in_isr(v, 0x55)); /* the faulting write retired nothing */
    x2_write(v, APIC_EOI, 0);
    CHECK(!in_isr(v, 0x55));
}

TEST(self_ipi_msr)
{
    uint64_t val;

    setup(2);
    all_x2apic();
    x2_write(&vcpus[1], APIC_SELF_IPI, 0x45);
    CHECK_EQ(take_irr(0x45), 1u << 1);
    CHECK_EQ(kicks[1], 1);
    CHECK_EQ(kicks[0], 0);
    /* Only the vector field exists; the register is write-only. */
    CHECK_EQ(vlapic_msr_write(&vcpus[1], MSR(APIC_SELF_IPI), 0x145), -EINVAL);
    CHECK_EQ(take_irr(0x45), 0);
    CHECK_EQ(vlapic_msr_read(&vcpus[1], MSR(APIC_SELF_IPI), &val), -EINVAL);

    /* The xAPIC page has no SELF IPI register. */
    setup(1);
    CHECK_EQ(mmio_write_rc(&vcpus[0], APIC_SELF_IPI, 0x45), -EINVAL);
    CHECK_EQ(take_irr(0x45), 0);
}

/* ---- Register access rules ---- */

TEST(reserved_and_read_only_writes_fault)
{
    static const unsigned int x2_read_only[] = {
        APIC_ID, APIC_VERSION, APIC_PPR, APIC_LDR, APIC_ISR, APIC_ISR + 0x70, APIC_TMR,
        APIC_IRR, APIC_IRR + 0x70, APIC_TMCCT,
        0x040, APIC_APR, APIC_DFR, APIC_ICR2, 0x3a0, 0x3d0, 0xff0, /* absent in x2APIC */
    };
    static const unsigned int x2_no_read[] = { 0x040, APIC_APR, APIC_EOI, APIC_DFR, APIC_ICR2,
                                               APIC_SELF_IPI, 0x3a0, 0xff0 };
    static const unsigned int xapic_read_only[] = { APIC_VERSION, APIC_PPR, APIC_ISR, APIC_TMR,
                                                    APIC_IRR, APIC_TMCCT, 0x040, 0x3a0, 0xff0 };
    struct vcpu *v;
    uint64_t val;
    uint32_t ver;

    setup(1);
    all_x2apic();
    v = &vcpus[0];
    for (unsigned int i = 0; i < ARRAY_SIZE(x2_read_only); i++) {
        int rc = vlapic_msr_write(v, MSR(x2_read_only[i]), 0);

        if (rc != -EINVAL)
            fprintf(stderr, "wrmsr %#x: %d\n", MSR(x2_read_only[i]), rc);
        CHECK_EQ(rc, -EINVAL);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(x2_no_read); i++) {
        int rc = vlapic_msr_read(v, MSR(x2_no_read[i]), &val);

        if (rc != -EINVAL)
            fprintf(stderr, "rdmsr %#x: %d\n", MSR(x2_no_read[i]), rc);
        CHECK_EQ(rc, -EINVAL);
    }
    /* Value checks on writable registers: reserved bits set fault, nothing changes. */
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_ESR), 1), -EINVAL);
    x2_write(v, APIC_ESR, 0);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_SVR), 1ull << 32), -EINVAL);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_LVT_ERROR), 1ull << 32), -EINVAL);
    CHECK_EQ(vlapic_msr_write(v, MSR(APIC_TMICT), 1ull << 32), -EINVAL);
    CHECK(!v->arch.vlapic.timer.active);
    CHECK_EQ(x2_read(v, APIC_SVR), SVR_ENABLE | 0xff);
    CHECK_EQ(x2_read(v, APIC_LVT_ERROR), LVT_MASKED);

    setup(1);
    v = &vcpus[0];
    ver = mmio_read(v, APIC_VERSION);
    for (unsigned int i = 0; i < ARRAY_SIZE(xapic_read_only); i++) {
        int rc = mmio_write_rc(v, xapic_read_only[i], 0);

        if (rc != -EINVAL)
            fprintf(stderr, "xAPIC write %#x: %d\n", xapic_read_only[i], rc);
        CHECK_EQ(rc, -EINVAL);
    }
    CHECK_EQ(mmio_read(v, APIC_VERSION), ver);
    CHECK_EQ(mmio_read(v, APIC_PPR), 0);
}

TEST(xapic_write_only_and_reserved_read_zero)
{
    static const unsigned int offs[] = { APIC_EOI, APIC_SELF_IPI, 0x040, APIC_APR, 0x3a0, 0xff0 };
    struct vcpu *v;

    setup(1);
    v = &vcpus[0];
    vlapic_set_irq(v, 0x40);
    vlapic_ack(v, 0x40);
    /* On the page such reads do not fault: they return 0 (mmio_read starts from junk). */
    for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++) {
        uint32_t val = mmio_read(v, offs[i]);

        if (val)
            fprintf(stderr, "xAPIC read %#x = %#x\n", offs[i], val);
        CHECK_EQ(val, 0);
    }
    CHECK(in_isr(v, 0x40)); /* reading EOI retires nothing */
    CHECK_EQ(mmio_read(v, APIC_TMR + 0x10), 0); /* edge-triggered only */
    CHECK_EQ(mmio_read(v, APIC_ESR), 0);
}

TEST(hardware_domain_eoi_passed_on)
{
    struct vcpu *v;

    setup(1);
    all_x2apic();
    v = &vcpus[0];
    passthrough_eois = 0;
    /* An ordinary guest's EOIs concern nobody else. */
    vlapic_set_irq(v, 0x41);
    vlapic_ack(v, 0x41);
    x2_write(v, APIC_EOI, 0);
    CHECK_EQ(passthrough_eois, 0);

    /* The hardware domain's EOI of the highest in service is passed on, nested ones in order. */
    dom.hardware = true;
    vlapic_set_irq(v, 0x41);
    vlapic_ack(v, 0x41);
    vlapic_set_irq(v, 0x61);
    vlapic_ack(v, 0x61);
    x2_write(v, APIC_EOI, 0);
    CHECK_EQ(passthrough_eois, 1);
    CHECK_EQ(passthrough_eoi_vec, 0x61);
    x2_write(v, APIC_EOI, 0);
    CHECK_EQ(passthrough_eois, 2);
    CHECK_EQ(passthrough_eoi_vec, 0x41);
    x2_write(v, APIC_EOI, 0); /* nothing in service: nothing passed on */
    CHECK_EQ(passthrough_eois, 2);
    dom.hardware = false;
}

TEST(ipi_to_foreign_apic_refused)
{
    struct vcpu *v;

    setup(2);
    all_x2apic();
    v = &vcpus[0];
    /* INIT + STARTUP to APIC id 5, which is no vCPU of the domain: nothing starts, nothing is raised. */
    x2_write(v, APIC_ICR, ((uint64_t)5 << 32) | ICR_INIT | ICR_ASSERT);
    x2_write(v, APIC_ICR, ((uint64_t)5 << 32) | ICR_STARTUP | 0x9a);
    CHECK_EQ(starts[1], 0);
    CHECK_EQ(sipi_vector[1], -1);
    x2_write(v, APIC_ICR, ((uint64_t)5 << 32) | ICR_FIXED | 0x55);
    CHECK(!in_irr(&vcpus[0], 0x55) && !in_irr(&vcpus[1], 0x55));
    CHECK_EQ(kicks[1], 0);
}
