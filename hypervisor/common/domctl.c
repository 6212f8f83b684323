/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_domctl: the toolstack's control of domains, with Xen 4.17's
 * numbers, layouts and semantics (public/domctl.h), so that libxenctrl runs
 * unchanged against us.
 *
 * Every call reads the whole struct xen_domctl, checks its version, looks up
 * the domain it names (kept alive by a domain_get() reference), asks the
 * access-control hook, and only then runs the operation, which checks its
 * own arguments before it changes anything. Operations that return data
 * write the whole struct back.
 *
 * Lock order: domctl_lock, then whatever the operations take (the domain
 * list lock, the scheduler lock). domctl_lock serialises the toolstack's
 * changes: domain ids, controller pause counts, targets, handles.
 */
#include <xenon/domain.h>
#include <xenon/domctl.h>
#include <xenon/guest_access.h>
#include <xenon/hvm_context.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/p2m.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <xenon/xsm.h>
#include <public/sched.h>
#include <public/xen.h>

/* Xen's limit on nested controller pauses, so pause_count cannot overflow. */
#define MAX_CONTROLLER_PAUSES 255
/* Credit putinfo: these values leave a parameter as it is. */
#define CREDIT_KEEP_WEIGHT 0
#define CREDIT_KEEP_CAP 0xffffu

static spinlock_t domctl_lock = SPINLOCK_INIT;
static domid_t domid_rover; /* the last id createdomain picked; under domctl_lock */

/* ---- Information ---- */

static uint32_t state_flags(const struct domain *d)
{
    switch (d->state) {
    case DOMAIN_SHUTDOWN:
        return XEN_DOMINF_shutdown | (d->shutdown_reason & XEN_DOMINF_shutdownmask)
                                         << XEN_DOMINF_shutdownshift;
    case DOMAIN_CRASHED:
        return XEN_DOMINF_shutdown | SHUTDOWN_crash << XEN_DOMINF_shutdownshift;
    case DOMAIN_KILLED:
        return XEN_DOMINF_dying;
    default:
        return 0;
    }
}

void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    /* Blocked only if every online vCPU is; running if any is on a pCPU. */
    uint32_t flags = XEN_DOMINF_blocked;

    memset(info, 0, sizeof(*info));
    info->domain = d->id;
    info->max_vcpu_id = d->nr_vcpus ? d->nr_vcpus - 1 : XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        struct vcpu_runstate_info rs;
        enum vcpu_state st;

        if (!v)
            continue;
        st = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
        sched_get_runstate(v, &rs);
        info->cpu_time += rs.time[RUNSTATE_running];
        if (st == VCPU_DOWN || st == VCPU_DEAD)
            continue;
        if (st != VCPU_BLOCKED)
            flags &= ~XEN_DOMINF_blocked;
        if (__atomic_load_n(&v->is_running, __ATOMIC_RELAXED))
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->flags = (info->nr_online_vcpus ? flags : 0) | state_flags(d) | XEN_DOMINF_hvm_guest |
                  XEN_DOMINF_hap | (d->controller_pause_count ? XEN_DOMINF_paused : 0);
    info->tot_pages = __atomic_load_n(&d->pages.nr, __ATOMIC_RELAXED);
    info->max_pages = __atomic_load_n(&d->max_pages, __ATOMIC_RELAXED);
    info->shared_info_frame = d->shared_info_gfn;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->gpaddr_bits = (uint8_t)(__builtin_ctzll(P2M_GFN_LIMIT) + PAGE_SHIFT);
    /* Every domain is PVH: only the local APIC is emulated. */
    info->arch_config.emulation_flags = XEN_X86_EMU_LAPIC;
}

/* The first domain with id >= the one asked for (Xen's getdomaininfo walks on). */
static long op_getdomaininfo(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct domain *found = d;

    if (!found) {
        if (op->domain >= DOMID_FIRST_RESERVED)
            return -EINVAL;
        found = domain_get_next(op->domain);
        if (!found)
            return -ESRCH;
    }
    domctl_getdomaininfo(found, &op->u.getdomaininfo);
    op->domain = found->id;
    if (found != d)
        domain_put(found);
    return 0;
}

static long op_getvcpuinfo(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_getvcpuinfo *gi = &op->u.getvcpuinfo;
    struct vcpu_runstate_info rs;
    struct vcpu *v;
    enum vcpu_state st;

    if (gi->vcpu >= d->nr_vcpus)
        return -EINVAL;
    v = d->vcpus[gi->vcpu];
    if (!v)
        return -ESRCH;
    sched_get_runstate(v, &rs);
    st = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
    gi->online = st != VCPU_DOWN && st != VCPU_DEAD;
    gi->blocked = st == VCPU_BLOCKED;
    gi->running = __atomic_load_n(&v->is_running, __ATOMIC_RELAXED);
    gi->cpu_time = rs.time[RUNSTATE_running];
    gi->cpu = v->processor;
    return 0;
}

/* ---- Creation and destruction ---- */

/* What Xenon can build: PVH (HVM container with hardware paging), nothing optional. */
static int check_create_config(const struct xen_domctl_createdomain *c)
{
    const uint32_t pvh = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;

    if (c->flags != pvh || c->iommu_opts || c->vmtrace_size)
        return -EINVAL;
    if (!c->max_vcpus || c->max_vcpus > MAX_VIRT_CPUS)
        return -EINVAL;
    if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask || XEN_DOMCTL_GRANT_version(c->grant_opts) != 1)
        return -EINVAL;
    /* Negative means "the default"; the hypervisor's defaults are what the domain gets. */
    if (c->max_grant_frames == 0)
        return -EINVAL;
    if (c->cpupool_id)
        return -ENOENT;
    if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        return -EINVAL;
    /* Other device sets are unsupported, not malformed (as Xen); relaxed MSRs we do not offer. */
    if (c->arch.emulation_flags != XEN_X86_EMU_LAPIC || c->arch.misc_flags)
        return -EOPNOTSUPP;
    return 0;
}

static bool domid_in_use(domid_t id)
{
    struct domain *d = domain_get(id);

    if (d)
        domain_put(d);
    return d != NULL;
}

/* Under domctl_lock: the id asked for if free, or the next free one after the last picked. */
static int pick_domid(domid_t want, domid_t *out)
{
    if (want && want < DOMID_FIRST_RESERVED) {
        *out = want;
        return domid_in_use(want) ? -EEXIST : 0;
    }
    for (unsigned int n = 0; n < DOMID_FIRST_RESERVED - 1; n++) {
        domid_t id = (domid_t)((domid_rover + n) % (DOMID_FIRST_RESERVED - 1) + 1);

        if (!domid_in_use(id)) {
            domid_rover = id;
            *out = id;
            return 0;
        }
    }
    return -ENOMEM;
}

/* An empty domain: vCPUs down, no memory, paused once by the controller. */
static long op_createdomain(struct vcpu *caller, struct domain *unused, struct xen_domctl *op)
{
    const struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    domid_t id;
    int rc = check_create_config(c);

    if (!rc)
        rc = pick_domid(op->domain, &id);
    if (!rc)
        rc = domain_create(id, c->max_vcpus, 0, 0, &d);
    if (rc)
        return rc;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    d->controller_pause_count = 1;
    sched_pause_domain(d);
    op->domain = id;
    log_info("d%u created by d%u (%u vCPU%s)", id, caller->domain->id, c->max_vcpus,
             c->max_vcpus > 1 ? "s" : "");
    return 0;
}

static long op_destroydomain(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    if (d == caller->domain)
        return -EINVAL;
    /* Already dying or shut down: it goes away by itself; nothing more to do. */
    domain_kill(d);
    return 0;
}

/* ---- Limits ---- */

static long op_max_mem(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    /* A limit below what it owns only stops further allocation, as in Xen. */
    __atomic_store_n(&d->max_pages, op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10), __ATOMIC_RELAXED);
    return 0;
}

/* The vCPUs were made by createdomain; the toolstack only confirms the number. */
static long op_max_vcpus(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    if (d == caller->domain || op->u.max_vcpus.max != d->nr_vcpus)
        return -EINVAL;
    return 0;
}

/* ---- Pausing ---- */

static long op_pausedomain(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    /* A vCPU cannot wait for its own domain to stop. */
    if (d == caller->domain)
        return -EINVAL;
    if (d->controller_pause_count >= MAX_CONTROLLER_PAUSES)
        return -EOVERFLOW;
    d->controller_pause_count++;
    sched_pause_domain(d);
    return 0;
}

static long op_unpausedomain(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    if (!d->controller_pause_count)
        return -EINVAL;
    d->controller_pause_count--;
    sched_unpause_domain(d);
    return 0;
}

/* ---- Scheduling ---- */

int domctl_bitmap_to_cpumask(struct vcpu *caller, const struct xenctl_bitmap *b, cpumask_t *out)
{
    uint8_t bytes[sizeof(cpumask_t)] = { 0 };
    uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
    size_t n = (size_t)MIN(guest_bytes, sizeof(bytes));

    if (n && copy_from_guest(caller, bytes, b->bitmap, n))
        return -EFAULT;
    if ((b->nr_bits & 7) && guest_bytes <= sizeof(bytes))
        bytes[guest_bytes - 1] &= (uint8_t)((1u << (b->nr_bits & 7)) - 1);
    *out = 0;
    for (size_t i = 0; i < sizeof(bytes); i++)
        *out |= (cpumask_t)bytes[i] << (8 * i);
    return 0;
}

int domctl_cpumask_to_bitmap(struct vcpu *caller, const struct xenctl_bitmap *b, cpumask_t m)
{
    static const uint8_t zeros[64];
    uint8_t bytes[sizeof(cpumask_t)];
    uint64_t guest_bytes = ((uint64_t)b->nr_bits + 7) / 8;
    size_t n = (size_t)MIN(guest_bytes, sizeof(bytes));

    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(m >> (8 * i));
    if ((b->nr_bits & 7) && guest_bytes <= sizeof(bytes))
        bytes[guest_bytes - 1] &= (uint8_t)((1u << (b->nr_bits & 7)) - 1);
    if (n && copy_to_guest(caller, b->bitmap, bytes, n))
        return -EFAULT;
    /* The caller's bitmap may be wider than our masks: the rest is zero. */
    for (uint64_t off = n; off < guest_bytes; off += sizeof(zeros))
        if (copy_to_guest(caller, b->bitmap + off, zeros, (size_t)MIN(sizeof(zeros), guest_bytes - off)))
            return -EFAULT;
    return 0;
}

/*
 * Read both masks, check them, then change: a bad soft mask leaves the hard
 * one as it was. Returns the masks in effect, as Xen does.
 */
static long set_vcpuaffinity(struct vcpu *caller, struct vcpu *v, const struct xen_domctl_vcpuaffinity *a)
{
    cpumask_t hard = v->hard_affinity, soft = v->soft_affinity;
    int rc = 0;

    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = domctl_bitmap_to_cpumask(caller, &a->cpumap_hard, &hard);
    if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
        rc = domctl_bitmap_to_cpumask(caller, &a->cpumap_soft, &soft);
    if (rc)
        return rc;
    if (cpumask_empty(hard & cpu_online_mask))
        return -EINVAL;
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        BUG_ON(sched_set_affinity(v, hard)); /* cannot fail: checked above */
    /* Soft affinity is only a preference the scheduler reads whole: no lock needed. */
    if (a->flags & XEN_VCPUAFFINITY_SOFT)
        __atomic_store_n(&v->soft_affinity, soft, __ATOMIC_RELAXED);
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = domctl_cpumask_to_bitmap(caller, &a->cpumap_hard, v->hard_affinity & cpu_online_mask);
    if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
        rc = domctl_cpumask_to_bitmap(caller, &a->cpumap_soft,
                                      soft & v->hard_affinity & cpu_online_mask);
    return rc;
}

static long op_vcpuaffinity(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    const struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
    struct vcpu *v;
    int rc = 0;

    if (a->vcpu >= d->nr_vcpus)
        return -EINVAL;
    v = d->vcpus[a->vcpu];
    if (!v)
        return -ESRCH;
    if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -EINVAL;
    /* XEN_VCPUAFFINITY_FORCE undoes SCHEDOP_pin_override, which we do not have: nothing to undo. */
    if (op->cmd == XEN_DOMCTL_setvcpuaffinity)
        return set_vcpuaffinity(caller, v, a);
    if (a->flags & XEN_VCPUAFFINITY_HARD)
        rc = domctl_cpumask_to_bitmap(caller, &a->cpumap_hard, v->hard_affinity);
    if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
        rc = domctl_cpumask_to_bitmap(caller, &a->cpumap_soft, v->soft_affinity);
    return rc;
}

static long op_scheduler_op(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
    struct sched_credit_params p;

    /* The caller names the scheduler it expects; the other one (rr) has no parameters. */
    if (s->sched_id != XEN_SCHEDULER_CREDIT || sched_get_params(d, &p))
        return -EINVAL;
    switch (s->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->u.credit.weight = p.weight;
        s->u.credit.cap = p.cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (s->u.credit.weight != CREDIT_KEEP_WEIGHT)
            p.weight = s->u.credit.weight;
        if (s->u.credit.cap != CREDIT_KEEP_CAP)
            p.cap = s->u.credit.cap;
        return sched_set_params(d, &p); /* -EINVAL out of range, nothing changed */
    default:
        /* Credit has no per-vCPU parameters. */
        return -EINVAL;
    }
}

/* ---- Time, identity, device models ---- */

/* The TSC is always the host's: accept the modes that mean exactly that. */
static long op_settscinfo(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    const struct xen_domctl_tsc_info *t = &op->u.tsc_info;

    switch (t->tsc_mode) {
    case XEN_TSC_MODE_DEFAULT:
        /* Native unless the guest needs another frequency, which we cannot emulate. */
        return !t->gtsc_khz || t->gtsc_khz == tsc_khz() ? 0 : -EOPNOTSUPP;
    case XEN_TSC_MODE_NEVER_EMULATE:
        return 0;
    case XEN_TSC_MODE_ALWAYS_EMULATE:
        return -EOPNOTSUPP;
    default:
        return -EINVAL;
    }
}

static long op_setdomainhandle(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
    return 0;
}

/*
 * d (a device model) may control the target from now on. d keeps a reference
 * on it until d is destroyed, as in Xen; a chain of targets leading back to d
 * would keep both alive forever, so it is refused.
 */
static long op_set_target(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct domain *e = domain_get(op->u.set_target.target);
    bool refused;

    if (!e)
        return -ESRCH;
    /* Targets only change under domctl_lock, and each holds the next: the walk is safe. */
    refused = d->target != NULL;
    for (const struct domain *x = e; x && !refused; x = x->target)
        refused = x == d;
    if (refused) {
        domain_put(e);
        return -EINVAL;
    }
    d->target = e;
    return 0;
}

/* ---- vCPU state (HVM context) ---- */

/*
 * As Xen: the domain is paused around the work, so a running one is fine,
 * but one of its own vCPUs could not wait for that (-EINVAL), nor is there
 * state to talk about in a dying domain.
 */
static int hvm_context_target(struct vcpu *caller, struct domain *d)
{
    return d == caller->domain || !domain_is_alive(d) ? -EINVAL : 0;
}

static long op_gethvmcontext(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_hvmcontext *h = &op->u.hvmcontext;
    uint32_t need, written;
    int rc = hvm_context_target(caller, d);

    if (rc)
        return rc;
    need = arch_hvm_context_size(d);
    if (!h->buffer) {
        h->size = need; /* the caller asks how much room to make */
        return 0;
    }
    if (h->size < need)
        return -ENOSPC;
    sched_pause_domain(d);
    rc = arch_hvm_context_save(caller, d, h->buffer, h->size, &written);
    sched_unpause_domain(d);
    if (!rc)
        h->size = written;
    return rc;
}

static long op_sethvmcontext(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    const struct xen_domctl_hvmcontext *h = &op->u.hvmcontext;
    int rc = hvm_context_target(caller, d);

    if (rc)
        return rc;
    sched_pause_domain(d);
    rc = arch_hvm_context_load(caller, d, h->buffer, h->size);
    sched_unpause_domain(d);
    return rc;
}

static long op_gethvmcontext_partial(struct vcpu *caller, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_hvmcontext_partial *p = &op->u.hvmcontext_partial;
    int rc = hvm_context_target(caller, d);

    if (rc)
        return rc;
    sched_pause_domain(d);
    rc = arch_hvm_context_save_one(caller, d, p->type, p->instance, p->buffer, &p->bufsz);
    sched_unpause_domain(d);
    return rc;
}

/* ---- Dispatch ---- */

typedef long (*domctl_fn)(struct vcpu *caller, struct domain *d, struct xen_domctl *op);

struct domctl_op {
    domctl_fn fn;
    bool copyback; /* the struct goes back to the caller on success */
};

static const struct domctl_op domctl_ops[] = {
    [XEN_DOMCTL_createdomain] = { op_createdomain, true },
    [XEN_DOMCTL_destroydomain] = { op_destroydomain, false },
    [XEN_DOMCTL_pausedomain] = { op_pausedomain, false },
    [XEN_DOMCTL_unpausedomain] = { op_unpausedomain, false },
    [XEN_DOMCTL_getdomaininfo] = { op_getdomaininfo, true },
    [XEN_DOMCTL_setvcpuaffinity] = { op_vcpuaffinity, false },
    [XEN_DOMCTL_max_mem] = { op_max_mem, false },
    [XEN_DOMCTL_getvcpuinfo] = { op_getvcpuinfo, true },
    [XEN_DOMCTL_max_vcpus] = { op_max_vcpus, false },
    [XEN_DOMCTL_scheduler_op] = { op_scheduler_op, true },
    [XEN_DOMCTL_setdomainhandle] = { op_setdomainhandle, false },
    [XEN_DOMCTL_getvcpuaffinity] = { op_vcpuaffinity, false },
    [XEN_DOMCTL_gethvmcontext] = { op_gethvmcontext, true },
    [XEN_DOMCTL_sethvmcontext] = { op_sethvmcontext, false },
    [XEN_DOMCTL_set_target] = { op_set_target, false },
    [XEN_DOMCTL_gethvmcontext_partial] = { op_gethvmcontext_partial, true },
    [XEN_DOMCTL_settscinfo] = { op_settscinfo, false },
};

/*
 * The domain the call names, referenced: none for createdomain, and for
 * getdomaininfo possibly none (it then looks further itself).
 */
static int lookup_domain(const struct xen_domctl *op, struct domain **d)
{
    *d = NULL;
    if (op->cmd == XEN_DOMCTL_createdomain)
        return 0;
    *d = domain_get(op->domain);
    return *d || op->cmd == XEN_DOMCTL_getdomaininfo ? 0 : -ESRCH;
}

long do_domctl(struct vcpu *v, const struct hypercall_args *args)
{
    const struct domctl_op *o;
    struct xen_domctl op;
    struct domain *d;
    long rc;

    if (copy_from_guest(v, &op, args->a[0], sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;
    rc = lookup_domain(&op, &d);
    if (rc)
        return rc;
    rc = xsm_domctl(v->domain, d, op.cmd);
    o = op.cmd < ARRAY_SIZE(domctl_ops) ? &domctl_ops[op.cmd] : NULL;
    if (!rc && (!o || !o->fn)) {
        printk_guest(LOG_DEBUG, "d%u: domctl %u not implemented", v->domain->id, op.cmd);
        rc = -ENOSYS;
    }
    if (!rc) {
        spin_lock(&domctl_lock);
        rc = o->fn(v, d, &op);
        spin_unlock(&domctl_lock);
    }
    if (d)
        domain_put(d);
    if (!rc && o->copyback && copy_to_guest(v, args->a[0], &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
