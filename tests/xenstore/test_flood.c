// SPDX-License-Identifier: GPL-2.0-only
/*
 * Abuse: a guest (the daemon's --guest-socket, acting as domain 5) floods
 * nodes, watches and transactions and hits its quotas with Xen's errors; a
 * guest that pipelines requests without reading replies stops being read;
 * meanwhile a Dom0 client's operations all complete. A guest that
 * disconnects mid-transaction leaves no trace.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <xenon/xs.h>

#include "check.h"
#include "daemon.h"


static struct test_daemon d;
static volatile int flooding;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dom0 work that must go on whatever the guest does. */
static void *dom0_worker(void *arg)
{
    struct xs_handle *h;
    int *done = arg;

    if (xs_open(&h, d.sock, 0) < 0)
        return NULL;
    while (flooding || *done < 500) {
        char p[48];

        snprintf(p, sizeof(p), "/dom0work/%d", *done % 50);
        if (xs_write(h, 0, p, "x", 1) == 0)
            (*done)++;
    }
    xs_close(h);
    return NULL;
}

static void flood_quotas(struct xs_handle *g)
{
    xs_transaction_t t;
    int r = 0, n = 0;
    char p[64];

    for (n = 0; n < 10000; n++) {
        snprintf(p, sizeof(p), "flood/%d", n);
        r = xs_write(g, 0, p, "v", 1);
        if (r < 0)
            break;
    }
    CHECK(r == -ENOSPC && n > 0 && n < 100);
    for (n = 0; n < 10000; n++) {
        snprintf(p, sizeof(p), "tok%d", n);
        r = xs_watch(g, "flood", p);
        if (r < 0)
            break;
    }
    CHECK(r == -E2BIG && n == 11); /* as Xen: one past the quota */
    for (n = 0; n < 10000; n++) {
        r = xs_transaction_start(g, &t);
        if (r < 0)
            break;
    }
    CHECK(r == -ENOSPC && n == 4);
    {
        static char big[4000];

        memset(big, 'x', sizeof(big));
        CHECK(xs_write(g, 0, "name", big, sizeof(big)) == -ENOSPC);
    }
}

static int raw_guest(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sa.sun_path, d.guest_sock);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return -1;
    return fd;
}

/* Pipeline requests and never read: the daemon must stop reading us. */
static int flood_unread(void)
{
    char msg[sizeof(struct xs_msg_hdr) + 16];
    struct xs_msg_hdr h = {XS_READ, 0, 0, 5};
    int fd = raw_guest();
    long sent = 0;

    memcpy(msg + sizeof(h), "name\0", 5);
    for (int i = 0; i < 200000; i++) {
        ssize_t n;

        h.req_id = i;
        memcpy(msg, &h, sizeof(h));
        n = send(fd, msg, sizeof(h) + 5, MSG_DONTWAIT);
        if (n <= 0)
            break;
        sent++;
    }
    /* the socket buffers filled up long before 200000 requests */
    CHECK(sent < 200000);
    return fd; /* kept open, unread, while Dom0 carries on */
}

static void ghost_transaction(struct xs_handle *h0)
{
    char msg[64], *usage0, *usage1;
    struct xs_msg_hdr h = {XS_TRANSACTION_START, 1, 0, 1};
    struct xs_msg_hdr rep;
    const char *q[] = {"quota", "5"}, *check[] = {"check"};
    char id[16] = "";
    int fd;

    /* Domain 5's usage before its connection exists: all of it must go with it. */
    CHECK(xs_control(h0, q, 2, &usage0) == 0);
    fd = raw_guest();
    send(fd, &h, sizeof(h), 0);
    send(fd, "", 1, 0);
    CHECK(recv(fd, &rep, sizeof(rep), MSG_WAITALL) == sizeof(rep) && rep.len < sizeof(id));
    CHECK(recv(fd, id, rep.len, MSG_WAITALL) == (ssize_t)rep.len);
    h = (struct xs_msg_hdr){XS_WRITE, 2, strtoul(id, NULL, 10), 0};
    h.len = snprintf(msg, sizeof(msg), "ghost/node%cboo", 0);
    send(fd, &h, sizeof(h), 0);
    send(fd, msg, h.len, 0);
    CHECK(recv(fd, &rep, sizeof(rep), MSG_WAITALL) == sizeof(rep) && rep.type == XS_WRITE);
    close(fd);
    CHECK(xs_read(h0, 0, "/local/domain/5/ghost", &(char *){NULL}, NULL) == -ENOENT);
    /*
     * The daemon sees the hang-up in its own time, maybe after our next
     * request: the usage must come back to what it was, within a while.
     */
    for (int tries = 0;; tries++) {
        CHECK(xs_control(h0, q, 2, &usage1) == 0);
        if (!strcmp(usage0, usage1) || tries == 200)
            break;
        free(usage1);
        usleep(10000);
    }
    if (strcmp(usage0, usage1))
        fprintf(stderr, "quota usage before: %s\nafter: %s\n", usage0, usage1);
    CHECK(!strcmp(usage0, usage1));
    free(usage0), free(usage1);
    CHECK(xs_control(h0, check, 1, &usage0) == 0 && !strcmp(usage0, "OK"));
    free(usage0);
}

int main(void)
{
    const char *opts[] = {"--quota", "nodes=50",        "--quota", "watches=10",
                          "--quota", "transactions=3", "--quota", "outstanding=20", NULL};
    struct xs_handle *h0, *g;
    pthread_t th;
    int done = 0, fd;
    double t0;

    if (daemon_start(&d, XENSTORED_BIN, opts) < 0)
        return 1;
    CHECK(xs_open(&h0, d.sock, 0) == 0);
    CHECK(xs_mkdir(h0, 0, "/local/domain/5") == 0);
    CHECK(xs_set_perms(h0, 0, "/local/domain/5", &(struct xs_permission){5, 0}, 1) == 0);
    CHECK(xs_open(&g, d.guest_sock, 0) == 0);
    flooding = 1;
    t0 = now();
    pthread_create(&th, NULL, dom0_worker, &done);
    flood_quotas(g);
    fd = flood_unread();
    flooding = 0;
    pthread_join(th, NULL);
    close(fd);
    printf("dom0 completed %d writes in %.2fs while the guest flooded\n", done, now() - t0);
    CHECK(done >= 500 && now() - t0 < 30);
    /* dom0 is not held to the guest quotas */
    for (int i = 0; i < 200; i++) {
        char p[32];

        snprintf(p, sizeof(p), "/dom0many/%d", i);
        CHECK(xs_write(h0, 0, p, "", 0) == 0);
    }
    xs_close(g);
    CHECK(xs_rm(h0, 0, "/local/domain/5/flood") == 0); /* make room under the quota */
    ghost_transaction(h0);
    xs_close(h0);
    CHECK(daemon_stop(&d) == 0);
    printf("flood: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
