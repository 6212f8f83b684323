// SPDX-License-Identifier: GPL-2.0-only
/* Helpers several tests share: guest arguments, pvclock, runstate. */
#include "guest.h"
#include <public/arch-x86/cpuid.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/vcpu.h>

/* Value of "name=N" (decimal) in the guest's command line, or def. */
uint64_t guest_arg(const char *name, uint64_t def)
{
    const char *s = start_info->cmdline_paddr ? (const char *)(uintptr_t)start_info->cmdline_paddr : "";
    size_t n = strlen(name);

    while (*s) {
        while (*s == ' ')
            s++;
        if (!strncmp(s, name, n) && s[n] == '=') {
            uint64_t v = 0;

            for (s += n + 1; *s >= '0' && *s <= '9'; s++)
                v = v * 10 + (uint64_t)(*s - '0');
            return v;
        }
        while (*s && *s != ' ')
            s++;
    }
    return def;
}

static uint64_t scale_tsc(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t pvclock_read(const volatile struct vcpu_time_info *t)
{
    uint32_t v;
    uint64_t ns;

    do {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time + scale_tsc(rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != t->version);
    return ns;
}

bool runstate_get(unsigned int vcpu, struct vcpu_runstate_info *r)
{
    long rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, vcpu, r);

    if (rc)
        test_fail("VCPUOP_get_runstate_info(%u): %ld", vcpu, rc);
    return rc == 0;
}

long vcpu_start_64(unsigned int id, void (*entry)(void), void *stack_top)
{
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
    struct vcpu_hvm_x86_64 *c = &ctx.cpu_regs.x86_64;
    uint64_t cr3;
    long rc;

    asm volatile("mov %%cr3, %0" : "=r"(cr3));
    c->rip = (uint64_t)(uintptr_t)entry;
    c->rsp = (uint64_t)(uintptr_t)stack_top - 8; /* as if called */
    c->rflags = 0x2;
    c->cr0 = 0x80000011; /* PG, ET, PE */
    c->cr3 = cr3;
    c->cr4 = 0x20;       /* PAE */
    c->efer = 0x500;     /* LME, LMA */
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &ctx);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
}

unsigned int vcpu_self_id(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 4);

    return (r.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT) ? r.ebx : 0;
}
