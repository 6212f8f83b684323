// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cost of a null hypercall (xen_version(XENVER_version): decode, dispatch,
 * return) against the cheapest exit there is, a CPUID the hypervisor
 * emulates, measured back to back in one guest. Prints cycles per operation
 * (TSC) and their ratio; the ratio is what to compare between runs and
 * machines, the absolute figures under TCG mean little.
 */
#include "guest.h"
#include "x86.h"
#include <public/version.h>

#define ROUNDS 5

static uint64_t iterations = 20000;

static uint64_t time_cpuid(void)
{
    uint64_t t0 = rdtsc();

    for (uint64_t i = 0; i < iterations; i++)
        (void)cpuid(0);
    return (rdtsc() - t0) / iterations;
}

static uint64_t time_null_hypercall(void)
{
    uint64_t t0 = rdtsc();

    for (uint64_t i = 0; i < iterations; i++)
        (void)HYPERVISOR_xen_version(XENVER_version, NULL);
    return (rdtsc() - t0) / iterations;
}

/* Best of several rounds: the machine is shared and noisy. */
static uint64_t best(uint64_t (*fn)(void))
{
    uint64_t min = UINT64_MAX;

    for (int r = 0; r < ROUNDS; r++) {
        uint64_t c = fn();
        if (c < min)
            min = c;
    }
    return min;
}

void test_main(void)
{
    uint64_t exit_cycles, hcall_cycles;

    exit_cycles = best(time_cpuid);
    hcall_cycles = best(time_null_hypercall);
    if (!exit_cycles || !hcall_cycles) {
        test_error("timer did not advance");
        return;
    }
    printf("bench: cpuid_exit_cycles=%lu null_hypercall_cycles=%lu ratio=%lu.%02lu\n", exit_cycles,
           hcall_cycles, hcall_cycles / exit_cycles, hcall_cycles * 100 / exit_cycles % 100);
}
