/* SPDX-License-Identifier: GPL-2.0-only */
/* Domain and vCPU lifetime: creation, memory ownership, shutdown, crash, teardown. */
#include <xenon/arch.h>
#include <xenon/console.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/hwdom.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <public/sched.h>
#include <public/xen.h>

_Static_assert(sizeof(struct domain) <= PAGE_SIZE, "struct domain fits a page");
_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "struct vcpu fits a page");
_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE, "shared_info fits a page");

/* The domain list; taken before sched_lock. */
static spinlock_t domain_list_lock = SPINLOCK_INIT;
static struct domain *domain_list;
static unsigned int nr_dying; /* unlinked by domain_reap, not yet destroyed */
static bool any_failed;

struct domain *domain_first(void) { return domain_list; }
bool domains_all_powered_off(void) { return !any_failed; }

struct domain *domain_by_id(domid_t id)
{
    for (struct domain *d = domain_list; d; d = d->next)
        if (d->id == id)
            return d;
    return NULL;
}

struct domain *domain_get(domid_t id)
{
    struct domain *d;

    spin_lock(&domain_list_lock);
    d = domain_by_id(id);
    if (d)
        __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
    spin_unlock(&domain_list_lock);
    return d;
}

void domain_put(struct domain *d)
{
    __atomic_fetch_sub(&d->refcnt, 1, __ATOMIC_RELEASE);
}

void domain_hold(struct domain *d)
{
    /* Already referenced, so domain_reap cannot be unlinking it meanwhile. */
    __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
}

struct domain *domain_get_next(domid_t id)
{
    struct domain *d;

    spin_lock(&domain_list_lock);
    /* The list is sorted by id (domain_link). */
    for (d = domain_list; d && d->id < id;)
        d = d->next;
    if (d)
        __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
    spin_unlock(&domain_list_lock);
    return d;
}

unsigned int domain_count(void)
{
    unsigned int n = 0;

    for (struct domain *d = domain_list; d; d = d->next)
        n++;
    return n;
}

/* Wallclock in shared_info: the time of day at system time 0 (version protocol). */
static void set_wallclock(struct shared_info *s)
{
    uint64_t base = wallclock_base_ns(), secs = base / SECONDS(1);

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)secs;
    s->wc_sec_hi = (uint32_t)(secs >> 32);
    s->wc_nsec = (uint32_t)(base % SECONDS(1));
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}

void domain_update_wallclocks(void)
{
    spin_lock(&domain_list_lock);
    for (struct domain *d = domain_list; d; d = d->next)
        set_wallclock(d->shared_info);
    spin_unlock(&domain_list_lock);
}

void vcpu_update_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    const struct time_scale *sc = tsc_scale();

    t->version++; /* odd: update in progress */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /*
     * One reference for every vCPU, boot itself: a reading is then the same
     * function of the (synchronised) TSC everywhere, so it never steps back
     * between vCPUs; per-vCPU snapshots would differ by their rounding.
     */
    t->tsc_timestamp = tsc_at_boot();
    t->system_time = 0;
    t->tsc_to_system_mul = sc->mul_frac;
    t->tsc_shift = sc->shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
    /* The second copy (Linux's vDSO clock); a bad address is the guest's problem, as in Xen. */
    if (v->time_area_gva)
        (void)copy_to_guest(v, v->time_area_gva, t, sizeof(*t));
}

void vcpu_kick(struct vcpu *v)
{
    /* The upcall is raised at the vCPU's next entry: wake it, or make it exit and re-enter. */
    sched_wake(v);
    if (__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE) && v->processor != smp_processor_id())
        arch_kick_cpu(v->processor);
}

static void vcpu_singleshot_fired(void *data)
{
    evtchn_send_virq(data, VIRQ_TIMER);
}

static int vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = page_alloc_zeroed(0);
    int rc;

    if (!v)
        return -ENOMEM;
    v->domain = d;
    v->id = id;
    v->state = VCPU_DOWN;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    timer_init(&v->singleshot, vcpu_singleshot_fired, v);
    d->vcpus[id] = v;
    rc = arch_vcpu_init(v);
    if (!rc)
        rc = sched_vcpu_init(v);
    if (rc)
        return rc;
    v->sched_ready = true;
    return 0;
}

static void domain_link(struct domain *d)
{
    struct domain **p;

    spin_lock(&domain_list_lock);
    for (p = &domain_list; *p && (*p)->id < d->id;)
        p = &(*p)->next;
    d->next = *p;
    *p = d;
    spin_unlock(&domain_list_lock);
}

static void domain_unlink_locked(struct domain *d)
{
    for (struct domain **p = &domain_list; *p; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            return;
        }
    }
}

int domain_create(domid_t id, unsigned int nr_vcpus, uint64_t max_pages, unsigned int flags, struct domain **out)
{
    struct domain *d;
    int rc = -ENOMEM;

    if (!nr_vcpus || nr_vcpus > MAX_VIRT_CPUS || id >= DOMID_FIRST_RESERVED ||
        ((flags & DOMAIN_HARDWARE) && id != 0))
        return -EINVAL;
    if (domain_by_id(id))
        return -EEXIST;
    d = page_alloc_zeroed(0);
    if (!d)
        return -ENOMEM;
    d->id = id;
    d->hardware = flags & DOMAIN_HARDWARE;
    d->max_pages = max_pages;
    d->nr_vcpus = nr_vcpus;
    d->shared_info_gfn = SHARED_INFO_UNMAPPED;
    d->shared_info = page_alloc_zeroed(0);
    if (!d->shared_info)
        goto out;
    set_wallclock(d->shared_info);
    rc = evtchn_domain_init(d, EVTCHN_DEFAULT_MAX_PORTS);
    if (!rc)
        rc = grant_table_init(d, GNTTAB_DEFAULT_MAX_FRAMES, GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    if (rc)
        goto out;
    rc = arch_domain_init(d);
    if (!rc)
        rc = sched_domain_init(d);
    if (rc)
        goto out;
    d->sched_ready = true;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        rc = vcpu_create(d, i);
        if (rc)
            goto out;
    }
    domain_link(d);
    *out = d;
    return 0;
out:
    domain_destroy(d);
    return rc;
}

/* Several vCPUs may populate at once: raise, never lower. */
void domain_raise_max_gpfn(struct domain *d, uint64_t gfn)
{
    uint64_t cur = __atomic_load_n(&d->max_gpfn, __ATOMIC_RELAXED);

    while (cur < gfn && !__atomic_compare_exchange_n(&d->max_gpfn, &cur, gfn, false,
                                                     __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

/*
 * Map fresh frames [mfn, mfn + 2^order) at gfn: one 2 MiB entry for order 9,
 * frame by frame otherwise. On failure nothing stays mapped or owned.
 */
static int map_fresh(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order)
{
    uint64_t n = 1ull << order, mapped = 0;
    int rc;

    if (order == 9) {
        rc = p2m_map(d, gfn, mfn, order, P2M_RAM_RW);
    } else {
        do {
            rc = p2m_map(d, _gfn(gfn_x(gfn) + mapped), _mfn(mfn_x(mfn) + mapped), 0, P2M_RAM_RW);
        } while (!rc && ++mapped < n);
    }
    if (!rc)
        return 0;
    /* Unmapping releases a frame; the rest, never mapped, are released directly. */
    for (uint64_t i = 0; i < mapped; i++)
        p2m_unmap(d, _gfn(gfn_x(gfn) + i));
    for (uint64_t i = mapped; i < n; i++)
        mm_domain_release(d, _mfn(mfn_x(mfn) + i));
    return rc;
}

int domain_populate(struct domain *d, gfn_t gfn, unsigned int order, unsigned int address_bits)
{
    uint64_t n = 1ull << order;
    mfn_t mfn;
    int rc;

    if (order > 9 || gfn_x(gfn) & (n - 1) || gfn_x(gfn) + n > P2M_GFN_LIMIT)
        return -EINVAL;
    /* The hardware domain's RAM is identity-mapped: its devices DMA to guest-physical addresses. */
    if (is_hardware_domain(d)) {
        mfn = _mfn(gfn_x(gfn));
        rc = mm_domain_claim(d, mfn, order, address_bits);
    } else {
        rc = mm_domain_alloc(d, order, address_bits, &mfn);
    }
    if (rc)
        return rc;
    /* Owned but mapped nowhere yet: nobody else can reach these frames. */
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE << order);
    rc = map_fresh(d, gfn, mfn, order);
    if (rc)
        return rc;
    domain_raise_max_gpfn(d, gfn_x(gfn) + n - 1);
    return 0;
}

static void stop_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < 2; i++)
        timer_stop(&d->watchdog[i]);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (!d->vcpus[i])
            continue;
        timer_stop(&d->vcpus[i]->singleshot);
        if (d->vcpus[i]->sched_ready)
            sched_vcpu_stop(d->vcpus[i], VCPU_DEAD);
        else
            d->vcpus[i]->state = VCPU_DEAD;
    }
}

static const char *shutdown_reason_name(unsigned int reason)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };

    return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

/* Tell domain 0 (its xenstored watches @releaseDomain) that d changed state, as Xen does. */
static void notify_dom_exc(domid_t id)
{
    struct domain *dom0;

    if (id == 0 || !(dom0 = domain_get(0)))
        return;
    evtchn_send_global_virq(dom0, VIRQ_DOM_EXC);
    domain_put(dom0);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (!domain_is_alive(d))
        return;
    console_guest_flush(d);
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_reason = reason;
    stop_vcpus(d);
    log_info("d%u shutdown: %s", d->id, shutdown_reason_name(reason));
    notify_dom_exc(d->id);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    if (!domain_is_alive(d))
        return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    console_guest_flush(d);
    d->state = DOMAIN_CRASHED;
    stop_vcpus(d);
    log_err("d%u crashed: %s", d->id, why);
    notify_dom_exc(d->id);
}

bool domain_kill(struct domain *d)
{
    enum domain_state alive = DOMAIN_RUNNING;

    /* A crash or shutdown racing on one of its own vCPUs may win; then that stands. */
    if (!__atomic_compare_exchange_n(&d->state, &alive, DOMAIN_KILLED, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return false;
    console_guest_flush(d);
    stop_vcpus(d);
    log_info("d%u destroyed by the control domain", d->id);
    return true;
}

void domain_destroy(struct domain *d)
{
    if (!d)
        return;
    spin_lock(&domain_list_lock);
    domain_unlink_locked(d);
    spin_unlock(&domain_list_lock);
    stop_vcpus(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (!d->vcpus[i])
            continue;
        if (d->vcpus[i]->sched_ready)
            sched_vcpu_destroy(d->vcpus[i]);
        arch_vcpu_destroy(d->vcpus[i]);
        if (d->vcpus[i]->vcpu_info_registered)
            mm_put_page(d->vcpus[i]->vcpu_info_mfn);
        page_free(d->vcpus[i], 0);
        d->vcpus[i] = NULL;
    }
    evtchn_domain_destroy(d);
    /*
     * The P2M before the grant table: its entries name grant frames, which
     * must not be freed (and maybe reused) while they do. Frames that others
     * still map outlive it on their references.
     */
    p2m_destroy(d);
    grant_table_destroy(d);
    if (d->target)
        domain_put(d->target);
    if (d->sched_ready)
        sched_domain_destroy(d);
    /* Its P2M is gone already; the back end also forgets d in every pCPU's TLB state. */
    arch_domain_destroy(d);
    mm_domain_teardown(d);
    hwdom_destroy(d); /* its sink page, once no P2M maps it */
    if (d->shared_info)
        page_free(d->shared_info, 0);
    page_free(d, 0);
}

static bool any_vcpu_running(const struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] && __atomic_load_n(&d->vcpus[i]->is_running, __ATOMIC_ACQUIRE))
            return true;
    return false;
}

/* Dead, and no pCPU is still on one of its vCPUs: it changes nothing any more. */
static bool is_stopped(const struct domain *d)
{
    return !domain_is_alive(d) && !any_vcpu_running(d);
}

/*
 * Destroy dead domains once no pCPU is still on one of their vCPUs and no
 * domain_get() holds them: both are checked and the domain unlinked under
 * the list lock, which domain_get() takes too.
 *
 * A stopped domain that is still held first loses its mappings of other
 * domains' pages (p2m_relinquish_resources): they hold references on those
 * domains, one of which may be what holds this one (two domains mapping
 * each other's grant frames). Stopped, it maps nothing new, so that ends.
 */
void domain_reap(void)
{
    for (;;) {
        struct domain *d;
        domid_t id;

        spin_lock(&domain_list_lock);
        for (d = domain_list; d; d = d->next)
            if (is_stopped(d) && (!__atomic_load_n(&d->refcnt, __ATOMIC_ACQUIRE) ||
                                  __atomic_load_n(&d->p2m_res.nr, __ATOMIC_RELAXED)))
                break;
        if (d && __atomic_load_n(&d->refcnt, __ATOMIC_ACQUIRE)) {
            __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);
            spin_unlock(&domain_list_lock);
            p2m_relinquish_resources(d);
            domain_put(d);
            continue;
        }
        if (d) {
            if (d->state == DOMAIN_CRASHED ||
                (d->state == DOMAIN_SHUTDOWN && d->shutdown_reason != SHUTDOWN_poweroff))
                any_failed = true;
            domain_unlink_locked(d);
            nr_dying++;
        }
        spin_unlock(&domain_list_lock);
        if (!d)
            return;
        id = d->id;
        domain_destroy(d);
        notify_dom_exc(id);
        spin_lock(&domain_list_lock);
        nr_dying--;
        spin_unlock(&domain_list_lock);
    }
}

bool domains_all_gone(void)
{
    bool gone;

    spin_lock(&domain_list_lock);
    gone = !domain_list && !nr_dying;
    spin_unlock(&domain_list_lock);
    return gone;
}
