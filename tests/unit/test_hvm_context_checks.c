// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks of an HVM context load (arch/x86/hvm_context.c, with the
 * boot-state checks of arch/x86/vcpu_context.c it shares with
 * VCPUOP_initialise): every way a stream, a register state or an MTRR
 * record can be refused, after which nothing may have changed. Saves and
 * good loads are in test_hvm_context.c; the fakes and record builders in
 * hvm_context_fixture.c.
 */
#include <string.h>

#include "harness.h"
#include "hvm_context_fixture.h"
#include <asm/hvm.h>
#include <xenon/arch.h>
#include <xenon/domain.h>
#include <xenon/hvm_context.h>
#include <xenon/mm.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/save.h>

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
