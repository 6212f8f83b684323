/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls through the hypercall page: stub nr lives at
 * hypercall_page + nr * 32; arguments in rdi, rsi, rdx, r10, r8, result
 * in rax. All argument registers are treated as clobbered, because the
 * ABI lets the hypervisor scribble on them.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>
#include <public/xen.h>

extern uint8_t hypercall_page[];

static inline long hypercall_raw(unsigned int nr, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t rdi asm("rdi") = a1;
    register uint64_t rsi asm("rsi") = a2;
    register uint64_t rdx asm("rdx") = a3;
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    long rax;

    asm volatile("call *%[stub]"
                 : "=a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                 : [stub] "r"(hypercall_page + nr * XEN_HYPERCALL_STUB_SIZE)
                 : "memory", "rcx", "r11");
    return rax;
}

#define hcall_ptr(p) ((uint64_t)(uintptr_t)(p))

static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int count,
                                         const void *buf)
{
    return hypercall_raw(__HYPERVISOR_console_io, cmd, count, hcall_ptr(buf), 0, 0);
}

static inline long HYPERVISOR_xen_version(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_xen_version, cmd, hcall_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_sched_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_sched_op, cmd, hcall_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_memory_op, cmd, hcall_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_hvm_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_hvm_op, cmd, hcall_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
    return hypercall_raw(__HYPERVISOR_vcpu_op, cmd, vcpu, hcall_ptr(arg), 0, 0);
}

static inline long HYPERVISOR_event_channel_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_event_channel_op, cmd, hcall_ptr(arg), 0, 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *arg,
                                             unsigned int count)
{
    return hypercall_raw(__HYPERVISOR_grant_table_op, cmd, hcall_ptr(arg), count, 0, 0);
}

/* Toolstack control: op is a struct xen_domctl / xen_sysctl (public/domctl.h, sysctl.h). */
static inline long HYPERVISOR_domctl(void *op)
{
    return hypercall_raw(__HYPERVISOR_domctl, hcall_ptr(op), 0, 0, 0, 0);
}

static inline long HYPERVISOR_sysctl(void *op)
{
    return hypercall_raw(__HYPERVISOR_sysctl, hcall_ptr(op), 0, 0, 0, 0);
}

/* Absolute system time (ns) for this vCPU's one-shot timer (VIRQ_TIMER); 0 cancels it. */
static inline long HYPERVISOR_set_timer_op(uint64_t timeout_ns)
{
    return hypercall_raw(__HYPERVISOR_set_timer_op, timeout_ns, 0, 0, 0, 0);
}

/* Helpers built on the above (lib/hypercall.c). */
long xen_shutdown(unsigned int reason);
long xen_yield(void);

/* A GPA far above any micro-guest's RAM and below the LAPIC: never mapped. */
#define UNMAPPED_GPA 0xC0000000ull

#endif
