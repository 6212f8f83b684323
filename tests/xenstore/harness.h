/* SPDX-License-Identifier: GPL-2.0-only */
/* A small harness for xenstored unit tests: in-memory connections. */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xsd.h"

/* A string literal with embedded NULs, as pointer and length. */
#define S(lit) lit, sizeof(lit) - 1

struct msg {
    uint32_t type, req_id, tx_id, len;
    char body[XS_PAYLOAD_MAX + 64];
};

static ssize_t mem_read(struct conn *c, void *b, size_t l)
{
    return 0;
}

static ssize_t mem_write(struct conn *c, const void *b, size_t l)
{
    return 0; /* nothing drains: tests pop messages themselves */
}

static const struct conn_ops mem_ops = {mem_read, mem_write, NULL, NULL};

/* A daemon core with the default configuration. */
static void core_init(struct xsd *x)
{
    struct xsd_config cfg;

    xsd_config_default(&cfg);
    if (xsd_init(x, &cfg) < 0)
        abort();
}

static struct conn *mkconn(struct xsd *x, unsigned domid, int priv)
{
    struct conn *c = conn_new(x, &mem_ops, NULL, domid, priv);

    if (!c)
        abort();
    return c;
}

/* Remove the first queued message that is (or is not) a watch event. */
static int take(struct conn *c, int event, struct msg *m)
{
    for (struct outbuf **pp = &c->out_head, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
        struct outbuf *o = *pp;
        struct xs_msg_hdr h;

        if (o->event != !!event)
            continue;
        memcpy(&h, o->data, sizeof(h));
        m->type = h.type, m->req_id = h.req_id, m->tx_id = h.tx_id, m->len = h.len;
        memcpy(m->body, o->data + sizeof(h), h.len);
        m->body[h.len] = '\0';
        *pp = o->next;
        if (c->out_tail == o)
            c->out_tail = prev;
        c->out_bytes -= o->len;
        if (!o->event)
            c->out_replies--;
        conn_out_done(c, o);
        return 1;
    }
    return 0;
}

static uint32_t next_req = 100;

/* Send one request; returns the reply type, body in *m (may be NULL). */
static uint32_t req(struct xsd *x, struct conn *c, uint32_t type, uint32_t tx, const char *p,
                    size_t len, struct msg *m)
{
    struct xs_msg_hdr h = {type, next_req++, tx, len};
    struct msg tmp;
    int r = xsd_dispatch(x, c, &h, p);

    if (!m)
        m = &tmp;
    if (r < 0 || !take(c, 0, m))
        return XS_INVALID;
    if (m->req_id != h.req_id)
        return XS_INVALID;
    return m->type;
}

/* One request from a new, unprivileged connection of @domid, closed after. */
static uint32_t req_as(struct xsd *x, unsigned domid, uint32_t type, const char *p, size_t len,
                       struct msg *m)
{
    struct conn *c = mkconn(x, domid, 0);
    uint32_t t = req(x, c, type, 0, p, len, m);

    conn_free(c);
    return t;
}

/* Expect an error reply naming @err. */
static int is_err(uint32_t type, const struct msg *m, const char *err)
{
    return type == XS_ERROR && !strcmp(m->body, err);
}

static void drain_events(struct conn *c)
{
    struct msg m;

    while (take(c, 1, &m))
        ;
}

static int tree_ok(struct xsd *x)
{
    struct conn *c = mkconn(x, 0, 1);
    struct msg m;
    uint32_t t = req(x, c, XS_CONTROL, 0, S("check\0"), &m);
    int ok = t == XS_CONTROL && !strcmp(m.body, "OK");

    if (!ok)
        fprintf(stderr, "tree check: %s\n", m.body);
    conn_free(c);
    return ok;
}

/* Named groups of cases; argv[1], if given, picks one. */
struct test_group {
    const char *name;
    void (*fn)(void);
};

static int run_groups(const struct test_group *g, size_t n, int argc, char **argv)
{
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && strcmp(argv[1], g[i].name))
            continue;
        g[i].fn();
        printf("%s: %s\n", g[i].name, failures ? "FAIL" : "ok");
        fflush(stdout);
    }
    return failures ? 1 : 0;
}

#endif
