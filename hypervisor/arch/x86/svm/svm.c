/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-V back end: enabling SVM, VMCB set-up, the run loop. */
#include "svm.h"
#include <asm/apic.h>
#include <asm/vlapic.h>
#include <asm/cpu.h>
#include <asm/boot_defs.h>
#include <xenon/arch.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define NO_SHADOW_RIP (~0ull) /* svm_vcpu.shadow_rip: no shadow kept */
#define VM_CR_SVMDIS (1u << 4)
#define CPUID_SVM_NPT (1u << 0)
#define CPUID_SVM_NRIPS (1u << 3)
#define PAT_DEFAULT 0x0007040600070406ull

_Static_assert(offsetof(struct guest_regs, rbx) == 8 && offsetof(struct guest_regs, r15) == 112,
               "guest_regs offsets used by svm/entry.S");

bool svm_has_nrips;
paddr_t svm_iopm_pa, svm_hwdom_iopm_pa, svm_msrpm_pa;
static uint32_t max_asid;

/*
 * All guests share ASID 1. A pCPU flushes the guest TLB whenever it enters
 * a different domain, or the same one after its nested page tables changed
 * (tlb_gen), so no guest ever uses a stale or foreign translation.
 */
#define GUEST_ASID 1

struct svm_pcpu {
    paddr_t host_vmcb_pa;             /* host state VMRUN does not restore */
    const struct domain *last_domain; /* whose translations the TLB may hold */
    const struct vcpu *last_vcpu;     /* ... and which vCPU's: all share the domain's ASID */
    uint64_t last_gen;
    struct domain *volatile in_guest; /* whose guest this pCPU is in (GIF clear to exit), or NULL */
    volatile uint64_t entries;        /* guest entries so far: flushers wait on it */
    uint64_t tsc_aux;                 /* in the MSR now; > UINT32_MAX: unknown */
};
static struct svm_pcpu svm_pcpu[MAX_PCPUS];

static struct svm_pcpu *this_svm(void) { return &svm_pcpu[smp_processor_id()]; }

/* Let the guest own the MSRs VMRUN/VMLOAD switch for us. */
static void msrpm_allow(uint8_t *msrpm, uint32_t msr)
{
    uint32_t base, bit;

    if (msr < 0x2000)
        base = 0;
    else if (msr >= 0xc0000000 && msr < 0xc0002000)
        base = 0x800 * 8, msr -= 0xc0000000;
    else
        return;
    bit = base + msr * 2;
    msrpm[bit / 8] &= (uint8_t)~(3u << (bit % 8)); /* read and write */
}

/* Ports the hypervisor keeps from the hardware domain: its console and QEMU's exit device. */
static const struct {
    uint16_t first, last;
} hypervisor_ports[] = {
    { 0x3f8, 0x3ff }, /* COM1 */
    { 0xf4, 0xf7 },   /* isa-debug-exit (tests' power-off status) */
};

static int setup_permission_maps(void)
{
    static const uint32_t passthrough[] = {
        MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
        MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
    };
    uint8_t *iopm = page_alloc_zeroed(2), *hw_iopm = page_alloc_zeroed(2), *msrpm = page_alloc_zeroed(1);

    if (!iopm || !hw_iopm || !msrpm)
        return -ENOMEM;
    memset(iopm, 0xff, 4 * PAGE_SIZE);  /* 12 KiB used: every port intercepted */
    memset(msrpm, 0xff, 2 * PAGE_SIZE); /* every MSR intercepted ... */
    for (size_t i = 0; i < ARRAY_SIZE(passthrough); i++)
        msrpm_allow(msrpm, passthrough[i]); /* ... but these */
    /* The hardware domain owns every port but the hypervisor's own (the intercept bits stay 0). */
    for (size_t i = 0; i < ARRAY_SIZE(hypervisor_ports); i++)
        for (unsigned int port = hypervisor_ports[i].first; port <= hypervisor_ports[i].last; port++)
            hw_iopm[port / 8] |= (uint8_t)(1u << (port % 8));
    memset(hw_iopm + 0x10000 / 8, 0xff, 4 * PAGE_SIZE - 0x10000 / 8); /* accesses that wrap past 0xffff */
    svm_iopm_pa = virt_to_maddr(iopm);
    svm_hwdom_iopm_pa = virt_to_maddr(hw_iopm);
    svm_msrpm_pa = virt_to_maddr(msrpm);
    return 0;
}

static int svm_cpu_init(void)
{
    struct cpuid_regs r = cpuid(0x8000000a);
    void *hsave, *host_vmcb;

    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        log_err("SVM is disabled by the firmware");
        return -ENODEV;
    }
    if (!(r.edx & CPUID_SVM_NPT)) {
        log_err("SVM without nested paging is not supported");
        return -ENODEV;
    }
    svm_has_nrips = r.edx & CPUID_SVM_NRIPS;
    max_asid = r.ebx;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    hsave = page_alloc_zeroed(0);
    host_vmcb = page_alloc_zeroed(0);
    if (!hsave || !host_vmcb)
        return -ENOMEM;
    wrmsr(MSR_VM_HSAVE_PA, virt_to_maddr(hsave));
    /* After GS base is set: VMLOAD of this restores it on every exit. */
    this_svm()->host_vmcb_pa = virt_to_maddr(host_vmcb);
    this_svm()->tsc_aux = UINT64_MAX;
    __asm__ volatile("vmsave %0" ::"a"(this_svm()->host_vmcb_pa) : "memory");
    if (svm_iopm_pa)
        return 0;
    log_info("SVM: %u ASIDs, NPT%s", max_asid, svm_has_nrips ? ", NRIP save" : "");
    return setup_permission_maps();
}

static int svm_domain_init(struct domain *d)
{
    void *root;

    root = page_alloc_zeroed(0);
    if (!root)
        return -ENOMEM;
    d->arch.npt_root = virt_to_maddr(root);
    d->arch.asid = GUEST_ASID; /* ASID 0 is the host's */
    return 0;
}

static void svm_domain_destroy(struct domain *d)
{
    /* A new domain may reuse this memory: never let it inherit a TLB. */
    for (unsigned int cpu = 0; cpu < MAX_PCPUS; cpu++)
        if (svm_pcpu[cpu].last_domain == d)
            svm_pcpu[cpu].last_domain = NULL;
    npt_free(d);
}

static void init_fpu_image(uint8_t *fpu)
{
    memset(fpu, 0, 512);
    *(uint16_t *)(fpu + 0) = 0x037f;     /* FCW after FNINIT */
    *(uint32_t *)(fpu + 24) = 0x1f80;    /* MXCSR reset value */
}

static void init_control(struct vcpu *v, struct vmcb_control *c)
{
    c->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI | INTERCEPT_INIT |
                         INTERCEPT_CPUID | INTERCEPT_INVD | INTERCEPT_HLT | INTERCEPT_IOIO |
                         INTERCEPT_MSR | INTERCEPT_TASK_SWITCH | INTERCEPT_SHUTDOWN;
    c->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                         INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT |
                         INTERCEPT_MONITOR | INTERCEPT_MWAIT | INTERCEPT_XSETBV;
    c->iopm_base_pa = is_hardware_domain(v->domain) ? svm_hwdom_iopm_pa : svm_iopm_pa;
    c->msrpm_base_pa = svm_msrpm_pa;
    c->asid = v->domain->arch.asid;
    c->tlb_control = TLB_CONTROL_FLUSH_ALL;
    c->vintr = VINTR_MASKING;
    c->np_enable = NP_ENABLE;
    c->n_cr3 = v->domain->arch.npt_root;
}

static int svm_vcpu_init(struct vcpu *v)
{
    struct svm_vcpu *s = page_alloc_zeroed(1);
    struct vmcb *vmcb = page_alloc_zeroed(0);

    if (!s || !vmcb) {
        if (s)
            page_free(s, 1);
        if (vmcb)
            page_free(vmcb, 0);
        return -ENOMEM;
    }
    _Static_assert(sizeof(struct svm_vcpu) <= 2 * PAGE_SIZE, "svm_vcpu fits its allocation");
    s->vmcb = vmcb;
    s->vmcb_pa = virt_to_maddr(vmcb);
    s->offered_vlapic = -1;
    s->shadow_rip = NO_SHADOW_RIP;
    init_fpu_image(s->fpu);
    v->arch.vendor = s;
    init_control(v, &vmcb->control);
    vmcb->save.g_pat = PAT_DEFAULT;
    vmcb->save.efer = EFER_SVME;
    vmcb->save.cr0 = 0x10; /* ET */
    vmcb->save.dr6 = 0xffff0ff0;
    vmcb->save.dr7 = 0x400;
    vmcb->save.rflags = 0x2;
    return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
    struct svm_vcpu *s = to_svm(v);

    if (!s)
        return;
    if (s->vmcb)
        page_free(s->vmcb, 0);
    page_free(s, 1);
    v->arch.vendor = NULL;
}

static struct vmcb_seg to_vmcb_seg(const struct hvm_seg *h)
{
    return (struct vmcb_seg){ .sel = h->sel, .attr = h->ar, .limit = h->limit, .base = h->base };
}

static struct hvm_seg from_vmcb_seg(const struct vmcb_seg *s)
{
    return (struct hvm_seg){ .sel = s->sel, .ar = s->attr, .limit = s->limit, .base = s->base };
}

/* EVENTINJ (APM vol. 2, 15.20): vector 0-7, type 8-10, EV 11, V 31, error code 32-63. */
static uint64_t to_eventinj(const struct hvm_event *e)
{
    if (!e->pending)
        return 0;
    return e->vector | (uint64_t)e->type << 8 | (e->has_error ? EVENTINJ_ERROR_VALID : 0) |
           EVENTINJ_VALID | (uint64_t)e->error << 32;
}

static struct hvm_event from_eventinj(uint64_t ev)
{
    if (!(ev & EVENTINJ_VALID))
        return (struct hvm_event){ 0 };
    return (struct hvm_event){ .pending = true, .vector = (uint8_t)ev, .type = (ev >> 8) & 7,
                               .has_error = ev & EVENTINJ_ERROR_VALID,
                               .error = (uint32_t)(ev >> 32) };
}

/* The part of a saved vCPU a boot entry leaves at its reset values. */
static void load_full_state(struct svm_vcpu *sv, const struct hvm_boot_state *b)
{
    struct vmcb_save *s = &sv->vmcb->save;

    s->fs = to_vmcb_seg(&b->fs);
    s->gs = to_vmcb_seg(&b->gs);
    s->ldtr = to_vmcb_seg(&b->ldtr);
    s->gdtr = (struct vmcb_seg){ .limit = b->gdtr.limit, .base = b->gdtr.base };
    s->idtr = (struct vmcb_seg){ .limit = b->idtr.limit, .base = b->idtr.base };
    s->cpl = (b->ss.ar >> 5) & 3; /* SS.DPL, as the CPU keeps it */
    s->cr2 = b->cr2;
    s->dr6 = b->dr6;
    s->dr7 = b->dr7;
    s->sysenter_cs = b->sysenter_cs;
    s->sysenter_esp = b->sysenter_esp;
    s->sysenter_eip = b->sysenter_eip;
    s->star = b->star;
    s->lstar = b->lstar;
    s->cstar = b->cstar;
    s->sfmask = b->sfmask;
    s->kernel_gs_base = b->kernel_gs_base;
    sv->vmcb->control.eventinj = to_eventinj(&b->event);
    sv->vmcb->control.interrupt_shadow = 0;
    sv->shadow_rip = NO_SHADOW_RIP;
    /* The TLB may hold translations of the old CR3 under the domain's ASID: flush at entry. */
    sv->vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
    if (b->fpu_valid)
        memcpy(sv->fpu, b->fpu, sizeof(sv->fpu));
    else
        init_fpu_image(sv->fpu);
}

static void svm_vcpu_set_boot_state(struct vcpu *v, const struct hvm_boot_state *b)
{
    struct vmcb_save *s = &vmcb_of(v)->save;

    s->cs = to_vmcb_seg(&b->cs);
    s->ds = to_vmcb_seg(&b->ds);
    s->es = to_vmcb_seg(&b->es);
    s->ss = to_vmcb_seg(&b->ss);
    s->tr = to_vmcb_seg(&b->tr);
    s->cr0 = b->cr0;
    s->cr3 = b->cr3;
    s->cr4 = b->cr4;
    s->efer = b->efer | EFER_SVME;
    s->rflags = b->rflags;
    s->rip = b->rip;
    s->rsp = b->rsp;
    v->arch.regs = b->regs;
    if (b->full) {
        load_full_state(to_svm(v), b);
        return;
    }
    s->fs = s->gs = s->ds;
    s->ldtr = (struct vmcb_seg){ .sel = 0, .attr = 0x82, .limit = 0xffff, .base = 0 };
    s->gdtr = (struct vmcb_seg){ 0 };
    s->idtr = (struct vmcb_seg){ 0 };
    s->cpl = 0;
    s->dr6 = 0xffff0ff0;
    s->dr7 = 0x400;
    vmcb_of(v)->control.eventinj = 0;
}

static void svm_vcpu_get_state(struct vcpu *v, struct hvm_boot_state *b)
{
    const struct svm_vcpu *sv = to_svm(v);
    const struct vmcb_save *s = &sv->vmcb->save;

    *b = (struct hvm_boot_state){
        .regs = v->arch.regs, .rsp = s->rsp, .rip = s->rip, .rflags = s->rflags,
        .cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer & ~EFER_SVME,
        .cs = from_vmcb_seg(&s->cs), .ds = from_vmcb_seg(&s->ds), .es = from_vmcb_seg(&s->es),
        .ss = from_vmcb_seg(&s->ss), .tr = from_vmcb_seg(&s->tr),
        .full = true,
        .fs = from_vmcb_seg(&s->fs), .gs = from_vmcb_seg(&s->gs), .ldtr = from_vmcb_seg(&s->ldtr),
        .gdtr = { .limit = s->gdtr.limit, .base = s->gdtr.base },
        .idtr = { .limit = s->idtr.limit, .base = s->idtr.base },
        .cr2 = s->cr2, .dr6 = s->dr6, .dr7 = s->dr7,
        .sysenter_cs = s->sysenter_cs, .sysenter_esp = s->sysenter_esp,
        .sysenter_eip = s->sysenter_eip, .star = s->star, .lstar = s->lstar, .cstar = s->cstar,
        .sfmask = s->sfmask, .kernel_gs_base = s->kernel_gs_base,
        .event = from_eventinj(sv->vmcb->control.eventinj),
        .fpu_valid = true,
        .pat = s->g_pat,
        .tsc = rdtsc() + sv->vmcb->control.tsc_offset,
    };
    memcpy(b->fpu, sv->fpu, sizeof(b->fpu));
}

/* Assert the event upcall as a virtual interrupt; the CPU delivers it when the guest's IF allows. */
#define X86_INSN_HLT 0xf4

/*
 * An upcall about to be injected while the guest sits in an STI shadow just
 * before HLT ("sti; hlt", how Linux and our test guests idle): on hardware
 * the interrupt would wake the HLT and return after it. QEMU before 9.1 does
 * not restore the shadow on VMRUN, so the upcall would run first and the HLT
 * would then sleep with nothing left to wake it. Completing the HLT now is
 * what the hardware would have done, on any CPU.
 */
static void complete_shadowed_hlt(struct vcpu *v, struct svm_vcpu *s)
{
    struct vmcb *vm = s->vmcb;
    uint8_t insn;

    if (!(vm->control.interrupt_shadow & 1) && s->shadow_rip != vm->save.rip)
        return;
    if (copy_from_guest(v, &insn, vm->save.rip, 1) || insn != X86_INSN_HLT)
        return;
    vm->save.rip++;
    vm->control.interrupt_shadow = 0;
    s->shadow_rip = NO_SHADOW_RIP;
}

/*
 * Keep the shadow an exit reported while the guest stays at that RIP. QEMU
 * drops it at VMRUN, so an entry that exits at once (a physical interrupt
 * already pending) reports none, though the guest has not moved: the next
 * entry, with an upcall, would then deliver it before the HLT. Seen as a
 * wedge of evtchn-ping-pong-hlt-smp2 under multi-threaded TCG: the upcall
 * came in at the HLT's address, and both guests slept for good.
 */
static void note_shadow(struct svm_vcpu *s)
{
    const struct vmcb *vm = s->vmcb;

    if (vm->control.interrupt_shadow & 1)
        s->shadow_rip = vm->save.rip;
    else if (vm->save.rip != s->shadow_rip)
        s->shadow_rip = NO_SHADOW_RIP;
}

/* Offer the guest its highest pending interrupt through V_IRQ. */
static void sync_interrupt(struct vcpu *v, struct svm_vcpu *s)
{
    struct vmcb_control *c = &s->vmcb->control;
    bool from_vlapic;
    int vec = hvm_pending_interrupt(v, &from_vlapic);

    if (vec)
        complete_shadowed_hlt(v, s);
    s->offered_vlapic = from_vlapic ? vec : -1;
    c->vintr &= ~(VINTR_IRQ | (0xfull << VINTR_PRIO_SHIFT) | VINTR_IGN_TPR | (0xffull << VINTR_VECTOR_SHIFT));
    if (vec)
        c->vintr |= VINTR_IRQ | (0xfull << VINTR_PRIO_SHIFT) | VINTR_IGN_TPR |
                    ((uint64_t)vec << VINTR_VECTOR_SHIFT);
}

/* The CPU clears V_IRQ when the guest takes the interrupt: then it moves to the ISR. */
static void ack_taken_interrupt(struct vcpu *v, struct svm_vcpu *s)
{
    if (s->offered_vlapic >= 0 && !(s->vmcb->control.vintr & VINTR_IRQ))
        vlapic_ack(v, (uint8_t)s->offered_vlapic);
    s->offered_vlapic = -1;
}

/* Flush before entry if this pCPU may hold translations not valid for v now. */
static void sync_tlb(struct svm_pcpu *p, struct vcpu *v, struct vmcb_control *c)
{
    uint64_t gen = v->domain->arch.tlb_gen;

    /*
     * The ASID is the domain's, so another vCPU's guest-linear translations
     * (its own page tables, its CR3) may still be tagged with it: flush on a
     * switch between vCPUs too, not only between domains.
     */
    if (p->last_domain != v->domain || p->last_vcpu != v || p->last_gen != gen) {
        c->tlb_control = TLB_CONTROL_FLUSH_ALL;
        p->last_domain = v->domain;
        p->last_vcpu = v;
        p->last_gen = gen;
    }
}

static void svm_vcpu_run(struct vcpu *v)
{
    struct svm_vcpu *s = to_svm(v);
    struct svm_pcpu *p = this_svm();

    __asm__ volatile("fxrstor64 %0" ::"m"(*(uint8_t(*)[512])s->fpu));
    while (v->state == VCPU_RUNNABLE && !sched_need_resched()) {
        /* RDTSCP and RDPID read the MSR itself: give the guest its value (it may have written it). */
        if (p->tsc_aux != v->arch.tsc_aux) {
            wrmsr(MSR_TSC_AUX, v->arch.tsc_aux);
            p->tsc_aux = v->arch.tsc_aux;
        }
        s->vmcb->save.rax = v->arch.regs.rax;
        sync_interrupt(v, s);
        __asm__ volatile("clgi" ::: "memory");
        /*
         * Announce the entry, then read the TLB generation: a flusher bumps
         * the generation, then reads in_guest, so one of us sees the other.
         */
        __atomic_fetch_add(&p->entries, 1, __ATOMIC_SEQ_CST);
        __atomic_store_n(&p->in_guest, v->domain, __ATOMIC_SEQ_CST);
        sync_tlb(p, v, &s->vmcb->control);
        __asm__ volatile("sti" ::: "memory");
        svm_vmrun(s->vmcb_pa, &v->arch.regs, p->host_vmcb_pa);
        __atomic_store_n(&p->in_guest, NULL, __ATOMIC_RELEASE);
        apic_resignal_pending(); /* QEMU may have lost one during VMRUN */
        /* Interrupts that forced the exit are taken here, in host context. */
        __asm__ volatile("stgi; cli" ::: "memory");
        v->arch.regs.rax = s->vmcb->save.rax;
        note_shadow(s);
        s->vmcb->control.tlb_control = 0;
        ack_taken_interrupt(v, s);
        svm_handle_exit(v);
    }
    __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])s->fpu));
}

static void svm_vcpu_dump(struct vcpu *v)
{
    const struct vmcb *vm = vmcb_of(v);

    log_info("    svm: rip %#llx, IF %u, shadow %u, V_IRQ %u vector %#x, eventinj %#llx",
             (unsigned long long)vm->save.rip, (unsigned int)((vm->save.rflags >> 9) & 1),
             (unsigned int)(vm->control.interrupt_shadow & 1),
             (unsigned int)!!(vm->control.vintr & VINTR_IRQ),
             (unsigned int)((vm->control.vintr >> VINTR_VECTOR_SHIFT) & 0xff),
             (unsigned long long)vm->control.eventinj);
}

static void svm_get_paging(struct vcpu *v, struct hvm_paging *p)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;

    *p = (struct hvm_paging){ s->cr0, s->cr3, s->cr4, s->efer };
}

static bool svm_is_64bit(struct vcpu *v)
{
    const struct vmcb_save *s = &vmcb_of(v)->save;

    return (s->efer & EFER_LMA) && (s->cs.attr & (1u << 9)); /* CS.L */
}

static unsigned int svm_cpl(struct vcpu *v)
{
    return vmcb_of(v)->save.cpl;
}

static void svm_hypercall_insn(uint8_t insn[3])
{
    insn[0] = 0x0f; /* vmmcall */
    insn[1] = 0x01;
    insn[2] = 0xd9;
}

/*
 * After a nested-page-table change: bump the generation, then make every
 * other pCPU that is in d's guest now leave it, and wait until it has (or
 * has re-entered, which flushes). A pCPU in the hypervisor is not waited
 * for: it flushes at its next entry. So a flusher holding a lock never
 * waits for a pCPU spinning on that lock.
 */
void svm_flush_guest_tlbs(struct domain *d)
{
    uint64_t seen[MAX_PCPUS];
    cpumask_t wait = 0;
    unsigned int cpu, self = smp_processor_id();

    __atomic_fetch_add(&d->arch.tlb_gen, 1, __ATOMIC_SEQ_CST);
    for_each_cpu(cpu, cpu_online_mask) {
        if (cpu == self || __atomic_load_n(&svm_pcpu[cpu].in_guest, __ATOMIC_SEQ_CST) != d)
            continue;
        seen[cpu] = __atomic_load_n(&svm_pcpu[cpu].entries, __ATOMIC_SEQ_CST);
        wait |= cpumask_of(cpu);
        arch_kick_cpu(cpu);
    }
    for_each_cpu(cpu, wait) {
        while (__atomic_load_n(&svm_pcpu[cpu].in_guest, __ATOMIC_ACQUIRE) == d &&
               __atomic_load_n(&svm_pcpu[cpu].entries, __ATOMIC_ACQUIRE) == seen[cpu])
            cpu_relax();
    }
}

const struct hvm_vendor svm_vendor = {
    .name = "AMD-V with nested paging",
    .cpu_init = svm_cpu_init,
    .domain_init = svm_domain_init,
    .domain_destroy = svm_domain_destroy,
    .vcpu_init = svm_vcpu_init,
    .vcpu_destroy = svm_vcpu_destroy,
    .vcpu_set_boot_state = svm_vcpu_set_boot_state,
    .vcpu_get_state = svm_vcpu_get_state,
    .vcpu_run = svm_vcpu_run,
    .vcpu_dump = svm_vcpu_dump,
    .get_paging = svm_get_paging,
    .is_64bit = svm_is_64bit,
    .cpl = svm_cpl,
    .inject_exception = svm_inject_exception,
    .hypercall_insn = svm_hypercall_insn,
    .p2m_map = npt_map,
    .p2m_unmap = npt_unmap,
    .p2m_lookup = npt_lookup,
    .p2m_free = npt_free,
};
