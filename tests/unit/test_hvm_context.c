// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HVM context stream (arch/x86/hvm_context.c, with the boot-state checks
 * of arch/x86/vcpu_context.c it shares with VCPUOP_initialise): what a save
 * writes, partial saves, and loads: libxenctrl 4.17's PVH sequence, round
 * trips, and every way a stream or a register state can be refused, after
 * which nothing may have changed.
 *
 * Record layouts are built from Xen's public header as the toolstack sees
 * it; the numbers below (CR bits, attribute bytes) are the SDM's and APM's.
 * A fake back end keeps each vCPU's state in a struct; a guest address is a
 * host pointer; page allocations can be made to fail.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <xenon/arch.h>
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hvm_context.h>
#include <xenon/mm.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/save.h>

#define TSC_KHZ 2500000u
#define GUEST_PAT 0x0007040600070406ull
#define FAKE_TSC 0x123456789ull
#define NVCPUS 3

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define DR6_DEFAULT 0xffff0ff0ull
#define DR7_DEFAULT 0x400ull

#define DESC sizeof(struct hvm_save_descriptor)
#define CPU_LEN sizeof(struct hvm_hw_cpu)
#define MTRR_LEN sizeof(struct hvm_hw_mtrr)
#define HDR_LEN sizeof(struct hvm_save_header)

/* ---- Fakes ---- */

static struct domain dom;
static struct vcpu vcpus[NVCPUS], caller;
static struct hvm_boot_state vstate[NVCPUS]; /* what the back end holds */
static unsigned int set_calls[NVCPUS], starts[NVCPUS], stops[NVCPUS];
static uint32_t cpuid1_ecx; /* leaf 1 ECX the guest sees: PCID, XSAVE ... */

static void fake_set(struct vcpu *v, const struct hvm_boot_state *s)
{
    vstate[v->id] = *s;
    set_calls[v->id]++;
}

static void fake_get(struct vcpu *v, struct hvm_boot_state *s)
{
    *s = vstate[v->id];
    s->full = true;
    s->pat = GUEST_PAT;
    s->tsc = FAKE_TSC;
}

static const struct hvm_vendor fake_vendor = {
    .name = "fake",
    .vcpu_set_boot_state = fake_set,
    .vcpu_get_state = fake_get,
};
const struct hvm_vendor *hvm = &fake_vendor;

void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
    *out = (struct cpuid_regs){ 0 };
    switch (leaf) {
    case 0:
        out->eax = 0xd;
        break;
    case 1:
        out->ecx = cpuid1_ecx;
        out->edx = 1u << 6; /* PAE; MCE hidden, as Xenon does */
        break;
    case 7:
        out->ebx = (1u << 0) | (1u << 7); /* FSGSBASE, SMEP */
        break;
    case 0x80000008:
        out->eax = 48;
        break;
    }
}

uint64_t tsc_khz(void) { return TSC_KHZ; }

void sched_vcpu_stop(struct vcpu *v, enum vcpu_state state)
{
    stops[v->id]++;
    if (v->state != VCPU_DEAD)
        v->state = state;
}

void sched_vcpu_start(struct vcpu *v)
{
    starts[v->id]++;
    if (v->state == VCPU_DOWN && v->initialised)
        v->state = VCPU_RUNNABLE;
}

/* Guest memory from this address on is not mapped (0: all is). */
static uint64_t fault_at;

static bool bad_gva(uint64_t gva, size_t len)
{
    return !gva || (gva + len > BAD_GVA && gva < BAD_GVA + 0x10000) ||
           (fault_at && gva + len > fault_at);
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    if (bad_gva(gva, len))
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)gva, len);
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    if (bad_gva(gva, len))
        return -EFAULT;
    memcpy((void *)(uintptr_t)gva, src, len);
    return 0;
}

/* ---- States and records ---- */

static struct hvm_seg flat(uint16_t sel, uint16_t ar)
{
    return (struct hvm_seg){ .sel = sel, .ar = ar, .limit = 0xffffffffu };
}

/* A 64-bit kernel at work: paging, flat segments, syscall MSRs, a used FPU. */
static struct hvm_boot_state running_state(unsigned int id)
{
    struct hvm_boot_state b = {
        .regs = { .rax = 0x1000 + id, .rbx = 0x2000 + id, .rcx = 3, .rdx = 4, .rsi = 5, .rdi = 6,
                  .rbp = 7, .r8 = 8, .r9 = 9, .r10 = 10, .r11 = 11, .r12 = 12, .r13 = 13, .r14 = 14,
                  .r15 = 0xf00d },
        .rsp = 0xffff888000010000ull, .rip = 0xffffffff81000000ull + id, .rflags = 0x246,
        .cr0 = 0x80050033, .cr3 = 0x1234000, .cr4 = 0x1006b0, .efer = 0xd01,
        .cs = flat(0x10, 0xa9b), .ds = flat(0x18, 0xc93), .es = flat(0x18, 0xc93),
        .ss = flat(0x18, 0xc93),
        .tr = { .sel = 0x40, .ar = 0x8b, .limit = 0x67, .base = 0xfffffe0000003000ull },
        .full = true,
        .fs = { 0 }, .gs = { .sel = 0, .ar = 0, .base = 0xffff88803fc00000ull },
        .ldtr = { .ar = 0x82, .limit = 0xffff },
        .gdtr = { .limit = 0x7f, .base = 0xfffffe0000001000ull },
        .idtr = { .limit = 0xfff, .base = 0xfffffe0000000000ull },
        .cr2 = 0x7f0000001000ull, .dr6 = DR6_DEFAULT, .dr7 = DR7_DEFAULT,
        .sysenter_cs = 0x10, .sysenter_esp = 0xfffffe0000003000ull,
        .sysenter_eip = 0xffffffff81a00000ull, .star = 0x0023001000000000ull,
        .lstar = 0xffffffff81c00000ull, .cstar = 0xffffffff81c00100ull,
        .sfmask = 0x47700, .kernel_gs_base = 0x7f0000002000ull,
        .event = { .pending = true, .vector = 14, .type = X86_EVENTTYPE_HW_EXCEPTION,
                   .has_error = true, .error = 2 },
        .fpu_valid = true,
    };

    for (unsigned int i = 0; i < sizeof(b.fpu); i++)
        b.fpu[i] = (uint8_t)(i * 7 + id);
    b.fpu[24] = 0x80; /* MXCSR 0x1f80 */
    b.fpu[25] = 0x1f;
    b.fpu[26] = b.fpu[27] = 0;
    return b;
}

/*
 * A domain of NVCPUS vCPUs: up vCPUs (in mask) run running_state(),
 * the others are down and never initialised.
 */
static void setup(unsigned int up_mask)
{
    memset(&dom, 0, sizeof(dom));
    memset(vcpus, 0, sizeof(vcpus));
    memset(vstate, 0, sizeof(vstate));
    memset(set_calls, 0, sizeof(set_calls));
    memset(starts, 0, sizeof(starts));
    memset(stops, 0, sizeof(stops));
    unit_allocs_left = -1;
    fault_at = 0;
    cpuid1_ecx = 1u << 17; /* PCID */
    dom.id = 3;
    dom.nr_vcpus = NVCPUS;
    for (unsigned int i = 0; i < NVCPUS; i++) {
        struct vcpu *v = &vcpus[i];

        v->domain = &dom;
        v->id = i;
        dom.vcpus[i] = v;
        if (up_mask & (1u << i)) {
            v->state = i == 1 ? VCPU_BLOCKED : VCPU_RUNNABLE;
            v->initialised = true;
            vstate[i] = running_state(i);
            v->arch.tsc_aux = 0x100 + i;
            v->arch.mtrr_def_type = 0x806;
        } else {
            v->state = VCPU_DOWN;
        }
    }
}

/* A stream being built in memory. */
struct stream {
    uint8_t bytes[16384] __attribute__((aligned(8)));
    uint32_t len;
};

static void put(struct stream *s, uint16_t type, uint16_t instance, const void *body, uint32_t len)
{
    struct hvm_save_descriptor d = { type, instance, len };

    memcpy(s->bytes + s->len, &d, DESC);
    if (len)
        memcpy(s->bytes + s->len + DESC, body, len);
    s->len += DESC + len;
}

static struct hvm_save_header good_header(void)
{
    return (struct hvm_save_header){ .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION,
                                     .changeset = ~0ull, .cpuid = 0x00a20f10, .gtsc_khz = TSC_KHZ };
}

static void put_header(struct stream *s)
{
    struct hvm_save_header h = good_header();

    s->len = 0;
    put(s, HVM_SAVE_CODE_HEADER, 0, &h, HDR_LEN);
}

static void put_end(struct stream *s) { put(s, HVM_SAVE_CODE_END, 0, NULL, 0); }

/* vCPU 0's CPU record as libxenctrl 4.17 makes it for a PVH guest (xg_dom_x86.c, vcpu_hvm). */
static struct hvm_hw_cpu libxc_cpu(uint32_t entry, uint32_t start_info)
{
    struct hvm_hw_cpu c;

    memset(&c, 0, sizeof(c));
    c.cs_limit = c.ds_limit = c.es_limit = c.ss_limit = ~0u;
    c.tr_limit = 0x67;
    c.cs_arbytes = 0xc9b;
    c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0xc93;
    c.tr_arbytes = 0x8b;
    c.cr0 = CR0_PE | CR0_ET;
    c.rip = entry;
    c.dr6 = DR6_DEFAULT;
    c.dr7 = DR7_DEFAULT;
    c.rbx = start_info;
    return c;
}

static struct hvm_hw_mtrr good_mtrr(uint64_t def_type)
{
    return (struct hvm_hw_mtrr){ .msr_pat_cr = GUEST_PAT, .msr_mtrr_cap = HVM_MTRR_CAP,
                                 .msr_mtrr_def_type = def_type };
}

static uint64_t gva(const void *p) { return (uint64_t)(uintptr_t)p; }

static int save(void *buf, uint32_t size, uint32_t *written)
{
    return arch_hvm_context_save(&caller, &dom, gva(buf), size, written);
}

static int one(uint32_t type, uint32_t instance, uint64_t buf, uint64_t *bufsz)
{
    return arch_hvm_context_save_one(&caller, &dom, type, instance, buf, bufsz);
}

static int load(const struct stream *s)
{
    return arch_hvm_context_load(&caller, &dom, gva(s->bytes), s->len);
}

static int load_cpu_record(const struct hvm_hw_cpu *c)
{
    static struct stream s;

    put_header(&s);
    put(&s, HVM_SAVE_CODE_CPU, 0, c, CPU_LEN);
    put_end(&s);
    return load(&s);
}

/* Nothing changed since setup(up_mask); no page left allocated. */
static void check_untouched(unsigned int up_mask)
{
    for (unsigned int i = 0; i < NVCPUS; i++) {
        CHECK_EQ(set_calls[i], 0);
        CHECK_EQ(stops[i], 0);
        CHECK_EQ(starts[i], 0);
        CHECK_EQ(vcpus[i].state == VCPU_DOWN, !(up_mask & (1u << i)));
        CHECK_EQ(vcpus[i].arch.mtrr_def_type, up_mask & (1u << i) ? 0x806 : 0);
    }
    CHECK_EQ(unit_live_pages, 0);
}

/* Walk a stream: the descriptor at *off, advancing past its body. */
static const struct hvm_save_descriptor *next(const uint8_t *buf, uint32_t *off)
{
    const struct hvm_save_descriptor *d = (const void *)(buf + *off);

    *off += DESC + d->length;
    return d;
}

static bool same_seg(const struct hvm_seg *a, const struct hvm_seg *b)
{
    return a->sel == b->sel && a->ar == b->ar && a->limit == b->limit && a->base == b->base;
}

/* Field by field (a struct's padding is not state); pat and tsc are never loaded. */
static bool same_state(const struct hvm_boot_state *a, const struct hvm_boot_state *b)
{
    const struct hvm_seg *sa[] = { &a->cs, &a->ds, &a->es, &a->ss, &a->tr,
                                   &a->fs, &a->gs, &a->ldtr, &a->gdtr, &a->idtr };
    const struct hvm_seg *sb[] = { &b->cs, &b->ds, &b->es, &b->ss, &b->tr,
                                   &b->fs, &b->gs, &b->ldtr, &b->gdtr, &b->idtr };
    const struct hvm_event *ea = &a->event, *eb = &b->event;

    for (unsigned int i = 0; i < 10; i++)
        if (!same_seg(sa[i], sb[i]))
            return false;
    return !memcmp(&a->regs, &b->regs, sizeof(a->regs)) && a->rsp == b->rsp &&
           a->rip == b->rip && a->rflags == b->rflags && a->cr0 == b->cr0 && a->cr2 == b->cr2 &&
           a->cr3 == b->cr3 && a->cr4 == b->cr4 && a->efer == b->efer && a->full == b->full &&
           a->dr6 == b->dr6 && a->dr7 == b->dr7 && a->sysenter_cs == b->sysenter_cs &&
           a->sysenter_esp == b->sysenter_esp && a->sysenter_eip == b->sysenter_eip &&
           a->star == b->star && a->lstar == b->lstar && a->cstar == b->cstar &&
           a->sfmask == b->sfmask && a->kernel_gs_base == b->kernel_gs_base &&
           ea->pending == eb->pending && ea->vector == eb->vector && ea->type == eb->type &&
           ea->has_error == eb->has_error && ea->error == eb->error &&
           a->fpu_valid == b->fpu_valid && !memcmp(a->fpu, b->fpu, sizeof(a->fpu));
}

/* ---- Saving ---- */

TEST(size_counts_every_vcpu)
{
    setup(0);
    CHECK_EQ(arch_hvm_context_size(&dom),
             DESC + HDR_LEN + NVCPUS * (2 * DESC + CPU_LEN + MTRR_LEN) + DESC);
    dom.nr_vcpus = 1;
    CHECK_EQ(arch_hvm_context_size(&dom), 8 + 24 + 8 + 1032 + 8 + 240 + 8);
}

TEST(save_writes_up_vcpus_then_mtrrs)
{
    static uint8_t buf[16384];
    uint32_t written = 0, off = 0;
    const struct hvm_save_descriptor *d;
    const struct hvm_save_header *h;
    const struct hvm_hw_cpu *c;
    const struct hvm_hw_mtrr *m;

    setup(0x5); /* vCPUs 0 and 2 up, 1 down */
    memset(buf, 0xaa, sizeof(buf));
    CHECK_EQ(save(buf, arch_hvm_context_size(&dom), &written), 0);
    CHECK_EQ(written, DESC + HDR_LEN + 2 * (DESC + CPU_LEN) + 3 * (DESC + MTRR_LEN) + DESC);
    CHECK(written < arch_hvm_context_size(&dom));
    CHECK_EQ(buf[written], 0xaa); /* nothing past what it says it wrote */

    d = next(buf, &off);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE_HEADER);
    CHECK_EQ(d->length, HDR_LEN);
    h = (const void *)(d + 1);
    CHECK_EQ(h->magic, 0x54381286);
    CHECK_EQ(h->version, 1);
    CHECK_EQ(h->cpuid, cpuid(1).eax);
    CHECK_EQ(h->gtsc_khz, TSC_KHZ);

    for (unsigned int id = 0; id < 3; id += 2) {
        d = next(buf, &off);
        CHECK_EQ(d->typecode, HVM_SAVE_CODE_CPU);
        CHECK_EQ(d->instance, id);
        CHECK_EQ(d->length, CPU_LEN);
        c = (const void *)(d + 1);
        CHECK_EQ(c->rax, 0x1000 + id);
        CHECK_EQ(c->rbx, 0x2000 + id);
        CHECK_EQ(c->r15, 0xf00d);
        CHECK_EQ(c->rsp, 0xffff888000010000ull);
        CHECK_EQ(c->rip, 0xffffffff81000000ull + id);
        CHECK_EQ(c->cr0, 0x80050033);
        CHECK_EQ(c->cr2, 0x7f0000001000ull);
        CHECK_EQ(c->msr_efer, 0xd01);
        CHECK_EQ(c->cs_sel, 0x10);
        CHECK_EQ(c->cs_arbytes, 0xa9b);
        CHECK_EQ(c->tr_base, 0xfffffe0000003000ull);
        CHECK_EQ(c->gdtr_limit, 0x7f);
        CHECK_EQ(c->idtr_base, 0xfffffe0000000000ull);
        CHECK_EQ(c->gs_base, 0xffff88803fc00000ull);
        CHECK_EQ(c->shadow_gs, 0x7f0000002000ull);
        CHECK_EQ(c->msr_lstar, 0xffffffff81c00000ull);
        CHECK_EQ(c->msr_syscall_mask, 0x47700);
        CHECK_EQ(c->sysenter_eip, 0xffffffff81a00000ull);
        CHECK_EQ(c->msr_tsc_aux, 0x100 + id);
        CHECK_EQ(c->tsc, FAKE_TSC);
        CHECK_EQ(c->dr0 | c->dr1 | c->dr2 | c->dr3, 0);
        CHECK_EQ(c->dr6, DR6_DEFAULT);
        CHECK_EQ(c->pending_event, 0x80000b0e); /* valid, error code, exception, #PF */
        CHECK_EQ(c->error_code, 2);
        CHECK_EQ(c->flags, XEN_X86_FPU_INITIALISED);
        CHECK_EQ(c->fpu_regs[100], (uint8_t)(700 + id));
        CHECK_EQ(c->pad0, 0);
    }
    for (unsigned int id = 0; id < NVCPUS; id++) {
        d = next(buf, &off);
        CHECK_EQ(d->typecode, HVM_SAVE_CODE_MTRR);
        CHECK_EQ(d->instance, id);
        CHECK_EQ(d->length, MTRR_LEN);
        m = (const void *)(d + 1);
        CHECK_EQ(m->msr_pat_cr, GUEST_PAT);
        CHECK_EQ(m->msr_mtrr_cap, 0);
        CHECK_EQ(m->msr_mtrr_def_type, id == 1 ? 0 : 0x806);
        CHECK_EQ(m->msr_mtrr_var[3] | m->msr_mtrr_fixed[10], 0);
    }
    d = next(buf, &off);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE_END);
    CHECK_EQ(d->length, 0);
    CHECK_EQ(off, written);
    CHECK_EQ(unit_live_pages, 0);
}

TEST(save_needs_room_and_memory)
{
    static uint8_t buf[16384];
    uint32_t need, written = 7;

    setup(0x7);
    need = DESC + HDR_LEN + 3 * (2 * DESC + CPU_LEN + MTRR_LEN) + DESC;
    /* Every size short of the stream stops somewhere with -ENOSPC. */
    for (uint32_t size = 0; size < need; size += 37)
        CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), size, &written), -ENOSPC);
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), need - 1, &written), -ENOSPC);
    CHECK_EQ(written, 7);
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, BAD_GVA, need, &written), -EFAULT);
    /* The buffer turns bad after the header: -EFAULT, not a crash. */
    fault_at = gva(buf) + DESC + HDR_LEN;
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), need, &written), -EFAULT);
    fault_at = 0;
    unit_allocs_left = 0;
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), need, &written), -ENOMEM);
    unit_allocs_left = -1;
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), need, &written), 0);
    CHECK_EQ(written, need);
    CHECK_EQ(unit_live_pages, 0);
}

TEST(save_one_record)
{
    static struct hvm_hw_cpu c;
    static struct hvm_hw_mtrr m;
    uint64_t sz;

    setup(0x1);
    sz = sizeof(c);
    CHECK_EQ(one(HVM_SAVE_CODE_CPU, 0, gva(&c), &sz), 0);
    CHECK_EQ(sz, CPU_LEN);
    CHECK_EQ(c.rip, 0xffffffff81000000ull);
    CHECK_EQ(c.cr3, 0x1234000);
    sz = 0;
    CHECK_EQ(one(HVM_SAVE_CODE_CPU, 0, 0, &sz), 0);
    CHECK_EQ(sz, CPU_LEN); /* a null buffer asks for the length */
    sz = CPU_LEN - 1;
    CHECK_EQ(one(HVM_SAVE_CODE_CPU, 0, gva(&c), &sz), -ENOBUFS);
    CHECK_EQ(sz, CPU_LEN - 1);
    sz = sizeof(c);
    CHECK_EQ(one(HVM_SAVE_CODE_CPU, 0, BAD_GVA, &sz), -EFAULT);
    /* vCPU 1 is down: no CPU record, but MTRRs. */
    CHECK_EQ(one(HVM_SAVE_CODE_CPU, 1, gva(&c), &sz), -ENODATA);
    sz = sizeof(m);
    CHECK_EQ(one(HVM_SAVE_CODE_MTRR, 1, gva(&m), &sz), 0);
    CHECK_EQ(sz, MTRR_LEN);
    CHECK_EQ(m.msr_pat_cr, GUEST_PAT);
    CHECK_EQ(one(HVM_SAVE_CODE_MTRR, NVCPUS, gva(&m), &sz), -ENOENT);
    CHECK_EQ(one(HVM_SAVE_CODE_HEADER, 0, gva(&m), &sz), -EINVAL);
    CHECK_EQ(one(HVM_SAVE_CODE_END, 0, gva(&m), &sz), -EINVAL);
    CHECK_EQ(one(HVM_SAVE_CODE_LAPIC_REGS, 0, gva(&m), &sz), -EINVAL);
    CHECK_EQ(one(9999, 0, gva(&m), &sz), -EINVAL);
    unit_allocs_left = 0;
    CHECK_EQ(one(HVM_SAVE_CODE_MTRR, 0, gva(&m), &sz), -ENOMEM);
    CHECK_EQ(unit_live_pages, 0);
}

/* ---- Loading: what libxenctrl does, and round trips ---- */

TEST(libxc_pvh_sequence)
{
    static uint8_t full[16384];
    static struct stream mtrr, bsp;
    const struct hvm_save_descriptor *d;
    struct hvm_hw_cpu c = libxc_cpu(0x100000, 0x2000);
    uint32_t written, off = 0;
    const struct hvm_boot_state *b = &vstate[0];

    setup(0); /* a domain just created: every vCPU down */
    /* The whole stream, for its header: no CPU records, an MTRR record per vCPU. */
    CHECK_EQ(save(full, arch_hvm_context_size(&dom), &written), 0);
    CHECK_EQ(written, DESC + HDR_LEN + NVCPUS * (DESC + MTRR_LEN) + DESC);
    d = next(full, &off);
    CHECK_EQ(d->typecode, HVM_SAVE_CODE_HEADER);
    for (unsigned int i = 0; i < NVCPUS; i++) {
        struct hvm_hw_mtrr m;

        d = next(full, &off);
        CHECK_EQ(d->typecode, HVM_SAVE_CODE_MTRR);
        /* Header + this MTRR record with the default type write-back + END, per vCPU. */
        memcpy(&m, d + 1, sizeof(m));
        m.msr_mtrr_def_type = 0x6 | 0x800;
        memcpy(mtrr.bytes, full, DESC + HDR_LEN);
        mtrr.len = DESC + HDR_LEN;
        put(&mtrr, HVM_SAVE_CODE_MTRR, (uint16_t)i, &m, MTRR_LEN);
        put_end(&mtrr);
        CHECK_EQ(load(&mtrr), 0);
        CHECK_EQ(vcpus[i].arch.mtrr_def_type, 0x806);
    }
    /* Last, header + vCPU 0's CPU record + END. */
    memcpy(bsp.bytes, full, DESC + HDR_LEN);
    bsp.len = DESC + HDR_LEN;
    put(&bsp, HVM_SAVE_CODE_CPU, 0, &c, CPU_LEN);
    put_end(&bsp);
    CHECK_EQ(load(&bsp), 0);
    CHECK_EQ(set_calls[0], 1);
    CHECK_EQ(vcpus[0].state, VCPU_RUNNABLE);
    CHECK(vcpus[0].initialised);
    CHECK_EQ(vcpus[1].state, VCPU_DOWN);
    CHECK_EQ(vcpus[2].state, VCPU_DOWN);
    CHECK_EQ(set_calls[1] + set_calls[2], 0);
    CHECK(b->full);
    CHECK_EQ(b->rip, 0x100000);
    CHECK_EQ(b->regs.rbx, 0x2000);
    CHECK_EQ(b->rflags, 0x2);
    CHECK_EQ(b->cr0, CR0_PE | CR0_ET);
    CHECK_EQ(b->efer, 0);
    CHECK_EQ(b->cs.ar, 0xc9b);
    CHECK_EQ(b->cs.limit, 0xffffffffu);
    CHECK_EQ(b->ss.ar, 0xc93);
    CHECK_EQ(b->tr.ar, 0x8b);
    CHECK_EQ(b->tr.limit, 0x67);
    CHECK_EQ(b->fs.ar, 0);
    CHECK_EQ(b->dr6, DR6_DEFAULT);
    CHECK(!b->event.pending);
    CHECK(!b->fpu_valid); /* the back end gives it the reset image */
    CHECK_EQ(vcpus[0].arch.mtrr_def_type, 0x806); /* the CPU record leaves MTRRs alone */
    CHECK_EQ(unit_live_pages, 0);
}

TEST(round_trip)
{
    static uint8_t buf[16384];
    struct hvm_boot_state before[NVCPUS];
    uint32_t written;

    setup(0x3); /* vCPU 2 down */
    memcpy(before, vstate, sizeof(before));
    CHECK_EQ(arch_hvm_context_save(&caller, &dom, gva(buf), sizeof(buf), &written), 0);
    /* Scramble what the stream will restore. */
    for (unsigned int i = 0; i < NVCPUS; i++) {
        vcpus[i].arch.tsc_aux = 0;
        vcpus[i].arch.mtrr_def_type = 0;
    }
    vcpus[2].state = VCPU_RUNNABLE;
    vcpus[2].initialised = true;
    CHECK_EQ(arch_hvm_context_load(&caller, &dom, gva(buf), written), 0);
    for (unsigned int i = 0; i < 2; i++) {
        CHECK_EQ(set_calls[i], 1);
        CHECK(same_state(&vstate[i], &before[i]));
        CHECK_EQ(vcpus[i].state, VCPU_RUNNABLE); /* vCPU 1 was blocked: it runs and sees */
        CHECK_EQ(vcpus[i].arch.tsc_aux, 0x100 + i);
        CHECK_EQ(vcpus[i].arch.mtrr_def_type, 0x806);
    }
    /* As Xen: every vCPU goes down; one without a CPU record stays there. */
    CHECK_EQ(set_calls[2], 0);
    CHECK_EQ(stops[2], 1);
    CHECK_EQ(vcpus[2].state, VCPU_DOWN);
    CHECK_EQ(unit_live_pages, 0);
}

TEST(mtrr_only_stream_takes_every_vcpu_down)
{
    static struct stream s;
    struct hvm_hw_mtrr m = good_mtrr(0x0);

    setup(0x7);
    put_header(&s);
    put(&s, HVM_SAVE_CODE_MTRR, 1, &m, MTRR_LEN);
    put_end(&s);
    CHECK_EQ(load(&s), 0);
    for (unsigned int i = 0; i < NVCPUS; i++) {
        CHECK_EQ(vcpus[i].state, VCPU_DOWN);
        CHECK_EQ(set_calls[i], 0);
    }
    CHECK_EQ(vcpus[1].arch.mtrr_def_type, 0);
    CHECK_EQ(vcpus[0].arch.mtrr_def_type, 0x806);
}

TEST(long_mode_record)
{
    struct hvm_hw_cpu c = libxc_cpu(0, 0);

    setup(0);
    c.rip = 0xffffffff80001000ull;
    c.cr0 = CR0_PE | CR0_ET | CR0_PG;
    c.cr4 = CR4_PAE;
    c.cr3 = 0x5000;
    c.msr_efer = EFER_LME | EFER_LMA;
    c.cs_arbytes = 0xa9b;
    c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0; /* null selectors in 64-bit code */
    c.r15 = 0xabcdef;
    c.fs_base = 0x7fff00000000ull;
    CHECK_EQ(load_cpu_record(&c), 0);
    CHECK_EQ(vstate[0].efer, EFER_LME | EFER_LMA);
    CHECK_EQ(vstate[0].regs.r15, 0xabcdef);
    CHECK_EQ(vstate[0].fs.base, 0x7fff00000000ull);
    CHECK_EQ(vcpus[0].state, VCPU_RUNNABLE);
}

/* ---- Loading: refused streams ---- */

TEST(truncated_streams_are_enodata)
{
    static struct stream s;
    struct hvm_hw_cpu c = libxc_cpu(0x100000, 0);
    struct hvm_hw_mtrr m = good_mtrr(0x806);

    setup(0x2);
    put_header(&s);
    put(&s, HVM_SAVE_CODE_MTRR, 0, &m, MTRR_LEN);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, CPU_LEN);
    put_end(&s);
    /* Every prefix: cut in a descriptor, a body, or before END. */
    for (uint32_t len = 0; len < s.len; len++)
        CHECK_EQ(arch_hvm_context_load(&caller, &dom, gva(s.bytes), len), -ENODATA);
    check_untouched(0x2);
    CHECK_EQ(arch_hvm_context_load(&caller, &dom, BAD_GVA, s.len), -EFAULT);
    CHECK_EQ(arch_hvm_context_load(&caller, &dom, 0, s.len), -EFAULT);
    fault_at = gva(s.bytes) + DESC + HDR_LEN + 4;
    CHECK_EQ(load(&s), -EFAULT);
    fault_at = 0;
    unit_allocs_left = 0;
    CHECK_EQ(load(&s), -ENOMEM);
    check_untouched(0x2);
}

TEST(bad_header)
{
    static struct stream s;
    struct hvm_save_header h;
    struct hvm_hw_mtrr m = good_mtrr(0);

#define TRY(field, value, err)                                                                     \
    do {                                                                                           \
        h = good_header();                                                                         \
        h.field = (value);                                                                         \
        s.len = 0;                                                                                 \
        put(&s, HVM_SAVE_CODE_HEADER, 0, &h, HDR_LEN);                                             \
        put_end(&s);                                                                               \
        CHECK_EQ(load(&s), (err));                                                                 \
    } while (0)
    setup(0x1);
    TRY(magic, 0x54381287, -EINVAL);
    TRY(version, 2, -EINVAL);
    TRY(gtsc_khz, TSC_KHZ + 1, -EOPNOTSUPP); /* no TSC scaling */
    check_untouched(0x1);
    TRY(gtsc_khz, 0, 0);
    setup(0x1);
    TRY(cpuid, 0x00800f12, 0); /* another CPU model is fine, as in Xen */
#undef TRY
    setup(0x1);
    h = good_header();
    s.len = 0;
    put(&s, HVM_SAVE_CODE_HEADER, 1, &h, HDR_LEN);
    put_end(&s);
    CHECK_EQ(load(&s), -EINVAL);
    s.len = 0;
    put(&s, HVM_SAVE_CODE_HEADER, 0, &h, HDR_LEN - 4);
    put_end(&s);
    CHECK_EQ(load(&s), -ENODATA);
    /* Not first: a stream must begin with its header. */
    s.len = 0;
    put(&s, HVM_SAVE_CODE_MTRR, 0, &m, MTRR_LEN);
    put(&s, HVM_SAVE_CODE_HEADER, 0, &h, HDR_LEN);
    put_end(&s);
    CHECK_EQ(load(&s), -ENODATA);
    s.len = 0;
    put_end(&s);
    CHECK_EQ(load(&s), -ENODATA);
    check_untouched(0x1);
}

TEST(bad_lengths_and_instances)
{
    static struct stream s;
    static uint8_t body[2048];
    struct hvm_hw_cpu c = libxc_cpu(0x100000, 0);
    struct hvm_hw_mtrr m = good_mtrr(0);
    struct hvm_save_header h = good_header();

    setup(0x1);
    memcpy(body, &c, sizeof(c));
#define TRY(type, inst, len, err)                                                                  \
    do {                                                                                           \
        put_header(&s);                                                                            \
        put(&s, (type), (inst), body, (len));                                                      \
        put_end(&s);                                                                               \
        CHECK_EQ(load(&s), (err));                                                                 \
    } while (0)
    TRY(HVM_SAVE_CODE_CPU, 0, CPU_LEN - 8, -EINVAL); /* Xen's older, shorter layout */
    TRY(HVM_SAVE_CODE_CPU, 0, CPU_LEN + 8, -EINVAL);
    TRY(HVM_SAVE_CODE_CPU, NVCPUS, CPU_LEN, -EINVAL);
    TRY(HVM_SAVE_CODE_CPU, 0xffff, CPU_LEN, -EINVAL);
    memcpy(body, &m, sizeof(m));
    TRY(HVM_SAVE_CODE_MTRR, 0, MTRR_LEN - 1, -EINVAL);
    TRY(HVM_SAVE_CODE_MTRR, NVCPUS, MTRR_LEN, -EINVAL);
    memcpy(body, &h, sizeof(h));
    TRY(HVM_SAVE_CODE_HEADER, 0, HDR_LEN, -EINVAL); /* a second header */
#undef TRY
    /* Twice the same record. */
    put_header(&s);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, CPU_LEN);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, CPU_LEN);
    put_end(&s);
    CHECK_EQ(load(&s), -EINVAL);
    put_header(&s);
    put(&s, HVM_SAVE_CODE_MTRR, 2, &m, MTRR_LEN);
    put(&s, HVM_SAVE_CODE_MTRR, 2, &m, MTRR_LEN);
    put_end(&s);
    CHECK_EQ(load(&s), -EINVAL);
    /* END with a body, with an instance, or followed by more. */
    put_header(&s);
    put(&s, HVM_SAVE_CODE_END, 0, body, 8);
    CHECK_EQ(load(&s), -EINVAL);
    put_header(&s);
    put(&s, HVM_SAVE_CODE_END, 1, NULL, 0);
    CHECK_EQ(load(&s), -EINVAL);
    put_header(&s);
    put_end(&s);
    s.len += 4;
    CHECK_EQ(load(&s), -EINVAL);
    check_untouched(0x1);
}

TEST(records_xenon_does_not_have)
{
    static struct stream s;
    static const uint8_t body[1024];
    static const uint16_t known[] = {
        HVM_SAVE_CODE_PIC,       HVM_SAVE_CODE_LAPIC,      HVM_SAVE_CODE_LAPIC_REGS,
        HVM_SAVE_CODE_PIT,       HVM_SAVE_CODE_CPU_XSAVE,  HVM_SAVE_CODE_TSC_ADJUST,
        HVM_SAVE_CODE_CPU_MSR,
    };
    struct hvm_hw_cpu c = libxc_cpu(0x100000, 0);

    setup(0x1);
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        /* After a good CPU record: it must not be loaded either. */
        put_header(&s);
        put(&s, HVM_SAVE_CODE_CPU, 0, &c, CPU_LEN);
        put(&s, known[i], 0, body, 64);
        put_end(&s);
        CHECK_EQ(load(&s), -EOPNOTSUPP);
    }
    put_header(&s);
    put(&s, HVM_SAVE_CODE_MAX + 1, 0, body, 16);
    put_end(&s);
    CHECK_EQ(load(&s), -EINVAL);
    put_header(&s);
    put(&s, 0x7fff, 0, body, 0);
    put_end(&s);
    CHECK_EQ(load(&s), -EINVAL);
    check_untouched(0x1);
}

/* Changes to libxc's record; the table in bad_register_state says what loading each gives. */
struct mutation {
    const char *what;
    void (*change)(struct hvm_hw_cpu *c);
    int err;
};

#define CHANGE(name, body)                                                                         \
    static void change_##name(struct hvm_hw_cpu *c) { body; }
#define M(name, err) { #name, change_##name, err }

static void long_mode(struct hvm_hw_cpu *c)
{
    c->cr0 |= CR0_PG;
    c->cr4 |= CR4_PAE;
    c->msr_efer = EFER_LME | EFER_LMA;
    c->cs_arbytes = 0xa9b;
}

CHANGE(pg_without_pe, c->cr0 = CR0_ET | CR0_PG)
CHANGE(no_et, c->cr0 = CR0_PE)
CHANGE(cr0_reserved, c->cr0 |= 1ull << 6)
CHANGE(cr0_upper, c->cr0 |= 1ull << 32)
CHANGE(nw_without_cd, c->cr0 |= 1ull << 29)
CHANGE(cr4_osxsave_hidden, c->cr4 = 1ull << 18)
CHANGE(cr4_la57, c->cr4 = 1ull << 12)
CHANGE(cr4_vmxe, c->cr4 = 1ull << 13)
CHANGE(cr4_mce_hidden, c->cr4 = 1ull << 6)
CHANGE(cr4_pcide_outside_long_mode, c->cr4 = 1ull << 17)
CHANGE(cr3_beyond_maxphysaddr, c->cr3 = 1ull << 48)
CHANGE(efer_svme, c->msr_efer = 1ull << 12)
CHANGE(efer_lma_without_lme, c->msr_efer = EFER_LMA)
CHANGE(efer_lme_pg_without_lma, long_mode(c); c->msr_efer = EFER_LME)
CHANGE(long_mode_without_pae, long_mode(c); c->cr4 = 0)
CHANGE(rflags_bit3, c->rflags = 0x2 | 1ull << 3)
CHANGE(rflags_bit22, c->rflags = 0x2 | 1ull << 22)
CHANGE(dr0, c->dr0 = 0x1000)
CHANGE(dr3, c->dr3 = 1)
CHANGE(dr7_upper, c->dr7 |= 1ull << 32)
CHANGE(dr6_upper, c->dr6 |= 1ull << 40)
CHANGE(cs_data, c->cs_arbytes = 0xc93)
CHANGE(cs_not_present, c->cs_arbytes = 0xc1b)
CHANGE(ds_code, c->ds_arbytes = 0xc9b)
CHANGE(ss_null_in_32bit, c->ss_arbytes = 0)
CHANGE(es_system, c->es_arbytes = 0xc83)
CHANGE(selector_wide, c->ds_sel = 0x10000)
CHANGE(arbytes_wide, c->fs_arbytes = 0x1093)
CHANGE(cs_base_upper, c->cs_base = 1ull << 32)
CHANGE(fs_base_noncanonical, c->fs_base = 1ull << 47)
CHANGE(gdtr_noncanonical, c->gdtr_base = 0x8000000000000000ull)
CHANGE(gdtr_limit_wide, c->gdtr_limit = 0x10000)
CHANGE(idtr_limit_wide, c->idtr_limit = 0x10000)
CHANGE(tr_available_tss, c->tr_arbytes = 0x89)
CHANGE(tr_not_present, c->tr_arbytes = 0x0b)
CHANGE(tr_code, c->tr_arbytes = 0x9b)
CHANGE(ldtr_not_ldt, c->ldtr_arbytes = 0x89)
CHANGE(lstar_noncanonical, c->msr_lstar = 0x0000800000000000ull)
CHANGE(shadow_gs_noncanonical, c->shadow_gs = 0x1234000000000000ull)
CHANGE(sysenter_eip_noncanonical, c->sysenter_eip = 0xff00000000000000ull)
CHANGE(sfmask_upper, c->msr_syscall_mask = 1ull << 32)
CHANGE(tsc_aux_upper, c->msr_tsc_aux = 1ull << 32)
CHANGE(event_reserved, c->pending_event = 0x80000000u | 3u << 8 | 6 | 1u << 20)
CHANGE(event_bits_without_valid, c->pending_event = 3u << 8 | 6)
CHANGE(event_nmi_vector, c->pending_event = 0x80000000u | 2u << 8 | 3)
CHANGE(event_exception_32, c->pending_event = 0x80000000u | 3u << 8 | 32)
CHANGE(event_exception_nmi, c->pending_event = 0x80000000u | 3u << 8 | 2)
CHANGE(event_intr_low_vector, c->pending_event = 0x80000000u | 0u << 8 | 8)
CHANGE(event_intr_error, c->pending_event = 0x80000000u | 1u << 11 | 0x30)
CHANGE(event_type_1, c->pending_event = 0x80000000u | 1u << 8 | 0x30)
CHANGE(event_sw_exception, c->pending_event = 0x80000000u | 6u << 8 | 3)
CHANGE(flags_unknown, c->flags = 2)
CHANGE(mxcsr_reserved, c->flags = XEN_X86_FPU_INITIALISED; c->fpu_regs[27] = 0x80)
CHANGE(pad0, c->pad0 = 1)
CHANGE(rip_upper_in_32bit, c->rip = 1ull << 32)
CHANGE(long_mode_cs_l_and_d, long_mode(c); c->cs_arbytes = 0xe9b)
CHANGE(long_mode_rip_noncanonical, long_mode(c); c->rip = 0x0000900000000000ull)
/* Accepted: */
CHANGE(fine_mxcsr_without_fpu_flag, c->fpu_regs[27] = 0x80)
CHANGE(fine_fpu_image,
       c->flags = XEN_X86_FPU_INITIALISED; c->fpu_regs[24] = 0x80; c->fpu_regs[25] = 0x1f)
CHANGE(fine_pending_page_fault, c->pending_event = 0x80000b0e; c->error_code = 2)
CHANGE(fine_pending_interrupt, c->pending_event = 0x80000000u | 0x30)
CHANGE(fine_pending_nmi, c->pending_event = 0x80000000u | 2u << 8 | 2)
CHANGE(fine_rflags_without_bit1, c->rflags = 0x200)
CHANGE(fine_cr4_smep_fsgsbase, c->cr4 = 1ull << 20 | 1ull << 16 | 1ull << 7)
CHANGE(fine_pcide_in_long_mode, long_mode(c); c->cr4 |= 1ull << 17)
CHANGE(fine_tsc_is_ignored, c->tsc = 0x1234)
CHANGE(fine_ldt, c->ldtr_arbytes = 0x82)
CHANGE(fine_16bit_busy_tss, c->tr_arbytes = 0x83)
CHANGE(fine_real_mode,
       c->cr0 = CR0_ET; c->tr_arbytes = 0; c->cs_arbytes = 0x9b; c->cs_limit = 0xffff)

TEST(bad_register_state)
{
    static const struct mutation cases[] = {
        M(pg_without_pe, -EINVAL), M(no_et, -EINVAL), M(cr0_reserved, -EINVAL),
        M(cr0_upper, -EINVAL), M(nw_without_cd, -EINVAL), M(cr4_osxsave_hidden, -EINVAL),
        M(cr4_la57, -EINVAL), M(cr4_vmxe, -EINVAL), M(cr4_mce_hidden, -EINVAL),
        M(cr4_pcide_outside_long_mode, -EINVAL), M(cr3_beyond_maxphysaddr, -EINVAL),
        M(efer_svme, -EINVAL), M(efer_lma_without_lme, -EINVAL),
        M(efer_lme_pg_without_lma, -EINVAL), M(long_mode_without_pae, -EINVAL),
        M(rflags_bit3, -EINVAL), M(rflags_bit22, -EINVAL), M(dr0, -EOPNOTSUPP), M(dr3, -EOPNOTSUPP),
        M(dr7_upper, -EINVAL), M(dr6_upper, -EINVAL), M(cs_data, -EINVAL),
        M(cs_not_present, -EINVAL), M(ds_code, -EINVAL), M(ss_null_in_32bit, -EINVAL),
        M(es_system, -EINVAL), M(selector_wide, -EINVAL), M(arbytes_wide, -EINVAL),
        M(cs_base_upper, -EINVAL), M(fs_base_noncanonical, -EINVAL), M(gdtr_noncanonical, -EINVAL),
        M(gdtr_limit_wide, -EINVAL), M(idtr_limit_wide, -EINVAL), M(tr_available_tss, -EINVAL),
        M(tr_not_present, -EINVAL), M(tr_code, -EINVAL), M(ldtr_not_ldt, -EINVAL),
        M(lstar_noncanonical, -EINVAL), M(shadow_gs_noncanonical, -EINVAL),
        M(sysenter_eip_noncanonical, -EINVAL), M(sfmask_upper, -EINVAL), M(tsc_aux_upper, -EINVAL),
        M(event_reserved, -EINVAL), M(event_bits_without_valid, -EINVAL),
        M(event_nmi_vector, -EINVAL), M(event_exception_32, -EINVAL),
        M(event_exception_nmi, -EINVAL), M(event_intr_low_vector, -EINVAL),
        M(event_intr_error, -EINVAL), M(event_type_1, -EINVAL), M(event_sw_exception, -EOPNOTSUPP),
        M(flags_unknown, -EINVAL), M(mxcsr_reserved, -EINVAL), M(pad0, -EINVAL),
        M(rip_upper_in_32bit, -EINVAL), M(long_mode_cs_l_and_d, -EINVAL),
        M(long_mode_rip_noncanonical, -EINVAL), M(fine_mxcsr_without_fpu_flag, 0),
        M(fine_fpu_image, 0), M(fine_pending_page_fault, 0), M(fine_pending_interrupt, 0),
        M(fine_pending_nmi, 0), M(fine_rflags_without_bit1, 0), M(fine_cr4_smep_fsgsbase, 0),
        M(fine_pcide_in_long_mode, 0), M(fine_tsc_is_ignored, 0), M(fine_ldt, 0),
        M(fine_16bit_busy_tss, 0), M(fine_real_mode, 0),
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct hvm_hw_cpu c = libxc_cpu(0x100000, 0x2000);
        int rc;

        setup(0x2);
        cases[i].change(&c);
        rc = load_cpu_record(&c);
        if (rc != cases[i].err)
            fprintf(stderr, "case %s: %d, expected %d\n", cases[i].what, rc, cases[i].err);
        CHECK_EQ(rc, cases[i].err);
        if (cases[i].err)
            check_untouched(0x2);
        else
            CHECK_EQ(vcpus[0].state, VCPU_RUNNABLE);
    }
}

TEST(loaded_event_and_fpu)
{
    struct hvm_hw_cpu c = libxc_cpu(0x100000, 0);

    setup(0);
    c.pending_event = 0x80000b0d; /* #GP with an error code */
    c.error_code = 0x18;
    c.flags = XEN_X86_FPU_INITIALISED;
    c.fpu_regs[0] = 0x7f;
    c.fpu_regs[1] = 0x03;
    c.fpu_regs[24] = 0x80;
    c.fpu_regs[25] = 0x1f;
    c.fpu_regs[200] = 0x5a;
    c.msr_tsc_aux = 7;
    c.ss_arbytes = 0xcf3; /* DPL 3 */
    c.cs_arbytes = 0xcfb;
    CHECK_EQ(load_cpu_record(&c), 0);
    CHECK(vstate[0].event.pending);
    CHECK_EQ(vstate[0].event.vector, 13);
    CHECK_EQ(vstate[0].event.type, X86_EVENTTYPE_HW_EXCEPTION);
    CHECK(vstate[0].event.has_error);
    CHECK_EQ(vstate[0].event.error, 0x18);
    CHECK(vstate[0].fpu_valid);
    CHECK_EQ(vstate[0].fpu[200], 0x5a);
    CHECK_EQ(vstate[0].ss.ar, 0xcf3);
    CHECK_EQ(vcpus[0].arch.tsc_aux, 7);
}

TEST(bad_mtrr_records)
{
    static struct stream s;
    struct hvm_hw_mtrr m;

#define TRY(change, err)                                                                           \
    do {                                                                                           \
        m = good_mtrr(0x806);                                                                      \
        change;                                                                                    \
        put_header(&s);                                                                            \
        put(&s, HVM_SAVE_CODE_MTRR, 0, &m, MTRR_LEN);                                              \
        put_end(&s);                                                                               \
        CHECK_EQ(load(&s), (err));                                                                 \
    } while (0)
    setup(0x1);
    TRY(m.msr_mtrr_cap = 0x508, -EOPNOTSUPP); /* Xen's 8 variable ranges, fixed, WC */
    TRY(m.msr_mtrr_var[0] = 0x6, -EINVAL);
    TRY(m.msr_mtrr_var[15] = 0x800, -EINVAL);
    TRY(m.msr_mtrr_fixed[0] = 0x0606060606060606ull, -EINVAL);
    TRY(m.msr_mtrr_def_type = 0x801, -EINVAL);  /* WC: not offered */
    TRY(m.msr_mtrr_def_type = 0x802, -EINVAL);  /* reserved type */
    TRY(m.msr_mtrr_def_type = 0xc06, -EINVAL);  /* fixed ranges enabled: none exist */
    TRY(m.msr_mtrr_def_type = 0x1806, -EINVAL); /* reserved bit */
    TRY(m.msr_pat_cr = 0x0007010600070106ull, -EOPNOTSUPP); /* Linux's PAT: ours cannot change */
    check_untouched(0x1);
    TRY(m.msr_mtrr_def_type = 0x805, 0); /* WP */
    CHECK_EQ(vcpus[0].arch.mtrr_def_type, 0x805);
#undef TRY
}

TEST(mtrr_def_type_rule)
{
    CHECK(hvm_mtrr_def_type_valid(0));
    CHECK(hvm_mtrr_def_type_valid(0x806));
    CHECK(hvm_mtrr_def_type_valid(0x804));
    CHECK(hvm_mtrr_def_type_valid(0x6));
    CHECK(!hvm_mtrr_def_type_valid(0x801));
    CHECK(!hvm_mtrr_def_type_valid(0x807));
    CHECK(!hvm_mtrr_def_type_valid(0x400));
    CHECK(!hvm_mtrr_def_type_valid(1ull << 32));
}

/* ---- The boot-state check VCPUOP_initialise shares ---- */

TEST(vcpu_initialise_checks_unchanged)
{
    struct vcpu_hvm_context ctx;

    setup(0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.mode = VCPU_HVM_MODE_32B;
    ctx.cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
        .eip = 0x1000, .cr0 = CR0_PE, .cs_ar = 0xc9b, .ds_ar = 0xc93, .ss_ar = 0xc93,
        .es_ar = 0xc93,
        .cs_limit = ~0u, .ds_limit = ~0u, .ss_limit = ~0u, .es_limit = ~0u,
    };
    CHECK_EQ(arch_vcpu_set_context(&vcpus[1], &ctx), 0);
    CHECK_EQ(set_calls[1], 1);
    CHECK(!vstate[1].full);
    ctx.cpu_regs.x86_32.ds_ar = 0;
    CHECK_EQ(arch_vcpu_set_context(&vcpus[1], &ctx), -EINVAL);
    ctx.cpu_regs.x86_32.ds_ar = 0xc93;
    ctx.cpu_regs.x86_32.cs_ar = 0xc93;
    CHECK_EQ(arch_vcpu_set_context(&vcpus[1], &ctx), -EINVAL);
    ctx.cpu_regs.x86_32.cs_ar = 0xc9b;
    ctx.cpu_regs.x86_32.efer = 1ull << 12;
    CHECK_EQ(arch_vcpu_set_context(&vcpus[1], &ctx), -EINVAL);
    memset(&ctx, 0, sizeof(ctx));
    ctx.mode = VCPU_HVM_MODE_64B;
    ctx.cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
        .rip = 0x1000, .cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PAE, .efer = EFER_LME, .cr3 = 0x3000,
    };
    CHECK_EQ(arch_vcpu_set_context(&vcpus[2], &ctx), 0);
    CHECK_EQ(vstate[2].efer, EFER_LME | EFER_LMA);
    ctx.cpu_regs.x86_64.cr4 = 0;
    CHECK_EQ(arch_vcpu_set_context(&vcpus[2], &ctx), -EINVAL);
    CHECK_EQ(set_calls[2], 1);
}
