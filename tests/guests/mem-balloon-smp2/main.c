// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two vCPUs on two pCPUs balloon at once. Each round both try to give back
 * the same page (exactly one may succeed), then each gives back and
 * repopulates its own pages, interleaved in the same 2 MiB mappings, and
 * checks them zero, while writing to its other pages. At the end the
 * reservation is exactly where it started.
 */
#include "guest.h"
#include "mem.h"

#define ROUNDS 100
#define PAGES 8
#define SHARED_GFN (MEM_SCRATCH_GFN + 0x100)
#define STACK_SIZE 8192

static uint8_t stack1[STACK_SIZE] __attribute__((aligned(16)));
static volatile uint32_t arrived, generation, wins, failures, vcpu1_done;

/* Both vCPUs meet here; the last to arrive starts the next generation. */
static void barrier(void)
{
    uint32_t gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);

    if (__atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL) == 2) {
        __atomic_store_n(&arrived, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&generation, gen + 1, __ATOMIC_RELEASE);
        return;
    }
    while (__atomic_load_n(&generation, __ATOMIC_ACQUIRE) == gen)
        __builtin_ia32_pause();
}

static void fail(void)
{
    __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
}

/* vCPU id's pages: every 16th page from 8 MiB, the two vCPUs alternating. */
static uint64_t own_gfn(unsigned int id, unsigned int i)
{
    return MEM_SCRATCH_GFN + 16 * (2 * i + id);
}

static void round_own(unsigned int id, unsigned int r)
{
    xen_pfn_t gfns[PAGES];

    for (unsigned int i = 0; i < PAGES; i++)
        gfns[i] = own_gfn(id, i);
    if (mem_decrease(gfns, PAGES, 0) != PAGES)
        fail();
    if (mem_populate(gfns, PAGES, 0) != PAGES)
        fail();
    for (unsigned int i = 0; i < PAGES; i++) {
        if (!mem_page_is_zero(gfns[i]))
            fail();
        mem_fill(gfns[i], r);
    }
}

static void run(unsigned int id)
{
    xen_pfn_t shared = SHARED_GFN;

    for (unsigned int r = 0; r < ROUNDS; r++) {
        barrier();
        if (mem_decrease(&shared, 1, 0) == 1)
            __atomic_fetch_add(&wins, 1, __ATOMIC_RELAXED);
        barrier();
        if (id == 0 && mem_populate(&shared, 1, 0) != 1)
            fail();
        round_own(id, r);
        for (unsigned int i = 0; i < PAGES; i++)
            if (!mem_check_fill(own_gfn(id, i), r))
                fail();
    }
}

noreturn static void vcpu1_main(void)
{
    run(1);
    __atomic_store_n(&vcpu1_done, 1, __ATOMIC_RELEASE);
    for (;;)
        xen_yield();
}

void test_main(void)
{
    long base = mem_current();

    if (!check_eq("start vCPU 1", vcpu_start_64(1, vcpu1_main, stack1 + STACK_SIZE), 0))
        return;
    run(0);
    while (!__atomic_load_n(&vcpu1_done, __ATOMIC_ACQUIRE))
        xen_yield();
    check_eq("failed operations", failures, 0);
    check_eq("rounds with exactly one decrease of the shared page", wins, ROUNDS);
    check_eq("reservation back where it started", mem_current(), base);
    printf("%u rounds of concurrent ballooning on two vCPUs\n", ROUNDS);
}
