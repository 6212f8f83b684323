// SPDX-License-Identifier: GPL-2.0-only
/* IDT for vectors 0-31: unexpected exceptions fail the test. */
#include "guest.h"

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate (SDM 6.14.1)");

#define NR_VECTORS      32
#define SEL_CODE64      0x08
#define GATE_INTR_DPL0  0x8e

extern const uint64_t trap_stub_table[NR_VECTORS];
static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));
static trap_hook_t hooks[NR_VECTORS];

static const char *const exc_names[NR_VECTORS] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#MF(9)", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

void idt_init(void)
{
    struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    for (unsigned int v = 0; v < NR_VECTORS; v++) {
        uint64_t a = trap_stub_table[v];

        idt[v] = (struct idt_gate){
            .offset_lo = (uint16_t)a,
            .selector = SEL_CODE64,
            .type_attr = GATE_INTR_DPL0,
            .offset_mid = (uint16_t)(a >> 16),
            .offset_hi = (uint32_t)(a >> 32),
        };
    }
    lidt(&p);
}

void trap_set_hook(unsigned int vector, trap_hook_t hook)
{
    if (vector < NR_VECTORS)
        hooks[vector] = hook;
}

void trap_dispatch(struct cpu_regs *regs)
{
    unsigned int v = (unsigned int)regs->vector;

    if (v < NR_VECTORS && hooks[v] && hooks[v](regs))
        return;
    if (v == X86_EXC_PF)
        test_abort(RESULT_FAILURE, "unexpected exception %s[%#lx] at rip %#lx, cr2 %#lx",
                   exc_names[v], regs->error_code, regs->rip, read_cr2());
    test_abort(RESULT_FAILURE, "unexpected exception %s[%#lx] at rip %#lx",
               exc_names[v], regs->error_code, regs->rip);
}
