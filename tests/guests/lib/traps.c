// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IDT, all 256 vectors: exceptions (0-31) go to the trap stubs and fail
 * the test unless hooked; others (the event upcall) are added with
 * idt_set_gate(); a vector nobody set is not present and faults.
 */
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
#define IDT_ENTRIES 256

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static trap_hook_t hooks[NR_VECTORS];

static const char *const exc_names[NR_VECTORS] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#MF(9)", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

static void set_gate(unsigned int vector, uint64_t addr)
{
    idt[vector] = (struct idt_gate){
        .offset_lo = (uint16_t)addr,
        .selector = SEL_CODE64,
        .type_attr = GATE_INTR_DPL0,
        .offset_mid = (uint16_t)(addr >> 16),
        .offset_hi = (uint32_t)(addr >> 32),
    };
}

void idt_load(void)
{
    struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    lidt(&p);
}

void idt_init(void)
{
    for (unsigned int v = 0; v < NR_VECTORS; v++)
        set_gate(v, trap_stub_table[v]);
    idt_load();
}

void idt_set_gate(unsigned int vector, void (*entry)(void))
{
    if (vector >= NR_VECTORS && vector < IDT_ENTRIES)
        set_gate(vector, (uint64_t)(uintptr_t)entry);
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
