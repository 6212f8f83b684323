/* SPDX-License-Identifier: GPL-2.0-only */
/* Host exceptions and interrupts. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <xenon/types.h>

/* Frame built by entry.S, in push order reversed. */
struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

#define VECTOR_NMI 2
#define VECTOR_DF 8
#define VECTOR_MC 18
#define VECTOR_FIRST_HYPERVISOR 0xf0 /* below: the hardware domain's device vectors */
#define VECTOR_TIMER 0xf0
#define VECTOR_RESCHED 0xf1 /* IPI: reschedule / leave the guest */
#define VECTOR_SPURIOUS 0xff

void desc_init(unsigned int cpu);
void do_trap(struct cpu_user_regs *regs);
void dump_regs(const struct cpu_user_regs *regs);

#endif
