// SPDX-License-Identifier: GPL-2.0-only
/*
 * A CPU-bound guest that measures the CPU share the scheduler gives it.
 * All its vCPUs spin; after a warm-up, vCPU 0 takes the runstate of each
 * over a window of system time and checks, against the command line, the
 * share of its runnable time each vCPU spent running:
 *   nvcpus=N     vCPUs to run (the domain must have that many)
 *   share=P      expected share of each vCPU, per mille of the window
 *   tol=P        allowed relative error, per mille of share (default 50: 5%)
 *   minshare=P   every vCPU must get at least this (all make progress)
 *   maxsum=P     the vCPUs together get at most this (pinning holds)
 *   warm=MS window=MS
 *   at=MS        start the window at this system time instead (domains that
 *                compare shares must measure the same interval)
 * The sched-* tests boot it with different weights, caps and affinities.
 */
#include "guest.h"
#include <public/sched.h>
#include <public/vcpu.h>

#define MAX_VCPUS 8
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define STACK_SIZE 8192

static uint8_t stacks[MAX_VCPUS][STACK_SIZE] __attribute__((aligned(16)));
static volatile uint64_t spins[MAX_VCPUS];
static volatile bool done;
static struct shared_info *si;

static void spin(unsigned int id)
{
    while (!done)
        spins[id]++;
}

noreturn static void secondary(void)
{
    unsigned int id = vcpu_self_id();

    if (id >= MAX_VCPUS)
        test_abort(RESULT_ERROR, "vCPU id %u out of range", id);
    spin(id);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

static void wait_until(uint64_t deadline)
{
    while (pvclock_read(&si->vcpu_info[0].time) < deadline)
        spins[0]++;
}

static void check_share(unsigned int id, uint64_t got, uint64_t share, uint64_t tol, uint64_t minshare)
{
    uint64_t slack = share * tol / 1000;

    printf("vCPU %u: %lu/1000 of the window (%lu spins)\n", id, got, spins[id]);
    if (share && (got + slack < share || got > share + slack))
        test_fail("vCPU %u got %lu/1000, expected %lu +- %lu", id, got, share, slack);
    if (got < minshare)
        test_fail("vCPU %u got %lu/1000, less than %lu", id, got, minshare);
}

void test_main(void)
{
    unsigned int n = (unsigned int)guest_arg("nvcpus", 1);
    uint64_t share = guest_arg("share", 0), tol = guest_arg("tol", 50);
    uint64_t minshare = guest_arg("minshare", 0), maxsum = guest_arg("maxsum", 0);
    uint64_t warm = guest_arg("warm", 300) * 1000000, window = guest_arg("window", 2000) * 1000000;
    uint64_t at = guest_arg("at", 0) * 1000000;
    struct vcpu_runstate_info before[MAX_VCPUS], after[MAX_VCPUS];
    uint64_t t0, sum = 0;

    si = map_shared_info();
    if (!si || n < 1 || n > MAX_VCPUS)
        test_abort(RESULT_ERROR, "bad set-up (nvcpus=%u)", n);
    for (unsigned int id = 1; id < n; id++)
        if (vcpu_start_64(id, secondary, stacks[id] + STACK_SIZE))
            test_abort(RESULT_ERROR, "cannot start vCPU %u", id);
    t0 = pvclock_read(&si->vcpu_info[0].time) + warm;
    if (at) {
        if (t0 > at)
            test_abort(RESULT_ERROR, "booted too late for at=%lu ms", at / 1000000);
        t0 = at;
    }
    wait_until(t0);
    for (unsigned int id = 0; id < n; id++)
        runstate_get(id, &before[id]);
    t0 = pvclock_read(&si->vcpu_info[0].time);
    wait_until(t0 + window);
    for (unsigned int id = 0; id < n; id++)
        runstate_get(id, &after[id]);
    done = true;
    for (unsigned int id = 0; id < n; id++) {
        /* Of the time it wanted a pCPU, how much it had: immune to when each snapshot was taken. */
        uint64_t ran = after[id].time[RUNSTATE_running] - before[id].time[RUNSTATE_running];
        uint64_t waited = after[id].time[RUNSTATE_runnable] - before[id].time[RUNSTATE_runnable];
        uint64_t got = ran * 1000 / MAX(ran + waited, 1);

        sum += got;
        check_share(id, got, share, tol, minshare);
    }
    printf("all vCPUs: %lu/1000\n", sum);
    if (maxsum && sum > maxsum)
        test_fail("vCPUs together got %lu/1000, more than %lu", sum, maxsum);
}
