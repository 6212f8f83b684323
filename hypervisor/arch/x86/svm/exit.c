/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * #VMEXIT dispatch. Anything the guest does that we do not emulate either
 * faults inside the guest or crashes the domain; the hypervisor goes on.
 */
#include "svm.h"
#include <asm/boot_defs.h>
#include <asm/cpu.h>
#include <asm/mmio_decode.h>
#include <asm/vlapic.h>
#include <xenon/guest_access.h>
#include <xenon/hwdom.h>
#include <xenon/lib.h>
#include <xenon/sched.h>

/* Instruction lengths when the CPU has no NRIP save (no prefixes expected). */
#define LEN_CPUID 2
#define LEN_RDWRMSR 2
#define LEN_VMMCALL 3
#define LEN_HLT 1
#define LEN_XSETBV 3

#define IOIO_IN (1u << 0)
#define IOIO_STR (1u << 2)
#define IOIO_REP (1u << 3)

static void advance_rip(struct vcpu *v, unsigned int len)
{
    struct vmcb *vmcb = vmcb_of(v);

    vmcb->save.rip = svm_has_nrips && vmcb->control.nrip ? vmcb->control.nrip : vmcb->save.rip + len;
    vmcb->control.interrupt_shadow = 0;
}

void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error)
{
    uint64_t ev = vector | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_VALID;

    if (has_error)
        ev |= EVENTINJ_ERROR_VALID | ((uint64_t)error << 32);
    vmcb_of(v)->control.eventinj = ev;
}

static void exit_cpuid(struct vcpu *v)
{
    struct guest_regs *r = &v->arch.regs;
    struct cpuid_regs out;

    hvm_cpuid(v, (uint32_t)r->rax, (uint32_t)r->rcx, &out);
    r->rax = out.eax;
    r->rbx = out.ebx;
    r->rcx = out.ecx;
    r->rdx = out.edx;
    advance_rip(v, LEN_CPUID);
}

/* EFER and PAT live in the VMCB; the rest is generic. */
static int msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    struct vmcb_save *s = &vmcb_of(v)->save;

    if (msr == MSR_EFER) {
        *val = s->efer & ~(uint64_t)EFER_SVME; /* SVME is ours */
        return 0;
    }
    if (msr == MSR_PAT) {
        *val = s->g_pat;
        return 0;
    }
    return hvm_msr_read(v, msr, val);
}

static int msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    struct vmcb_save *s = &vmcb_of(v)->save;
    const uint64_t efer_ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

    if (msr == MSR_EFER) {
        if (val & ~efer_ok)
            return -EINVAL;
        /* LMA is the CPU's to set; keep what it says. */
        s->efer = (val & ~(uint64_t)EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
        return 0;
    }
    if (msr == MSR_PAT) {
        for (unsigned int i = 0; i < 8; i++) {
            uint8_t t = (uint8_t)(val >> (i * 8));
            if (t == 2 || t == 3 || t > 7)
                return -EINVAL;
        }
        s->g_pat = val;
        return 0;
    }
    return hvm_msr_write(v, msr, val);
}

static void exit_msr(struct vcpu *v, bool write)
{
    struct guest_regs *r = &v->arch.regs;
    uint32_t msr = (uint32_t)r->rcx;
    uint64_t val;

    if (write) {
        val = (r->rdx << 32) | (uint32_t)r->rax;
        if (msr_write(v, msr, val)) {
            svm_inject_exception(v, X86_EXC_GP, true, 0);
            return;
        }
    } else {
        if (msr_read(v, msr, &val)) {
            svm_inject_exception(v, X86_EXC_GP, true, 0);
            return;
        }
        r->rax = (uint32_t)val;
        r->rdx = val >> 32;
    }
    advance_rip(v, LEN_RDWRMSR);
}

static void exit_ioio(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t info = vmcb->control.exitinfo1;
    unsigned int bytes = (info >> 4) & 7; /* SZ8/SZ16/SZ32 one-hot: 1, 2, 4 */
    uint32_t val = (uint32_t)v->arch.regs.rax;

    if (info & (IOIO_STR | IOIO_REP)) {
        domain_crash(v->domain, "string port I/O at port %#x (rip %#lx)", (unsigned int)(info >> 16),
                     vmcb->save.rip);
        return;
    }
    hvm_io(v, (uint16_t)(info >> 16), bytes, info & IOIO_IN, &val);
    if (info & IOIO_IN) {
        uint64_t mask = bytes == 4 ? 0xffffffffull : (1ull << (bytes * 8)) - 1;
        v->arch.regs.rax = (v->arch.regs.rax & ~mask) | (val & mask);
    }
    vmcb->save.rip = vmcb->control.exitinfo2; /* next RIP, always provided for IOIO */
}

/* ModRM register number to where the register lives; NULL for RSP (in the VMCB). */
static uint64_t *gpr(struct vcpu *v, unsigned int reg)
{
    struct guest_regs *r = &v->arch.regs;
    uint64_t *const map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, NULL,    &r->rbp, &r->rsi, &r->rdi,
                                &r->r8,  &r->r9,  &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15 };

    return map[reg & 15];
}

/* A MOV on the virtual APIC's xAPIC page: decode it, do it, step over it. */
static bool emulate_lapic_access(struct vcpu *v, uint64_t gpa)
{
    struct vmcb *vmcb = vmcb_of(v);
    struct mmio_insn insn;
    uint8_t bytes[15];
    size_t n = sizeof(bytes);
    uint64_t *reg;
    uint32_t val;

    if ((gpa & PAGE_MASK) != VLAPIC_MMIO_BASE)
        return false;
    /* The instruction may end just before an unmapped page: then fetch only up to it. */
    if (copy_from_guest(v, bytes, vmcb->save.rip, n)) {
        n = MIN(n, PAGE_SIZE - (vmcb->save.rip & ~PAGE_MASK));
        if (copy_from_guest(v, bytes, vmcb->save.rip, n))
            return false;
    }
    if (mmio_decode(bytes, n, vmcb->save.efer & EFER_LMA, &insn))
        return false;
    reg = gpr(v, insn.reg);
    if (!insn.has_imm && !reg)
        return false;
    val = insn.has_imm ? insn.imm : insn.write ? (uint32_t)*reg : 0;
    if (vlapic_mmio(v, (unsigned int)(gpa & ~PAGE_MASK), insn.write, &val))
        return false;
    if (!insn.write)
        *reg = val; /* a 32-bit load zero-extends */
    vmcb->save.rip += insn.len;
    vmcb->control.interrupt_shadow = 0;
    return true;
}

#define NPF_PRESENT (1ull << 0)
#define NPF_WRITE (1ull << 1)

static void exit_npf(struct vcpu *v)
{
    struct vmcb *vmcb = vmcb_of(v);
    uint64_t gpa = vmcb->control.exitinfo2, info = vmcb->control.exitinfo1;

    if (emulate_lapic_access(v, gpa))
        return;
    /* The hardware domain's devices and holes are mapped on first touch (never the local APIC). */
    if (is_hardware_domain(v->domain) && !(info & NPF_PRESENT) && (gpa & PAGE_MASK) != VLAPIC_MMIO_BASE &&
        !hwdom_fault(v->domain, gpa >> PAGE_SHIFT, info & NPF_WRITE))
        return;
    domain_crash(v->domain, "NPT violation at gpa %#lx (%s, rip %#lx)", vmcb->control.exitinfo2,
                 vmcb->control.exitinfo1 & 2 ? "write" : "read", vmcb->save.rip);
}

/*
 * Whether the VMCB's guest state is in fact ours: the RIP after our VMRUN,
 * our page table root and our code segment. A real CPU never saves that;
 * QEMU 7.2's multi-threaded TCG now and then does (seen: a nested page
 * fault on our own page tables, just after an exit had returned to us).
 * Entered again, the guest would run our code under its own nested page
 * tables; the domain is stopped instead.
 */
static bool holds_host_state(const struct vmcb *vmcb)
{
    return vmcb->save.rip == (uintptr_t)svm_vmexit_rip && vmcb->save.cr3 == read_cr3() &&
           vmcb->save.cs.sel == BOOT_CS64;
}

void svm_handle_exit(struct vcpu *v)
{
    struct svm_vcpu *s = to_svm(v);
    struct vmcb *vmcb = s->vmcb;
    uint64_t code = vmcb->control.exitcode;

    if (holds_host_state(vmcb)) {
        domain_crash(v->domain, "#VMEXIT %#lx (info %#lx %#lx) saved the hypervisor's own state as "
                     "vCPU %u's: an emulator fault; the exit before it: %#lx at rip %#lx",
                     code, vmcb->control.exitinfo1, vmcb->control.exitinfo2, v->id, s->last_exit,
                     s->last_exit_rip);
        return;
    }
    s->last_exit = code;
    s->last_exit_rip = vmcb->save.rip;
    switch (code) {
    case VMEXIT_INTR:
    case VMEXIT_NMI:
    case VMEXIT_SMI:
        break; /* handled in host context after STGI */
    case VMEXIT_CPUID:
        exit_cpuid(v);
        break;
    case VMEXIT_MSR:
        exit_msr(v, vmcb->control.exitinfo1 & 1);
        break;
    case VMEXIT_VMMCALL:
        advance_rip(v, LEN_VMMCALL);
        hvm_hypercall(v);
        break;
    case VMEXIT_HLT:
        advance_rip(v, LEN_HLT);
        hvm_halt(v, vmcb->save.rflags & X86_EFLAGS_IF);
        break;
    case VMEXIT_IOIO:
        exit_ioio(v);
        break;
    case VMEXIT_NPF:
        exit_npf(v);
        break;
    case VMEXIT_SHUTDOWN:
        domain_crash(v->domain, "triple fault (rip %#lx)", vmcb->save.rip);
        break;
    case VMEXIT_VMRUN: case VMEXIT_VMLOAD: case VMEXIT_VMSAVE: case VMEXIT_STGI:
    case VMEXIT_CLGI: case VMEXIT_SKINIT: case VMEXIT_MONITOR: case VMEXIT_MWAIT:
    case VMEXIT_XSETBV: case VMEXIT_INVD:
        svm_inject_exception(v, X86_EXC_UD, false, 0);
        break;
    case VMEXIT_INVALID:
        domain_crash(v->domain, "invalid guest state (VMRUN refused the VMCB)");
        break;
    default:
        domain_crash(v->domain, "unexpected exit %#lx (info %#lx %#lx, rip %#lx)", code,
                     vmcb->control.exitinfo1, vmcb->control.exitinfo2, vmcb->save.rip);
        break;
    }
}
