// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain 0's side of the upcall benchmark (bench/dom0-upcall/run): binds the
 * port a DomU offered it through Linux's /dev/xen/evtchn and says hello;
 * then answers every event the DomU sends: read() waits for it, write() of
 * the port re-enables it, IOCTL_EVTCHN_NOTIFY answers. The last event, a
 * bye, is not answered. The DomU times the round trips; here the time
 * between consecutive arrivals (one full round trip seen from this side,
 * CLOCK_MONOTONIC) and the time this side spends answering are printed as
 * "dom0-bench: key=value ...".
 *
 *   evtchn-pong [--domain D] [--rounds N] [--warmup N] [--bind-wait S] [--timeout S]
 *
 * Exactly one event is in flight at a time (two sends before an answer
 * would merge into one pending bit). The DomU's port is not known here: its
 * ports 16..1 are tried until one offered to us answers the hello with the
 * first ping (find_peer()).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* The uapi header uses Xen's domid_t without defining it. */
typedef uint16_t domid_t;
#include <xen/evtchn.h>

#define MAX_REMOTE_PORT 16
#define BIND_EVENT_MS 1000 /* binding notifies our new port once; it comes at once */
#define FIRST_PING_MS 5000 /* the DomU answers a hello with its first ping */
#define BYE_MS 60000       /* the DomU times a CPUID exit before it says bye */

struct options {
    unsigned int domain, rounds, warmup, bind_wait, timeout;
};

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void on_alarm(int sig)
{
    (void)sig; /* only there to interrupt a blocked read() with EINTR */
}

static int notify(int fd, unsigned int port)
{
    struct ioctl_evtchn_notify n = {.port = port};

    return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0 ? -errno : 0;
}

/* Re-enable port after an event (the driver keeps it masked until then). */
static int unmask(int fd, unsigned int port)
{
    return write(fd, &port, sizeof(port)) == (ssize_t)sizeof(port) ? 0 : -errno;
}

/* Wait for one event on port (ms < 0: forever), note when it came, re-enable it. */
static int take_event(int fd, unsigned int port, int ms, uint64_t *when)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    unsigned int got;
    int r;

    if (ms >= 0 && (r = poll(&pfd, 1, ms)) <= 0)
        return r < 0 ? -errno : -ETIMEDOUT;
    if (read(fd, &got, sizeof(got)) != (ssize_t)sizeof(got))
        return -errno;
    *when = now_ns();
    if (got != port)
        return -EPROTO;
    return unmask(fd, got);
}

/*
 * Bind remote port p, take the notification binding sends our new port (the
 * DomU sends nothing before our hello, so whatever comes first is that), say
 * hello and wait for the first ping (taken, not yet answered; *first is when
 * it came). Our port; 0 if p was not offered to us, or was but did not answer
 * (*silent; it is closed again); or -errno.
 */
static int try_port(int fd, unsigned int domain, unsigned int p, bool *silent, uint64_t *first)
{
    struct ioctl_evtchn_bind_interdomain b = {.remote_domain = domain, .remote_port = p};
    struct ioctl_evtchn_unbind u;
    int port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b), r;

    if (port < 0)
        return errno == EINVAL ? 0 : -errno;
    r = take_event(fd, (unsigned int)port, BIND_EVENT_MS, first);
    if ((r && r != -ETIMEDOUT) || (r = notify(fd, (unsigned int)port)))
        return r;
    r = take_event(fd, (unsigned int)port, FIRST_PING_MS, first);
    if (!r) {
        printf("dom0-bench: d%u port %u answered our hello (our port %d)\n", domain, p, port);
        return port;
    }
    if (r != -ETIMEDOUT)
        return r;
    printf("dom0-bench: d%u port %u was offered to us but does not answer: not the benchmark's\n",
           domain, p);
    *silent = true;
    u.port = (unsigned int)port;
    return ioctl(fd, IOCTL_EVTCHN_UNBIND, &u) < 0 ? -errno : 0;
}

/*
 * The benchmark's port among the remote's ports 1..16: the hypervisor offers
 * a boot domain's xenstore port to us as well, and the DomU allocates its own
 * after that one, so the search goes downwards. A port that does not answer
 * is not tried again.
 */
static int find_peer(int fd, unsigned int domain, unsigned int wait_s, uint64_t *first)
{
    uint64_t deadline = now_ns() + (uint64_t)wait_s * 1000000000u;
    unsigned int rejected = 0;
    int last = 0;

    do {
        for (unsigned int p = MAX_REMOTE_PORT; p >= 1; p--) {
            bool silent = false;
            int r;

            if (rejected & (1u << p))
                continue;
            r = try_port(fd, domain, p, &silent, first);
            if (r > 0)
                return r;
            if (r < 0)
                last = r;
            if (silent)
                rejected |= 1u << p;
        }
        usleep(50000);
    } while (now_ns() < deadline);
    return last;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Mean, then sorts xs (n of them) for the percentiles. */
static uint64_t mean_then_sort(uint64_t *xs, uint64_t n)
{
    uint64_t sum = 0;

    for (uint64_t i = 0; i < n; i++)
        sum += xs[i];
    qsort(xs, n, sizeof(*xs), cmp_u64);
    return sum / n;
}

static void report(uint64_t *interval, uint64_t n, uint64_t *answer, uint64_t n_answer)
{
    uint64_t mean = mean_then_sort(interval, n), answer_mean = mean_then_sort(answer, n_answer);

    printf("dom0-bench: intervals=%lu rtt_mean_ns=%lu rtt_min_ns=%lu rtt_p50_ns=%lu rtt_p90_ns=%lu "
           "rtt_p99_ns=%lu rtt_max_ns=%lu answer_mean_ns=%lu answer_p50_ns=%lu\n",
           (unsigned long)n, (unsigned long)mean, (unsigned long)interval[0],
           (unsigned long)interval[(n - 1) * 50 / 100], (unsigned long)interval[(n - 1) * 90 / 100],
           (unsigned long)interval[(n - 1) * 99 / 100], (unsigned long)interval[n - 1],
           (unsigned long)answer_mean, (unsigned long)answer[(n_answer - 1) / 2]);
}

/*
 * Answer all warmup + rounds pings, the first of which find_peer() took at
 * first; for the timed ones, the arrival time goes to arrive[] and the time
 * from arrival to the answer sent to answer[] (rounds entries each).
 * Returns 0, or -errno with *done the pings answered.
 */
static int pong(int fd, unsigned int port, const struct options *o, uint64_t first,
                uint64_t *arrive, uint64_t *answer, unsigned int *done)
{
    unsigned int total = o->warmup + o->rounds;
    uint64_t t = first;
    int r;

    for (*done = 0; *done < total; (*done)++) {
        if (*done && (r = take_event(fd, port, -1, &t)))
            return r;
        if ((r = notify(fd, port)))
            return r;
        if (*done >= o->warmup) {
            arrive[*done - o->warmup] = t;
            answer[*done - o->warmup] = now_ns() - t;
        }
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        unsigned int *v = !strcmp(argv[i], "--domain")      ? &o->domain
                          : !strcmp(argv[i], "--rounds")    ? &o->rounds
                          : !strcmp(argv[i], "--warmup")    ? &o->warmup
                          : !strcmp(argv[i], "--bind-wait") ? &o->bind_wait
                          : !strcmp(argv[i], "--timeout")   ? &o->timeout
                                                            : NULL;
        char *end;

        if (!v || i + 1 == argc)
            return -EINVAL;
        *v = (unsigned int)strtoul(argv[++i], &end, 10);
        if (*end)
            return -EINVAL;
    }
    return o->rounds >= 2 ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
    struct options o = {
        .domain = 1, .rounds = 2000, .warmup = 100, .bind_wait = 60, .timeout = 120};
    struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART: read() returns EINTR */
    uint64_t *arrive, *answer, first = 0, bye;
    unsigned int done;
    int fd, port, r;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_args(argc, argv, &o)) {
        fprintf(stderr, "usage: evtchn-pong [--domain D] [--rounds N>=2] [--warmup N] "
                        "[--bind-wait S] [--timeout S]\n");
        return 2;
    }
    arrive = calloc(o.rounds, sizeof(*arrive));
    answer = calloc(o.rounds, sizeof(*answer));
    if (!arrive || !answer)
        return 1;
    fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        printf("dom0-bench: FAIL: open /dev/xen/evtchn: %s\n", strerror(errno));
        return 1;
    }
    port = find_peer(fd, o.domain, o.bind_wait, &first);
    if (port <= 0) {
        printf("dom0-bench: FAIL: no port of d%u 1..%u answered a hello in %u s: %s\n", o.domain,
               MAX_REMOTE_PORT, o.bind_wait,
               port ? strerror(-port) : "none offered to us answered");
        return 1;
    }
    printf("dom0-bench: answering %u + %u pings\n", o.warmup, o.rounds);
    sigaction(SIGALRM, &sa, NULL);
    alarm(o.timeout);
    r = pong(fd, (unsigned int)port, &o, first, arrive, answer, &done);
    alarm(0);
    if (r) {
        printf("dom0-bench: FAIL: after %u of %u pings: %s\n", done, o.warmup + o.rounds,
               r == -EINTR ? "nothing came (timeout)" : strerror(-r));
        return 1;
    }
    if ((r = take_event(fd, (unsigned int)port, BYE_MS, &bye))) {
        printf("dom0-bench: FAIL: no bye after %u pings: %s\n", done, strerror(-r));
        return 1;
    }
    printf("dom0-bench: answered %u pings, then got the bye\n", done);
    /* Consecutive arrivals are one round trip apart. */
    for (unsigned int i = 0; i + 1 < o.rounds; i++)
        arrive[i] = arrive[i + 1] - arrive[i];
    report(arrive, o.rounds - 1, answer, o.rounds);
    close(fd);
    free(answer);
    free(arrive);
    return 0;
}
