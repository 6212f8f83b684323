// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPIs between a guest's own vCPUs over EVTCHNOP_bind_ipi ports: vCPU 0 and
 * vCPU 1 bounce ROUNDS events, each arriving on the vCPU the port names.
 * Then a loopback interdomain channel moved to vCPU 1 with bind_vcpu
 * delivers there.
 */
#include "guest.h"
#include "evtchn.h"
#include <public/sched.h>

#define ROUNDS 1000
#define STACK_SIZE 8192

static uint8_t stack1[STACK_SIZE] __attribute__((aligned(16)));
static evtchn_port_t to_vcpu1, to_vcpu0, loop_a, loop_b;
static volatile uint32_t vcpu1_ready, vcpu1_errors;

/* vCPU 1: answer every IPI, then the loopback event; never returns. */
noreturn static void vcpu1_main(void)
{
    if (evtchn_init_vcpu(1))
        vcpu1_errors++;
    __atomic_store_n(&vcpu1_ready, 1, __ATOMIC_SEQ_CST);
    for (uint32_t i = 1; i <= ROUNDS; i++) {
        evtchn_wait_count(to_vcpu1, i);
        if (evtchn_send(to_vcpu0))
            vcpu1_errors++;
    }
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

/* For what another vCPU does without sending us an event: halting would sleep forever. */
static void yield_until_count(evtchn_port_t port, uint32_t want)
{
    while (evtchn_count(port) < want)
        xen_yield();
}

static void ipis(void)
{
    check_eq("bind_ipi(vcpu 1)", evtchn_bind_ipi(1, &to_vcpu1), 0);
    check_eq("bind_ipi(vcpu 0)", evtchn_bind_ipi(0, &to_vcpu0), 0);
    check_eq("bind_ipi(vcpu 2)", evtchn_bind_ipi(2, &loop_a), -XEN_ENOENT);
    check_eq("start vCPU 1", vcpu_start_64(1, vcpu1_main, stack1 + STACK_SIZE), 0);
    while (!__atomic_load_n(&vcpu1_ready, __ATOMIC_SEQ_CST))
        xen_yield();
    for (uint32_t i = 1; i <= ROUNDS; i++) {
        if (!check_eq("send to vCPU 1", evtchn_send(to_vcpu1), 0))
            return;
        evtchn_wait_count(to_vcpu0, i);
    }
    check_eq("IPIs vCPU 1 took", evtchn_count(to_vcpu1), ROUNDS);
    check_eq("IPIs vCPU 0 took", evtchn_count(to_vcpu0), ROUNDS);
    check_eq("vCPU 1 port delivered on vCPU", evtchn_last_vcpu(to_vcpu1), 1);
    check_eq("vCPU 0 port delivered on vCPU", evtchn_last_vcpu(to_vcpu0), 0);
    check_eq("vCPU 1 errors", vcpu1_errors, 0);
    printf("%u IPI round trips between vCPU 0 and vCPU 1\n", ROUNDS);
}

static void moved_channel(void)
{
    struct evtchn_status s;

    check_eq("alloc_unbound(self)", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &loop_a), 0);
    check_eq("bind_interdomain(self)", evtchn_bind_interdomain(DOMID_SELF, loop_a, &loop_b), 0);
    evtchn_wait_count(loop_b, 1); /* the notification every new binding gets */
    check_eq("bind_vcpu(loop_b, 1)", evtchn_bind_vcpu(loop_b, 1), 0);
    check_eq("status vcpu after bind_vcpu", evtchn_status(DOMID_SELF, loop_b, &s), 0);
    check_eq("status.vcpu", s.vcpu, 1);
    check_eq("send on loop_a", evtchn_send(loop_a), 0);
    yield_until_count(loop_b, 2);
    check_eq("moved port delivered on vCPU", evtchn_last_vcpu(loop_b), 1);
    check_eq("bind_vcpu of an IPI port", evtchn_bind_vcpu(to_vcpu1, 0), -XEN_EINVAL);
    check_eq("bind_vcpu to a missing vCPU", evtchn_bind_vcpu(loop_b, 2), -XEN_ENOENT);
}

void test_main(void)
{
    if (evtchn_init())
        return;
    ipis();
    moved_channel();
}
