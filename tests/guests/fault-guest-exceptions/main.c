// SPDX-License-Identifier: GPL-2.0-only
/* Exceptions the guest raises itself (#UD, #BP, #DE) reach the guest's own
 * IDT; the hypervisor must not swallow them or kill the guest. */
#include "guest.h"

static volatile unsigned int seen[32];

static bool skip_insn(struct cpu_regs *regs)
{
    seen[regs->vector]++;
    switch (regs->vector) {
    case X86_EXC_UD:
        regs->rip += 2;     /* ud2 */
        break;
    case X86_EXC_DE:
        regs->rip += 3;     /* div %rcx: 48 f7 f1 */
        break;
    default:                /* #BP is a trap: rip already follows int3 */
        break;
    }
    return true;
}

void test_main(void)
{
    trap_set_hook(X86_EXC_UD, skip_insn);
    trap_set_hook(X86_EXC_BP, skip_insn);
    trap_set_hook(X86_EXC_DE, skip_insn);
    asm volatile("ud2");
    asm volatile("int3");
    asm volatile("xor %%edx, %%edx; xor %%eax, %%eax; xor %%ecx, %%ecx; .byte 0x48, 0xf7, 0xf1"
                 ::: "rax", "rcx", "rdx");
    check_eq("#UD count", seen[X86_EXC_UD], 1);
    check_eq("#BP count", seen[X86_EXC_BP], 1);
    check_eq("#DE count", seen[X86_EXC_DE], 1);
}
