/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Initial vCPU register state: the PVH entry (Xen's docs/misc/pvh.pandoc:
 * 32-bit flat protected mode, paging off, EBX = start info) and guest-supplied
 * state for VCPUOP_initialise, checked here before the back end loads it.
 * The CPU records of XEN_DOMCTL_sethvmcontext pass the same checks
 * (hvm_check_boot_state) besides their own (hvm_context.c).
 */
#include <asm/hvm.h>
#include <xenon/arch.h>
#include <xenon/lib.h>
#include <public/hvm/hvm_vcpu.h>

#define AR_CODE32 0xc9b /* execute/read, accessed, S, P, D, G */
#define AR_CODE64 0xa9b /* execute/read, accessed, S, P, L, G */
#define AR_DATA 0xc93   /* read/write, accessed, S, P, D, G */
#define AR_TSS_BUSY 0x8b
#define AR_P (1u << 7)
#define AR_S (1u << 4)
#define AR_CODE (1u << 3)
#define AR_L (1u << 9)

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define RFLAGS_FIXED (1ull << 1)

static struct hvm_seg flat(uint16_t sel, uint16_t ar)
{
    return (struct hvm_seg){ .sel = sel, .ar = ar, .limit = 0xffffffffu, .base = 0 };
}

void arch_vcpu_set_pvh_entry(struct vcpu *v, uint32_t entry, uint32_t start_info)
{
    struct hvm_boot_state b = {
        .rip = entry, .rflags = RFLAGS_FIXED, .cr0 = CR0_PE | CR0_ET,
        .cs = flat(0x08, AR_CODE32), .ds = flat(0x10, AR_DATA),
        .tr = { .sel = 0x18, .ar = AR_TSS_BUSY, .limit = 0x67 },
    };

    b.es = b.ss = b.ds;
    b.regs.rbx = start_info;
    hvm->vcpu_set_boot_state(v, &b);
}

/* Where a STARTUP IPI sends an AP: real mode at vector * 4 KiB (Intel SDM 3A 8.4.4.1). */
void arch_vcpu_set_sipi_entry(struct vcpu *v, uint8_t vector)
{
    const struct hvm_seg data = { .sel = 0, .ar = AR_P | AR_S | 0x3, .limit = 0xffff, .base = 0 };
    struct hvm_boot_state b = {
        .rip = 0, .rflags = RFLAGS_FIXED, .cr0 = CR0_ET,
        .cs = { .sel = (uint16_t)(vector << 8), .ar = AR_P | AR_S | AR_CODE | 0x3, .limit = 0xffff,
                .base = (uint64_t)vector << 12 },
        .tr = { .sel = 0, .ar = AR_TSS_BUSY, .limit = 0xffff },
    };

    b.ds = b.es = b.ss = data;
    hvm->vcpu_set_boot_state(v, &b);
}

/* Control registers the guest may start with; the rest is the CPU's consistency checks' job. */
static int check_control(uint64_t cr0, uint64_t cr4, uint64_t *efer)
{
    if (*efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
        return -EINVAL;
    if ((cr0 & CR0_PG) && !(cr0 & CR0_PE))
        return -EINVAL;
    *efer &= ~EFER_LMA;
    if ((*efer & EFER_LME) && (cr0 & CR0_PG)) {
        if (!(cr4 & CR4_PAE))
            return -EINVAL;
        *efer |= EFER_LMA;
    }
    return 0;
}

static bool seg_usable(uint16_t ar, bool code)
{
    return (ar & AR_P) && (ar & AR_S) && !!(ar & AR_CODE) == code;
}

/* In 64-bit code a data segment may also be null (not present), as a null selector leaves it. */
static bool data_seg_ok(uint16_t ar, bool long_code)
{
    return seg_usable(ar, false) || (long_code && !(ar & AR_P));
}

int hvm_check_boot_state(struct hvm_boot_state *b)
{
    bool long_code = (b->efer & EFER_LME) && (b->cr0 & CR0_PG) && (b->cs.ar & AR_L);

    if (!seg_usable(b->cs.ar, true) || !data_seg_ok(b->ds.ar, long_code) ||
        !data_seg_ok(b->ss.ar, long_code) || !data_seg_ok(b->es.ar, long_code))
        return -EINVAL;
    return check_control(b->cr0, b->cr4, &b->efer);
}

static int from_32(const struct vcpu_hvm_x86_32 *c, struct hvm_boot_state *b)
{
    b->efer = c->efer;
    b->regs = (struct guest_regs){ .rax = c->eax, .rbx = c->ebx, .rcx = c->ecx, .rdx = c->edx,
                                   .rsi = c->esi, .rdi = c->edi, .rbp = c->ebp };
    b->rsp = c->esp;
    b->rip = c->eip;
    b->rflags = c->eflags | RFLAGS_FIXED;
    b->cr0 = c->cr0 | CR0_ET;
    b->cr3 = c->cr3;
    b->cr4 = c->cr4;
    b->cs = (struct hvm_seg){ 0x08, c->cs_ar, c->cs_limit, c->cs_base };
    b->ds = (struct hvm_seg){ 0x10, c->ds_ar, c->ds_limit, c->ds_base };
    b->ss = (struct hvm_seg){ 0x10, c->ss_ar, c->ss_limit, c->ss_base };
    b->es = (struct hvm_seg){ 0x10, c->es_ar, c->es_limit, c->es_base };
    b->tr = c->tr_ar ? (struct hvm_seg){ 0x18, c->tr_ar, c->tr_limit, c->tr_base }
                     : (struct hvm_seg){ .sel = 0x18, .ar = AR_TSS_BUSY, .limit = 0x67 };
    return 0;
}

static int from_64(const struct vcpu_hvm_x86_64 *c, struct hvm_boot_state *b)
{
    /* Long mode straight away: paging, PAE and LME are not optional. */
    if (!(c->cr0 & CR0_PG) || !(c->cr0 & CR0_PE) || !(c->cr4 & CR4_PAE) || !(c->efer & EFER_LME))
        return -EINVAL;
    b->efer = c->efer;
    b->regs = (struct guest_regs){ .rax = c->rax, .rbx = c->rbx, .rcx = c->rcx, .rdx = c->rdx,
                                   .rsi = c->rsi, .rdi = c->rdi, .rbp = c->rbp };
    b->rsp = c->rsp;
    b->rip = c->rip;
    b->rflags = c->rflags | RFLAGS_FIXED;
    b->cr0 = c->cr0 | CR0_ET;
    b->cr3 = c->cr3;
    b->cr4 = c->cr4;
    b->cs = flat(0x08, AR_CODE64);
    b->ds = b->es = b->ss = flat(0x10, AR_DATA);
    b->tr = (struct hvm_seg){ .sel = 0x18, .ar = AR_TSS_BUSY, .limit = 0x67 };
    return 0;
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct hvm_boot_state b = { 0 };
    int rc;

    if (ctx->mode == VCPU_HVM_MODE_32B)
        rc = from_32(&ctx->cpu_regs.x86_32, &b);
    else if (ctx->mode == VCPU_HVM_MODE_64B)
        rc = from_64(&ctx->cpu_regs.x86_64, &b);
    else
        return -EINVAL;
    if (!rc)
        rc = hvm_check_boot_state(&b);
    if (rc)
        return rc;
    hvm->vcpu_set_boot_state(v, &b);
    return 0;
}
