// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HVM context stream (arch/x86/hvm_context.c): what a save writes,
 * partial saves, and loads that succeed: libxenctrl 4.17's PVH sequence,
 * round trips and what a record sets. How a stream or a register state is
 * refused is in test_hvm_context_checks.c; the fakes and record builders in
 * hvm_context_fixture.c.
 */
#include <string.h>

#include "harness.h"
#include "hvm_context_fixture.h"
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <xenon/domain.h>
#include <xenon/hvm_context.h>
#include <xenon/mm.h>
#include <public/hvm/save.h>

static int save(void *buf, uint32_t size, uint32_t *written)
{
    return arch_hvm_context_save(&caller, &dom, gva(buf), size, written);
}

static int one(uint32_t type, uint32_t instance, uint64_t buf, uint64_t *bufsz)
{
    return arch_hvm_context_save_one(&caller, &dom, type, instance, buf, bufsz);
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
