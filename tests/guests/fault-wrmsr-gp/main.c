// SPDX-License-Identifier: GPL-2.0-only
/* wrmsr and rdmsr of an MSR nobody implements raise #GP in the guest,
 * delivered through the guest's own IDT. */
#include "guest.h"

#define BOGUS_MSR 0xc0de0000u

static volatile unsigned int gp_count;

static bool on_gp(struct cpu_regs *regs)
{
    const uint8_t *insn = (const uint8_t *)(uintptr_t)regs->rip;

    /* Only our own wrmsr (0f 30) / rdmsr (0f 32); anything else is a bug. */
    if (insn[0] != 0x0f || (insn[1] != 0x30 && insn[1] != 0x32))
        return false;
    gp_count++;
    printf("#GP[%#lx] at %#lx (%s), skipping it\n", regs->error_code, regs->rip,
           insn[1] == 0x30 ? "wrmsr" : "rdmsr");
    regs->rip += 2;
    return true;
}

void test_main(void)
{
    trap_set_hook(X86_EXC_GP, on_gp);
    wrmsr(BOGUS_MSR, 0x1234);
    check_eq("#GP count after wrmsr", gp_count, 1);
    (void)rdmsr(BOGUS_MSR);
    check_eq("#GP count after rdmsr", gp_count, 2);
    trap_set_hook(X86_EXC_GP, NULL);
}
