// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DomU side of the Dom0 upcall benchmark (bench/dom0-upcall/run): this
 * micro-guest, on a pCPU of its own, offers an event channel to domain 0,
 * whose user space (evtchn-pong, through Linux's /dev/xen/evtchn) binds it
 * and says hello; then it answers each of our pings (the first one answers
 * the hello) with an event of its own. We send, wait for the answer, and
 * time each round trip with pvclock; the mean and percentiles in ns are
 * printed with a CPUID exit timed the same way in the same run (while domain
 * 0 waits for our last event, a bye), the anchor the round trip is given as
 * a ratio to.
 *
 * No xenstore: domain 0 does not know our port (announced on the console
 * only); it binds each of our ports 16..1 offered to it in turn until one
 * answers its hello (the hypervisor offers it our xenstore port too).
 * Exactly one event is in flight at a time (two sends before an answer would
 * merge into one pending bit), so a lost or extra notification shows up as a
 * hang or a wrong count. Arguments: rounds=N warmup=N
 * wait=SECONDS (how long domain 0 may take to boot and say hello,
 * default 120).
 */
#include "guest.h"
#include "evtchn.h"
#include <public/sched.h>

#define MAX_ROUNDS 20000
#define CPUID_ITERATIONS 20000
#define SECOND 1000000000ull

static uint32_t samples[MAX_ROUNDS];

static uint64_t now(void)
{
    return pvclock_read(&evtchn_shared->vcpu_info[0].time);
}

/* Best of five: the machine is shared and noisy. */
static uint64_t cpuid_exit_ns(void)
{
    uint64_t best = UINT64_MAX;

    for (int r = 0; r < 5; r++) {
        uint64_t t0 = now();

        for (int i = 0; i < CPUID_ITERATIONS; i++)
            (void)cpuid(0);
        uint64_t ns = (now() - t0) / CPUID_ITERATIONS;

        if (ns < best)
            best = ns;
    }
    return best;
}

/*
 * Wait for domain 0's hello: SCHEDOP_poll for a second at a time until the
 * deadline, so this vCPU sleeps (and its QEMU thread with it) while Linux
 * boots. An event taken by the upcall between the check and the poll costs
 * at most that second.
 */
static bool wait_hello(evtchn_port_t port, uint64_t seconds)
{
    uint64_t deadline = now() + seconds * SECOND;

    while (evtchn_count(port) == 0 && now() < deadline) {
        struct sched_poll p = {
            .ports = (uint64_t)(uintptr_t)&port, .nr_ports = 1, .timeout = now() + SECOND};

        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    }
    return evtchn_count(port) > 0;
}

/* Send, wait for the answer; n round trips, each timed into samples[] if keep. */
static bool round_trips(evtchn_port_t port, uint32_t n, bool keep)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t want = evtchn_count(port) + 1;
        uint64_t t0 = now();

        if (!check_eq("send", evtchn_send(port), 0))
            return false;
        evtchn_wait_count(port, want);
        if (keep)
            samples[i] = (uint32_t)(now() - t0);
    }
    return true;
}

/* Shell sort: a few thousand samples, no recursion, no allocation. */
static void sort_samples(uint32_t n)
{
    for (uint32_t gap = n / 2; gap; gap /= 2)
        for (uint32_t i = gap; i < n; i++) {
            uint32_t v = samples[i], j = i;

            for (; j >= gap && samples[j - gap] > v; j -= gap)
                samples[j] = samples[j - gap];
            samples[j] = v;
        }
}

static uint32_t percentile(uint32_t n, uint32_t pct)
{
    return samples[(uint64_t)(n - 1) * pct / 100];
}

/* Two lines: the console splits longer ones. */
static void report(uint32_t n, uint64_t exit_ns)
{
    uint64_t sum = 0, mean;
    uint32_t p50;

    for (uint32_t i = 0; i < n; i++)
        sum += samples[i];
    mean = sum / n;
    sort_samples(n);
    p50 = percentile(n, 50);
    printf("bench: rounds=%u rtt_mean_ns=%lu rtt_min_ns=%u rtt_p50_ns=%u rtt_p90_ns=%u\n", n, mean,
           samples[0], p50, percentile(n, 90));
    printf("bench: rtt_p99_ns=%u rtt_max_ns=%u cpuid_exit_ns=%lu ratio=%lu.%02lu "
           "ratio_p50=%lu.%02lu\n",
           percentile(n, 99), samples[n - 1], exit_ns, mean / exit_ns, mean * 100 / exit_ns % 100,
           p50 / exit_ns, (uint64_t)p50 * 100 / exit_ns % 100);
}

void test_main(void)
{
    uint32_t rounds = (uint32_t)guest_arg("rounds", 2000);
    uint32_t warmup = (uint32_t)guest_arg("warmup", 100);
    uint64_t exit_ns;
    evtchn_port_t port;

    if (!rounds || rounds > MAX_ROUNDS) {
        test_error("rounds=%u: 1 to %u", rounds, MAX_ROUNDS);
        return;
    }
    if (evtchn_init())
        return;
    if (!check_eq("alloc_unbound for domain 0", evtchn_alloc_unbound(DOMID_SELF, 0, &port), 0))
        return;
    printf("dom0-upcall: port %u offered to d0, waiting for its hello\n", port);
    if (!wait_hello(port, guest_arg("wait", 120))) {
        test_fail("no hello from domain 0 on port %u in %lu s", port, guest_arg("wait", 120));
        return;
    }
    printf("dom0-upcall: hello from d0; %u warm-up and %u timed round trips\n", warmup, rounds);
    /* The first ping answers the hello: it tells domain 0 it found the benchmark's port. */
    if (!round_trips(port, warmup, false) || !round_trips(port, rounds, true))
        return;
    /* Now, while domain 0 waits for the bye: nothing else competes for the host. */
    exit_ns = cpuid_exit_ns();
    if (!exit_ns) {
        test_error("pvclock did not advance");
        return;
    }
    if (!check_eq("bye", evtchn_send(port), 0))
        return;
    /* The hello plus one answer per ping, and nothing more. */
    check_eq("events taken (hello + answers)", evtchn_count(port), 1 + warmup + rounds);
    printf("dom0-upcall: %u round trips, none lost\n", warmup + rounds);
    report(rounds, exit_ns);
}
