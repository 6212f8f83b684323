// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the HVM context tests (hvm_context_fixture.h): a fake back
 * end keeping each vCPU's state in a struct, the CPUID, scheduler and guest
 * memory fakes, the domain of NVCPUS vCPUs, and streams and records built as
 * the toolstack builds them.
 */
#include <string.h>

#include "harness.h"
#include "hvm_context_fixture.h"
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hvm_context.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <public/hvm/save.h>

/* ---- Fakes ---- */

struct domain dom;
struct vcpu vcpus[NVCPUS], caller;
struct hvm_boot_state vstate[NVCPUS]; /* what the back end holds */
unsigned int set_calls[NVCPUS], starts[NVCPUS], stops[NVCPUS];
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
uint64_t fault_at;

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
void setup(unsigned int up_mask)
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

void put(struct stream *s, uint16_t type, uint16_t instance, const void *body, uint32_t len)
{
    struct hvm_save_descriptor d = { type, instance, len };

    memcpy(s->bytes + s->len, &d, DESC);
    if (len)
        memcpy(s->bytes + s->len + DESC, body, len);
    s->len += DESC + len;
}

struct hvm_save_header good_header(void)
{
    return (struct hvm_save_header){ .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION,
                                     .changeset = ~0ull, .cpuid = 0x00a20f10, .gtsc_khz = TSC_KHZ };
}

void put_header(struct stream *s)
{
    struct hvm_save_header h = good_header();

    s->len = 0;
    put(s, HVM_SAVE_CODE_HEADER, 0, &h, HDR_LEN);
}

void put_end(struct stream *s) { put(s, HVM_SAVE_CODE_END, 0, NULL, 0); }

/* vCPU 0's CPU record as libxenctrl 4.17 makes it for a PVH guest (xg_dom_x86.c, vcpu_hvm). */
struct hvm_hw_cpu libxc_cpu(uint32_t entry, uint32_t start_info)
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

struct hvm_hw_mtrr good_mtrr(uint64_t def_type)
{
    return (struct hvm_hw_mtrr){ .msr_pat_cr = GUEST_PAT, .msr_mtrr_cap = HVM_MTRR_CAP,
                                 .msr_mtrr_def_type = def_type };
}

uint64_t gva(const void *p) { return (uint64_t)(uintptr_t)p; }

int load(const struct stream *s)
{
    return arch_hvm_context_load(&caller, &dom, gva(s->bytes), s->len);
}

int load_cpu_record(const struct hvm_hw_cpu *c)
{
    static struct stream s;

    put_header(&s);
    put(&s, HVM_SAVE_CODE_CPU, 0, c, CPU_LEN);
    put_end(&s);
    return load(&s);
}
