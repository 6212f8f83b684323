// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dead domains: domain_release_dead() against a fake hypervisor (a table of
 * which domains live) and a fake ring transport that records every touch of
 * a page after the hypervisor took it away; and dominfo_state(), the reading
 * of getdomaininfo the daemon uses. Run one group by name, or all of them.
 */
#include "dominfo.h"
#include "harness.h"
#include "xc.h"
#include <public/sched.h>

#define NDOMS 16

/* The fake hypervisor: an enum xsd_dom_state, or negative: getdomaininfo fails. */
static int alive[NDOMS];
static unsigned alive_calls;

static int fake_state(struct xsd *x, unsigned domid)
{
    alive_calls++;
    return domid < NDOMS ? alive[domid] : XSD_DOM_GONE; /* beyond the table: gone */
}

/* One guest page as the transport sees it. */
struct fake_ring {
    bool revoked;          /* the hypervisor took the page out of our P2M */
    unsigned touches_late; /* reads and writes after that: a crash on Xenon */
    unsigned writes, destroyed;
};

static struct fake_ring rings[NDOMS];

static ssize_t ring_read(struct conn *c, void *buf, size_t len)
{
    struct fake_ring *r = c->priv;

    r->touches_late += r->revoked;
    return 0;
}

static ssize_t ring_write(struct conn *c, const void *buf, size_t len)
{
    struct fake_ring *r = c->priv;

    r->touches_late += r->revoked;
    r->writes++;
    return len; /* the guest takes everything */
}

static void ring_destroy(struct conn *c)
{
    ((struct fake_ring *)c->priv)->destroyed++;
}

static const struct conn_ops fake_ring_ops = {ring_read, ring_write, NULL, ring_destroy};

static int fake_map_ring(struct xsd *x, struct domain *d)
{
    if (d->domid >= NDOMS)
        return -EINVAL;
    memset(&rings[d->domid], 0, sizeof(rings[0]));
    d->ring = conn_new(x, &fake_ring_ops, &rings[d->domid], d->domid, false);
    return d->ring ? 0 : -ENOMEM;
}

/* main.c's flush_dirty, minus epoll: write what is queued, free the dead. */
static void flush(struct xsd *x)
{
    for (struct conn *c = x->conns, *next; c; c = next) {
        next = c->next;
        if (!c->dead && conn_output(c) < 0)
            c->dead = true;
        if (c->dead)
            conn_free(c);
    }
}

/* A daemon, a toolstack connection *c, and *w watching @releaseDomain. */
static void setup(struct xsd *x, bool with_ring, struct conn **c, struct conn **w)
{
    struct xsd_config cfg;
    struct msg m;

    xsd_config_default(&cfg);
    if (xsd_init(x, &cfg) < 0)
        abort();
    x->map_ring = with_ring ? fake_map_ring : NULL;
    x->domain_state = fake_state;
    for (unsigned i = 0; i < NDOMS; i++)
        alive[i] = XSD_DOM_RUNNING;
    alive_calls = 0;
    *c = mkconn(x, 0, 1);
    *w = mkconn(x, 0, 1);
    CHECK(req(x, *w, XS_WATCH, 0, S("@releaseDomain\0rel\0"), &m) == XS_WATCH);
}

static void introduce(struct xsd *x, struct conn *c, unsigned domid)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%u%c99%c%u", domid, 0, 0, 10 + domid) + 1;
    struct msg m;

    CHECK(req(x, c, XS_INTRODUCE, 0, buf, n, &m) == XS_INTRODUCE);
    n = snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1;
    CHECK(req(x, c, XS_MKDIR, 0, buf, n, &m) == XS_MKDIR);
    n = snprintf(buf, sizeof(buf), "/local/domain/%u%cn%u", domid, 0, domid) + 1;
    CHECK(req(x, c, XS_SET_PERMS, 0, buf, n, &m) == XS_SET_PERMS);
}

static int is_introduced(struct xsd *x, struct conn *c, unsigned domid)
{
    char buf[16];
    int n = snprintf(buf, sizeof(buf), "%u", domid) + 1;
    struct msg m;

    if (req(x, c, XS_IS_DOMAIN_INTRODUCED, 0, buf, n, &m) != XS_IS_DOMAIN_INTRODUCED)
        return -1;
    return !strcmp(m.body, "T");
}

/* Exactly n @releaseDomain events queued on w. */
static int release_events(struct conn *w, unsigned n)
{
    struct msg m;
    unsigned got = 0;

    while (take(w, 1, &m)) {
        if (strcmp(m.body, "@releaseDomain"))
            return 0;
        got++;
    }
    if (got != n)
        fprintf(stderr, "%u @releaseDomain events, wanted %u\n", got, n);
    return got == n;
}

/* Send a request as the guest over its ring connection; the reply is written to the ring. */
static void guest_req(struct xsd *x, unsigned domid, uint32_t type, const char *p, size_t len)
{
    struct domain *d = domain_get(x, domid, false);
    struct xs_msg_hdr h = {type, 7, 0, len};

    CHECK(d && d->ring && xsd_dispatch(x, d->ring, &h, p) == 0);
    flush(x);
}

/*
 * A guest dies with a watch set and output queued: released at the next
 * sweep, its page never touched again, its nodes kept, @releaseDomain once.
 */
static void test_sweep(void)
{
    struct xsd x;
    struct conn *c, *w;
    struct domain_sweep s;
    struct msg m;
    unsigned watches;

    setup(&x, true, &c, &w);
    drain_events(w);
    for (unsigned i = 1; i <= 3; i++)
        introduce(&x, c, i);
    drain_events(w);
    /* guest 2 writes a node, watches one and opens a transaction, as a kernel would */
    guest_req(&x, 2, XS_WRITE, S("data/mine\0v"));
    guest_req(&x, 2, XS_WATCH, S("data/w\0tok\0"));
    guest_req(&x, 2, XS_TRANSACTION_START, S("\0"));
    CHECK(rings[2].writes >= 3 && !rings[2].touches_late);
    watches = x.watches.count;

    /* nothing dead: the sweep asks about each introduced domain, changes nothing */
    alive_calls = 0;
    domain_release_dead(&x, &s);
    CHECK(s.released == 0 && s.failed == 0 && alive_calls == 3);
    CHECK(release_events(w, 0));

    /* a write to its watched path queues an event on the ring; then it dies */
    req(&x, c, XS_WRITE, 0, S("/local/domain/2/data/w\0x"), &m);
    CHECK(domain_get(&x, 2, false)->ring->out_head != NULL);
    alive[2] = XSD_DOM_GONE;
    rings[2].revoked = true;
    domain_release_dead(&x, &s);
    CHECK(s.released == 1 && s.ids[0] == 2 && s.failed == 0);
    CHECK(release_events(w, 1));
    CHECK(is_introduced(&x, c, 2) == 0);
    CHECK(is_introduced(&x, c, 1) == 1 && is_introduced(&x, c, 3) == 1);
    /* what it watched is written again before the loop runs: nothing queues for it */
    req(&x, c, XS_WRITE, 0, S("/local/domain/2/data/w\0y"), &m);
    flush(&x);
    CHECK(rings[2].touches_late == 0 && rings[2].destroyed == 1);
    CHECK(x.watches.count == watches - 1);
    req(&x, c, XS_WRITE, 0, S("/local/domain/2/data/w\0z"), &m);
    flush(&x);
    CHECK(rings[2].touches_late == 0);
    /* what it owned went with it, as in Xen: a later domain 2 finds none of it */
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/local/domain/2/data/mine\0"), &m), &m, "ENOENT"));
    CHECK(tree_ok(&x));

    /* again: nothing more to do, no event; only the introduced are asked */
    alive_calls = 0;
    domain_release_dead(&x, &s);
    CHECK(s.released == 0 && alive_calls == 2);
    CHECK(release_events(w, 0));
    /* the toolstack's own release comes too late: Xen's answer, ENOENT */
    CHECK(is_err(req(&x, c, XS_RELEASE, 0, S("2\0"), &m), &m, "ENOENT"));
    CHECK(release_events(w, 0));

    /* a new domain with that id is introduced afresh */
    alive[2] = XSD_DOM_RUNNING;
    introduce(&x, c, 2);
    CHECK(is_introduced(&x, c, 2) == 1 && rings[2].destroyed == 0);
    guest_req(&x, 2, XS_READ, S("data/mine\0"));
    CHECK(rings[2].writes == 1);

    /* several at once: one event */
    alive[1] = alive[3] = XSD_DOM_GONE;
    rings[1].revoked = rings[3].revoked = true;
    domain_release_dead(&x, &s);
    CHECK(s.released == 2 && s.ids[0] == 1 && s.ids[1] == 3);
    CHECK(release_events(w, 1));
    flush(&x);
    CHECK(rings[1].destroyed == 1 && rings[3].destroyed == 1);
    CHECK(rings[1].touches_late == 0 && rings[3].touches_late == 0);
    CHECK(is_introduced(&x, c, 2) == 1);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
    CHECK(rings[2].destroyed == 1);
}

/*
 * Xen's rule: a domain seen shut down (a suspended guest, say) fires
 * @releaseDomain once and stays introduced with its ring; XS_RESUME re-arms
 * the notice; only dying or gone releases it.
 */
static void test_shutdown(void)
{
    struct xsd x;
    struct conn *c, *w;
    struct domain_sweep s;
    struct msg m;

    setup(&x, true, &c, &w);
    introduce(&x, c, 10);
    introduce(&x, c, 11);
    drain_events(w);
    alive[10] = XSD_DOM_SHUTDOWN;
    domain_release_dead(&x, &s);
    CHECK(s.shut_down == 1 && s.released == 0);
    CHECK(release_events(w, 1));
    CHECK(is_introduced(&x, c, 10) == 1 && rings[10].destroyed == 0);
    guest_req(&x, 10, XS_READ, S("/local/domain/10\0")); /* its ring still answers */
    CHECK(rings[10].writes == 1);
    /* still shut down: nothing new, no event */
    domain_release_dead(&x, &s);
    CHECK(s.shut_down == 0 && s.released == 0);
    CHECK(release_events(w, 0));
    /* resumed, then shut down again: noticed again */
    CHECK(req(&x, c, XS_RESUME, 0, S("10\0"), &m) == XS_RESUME);
    alive[10] = XSD_DOM_RUNNING;
    domain_release_dead(&x, &s);
    CHECK(s.shut_down == 0 && release_events(w, 0));
    alive[10] = XSD_DOM_SHUTDOWN;
    domain_release_dead(&x, &s);
    CHECK(s.shut_down == 1 && release_events(w, 1));
    /* XS_RESUME of a domain nobody introduced: ENOENT */
    CHECK(is_err(req(&x, c, XS_RESUME, 0, S("12\0"), &m), &m, "ENOENT"));
    /* dying: released now, one event */
    alive[10] = XSD_DOM_GONE;
    rings[10].revoked = true;
    domain_release_dead(&x, &s);
    CHECK(s.released == 1 && s.ids[0] == 10 && s.shut_down == 0);
    CHECK(release_events(w, 1));
    flush(&x);
    CHECK(rings[10].destroyed == 1 && rings[10].touches_late == 0);
    CHECK(is_introduced(&x, c, 10) == 0 && is_introduced(&x, c, 11) == 1);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

/* getdomaininfo fails for some domains: those stay, the rest are released. */
static void test_failure(void)
{
    struct xsd x;
    struct conn *c, *w;
    struct domain_sweep s;
    struct msg m;

    setup(&x, true, &c, &w);
    for (unsigned i = 4; i <= 7; i++)
        introduce(&x, c, i);
    drain_events(w);
    alive[4] = -EIO;
    alive[5] = XSD_DOM_GONE;
    alive[6] = -EPERM;
    domain_release_dead(&x, &s);
    CHECK(s.released == 1 && s.ids[0] == 5);
    CHECK(s.failed == 2 && s.err == -EIO && s.err_domid == 4);
    CHECK(release_events(w, 1));
    CHECK(is_introduced(&x, c, 4) == 1 && is_introduced(&x, c, 6) == 1);
    CHECK(is_introduced(&x, c, 5) == 0 && is_introduced(&x, c, 7) == 1);
    /* only failures: no release, no event */
    alive[7] = -EIO;
    domain_release_dead(&x, &s);
    CHECK(s.released == 0 && s.failed == 3 && s.err_domid == 4);
    CHECK(release_events(w, 0));
    /* the query works again: the dead go */
    alive[4] = alive[6] = XSD_DOM_GONE;
    alive[7] = XSD_DOM_RUNNING;
    domain_release_dead(&x, &s);
    CHECK(s.released == 2 && s.failed == 0 && s.err == 0);
    CHECK(release_events(w, 1));
    flush(&x);
    CHECK(rings[4].destroyed == 1 && rings[5].destroyed == 1 && rings[6].destroyed == 1);
    CHECK(rings[7].destroyed == 0);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

/* No ring (a host, or domains known only by their socket); no hypervisor at all. */
static void test_no_ring(void)
{
    struct xsd x;
    struct conn *c, *w;
    struct domain_sweep s;
    struct msg m;

    setup(&x, false, &c, &w);
    introduce(&x, c, 8);
    introduce(&x, c, 9);
    drain_events(w);
    alive[8] = XSD_DOM_GONE;
    domain_release_dead(&x, &s);
    CHECK(s.released == 1 && s.ids[0] == 8);
    CHECK(release_events(w, 1));
    CHECK(is_introduced(&x, c, 8) == 0 && is_introduced(&x, c, 9) == 1);
    /* without a domain-info source the sweep does nothing */
    x.domain_state = NULL;
    alive[9] = XSD_DOM_GONE;
    alive_calls = 0;
    domain_release_dead(&x, &s);
    CHECK(s.released == 0 && s.failed == 0 && alive_calls == 0);
    CHECK(is_introduced(&x, c, 9) == 1);
    CHECK(release_events(w, 0));
    /* and nothing to do at all: no domain but 0 */
    x.domain_state = fake_state;
    CHECK(req(&x, c, XS_RELEASE, 0, S("9\0"), &m) == XS_RELEASE);
    drain_events(w);
    alive_calls = 0;
    domain_release_dead(&x, &s);
    CHECK(s.released == 0 && alive_calls == 0);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

/* More dead domains than the sweep names: all released, the first ones named. */
static void test_many(void)
{
    struct xsd x;
    struct conn *c, *w;
    struct domain_sweep s;
    struct msg m;

    setup(&x, false, &c, &w);
    x.domain_state = NULL;
    for (unsigned i = 1; i <= 40; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "%u%c1%c1", i * 300, 0, 0) + 1;

        CHECK(req(&x, c, XS_INTRODUCE, 0, buf, n, &m) == XS_INTRODUCE);
    }
    drain_events(w);
    x.domain_state = fake_state; /* ids >= NDOMS are gone */
    domain_release_dead(&x, &s);
    CHECK(s.released == 40 && s.ids[0] == 300 && s.ids[15] == 4800);
    CHECK(release_events(w, 1));
    CHECK(is_introduced(&x, c, 12000) == 0);
    xsd_fini(&x);
}

/* How the daemon reads getdomaininfo's answer. */
static void test_dominfo(void)
{
    struct xen_domctl_getdomaininfo info = {.domain = 4};
    struct xsd x;
    struct xsd_config cfg;

    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_RUNNING);
    info.flags = XEN_DOMINF_running | XEN_DOMINF_hvm_guest;
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_RUNNING);
    info.flags = XEN_DOMINF_paused | XEN_DOMINF_blocked;
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_RUNNING);
    info.flags = XEN_DOMINF_shutdown | (SHUTDOWN_poweroff << XEN_DOMINF_shutdownshift);
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_SHUTDOWN);
    info.flags = XEN_DOMINF_shutdown | (SHUTDOWN_suspend << XEN_DOMINF_shutdownshift);
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_SHUTDOWN);
    info.flags = XEN_DOMINF_dying;
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_GONE);
    info.flags = XEN_DOMINF_dying | XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_GONE);
    /* the walk went past it: it is gone */
    info.flags = XEN_DOMINF_running;
    info.domain = 5;
    CHECK(dominfo_state(0, &info, 4) == XSD_DOM_GONE);
    CHECK(dominfo_state(-ESRCH, &info, 4) == XSD_DOM_GONE);
    /* anything else is not an answer */
    CHECK(dominfo_state(-EPERM, &info, 5) == -EPERM);
    CHECK(dominfo_state(-EFAULT, &info, 5) == -EFAULT);

    /* dominfo_open fails whole: no privcmd, or no event channel device to bind on */
    xsd_config_default(&cfg);
    xsd_init(&x, &cfg);
    setenv("XC_PRIVCMD", "/nonexistent/privcmd", 1);
    CHECK(dominfo_open(&x) == -ENOENT);
    CHECK(!x.domain_state && !x.dominfo);
    setenv("XC_PRIVCMD", "/dev/null", 1);
    CHECK(dominfo_open(&x) == -ENODEV);
    CHECK(!x.domain_state && !x.dominfo);
    dominfo_close(&x); /* idempotent */
    CHECK(xen_transport_bind_virq(&x, 3) == -ENODEV);
    xen_transport_event(&x); /* no transport: nothing to read */
    unsetenv("XC_PRIVCMD");
    xsd_fini(&x);
}

static const struct test_group tests[] = {
    {"sweep", test_sweep}, {"shutdown", test_shutdown}, {"failure", test_failure},
    {"no-ring", test_no_ring},
    {"many", test_many},   {"dominfo", test_dominfo},
};

int main(int argc, char **argv)
{
    return run_groups(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
