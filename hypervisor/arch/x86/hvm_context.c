/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HVM context stream of a domain (public/hvm/save.h): Xen 4.17's record
 * format for what Xenon keeps of a vCPU. A stream we write holds
 *
 *   HEADER   once
 *   CPU      for each vCPU that is up (as Xen: a vCPU that is down has none,
 *            and stays down when the stream is loaded)
 *   MTRR     for each vCPU: its MTRR MSRs and PAT
 *   END
 *
 * which is what libxenctrl 4.17 needs to start a PVH guest (xg_dom_x86.c,
 * vcpu_hvm): it gets the whole stream for its header, sets each vCPU's MTRR
 * record (default type write-back), then sets header + vCPU 0's CPU record.
 * Nothing else is written: not the state Xenon has no encoding for yet (the
 * vLAPIC's LAPIC and LAPIC_REGS records), nor what it does not have (XSAVE
 * state, MSR lists, emulated devices). A stream holding any such record is
 * refused with -EOPNOTSUPP; unknown type codes are -EINVAL.
 *
 * Loading reads each byte of the caller's buffer once, decodes and checks
 * the whole stream, and only then changes the domain (Xen applies records as
 * it goes), so a refused stream leaves every vCPU as it was. A CPU record
 * passes the checks of a boot state (hvm_check_boot_state) and those below;
 * what a vCPU of Xenon cannot hold is refused, not dropped, except the TSC:
 * a guest's TSC is always the host's (as XEN_DOMCTL_settscinfo's native
 * modes), so the record's value is reported on save and ignored on load.
 */
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hvm_context.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <public/hvm/save.h>

#define DESC_SIZE ((uint32_t)sizeof(struct hvm_save_descriptor))

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
/* PE MP EM TS ET NE WP AM NW CD PG */
#define CR0_VALID (0x3full | 1ull << 16 | 1ull << 18 | 7ull << 29)
/* VME PVI TSD DE PSE PAE (MCE) PGE PCE OSFXSR OSXMMEXCPT: every x86-64 CPU has these. */
#define CR4_BASE 0x7ffull
#define CR4_MCE (1ull << 6)
#define CR4_UMIP (1ull << 11)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
/* Must be 0: bits 3, 5, 15 and 22-63. */
#define RFLAGS_RESERVED (1ull << 3 | 1ull << 5 | 1ull << 15 | ~0ull << 22)
#define RFLAGS_FIXED (1ull << 1)
#define AR_TYPE 0xfu
#define AR_S (1u << 4)
#define AR_P (1u << 7)
#define AR_L (1u << 9)
#define AR_D (1u << 10)
#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28
#define MXCSR_MASK_DEFAULT 0xffbfu

/* The caller's buffer, read or written front to back. */
struct stream {
    struct vcpu *caller;
    uint64_t buf;
    uint32_t size, off;
};

union record {
    struct hvm_save_header hdr;
    struct hvm_hw_cpu cpu;
    struct hvm_hw_mtrr mtrr;
};

/* What a loaded stream gives one vCPU, until all of it has been checked. */
struct loaded_vcpu {
    bool has_cpu, has_mtrr;
    uint32_t tsc_aux;
    uint64_t mtrr_def_type;
    struct hvm_boot_state state;
};

struct loader {
    struct stream in;
    struct domain *d;
    union record rec;
    struct hvm_boot_state now;      /* a vCPU's current state, to compare with */
    struct loaded_vcpu vcpu[];      /* d->nr_vcpus of them */
};

/* Saving: one record body and the vCPU state it is made from. */
struct saver {
    union record rec;
    struct hvm_boot_state state;
};
_Static_assert(sizeof(struct saver) <= PAGE_SIZE, "one page holds a record and a vCPU state");

static unsigned int order_for(size_t bytes)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    return order;
}

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* Has register state a CPU record describes: runs or waits for an event. */
static bool vcpu_is_up(const struct vcpu *v)
{
    enum vcpu_state st = __atomic_load_n(&v->state, __ATOMIC_RELAXED);

    return st == VCPU_RUNNABLE || st == VCPU_BLOCKED;
}

/* ---- Encoding ---- */

static void encode_header(struct hvm_save_header *h)
{
    *h = (struct hvm_save_header){
        .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION,
        .changeset = ~0ull, /* no Xen changeset to name */
        .cpuid = cpuid(1).eax, .gtsc_khz = (uint32_t)tsc_khz(),
    };
}

static uint32_t encode_event(const struct hvm_event *e)
{
    if (!e->pending)
        return 0;
    return e->vector | (uint32_t)e->type << 8 | (e->has_error ? HVM_CPU_EVENT_ERROR_VALID : 0) |
           HVM_CPU_EVENT_VALID;
}

static void encode_cpu(const struct vcpu *v, const struct hvm_boot_state *b, struct hvm_hw_cpu *c)
{
    const struct guest_regs *r = &b->regs;

    *c = (struct hvm_hw_cpu){
        .rax = r->rax, .rbx = r->rbx, .rcx = r->rcx, .rdx = r->rdx, .rbp = r->rbp,
        .rsi = r->rsi, .rdi = r->rdi, .rsp = b->rsp, .r8 = r->r8, .r9 = r->r9, .r10 = r->r10,
        .r11 = r->r11, .r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
        .rip = b->rip, .rflags = b->rflags,
        .cr0 = b->cr0, .cr2 = b->cr2, .cr3 = b->cr3, .cr4 = b->cr4,
        .dr6 = b->dr6, .dr7 = b->dr7, /* DR0-3 are not a vCPU's in Xenon: 0 */
        .cs_sel = b->cs.sel, .ds_sel = b->ds.sel, .es_sel = b->es.sel, .fs_sel = b->fs.sel,
        .gs_sel = b->gs.sel, .ss_sel = b->ss.sel, .tr_sel = b->tr.sel, .ldtr_sel = b->ldtr.sel,
        .cs_limit = b->cs.limit, .ds_limit = b->ds.limit, .es_limit = b->es.limit,
        .fs_limit = b->fs.limit, .gs_limit = b->gs.limit, .ss_limit = b->ss.limit,
        .tr_limit = b->tr.limit, .ldtr_limit = b->ldtr.limit,
        .idtr_limit = b->idtr.limit, .gdtr_limit = b->gdtr.limit,
        .cs_base = b->cs.base, .ds_base = b->ds.base, .es_base = b->es.base,
        .fs_base = b->fs.base, .gs_base = b->gs.base, .ss_base = b->ss.base,
        .tr_base = b->tr.base, .ldtr_base = b->ldtr.base,
        .idtr_base = b->idtr.base, .gdtr_base = b->gdtr.base,
        .cs_arbytes = b->cs.ar, .ds_arbytes = b->ds.ar, .es_arbytes = b->es.ar,
        .fs_arbytes = b->fs.ar, .gs_arbytes = b->gs.ar, .ss_arbytes = b->ss.ar,
        .tr_arbytes = b->tr.ar, .ldtr_arbytes = b->ldtr.ar,
        .sysenter_cs = b->sysenter_cs, .sysenter_esp = b->sysenter_esp,
        .sysenter_eip = b->sysenter_eip, .shadow_gs = b->kernel_gs_base,
        .msr_lstar = b->lstar, .msr_star = b->star, .msr_cstar = b->cstar,
        .msr_syscall_mask = b->sfmask, .msr_efer = b->efer, .msr_tsc_aux = v->arch.tsc_aux,
        .tsc = b->tsc,
        .pending_event = encode_event(&b->event),
        .error_code = b->event.pending && b->event.has_error ? b->event.error : 0,
        .flags = b->fpu_valid ? XEN_X86_FPU_INITIALISED : 0,
    };
    if (b->fpu_valid)
        memcpy(c->fpu_regs, b->fpu, sizeof(c->fpu_regs));
}

/* No ranges exist (HVM_MTRR_CAP): the range MSRs are all zero. */
static void encode_mtrr(const struct vcpu *v, uint64_t pat, struct hvm_hw_mtrr *m)
{
    *m = (struct hvm_hw_mtrr){
        .msr_pat_cr = pat, .msr_mtrr_cap = HVM_MTRR_CAP, .msr_mtrr_def_type = v->arch.mtrr_def_type,
    };
}

/* Encode v's record of this type into s->rec; its length, 0 if v has none. */
static uint32_t encode_record(struct vcpu *v, uint32_t type, struct saver *s)
{
    if (type == HVM_SAVE_CODE_CPU && !vcpu_is_up(v))
        return 0;
    hvm->vcpu_get_state(v, &s->state);
    if (type == HVM_SAVE_CODE_CPU) {
        encode_cpu(v, &s->state, &s->rec.cpu);
        return HVM_SAVE_LENGTH(CPU);
    }
    encode_mtrr(v, s->state.pat, &s->rec.mtrr);
    return HVM_SAVE_LENGTH(MTRR);
}

static int put_record(struct stream *s, uint16_t type, uint16_t instance, const void *body,
                      uint32_t len)
{
    const struct hvm_save_descriptor desc = { .typecode = type, .instance = instance,
                                              .length = len };

    if (s->size - s->off < DESC_SIZE + len)
        return -ENOSPC;
    if (copy_to_guest(s->caller, s->buf + s->off, &desc, DESC_SIZE) ||
        (len && copy_to_guest(s->caller, s->buf + s->off + DESC_SIZE, body, len)))
        return -EFAULT;
    s->off += DESC_SIZE + len;
    return 0;
}

uint32_t arch_hvm_context_size(const struct domain *d)
{
    return DESC_SIZE + HVM_SAVE_LENGTH(HEADER) +
           d->nr_vcpus * (2 * DESC_SIZE + HVM_SAVE_LENGTH(CPU) + HVM_SAVE_LENGTH(MTRR)) + DESC_SIZE;
}

/* Every vCPU's record of one type, in vCPU order. */
static int save_all(struct stream *out, struct domain *d, uint32_t type, struct saver *s)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        uint32_t len;
        int rc;

        if (!d->vcpus[i])
            continue;
        len = encode_record(d->vcpus[i], type, s);
        rc = len ? put_record(out, (uint16_t)type, (uint16_t)i, &s->rec, len) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int arch_hvm_context_save(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size,
                          uint32_t *written)
{
    struct stream out = { .caller = caller, .buf = buf, .size = size };
    struct saver *s = page_alloc_zeroed(0);
    int rc;

    if (!s)
        return -ENOMEM;
    encode_header(&s->rec.hdr);
    rc = put_record(&out, HVM_SAVE_CODE_HEADER, 0, &s->rec.hdr, HVM_SAVE_LENGTH(HEADER));
    if (!rc)
        rc = save_all(&out, d, HVM_SAVE_CODE_CPU, s);
    if (!rc)
        rc = save_all(&out, d, HVM_SAVE_CODE_MTRR, s);
    if (!rc)
        rc = put_record(&out, HVM_SAVE_CODE_END, 0, NULL, 0);
    page_free(s, 0);
    if (!rc)
        *written = out.off;
    return rc;
}

int arch_hvm_context_save_one(struct vcpu *caller, struct domain *d, uint32_t type,
                              uint32_t instance, uint64_t buf, uint64_t *bufsz)
{
    struct saver *s;
    uint32_t len;
    int rc = 0;

    if (type != HVM_SAVE_CODE_CPU && type != HVM_SAVE_CODE_MTRR)
        return -EINVAL;
    if (instance >= d->nr_vcpus || !d->vcpus[instance])
        return -ENOENT;
    s = page_alloc_zeroed(0);
    if (!s)
        return -ENOMEM;
    len = encode_record(d->vcpus[instance], type, s);
    if (!len)
        rc = -ENODATA;
    else if (buf && *bufsz < len)
        rc = -ENOBUFS;
    else if (buf && copy_to_guest(caller, buf, &s->rec, len))
        rc = -EFAULT;
    page_free(s, 0);
    if (!rc)
        *bufsz = len;
    return rc;
}

/* ---- Decoding: the header and the END record ---- */

static int get_bytes(struct stream *s, void *dst, uint32_t len)
{
    if (s->size - s->off < len)
        return -ENODATA;
    if (copy_from_guest(s->caller, dst, s->buf + s->off, len))
        return -EFAULT;
    s->off += len;
    return 0;
}

static int check_header(const struct hvm_save_header *h, uint16_t instance)
{
    if (h->magic != HVM_FILE_MAGIC || h->version != HVM_FILE_VERSION || instance)
        return -EINVAL;
    /* Another host's CPUID only matters through the features the guest uses, as in Xen. */
    if (h->gtsc_khz && h->gtsc_khz != tsc_khz())
        return -EOPNOTSUPP; /* no TSC scaling: the guest runs at the host's rate */
    return 0;
}

static int check_end(const struct loader *l, const struct hvm_save_descriptor *desc)
{
    if (desc->length || desc->instance)
        return -EINVAL;
    /* Nothing may follow: the caller said how long its stream is. */
    return l->in.off == l->in.size ? 0 : -EINVAL;
}

/* ---- Decoding: CPU records ---- */

/* CR4 bits the guest's CPUID allows (the CPU refuses the others at VMRUN). */
static uint64_t cr4_allowed(struct vcpu *v)
{
    struct cpuid_regs l0, l1, l7 = { 0 };
    uint64_t ok = CR4_BASE & ~CR4_MCE;

    hvm_cpuid(v, 0, 0, &l0);
    hvm_cpuid(v, 1, 0, &l1);
    if (l0.eax >= 7)
        hvm_cpuid(v, 7, 0, &l7);
    ok |= (l1.edx & (1u << 7) ? CR4_MCE : 0) | (l1.ecx & (1u << 17) ? CR4_PCIDE : 0) |
          (l1.ecx & (1u << 26) ? CR4_OSXSAVE : 0) | (l7.ebx & (1u << 0) ? CR4_FSGSBASE : 0) |
          (l7.ebx & (1u << 7) ? CR4_SMEP : 0) | (l7.ebx & (1u << 20) ? CR4_SMAP : 0) |
          (l7.ecx & (1u << 2) ? CR4_UMIP : 0);
    return ok;
}

static unsigned int maxphysaddr(struct vcpu *v)
{
    struct cpuid_regs r;

    hvm_cpuid(v, 0x80000008, 0, &r);
    return (r.eax & 0xff) ? r.eax & 0xff : 36;
}

static int check_control_regs(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    bool lma = (c->msr_efer & EFER_LME) && (c->cr0 & CR0_PG);

    if ((c->cr0 & ~CR0_VALID) || !(c->cr0 & CR0_ET) || ((c->cr0 & CR0_NW) && !(c->cr0 & CR0_CD)))
        return -EINVAL;
    if ((c->cr4 & ~cr4_allowed(v)) || ((c->cr4 & CR4_PCIDE) && !lma))
        return -EINVAL;
    if (c->cr3 >> maxphysaddr(v))
        return -EINVAL;
    /* The rest of EFER is hvm_check_boot_state's; LMA must say what LME and PG make it. */
    if (!!(c->msr_efer & EFER_LMA) != lma)
        return -EINVAL;
    if (c->rflags & RFLAGS_RESERVED)
        return -EINVAL;
    if ((c->dr6 | c->dr7) >> 32)
        return -EINVAL;
    /* The hypervisor does not switch DR0-3 (guests' breakpoints are not a vCPU's state yet). */
    if (c->dr0 || c->dr1 || c->dr2 || c->dr3)
        return -EOPNOTSUPP;
    return 0;
}

static bool seg_ok(uint32_t sel, uint32_t ar, uint64_t base, bool base32)
{
    return sel <= 0xffff && ar <= 0xfff && is_canonical(base) && !(base32 && (base >> 32));
}

/* What the boot-state check does not look at: selectors, system segments, bases. */
static int check_segments(const struct hvm_hw_cpu *c)
{
    const struct {
        uint32_t sel, ar;
        uint64_t base;
        bool base32; /* CS, DS, ES, SS: 32-bit bases */
    } segs[] = {
        { c->cs_sel, c->cs_arbytes, c->cs_base, true },
        { c->ds_sel, c->ds_arbytes, c->ds_base, true },
        { c->es_sel, c->es_arbytes, c->es_base, true },
        { c->ss_sel, c->ss_arbytes, c->ss_base, true },
        { c->fs_sel, c->fs_arbytes, c->fs_base, false },
        { c->gs_sel, c->gs_arbytes, c->gs_base, false },
        { c->tr_sel, c->tr_arbytes, c->tr_base, false },
        { c->ldtr_sel, c->ldtr_arbytes, c->ldtr_base, false },
        { 0, 0, c->gdtr_base, false }, { 0, 0, c->idtr_base, false },
    };

    for (size_t i = 0; i < ARRAY_SIZE(segs); i++)
        if (!seg_ok(segs[i].sel, segs[i].ar, segs[i].base, segs[i].base32))
            return -EINVAL;
    if (c->gdtr_limit > 0xffff || c->idtr_limit > 0xffff)
        return -EINVAL;
    if (!(c->cr0 & CR0_PE))
        return 0;
    /* Protected mode: TR a present busy TSS (16- or 32/64-bit), LDTR unusable or an LDT. */
    if (!(c->tr_arbytes & AR_P) || (c->tr_arbytes & AR_S) ||
        ((c->tr_arbytes & AR_TYPE) != 0x3 && (c->tr_arbytes & AR_TYPE) != 0xb))
        return -EINVAL;
    if ((c->ldtr_arbytes & AR_P) && ((c->ldtr_arbytes & (AR_S | AR_TYPE)) != 0x2))
        return -EINVAL;
    return 0;
}

/* MSRs WRMSR would refuse: non-canonical addresses, reserved upper halves. */
static int check_msrs(const struct hvm_hw_cpu *c)
{
    if (!is_canonical(c->shadow_gs) || !is_canonical(c->msr_lstar) || !is_canonical(c->msr_cstar) ||
        !is_canonical(c->sysenter_esp) || !is_canonical(c->sysenter_eip))
        return -EINVAL;
    if ((c->sysenter_cs | c->msr_syscall_mask | c->msr_tsc_aux) >> 32)
        return -EINVAL;
    return 0;
}

/* An event the vCPU had not taken yet: one the back end can inject again. */
static int check_event(const struct hvm_hw_cpu *c)
{
    uint32_t e = c->pending_event;
    unsigned int vector = HVM_CPU_EVENT_VECTOR(e);

    if (!(e & HVM_CPU_EVENT_VALID))
        return e ? -EINVAL : 0;
    if (e & HVM_CPU_EVENT_RESERVED)
        return -EINVAL;
    switch (HVM_CPU_EVENT_TYPE(e)) {
    case X86_EVENTTYPE_HW_EXCEPTION:
        return vector < 32 && vector != 2 ? 0 : -EINVAL;
    case X86_EVENTTYPE_EXT_INTR:
        return vector >= 16 && !(e & HVM_CPU_EVENT_ERROR_VALID) ? 0 : -EINVAL;
    case X86_EVENTTYPE_NMI:
        return vector == 2 && !(e & HVM_CPU_EVENT_ERROR_VALID) ? 0 : -EINVAL;
    case X86_EVENTTYPE_SW_INTERRUPT:
        return !(e & HVM_CPU_EVENT_ERROR_VALID) ? 0 : -EINVAL;
    case 5: /* privileged / software exception (ICEBP, INT3): Xen's, not expressible here */
    case 6:
        return -EOPNOTSUPP;
    default:
        return -EINVAL;
    }
}

/* FXRSTOR faults on an MXCSR with bits this CPU does not have: never let one through. */
static uint32_t mxcsr_mask(void)
{
    uint8_t img[512] __attribute__((aligned(16)));
    uint32_t mask;

    __asm__ volatile("fxsave64 %0" : "=m"(img));
    memcpy(&mask, img + FXSAVE_MXCSR_MASK, sizeof(mask));
    return mask ? mask : MXCSR_MASK_DEFAULT;
}

static int check_fpu(const struct hvm_hw_cpu *c)
{
    uint32_t mxcsr;

    if (c->flags & ~XEN_X86_FPU_INITIALISED)
        return -EINVAL;
    if (!(c->flags & XEN_X86_FPU_INITIALISED))
        return 0;
    memcpy(&mxcsr, c->fpu_regs + FXSAVE_MXCSR, sizeof(mxcsr));
    return mxcsr & ~mxcsr_mask() ? -EINVAL : 0;
}

static struct hvm_seg seg(uint32_t sel, uint32_t ar, uint32_t limit, uint64_t base)
{
    return (struct hvm_seg){ .sel = (uint16_t)sel, .ar = (uint16_t)ar, .limit = limit,
                             .base = base };
}

static struct hvm_event decode_event(const struct hvm_hw_cpu *c)
{
    uint32_t e = c->pending_event;

    if (!(e & HVM_CPU_EVENT_VALID))
        return (struct hvm_event){ 0 };
    return (struct hvm_event){
        .pending = true,
        .vector = (uint8_t)HVM_CPU_EVENT_VECTOR(e),
        .type = (uint8_t)HVM_CPU_EVENT_TYPE(e),
        .has_error = e & HVM_CPU_EVENT_ERROR_VALID,
        .error = e & HVM_CPU_EVENT_ERROR_VALID ? c->error_code : 0,
    };
}

/* A checked record to the state the back end loads. */
static void cpu_to_state(const struct hvm_hw_cpu *c, struct hvm_boot_state *b)
{
    *b = (struct hvm_boot_state){
        .regs = { .rax = c->rax, .rbx = c->rbx, .rcx = c->rcx, .rdx = c->rdx, .rsi = c->rsi,
                  .rdi = c->rdi, .rbp = c->rbp, .r8 = c->r8, .r9 = c->r9, .r10 = c->r10,
                  .r11 = c->r11, .r12 = c->r12, .r13 = c->r13, .r14 = c->r14, .r15 = c->r15 },
        .rsp = c->rsp, .rip = c->rip, .rflags = c->rflags | RFLAGS_FIXED,
        .cr0 = c->cr0, .cr3 = c->cr3, .cr4 = c->cr4, .efer = c->msr_efer,
        .cs = seg(c->cs_sel, c->cs_arbytes, c->cs_limit, c->cs_base),
        .ds = seg(c->ds_sel, c->ds_arbytes, c->ds_limit, c->ds_base),
        .es = seg(c->es_sel, c->es_arbytes, c->es_limit, c->es_base),
        .ss = seg(c->ss_sel, c->ss_arbytes, c->ss_limit, c->ss_base),
        .tr = seg(c->tr_sel, c->tr_arbytes, c->tr_limit, c->tr_base),
        .full = true,
        .fs = seg(c->fs_sel, c->fs_arbytes, c->fs_limit, c->fs_base),
        .gs = seg(c->gs_sel, c->gs_arbytes, c->gs_limit, c->gs_base),
        .ldtr = seg(c->ldtr_sel, c->ldtr_arbytes, c->ldtr_limit, c->ldtr_base),
        .gdtr = seg(0, 0, c->gdtr_limit, c->gdtr_base),
        .idtr = seg(0, 0, c->idtr_limit, c->idtr_base),
        .cr2 = c->cr2, .dr6 = c->dr6, .dr7 = c->dr7,
        .sysenter_cs = c->sysenter_cs, .sysenter_esp = c->sysenter_esp,
        .sysenter_eip = c->sysenter_eip, .star = c->msr_star, .lstar = c->msr_lstar,
        .cstar = c->msr_cstar, .sfmask = c->msr_syscall_mask, .kernel_gs_base = c->shadow_gs,
        .event = decode_event(c),
        .fpu_valid = c->flags & XEN_X86_FPU_INITIALISED,
    };
    if (b->fpu_valid)
        memcpy(b->fpu, c->fpu_regs, sizeof(b->fpu));
}

/* After hvm_check_boot_state: what the mode of the code segment demands. */
static int check_mode(const struct hvm_boot_state *b)
{
    if (!(b->efer & EFER_LMA) || !(b->cs.ar & AR_L))
        return b->rip >> 32 ? -EINVAL : 0;
    if (b->cs.ar & AR_D)
        return -EINVAL; /* L and D together are reserved */
    return is_canonical(b->rip) ? 0 : -EINVAL;
}

static int decode_cpu(struct vcpu *v, const struct hvm_hw_cpu *c, struct loaded_vcpu *lv)
{
    int rc = c->pad0 ? -EINVAL : check_control_regs(v, c);

    if (!rc)
        rc = check_segments(c);
    if (!rc)
        rc = check_msrs(c);
    if (!rc)
        rc = check_event(c);
    if (!rc)
        rc = check_fpu(c);
    if (rc)
        return rc;
    cpu_to_state(c, &lv->state);
    rc = hvm_check_boot_state(&lv->state);
    if (!rc)
        rc = check_mode(&lv->state);
    if (rc)
        return rc;
    lv->tsc_aux = (uint32_t)c->msr_tsc_aux;
    lv->has_cpu = true;
    return 0;
}

/* ---- Decoding: MTRR records ---- */

static int decode_mtrr(struct loader *l, struct vcpu *v, const struct hvm_hw_mtrr *m,
                       struct loaded_vcpu *lv)
{
    /* Ranges we do not emulate cannot be restored; ours are none, so their MSRs are zero. */
    if (m->msr_mtrr_cap != HVM_MTRR_CAP)
        return -EOPNOTSUPP;
    for (unsigned int i = 0; i < HVM_HW_MTRR_VAR_PAIRS * 2; i++)
        if (m->msr_mtrr_var[i])
            return -EINVAL;
    for (unsigned int i = 0; i < HVM_HW_MTRR_FIXED; i++)
        if (m->msr_mtrr_fixed[i])
            return -EINVAL;
    if (!hvm_mtrr_def_type_valid(m->msr_mtrr_def_type))
        return -EINVAL;
    /* Guests cannot change their PAT under Xenon: only the one they have loads. */
    hvm->vcpu_get_state(v, &l->now);
    if (m->msr_pat_cr != l->now.pat)
        return -EOPNOTSUPP;
    lv->mtrr_def_type = m->msr_mtrr_def_type;
    lv->has_mtrr = true;
    return 0;
}

/* ---- Decoding: the stream ---- */

/* The record's vCPU, if its type, length and instance are right and it is its first. */
static int record_target(struct loader *l, const struct hvm_save_descriptor *desc, struct vcpu **v)
{
    const struct domain *d = l->d;
    uint32_t want;
    bool seen;

    switch (desc->typecode) {
    case HVM_SAVE_CODE_CPU:
        want = HVM_SAVE_LENGTH(CPU);
        break;
    case HVM_SAVE_CODE_MTRR:
        want = HVM_SAVE_LENGTH(MTRR);
        break;
    case HVM_SAVE_CODE_HEADER:
        return -EINVAL; /* a second one */
    default:
        printk_guest(LOG_INFO, "d%u: HVM context record type %u %s", d->id, desc->typecode,
                     desc->typecode <= HVM_SAVE_CODE_MAX ? "is not supported" : "is unknown");
        return desc->typecode <= HVM_SAVE_CODE_MAX ? -EOPNOTSUPP : -EINVAL;
    }
    if (desc->length != want || desc->instance >= d->nr_vcpus || !d->vcpus[desc->instance])
        return -EINVAL;
    seen = desc->typecode == HVM_SAVE_CODE_CPU ? l->vcpu[desc->instance].has_cpu
                                               : l->vcpu[desc->instance].has_mtrr;
    *v = d->vcpus[desc->instance];
    return seen ? -EINVAL : 0;
}

static int decode_record(struct loader *l, const struct hvm_save_descriptor *desc)
{
    struct loaded_vcpu *lv;
    struct vcpu *v;
    int rc = record_target(l, desc, &v);

    if (!rc)
        rc = get_bytes(&l->in, &l->rec, desc->length);
    if (rc)
        return rc;
    lv = &l->vcpu[desc->instance];
    if (desc->typecode == HVM_SAVE_CODE_CPU)
        rc = decode_cpu(v, &l->rec.cpu, lv);
    else
        rc = decode_mtrr(l, v, &l->rec.mtrr, lv);
    if (rc)
        printk_guest(LOG_DEBUG, "d%u: HVM context record type %u of vCPU %u refused (%d)", l->d->id,
                     desc->typecode, desc->instance, rc);
    return rc;
}

static int decode_stream(struct loader *l)
{
    struct hvm_save_descriptor desc;
    int rc = get_bytes(&l->in, &desc, DESC_SIZE);

    /* As Xen: a stream without its header at the front is short of data. */
    if (!rc && (desc.typecode != HVM_SAVE_CODE_HEADER || desc.length != HVM_SAVE_LENGTH(HEADER)))
        rc = -ENODATA;
    if (!rc)
        rc = get_bytes(&l->in, &l->rec.hdr, HVM_SAVE_LENGTH(HEADER));
    if (!rc)
        rc = check_header(&l->rec.hdr, desc.instance);
    while (!rc) {
        rc = get_bytes(&l->in, &desc, DESC_SIZE);
        if (rc)
            break;
        if (desc.typecode == HVM_SAVE_CODE_END)
            return check_end(l, &desc);
        rc = decode_record(l, &desc);
    }
    return rc;
}

/* Cannot fail: every vCPU down, as in Xen, then up again with the state it was given. */
static void apply(struct loader *l)
{
    struct domain *d = l->d;

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i])
            sched_vcpu_stop(d->vcpus[i], VCPU_DOWN);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct loaded_vcpu *lv = &l->vcpu[i];
        struct vcpu *v = d->vcpus[i];

        if (lv->has_mtrr)
            v->arch.mtrr_def_type = lv->mtrr_def_type;
        if (!lv->has_cpu)
            continue;
        hvm->vcpu_set_boot_state(v, &lv->state);
        v->arch.tsc_aux = lv->tsc_aux;
        v->initialised = true;
        sched_vcpu_start(v);
    }
}

int arch_hvm_context_load(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size)
{
    size_t bytes = sizeof(struct loader) + d->nr_vcpus * sizeof(struct loaded_vcpu);
    unsigned int order = order_for(bytes);
    struct loader *l = page_alloc_zeroed(order);
    int rc;

    if (!l)
        return -ENOMEM;
    l->in = (struct stream){ .caller = caller, .buf = buf, .size = size };
    l->d = d;
    rc = decode_stream(l);
    if (!rc)
        apply(l);
    page_free(l, order);
    return rc;
}
