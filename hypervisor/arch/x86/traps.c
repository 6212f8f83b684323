/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host trap handling. Any exception taken in hypervisor context is a
 * hypervisor bug: dump registers and panic. Guest faults never arrive here;
 * they are VM exits handled by the back end.
 */
#include <asm/traps.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/irq_passthrough.h>
#include <xenon/lib.h>
#include <xenon/sched.h>

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection",
};

void dump_regs(const struct cpu_user_regs *r)
{
    log_err("RIP: %016lx CS: %04lx RFLAGS: %016lx", r->rip, r->cs, r->rflags);
    log_err("RAX: %016lx RBX: %016lx RCX: %016lx", r->rax, r->rbx, r->rcx);
    log_err("RDX: %016lx RSI: %016lx RDI: %016lx", r->rdx, r->rsi, r->rdi);
    log_err("RBP: %016lx RSP: %016lx R8:  %016lx", r->rbp, r->rsp, r->r8);
    log_err("R9:  %016lx R10: %016lx R11: %016lx", r->r9, r->r10, r->r11);
    log_err("R12: %016lx R13: %016lx R14: %016lx", r->r12, r->r13, r->r14);
    log_err("R15: %016lx CR2: %016lx CR3: %016lx", r->r15, read_cr2(), read_cr3());
    log_err("Stack:");
    for (unsigned int i = 0; i < 8; i++) {
        const uint64_t *sp = (const uint64_t *)(uintptr_t)r->rsp;
        log_err("  %016lx", sp[i]);
    }
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = (unsigned int)regs->vector;

    switch (vec) {
    case VECTOR_TIMER:
        apic_eoi();
        sched_tick();
        return;
    case VECTOR_RESCHED:
        /* The sender set need_resched; taking the interrupt was the point. */
        apic_eoi();
        return;
    case VECTOR_SPURIOUS:
        return;
    case VECTOR_NMI:
        /* NMIs only kick a pCPU out of a guest; nothing to do here. */
        return;
    }
    if (irq_passthrough(vec))
        return; /* EOIed when the hardware domain EOIs it */
    if (vec >= 32) {
        apic_eoi();
        log_warn("unexpected interrupt vector %u", vec);
        return;
    }
    log_err("hypervisor fault: %s (vector %u) error code %lx",
            exception_names[vec] ? exception_names[vec] : "reserved", vec, regs->error_code);
    dump_regs(regs);
    panic("fatal exception in hypervisor context");
}
