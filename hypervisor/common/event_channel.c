/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: ports, their bindings, and delivery into
 * shared_info / vcpu_info (the contract is in xenon/event.h).
 *
 * Lock order: a domain's event lock (struct evtchn_domain.lock); two
 * domains' event locks in address order; then, from vcpu_kick(), sched_lock,
 * and a pCPU's timer_lock. A second event lock that would be out of address
 * order is only tried; on failure both are dropped and the step retried.
 *
 * A port changes state only under its domain's event lock, and an
 * interdomain channel only under the locks of both ends. So whoever holds
 * either end's lock keeps the channel, and with it the peer's event state,
 * alive: a sender needs its own lock only. The pending, mask and selector
 * words belong to the guest as much as to us and change only through
 * atomic bit operations.
 */
#include <xenon/arch.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/sched.h>
#include <xenon/spinlock.h>
#include <xenon/time.h>
#include <xenon/timer.h>
#include <xenon/xsm.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define BITS_PER_WORD 64
/* SCHEDOP_poll's limit on ports per call, as Xen's. */
#define POLL_MAX_PORTS 128

enum evtchn_state { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI };

struct evtchn {
    uint8_t state;            /* enum evtchn_state */
    uint8_t notify_vcpu;      /* read by senders holding only their own lock: atomic */
    uint16_t virq;            /* ECS_VIRQ */
    domid_t remote_id;        /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: the peer's id */
    uint16_t remote_port;     /* ECS_INTERDOMAIN */
    struct domain *remote;    /* ECS_INTERDOMAIN */
};

struct evtchn_domain {
    spinlock_t lock;
    unsigned int max_port;    /* ports 1..max_port are usable; 0 is reserved */
    unsigned int order;       /* of this allocation */
    uint32_t polling;         /* vCPUs in SCHEDOP_poll, one bit each */
    uint16_t virq_to_port[MAX_VIRT_CPUS][NR_VIRQS]; /* global VIRQs live in row 0 */
    struct timer poll_timer[MAX_VIRT_CPUS];
    struct evtchn chan[];     /* max_port + 1 entries */
};

_Static_assert(MAX_VIRT_CPUS <= 32, "polling mask has one bit per vCPU");
_Static_assert(EVTCHN_2L_MAX_PORTS - 1 <= UINT16_MAX, "ports fit remote_port and virq_to_port");

static inline uint64_t port_bit(evtchn_port_t port) { return 1ull << (port % BITS_PER_WORD); }

static bool vcpu_exists(const struct domain *d, uint32_t id)
{
    return id < d->nr_vcpus && d->vcpus[id];
}

/* Per-vCPU sources, as in Xen; all others (the x86 arch range too) are domain-wide. */
static bool virq_is_global(unsigned int virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* ---- Delivery ---- */

/* Selector bit, then the upcall flag; kick only on the 0 -> 1 edge of both. */
static void raise_upcall(struct vcpu *v, unsigned int word)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint64_t sel = 1ull << word;

    if (__atomic_fetch_or(&vi->evtchn_pending_sel, sel, __ATOMIC_SEQ_CST) & sel)
        return;
    if (!__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        vcpu_kick(v);
}

/* Wake every vCPU of d in SCHEDOP_poll; each looks at its ports again. */
static void wake_pollers(struct domain *d)
{
    uint32_t polling = __atomic_exchange_n(&d->evtchn->polling, 0, __ATOMIC_SEQ_CST);

    while (polling) {
        unsigned int id = (unsigned int)__builtin_ctz(polling);

        polling &= polling - 1;
        if (vcpu_exists(d, id))
            vcpu_kick(d->vcpus[id]);
    }
}

/*
 * Mark d's port pending and notify its vCPU by the 2-level rules. The caller
 * holds a lock that keeps the port bound: d's, or the sending peer's.
 */
static void set_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD, id;
    uint64_t bit = port_bit(port);

    /* A dying domain's vCPUs may already be gone; nobody would see the event. */
    if (!domain_is_alive(d))
        return;
    if (__atomic_fetch_or(&s->evtchn_pending[word], bit, __ATOMIC_SEQ_CST) & bit)
        return;
    wake_pollers(d);
    if (__atomic_load_n(&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & bit)
        return;
    id = __atomic_load_n(&d->evtchn->chan[port].notify_vcpu, __ATOMIC_RELAXED);
    if (vcpu_exists(d, id))
        raise_upcall(d->vcpus[id], word);
}

/* Caller holds d's lock. */
static void unmask_locked(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD, id;
    uint64_t bit = port_bit(port);

    if (!(__atomic_fetch_and(&s->evtchn_mask[word], ~bit, __ATOMIC_SEQ_CST) & bit))
        return;
    if (!(__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit))
        return;
    id = d->evtchn->chan[port].notify_vcpu;
    if (vcpu_exists(d, id))
        raise_upcall(d->vcpus[id], word);
}

static void send_virq_on(struct domain *d, unsigned int row, unsigned int virq)
{
    struct evtchn_domain *ed = d->evtchn;

    if (!ed || virq >= NR_VIRQS)
        return;
    spin_lock(&ed->lock);
    if (ed->virq_to_port[row][virq])
        set_pending(d, ed->virq_to_port[row][virq]);
    spin_unlock(&ed->lock);
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    if (virq < NR_VIRQS && !virq_is_global(virq))
        send_virq_on(v->domain, v->id, virq);
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
    if (virq < NR_VIRQS && virq_is_global(virq))
        send_virq_on(d, 0, virq);
}

bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    if (!d->evtchn || port > d->evtchn->max_port)
        return false;
    return __atomic_load_n(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                           __ATOMIC_SEQ_CST) &
           port_bit(port);
}

/* ---- Port state ---- */

/* Lowest free port (deterministic numbers, as Xen gives), or -ENOSPC. Caller holds the lock. */
static int alloc_port(struct evtchn_domain *ed)
{
    for (unsigned int port = 1; port <= ed->max_port; port++)
        if (ed->chan[port].state == ECS_FREE)
            return (int)port;
    return -ENOSPC;
}

/*
 * Lock d's events and, if port is an interdomain channel, the peer's too.
 * Returns the peer (d itself for a loopback channel) or NULL.
 */
static struct domain *lock_with_peer(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    const struct evtchn *c = &ed->chan[port];

    for (;;) {
        struct domain *rd;

        spin_lock(&ed->lock);
        if (c->state != ECS_INTERDOMAIN)
            return NULL;
        rd = c->remote;
        /* Holding our end keeps rd's event state alive while we reach for its lock. */
        if (rd == d)
            return rd;
        if (&rd->evtchn->lock > &ed->lock) {
            spin_lock(&rd->evtchn->lock);
            return rd;
        }
        if (spin_trylock(&rd->evtchn->lock))
            return rd;
        spin_unlock(&ed->lock);
        arch_cpu_relax();
    }
}

static void unlock_with_peer(struct domain *d, struct domain *rd)
{
    if (rd && rd != d)
        spin_unlock(&rd->evtchn->lock);
    spin_unlock(&d->evtchn->lock);
}

/* Free an open port. Caller holds d's lock and, for an interdomain port, the peer's. */
static void close_locked(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    struct evtchn *c = &ed->chan[port];

    if (c->state == ECS_VIRQ) {
        unsigned int row = virq_is_global(c->virq) ? 0 : c->notify_vcpu;

        if (ed->virq_to_port[row][c->virq] == port)
            ed->virq_to_port[row][c->virq] = 0;
    } else if (c->state == ECS_INTERDOMAIN) {
        struct evtchn *rc = &c->remote->evtchn->chan[c->remote_port];

        /* The other end waits for this domain to bind again, as in Xen. */
        rc->state = ECS_UNBOUND;
        rc->remote = NULL;
        rc->remote_id = d->id;
        rc->remote_port = 0;
    }
    /* A later binding of this port must not inherit a stale event. */
    if (d->shared_info)
        __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS_PER_WORD], ~port_bit(port),
                           __ATOMIC_SEQ_CST);
    *c = (struct evtchn){ .state = ECS_FREE };
}

/* Close one port (0, or -EINVAL if it is not open). */
static long close_port(struct domain *d, evtchn_port_t port)
{
    struct domain *rd = lock_with_peer(d, port);
    uint8_t state = d->evtchn->chan[port].state;
    long rc = 0;

    if (state == ECS_FREE || state == ECS_RESERVED)
        rc = -EINVAL;
    else
        close_locked(d, port);
    unlock_with_peer(d, rd);
    return rc;
}

static void close_all(struct domain *d)
{
    for (evtchn_port_t port = 1; port <= d->evtchn->max_port; port++)
        close_port(d, port);
}

int evtchn_domain_init(struct domain *d, unsigned int max_ports)
{
    size_t size = sizeof(struct evtchn_domain) + ((size_t)max_ports + 1) * sizeof(struct evtchn);
    unsigned int order = 0;
    struct evtchn_domain *ed;

    if (!max_ports || max_ports >= EVTCHN_2L_MAX_PORTS)
        return -EINVAL;
    while ((PAGE_SIZE << order) < size)
        order++;
    ed = page_alloc_zeroed(order);
    if (!ed)
        return -ENOMEM;
    spin_lock_init(&ed->lock);
    ed->max_port = max_ports;
    ed->order = order;
    ed->chan[0].state = ECS_RESERVED;
    d->evtchn = ed;
    return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    if (!ed)
        return;
    close_all(d);
    for (unsigned int i = 0; i < MAX_VIRT_CPUS; i++)
        timer_stop(&ed->poll_timer[i]);
    d->evtchn = NULL;
    page_free(ed, ed->order);
}

/* ---- SCHEDOP_poll ---- */

static void poll_timeout(void *data)
{
    struct vcpu *v = data;
    struct evtchn_domain *ed = v->domain->evtchn;
    uint32_t bit = 1u << v->id;

    if (ed && (__atomic_fetch_and(&ed->polling, ~bit, __ATOMIC_SEQ_CST) & bit))
        vcpu_kick(v);
}

static bool any_pending(struct domain *d, const evtchn_port_t *ports, unsigned int nr)
{
    for (unsigned int i = 0; i < nr; i++)
        if (evtchn_port_is_pending(d, ports[i]))
            return true;
    return false;
}

long evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int nr_ports,
                 uint64_t timeout)
{
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    uint32_t bit = 1u << v->id;

    if (nr_ports > POLL_MAX_PORTS)
        return -EINVAL;
    for (unsigned int i = 0; i < nr_ports; i++)
        if (ports[i] > ed->max_port)
            return -EINVAL;
    timer_stop(&ed->poll_timer[v->id]);
    /*
     * Announce the poll and block before looking at the ports: a sender that
     * sets a bit after our look finds us polling and wakes us.
     */
    __atomic_fetch_or(&ed->polling, bit, __ATOMIC_SEQ_CST);
    sched_block(v);
    if (any_pending(d, ports, nr_ports) || (timeout && timeout <= now_ns())) {
        __atomic_fetch_and(&ed->polling, ~bit, __ATOMIC_SEQ_CST);
        vcpu_kick(v); /* undoes the block */
        return 0;
    }
    if (timeout) {
        timer_init(&ed->poll_timer[v->id], poll_timeout, v);
        timer_set(&ed->poll_timer[v->id], timeout);
    }
    return 0;
}

/* ---- Hypercall operations: each validates everything before it changes anything ---- */

/* DOMID_SELF or a live domain with event state; -ESRCH otherwise. */
static long lookup_domain(struct vcpu *v, domid_t id, struct domain **out)
{
    struct domain *d = id == DOMID_SELF ? v->domain : domain_by_id(id);

    if (!d || !d->evtchn)
        return -ESRCH;
    *out = d;
    return 0;
}

/* A new unbound port of d that remote may bind: the port, or -ENOSPC. */
static int alloc_unbound(struct domain *d, domid_t remote)
{
    struct evtchn_domain *ed = d->evtchn;
    int port;

    spin_lock(&ed->lock);
    port = alloc_port(ed);
    if (port > 0) {
        ed->chan[port].state = ECS_UNBOUND;
        ed->chan[port].remote_id = remote;
    }
    spin_unlock(&ed->lock);
    return port;
}

static long op_alloc_unbound(struct vcpu *v, void *arg)
{
    struct evtchn_alloc_unbound *a = arg;
    struct domain *d;
    long rc = lookup_domain(v, a->dom, &d);
    int port;

    if (rc)
        return rc;
    if (xsm_evtchn_unbound(v->domain, d))
        return -EPERM;
    /* DOMID_SELF names the caller, not d (Xen's reading). */
    port = alloc_unbound(d, a->remote_dom == DOMID_SELF ? v->domain->id : a->remote_dom);
    if (port < 0)
        return port;
    a->port = (evtchn_port_t)port;
    return 0;
}

int evtchn_alloc_unbound_port(struct domain *d, domid_t remote, evtchn_port_t *port)
{
    int rc;

    if (!d->evtchn)
        return -ESRCH;
    rc = alloc_unbound(d, remote);
    if (rc < 0)
        return rc;
    *port = (evtchn_port_t)rc;
    return 0;
}

/* Join ld's free port lport to rd's unbound rport. Caller holds both locks. */
static void join_ports(struct domain *ld, evtchn_port_t lport, struct domain *rd,
                       evtchn_port_t rport)
{
    struct evtchn *lc = &ld->evtchn->chan[lport], *rc = &rd->evtchn->chan[rport];

    lc->state = ECS_INTERDOMAIN;
    lc->remote = rd;
    lc->remote_id = rd->id;
    lc->remote_port = (uint16_t)rport;
    rc->state = ECS_INTERDOMAIN;
    rc->remote = ld;
    rc->remote_id = ld->id;
    rc->remote_port = (uint16_t)lport;
}

static long op_bind_interdomain(struct vcpu *v, void *arg)
{
    struct evtchn_bind_interdomain *b = arg;
    struct domain *ld = v->domain, *rd;
    const struct evtchn *rc;
    long ret = lookup_domain(v, b->remote_dom, &rd);
    int lport;

    if (ret)
        return ret;
    spin_lock_pair(&ld->evtchn->lock, &rd->evtchn->lock);
    ret = -EINVAL;
    if (b->remote_port > rd->evtchn->max_port)
        goto out;
    rc = &rd->evtchn->chan[b->remote_port];
    if (rc->state != ECS_UNBOUND || rc->remote_id != ld->id)
        goto out;
    ret = -EPERM;
    if (xsm_evtchn_interdomain(ld, rd))
        goto out;
    ret = lport = alloc_port(ld->evtchn);
    if (lport < 0)
        goto out;
    join_ports(ld, (evtchn_port_t)lport, rd, b->remote_port);
    /* Events sent while the remote port was unbound were dropped: notify once, as Xen does. */
    set_pending(ld, (evtchn_port_t)lport);
    b->local_port = (evtchn_port_t)lport;
    ret = 0;
out:
    spin_unlock_pair(&ld->evtchn->lock, &rd->evtchn->lock);
    return ret;
}

static long op_bind_virq(struct vcpu *v, void *arg)
{
    struct evtchn_bind_virq *b = arg;
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    unsigned int row;
    int port;

    if (b->virq >= NR_VIRQS || (virq_is_global(b->virq) && b->vcpu != 0))
        return -EINVAL;
    if (!vcpu_exists(d, b->vcpu))
        return -ENOENT;
    row = virq_is_global(b->virq) ? 0 : b->vcpu;
    spin_lock(&ed->lock);
    port = ed->virq_to_port[row][b->virq] ? -EEXIST : alloc_port(ed);
    if (port > 0) {
        ed->chan[port].state = ECS_VIRQ;
        ed->chan[port].virq = (uint16_t)b->virq;
        __atomic_store_n(&ed->chan[port].notify_vcpu, (uint8_t)b->vcpu, __ATOMIC_RELAXED);
        ed->virq_to_port[row][b->virq] = (uint16_t)port;
        b->port = (evtchn_port_t)port;
    }
    spin_unlock(&ed->lock);
    return port < 0 ? port : 0;
}

static long op_bind_ipi(struct vcpu *v, void *arg)
{
    struct evtchn_bind_ipi *b = arg;
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    int port;

    if (!vcpu_exists(d, b->vcpu))
        return -ENOENT;
    spin_lock(&ed->lock);
    port = alloc_port(ed);
    if (port > 0) {
        ed->chan[port].state = ECS_IPI;
        __atomic_store_n(&ed->chan[port].notify_vcpu, (uint8_t)b->vcpu, __ATOMIC_RELAXED);
        b->port = (evtchn_port_t)port;
    }
    spin_unlock(&ed->lock);
    return port < 0 ? port : 0;
}

static long op_bind_vcpu(struct vcpu *v, void *arg)
{
    const struct evtchn_bind_vcpu *b = arg;
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    struct evtchn *c;
    long rc = 0;

    if (!vcpu_exists(d, b->vcpu))
        return -ENOENT;
    if (b->port > ed->max_port)
        return -EINVAL;
    spin_lock(&ed->lock);
    c = &ed->chan[b->port];
    /* A per-vCPU VIRQ or an IPI names its vCPU at bind time; only these may move. */
    if (c->state == ECS_UNBOUND || c->state == ECS_INTERDOMAIN ||
        (c->state == ECS_VIRQ && virq_is_global(c->virq)))
        __atomic_store_n(&c->notify_vcpu, (uint8_t)b->vcpu, __ATOMIC_RELAXED);
    else
        rc = -EINVAL;
    spin_unlock(&ed->lock);
    return rc;
}

static long op_send(struct vcpu *v, void *arg)
{
    const struct evtchn_send *s = arg;
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    const struct evtchn *c;
    long rc = 0;

    if (s->port > ed->max_port)
        return -EINVAL;
    spin_lock(&ed->lock);
    c = &ed->chan[s->port];
    if (c->state == ECS_INTERDOMAIN)
        set_pending(c->remote, c->remote_port);
    else if (c->state == ECS_IPI)
        set_pending(d, s->port);
    else if (c->state != ECS_UNBOUND) /* unbound: nobody listens yet, dropped as in Xen */
        rc = -EINVAL;
    spin_unlock(&ed->lock);
    return rc;
}

static long op_close(struct vcpu *v, void *arg)
{
    const struct evtchn_close *c = arg;
    struct domain *d = v->domain;

    if (c->port > d->evtchn->max_port)
        return -EINVAL;
    return close_port(d, c->port);
}

static void fill_status(struct evtchn_status *s, const struct evtchn *c)
{
    memset(&s->u, 0, sizeof(s->u));
    s->vcpu = c->notify_vcpu;
    switch (c->state) {
    case ECS_UNBOUND:
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = c->remote_id;
        break;
    case ECS_INTERDOMAIN:
        s->status = EVTCHNSTAT_interdomain;
        s->u.interdomain.dom = c->remote_id;
        s->u.interdomain.port = c->remote_port;
        break;
    case ECS_VIRQ:
        s->status = EVTCHNSTAT_virq;
        s->u.virq = c->virq;
        break;
    case ECS_IPI:
        s->status = EVTCHNSTAT_ipi;
        break;
    default:
        s->status = EVTCHNSTAT_closed;
        break;
    }
}

static long op_status(struct vcpu *v, void *arg)
{
    struct evtchn_status *s = arg;
    struct domain *d;
    long rc = lookup_domain(v, s->dom, &d);

    if (rc)
        return rc;
    if (xsm_domain_control(v->domain, d))
        return -EPERM;
    if (s->port > d->evtchn->max_port)
        return -EINVAL;
    spin_lock(&d->evtchn->lock);
    fill_status(s, &d->evtchn->chan[s->port]);
    spin_unlock(&d->evtchn->lock);
    return 0;
}

static long op_unmask(struct vcpu *v, void *arg)
{
    const struct evtchn_unmask *u = arg;
    struct domain *d = v->domain;

    if (u->port > d->evtchn->max_port)
        return -EINVAL;
    spin_lock(&d->evtchn->lock);
    unmask_locked(d, u->port);
    spin_unlock(&d->evtchn->lock);
    return 0;
}

static long op_reset(struct vcpu *v, void *arg)
{
    const struct evtchn_reset *r = arg;
    struct domain *d;
    long rc = lookup_domain(v, r->dom, &d);

    if (rc)
        return rc;
    if (xsm_domain_control(v->domain, d))
        return -EPERM;
    close_all(d);
    return 0;
}

struct evtchn_op_desc {
    long (*fn)(struct vcpu *v, void *arg);
    size_t size;
    bool out;                 /* the argument is written back */
};

#define OP(cmd, f, type, o) [cmd] = { f, sizeof(struct type), o }
static const struct evtchn_op_desc evtchn_ops[] = {
    OP(EVTCHNOP_bind_interdomain, op_bind_interdomain, evtchn_bind_interdomain, true),
    OP(EVTCHNOP_bind_virq, op_bind_virq, evtchn_bind_virq, true),
    OP(EVTCHNOP_close, op_close, evtchn_close, false),
    OP(EVTCHNOP_send, op_send, evtchn_send, false),
    OP(EVTCHNOP_status, op_status, evtchn_status, true),
    OP(EVTCHNOP_alloc_unbound, op_alloc_unbound, evtchn_alloc_unbound, true),
    OP(EVTCHNOP_bind_ipi, op_bind_ipi, evtchn_bind_ipi, true),
    OP(EVTCHNOP_bind_vcpu, op_bind_vcpu, evtchn_bind_vcpu, false),
    OP(EVTCHNOP_unmask, op_unmask, evtchn_unmask, false),
    OP(EVTCHNOP_reset, op_reset, evtchn_reset, false),
    /* Nothing ever needs continuing here: the reset closes at most 4095 ports at once. */
    OP(EVTCHNOP_reset_cont, op_reset, evtchn_reset, false),
    /* bind_pirq (no physical IRQs for guests yet), init_control/expand_array/set_priority
     * (FIFO ABI: Linux falls back to 2-level on -ENOSYS) are absent: -ENOSYS. */
};
#undef OP

long do_event_channel_op(struct vcpu *v, const struct hypercall_args *args)
{
    uint64_t cmd = args->a[0], gva = args->a[1];
    const struct evtchn_op_desc *op;
    union {
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_status status;
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_reset reset;
        evtchn_port_t port;
    } buf;
    long rc;

    if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
        return -ENOSYS;
    op = &evtchn_ops[cmd];
    if (!v->domain->evtchn)
        return -ESRCH;
    if (copy_from_guest(v, &buf, gva, op->size))
        return -EFAULT;
    /* Prove the result can be stored before changing anything, so no port leaks on -EFAULT. */
    if (op->out && copy_to_guest(v, gva, &buf, op->size))
        return -EFAULT;
    rc = op->fn(v, &buf);
    if (!rc && op->out && copy_to_guest(v, gva, &buf, op->size))
        rc = -EFAULT;
    return rc;
}
