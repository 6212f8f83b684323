/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-pCPU GDT and TSS (with IST stacks for NMI, #DF and #MC); one shared IDT. */
#include <asm/traps.h>
#include <asm/boot_defs.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>

#define GDT_TSS 0x18
#define IST_STACK_SIZE 4096

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
};
_Static_assert(sizeof(struct tss64) == 104, "TSS layout (AMD APM vol. 2, 12.2.5)");

struct __attribute__((packed)) idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout (AMD APM vol. 2, 4.8.4)");

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static uint64_t gdt[MAX_PCPUS][5] __attribute__((aligned(16)));
static struct tss64 tss[MAX_PCPUS] __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[MAX_PCPUS][3][IST_STACK_SIZE] __attribute__((aligned(16)));

extern char trap_stubs[];

static void set_gate(unsigned int vec, unsigned int ist)
{
    uint64_t addr = (uint64_t)(uintptr_t)(trap_stubs + vec * 16);

    idt[vec] = (struct idt_gate){
        .offset_lo = (uint16_t)addr,
        .selector = BOOT_CS64,
        .ist = (uint8_t)ist,
        .type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
        .offset_mid = (uint16_t)(addr >> 16),
        .offset_hi = (uint32_t)(addr >> 32),
    };
}

static void tss_descriptor(uint64_t *slot, const struct tss64 *t)
{
    uint64_t base = (uint64_t)(uintptr_t)t, limit = sizeof(*t) - 1;

    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) /* available TSS */
              | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

void desc_init(unsigned int cpu)
{
    uint64_t *g = gdt[cpu];
    struct tss64 *t = &tss[cpu];
    struct desc_ptr gdtr = { sizeof(gdt[cpu]) - 1, (uint64_t)(uintptr_t)g };
    struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    g[0] = 0;
    g[1] = 0x00af9a000000ffffull; /* BOOT_CS64 */
    g[2] = 0x00cf92000000ffffull; /* BOOT_DS */
    tss_descriptor(&g[3], t);
    for (unsigned int i = 0; i < 3; i++)
        t->ist[i] = (uint64_t)(uintptr_t)(ist_stacks[cpu][i] + IST_STACK_SIZE);
    t->iopb_offset = sizeof(*t);

    if (cpu == 0) {
        for (unsigned int v = 0; v < 256; v++)
            set_gate(v, 0);
        set_gate(VECTOR_NMI, 1);
        set_gate(VECTOR_DF, 2);
        set_gate(VECTOR_MC, 3);
    }

    __asm__ volatile("lgdt %0" ::"m"(gdtr));
    /* Reload CS from this GDT: an AP arrives with the trampoline's selector. */
    __asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                     ::"i"(BOOT_CS64) : "rax", "memory");
    __asm__ volatile("mov %0, %%ss" ::"r"((uint32_t)BOOT_DS));
    __asm__ volatile("ltr %w0" ::"r"((uint16_t)GDT_TSS));
    __asm__ volatile("lidt %0" ::"m"(idtr));
}
