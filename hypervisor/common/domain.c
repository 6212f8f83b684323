/* SPDX-License-Identifier: GPL-2.0-only */
/* Domain and vCPU lifetime: creation, memory ownership, shutdown, crash, teardown. */
#include <xenon/arch.h>
#include <xenon/console.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/grant_table.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/time.h>
#include <public/sched.h>
#include <public/xen.h>

#define MAX_EXTENTS (PAGE_SIZE / sizeof(struct domain_extent))

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

unsigned int domain_count(void)
{
    unsigned int n = 0;

    for (struct domain *d = domain_list; d; d = d->next)
        n++;
    return n;
}

/* Wallclock in shared_info: the time of day at system time 0. */
static void set_wallclock(struct shared_info *s)
{
    uint64_t wc = wallclock_at_boot();

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)wc;
    s->wc_sec_hi = (uint32_t)(wc >> 32);
    s->wc_nsec = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}

void vcpu_update_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    const struct time_scale *sc = tsc_scale();
    uint64_t tsc = tsc_read();

    t->version++; /* odd: update in progress */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = scale_delta(tsc - tsc_at_boot(), sc);
    t->tsc_to_system_mul = sc->mul_frac;
    t->tsc_shift = sc->shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
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

int domain_create(domid_t id, unsigned int nr_vcpus, uint64_t max_pages, struct domain **out)
{
    struct domain *d;
    int rc = -ENOMEM;

    if (!nr_vcpus || nr_vcpus > MAX_VIRT_CPUS || id >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    if (domain_by_id(id))
        return -EEXIST;
    d = page_alloc_zeroed(0);
    if (!d)
        return -ENOMEM;
    d->id = id;
    d->max_pages = max_pages;
    d->nr_vcpus = nr_vcpus;
    d->shared_info_gfn = SHARED_INFO_UNMAPPED;
    d->extents = page_alloc_zeroed(0);
    d->shared_info = page_alloc_zeroed(0);
    if (!d->extents || !d->shared_info)
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

int domain_populate(struct domain *d, gfn_t gfn, unsigned int order)
{
    mfn_t mfn;
    int rc;

    if (d->tot_pages + (1ull << order) > d->max_pages)
        return -ENOMEM;
    if (d->nr_extents == MAX_EXTENTS)
        return -ENOSPC;
    rc = frames_alloc(order, &mfn);
    if (rc)
        return rc;
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE << order);
    rc = p2m_map(d, gfn, mfn, order, P2M_RAM_RW);
    if (rc) {
        frames_free(mfn, order);
        return rc;
    }
    d->extents[d->nr_extents++] = (struct domain_extent){ mfn, order };
    d->tot_pages += 1ull << order;
    d->max_gpfn = MAX(d->max_gpfn, gfn_x(gfn) + (1ull << order) - 1);
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

void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (!domain_is_alive(d))
        return;
    console_guest_flush(d);
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_reason = reason;
    stop_vcpus(d);
    log_info("d%u shutdown: %s", d->id, shutdown_reason_name(reason));
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
        page_free(d->vcpus[i], 0);
        d->vcpus[i] = NULL;
    }
    evtchn_domain_destroy(d);
    /* Before the P2M and the frames go: other domains may still map them. */
    grant_table_destroy(d);
    if (d->sched_ready)
        sched_domain_destroy(d);
    if (d->arch.npt_root)
        arch_domain_destroy(d);
    for (unsigned int i = 0; i < d->nr_extents; i++)
        frames_free(d->extents[i].mfn, d->extents[i].order);
    if (d->extents)
        page_free(d->extents, 0);
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

/* Destroy dead domains once no pCPU is still on one of their vCPUs. */
void domain_reap(void)
{
    for (;;) {
        struct domain *d;

        spin_lock(&domain_list_lock);
        for (d = domain_list; d; d = d->next)
            if (!domain_is_alive(d) && !any_vcpu_running(d))
                break;
        if (d) {
            if (d->state != DOMAIN_SHUTDOWN || d->shutdown_reason != SHUTDOWN_poweroff)
                any_failed = true;
            domain_unlink_locked(d);
            nr_dying++;
        }
        spin_unlock(&domain_list_lock);
        if (!d)
            return;
        domain_destroy(d);
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
