// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstored's io_uring batch of socket sends (xenstored/sendq.c) on real
 * unix sockets: every queued send arrives, each result reaches its tag, and
 * a full or closed socket fails at once instead of blocking the daemon.
 * Exits 77 (skipped) where the kernel refuses io_uring.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "sendq.h"

struct result {
    int calls, res;
};

static void record(void *tag, int res, void *arg)
{
    struct result *r = tag;

    r->calls++;
    r->res = res;
    (*(int *)arg)++;
}

static void pair(int sv[2])
{
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A full batch to as many sockets, two iovecs each: all bytes arrive, in order. */
static void test_batch(struct sendq *q)
{
    int sv[SENDQ_MAX][2], reported = 0;
    struct iovec iov[SENDQ_MAX][2];
    struct result res[SENDQ_MAX] = {0};
    char head[SENDQ_MAX][16], tail[] = "-tail";

    for (int i = 0; i < SENDQ_MAX; i++) {
        pair(sv[i]);
        snprintf(head[i], sizeof(head[i]), "reply%d", i);
        iov[i][0] = (struct iovec){head[i], strlen(head[i])};
        iov[i][1] = (struct iovec){tail, strlen(tail)};
        CHECK(!sendq_full(q));
        sendq_add(q, sv[i][0], iov[i], 2, &res[i]);
    }
    CHECK(sendq_full(q));
    CHECK(sendq_submit(q, record, &reported) == 0);
    CHECK(reported == SENDQ_MAX && !sendq_full(q));
    for (int i = 0; i < SENDQ_MAX; i++) {
        char want[32], got[32] = {0};
        int len = snprintf(want, sizeof(want), "reply%d-tail", i);

        CHECK(res[i].calls == 1 && res[i].res == len);
        CHECK(read(sv[i][1], got, sizeof(got)) == len && !memcmp(got, want, len));
        close(sv[i][0]);
        close(sv[i][1]);
    }
    CHECK(sendq_submit(q, record, &reported) == 0 && reported == SENDQ_MAX); /* empty: no call */
}

/* A socket with no room: -EAGAIN at once; with less room than the send: part of it. */
static void test_full(struct sendq *q)
{
    static char big[1 << 20];
    struct iovec iov = {big, sizeof(big)};
    struct result r = {0};
    int sv[2], reported = 0;
    ssize_t n, total = 0;
    double t0;

    pair(sv);
    sendq_add(q, sv[0], &iov, 1, &r);
    CHECK(sendq_submit(q, record, &reported) == 0);
    CHECK(r.calls == 1 && r.res > 0 && r.res < (int)sizeof(big));
    while ((n = read(sv[1], big, sizeof(big))) > 0)
        total += n;
    CHECK(total == r.res);
    while (write(sv[0], big, sizeof(big)) > 0 || errno == EINTR)
        ;
    CHECK(errno == EAGAIN);
    t0 = now();
    sendq_add(q, sv[0], &iov, 1, &r);
    CHECK(sendq_submit(q, record, &reported) == 0);
    CHECK(now() - t0 < 2.0);
    CHECK(r.calls == 2 && r.res == -EAGAIN);
    close(sv[0]);
    close(sv[1]);
}

/* A peer gone: an error for that send alone (and no SIGPIPE), the others still go. */
static void test_closed(struct sendq *q)
{
    struct iovec iov = {"x", 1};
    struct result gone = {0}, alive = {0};
    int a[2], b[2], reported = 0;
    char c;

    pair(a);
    pair(b);
    close(a[1]);
    sendq_add(q, a[0], &iov, 1, &gone);
    sendq_add(q, b[0], &iov, 1, &alive);
    CHECK(sendq_submit(q, record, &reported) == 0 && reported == 2);
    CHECK(gone.res == -EPIPE);
    CHECK(alive.res == 1 && read(b[1], &c, 1) == 1 && c == 'x');
    close(a[0]);
    close(b[0]);
    close(b[1]);
}

int main(void)
{
    struct sendq q;
    int r = sendq_init(&q);

    if (r == -ENOSYS || r == -EPERM || r == -EINVAL || r == -EOPNOTSUPP) {
        printf("SKIP: io_uring refused here (%s); xenstored writes each client itself\n",
               strerror(-r));
        return 77;
    }
    CHECK(r == 0);
    if (r < 0)
        return 1;
    test_batch(&q);
    test_full(&q);
    test_closed(&q);
    sendq_fini(&q);
    CHECK(q.fd == -1);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    else
        printf("ok: sendq batches, full and closed sockets\n");
    return failures ? 1 : 0;
}
