// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstore benchmark: reads, writes, directory listings, watch firings and
 * transactions per second with 1, 8 and 64 clients over a 100,000-node
 * tree, the daemon's resident bytes per node, and the CPU time per
 * operation of the daemon (its /proc schedstat) and of the clients (this
 * process): a daemon that polls instead of sleeping shows it there, not in
 * the throughput. Points at any daemon
 * socket (--socket, twice to compare two daemons and print the ratio);
 * without one it starts our xenstored on a private socket. --floor adds the
 * anchor: a process that keeps no tree and answers at once (floor.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenon/xs.h>

#include "floor.h"

enum metric { M_READ, M_WRITE, M_DIR, M_WATCH, M_TXN, M_COUNT };
static const char *const metric_names[] = {"reads", "writes", "directories", "watch events",
                                           "transactions"};
static const int client_counts[] = {1, 8, 64};
#define NCC 3
/* What --metrics and --clients left in (all by default); a figure left out reads 0. */
static bool metric_on[M_COUNT] = {true, true, true, true, true};
static bool clients_on[NCC] = {true, true, true};

/* --floor: which of the sockets is the floor (floor.c), or -1. It has no
 * watches, so it is not measured for watch events. */
static int floor_at = -1;

static unsigned nodes = 100000;
static double seconds = 1.0;

struct job {
    const char *sock;
    enum metric m;
    int id;
    volatile int *stop;
    unsigned long ops;
    int err;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The paths an operation names are built by hand: snprintf is several pages
 * of code to run per request, client work both daemons are measured with,
 * which only blurs the ratio between them.
 */
static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);

    memcpy(p, s, n + 1);
    return p + n;
}

static char *put_uint(char *p, unsigned long v)
{
    char digits[20];
    int n = 0;

    do
        digits[n++] = '0' + v % 10;
    while (v /= 10);
    while (n)
        *p++ = digits[--n];
    *p = '\0';
    return p;
}

/* /bench/tree/dI/nJ: node i of the tree, 100 to a directory. */
static void tree_path(char *buf, unsigned i)
{
    put_uint(put_str(put_uint(put_str(buf, "/bench/tree/d"), i / 100), "/n"), i % 100);
}

static void tree_dir_path(char *buf, unsigned d)
{
    put_uint(put_str(buf, "/bench/tree/d"), d);
}

/* PREFIX then the client's id: its own node or directory. */
static char *client_path(char *buf, const char *prefix, int id)
{
    return put_uint(put_str(buf, prefix), id);
}

static int one_op(struct xs_handle *h, struct job *j, unsigned long k, unsigned *seed)
{
    char path[64], *v, **vec;
    xs_transaction_t t;
    int r;

    switch (j->m) {
    case M_READ:
        tree_path(path, rand_r(seed) % nodes);
        r = xs_read(h, 0, path, &v, NULL);
        if (r == 0)
            free(v);
        return r;
    case M_WRITE:
        put_uint(put_str(client_path(path, "/bench/w/", j->id), "/"), k % 100);
        return xs_write(h, 0, path, "value", 5);
    case M_DIR:
        tree_dir_path(path, rand_r(seed) % (nodes / 100));
        r = xs_directory(h, 0, path, &vec);
        if (r >= 0)
            free(vec);
        return r < 0 ? r : 0;
    case M_WATCH:
        client_path(path, "/bench/watch/", j->id);
        r = xs_write(h, 0, path, "x", 1);
        if (r == 0 && (r = xs_read_watch(h, &vec, true)) == 0)
            free(vec);
        return r;
    case M_TXN:
        client_path(path, "/bench/t/", j->id);
        do {
            r = xs_transaction_start(h, &t);
            if (r == 0 && (r = xs_read(h, t, path, &v, NULL)) == 0)
                free(v);
            if (r == 0 || r == -ENOENT)
                r = xs_write(h, t, path, "1", 1);
            r = r == 0 ? xs_transaction_end(h, t, false) : (xs_transaction_end(h, t, true), r);
        } while (r == -EAGAIN);
        return r;
    default:
        return -EINVAL;
    }
}

static void *client(void *arg)
{
    struct job *j = arg;
    struct xs_handle *h;
    unsigned seed = j->id * 7919 + 1;
    char path[64], **vec;

    j->err = xs_open(&h, j->sock, XS_OPEN_SOCKETONLY);
    if (j->err < 0)
        return NULL;
    if (j->m == M_WATCH) {
        snprintf(path, sizeof(path), "/bench/watch/%d", j->id);
        if ((j->err = xs_watch(h, path, "b")) == 0 && xs_read_watch(h, &vec, true) == 0)
            free(vec); /* the initial event */
    }
    for (unsigned long k = 0; !*j->stop && !j->err; k++) {
        j->err = one_op(h, j, k, &seed);
        if (!j->err)
            j->ops++;
    }
    xs_close(h);
    return NULL;
}

/* CPU time a process has used, in seconds (schedstat: nanoseconds on a CPU). */
static double cpu_seconds(pid_t pid)
{
    char path[64];
    unsigned long long ns;
    FILE *f;
    int ok;

    snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    ok = fscanf(f, "%llu", &ns) == 1;
    fclose(f);
    return ok ? ns / 1e9 : -1;
}

static double own_cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* A number from /proc/PID/status ("VmRSS:", "voluntary_ctxt_switches:"...), or -1. */
static long proc_status(pid_t pid, const char *field)
{
    char path[64], line[256];
    size_t flen = strlen(field);
    long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, field, flen) && sscanf(line + flen, "%ld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

/*
 * Inter-processor interrupts (reschedule and function-call: a wake-up of a
 * task on another CPU) and context switches the kernel counted so far: per
 * operation they say how often a request or reply had to wake someone, the
 * cost both daemons share; and how often the daemon slept (voluntary
 * switches) or was preempted (involuntary: by a task it woke, or a yield).
 * -1 where /proc does not say.
 */
struct wakeups {
    double ipis, switches, daemon_sleeps, daemon_preempted;
};

static double proc_interrupts_ipis(void)
{
    FILE *f = fopen("/proc/interrupts", "r");
    char line[4096];
    double sum = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        char *p = line + strspn(line, " "), *end;

        if (strncmp(p, "RES:", 4) && strncmp(p, "CAL:", 4))
            continue;
        for (p += 4;; p = end) {
            unsigned long long n = strtoull(p, &end, 10);

            if (end == p)
                break;
            sum += n;
        }
    }
    fclose(f);
    return sum;
}

static double proc_stat_switches(void)
{
    FILE *f = fopen("/proc/stat", "r");
    char line[4096];
    double n = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, "ctxt ", 5))
            n = strtod(line + 5, NULL);
    fclose(f);
    return n;
}

static struct wakeups wakeups_now(pid_t daemon)
{
    return (struct wakeups){proc_interrupts_ipis(), proc_stat_switches(),
                            daemon > 0 ? proc_status(daemon, "voluntary_ctxt_switches:") : -1,
                            daemon > 0 ? proc_status(daemon, "nonvoluntary_ctxt_switches:") : -1};
}

static double per_op(double before, double after, unsigned long total)
{
    return before >= 0 && after >= 0 ? (after - before) / total : -1;
}

/* What one run cost: microseconds of CPU per operation, daemon and clients, and wake-ups. */
struct cost {
    double daemon_us, client_us;
    struct wakeups w;
};

static double run(const char *sock, enum metric m, int nclients, pid_t dpid, struct cost *cost)
{
    double d0 = dpid > 0 ? cpu_seconds(dpid) : -1, c0 = own_cpu_seconds();
    struct wakeups w0 = wakeups_now(dpid);
    pthread_t th[64];
    struct job jobs[64];
    volatile int stop = 0;
    unsigned long total = 0;
    double t0, t1;

    for (int i = 0; i < nclients; i++) {
        jobs[i] = (struct job){sock, m, i, &stop, 0, 0};
        pthread_create(&th[i], NULL, client, &jobs[i]);
    }
    t0 = now();
    usleep(seconds * 1e6);
    stop = 1;
    t1 = now();
    for (int i = 0; i < nclients; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].err)
            fprintf(stderr, "client %d: %s\n", i, strerror(-jobs[i].err));
        total += jobs[i].ops;
    }
    if (total) {
        double d1 = dpid > 0 ? cpu_seconds(dpid) : -1;
        struct wakeups w1 = wakeups_now(dpid);

        cost->daemon_us = d0 >= 0 && d1 >= 0 ? (d1 - d0) * 1e6 / total : -1;
        cost->client_us = (own_cpu_seconds() - c0) * 1e6 / total;
        cost->w.ipis = per_op(w0.ipis, w1.ipis, total);
        cost->w.switches = per_op(w0.switches, w1.switches, total);
        cost->w.daemon_sleeps = per_op(w0.daemon_sleeps, w1.daemon_sleeps, total);
        cost->w.daemon_preempted = per_op(w0.daemon_preempted, w1.daemon_preempted, total);
    }
    return total / (t1 - t0);
}

static pid_t peer_pid(const char *sock)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct ucred cr;
    socklen_t len = sizeof(cr);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    pid_t pid = -1;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0)
        pid = cr.pid;
    close(fd);
    return pid;
}

static long rss_kib(pid_t pid)
{
    return proc_status(pid, "VmRSS:");
}

struct fill {
    const char *sock;
    unsigned from, to;
};

/* Nodes written so far: a line each tenth, so that a runner watching for silence sees progress. */
static atomic_uint filled;

static void *filler(void *arg)
{
    struct fill *f = arg;
    struct xs_handle *h;
    char path[64];

    if (xs_open(&h, f->sock, XS_OPEN_SOCKETONLY) < 0)
        return NULL;
    for (unsigned i = f->from; i < f->to; i++) {
        unsigned done;

        tree_path(path, i);
        xs_write(h, 0, path, "0123456789abcdef", 16);
        done = atomic_fetch_add(&filled, 1) + 1;
        if (nodes >= 10 && done % (nodes / 10) == 0)
            fprintf(stderr, "xs-bench: %u nodes written\n", done);
    }
    xs_close(h);
    return NULL;
}

/* Build the tree with 8 writers; returns bytes of daemon RSS per node. */
static double populate(const char *sock)
{
    pthread_t th[8];
    struct fill f[8];
    pid_t pid = peer_pid(sock);
    long before = pid > 0 ? rss_kib(pid) : -1, after;

    atomic_store(&filled, 0);
    for (int i = 0; i < 8; i++) {
        f[i] = (struct fill){sock, nodes / 8 * i, i == 7 ? nodes : nodes / 8 * (i + 1)};
        pthread_create(&th[i], NULL, filler, &f[i]);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    after = pid > 0 ? rss_kib(pid) : -1;
    return before < 0 || after < 0 ? -1 : (after - before) * 1024.0 / nodes;
}

/* One figure: throughput and what it cost, each the median over the rounds. */
struct figure {
    double ops;
    struct cost cost;
    double vs_lo, vs_hi; /* ops over the other daemon's, lowest and highest of the paired rounds */
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Each field of a cost: its median over n runs (a cost is all doubles). */
static struct cost median_cost(const struct cost *runs, int n)
{
    enum { FIELDS = sizeof(struct cost) / sizeof(double) };
    double field[16];
    struct cost out;

    for (int i = 0; i < FIELDS; i++) {
        for (int r = 0; r < n; r++)
            field[r] = ((const double *)&runs[r])[i];
        ((double *)&out)[i] = median(field, n);
    }
    return out;
}

/*
 * The spread of a ratio: each round's runs of the two daemons are next to
 * each other in time, so their quotient shows how far the machine's noise
 * moves the ratio the medians give.
 */
static void paired_spread(struct figure *f, const double *ops, const double *other, int rounds)
{
    f->vs_lo = f->vs_hi = 0;
    for (int r = 0; r < rounds; r++) {
        double q = other[r] > 0 ? ops[r] / other[r] : 0;

        if (r == 0 || q < f->vs_lo)
            f->vs_lo = q;
        if (r == 0 || q > f->vs_hi)
            f->vs_hi = q;
    }
}

/*
 * Each figure is measured `rounds` times and the median kept; with two
 * daemons the runs alternate A, B, A, B... so that a change in the machine's
 * load (a shared host, QEMU TCG) falls on both rather than on whichever
 * daemon happened to run second.
 */
static void measure(const char *const *socks, int nsock, int rounds,
                    struct figure res[3][M_COUNT][NCC])
{
    pid_t pids[3];

    for (int d = 0; d < nsock; d++)
        pids[d] = peer_pid(socks[d]);
    for (int m = 0; m < M_COUNT; m++) {
        for (int c = 0; c < NCC; c++) {
            if (!metric_on[m] || !clients_on[c]) {
                for (int d = 0; d < nsock; d++)
                    res[d][m][c] = (struct figure){0};
                continue;
            }
            double ops[3][16];
            struct cost costs[3][16];

            for (int r = 0; r < rounds; r++) {
                for (int d = 0; d < nsock; d++) {
                    costs[d][r] = (struct cost){-1, -1, {-1, -1, -1, -1}};
                    ops[d][r] = d == floor_at && m == M_WATCH
                                    ? 0
                                    : run(socks[d], m, client_counts[c], pids[d], &costs[d][r]);
                }
            }
            for (int d = 0; d < nsock; d++) {
                res[d][m][c] = (struct figure){median(ops[d], rounds), median_cost(costs[d], rounds)};
                if (d < 2 && nsock - (floor_at >= 0) == 2)
                    paired_spread(&res[d][m][c], ops[d], ops[1 - d], rounds);
            }
        }
        if (metric_on[m])
            fprintf(stderr, "xs-bench: %s measured\n", metric_names[m]);
    }
}

/* One table: a row per metric, a cell per client count (1, 8, 64), made by @cell. */
static void print_cells(const char *title, const char *what, struct figure res[M_COUNT][NCC],
                        void (*cell)(char *buf, size_t len, const struct figure *f))
{
    printf("  %-14s %14s %14s %14s\n", title, what, "", "");
    for (int m = 0; m < M_COUNT; m++) {
        printf("  %-14s", metric_names[m]);
        for (int c = 0; c < NCC; c++) {
            char buf[32];

            cell(buf, sizeof(buf), &res[m][c]);
            printf(" %14s", buf);
        }
        printf("\n");
    }
}

static void cell_ops(char *buf, size_t len, const struct figure *f)
{
    snprintf(buf, len, "%.0f", f->ops);
}

static void cell_cpu(char *buf, size_t len, const struct figure *f)
{
    snprintf(buf, len, "%.1f/%.1f", f->cost.daemon_us, f->cost.client_us);
}

static void cell_wakeups(char *buf, size_t len, const struct figure *f)
{
    snprintf(buf, len, "%.2f/%.2f", f->cost.w.ipis, f->cost.w.switches);
}

static void cell_daemon_switches(char *buf, size_t len, const struct figure *f)
{
    snprintf(buf, len, "%.2f/%.2f", f->cost.w.daemon_sleeps, f->cost.w.daemon_preempted);
}

static void cell_spread(char *buf, size_t len, const struct figure *f)
{
    snprintf(buf, len, "%.2f-%.2f", f->vs_lo, f->vs_hi);
}

static void print_table(const char *sock, bool floor, struct figure res[M_COUNT][NCC], double bpn)
{
    printf("%s at %s:\n", floor ? "floor (no tree: canned replies)" : "daemon", sock);
    if (bpn >= 0)
        printf("  memory: %.0f bytes of RSS per node (16-byte values)\n", bpn);
    else if (!floor)
        printf("  memory: daemon RSS not readable\n");
    print_cells("ops/s", "1/8/64 clients", res, cell_ops);
    /* Where the time went: a daemon that polls shows it here, not in ops/s. */
    print_cells("CPU us/op", "daemon/client", res, cell_cpu);
    /* Why: how often an operation woke a task on another CPU, or switched tasks... */
    print_cells("per op", "IPIs/switches", res, cell_wakeups);
    /* ...and how often the daemon slept, or lost its CPU while it could run. */
    print_cells("daemon per op", "slept/preempted", res, cell_daemon_switches);
}

/* The floor's figures over @ref's: with one CPU, one client, the most an epoll daemon reaches. */
static void print_ceiling(struct figure floor[M_COUNT][NCC], struct figure ref[M_COUNT][NCC],
                          const char *which)
{
    printf("floor (no tree) / %s%sdaemon:\n", which, *which ? " " : "");
    for (int m = 0; m < M_COUNT; m++) {
        printf("  %-14s", metric_names[m]);
        for (int c = 0; c < NCC; c++)
            printf(" %14.2f", ref[m][c].ops > 0 ? floor[m][c].ops / ref[m][c].ops : 0.0);
        printf("\n");
    }
}

static pid_t start_own(char *sock, size_t len)
{
    char dir[] = "/tmp/xs-bench-XXXXXX";
    pid_t pid;

    if (!mkdtemp(dir))
        return -1;
    snprintf(sock, len, "%s/socket", dir);
    pid = fork();
    if (pid == 0) {
        execl(XENSTORED_BIN, XENSTORED_BIN, "--foreground", "--no-xen", "--socket", sock,
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        struct stat st;

        if (stat(sock, &st) == 0)
            return pid;
        usleep(10000);
    }
    return -1;
}

static int metric_index(const char *w)
{
    for (int m = 0; m < M_COUNT; m++)
        if (*w && !strncmp(metric_names[m], w, strlen(w)))
            return m;
    return -1;
}

static int clients_index(const char *w)
{
    for (int c = 0; c < NCC; c++)
        if (client_counts[c] == atoi(w))
            return c;
    return -1;
}

/*
 * Keep only what a comma-separated list names (of n, each found by @index);
 * -EINVAL for a name not known, or none.
 */
static int select_list(const char *list, bool *keep, int n, int (*index)(const char *w))
{
    bool on[16] = {false}, any = false;
    char buf[256], *save, *w;

    snprintf(buf, sizeof(buf), "%s", list);
    for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        int i = index(w);

        if (i < 0)
            return -EINVAL;
        on[i] = any = true;
    }
    if (!any)
        return -EINVAL;
    memcpy(keep, on, n * sizeof(bool));
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {{"socket", 1, NULL, 's'},  {"nodes", 1, NULL, 'n'},
                                       {"seconds", 1, NULL, 't'}, {"rounds", 1, NULL, 'r'},
                                       {"metrics", 1, NULL, 'm'}, {"clients", 1, NULL, 'c'},
                                       {"floor", 0, NULL, 'f'},   {"help", 0, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    const char *socks[3];
    int nsock = 0, rounds = 1, ch;
    char own[128], floor_sock[128];
    pid_t pid = 0, floor_pid = 0;
    bool with_floor = false;
    struct figure res[3][M_COUNT][NCC];
    double bpn[3];

    while ((ch = getopt_long(argc, argv, "s:n:t:r:m:c:fh", lo, NULL)) != -1) {
        if (ch == 's' && nsock < 2)
            socks[nsock++] = optarg;
        else if (ch == 'n')
            nodes = strtoul(optarg, NULL, 10);
        else if (ch == 't')
            seconds = strtod(optarg, NULL);
        else if (ch == 'r')
            rounds = atoi(optarg);
        else if (ch == 'm' && select_list(optarg, metric_on, M_COUNT, metric_index) == 0)
            ;
        else if (ch == 'c' && select_list(optarg, clients_on, NCC, clients_index) == 0)
            ;
        else if (ch == 'f')
            with_floor = true;
        else {
            printf("usage: xs-bench [--socket PATH [--socket PATH2]] [--nodes N] [--seconds S]\n"
                   "                [--rounds R] [--metrics reads,writes,directories,watch,\n"
                   "                transactions] [--clients 1,8,64] [--floor]\n"
                   "Without --socket, starts %s on a private socket.\n"
                   "Each figure is the median of R runs of S seconds; with two sockets\n"
                   "the daemons' runs alternate, and each ratio's lowest and highest\n"
                   "over the R pairs of runs are printed too.\n"
                   "--floor also measures, in the same rounds, a process that answers\n"
                   "at once with canned replies and keeps no tree, and prints its\n"
                   "figures over the last daemon's: the ceiling of any daemon's ratio.\n",
                   XENSTORED_BIN);
            return ch == 'h' ? 0 : 2;
        }
    }
    if (nodes < 100)
        nodes = 100;
    if (rounds < 1 || rounds > 16)
        rounds = rounds < 1 ? 1 : 16;
    signal(SIGPIPE, SIG_IGN);
    if (!nsock) {
        pid = start_own(own, sizeof(own));
        if (pid < 0) {
            fprintf(stderr, "cannot start %s\n", XENSTORED_BIN);
            return 1;
        }
        socks[nsock++] = own;
    }
    for (int i = 0; i < nsock; i++) {
        fprintf(stderr, "xs-bench: populating %u nodes at %s...\n", nodes, socks[i]);
        bpn[i] = populate(socks[i]);
    }
    if (with_floor) {
        floor_pid = floor_start(floor_sock, sizeof(floor_sock));
        if (floor_pid < 0) {
            fprintf(stderr, "cannot start the floor\n");
            return 1;
        }
        floor_at = nsock;
        bpn[nsock] = -1;
        socks[nsock++] = floor_sock;
    }
    measure(socks, nsock, rounds, res);
    for (int i = 0; i < nsock; i++)
        print_table(socks[i], i == floor_at, res[i], bpn[i]);
    if (with_floor)
        print_ceiling(res[floor_at], res[floor_at - 1], floor_at == 2 ? "second" : "");
    if (nsock - with_floor == 2) {
        printf("ratio (first / second daemon):\n");
        for (int m = 0; m < M_COUNT; m++) {
            printf("  %-14s", metric_names[m]);
            for (int c = 0; c < NCC; c++)
                printf(" %14.2f", res[1][m][c].ops > 0 ? res[0][m][c].ops / res[1][m][c].ops : 0.0);
            printf("\n");
        }
        if (bpn[0] > 0 && bpn[1] > 0)
            printf("  memory/node    %14.2f\n", bpn[0] / bpn[1]);
        printf("ratio per round (first / second daemon, lowest-highest):\n");
        print_cells("rounds", "1/8/64 clients", res[0], cell_spread);
    }
    floor_stop(floor_pid, floor_sock);
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        unlink(own);
        *strrchr(own, '/') = '\0';
        rmdir(own);
    }
    return 0;
}
