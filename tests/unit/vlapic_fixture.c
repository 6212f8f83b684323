// SPDX-License-Identifier: GPL-2.0-only
/* The fakes and helpers the vLAPIC tests share (vlapic_fixture.h). */
#include <string.h>

#include "vlapic_fixture.h"

struct domain dom;
struct vcpu vcpus[MAX_VIRT_CPUS];
uint64_t fake_now;
unsigned int kicks[MAX_VIRT_CPUS];
unsigned int starts[MAX_VIRT_CPUS];
int sipi_vector[MAX_VIRT_CPUS];

uint64_t now_ns(void) { return fake_now; }

void vcpu_kick(struct vcpu *v) { kicks[v->id]++; }

/* As the scheduler: the vCPU becomes runnable. */
void sched_vcpu_start(struct vcpu *v)
{
    starts[v->id]++;
    v->state = VCPU_RUNNABLE;
}

void arch_vcpu_set_sipi_entry(struct vcpu *v, uint8_t vector) { sipi_vector[v->id] = vector; }

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    *t = (struct timer){ .fn = fn, .data = data };
}

void timer_set(struct timer *t, uint64_t expires)
{
    t->expires = expires;
    t->active = true;
}

void timer_stop(struct timer *t) { t->active = false; }

int passthrough_eoi_vec = -1;
unsigned int passthrough_eois;

void irq_passthrough_eoi(struct vcpu *v, uint8_t vec)
{
    (void)v;
    passthrough_eoi_vec = vec;
    passthrough_eois++;
}

bool fire_timer_late(struct vcpu *v, uint64_t late)
{
    struct timer *t = &v->arch.vlapic.timer;

    if (!t->active)
        return false;
    fake_now = t->expires + late;
    t->active = false;
    t->fn(t->data);
    return true;
}

bool fire_timer(struct vcpu *v) { return fire_timer_late(v, 0); }

void setup(unsigned int n)
{
    memset(&dom, 0, sizeof(dom));
    memset(vcpus, 0, sizeof(vcpus));
    memset(kicks, 0, sizeof(kicks));
    memset(starts, 0, sizeof(starts));
    fake_now = T0;
    dom.id = 1;
    dom.nr_vcpus = n;
    for (unsigned int i = 0; i < n; i++) {
        struct vcpu *v = &vcpus[i];

        v->domain = &dom;
        v->id = i;
        v->state = i == 0 ? VCPU_RUNNABLE : VCPU_DOWN;
        v->initialised = i == 0;
        dom.vcpus[i] = v;
        sipi_vector[i] = -1;
        vlapic_init(v);
    }
}

int to_x2apic(struct vcpu *v)
{
    return vlapic_set_base_msr(v, vlapic_base_msr(v) | APIC_BASE_X2APIC);
}

uint64_t x2_read(struct vcpu *v, unsigned int off)
{
    uint64_t val = 0xbadbadbadull;
    int rc = vlapic_msr_read(v, MSR(off), &val);

    if (rc)
        fprintf(stderr, "rdmsr %#x: %d\n", MSR(off), rc);
    CHECK_EQ(rc, 0);
    return val;
}

void x2_write(struct vcpu *v, unsigned int off, uint64_t val)
{
    int rc = vlapic_msr_write(v, MSR(off), val);

    if (rc)
        fprintf(stderr, "wrmsr %#x <- %#llx: %d\n", MSR(off), (unsigned long long)val, rc);
    CHECK_EQ(rc, 0);
}

uint32_t mmio_read(struct vcpu *v, unsigned int off)
{
    uint32_t val = 0xdeadbeef; /* must be overwritten, even for registers that read as 0 */
    int rc = vlapic_mmio(v, off, false, &val);

    if (rc)
        fprintf(stderr, "xAPIC read %#x: %d\n", off, rc);
    CHECK_EQ(rc, 0);
    return val;
}

int mmio_write_rc(struct vcpu *v, unsigned int off, uint32_t val)
{
    return vlapic_mmio(v, off, true, &val);
}

void mmio_write(struct vcpu *v, unsigned int off, uint32_t val)
{
    int rc = mmio_write_rc(v, off, val);

    if (rc)
        fprintf(stderr, "xAPIC write %#x <- %#x: %d\n", off, val, rc);
    CHECK_EQ(rc, 0);
}

void all_x2apic(void)
{
    for (unsigned int i = 0; i < dom.nr_vcpus; i++) {
        CHECK_EQ(to_x2apic(&vcpus[i]), 0);
        x2_write(&vcpus[i], APIC_SVR, SVR_ENABLE | 0xff);
    }
}

bool in_irr(struct vcpu *v, uint8_t vec)
{
    return v->arch.vlapic.irr[vec / 32] >> (vec % 32) & 1;
}

bool in_isr(struct vcpu *v, uint8_t vec)
{
    return v->arch.vlapic.isr[vec / 32] >> (vec % 32) & 1;
}

uint32_t take_irr(uint8_t vec)
{
    uint32_t mask = 0;

    for (unsigned int i = 0; i < dom.nr_vcpus; i++) {
        if (in_irr(&vcpus[i], vec)) {
            mask |= 1u << i;
            vcpus[i].arch.vlapic.irr[vec / 32] &= ~(1u << (vec % 32));
        }
    }
    return mask;
}

void x2_ipi(struct vcpu *from, uint32_t dest, uint32_t low)
{
    x2_write(from, APIC_ICR, (uint64_t)dest << 32 | low);
}

void xapic_ipi(struct vcpu *from, uint8_t dest, uint32_t low)
{
    mmio_write(from, APIC_ICR2, (uint32_t)dest << 24);
    mmio_write(from, APIC_ICR, low);
}

