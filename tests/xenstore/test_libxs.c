// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxenonxs against a real xenstored on a private socket: every call,
 * watches through the pollable descriptor, transactions from two handles,
 * many threads on one handle, directory listings larger than a message.
 * Then replies as a spinning caller can meet them, from a scripted peer:
 * late (past the spin window), split across writes, or never (a close).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xenon/xs.h>

#include "check.h"
#include "daemon.h"


static struct test_daemon d;

static int read_eq(struct xs_handle *h, xs_transaction_t t, const char *p, const char *want)
{
    char *v = NULL;
    int r = xs_read(h, t, p, &v, NULL);
    int ok = r == 0 && !strcmp(v, want);

    free(v);
    return ok;
}

static void test_basic(struct xs_handle *h)
{
    char **names, *v, *dp;
    struct xs_permission *p, set[2] = {{0, XS_PERM_NONE}, {5, XS_PERM_READ}};
    size_t len;
    int n;

    CHECK(xs_write(h, 0, "/b/one", "1", 1) == 0);
    CHECK(xs_write(h, 0, "/b/two", "22", 2) == 0);
    CHECK(xs_mkdir(h, 0, "/b/dir") == 0);
    CHECK(xs_read(h, 0, "/b/two", &v, &len) == 0 && len == 2 && !strcmp(v, "22"));
    free(v);
    n = xs_directory(h, 0, "/b", &names);
    CHECK(n == 3 && !strcmp(names[0], "one") && !strcmp(names[2], "dir") && !names[3]);
    free(names);
    CHECK(xs_read(h, 0, "/b/none", &v, NULL) == -ENOENT);
    CHECK(xs_set_perms(h, 0, "/b/one", set, 2) == 0);
    n = xs_get_perms(h, 0, "/b/one", &p);
    CHECK(n == 2 && p[0].domid == 0 && p[0].access == XS_PERM_NONE && p[1].domid == 5 &&
          p[1].access == XS_PERM_READ);
    free(p);
    CHECK(xs_rm(h, 0, "/b/dir") == 0);
    CHECK(xs_write(h, 0, "bad//path", "", 0) == -EINVAL);
    CHECK(xs_get_domain_path(h, 12, &dp) == 0 && !strcmp(dp, "/local/domain/12"));
    free(dp);
    /* larger than one message: the library pages with DIRECTORY_PART */
    for (int i = 0; i < 700; i++) {
        char path[64];

        snprintf(path, sizeof(path), "/big/a-rather-long-child-name-%04d", i);
        CHECK(xs_write(h, 0, path, "", 0) == 0);
    }
    n = xs_directory(h, 0, "/big", &names);
    CHECK(n == 700 && names && !strcmp(names[699], "a-rather-long-child-name-0699"));
    free(names);
}

/*
 * A request reaches a socket as the caller's buffers (xs.c's DIRECT_IOV of
 * them) or, in more pieces, as one copy: both arrive whole, at any size.
 */
static void test_request_pieces(struct xs_handle *h)
{
    static char big[XS_PAYLOAD_MAX - 16];
    const char *parts[] = {"/pie", "ces/", "a-", "b-", "c-", "d-", "e-", "f-", "g-", "h", ""};
    struct iovec iov[12];
    unsigned n = 0;
    char *v;
    size_t len;

    for (; n < sizeof(parts) / sizeof(parts[0]); n++)
        iov[n] = (struct iovec){(void *)parts[n], strlen(parts[n])};
    iov[n - 1].iov_len = 1; /* the path's NUL */
    iov[n++] = (struct iovec){"eleven", 6};
    CHECK(n > 8); /* more than DIRECT_IOV: the copy */
    CHECK(xs_request(h, XS_WRITE, 0, iov, n, NULL, NULL) == 0);
    CHECK(read_eq(h, 0, "/pieces/a-b-c-d-e-f-g-h", "eleven"));
    memset(big, 'v', sizeof(big));
    CHECK(xs_write(h, 0, "/pieces/big", big, sizeof(big)) == 0);
    CHECK(xs_read(h, 0, "/pieces/big", &v, &len) == 0 && len == sizeof(big) &&
          !memcmp(v, big, len));
    free(v);
    CHECK(xs_write(h, 0, "/pieces/too-big", big, sizeof(big) + 1) == -E2BIG);
}

static void test_watch(struct xs_handle *h, struct xs_handle *other)
{
    struct pollfd pfd = {.events = POLLIN};
    char **vec;

    pfd.fd = xs_fileno(h);
    CHECK(pfd.fd >= 0);
    CHECK(xs_watch(h, "/wt", "tok") == 0);
    CHECK(poll(&pfd, 1, 2000) == 1);
    CHECK(xs_read_watch(h, &vec, true) == 0 && !strcmp(vec[0], "/wt") && !strcmp(vec[1], "tok"));
    free(vec);
    CHECK(xs_read_watch(h, &vec, false) == -EAGAIN);
    CHECK(xs_write(other, 0, "/wt/x", "1", 1) == 0);
    CHECK(poll(&pfd, 1, 2000) == 1);
    CHECK(xs_read_watch(h, &vec, true) == 0 && !strcmp(vec[0], "/wt/x"));
    free(vec);
    pfd.revents = 0;
    CHECK(poll(&pfd, 1, 0) == 0); /* nothing left: not readable */
    /* requests keep working while the reader thread owns the socket */
    CHECK(read_eq(h, 0, "/wt/x", "1"));
    CHECK(xs_unwatch(h, "/wt", "tok") == 0);
    CHECK(xs_unwatch(h, "/wt", "tok") == -ENOENT);
    /* domains and the special watches */
    CHECK(xs_watch(h, "@introduceDomain", "intro") == 0);
    CHECK(xs_read_watch(h, &vec, true) == 0 && !strcmp(vec[0], "@introduceDomain"));
    free(vec);
    CHECK(xs_introduce_domain(other, 3, 0x1234, 7) == 0);
    CHECK(xs_read_watch(h, &vec, true) == 0 && !strcmp(vec[1], "intro"));
    free(vec);
    CHECK(xs_is_domain_introduced(other, 3) == 1);
    CHECK(xs_set_target(other, 3, 5) == 0);
    CHECK(xs_resume_domain(other, 3) == 0);
    CHECK(xs_release_domain(other, 3) == 0);
    CHECK(xs_is_domain_introduced(other, 3) == 0);
    CHECK(xs_release_domain(other, 3) == -ENOENT);
    CHECK(xs_reset_watches(h) == 0);
}

static void test_txn(struct xs_handle *a, struct xs_handle *b)
{
    xs_transaction_t t1, t2;

    CHECK(xs_write(a, 0, "/tx/v", "0", 1) == 0);
    CHECK(xs_transaction_start(a, &t1) == 0 && xs_transaction_start(b, &t2) == 0);
    CHECK(read_eq(a, t1, "/tx/v", "0") && read_eq(b, t2, "/tx/v", "0"));
    CHECK(xs_write(a, t1, "/tx/v", "a", 1) == 0 && xs_write(b, t2, "/tx/v", "b", 1) == 0);
    CHECK(read_eq(a, 0, "/tx/v", "0"));
    CHECK(xs_transaction_end(a, t1, false) == 0);
    CHECK(xs_transaction_end(b, t2, false) == -EAGAIN);
    CHECK(read_eq(b, 0, "/tx/v", "a"));
    CHECK(xs_transaction_start(b, &t2) == 0);
    CHECK(xs_write(b, t2, "/tx/gone", "x", 1) == 0);
    CHECK(xs_transaction_end(b, t2, true) == 0);
    CHECK(xs_read(b, 0, "/tx/gone", &(char *){NULL}, NULL) == -ENOENT);
}

struct worker {
    struct xs_handle *h;
    int id, errors;
};

static void *worker(void *arg)
{
    struct worker *w = arg;

    for (int i = 0; i < 300; i++) {
        char path[64], val[32];

        snprintf(path, sizeof(path), "/thr/%d/%d", w->id, i % 10);
        snprintf(val, sizeof(val), "%d-%d", w->id, i);
        if (xs_write(w->h, 0, path, val, strlen(val)) < 0 || !read_eq(w->h, 0, path, val))
            w->errors++;
    }
    return NULL;
}

static void test_threads(struct xs_handle *h)
{
    pthread_t th[8];
    struct worker w[8];

    for (int i = 0; i < 8; i++) {
        w[i] = (struct worker){h, i, 0};
        pthread_create(&th[i], NULL, worker, &w[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].errors == 0);
    }
}

static void test_guest(struct xs_handle *h0)
{
    struct xs_handle *g;
    char *v;
    const char *check[] = {"check"};

    CHECK(xs_mkdir(h0, 0, "/local/domain/5") == 0);
    CHECK(xs_set_perms(h0, 0, "/local/domain/5", &(struct xs_permission){5, 0}, 1) == 0);
    CHECK(xs_open(&g, d.guest_sock, 0) == 0);
    CHECK(xs_write(g, 0, "name", "guest5", 6) == 0);
    CHECK(read_eq(h0, 0, "/local/domain/5/name", "guest5"));
    CHECK(xs_read(g, 0, "/tx/v", &v, NULL) == -EACCES);
    CHECK(xs_introduce_domain(g, 9, 1, 1) == -EACCES);
    CHECK(xs_control(h0, check, 1, &v) == 0 && !strcmp(v, "OK"));
    free(v);
    xs_close(g);
}

/* A peer that answers each request with "v" after a scripted delay. */
enum peer_mode { PEER_LATE, PEER_SPLIT, PEER_CLOSE };

struct peer {
    int lfd;
    enum peer_mode mode;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000};

    nanosleep(&ts, NULL);
}

static void *peer_main(void *arg)
{
    struct peer *p = arg;
    struct xs_msg_hdr req, rep;
    char body[XS_PAYLOAD_MAX];
    int fd = accept(p->lfd, NULL, NULL);

    while (fd >= 0 && read(fd, &req, sizeof(req)) == sizeof(req) &&
           read(fd, body, req.len) == (ssize_t)req.len) {
        rep = (struct xs_msg_hdr){.type = req.type, .req_id = req.req_id, .len = 1};
        if (p->mode == PEER_CLOSE) {
            sleep_ms(5);
            break;
        }
        if (p->mode == PEER_LATE)
            sleep_ms(20); /* far past the 50 us window: the caller sleeps */
        if (write(fd, &rep, sizeof(rep)) != sizeof(rep))
            break;
        if (p->mode == PEER_SPLIT)
            sleep_ms(2); /* the header arrives while the caller spins; the body later */
        if (write(fd, "v", 1) != 1)
            break;
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static void test_spin_reply(enum peer_mode mode, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct peer p = {socket(AF_UNIX, SOCK_STREAM, 0), mode};
    struct xs_handle *h;
    pthread_t th;
    char *v;
    int r;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    CHECK(bind(p.lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(p.lfd, 1) == 0);
    pthread_create(&th, NULL, peer_main, &p);
    CHECK(xs_open(&h, path, XS_OPEN_SOCKETONLY) == 0);
    for (int i = 0; i < (mode == PEER_CLOSE ? 1 : 12); i++) {
        r = xs_read(h, 0, "/x", &v, NULL);
        if (mode == PEER_CLOSE) {
            CHECK(r == -ECONNRESET);
            continue;
        }
        CHECK(r == 0 && !strcmp(v, "v"));
        if (r == 0)
            free(v);
    }
    xs_close(h);
    pthread_join(th, NULL);
    close(p.lfd);
    unlink(path);
}

int main(void)
{
    struct xs_handle *h, *h2;

    if (daemon_start(&d, XENSTORED_BIN, NULL) < 0) {
        fprintf(stderr, "cannot start %s\n", XENSTORED_BIN);
        return 1;
    }
    setenv("XENSTORED_PATH", d.sock, 1);
    CHECK(xs_open(&h, NULL, XS_OPEN_SOCKETONLY) == 0);
    CHECK(xs_open(&h2, d.sock, 0) == 0);
    if (!failures) {
        test_basic(h);
        test_request_pieces(h);
        test_txn(h, h2);
        test_threads(h);
        test_guest(h2);
        test_watch(h, h2); /* last: leaves h's reader thread running */
        xs_close(h);
        xs_close(h2);
    }
    CHECK(daemon_stop(&d) == 0);
    {
        char path[160];

        snprintf(path, sizeof(path), "/tmp/xs-test-peer-%d", (int)getpid());
        test_spin_reply(PEER_LATE, path);
        test_spin_reply(PEER_SPLIT, path);
        test_spin_reply(PEER_CLOSE, path);
    }
    printf("libxs: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
