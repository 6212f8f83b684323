// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's timer interrupt must not be lost when it fires while a
 * guest is entered with an upcall offered. Under QEMU 7.2's TCG it could be:
 * VMRUN sets the CPU's virtual-interrupt request without taking QEMU's lock,
 * and an APIC timer expiring at that instant (raised from QEMU's main
 * thread) was dropped. The vector then waits in the IRR and the CPU never
 * takes it; the one-shot timer is not re-armed, so no timer of the
 * hypervisor or its guests fires again. Domain 0 wedged that way in the
 * xenstore benchmark, one boot in three, with short deadlines.
 *
 * Each round makes the hypervisor arm its timer a few microseconds ahead
 * (set_timer_op) and return to us with interrupts off and an upcall pending,
 * so that the expiry tends to fall in that very VMRUN. Once the deadline has
 * passed we make one exit that touches no timer (as Linux's tick handler
 * makes one to program its next tick), open interrupts, and spin without
 * exits: the timer event must come.
 */
#include "guest.h"
#include "evtchn.h"
#include "x86.h"
#include <public/version.h>

#define RUN_NS 10000000000ull    /* rounds for 10 s of system time */
#define AHEAD_MAX_NS 16000ull    /* deadlines 0..16 us ahead, in 125 ns steps */
#define AHEAD_STEP_NS 125ull
#define PAST_NS 30000ull         /* spin this long past the deadline */
#define WAIT_NS 500000000ull     /* a timer event later than this ... */
#define WAIT_SPINS 100000ull     /* ... and this many spins was lost */

static evtchn_port_t timer_port, loop_a, loop_b;

static uint64_t now(void)
{
    return pvclock_read(&evtchn_shared->vcpu_info[0].time);
}

static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }

/* One round; false when its timer event never came. */
static bool round_trip(unsigned int round)
{
    uint32_t before = evtchn_count(timer_port);
    uint64_t deadline, start, spins = 0;

    irq_disable();
    evtchn_send(loop_b); /* loop_a pending: every entry now offers the upcall */
    deadline = now() + (round % (AHEAD_MAX_NS / AHEAD_STEP_NS)) * AHEAD_STEP_NS;
    HYPERVISOR_set_timer_op(deadline);
    while (now() < deadline + PAST_NS)
        ;
    HYPERVISOR_xen_version(XENVER_version, NULL);
    irq_enable();
    start = now();
    /*
     * No hypercall, no HLT: only the hypervisor's timer interrupt can bring
     * the event. Lost means both a long time and many spins with interrupts
     * open (not a host that merely stopped QEMU's thread for a while).
     */
    while (evtchn_count(timer_port) == before)
        if (++spins > WAIT_SPINS && now() - start > WAIT_NS)
            return false;
    return true;
}

void test_main(void)
{
    uint64_t start;
    unsigned int rounds = 0;

    if (evtchn_init())
        return;
    check_eq("bind_virq(TIMER)", evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port), 0);
    check_eq("alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, evtchn_self_id(), &loop_a), 0);
    check_eq("bind_interdomain", evtchn_bind_interdomain(evtchn_self_id(), loop_a, &loop_b), 0);
    start = now();
    while (now() - start < RUN_NS) {
        if (!round_trip(rounds)) {
            test_fail("round %u: no timer event %llu ms after its deadline: the hypervisor's "
                      "timer interrupt was lost", rounds, (unsigned long long)(WAIT_NS / 1000000));
            return;
        }
        rounds++;
    }
    printf("%u rounds, every timer event came\n", rounds);
}
