/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Vendor-neutral handling of guest exits: MSRs, hypercalls, port I/O, HLT.
 * The back end decodes its exit format and calls these.
 */
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/vlapic.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/sched.h>
#include <public/sched.h>
#include <public/arch-x86/xen.h>
#include <public/xen.h>

#define HYPERCALL_MSR 0x40000000u
#define MSR_IA32_TSC 0x10
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_MTRR_CAP 0xfe
#define MSR_MTRR_DEF_TYPE 0x2ff

const struct hvm_vendor *hvm;

int hvm_init(void)
{
    struct cpuid_regs r = cpuid(0x80000001);
    int rc;

    if (!(r.ecx & (1u << 2))) {
        log_err("no AMD-V (SVM) on this CPU; VT-x support is not built yet");
        return -ENODEV;
    }
    hvm = &svm_vendor;
    rc = hvm->cpu_init();
    if (rc)
        return rc;
    log_info("virtualisation back end: %s", hvm->name);
    return 0;
}

/* Fill the guest's hypercall page: one 32-byte stub per hypercall number. */
static int write_hypercall_page(struct vcpu *v, uint64_t val)
{
    uint8_t page[PAGE_SIZE], insn[3];

    if (val & ~PAGE_MASK) /* only page index 0 exists */
        return -EINVAL;
    memset(page, 0xcc, sizeof(page)); /* int3 between stubs */
    hvm->hypercall_insn(insn);
    for (unsigned int i = 0; i < PAGE_SIZE / XEN_HYPERCALL_STUB_SIZE; i++) {
        uint8_t *stub = page + i * XEN_HYPERCALL_STUB_SIZE;

        stub[0] = 0xb8; /* mov $i, %eax */
        stub[1] = (uint8_t)i;
        stub[2] = stub[3] = stub[4] = 0;
        memcpy(stub + 5, insn, 3);
        stub[8] = 0xc3; /* ret */
    }
    if (copy_to_gpa(v->domain, val & PAGE_MASK, page, sizeof(page)))
        return -EINVAL;
    v->arch.hypercall_msr = val;
    return 0;
}

int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if (msr >= VLAPIC_MSR_BASE && msr <= VLAPIC_MSR_LAST)
        return vlapic_msr_read(v, msr, val);
    switch (msr) {
    case MSR_IA32_TSC:
        *val = rdtsc();
        return 0;
    case MSR_APIC_BASE:
        *val = vlapic_base_msr(v);
        return 0;
    case MSR_IA32_MISC_ENABLE:
        *val = 1ull << 0; /* fast strings */
        return 0;
    case MSR_MTRR_CAP:
        *val = HVM_MTRR_CAP;
        return 0;
    case MSR_MTRR_DEF_TYPE:
        *val = v->arch.mtrr_def_type;
        return 0;
    case HYPERCALL_MSR:
        *val = v->arch.hypercall_msr;
        return 0;
    case MSR_TSC_AUX:
        *val = v->arch.tsc_aux;
        return 0;
    case MSR_PATCH_LEVEL:
        *val = 0; /* no microcode a guest should care about */
        return 0;
    case MSR_AMD_NB_CFG:
        *val = 0; /* northbridge set-up is the host's; Linux only reads it on AMD */
        return 0;
    }
    printk_guest(LOG_DEBUG, "d%u v%u: rdmsr %#x -> #GP", v->domain->id, v->id, msr);
    return -EINVAL;
}

int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if (msr >= VLAPIC_MSR_BASE && msr <= VLAPIC_MSR_LAST)
        return vlapic_msr_write(v, msr, val);
    switch (msr) {
    case MSR_APIC_BASE:
        return vlapic_set_base_msr(v, val);
    case HYPERCALL_MSR:
        return write_hypercall_page(v, val);
    case MSR_TSC_AUX:
        if (val >> 32)
            break;
        v->arch.tsc_aux = (uint32_t)val;
        return 0;
    case MSR_MTRR_DEF_TYPE:
        if (!hvm_mtrr_def_type_valid(val))
            break;
        v->arch.mtrr_def_type = val;
        return 0;
    case MSR_IA32_MISC_ENABLE:
    case MSR_AMD_NB_CFG:
        return 0; /* accepted, no effect */
    }
    printk_guest(LOG_DEBUG, "d%u v%u: wrmsr %#x <- %#lx -> #GP", v->domain->id, v->id, msr, val);
    return -EINVAL;
}

void hvm_hypercall(struct vcpu *v)
{
    struct guest_regs *r = &v->arch.regs;
    struct hypercall_args args;

    /* Only the guest kernel may make hypercalls (Xen's rule for HVM guests). */
    if (hvm->cpl(v) != 0) {
        r->rax = (uint64_t)-EPERM;
        return;
    }
    if (hvm->is_64bit(v))
        args = (struct hypercall_args){ r->rax, { r->rdi, r->rsi, r->rdx, r->r10, r->r8 } };
    else
        args = (struct hypercall_args){ (uint32_t)r->rax,
                                        { (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
                                          (uint32_t)r->rsi, (uint32_t)r->rdi } };
    r->rax = (uint64_t)hypercall_dispatch(v, &args);
}

void hvm_io(struct vcpu *v, uint16_t port, unsigned int bytes, bool in, uint32_t *val)
{
    (void)v;
    (void)port;
    if (in)
        *val = bytes == 4 ? 0xffffffffu : (1u << (bytes * 8)) - 1;
}

/*
 * Level semantics, as Xen gives the callback vector: while upcall_pending is
 * set the vector stays asserted; the guest takes it when it can.
 */
/* The event-channel upcall vector if an upcall is pending, else 0. */
static int pending_upcall_vector(struct vcpu *v)
{
    uint64_t cb = v->domain->hvm_params[HVM_PARAM_CALLBACK_IRQ];

    if (!v->vcpu_info->evtchn_upcall_pending)
        return 0;
    if (v->upcall_vector)
        return v->upcall_vector;
    if ((cb >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) == HVM_PARAM_CALLBACK_TYPE_VECTOR)
        return (uint8_t)cb;
    return 0;
}

int hvm_pending_interrupt(struct vcpu *v, bool *from_vlapic)
{
    int upcall = pending_upcall_vector(v), lapic = vlapic_pending_vector(v);

    /* The higher vector first, as the APIC's priority classes would have it. */
    *from_vlapic = lapic > upcall;
    return *from_vlapic ? lapic : upcall;
}

void hvm_halt(struct vcpu *v, bool interrupts_enabled)
{
    struct domain *d = v->domain;

    if (interrupts_enabled) {
        sched_block(v);
        return;
    }
    sched_vcpu_stop(v, VCPU_DOWN);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->state != VCPU_DOWN)
            return;
    domain_shutdown(d, SHUTDOWN_poweroff);
}
