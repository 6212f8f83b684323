// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libxenonxs: connection, message exchange and watch delivery.
 *
 * Threads share one connection. Requests are matched to replies by req_id,
 * so several may be in flight. Whoever needs a message and finds nobody
 * reading becomes the reader for a while; everyone else waits on a condition
 * variable. Once xs_fileno() is called a dedicated thread takes the reader
 * role for good, so that watch events reach the pollable pipe promptly.
 *
 * Lock order: wmu (writes) is never held while taking mu, nor mu while
 * taking wmu.
 *
 * A caller waiting for its reply on a socket polls it for a while before
 * it sleeps, when the process may run on more than one CPU: a daemon on
 * another CPU answers sooner than a sleeping thread is woken. The window
 * is learnt per handle (xenon/xs_spin.h); when more threads of the
 * process await replies than it has spare CPUs, none polls, so a crowd of
 * clients does not take the daemon's CPU. XS_SPIN_US in the environment
 * bounds the window (default 10,000; 0: never poll). The watch thread
 * never polls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenon/xs.h>
#include <xenon/xs_spin.h>

struct msg {
    struct msg *next;
    struct xs_msg_hdr h;
    char body[]; /* h.len bytes and a NUL */
};

struct xs_handle {
    int fd;
    bool is_socket;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t wmu;
    uint32_t next_req;
    bool reading;
    bool thread_running;
    pthread_t thread;
    int err; /* sticky: the connection is gone */
    struct msg *replies;
    struct msg *ev_head, *ev_tail;
    int pipe[2];
    struct xs_spin spin; /* waiting for replies; max_ns 0 unless a socket */
    /* input buffer, touched only by whoever holds the reader role */
    size_t in_have;
    char in[2 * (sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX)];
};

static const char *const errnames[] = {
    [EINVAL] = "EINVAL", [EACCES] = "EACCES", [EEXIST] = "EEXIST",       [EISDIR] = "EISDIR",
    [ENOENT] = "ENOENT", [ENOMEM] = "ENOMEM", [ENOSPC] = "ENOSPC",       [EIO] = "EIO",
    [ENOTEMPTY] = "ENOTEMPTY", [ENOSYS] = "ENOSYS", [EROFS] = "EROFS",   [EBUSY] = "EBUSY",
    [EAGAIN] = "EAGAIN", [EISCONN] = "EISCONN", [E2BIG] = "E2BIG",       [EPERM] = "EPERM",
};

int xs_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (errnames[i] && !strcmp(errnames[i], name))
            return i;
    return EIO;
}

#define SPIN_DEFAULT_US 10000

static uint64_t spin_max_ns; /* 0 if polling does not pay */
static int spin_slots;       /* spare CPUs */
static atomic_int awaiting;  /* threads of this process awaiting a reply */
static pthread_once_t spin_once = PTHREAD_ONCE_INIT;
static struct xs_steal steal; /* the process's verdict on stolen time */
static pthread_mutex_t steal_mu = PTHREAD_MUTEX_INITIALIZER;

/* Whether the hypervisor steals too much of our CPU time to poll; one thread renews the verdict. */
static bool too_much_stolen(uint64_t now)
{
    bool stolen;

    if (now < __atomic_load_n(&steal.next_ns, __ATOMIC_ACQUIRE) || pthread_mutex_trylock(&steal_mu))
        return __atomic_load_n(&steal.stolen, __ATOMIC_RELAXED);
    stolen = xs_steal_check(&steal, "/proc/stat", now);
    pthread_mutex_unlock(&steal_mu);
    return stolen;
}

static void spin_setup(void)
{
    const char *env = getenv("XS_SPIN_US");

    spin_slots = xs_spin_spare_cpus();
    spin_max_ns = (env ? strtoull(env, NULL, 10) : SPIN_DEFAULT_US) * 1000;
    if (spin_slots <= 0)
        spin_max_ns = 0;
}

/*
 * Sleep until input comes, then read it. On a socket the sleep is in
 * poll() for POLLIN: a thread asleep in read() on a unix socket is also
 * woken, for nothing, each time the daemon takes in what we sent (our
 * write space grows, and the socket has one wait queue for both); poll's
 * wait sees the event's kind and ignores that, which saves the daemon a
 * wake-up of us and our CPU a trip through the scheduler per request.
 */
static ssize_t sleep_read(struct xs_handle *h, void *buf, size_t len)
{
    struct pollfd p = {.fd = h->fd, .events = POLLIN};

    if (h->is_socket && poll(&p, 1, -1) < 0)
        return -1;
    return read(h->fd, buf, len);
}

/*
 * Poll the socket for up to the handle's window. Returns what recv()
 * returned; *again: the window ran out with nothing to read.
 */
static ssize_t poll_reply(struct xs_handle *h, void *buf, size_t len, bool *again)
{
    uint64_t t0 = xs_spin_now(), t = t0, polling = 0, polls = 0;
    ssize_t n;
    int e;

    for (;;) {
        uint64_t p = t;

        n = recv(h->fd, buf, len, MSG_DONTWAIT);
        e = errno;
        *again = n < 0 && e == EAGAIN;
        t = xs_spin_now();
        polling += t - p; /* what polls cost, not yields */
        polls++;
        if (!*again || t - t0 >= h->spin.window_ns)
            break;
        sched_yield(); /* a daemon sharing our CPU runs now rather than after the window */
        t = xs_spin_now();
    }
    xs_spin_polled(&h->spin, polling, polls);
    errno = e;
    return n;
}

/*
 * Input for a caller awaiting its reply: poll first if that pays; returns
 * as read(). It does not when more threads of the process await replies
 * than there are spare CPUs: the daemon is queueing then, and polling
 * would only take CPU from it and from them. Nor while the hypervisor
 * steals much of our CPU time: the daemon may be waiting for our pCPU.
 * Neither kind of wait teaches the window anything.
 */
static ssize_t read_reply_bytes(struct xs_handle *h, void *buf, size_t len)
{
    uint64_t t0 = xs_spin_now();
    bool not_now = atomic_fetch_add(&awaiting, 1) >= spin_slots || too_much_stolen(t0);
    bool sleep = not_now || !h->spin.window_ns;
    ssize_t n = -1;

    if (!sleep)
        n = poll_reply(h, buf, len, &sleep);
    if (sleep) {
        n = sleep_read(h, buf, len);
        /* learn from a wait that polled in vain, or that could not poll (window 0) */
        if (!not_now)
            xs_spin_slept(&h->spin, xs_spin_now() - t0);
    }
    atomic_fetch_sub(&awaiting, 1);
    return n;
}

static int connect_socket(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(fd);
        return -e;
    }
    return fd;
}

static int open_path(const char *path, bool *is_socket)
{
    struct stat st;
    int fd;

    if (stat(path, &st) < 0)
        return -errno;
    *is_socket = S_ISSOCK(st.st_mode);
    if (*is_socket)
        return connect_socket(path);
    fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int xs_open(struct xs_handle **out, const char *path, unsigned flags)
{
    struct xs_handle *h;
    int fd = -ENOENT;
    bool sock = false;

    if (!path)
        path = getenv("XENSTORED_PATH");
    if (path)
        fd = open_path(path, &sock);
    if (!path && !(flags & XS_OPEN_DOMAINONLY))
        fd = open_path(XS_DEFAULT_SOCKET, &sock);
    if (!path && fd < 0 && !(flags & XS_OPEN_SOCKETONLY))
        fd = open_path(XS_DEFAULT_DEVICE, &sock);
    if (fd < 0)
        return fd;
    h = calloc(1, sizeof(*h));
    if (!h || pipe2(h->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        free(h);
        close(fd);
        return -ENOMEM;
    }
    pthread_once(&spin_once, spin_setup);
    h->fd = fd;
    h->is_socket = sock;
    xs_spin_init(&h->spin, sock ? spin_max_ns : 0);
    h->next_req = 1;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->wmu, NULL);
    pthread_cond_init(&h->cv, NULL);
    *out = h;
    return 0;
}

static void free_list(struct msg *m)
{
    while (m) {
        struct msg *n = m->next;

        free(m);
        m = n;
    }
}

void xs_close(struct xs_handle *h)
{
    if (!h)
        return;
    if (h->thread_running) {
        /* Wake the reader out of read(): shutdown for sockets, cancel otherwise. */
        if (h->is_socket)
            shutdown(h->fd, SHUT_RDWR);
        else
            pthread_cancel(h->thread);
        pthread_join(h->thread, NULL);
    }
    close(h->fd);
    close(h->pipe[0]);
    close(h->pipe[1]);
    free_list(h->replies);
    free_list(h->ev_head);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->wmu);
    pthread_cond_destroy(&h->cv);
    free(h);
}

/*
 * Make sure @want bytes are buffered, reading as much as comes at once;
 * @reply: a caller waits for its reply (not the watch thread).
 */
static int fill(struct xs_handle *h, size_t want, bool reply)
{
    while (h->in_have < want) {
        void *at = h->in + h->in_have;
        size_t room = sizeof(h->in) - h->in_have;
        ssize_t n = reply && h->spin.max_ns ? read_reply_bytes(h, at, room)
                                            : sleep_read(h, at, room);

        if (n == 0)
            return -ECONNRESET;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        h->in_have += n;
    }
    return 0;
}

static int read_msg(struct xs_handle *h, struct msg **out, bool reply)
{
    const size_t hs = sizeof(struct xs_msg_hdr);
    struct xs_msg_hdr hdr;
    struct msg *m;
    int r = fill(h, hs, reply);

    if (r < 0)
        return r;
    memcpy(&hdr, h->in, hs);
    if (hdr.len > XS_PAYLOAD_MAX)
        return -EPROTO;
    r = fill(h, hs + hdr.len, reply);
    if (r < 0)
        return r;
    m = malloc(sizeof(*m) + hdr.len + 1);
    if (!m)
        return -ENOMEM;
    m->next = NULL;
    m->h = hdr;
    memcpy(m->body, h->in + hs, hdr.len);
    m->body[hdr.len] = '\0';
    h->in_have -= hs + hdr.len;
    memmove(h->in, h->in + hs + hdr.len, h->in_have);
    *out = m;
    return 0;
}

/* Called with mu held. */
static void deliver(struct xs_handle *h, struct msg *m)
{
    if (m->h.type == XS_WATCH_EVENT) {
        char b = 0;

        if (h->ev_tail)
            h->ev_tail->next = m;
        else
            h->ev_head = m;
        h->ev_tail = m;
        if (write(h->pipe[1], &b, 1) < 0) {
            /* a full pipe is still readable: nothing is lost */
        }
    } else {
        m->next = h->replies;
        h->replies = m;
    }
    pthread_cond_broadcast(&h->cv);
}

static void *reader_thread(void *arg)
{
    struct xs_handle *h = arg;

    pthread_mutex_lock(&h->mu);
    while (h->reading) /* let a caller in the reader role finish */
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
    for (;;) {
        struct msg *m;
        int r = read_msg(h, &m, false);

        pthread_mutex_lock(&h->mu);
        if (r < 0) {
            h->err = r;
            pthread_cond_broadcast(&h->cv);
            pthread_mutex_unlock(&h->mu);
            return NULL;
        }
        deliver(h, m);
        pthread_mutex_unlock(&h->mu);
    }
}

/* With mu held: read one message as the temporary reader, or wait. */
static void pump(struct xs_handle *h)
{
    struct msg *m = NULL;
    int r;

    if (h->reading || h->thread_running) {
        pthread_cond_wait(&h->cv, &h->mu);
        return;
    }
    h->reading = true;
    pthread_mutex_unlock(&h->mu);
    r = read_msg(h, &m, true);
    pthread_mutex_lock(&h->mu);
    h->reading = false;
    if (r < 0)
        h->err = r;
    else
        deliver(h, m);
    pthread_cond_broadcast(&h->cv);
}

static struct msg *take_reply(struct xs_handle *h, uint32_t id)
{
    for (struct msg **pp = &h->replies; *pp; pp = &(*pp)->next) {
        if ((*pp)->h.req_id == id) {
            struct msg *m = *pp;

            *pp = m->next;
            return m;
        }
    }
    return NULL;
}

/* Write all of @cnt buffers (@iov advances as it goes); one call when it all fits. */
static int write_all(int fd, struct iovec *iov, int cnt)
{
    while (cnt) {
        ssize_t n = writev(fd, iov, cnt);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        while (cnt && (size_t)n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++, cnt--;
        }
        if (cnt) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
    return 0;
}

/* One message, whole: writers take turns so messages never interleave. */
static int write_msg(struct xs_handle *h, struct iovec *v, int cnt)
{
    int r;

    pthread_mutex_lock(&h->wmu);
    r = write_all(h->fd, v, cnt);
    pthread_mutex_unlock(&h->wmu);
    return r;
}

#define DIRECT_IOV 8 /* the header and this many buffers go to a socket as they are */

/* The message in one buffer, written at once: what the xenbus device wants. */
static __attribute__((noinline)) int send_copy(struct xs_handle *h, const struct xs_msg_hdr *hdr,
                                               const struct iovec *iov, unsigned niov)
{
    char buf[sizeof(*hdr) + XS_PAYLOAD_MAX];
    struct iovec v = {buf, sizeof(*hdr)};

    memcpy(buf, hdr, sizeof(*hdr));
    for (unsigned i = 0; i < niov; i++) {
        memcpy(buf + v.iov_len, iov[i].iov_base, iov[i].iov_len);
        v.iov_len += iov[i].iov_len;
    }
    return write_msg(h, &v, 1);
}

/*
 * A socket takes the header and the caller's buffers as they are, with no
 * copy and no page of stack for one (a request in more pieces than
 * DIRECT_IOV is copied all the same).
 */
static int send_msg(struct xs_handle *h, const struct xs_msg_hdr *hdr, const struct iovec *iov,
                    unsigned niov)
{
    struct iovec v[1 + DIRECT_IOV];
    int cnt = 1;

    if (!h->is_socket || niov > DIRECT_IOV)
        return send_copy(h, hdr, iov, niov);
    v[0] = (struct iovec){(void *)hdr, sizeof(*hdr)};
    for (unsigned i = 0; i < niov; i++)
        if (iov[i].iov_len)
            v[cnt++] = iov[i];
    return write_msg(h, v, cnt);
}

int xs_request(struct xs_handle *h, uint32_t type, xs_transaction_t t, const struct iovec *iov,
               unsigned niov, char **reply, size_t *len)
{
    struct xs_msg_hdr hdr = {.type = type, .tx_id = t};
    struct msg *m;
    size_t total = 0;
    int r;

    for (unsigned i = 0; i < niov; i++)
        total += iov[i].iov_len;
    if (total > XS_PAYLOAD_MAX)
        return -E2BIG;
    hdr.len = total;
    pthread_mutex_lock(&h->mu);
    hdr.req_id = h->next_req++;
    r = h->err;
    pthread_mutex_unlock(&h->mu);
    if (r == 0)
        r = send_msg(h, &hdr, iov, niov);
    if (r < 0)
        return r;
    pthread_mutex_lock(&h->mu);
    while (!(m = take_reply(h, hdr.req_id)) && !h->err)
        pump(h);
    r = h->err;
    pthread_mutex_unlock(&h->mu);
    if (!m)
        return r;
    if (m->h.type == XS_ERROR) {
        r = -xs_errno_from_name(m->body);
        free(m);
        return r;
    }
    if (len)
        *len = m->h.len;
    if (reply) {
        /* Hand out the body in place: move it to the front of the block. */
        memmove(m, m->body, m->h.len + 1);
        *reply = (char *)m;
    } else {
        free(m);
    }
    return 0;
}

static int simple(struct xs_handle *h, uint32_t type, xs_transaction_t t, const char *a,
                  const char *b, char **reply, size_t *len)
{
    struct iovec iov[2] = {{(void *)a, strlen(a) + 1}, {(void *)b, b ? strlen(b) + 1 : 0}};

    return xs_request(h, type, t, iov, b ? 2 : 1, reply, len);
}

int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, char **value, size_t *len)
{
    return simple(h, XS_READ, t, path, NULL, value, len);
}

int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
             size_t len)
{
    struct iovec iov[2] = {{(void *)path, strlen(path) + 1}, {(void *)data, len}};

    return xs_request(h, XS_WRITE, t, iov, 2, NULL, NULL);
}

int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return simple(h, XS_MKDIR, t, path, NULL, NULL, NULL);
}

int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return simple(h, XS_RM, t, path, NULL, NULL, NULL);
}

int xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    return simple(h, XS_WATCH, XS_TXN_NULL, path, token, NULL, NULL);
}

int xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    return simple(h, XS_UNWATCH, XS_TXN_NULL, path, token, NULL, NULL);
}

int xs_fileno(struct xs_handle *h)
{
    int r = 0;

    pthread_mutex_lock(&h->mu);
    if (!h->thread_running) {
        r = -pthread_create(&h->thread, NULL, reader_thread, h);
        h->thread_running = r == 0;
    }
    pthread_mutex_unlock(&h->mu);
    return r < 0 ? r : h->pipe[0];
}

int xs_read_watch(struct xs_handle *h, char ***vec, bool block)
{
    struct msg *m;
    char **v, b, *tok;
    size_t plen;
    int r = 0;

    pthread_mutex_lock(&h->mu);
    while (!h->ev_head && !h->err && block)
        pump(h);
    m = h->ev_head;
    if (m) {
        h->ev_head = m->next;
        if (!h->ev_head)
            h->ev_tail = NULL;
        if (read(h->pipe[0], &b, 1) < 0) {
            /* the byte may not be there if the pipe was full: fine */
        }
    } else {
        r = h->err ? h->err : -EAGAIN;
    }
    pthread_mutex_unlock(&h->mu);
    if (!m)
        return r;
    plen = strnlen(m->body, m->h.len);
    tok = plen < m->h.len ? m->body + plen + 1 : m->body + plen;
    v = malloc(3 * sizeof(*v) + m->h.len + 2);
    if (!v) {
        free(m);
        return -ENOMEM;
    }
    memcpy(v + 3, m->body, m->h.len + 1);
    ((char *)(v + 3))[m->h.len + 1] = '\0';
    v[0] = (char *)(v + 3);
    v[1] = v[0] + (tok - m->body);
    v[2] = NULL;
    free(m);
    *vec = v;
    return 0;
}

int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t)
{
    char *id;
    int r = simple(h, XS_TRANSACTION_START, XS_TXN_NULL, "", NULL, &id, NULL);

    if (r < 0)
        return r;
    *t = strtoul(id, NULL, 10);
    free(id);
    return *t ? 0 : -EIO;
}

int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    return simple(h, XS_TRANSACTION_END, t, abort ? "F" : "T", NULL, NULL, NULL);
}
