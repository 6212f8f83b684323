/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual local APIC for guests. It starts in xAPIC mode, its page at
 * 0xfee00000 emulated through nested-page faults (the few MOVs guests use on
 * it are decoded by mmio_decode.c), and the guest may switch it to x2APIC
 * mode, where every register is an MSR (0x800 + offset/16): a plain exit,
 * nothing to decode. Linux switches as soon as it can, since the Xen CPUID
 * leaf says x2APIC is virtualised.
 *
 * What it does: ID/LDR derived from the vCPU id, TPR/PPR, IRR/ISR with EOI,
 * fixed IPIs (physical, logical cluster and shorthands) and self-IPIs, and
 * the timer in one-shot and periodic modes at 1 GHz, and INIT + STARTUP to
 * bring up a vCPU that never ran (how Linux starts its APs from the MADT).
 * Not modelled: NMI and SMI delivery, INIT of a running vCPU, TSC-deadline
 * mode (not offered in CPUID), level triggers (no I/O APIC behind it).
 *
 * The vCPU's own pCPU reads and acks; any pCPU may raise an interrupt, so
 * IRR changes are atomic and everything else is touched by the owner only.
 */
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/irq_passthrough.h>
#include <asm/vlapic.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/lib.h>
#include <xenon/sched.h>
#include <xenon/time.h>

#define APIC_VERSION 0x00050014u  /* version 0x14, 6 LVT entries */
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (1u << 18)
#define ICR_DEST_LOGICAL (1u << 11)
#define ICR_SHORTHAND_SHIFT 18
#define ICR_MODE_SHIFT 8

enum { SHORTHAND_NONE, SHORTHAND_SELF, SHORTHAND_ALL, SHORTHAND_OTHERS };
enum { MODE_FIXED = 0, MODE_LOWEST = 1, MODE_INIT = 5, MODE_STARTUP = 6 };
#define ICR_LEVEL_ASSERT (1u << 14)

/* Register offsets (xAPIC MMIO offset / 16 = x2APIC MSR - 0x800). */
enum {
    REG_DFR = 0xe, REG_ICR_HI = 0x31,
    REG_ID = 0x2, REG_VERSION = 0x3, REG_TPR = 0x8, REG_PPR = 0xa, REG_EOI = 0xb,
    REG_LDR = 0xd, REG_SVR = 0xf, REG_ISR = 0x10, REG_TMR = 0x18, REG_IRR = 0x20,
    REG_ESR = 0x28, REG_LVT_CMCI = 0x2f, REG_ICR = 0x30, REG_LVT_TIMER = 0x32,
    REG_LVT_ERROR = 0x37, REG_TMICT = 0x38, REG_TMCCT = 0x39, REG_TDCR = 0x3e,
    REG_SELF_IPI = 0x3f,
};

static struct vlapic *vl(struct vcpu *v) { return &v->arch.vlapic; }


/* Highest set vector in a 256-bit register, or -1. */
static int highest(const uint32_t *bits)
{
    for (int i = 7; i >= 0; i--) {
        uint32_t w = __atomic_load_n(&bits[i], __ATOMIC_ACQUIRE);

        if (w)
            return i * 32 + 31 - __builtin_clz(w);
    }
    return -1;
}

static uint32_t ppr(const struct vlapic *l)
{
    int isr = highest(l->isr);
    uint32_t isr_class = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

    return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

static uint32_t x2apic_id(const struct vcpu *v) { return v->id; }
static uint32_t x2apic_ldr(const struct vcpu *v) { return ((v->id >> 4) << 16) | (1u << (v->id & 0xf)); }

uint64_t vlapic_base_msr(const struct vcpu *v)
{
    return VLAPIC_MMIO_BASE | APIC_BASE_ENABLE | (v->arch.vlapic.x2apic ? APIC_BASE_X2APIC : 0) |
           (v->id == 0 ? APIC_BASE_BSP : 0);
}

int vlapic_set_base_msr(struct vcpu *v, uint64_t val)
{
    struct vlapic *l = vl(v);

    if (val == vlapic_base_msr(v))
        return 0;
    /* xAPIC to x2APIC is the one change allowed (no relocation, no disabling). */
    if (l->x2apic || val != (vlapic_base_msr(v) | APIC_BASE_X2APIC))
        return -EINVAL;
    l->x2apic = true;
    return 0;
}

void vlapic_init(struct vcpu *v)
{
    struct vlapic *l = vl(v);

    *l = (struct vlapic){ .dfr = 0xffffffffu, .svr = 0xff }; /* reset values (SDM 3A 10.4.7.1) */
    for (unsigned int i = 0; i < VLAPIC_NR_LVT; i++)
        l->lvt[i] = LVT_MASKED;
    timer_init(&l->timer, vlapic_timer_fired, v);
}

void vlapic_destroy(struct vcpu *v)
{
    timer_stop(&vl(v)->timer);
}

/* Any pCPU: make vector pending on v and get it noticed. */
void vlapic_set_irq(struct vcpu *v, uint8_t vec)
{
    if (vec < 16)
        return; /* reserved vectors: an illegal-vector error, dropped */
    __atomic_fetch_or(&vl(v)->irr[vec / 32], 1u << (vec % 32), __ATOMIC_SEQ_CST);
    vcpu_kick(v);
}

int vlapic_pending_vector(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    int vec = highest(l->irr);

    if (vec < 0 || !(l->svr & SVR_ENABLE) || ((uint32_t)vec & 0xf0) <= (ppr(l) & 0xf0))
        return -1;
    return vec;
}

void vlapic_ack(struct vcpu *v, uint8_t vec)
{
    struct vlapic *l = vl(v);

    __atomic_fetch_and(&l->irr[vec / 32], ~(1u << (vec % 32)), __ATOMIC_SEQ_CST);
    l->isr[vec / 32] |= 1u << (vec % 32);
}

static void eoi(struct vcpu *v)
{
    struct vlapic *l = vl(v);
    int vec = highest(l->isr);

    if (vec < 0)
        return;
    l->isr[vec / 32] &= ~(1u << (vec % 32));
    if (is_hardware_domain(v->domain))
        irq_passthrough_eoi(v, (uint8_t)vec);
}

/* Timer: counts down from TMICT at 1 GHz divided by TDCR. */
static unsigned int divisor(const struct vlapic *l)
{
    unsigned int code = (l->tdcr & 3) | ((l->tdcr >> 1) & 4);

    return code == 7 ? 1 : 2u << code;
}

static uint64_t timer_period(const struct vlapic *l) { return (uint64_t)l->tmict * divisor(l); }

/* A periodic timer fires at most every 100 us (10 kHz, Xen's limit too). */
#define PERIODIC_MIN_NS 100000ull

/*
 * Where the next period starts after one has expired: one period on (no
 * drift), or PERIODIC_MIN_NS for a shorter one. Periods missed while the
 * vCPU's pCPU was elsewhere are skipped, not delivered one by one (one
 * interrupt for them all, as Xen's virtual timers do). Re-armed in the past,
 * a guest's tiny period (TMICT 1, divide by 1: 1 ns) kept the timer loop
 * catching up for ever with interrupts off; re-armed a nanosecond on, it
 * would leave its vCPU no time between timer exits.
 */
static uint64_t next_period_start(const struct vlapic *l, uint64_t now)
{
    uint64_t period = timer_period(l), step = MAX(period, PERIODIC_MIN_NS);
    uint64_t start = l->timer_start + step;

    if (start + period <= now)
        start += ((now - start - period) / step + 1) * step;
    return start;
}

static void timer_arm(struct vcpu *v, uint64_t from)
{
    struct vlapic *l = vl(v);

    l->timer_start = from;
    if (l->tmict)
        timer_set(&l->timer, from + timer_period(l));
    else
        timer_stop(&l->timer);
}

void vlapic_timer_fired(void *data)
{
    struct vcpu *v = data;
    struct vlapic *l = vl(v);
    uint32_t lvt = l->lvt[VLAPIC_LVT_TIMER];

    if (!(lvt & LVT_MASKED))
        vlapic_set_irq(v, (uint8_t)lvt);
    /* One-shot: the count then reads 0 until TMICT is written again. */
    if (lvt & LVT_TIMER_PERIODIC)
        timer_arm(v, next_period_start(l, now_ns()));
}

static uint32_t timer_current(const struct vlapic *l)
{
    uint64_t period = timer_period(l), now = now_ns(), elapsed;

    if (!l->tmict || !l->timer_start || now < l->timer_start)
        return l->tmict;
    elapsed = now - l->timer_start;
    if (elapsed >= period) {
        if (!(l->lvt[VLAPIC_LVT_TIMER] & LVT_TIMER_PERIODIC))
            return 0;
        elapsed %= period;
    }
    return (uint32_t)((period - elapsed) / divisor(l));
}

/* xAPIC destinations: an 8-bit id, or a logical mask in the flat or cluster model. */
static bool xapic_targets(const struct vcpu *t, uint32_t dest, bool logical)
{
    const struct vlapic *l = &t->arch.vlapic;
    uint32_t id = l->ldr >> 24;

    if (dest == 0xff)
        return true;
    if (!logical)
        return dest == t->id;
    if ((l->dfr >> 28) == 0xf)
        return (id & dest) != 0;
    return (id >> 4) == (dest >> 4) && (id & dest & 0xf);
}

/* Does an IPI with this destination reach t? */
static bool ipi_targets(const struct vcpu *src, const struct vcpu *t, uint64_t icr)
{
    uint32_t dest = (uint32_t)(icr >> 32);

    switch ((icr >> ICR_SHORTHAND_SHIFT) & 3) {
    case SHORTHAND_SELF:
        return t == src;
    case SHORTHAND_ALL:
        return true;
    case SHORTHAND_OTHERS:
        return t != src;
    }
    if (!src->arch.vlapic.x2apic)
        return xapic_targets(t, dest >> 24, icr & ICR_DEST_LOGICAL);
    if (dest == 0xffffffffu)
        return true;
    if (icr & ICR_DEST_LOGICAL)
        return (dest >> 16) == (x2apic_ldr(t) >> 16) && (dest & x2apic_ldr(t) & 0xffff);
    return dest == x2apic_id(t);
}

/*
 * INIT arms a vCPU that has never run; the STARTUP that follows starts it
 * in real mode. Later STARTUPs (the spec sends two) and INITs of running
 * vCPUs are ignored.
 */
static void init_or_startup(struct vcpu *t, unsigned int mode, uint64_t icr)
{
    struct vlapic *l = vl(t);

    if (t->state != VCPU_DOWN || t->initialised)
        return;
    if (mode == MODE_INIT) {
        l->init_seen = (icr & ICR_LEVEL_ASSERT) != 0 || l->init_seen;
        return;
    }
    if (!l->init_seen)
        return;
    l->init_seen = false;
    arch_vcpu_set_sipi_entry(t, (uint8_t)icr);
    t->initialised = true;
    sched_vcpu_start(t);
}

#define MAX_REFUSAL_WARNINGS 8

/*
 * An IPI reaches the sender's own vCPUs only: one aimed at no vCPU of its
 * domain (another pCPU's APIC, for the hardware domain) goes nowhere. Said
 * on the console a few times, as it is an attempt to reach beyond the domain.
 */
static void ipi_refused(const struct vcpu *v, unsigned int mode, uint64_t icr)
{
    static unsigned int warnings;
    static const char *const names[8] = { "fixed", "lowest-priority", "SMI", "mode 3", "NMI", "INIT", "STARTUP", "mode 7" };

    if (((icr >> ICR_SHORTHAND_SHIFT) & 3) != SHORTHAND_NONE || __atomic_fetch_add(&warnings, 1, __ATOMIC_RELAXED) >= MAX_REFUSAL_WARNINGS)
        return;
    log_warn("d%u v%u: %s IPI to APIC id %#x, which is none of its vCPUs: refused", v->domain->id, v->id,
             names[mode], (unsigned int)(v->arch.vlapic.x2apic ? icr >> 32 : icr >> 56));
}

static int send_ipi(struct vcpu *v, uint64_t icr)
{
    unsigned int mode = (icr >> ICR_MODE_SHIFT) & 7, hits = 0;
    struct domain *d = v->domain;

    if (mode == MODE_INIT || mode == MODE_STARTUP) {
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i] && d->vcpus[i] != v && ipi_targets(v, d->vcpus[i], icr)) {
                init_or_startup(d->vcpus[i], mode, icr);
                hits++;
            }
        if (!hits)
            ipi_refused(v, mode, icr);
        return 0;
    }
    if (mode != MODE_FIXED && mode != MODE_LOWEST) {
        printk_guest(LOG_DEBUG, "d%u v%u: IPI delivery mode %u not supported", d->id, v->id, mode);
        return 0;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (!d->vcpus[i] || !ipi_targets(v, d->vcpus[i], icr))
            continue;
        vlapic_set_irq(d->vcpus[i], (uint8_t)icr);
        hits++;
        if (mode == MODE_LOWEST)
            break; /* any one of them will do */
    }
    if (!hits)
        ipi_refused(v, mode, icr);
    return 0;
}

static int read_bits(const uint32_t *bits, unsigned int idx, uint64_t *val)
{
    *val = __atomic_load_n(&bits[idx], __ATOMIC_ACQUIRE);
    return 0;
}

/* A register read, either mode: reg is the xAPIC offset / 16. */
static int reg_read(struct vcpu *v, unsigned int reg, uint64_t *val)
{
    struct vlapic *l = vl(v);

    if (reg >= REG_ISR && reg < REG_ISR + 8)
        return read_bits(l->isr, reg - REG_ISR, val);
    if (reg >= REG_IRR && reg < REG_IRR + 8)
        return read_bits(l->irr, reg - REG_IRR, val);
    if (reg >= REG_LVT_TIMER && reg < REG_LVT_TIMER + VLAPIC_NR_LVT - 1) {
        *val = l->lvt[reg - REG_LVT_TIMER];
        return 0;
    }
    *val = 0;
    switch (reg) {
    case REG_ID: *val = l->x2apic ? x2apic_id(v) : v->id << 24; return 0;
    case REG_VERSION: *val = APIC_VERSION; return 0;
    case REG_TPR: *val = l->tpr; return 0;
    case REG_PPR: *val = ppr(l); return 0;
    case REG_LDR: *val = l->x2apic ? x2apic_ldr(v) : l->ldr; return 0;
    case REG_SVR: *val = l->svr; return 0;
    case REG_LVT_CMCI: *val = l->lvt[VLAPIC_LVT_CMCI]; return 0;
    case REG_ICR: *val = l->x2apic ? l->icr : (uint32_t)l->icr; return 0;
    case REG_TMICT: *val = l->tmict; return 0;
    case REG_TMCCT: *val = timer_current(l); return 0;
    case REG_TDCR: *val = l->tdcr; return 0;
    case REG_ESR: return 0;
    }
    if (reg >= REG_TMR && reg < REG_TMR + 8)
        return 0; /* edge-triggered only */
    if (!l->x2apic && reg == REG_DFR) {
        *val = l->dfr;
        return 0;
    }
    if (!l->x2apic && reg == REG_ICR_HI) {
        *val = l->icr >> 32;
        return 0;
    }
    return -EINVAL; /* EOI and SELF_IPI are write-only; the rest do not exist */
}

int vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if (!vl(v)->x2apic)
        return -EINVAL; /* x2APIC MSRs fault in xAPIC mode */
    return reg_read(v, msr - VLAPIC_MSR_BASE, val);
}

static int write_lvt(struct vcpu *v, unsigned int idx, uint64_t val)
{
    struct vlapic *l = vl(v);
    uint32_t writable = LVT_MASKED | 0x7ff; /* vector, delivery mode, mask */

    if (val >> 32)
        return -EINVAL;
    if (idx == VLAPIC_LVT_TIMER) {
        if (val & LVT_TIMER_TSC_DEADLINE)
            return -EINVAL; /* not offered in CPUID */
        writable = LVT_MASKED | LVT_TIMER_PERIODIC | 0xff;
    }
    if (!(l->svr & SVR_ENABLE))
        val |= LVT_MASKED; /* a software-disabled APIC keeps its LVTs masked */
    l->lvt[idx] = (uint32_t)val & writable;
    return 0;
}

/* Registers only one mode has; 1 if reg is not one of them. */
static int mode_reg_write(struct vcpu *v, unsigned int reg, uint64_t val)
{
    struct vlapic *l = vl(v);

    if (l->x2apic) {
        if (reg != REG_SELF_IPI)
            return 1;
        if (val > 0xff)
            return -EINVAL;
        vlapic_set_irq(v, (uint8_t)val);
        return 0;
    }
    switch (reg) {
    case REG_ID:
        return 0; /* writable on some xAPICs; ours keeps the vCPU id */
    case REG_LDR:
        l->ldr = (uint32_t)val & 0xff000000u;
        return 0;
    case REG_DFR:
        l->dfr = (uint32_t)val | 0x0fffffffu;
        return 0;
    case REG_ICR_HI:
        l->icr = (l->icr & 0xffffffffu) | ((uint64_t)(val & 0xff000000u) << 32);
        return 0;
    case REG_ICR:
        /* The low half sends, to the destination already in the high half. */
        l->icr = (l->icr & ~0xffffffffull) | ((uint32_t)val & ~(1u << 12));
        return send_ipi(v, l->icr);
    }
    return 1;
}

/* A register write, either mode: reg is the xAPIC offset / 16. */
static int reg_write(struct vcpu *v, unsigned int reg, uint64_t val)
{
    struct vlapic *l = vl(v);
    int rc = mode_reg_write(v, reg, val);

    if (rc <= 0)
        return rc;
    if (reg >= REG_LVT_TIMER && reg < REG_LVT_TIMER + VLAPIC_NR_LVT - 1)
        return write_lvt(v, reg - REG_LVT_TIMER, val);
    switch (reg) {
    case REG_TPR:
        if (val > 0xff)
            return -EINVAL;
        l->tpr = (uint32_t)val;
        return 0;
    case REG_EOI:
        if (val && l->x2apic)
            return -EINVAL; /* x2APIC: a non-zero EOI write faults */
        eoi(v);
        return 0;
    case REG_SVR:
        if (val >> 32)
            return -EINVAL;
        l->svr = (uint32_t)val & 0x11ff;
        if (!(l->svr & SVR_ENABLE))
            for (unsigned int i = 0; i < VLAPIC_NR_LVT; i++)
                l->lvt[i] |= LVT_MASKED;
        return 0;
    case REG_ESR:
        return val && l->x2apic ? -EINVAL : 0;
    case REG_LVT_CMCI:
        return write_lvt(v, VLAPIC_LVT_CMCI, val);
    case REG_ICR:
        l->icr = val & ~(1ull << 12); /* never busy */
        return send_ipi(v, val);
    case REG_TMICT:
        if (val >> 32)
            return -EINVAL;
        l->tmict = (uint32_t)val;
        timer_arm(v, now_ns());
        return 0;
    case REG_TDCR:
        if (val & ~0xbull)
            return -EINVAL;
        l->tdcr = (uint32_t)val;
        return 0;
    }
    return -EINVAL; /* read-only or reserved */
}

int vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if (!vl(v)->x2apic)
        return -EINVAL;
    return reg_write(v, msr - VLAPIC_MSR_BASE, val);
}

int vlapic_mmio(struct vcpu *v, unsigned int off, bool write, uint32_t *val)
{
    uint64_t v64 = *val;
    int rc;

    if (vl(v)->x2apic || off >= PAGE_SIZE || (off & 0xf))
        return -EINVAL;
    if (write)
        return reg_write(v, off >> 4, v64) ? -EINVAL : 0;
    rc = reg_read(v, off >> 4, &v64);
    /* xAPIC: reading a write-only or reserved register returns 0, it does not fault. */
    *val = rc ? 0 : (uint32_t)v64;
    return 0;
}
