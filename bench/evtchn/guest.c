// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event-channel round trip between two domains (role=0 client, role=1 echo
 * server, peer=N), against a bare CPUID exit measured in the same guest in
 * the same run. The client sends, the server answers from its upcall, the
 * client waits for the answer; cycles per round trip (TSC) and the ratio to
 * one CPUID exit are printed. Run with the domains on two pCPUs (bench/evtchn/run).
 */
#include "guest.h"
#include "evtchn.h"

#define OFFERED_PORT 1
#define WARMUP 200
#define ROUNDS 5000
#define CPUID_ITERATIONS 20000

static volatile uint32_t answers, served;

static bool answered(void *arg)
{
    return answers >= (uint32_t)(uintptr_t)arg;
}

static void count_answer(evtchn_port_t port, void *data)
{
    answers++;
}

static void echo(evtchn_port_t port, void *data)
{
    served++;
    evtchn_send(port);
}

static uint64_t cpuid_exit_cycles(void)
{
    uint64_t best = UINT64_MAX;

    for (int r = 0; r < 5; r++) {
        uint64_t t0 = rdtsc();

        for (int i = 0; i < CPUID_ITERATIONS; i++)
            (void)cpuid(0);
        uint64_t c = (rdtsc() - t0) / CPUID_ITERATIONS;

        if (c < best)
            best = c;
    }
    return best;
}

static uint64_t round_trips(evtchn_port_t port, uint32_t n)
{
    uint32_t start = answers;
    uint64_t t0 = rdtsc();

    for (uint32_t i = 1; i <= n; i++) {
        evtchn_send(port);
        evtchn_wait_until(answered, (void *)(uintptr_t)(start + i));
    }
    return (rdtsc() - t0) / n;
}

static void client(domid_t peer)
{
    evtchn_port_t port = 0;
    long rc = -XEN_EINVAL;
    uint64_t exit_cycles, rt_cycles;

    for (unsigned int i = 0; i < 100000 && rc == -XEN_EINVAL; i++)
        if ((rc = evtchn_bind_interdomain(peer, OFFERED_PORT, &port)))
            xen_yield();
    if (!check_eq("bind_interdomain", rc, 0))
        return;
    evtchn_set_handler(port, count_answer, NULL);
    exit_cycles = cpuid_exit_cycles();
    round_trips(port, WARMUP);
    rt_cycles = round_trips(port, ROUNDS);
    printf("bench: cpuid_exit_cycles=%lu evtchn_round_trip_cycles=%lu ratio=%lu.%02lu\n", exit_cycles,
           rt_cycles, rt_cycles / exit_cycles, rt_cycles * 100 / exit_cycles % 100);
}

static bool all_served(void *arg)
{
    return served >= WARMUP + ROUNDS;
}

static void server(domid_t peer)
{
    evtchn_port_t port;

    if (!check_eq("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, peer, &port), 0))
        return;
    evtchn_set_handler(port, echo, NULL);
    evtchn_wait_until(all_served, NULL);
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (evtchn_init())
        return;
    if (guest_arg("role", 0))
        server(peer);
    else
        client(peer);
}
