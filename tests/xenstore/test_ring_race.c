// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest ring's notification rules, on two threads. The guest thread
 * drives the page as Linux's xenbus does (drivers/xen/xenbus/xenbus_comms.c):
 * a request's header and payload go in two writes, and it notifies only when
 * it finds we had taken everything it wrote before, or when it frees space
 * in a response ring it found full. The daemon thread is our connection code
 * over the page, woken only by those notifications. A daemon that stops
 * reading or writing without looking at the indexes once more after
 * publishing its own loses a wakeup: the guest then waits for ever. Values
 * larger than the ring make both directions fill it.
 */
#include <pthread.h>
#include <time.h>

#include "harness.h"

#define RUN_NS 1500000000LL    /* how long to race */
#define STALL_NS 5000000000LL  /* no progress for this long: a lost wakeup */

#define LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define FULL_FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)

struct race {
    struct xs_ring_page page;
    unsigned to_daemon, to_guest; /* notifications sent each way */
    bool stop, stalled;
};

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void notify(unsigned *count)
{
    __atomic_fetch_add(count, 1, __ATOMIC_SEQ_CST);
}

/* Wait for a notification after @seen; false once stopped or stalled. */
static bool wait_notified(struct race *t, unsigned *count, unsigned seen)
{
    long long deadline = now_ns() + STALL_NS;

    for (unsigned spins = 0; LOAD_ACQ(count) == seen; spins++) {
        if (LOAD_ACQ(&t->stop))
            return false;
        if ((spins & 1023) == 1023) {
            sched_yield();
            if (now_ns() > deadline) {
                __atomic_store_n(&t->stalled, true, __ATOMIC_SEQ_CST);
                __atomic_store_n(&t->stop, true, __ATOMIC_SEQ_CST);
                return false;
            }
        }
    }
    return true;
}

/* @n bytes into and out of a ring from index @idx on, across its end. */
static void copy_in(char *ring, uint32_t idx, const char *src, size_t n)
{
    size_t first = XS_RING_SIZE - XS_RING_MASK(idx);

    first = first < n ? first : n;
    memcpy(ring + XS_RING_MASK(idx), src, first);
    memcpy(ring, src + first, n - first);
}

static void copy_out(const char *ring, uint32_t idx, char *dst, size_t n)
{
    size_t first = XS_RING_SIZE - XS_RING_MASK(idx);

    first = first < n ? first : n;
    memcpy(dst, ring + XS_RING_MASK(idx), first);
    memcpy(dst + first, ring, n - first);
}

/* Linux's xb_write: all of @len, waiting for space when the ring is full. */
static bool guest_write(struct race *t, const char *buf, size_t len)
{
    struct xs_ring_page *r = &t->page;

    while (len) {
        unsigned seen = LOAD_ACQ(&t->to_guest);
        uint32_t cons = LOAD_ACQ(&r->req_cons), prod = r->req_prod;
        size_t n = XS_RING_SIZE - (prod - cons);

        if (!n) {
            if (!wait_notified(t, &t->to_guest, seen))
                return false;
            continue;
        }
        if (n > len)
            n = len;
        copy_in(r->req, prod, buf, n);
        STORE_REL(&r->req_prod, prod + (uint32_t)n);
        FULL_FENCE();
        if (prod == LOAD_ACQ(&r->req_cons)) /* we had taken all it wrote */
            notify(&t->to_daemon);
        buf += n;
        len -= n;
    }
    return true;
}

/* Linux's xb_read: all of @len, waiting for the daemon when the ring is empty. */
static bool guest_read(struct race *t, char *buf, size_t len)
{
    struct xs_ring_page *r = &t->page;

    while (len) {
        unsigned seen = LOAD_ACQ(&t->to_guest);
        uint32_t cons = r->rsp_cons, prod = LOAD_ACQ(&r->rsp_prod);
        size_t n = prod - cons;

        if (!n) {
            if (!wait_notified(t, &t->to_guest, seen))
                return false;
            continue;
        }
        if (n > len)
            n = len;
        copy_out(r->rsp, cons, buf, n);
        FULL_FENCE();
        STORE_REL(&r->rsp_cons, cons + (uint32_t)n);
        FULL_FENCE();
        if (LOAD_ACQ(&r->rsp_prod) - cons >= XS_RING_SIZE) /* it was full */
            notify(&t->to_daemon);
        buf += n;
        len -= n;
    }
    return true;
}

/* One request, header and payload written apart as xenbus does; its reply. */
static bool guest_request(struct race *t, uint32_t type, uint32_t id, const char *p, size_t len,
                          struct xs_msg_hdr *rh, char *reply)
{
    struct xs_msg_hdr h = {type, id, 0, (uint32_t)len};

    return guest_write(t, (const char *)&h, sizeof(h)) && guest_write(t, p, len) &&
           guest_read(t, (char *)rh, sizeof(*rh)) && rh->len <= XS_PAYLOAD_MAX &&
           guest_read(t, reply, rh->len);
}

/* The guest: write a value, read it back; sizes cross the ring's in both directions. */
static void *guest_main(void *arg)
{
    static char req[XS_PAYLOAD_MAX], reply[XS_PAYLOAD_MAX + 1];
    struct race *t = arg;
    const char path[] = "/local/domain/8/race";
    long long end = now_ns() + RUN_NS;
    struct xs_msg_hdr rh;

    for (uint32_t id = 1; now_ns() < end; id++) {
        size_t vlen = (id * 389u) % 1700, plen = sizeof(path);

        memcpy(req, path, plen);
        for (size_t i = 0; i < vlen; i++)
            req[plen + i] = (char)('a' + (id + i) % 26);
        if (!guest_request(t, XS_WRITE, id, req, plen + vlen, &rh, reply))
            break;
        CHECK(rh.type == XS_WRITE && rh.req_id == id && rh.len == 3);
        if (!guest_request(t, XS_READ, id, path, plen, &rh, reply))
            break;
        CHECK(rh.type == XS_READ && rh.req_id == id && rh.len == vlen);
        CHECK(!memcmp(reply, req + plen, vlen));
        if (failures)
            break;
    }
    __atomic_store_n(&t->stop, true, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Our side: the ring transport's reads and writes, each notifying the guest. */
static ssize_t race_read(struct conn *c, void *b, size_t l)
{
    struct race *t = c->priv;
    ssize_t n = xs_ring_read(&t->page, b, l);

    if (n > 0)
        notify(&t->to_guest);
    return n;
}

static ssize_t race_write(struct conn *c, const void *b, size_t l)
{
    struct race *t = c->priv;
    ssize_t n = xs_ring_write(&t->page, b, l);

    if (n > 0)
        notify(&t->to_guest);
    return n;
}

static const struct conn_ops race_ops = {race_read, race_write, NULL, NULL};

/* The daemon's loop for one ring: serve, then sleep until notified. */
static void serve_until_stopped(struct race *t, struct conn *g)
{
    for (;;) {
        unsigned seen = LOAD_ACQ(&t->to_daemon);

        CHECK(conn_input(g) == 0);
        CHECK(conn_output(g) == 0);
        if (failures || !wait_notified(t, &t->to_daemon, seen))
            return;
    }
}

int main(void)
{
    struct race *t = calloc(1, sizeof(*t));
    struct xsd x;
    struct conn *c, *g;
    struct msg m;
    pthread_t guest;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    g = conn_new(&x, &race_ops, t, 8, false); /* domain 8 exists: it may own */
    CHECK(req(&x, c, XS_MKDIR, 0, S("/local/domain/8\0"), &m) == XS_MKDIR);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/8\0n8\0"), &m) == XS_SET_PERMS);
    CHECK(pthread_create(&guest, NULL, guest_main, t) == 0);
    serve_until_stopped(t, g);
    pthread_join(guest, NULL);
    if (t->stalled)
        fprintf(stderr, "lost wakeup: req %u/%u rsp %u/%u (cons/prod)\n", t->page.req_cons,
                t->page.req_prod, t->page.rsp_cons, t->page.rsp_prod);
    CHECK(!t->stalled);
    conn_free(g);
    conn_free(c);
    xsd_fini(&x);
    free(t);
    printf("ring-race: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
