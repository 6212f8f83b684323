// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of a connection's output queue: the bound on what a guest that
 * never reads may have queued, and the spare buffer replies reuse.
 * Run one group by name, or all of them.
 */
#include "harness.h"

/* A guest that never reads: its events stop queueing, its requests stop being read. */
static void test_output_bound(void)
{
    struct xsd x;
    struct conn *c, *g;
    struct msg m;

    core_init(&x);
    x.cfg.out_max = 4096;
    c = mkconn(&x, 0, 1);
    g = mkconn(&x, 2, 0);
    req(&x, c, XS_WRITE, 0, S("/pub\0"), &m);
    req(&x, c, XS_SET_PERMS, 0, S("/pub\0r0\0"), &m);
    req(&x, g, XS_WATCH, 0, S("/pub\0t\0"), &m);
    for (int i = 0; i < 1000; i++)
        req(&x, c, XS_WRITE, 0, S("/pub/x\0value"), &m);
    CHECK(g->events_dropped > 0 && g->out_bytes < 8192);
    CHECK(!conn_wants_input(g));
    drain_events(g);
    CHECK(conn_wants_input(g));
    for (int i = 0; i < 20; i++) {
        struct xs_msg_hdr h = {XS_READ, i, 0, 5};

        xsd_dispatch(&x, g, &h, "/pub\0");
    }
    CHECK(!conn_wants_input(g)); /* 20 unsent replies = outstanding quota */
    xsd_fini(&x);
}

/* The first bytes of @c's queued output (message @i) as a header and body. */
static bool queued_is(struct conn *c, int i, uint32_t req_id, const char *body, size_t len)
{
    struct outbuf *o = c->out_head;
    struct xs_msg_hdr h;

    while (o && i--)
        o = o->next;
    if (!o)
        return false;
    memcpy(&h, o->data, sizeof(h));
    return h.req_id == req_id && h.len == len && !memcmp(o->data + sizeof(h), body, len);
}

/*
 * Replies reuse the connection's spare buffer while it is free; one that
 * finds it queued, or is too big for it, is allocated and freed once
 * written, whatever the order they complete in (ASan watches the frees).
 */
static void test_spare_reply(void)
{
    char big[CONN_SPARE_BYTES + 100], mid[CONN_SPARE_BYTES - 16];
    struct xsd x;
    struct conn *c;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    memset(big, 'b', sizeof(big));
    memset(mid, 'm', sizeof(mid));
    CHECK(conn_queue(c, XS_READ, 1, 0, "a", 1, NULL, 0, false) == 0); /* the spare */
    CHECK(c->spare_queued && c->out_head == &c->spare);
    CHECK(conn_queue(c, XS_READ, 2, 0, "bb", 2, NULL, 0, false) == 0); /* allocated */
    conn_wrote(c, sizeof(struct xs_msg_hdr) + 1);
    CHECK(!c->spare_queued);
    CHECK(conn_queue(c, XS_READ, 3, 0, mid, sizeof(mid), NULL, 0, false) == 0); /* spare again */
    CHECK(c->spare_queued && c->out_tail == &c->spare);
    conn_wrote(c, sizeof(struct xs_msg_hdr) + 2); /* the allocated one: freed, not kept */
    CHECK(c->spare_queued && c->out_head == &c->spare);
    CHECK(conn_queue(c, XS_READ, 4, 0, big, sizeof(big), NULL, 0, false) == 0); /* too big */
    CHECK(c->out_tail != &c->spare);
    CHECK(queued_is(c, 0, 3, mid, sizeof(mid)) && queued_is(c, 1, 4, big, sizeof(big)));
    conn_wrote(c, 2 * sizeof(struct xs_msg_hdr) + sizeof(mid) + sizeof(big));
    CHECK(!c->out_head && !c->spare_queued && c->out_bytes == 0 && c->out_replies == 0);
    /* and freed with the connection while queued */
    CHECK(conn_queue(c, XS_READ, 5, 0, "a", 1, NULL, 0, false) == 0);
    CHECK(conn_queue(c, XS_READ, 6, 0, "a", 1, NULL, 0, false) == 0);
    conn_free(c);
    xsd_fini(&x);
}

static const struct test_group tests[] = {
    {"bound", test_output_bound},
    {"spare-reply", test_spare_reply},
};

int main(int argc, char **argv)
{
    return run_groups(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
