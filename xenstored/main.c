// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstored: option parsing, the unix sockets and the one epoll loop. The
 * loop never blocks on a client: sockets are non-blocking, output waits in
 * per-connection queues, and a connection with too much unread output stops
 * being read (see conn_wants_input).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenon/xs_spin.h>

#include "dominfo.h"
#include "sendq.h"
#include "xsd.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"
#define DEFAULT_SPIN_US 10000
#define XSD_KVA "/proc/xen/xsd_kva"
#define XSD_PORT "/proc/xen/xsd_port"

enum tag { TAG_LISTEN, TAG_GUEST_LISTEN, TAG_EVTCHN, TAG_SIGNAL };

/* Page-aligned, what each request reads first (up to x's domain table) on one page. */
struct daemon {
    int epfd;
    int tags[4]; /* fds for the non-connection epoll entries */
    uint16_t guest_domid;
    struct conn *dirty;
    bool rings_held; /* a ring's held input may go on (resume_rings) */
    struct xs_spin spin;
    struct xs_steal steal;
    struct xsd x;
    struct sendq sq; /* fd -1: each connection is written by itself */
};

static struct daemon *the_daemon(struct xsd *x)
{
    return (struct daemon *)((char *)x - offsetof(struct daemon, x));
}

/*
 * The request path's system calls go through syscall(): libc's read, writev
 * and epoll_wait are three more pages of libc to touch per request, and
 * pages are what a request costs after a process switch (bytes.h).
 */
XSD_HOT static ssize_t sock_read(struct conn *c, void *buf, size_t len)
{
    ssize_t n = syscall(SYS_read, c->fd, buf, len);

    if (n == 0)
        return -ECONNRESET;
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    return n;
}

XSD_HOT static ssize_t sock_writev(struct conn *c, const struct iovec *iov, int cnt)
{
    ssize_t n = syscall(SYS_writev, c->fd, iov, cnt);

    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    return n;
}

static ssize_t sock_write(struct conn *c, const void *buf, size_t len)
{
    struct iovec iov = {(void *)buf, len};

    return sock_writev(c, &iov, 1);
}

static void sock_destroy(struct conn *c)
{
    close(c->fd);
}

static const struct conn_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .writev = sock_writev,
    .destroy = sock_destroy,
};

XSD_HOT static void mark_dirty(struct xsd *x, struct conn *c)
{
    struct daemon *d = the_daemon(x);

    if (c->dirty)
        return;
    c->dirty = true;
    c->dirty_next = d->dirty;
    d->dirty = c;
}

static int listen_on(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char dir[sizeof(sa.sun_path)];
    char *slash;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    strcpy(dir, path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0755); /* /run/xenstored on a fresh boot */
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    /* A socket someone still accepts on belongs to a running daemon: taking
     * it over would cut that daemon's clients off from the tree. Only a
     * stale one (refused: its daemon is gone) is replaced. */
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno == EAGAIN) {
        close(fd);
        return -EADDRINUSE;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
        listen(fd, 128) < 0) {
        int e = errno;

        close(fd);
        return -e;
    }
    return fd;
}

static int listen_or_say(const char *path)
{
    int fd = listen_on(path);

    if (fd < 0)
        fprintf(stderr, "xenstored: cannot listen on %s: %s\n", path,
                fd == -EADDRINUSE ? "another xenstored serves it" : strerror(-fd));
    return fd;
}

static int ep_add(struct daemon *d, int fd, void *ptr, unsigned events)
{
    struct epoll_event ev = {.events = events, .data.ptr = ptr};

    return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void accept_all(struct daemon *d, int lfd, bool guest)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct conn *c;

        if (fd < 0)
            return;
        c = conn_new(&d->x, &sock_ops, NULL, guest ? d->guest_domid : 0, !guest);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->ev_mask = EPOLLIN;
        if (ep_add(d, fd, c, EPOLLIN) < 0)
            c->dead = true;
        mark_dirty(&d->x, c);
    }
}

XSD_HOT static void sent(void *tag, int res, void *arg)
{
    struct conn *c = tag;

    if (res > 0)
        conn_wrote(c, res);
    else if (res != -EAGAIN && res != -EINTR)
        c->dead = true;
}

static int submit(struct sendq *q)
{
    int r = sendq_submit(q, sent, NULL);

    if (r < 0) /* the ring is gone: what is left goes by conn_output, from now on */
        fprintf(stderr, "xenstored: io_uring failed (%s): one write per client from now on\n",
                strerror(-r));
    return r;
}

XSD_HOT static bool has_socket_output(const struct conn *c)
{
    return !c->dead && c->fd >= 0 && c->out_head;
}

/* Whether more than one dirty socket has output: only then does a batch save calls. */
XSD_HOT static bool several_to_send(const struct daemon *d)
{
    unsigned n = 0;

    for (const struct conn *c = d->dirty; c && n < 2; c = c->dirty_next)
        n += has_socket_output(c);
    return n > 1;
}

/*
 * The dirty sockets' output, in one submission per SENDQ_MAX of them
 * (sendq.h). A lone reply goes by conn_output's writev: one system call
 * either way, and io_uring's rings and code are more pages to touch each
 * time the daemon is switched back in. Where that refills the whole TLB
 * (QEMU's emulation), it cost 23 us more per reply with one client
 * (domain 0 under TCG: 138 against 115 us of daemon CPU per read).
 */
XSD_HOT static void send_batched(struct daemon *d)
{
    struct iovec iov[SENDQ_MAX][8];

    if (!several_to_send(d))
        return;
    for (struct conn *c = d->dirty; c; c = c->dirty_next) {
        if (!has_socket_output(c))
            continue;
        if (sendq_full(&d->sq) && submit(&d->sq) < 0)
            return;
        struct iovec *v = iov[d->sq.queued];

        sendq_add(&d->sq, c->fd, v, conn_output_iov(c, v, 8), c);
    }
    submit(&d->sq);
}

/* Write what we can, free dead connections, keep epoll interest current. */
XSD_HOT static void flush_dirty(struct daemon *d)
{
    if (d->sq.fd >= 0)
        send_batched(d);
    while (d->dirty) {
        struct conn *c = d->dirty;
        unsigned want;

        d->dirty = c->dirty_next;
        c->dirty = false;
        if (!c->dead && conn_output(c) < 0)
            c->dead = true;
        if (c->dead) {
            conn_free(c);
            continue;
        }
        if (c->fd < 0) { /* a ring: driven by its event channel, and by resume_rings */
            d->rings_held |= c->input_held && conn_wants_input(c);
            continue;
        }
        want = (conn_wants_input(c) ? EPOLLIN : 0) | (c->out_head ? EPOLLOUT : 0);
        if (want != c->ev_mask) {
            struct epoll_event ev = {.events = want, .data.ptr = c};

            epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
            c->ev_mask = want;
        }
    }
}

/* VIRQ_DOM_EXC fired (or we start): release the introduced domains that died. */
static void release_dead(struct xsd *x)
{
    struct domain_sweep s;

    domain_release_dead(x, &s);
    for (unsigned i = 0; i < s.released && i < sizeof(s.ids) / sizeof(s.ids[0]); i++)
        fprintf(stderr, "xenstored: d%u is dying or gone: released\n", s.ids[i]);
    /* Not fatal: those domains stay introduced until a later VIRQ or XS_RELEASE. */
    if (s.failed)
        fprintf(stderr, "xenstored: cannot read the state of d%u (%u domain(s) in all): %s\n",
                s.err_domid, s.failed, strerror(-s.err));
}

/*
 * The next events. After its last event the loop polls for a while before
 * it sleeps (libxs/include/xenon/xs_spin.h): a client on another CPU that
 * sends its next request meanwhile finds the daemon awake. An idle daemon
 * soon sleeps at once. Each poll yields the CPU; a yield after which much
 * more time has passed than a poll takes means another task wanted this
 * CPU (clients, on a busy machine): then the daemon sleeps after one more
 * poll rather than keep taking turns with them. Nor does it poll while the
 * hypervisor steals much of domain 0's CPU time (xs_steal_check): such a
 * wait teaches the window nothing.
 */
XSD_HOT static int wait_events(struct daemon *d, struct epoll_event *evs, int max)
{
    uint64_t t0 = d->spin.max_ns ? xs_spin_now() : 0, t = t0, polling = 0, polls = 0;
    bool stolen = d->spin.max_ns && xs_steal_check(&d->steal, "/proc/stat", t0);
    bool wanted = stolen;
    int n = 0;

    while (!stolen && d->spin.window_ns && t - t0 < d->spin.window_ns) {
        uint64_t p = t;

        n = epoll_wait(d->epfd, evs, max, 0);
        t = xs_spin_now();
        polling += t - p;
        polls++;
        if (n != 0 || wanted)
            break;
        sched_yield(); /* a client sharing our CPU runs now rather than after the window */
        p = t;
        t = xs_spin_now();
        wanted = t - p > XS_SPIN_YIELDED * d->spin.poll_ns;
    }
    xs_spin_polled(&d->spin, polling, polls);
    if (n != 0)
        return n;
    n = syscall(SYS_epoll_wait, d->epfd, evs, max, -1);
    if (d->spin.max_ns && !wanted)
        xs_spin_slept(&d->spin, xs_spin_now() - t0);
    return n;
}

/* A ring among the connections about to be written (rings have no fd). */
static bool rings_dirty(const struct daemon *d)
{
    for (const struct conn *c = d->dirty; c; c = c->dirty_next)
        if (c->fd < 0)
            return true;
    return false;
}

/*
 * Rings whose input waited for their replies to go out, once each per turn
 * of the loop: their guests send no event for it (conn_resume_input), and
 * one that keeps its ring full must not keep the daemon from the others.
 */
static void resume_rings(struct daemon *d)
{
    d->rings_held = false;
    for (struct conn *c = d->x.conns; c; c = c->next) {
        if (c->fd >= 0 || c->dead)
            continue;
        if (conn_resume_input(c) < 0) {
            c->dead = true;
            mark_dirty(&d->x, c);
        }
    }
}

XSD_HOT static int run(struct daemon *d)
{
    struct epoll_event evs[64];

    for (;;) {
        int n = d->rings_held ? epoll_wait(d->epfd, evs, 64, 0) : wait_events(d, evs, 64);
        bool evtchn = false;

        if (n < 0 && errno != EINTR)
            return -errno;
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            struct conn *c = p;

            if (p == &d->tags[TAG_SIGNAL])
                return 0;
            if (p == &d->tags[TAG_LISTEN] || p == &d->tags[TAG_GUEST_LISTEN]) {
                accept_all(d, *(int *)p, p == &d->tags[TAG_GUEST_LISTEN]);
                continue;
            }
            /*
             * Below, after every other event: before reading or writing
             * any ring, take what the event channels have. A VIRQ_DOM_EXC
             * among them releases a dead domain, whose ring then sees no
             * more of the output queued for it. A batch of unix-socket
             * requests alone costs no read of the event channel device.
             */
            if (p == &d->tags[TAG_EVTCHN]) {
                evtchn = true;
                continue;
            }
            if (c->dead)
                continue;
            if ((evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && conn_input(c) < 0)
                c->dead = true;
            mark_dirty(&d->x, c);
        }
        if (evtchn || rings_dirty(d) || d->rings_held)
            xen_transport_event(&d->x);
        if (d->rings_held)
            resume_rings(d);
        flush_dirty(d);
    }
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: xenstored [options]\n"
               "  -s, --socket PATH          unix socket for Dom0 clients (default " DEFAULT_SOCKET ")\n"
               "  -F, --foreground           do not daemonize\n"
               "  -P, --pidfile PATH         write the pid there\n"
               "  -N, --no-xen               do not open Xen devices (serve no ring)\n"
               "      --guest-socket DOMID:PATH  a socket whose clients act as guest DOMID (testing)\n"
               "  -q, --quota NAME=VALUE     guest quota: nodes watches transactions node-size\n"
               "                             outstanding perms txn-nodes (0 = unlimited)\n"
               "      --dom0-quota NAME=VALUE  the same for Dom0 (unlimited by default)\n"
               "  -E, --entry-nb N  -W, --watch-nb N  -t, --transaction N  -S, --entry-size N\n"
               "                             Xen's names for the node, watch, transaction, size quotas\n"
               "      --out-max BYTES        output queued per guest before its events drop\n"
               "      --spin-us N            poll at most N us after the last request before\n"
               "                             sleeping (default %d; 0, or one CPU: never)\n"
               "      --no-uring             write each client's replies with its own writev\n"
               "                             (default: one io_uring submission per loop pass)\n"
               "  -K, --keep-orphans         a dead domain's nodes go to Dom0 instead of away\n"
               "Xen's xenstored options, for its init scripts: --pid-file PATH, --no-fork,\n"
               "  -D, --no-domain-init (serve no Dom0 kernel ring), -A, --perm-nb N,\n"
               "  -Q, --quota transaction-nodes=N|outstanding=N, --internal-db on, --no-recovery\n"
               "  -h, --help\n",
            DEFAULT_SPIN_US);
}

static int quota_opt(struct xsd_quota *q, const char *arg)
{
    char name[32], *end;
    const char *eq = strchr(arg, '=');
    unsigned long v;

    if (!eq || (size_t)(eq - arg) >= sizeof(name) || !eq[1])
        return -EINVAL;
    memcpy(name, arg, eq - arg);
    name[eq - arg] = '\0';
    if (!strcmp(name, "transaction-nodes")) /* Xen's name */
        strcpy(name, "txn-nodes");
    if (!strcmp(name, "memory")) {
        fprintf(stderr, "xenstored: there is no memory quota; the node, watch, transaction,\n"
                        "  size and outstanding-request quotas bound what a domain may hold\n");
        return -EINVAL;
    }
    v = strtoul(eq + 1, &end, 10);
    return *end ? -EINVAL : xsd_quota_set(q, name, v);
}

/*
 * Xen's xenstored options this daemon does not take, and why: a drop-in
 * for Xen's init scripts says so rather than start different from what
 * was asked.
 */
static const struct {
    const char *name;
    const char *why;
} xen_unsupported[] = {
    {"quota-soft", "there is no memory quota, soft or hard"},
    {"path-max", "path lengths are Xen's protocol limits (3072 absolute, 2048 relative)"},
    {"timeout", "a guest's pending events are bounded by --out-max bytes, not by age"},
    {"trace-file", "there is no message trace"},
    {"output-pid", "use --pid-file"},
    {"verbose", "there is no verbose mode; problems are always reported on stderr"},
};

#define OPT_UNSUPPORTED 0x100 /* getopt codes of xen_unsupported's entries, in order */

static int unsupported_opt(int idx)
{
    fprintf(stderr, "xenstored: --%s is not supported: %s\n", xen_unsupported[idx].name,
            xen_unsupported[idx].why);
    return -EINVAL;
}

/* --internal-db: the tree is always in memory, as "on" asks. */
static int internal_db_opt(const char *arg)
{
    if (!arg || !strcmp(arg, "on"))
        return 0;
    fprintf(stderr, "xenstored: --internal-db %s: the tree is only ever kept in memory\n", arg);
    return -EINVAL;
}

struct opts {
    const char *socket, *pidfile, *guest_socket;
    bool foreground, no_xen, no_uring, no_domain_init;
    unsigned guest_domid;
    unsigned long spin_us;
};

static int parse_opts(int argc, char **argv, struct opts *o, struct xsd_config *cfg)
{
    static const struct option lo[] = {
        {"socket", 1, NULL, 's'},     {"foreground", 0, NULL, 'F'}, {"pidfile", 1, NULL, 'P'},
        {"no-xen", 0, NULL, 'N'},     {"guest-socket", 1, NULL, 'g'}, {"quota", 1, NULL, 'q'},
        {"dom0-quota", 1, NULL, 'd'}, {"entry-nb", 1, NULL, 'E'},   {"watch-nb", 1, NULL, 'W'},
        {"transaction", 1, NULL, 't'}, {"entry-size", 1, NULL, 'S'}, {"out-max", 1, NULL, 'o'},
        {"spin-us", 1, NULL, 'u'},    {"no-uring", 0, NULL, 'U'},   {"help", 0, NULL, 'h'},
        {"keep-orphans", 0, NULL, 'K'},
        /* Xen's names (tools/xenstore/xenstored_core.c), as its init scripts pass them */
        {"pid-file", 1, NULL, 'P'},   {"no-fork", 0, NULL, 'F'},
        {"no-domain-init", 0, NULL, 'D'},
        {"perm-nb", 1, NULL, 'A'},    {"internal-db", 2, NULL, 'I'}, {"no-recovery", 0, NULL, 'R'},
        /* ... and those refused, in xen_unsupported's order */
        {"quota-soft", 1, NULL, OPT_UNSUPPORTED},     {"path-max", 1, NULL, OPT_UNSUPPORTED + 1},
        {"timeout", 1, NULL, OPT_UNSUPPORTED + 2},    {"trace-file", 1, NULL, OPT_UNSUPPORTED + 3},
        {"output-pid", 0, NULL, OPT_UNSUPPORTED + 4}, {"verbose", 0, NULL, OPT_UNSUPPORTED + 5},
        {NULL, 0, NULL, 0},
    };
    static const char *xen_names[] = {['E'] = "nodes", ['W'] = "watches", ['t'] = "transactions",
                                      ['S'] = "node-size", ['A'] = "perms"};
    int ch;

    while ((ch = getopt_long(argc, argv, "s:FP:Nq:Q:E:W:t:S:A:DKh", lo, NULL)) != -1) {
        char *end;
        int r = 0;

        switch (ch) {
        case 's': o->socket = optarg; break;
        case 'F': o->foreground = true; break;
        case 'P': o->pidfile = optarg; break;
        case 'N': o->no_xen = true; break;
        case 'q': case 'Q': r = quota_opt(&cfg->domu, optarg); break;
        case 'd': r = quota_opt(&cfg->dom0, optarg); break;
        case 'E': case 'W': case 't': case 'S': case 'A':
            r = xsd_quota_set(&cfg->domu, xen_names[ch], strtoul(optarg, &end, 10));
            r = *end ? -EINVAL : r;
            break;
        case 'o': cfg->out_max = strtoul(optarg, &end, 10); break;
        case 'u':
            o->spin_us = strtoul(optarg, &end, 10);
            r = *end || o->spin_us > 1000000 ? -EINVAL : 0;
            break;
        case 'g':
            o->guest_domid = strtoul(optarg, &end, 10);
            if (*end != ':' || !o->guest_domid || o->guest_domid >= XSD_DOMID_MAX)
                r = -EINVAL;
            o->guest_socket = end + 1;
            break;
        case 'U': o->no_uring = true; break;
        case 'K': cfg->keep_orphans = true; break;
        case 'D': o->no_domain_init = true; break;
        case 'I':
            /* "--internal-db on", as Xen's usage spells it, as well as "--internal-db=on" */
            if (!optarg && optind < argc && argv[optind][0] != '-')
                optarg = argv[optind++];
            if (internal_db_opt(optarg) < 0)
                return -EINVAL;
            break;
        case 'R': break; /* no database, so nothing to recover */
        case 'h': usage(stdout); exit(0);
        default:
            if (ch >= OPT_UNSUPPORTED &&
                (size_t)(ch - OPT_UNSUPPORTED) < sizeof(xen_unsupported) / sizeof(xen_unsupported[0]))
                return unsupported_opt(ch - OPT_UNSUPPORTED);
            return -EINVAL;
        }
        if (r < 0) {
            fprintf(stderr, "xenstored: bad value for option -%c: %s\n", ch, optarg);
            return r;
        }
    }
    return optind == argc ? 0 : -EINVAL;
}

/*
 * In a domain 0 whose kernel waits for a xenstored of its own (xenfs shows
 * the page and port it set aside), serve that kernel's ring: its
 * /dev/xen/xenbus then reaches us. Elsewhere the files are absent and we say
 * nothing; a failure is not fatal, the sockets are still served.
 */
static void serve_dom0_ring(struct xsd *x)
{
    int r = xen_transport_local_ring(x, XSD_KVA, XSD_PORT);

    if (r == 0 || r == -ENOENT)
        return;
    if (r == -ENXIO)
        fprintf(stderr, "xenstored: domain 0's kernel offers no xenstore ring in %s\n", XSD_PORT);
    else if (r == -ENODEV)
        fprintf(stderr, "xenstored: cannot serve domain 0's kernel ring: no /dev/xen/evtchn\n");
    else
        fprintf(stderr, "xenstored: cannot serve domain 0's kernel ring (%s, %s): %s\n", XSD_KVA,
                XSD_PORT, strerror(-r));
}

/*
 * Go to the background as Xen's init scripts expect of xenstored: the
 * command returns once the daemon serves (status 0, its pid file written)
 * or has failed (1, having said why on stderr, which it keeps). Returns 0
 * in the daemon, with *ready_fd to report to daemon_ready(); the caller's
 * process does not return.
 */
static int fork_daemon(int *ready_fd)
{
    int p[2];
    pid_t pid;
    char ok;

    if (pipe2(p, O_CLOEXEC) < 0)
        return -errno;
    pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0) {
        close(p[1]);
        _exit(read(p[0], &ok, 1) == 1 && ok ? 0 : 1);
    }
    close(p[0]);
    setsid();
    if (chdir("/") < 0) {
        /* "/" is always there */
    }
    *ready_fd = p[1];
    return 0;
}

static void daemon_ready(int fd, bool ok)
{
    char c = ok;
    int null = open("/dev/null", O_RDWR);

    if (write(fd, &c, 1) < 0) {
        /* the parent is gone: nobody waits for the answer */
    }
    close(fd);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        close(null);
    }
}

static int write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    int bad;

    if (!f) {
        int e = errno;

        fprintf(stderr, "xenstored: cannot write %s: %s\n", path, strerror(e));
        return -e;
    }
    fprintf(f, "%d\n", (int)getpid());
    bad = ferror(f);
    bad |= fclose(f);
    return bad ? -EIO : 0;
}

static int setup(struct daemon *d, struct opts *o)
{
    sigset_t ss;
    int fd, r;

    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (d->epfd < 0)
        return -errno;
    sigemptyset(&ss);
    sigaddset(&ss, SIGTERM);
    sigaddset(&ss, SIGINT);
    sigprocmask(SIG_BLOCK, &ss, NULL);
    signal(SIGPIPE, SIG_IGN);
    d->tags[TAG_SIGNAL] = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
    r = ep_add(d, d->tags[TAG_SIGNAL], &d->tags[TAG_SIGNAL], EPOLLIN);
    if (r < 0)
        return r;
    fd = listen_or_say(o->socket);
    if (fd < 0)
        return fd;
    d->tags[TAG_LISTEN] = fd;
    r = ep_add(d, fd, &d->tags[TAG_LISTEN], EPOLLIN);
    if (r == 0 && o->guest_socket) {
        d->guest_domid = o->guest_domid;
        fd = listen_or_say(o->guest_socket);
        if (fd < 0)
            return fd;
        d->tags[TAG_GUEST_LISTEN] = fd;
        r = ep_add(d, fd, &d->tags[TAG_GUEST_LISTEN], EPOLLIN);
        if (r == 0 && domain_get(&d->x, o->guest_domid, true))
            domain_get(&d->x, o->guest_domid, false)->introduced = true;
    }
    if (r == 0 && !o->no_xen) {
        int e = xen_transport_open(&d->x, &d->tags[TAG_EVTCHN]);

        /* Not fatal (a host has no Xen devices), but guests will never connect: say so. */
        if (e == 0)
            r = ep_add(d, d->tags[TAG_EVTCHN], &d->tags[TAG_EVTCHN], EPOLLIN);
        else
            fprintf(stderr, "xenstored: no guest rings: cannot open /dev/xen/evtchn and /dev/xen/gntdev: %s\n",
                    strerror(-e));
        /* Also not fatal: dead guests then stay introduced until XS_RELEASE (--reap). */
        if (e == 0 && (e = dominfo_open(&d->x)) < 0)
            fprintf(stderr, "xenstored: cannot follow dead domains (VIRQ_DOM_EXC): %s\n",
                    strerror(-e));
        if (r == 0)
            release_dead(&d->x); /* any that died before the VIRQ was bound */
        if (r == 0 && !o->no_domain_init)
            serve_dom0_ring(&d->x);
    }
    return r;
}

int main(int argc, char **argv)
{
    struct opts o = {.socket = DEFAULT_SOCKET, .spin_us = DEFAULT_SPIN_US};
    struct xsd_config cfg;
    struct daemon *d;
    int r, e, ready_fd = -1;
    bool pid_written;

    xsd_config_default(&cfg);
    if (parse_opts(argc, argv, &o, &cfg) < 0) {
        usage(stderr);
        return 2;
    }
    d = xsd_page_zalloc(sizeof(*d));
    if (!d || xsd_init(&d->x, &cfg) < 0) {
        fprintf(stderr, "xenstored: out of memory\n");
        return 1;
    }
    d->x.conn_changed = mark_dirty;
    d->x.dom_exc = release_dead;
    for (int i = 0; i < 4; i++)
        d->tags[i] = -1;
    xs_spin_init(&d->spin, xs_spin_spare_cpus() > 0 ? o.spin_us * 1000 : 0);
    d->sq.fd = -1;
    /* The daemon's own process makes the epoll set, signalfd and ring: after a fork
     * a signalfd inherited in an epoll set would never report the child's signals. */
    r = o.foreground ? 0 : fork_daemon(&ready_fd);
    if (r == 0 && !o.no_uring && (e = sendq_init(&d->sq)) < 0)
        fprintf(stderr, "xenstored: io_uring unavailable (%s): one write per client\n",
                strerror(-e));
    if (r == 0)
        r = setup(d, &o);
    if (r == 0 && o.pidfile)
        r = write_pidfile(o.pidfile);
    pid_written = r == 0 && o.pidfile;
    if (ready_fd >= 0)
        daemon_ready(ready_fd, r == 0);
    if (r == 0)
        r = run(d);
    if (r < 0)
        fprintf(stderr, "xenstored: %s\n", strerror(-r));
    xsd_fini(&d->x);
    dominfo_close(&d->x);
    xen_transport_close(&d->x);
    /* Only what this daemon made: a socket it did not bind is another's. */
    if (d->tags[TAG_LISTEN] >= 0)
        unlink(o.socket);
    if (d->tags[TAG_GUEST_LISTEN] >= 0)
        unlink(o.guest_socket);
    if (pid_written)
        unlink(o.pidfile);
    for (int i = 0; i < 4; i++)
        if (d->tags[i] >= 0 && i != TAG_EVTCHN)
            close(d->tags[i]);
    sendq_fini(&d->sq);
    close(d->epfd);
    free(d);
    return r < 0 ? 1 : 0;
}
