/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Spinning before sleeping, shared by libxs (waiting for a reply) and
 * xenstored (waiting for requests); not installed, not part of the API.
 *
 * Between two processes on different CPUs every request/reply pays two
 * wake-ups, and waking an idle vCPU costs tens of microseconds in a VM
 * (hundreds under emulation), several times what a request costs. A waiter
 * that polls for a while instead is found awake. How long is learnt as
 * Linux's haltpoll governor does: a wait that ended in sleep but was over
 * within the limit doubles the window (it was just too short), one that
 * slept longer halves it (nothing was coming: stop burning the CPU); a wait
 * that ends while polling leaves it. An idle waiter thus decays to not
 * polling at all.
 *
 * The limit is counted in polls, not time: XS_SPIN_POLLS times what one
 * poll costs on this machine (learnt as it polls), so it scales with the
 * machine's speed: about half a millisecond in a VM on hardware, tens of
 * milliseconds under QEMU's emulation, where a wake-up is that much slower
 * too. max_ns bounds it in time; callers leave it 0 on a single CPU, where
 * polling never pays.
 *
 * Nor does it pay when the hypervisor is short of CPUs for ours (an
 * overcommitted host): the peer we would poll for may be waiting for the
 * very pCPU we poll on. The kernel counts that time as stolen (/proc/stat,
 * from the hypervisor's runstate); while more than XS_STEAL_MAX_PERMILLE of
 * the last second was stolen, nobody polls (struct xs_steal).
 */
/* Includers define _GNU_SOURCE (sched_getaffinity, CPU_COUNT). */
#ifndef XENON_XS_SPIN_H
#define XENON_XS_SPIN_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define XS_SPIN_START_NS 50000ull /* a first window: a native reply comes well within it */
#define XS_SPIN_MIN_NS 2000ull    /* below this a window is not worth a poll: none */
#define XS_SPIN_POLLS 1000ull     /* the longest window, in polls */
#define XS_SPIN_POLL_NS 500ull    /* what a poll is taken to cost until one is timed */
#define XS_SPIN_YIELDED 8ull      /* a yield this many polls long: another task ran */

struct xs_spin {
    uint64_t window_ns; /* how long the next wait polls; 0: it sleeps at once */
    uint64_t max_ns;    /* the longest window in time; 0: never poll */
    uint64_t poll_ns;   /* what one poll costs here, averaged */
};

static inline uint64_t xs_spin_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* CPUs this process may use besides the one it runs on: polling pays only with one. */
static inline int xs_spin_spare_cpus(void)
{
    cpu_set_t set;

    return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) - 1 : 0;
}

static inline uint64_t xs_spin_limit(const struct xs_spin *s)
{
    uint64_t l = XS_SPIN_POLLS * s->poll_ns;

    return l < s->max_ns ? l : s->max_ns;
}

static inline void xs_spin_init(struct xs_spin *s, uint64_t max_ns)
{
    s->max_ns = max_ns;
    s->poll_ns = XS_SPIN_POLL_NS;
    s->window_ns = max_ns < XS_SPIN_START_NS ? max_ns : XS_SPIN_START_NS;
}

/* A wait polled @polls times in @ns (whether or not it then slept). */
static inline void xs_spin_polled(struct xs_spin *s, uint64_t ns, uint64_t polls)
{
    if (polls)
        s->poll_ns = (s->poll_ns * 7 + ns / polls) / 8;
}

/* A wait polled for the whole window, then slept: it lasted @waited_ns in all. */
static inline void xs_spin_slept(struct xs_spin *s, uint64_t waited_ns)
{
    uint64_t w = s->window_ns, limit = xs_spin_limit(s);

    if (waited_ns <= limit)
        w = w < XS_SPIN_MIN_NS ? XS_SPIN_MIN_NS : w * 2;
    else
        w /= 2;
    s->window_ns = w > limit ? limit : w < XS_SPIN_MIN_NS ? 0 : w;
}

#define XS_STEAL_PERIOD_NS 1000000000ull /* /proc/stat is read at most once a second */
#define XS_STEAL_MAX_PERMILLE 100         /* of all CPUs' time, stolen: then do not poll */

/* Stolen time, sampled from /proc/stat; zeroed before the first check. */
struct xs_steal {
    uint64_t next_ns;      /* when to read the counters again */
    uint64_t steal, total; /* the counters read then, in ticks (0: none yet) */
    bool stolen;           /* the last period stole more than the limit */
};

/* The "cpu" line of a /proc/stat: ticks stolen and ticks in all; -1 if it has no steal column. */
static inline int xs_steal_read(const char *path, uint64_t *steal, uint64_t *total)
{
    unsigned long long v[8];
    FILE *f = fopen(path, "r");
    int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                       &v[3], &v[4], &v[5], &v[6], &v[7])
              : 0;

    if (f)
        fclose(f);
    if (n != 8)
        return -1;
    *steal = v[7];
    *total = 0;
    for (int i = 0; i < 8; i++)
        *total += v[i];
    return 0;
}

/*
 * Whether too much time is being stolen to poll, as of @now: the verdict on
 * the last period, renewed once a period from @path (/proc/stat). Without
 * counters to read (no /proc, an old kernel) nothing counts as stolen.
 * next_ns and stolen are read and written atomically: callers may consult
 * the verdict while another thread renews it (they serialise renewals).
 */
static inline bool xs_steal_check(struct xs_steal *s, const char *path, uint64_t now)
{
    uint64_t steal, total;
    bool stolen = false;

    if (now < __atomic_load_n(&s->next_ns, __ATOMIC_ACQUIRE))
        return __atomic_load_n(&s->stolen, __ATOMIC_RELAXED);
    if (xs_steal_read(path, &steal, &total) == 0) {
        if (s->total && total > s->total && steal >= s->steal)
            stolen = (steal - s->steal) * 1000 > (total - s->total) * XS_STEAL_MAX_PERMILLE;
        s->steal = steal;
        s->total = total;
    }
    __atomic_store_n(&s->stolen, stolen, __ATOMIC_RELAXED);
    __atomic_store_n(&s->next_ns, now + XS_STEAL_PERIOD_NS, __ATOMIC_RELEASE);
    return stolen;
}

#endif
