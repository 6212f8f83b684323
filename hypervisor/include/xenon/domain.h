/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains and their vCPUs. */
#ifndef XENON_DOMAIN_H
#define XENON_DOMAIN_H

#include <xenon/types.h>
#include <xenon/cpumask.h>
#include <xenon/frame_table.h>
#include <xenon/p2m.h>
#include <xenon/spinlock.h>
#include <xenon/timer.h>
#include <asm/domain.h>
#include <public/xen-types.h>
#include <public/xen.h>
#include <public/hvm/params.h>
#include <public/hvm/start_info.h>
#include <public/vcpu.h>

#define MAX_VIRT_CPUS 32
#define DOMAIN_MAX_MEMMAP 64 /* the host's map (BOOT_MAX_MEMMAP) for the hardware domain */
#define SHARED_INFO_UNMAPPED UINT64_MAX
#define CONSOLE_LINE_MAX 160

struct shared_info;
struct vcpu_info;
struct evtchn_domain;
struct grant_table;

enum vcpu_state { VCPU_DOWN, VCPU_RUNNABLE, VCPU_BLOCKED, VCPU_DEAD };

struct vcpu {
    struct domain *domain;
    unsigned int id;
    enum vcpu_state state;
    bool initialised;             /* has register state (boot entry or VCPUOP_initialise) */
    bool is_running;              /* on a pCPU now (or just off it, until its next schedule) */
    bool sched_ready;             /* known to the scheduler (teardown of half-built vCPUs) */
    struct vcpu *runq_next;       /* scheduler run queue link */
    unsigned int processor;       /* pCPU it runs or is queued on */
    cpumask_t hard_affinity;      /* pCPUs it may run on (pinning) */
    cpumask_t soft_affinity;      /* pCPUs it prefers */
    void *sched_priv;             /* the scheduler's per-vCPU data */
    struct vcpu_info *vcpu_info;  /* host pointer: in shared_info or a registered page */
    bool vcpu_info_registered;
    mfn_t vcpu_info_mfn;          /* its frame, referenced while registered */
    uint8_t upcall_vector;        /* HVMOP_set_evtchn_upcall_vector, 0 if unset */
    struct timer singleshot;      /* set_timer_op / VCPUOP_set_singleshot_timer */
    struct vcpu_runstate_info runstate; /* kept by the scheduling core, under its lock */
    uint64_t runstate_gva;        /* VCPUOP_register_runstate_memory_area, 0 if none */
    uint64_t time_area_gva;       /* VCPUOP_register_vcpu_time_memory_area, 0 if none */
    struct arch_vcpu arch;
};

/* DOMAIN_KILLED: destroyed by the control domain (XEN_DOMCTL_destroydomain), not a failure. */
enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_CRASHED, DOMAIN_KILLED };

struct domain {
    domid_t id;
    struct domain *next;          /* domain list */
    enum domain_state state;
    unsigned int shutdown_reason; /* SHUTDOWN_* when state is DOMAIN_SHUTDOWN */
    unsigned int nr_vcpus;
    struct vcpu *vcpus[MAX_VIRT_CPUS];

    struct page_list pages;       /* RAM frames it owns (mm.c); pages.nr is Xen's tot_pages */
    uint64_t max_pages;           /* pages.nr never exceeds it */
    uint64_t max_gpfn;            /* highest guest frame ever mapped */
    spinlock_t p2m_lock;          /* its P2M (arch/x86/p2m.c) */
    struct p2m_resources p2m_res; /* other domains' pages in its P2M, under p2m_lock */
    unsigned int refcnt;          /* domain_get() holds: destruction waits for 0 */
    bool hardware;                /* owns the devices; RAM identity-mapped (hwdom.c) */
    struct hvm_memmap_table_entry memmap[DOMAIN_MAX_MEMMAP]; /* what the guest is told */
    unsigned int nr_memmap;

    struct shared_info *shared_info;
    uint64_t shared_info_gfn;     /* where the guest mapped it, or SHARED_INFO_UNMAPPED */
    uint64_t hvm_params[HVM_NR_PARAMS];
    struct timer watchdog[2];     /* SCHEDOP_watchdog slots */
    uint64_t watchdog_timeout[2]; /* 0 = slot free */

    char console_line[CONSOLE_LINE_MAX];
    unsigned int console_len;
    bool console_open;            /* part of a line shown already (hardware domain) */

    void *sched_priv;             /* the scheduler's per-domain data */
    bool sched_ready;
    unsigned int pause_count;     /* sched_pause_domain() nesting, under the scheduler lock */
    struct evtchn_domain *evtchn; /* event channels (common/event_channel.c) */
    struct grant_table *grant_table; /* grant table v1 (common/grant_table.c) */

    /* The toolstack's view (common/domctl.c, under its lock). */
    unsigned int controller_pause_count; /* XEN_DOMCTL_pausedomain nesting, part of pause_count */
    struct domain *target;        /* XEN_DOMCTL_set_target: it may control this one (referenced) */
    xen_domain_handle_t handle;   /* the toolstack's UUID for it */
    struct arch_domain arch;
};

/* Iterate over live domains. */
struct domain *domain_first(void);
struct domain *domain_by_id(domid_t id);
unsigned int domain_count(void);

#define DOMAIN_HARDWARE 1u /* domain_create(): the hardware domain (domain 0 only) */
int domain_create(domid_t id, unsigned int nr_vcpus, uint64_t max_pages, unsigned int flags, struct domain **out);
/*
 * A live domain by id, kept from destruction until domain_put(); NULL if
 * there is none. For operations on another domain that may take a while.
 */
struct domain *domain_get(domid_t id);
void domain_put(struct domain *d);
/* One more reference on d, which the caller holds already (domain_get); drop it with domain_put(). */
void domain_hold(struct domain *d);
/* The first domain with an id >= id, referenced as by domain_get(); NULL if none. */
struct domain *domain_get_next(domid_t id);
/*
 * Give the domain 2^order (order <= 9) fresh zeroed frames mapped at gfn
 * (aligned); what was mapped there is removed (p2m.h).
 * address_bits: 0, or the frames must lie below 2^address_bits.
 * -ENOMEM past max_pages or when memory is short, -EINVAL for a bad gfn.
 * The hardware domain gets the frames at mfn == gfn: -EBUSY if they are not free.
 */
int domain_populate(struct domain *d, gfn_t gfn, unsigned int order, unsigned int address_bits);
/* max_gpfn = MAX(max_gpfn, gfn), safe against other vCPUs doing the same. */
void domain_raise_max_gpfn(struct domain *d, uint64_t gfn);
/* Guest asked to stop: record why, stop its vCPUs, tear it down. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* The hypervisor kills the guest: one line on the console saying why. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The control domain destroys it: stop its vCPUs (on other pCPUs at their
 * next exit); domain_reap() frees it once none runs and nobody holds it.
 * False if it had already stopped (shut down, crashed or killed).
 */
bool domain_kill(struct domain *d);
/* Free everything; idempotent, accepts a half-built domain. */
void domain_destroy(struct domain *d);
/* Destroy domains that have shut down or crashed; false once any ended other than by poweroff. */
void domain_reap(void);
bool domains_all_powered_off(void);
/* No domain is left, and none is still being torn down on another pCPU. */
bool domains_all_gone(void);
/* Every domain's shared_info wallclock, after the time of day was set. */
void domain_update_wallclocks(void);
/* Refresh v's pvclock (vcpu_time_info) before it runs. */
void vcpu_update_time(struct vcpu *v);
/* The domain allowed to control others (domain 0). */
static inline bool is_control_domain(const struct domain *d) { return d->id == 0; }

/* The domain the hardware is passed through to (domain 0 built with [hw]). */
static inline bool is_hardware_domain(const struct domain *d) { return d->hardware; }

static inline bool domain_is_alive(const struct domain *d) { return d->state == DOMAIN_RUNNING; }

/* The vCPU running on this pCPU (NULL in the idle loop). */
struct vcpu *current_vcpu(void);

#endif
