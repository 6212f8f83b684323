// SPDX-License-Identifier: GPL-2.0-only
/* Event channels for micro-guests: wrappers, upcall vector, 2-level dispatcher (evtchn.h). */
#include "guest.h"
#include "evtchn.h"
#include <public/arch-x86/cpuid.h>
#include <public/hvm/hvm_op.h>
#include <public/sched.h>

struct port_handler {
    evtchn_handler_t fn;
    void *data;
};

void evtchn_upcall_entry(void);
void evtchn_upcall(void);

struct shared_info *evtchn_shared;
static struct desc_ptr gdt; /* vCPU 0's, from head.S */
static struct port_handler handlers[EVTCHN_GUEST_PORTS];
static uint32_t counts[EVTCHN_GUEST_PORTS];
static uint8_t port_vcpu[EVTCHN_GUEST_PORTS];  /* which vCPU takes the port */
static uint8_t last_vcpu[EVTCHN_GUEST_PORTS];

domid_t evtchn_self_id(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 4);

    if (!(r.eax & XEN_HVM_CPUID_DOMID_PRESENT))
        test_fail("CPUID base+4 does not give the domain id");
    return (domid_t)r.ecx;
}

long evtchn_init_vcpu(unsigned int vcpu)
{
    struct xen_hvm_evtchn_upcall_vector u = { .vcpu = vcpu, .vector = EVTCHN_UPCALL_VECTOR };
    long rc;

    /* VCPUOP_initialise leaves GDTR empty; delivering an interrupt needs the code and stack
     * selectors. */
    asm volatile("lgdt %0" ::"m"(gdt));
    idt_load();
    rc = HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u);
    if (rc) {
        test_fail("HVMOP_set_evtchn_upcall_vector(vcpu %u): %ld", vcpu, rc);
        return rc;
    }
    asm volatile("sti" ::: "memory");
    return 0;
}

long evtchn_init(void)
{
    evtchn_shared = map_shared_info();
    if (!evtchn_shared)
        return -XEN_EFAULT;
    asm volatile("sgdt %0" : "=m"(gdt));
    idt_set_gate(EVTCHN_UPCALL_VECTOR, evtchn_upcall_entry);
    return evtchn_init_vcpu(0);
}

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data)
{
    if (port < EVTCHN_GUEST_PORTS)
        handlers[port] = (struct port_handler){ fn, data };
}

uint32_t evtchn_count(evtchn_port_t port)
{
    return port < EVTCHN_GUEST_PORTS ? __atomic_load_n(&counts[port], __ATOMIC_SEQ_CST) : 0;
}

unsigned int evtchn_last_vcpu(evtchn_port_t port)
{
    return port < EVTCHN_GUEST_PORTS ? __atomic_load_n(&last_vcpu[port], __ATOMIC_SEQ_CST) : 0;
}

/* Take the pending, unmasked ports of one selector word that belong to vCPU me. */
static void dispatch_word(unsigned int word, unsigned int me)
{
    uint64_t bits = __atomic_load_n(&evtchn_shared->evtchn_pending[word], __ATOMIC_SEQ_CST) &
                    ~__atomic_load_n(&evtchn_shared->evtchn_mask[word], __ATOMIC_SEQ_CST);

    while (bits) {
        unsigned int bit = (unsigned int)__builtin_ctzll(bits);
        evtchn_port_t port = word * 64 + bit;

        bits &= bits - 1;
        if (port_vcpu[port] != me)
            continue;
        __atomic_fetch_and(&evtchn_shared->evtchn_pending[word], ~(1ull << bit), __ATOMIC_SEQ_CST);
        __atomic_store_n(&last_vcpu[port], (uint8_t)me, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&counts[port], 1, __ATOMIC_SEQ_CST);
        if (handlers[port].fn)
            handlers[port].fn(port, handlers[port].data);
    }
}

/* Called from upcall.S with interrupts off. */
void evtchn_upcall(void)
{
    unsigned int me = vcpu_self_id();
    struct vcpu_info *vi = &evtchn_shared->vcpu_info[me];

    do {
        uint64_t sel;

        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int word = (unsigned int)__builtin_ctzll(sel);

            sel &= sel - 1;
            dispatch_word(word, me);
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

struct count_waiter {
    evtchn_port_t port;
    uint32_t want;
};

static bool count_reached(void *arg)
{
    const struct count_waiter *w = arg;

    return evtchn_count(w->port) >= w->want;
}

void evtchn_wait_count(evtchn_port_t port, uint32_t want)
{
    struct count_waiter w = { port, want };

    evtchn_wait_until(count_reached, &w);
}

bool evtchn_wait_with_hlt;

void evtchn_wait_until(bool (*cond)(void *arg), void *arg)
{
    if (evtchn_wait_with_hlt) {
        /* Linux's idle: an event after the test is held until HLT by STI's shadow. */
        asm volatile("cli" ::: "memory");
        while (!cond(arg))
            asm volatile("sti; hlt; cli" ::: "memory");
        asm volatile("sti" ::: "memory");
        return;
    }
    /*
     * Block with interrupts off: SCHEDOP_block returns at once if an upcall
     * is pending, so an event after the test cannot be missed; then open a
     * window (STI's shadow covers one instruction) to take it.
     */
    asm volatile("cli" ::: "memory");
    while (!cond(arg)) {
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        asm volatile("sti; nop; cli" ::: "memory");
    }
    asm volatile("sti" ::: "memory");
}

static void own_port(evtchn_port_t port, unsigned int vcpu)
{
    if (port < EVTCHN_GUEST_PORTS)
        __atomic_store_n(&port_vcpu[port], (uint8_t)vcpu, __ATOMIC_SEQ_CST);
}

long evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    if (!rc && dom == DOMID_SELF)
        own_port(a.port, 0);
    *port = a.port;
    return rc;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

    if (!rc)
        own_port(b.local_port, 0);
    *port = b.local_port;
    return rc;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (!rc)
        own_port(b.port, vcpu);
    *port = b.port;
    return rc;
}

long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

    if (!rc)
        own_port(b.port, vcpu);
    *port = b.port;
    return rc;
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &b);

    if (!rc)
        own_port(port, vcpu);
    return rc;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send s = { port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close c = { port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);

    if (!rc)
        own_port(port, 0);
    return rc;
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask u = { port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *out)
{
    *out = (struct evtchn_status){ .dom = dom, .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, out);
}

long evtchn_reset(domid_t dom)
{
    struct evtchn_reset r = { dom };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r);

    if (!rc && dom == DOMID_SELF)
        memset(port_vcpu, 0, sizeof(port_vcpu));
    return rc;
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&evtchn_shared->evtchn_mask[port / 64], 1ull << (port % 64),
                      __ATOMIC_SEQ_CST);
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return (__atomic_load_n(&evtchn_shared->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) >>
            (port % 64)) &
           1;
}

void evtchn_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&evtchn_shared->evtchn_pending[port / 64], ~(1ull << (port % 64)),
                       __ATOMIC_SEQ_CST);
}
