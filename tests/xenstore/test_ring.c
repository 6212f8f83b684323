// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest ring against a page in plain memory, checked against Xen's own
 * xs_wire.h for layout and numbering; then a whole request/reply round trip
 * through a ring-backed connection, as a guest kernel would drive it.
 */
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

struct xen_error {
    int errnum;
    const char *errstring;
};
extern const unsigned xen_msg_types[];
extern const size_t xen_layout[];
extern const struct xen_error *const xen_errors;
extern const size_t xen_nerrors;

static void test_wire_numbers(void)
{
    static const unsigned ours[] = {
        XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH,
        XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE, XS_GET_DOMAIN_PATH,
        XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_WATCH_EVENT, XS_ERROR, XS_IS_DOMAIN_INTRODUCED,
        XS_RESUME, XS_SET_TARGET, XS_RESET_WATCHES, XS_DIRECTORY_PART, XS_TYPE_COUNT, XS_INVALID,
    };
    const size_t layout[] = {
        sizeof(struct xs_ring_page),
        offsetof(struct xs_ring_page, req_cons),
        offsetof(struct xs_ring_page, req_prod),
        offsetof(struct xs_ring_page, rsp_cons),
        offsetof(struct xs_ring_page, rsp_prod),
        offsetof(struct xs_ring_page, server_features),
        offsetof(struct xs_ring_page, connection),
        offsetof(struct xs_ring_page, error),
        sizeof(struct xs_msg_hdr),
        XS_RING_SIZE, XS_PAYLOAD_MAX, XS_ABS_PATH_MAX, XS_REL_PATH_MAX,
    };

    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        CHECK(ours[i] == xen_msg_types[i]);
    for (size_t i = 0; i < sizeof(layout) / sizeof(layout[0]); i++)
        CHECK(layout[i] == xen_layout[i]);
    /* every error in Xen's table has our name for it */
    CHECK(xen_nerrors == 16);
    for (size_t i = 0; i < xen_nerrors; i++)
        CHECK(!strcmp(xsd_errname(xen_errors[i].errnum), xen_errors[i].errstring));
}

/* Guest side: put bytes in req, take bytes from rsp. */
static size_t guest_put(struct xs_ring_page *r, const void *buf, size_t len)
{
    size_t n = 0;

    while (n < len && r->req_prod - r->req_cons < XS_RING_SIZE) {
        r->req[XS_RING_MASK(r->req_prod)] = ((const char *)buf)[n++];
        r->req_prod++;
    }
    return n;
}

static size_t guest_get(struct xs_ring_page *r, void *buf, size_t len)
{
    size_t n = 0;

    while (n < len && r->rsp_cons != r->rsp_prod) {
        ((char *)buf)[n++] = r->rsp[XS_RING_MASK(r->rsp_cons)];
        r->rsp_cons++;
    }
    return n;
}

static void test_ring_copy(void)
{
    struct xs_ring_page *r = calloc(1, sizeof(*r));
    char in[3000], out[3000];
    ssize_t n;

    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (char)(i * 7);
    /* start near the index wrap to cross both the ring edge and 2^32 */
    r->req_cons = r->req_prod = 0xfffffe00u;
    r->rsp_cons = r->rsp_prod = 0xfffffe00u;
    CHECK(guest_put(r, in, 1000) == 1000);
    n = xs_ring_read(r, out, 600);
    CHECK(n == 600 && !memcmp(out, in, 600));
    CHECK(guest_put(r, in + 1000, 1000) == 624); /* 400 + 624 = full */
    n = xs_ring_read(r, out + 600, 2000);
    CHECK(n == 1024 && !memcmp(out, in, 1624));
    CHECK(xs_ring_read(r, out, 10) == 0);
    /* responses: the ring fills, then drains in order */
    CHECK(xs_ring_write(r, in, 3000) == XS_RING_SIZE);
    CHECK(xs_ring_write(r, in, 10) == 0);
    CHECK(guest_get(r, out, 500) == 500);
    CHECK(xs_ring_write(r, in + 1024, 500) == 500);
    CHECK(guest_get(r, out + 500, 2000) == 1024 && !memcmp(out, in, 1524));
    /* a guest that corrupts its indexes gets -EIO, not an overrun */
    r->req_prod = r->req_cons + XS_RING_SIZE + 1;
    CHECK(xs_ring_read(r, out, 10) == -EIO);
    r->rsp_cons = r->rsp_prod + 5;
    CHECK(xs_ring_write(r, in, 10) == -EIO);
    free(r);
}

static ssize_t page_read(struct conn *c, void *b, size_t l)
{
    return xs_ring_read(c->priv, b, l);
}

static ssize_t page_write(struct conn *c, const void *b, size_t l)
{
    return xs_ring_write(c->priv, b, l);
}

static const struct conn_ops page_ops = {page_read, page_write, NULL, NULL};

/* A guest writes requests in pieces; the daemon's replies come back intact. */
static void test_ring_conn(void)
{
    struct xs_ring_page *r = calloc(1, sizeof(*r));
    struct xsd x;
    struct xsd_config cfg;
    struct conn *c, *g;
    struct msg m;
    char buf[256];
    struct xs_msg_hdr h = {XS_WRITE, 42, 0, 0};
    const char body[] = "data/key\0value";
    struct xs_msg_hdr rh;

    xsd_config_default(&cfg);
    xsd_init(&x, &cfg);
    c = mkconn(&x, 0, 1);
    req(&x, c, XS_MKDIR, 0, S("/local/domain/8\0"), &m);
    req(&x, c, XS_SET_PERMS, 0, S("/local/domain/8\0n8\0"), &m);
    g = conn_new(&x, &page_ops, r, 8, false);
    h.len = sizeof(body) - 1;
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), body, h.len);
    CHECK(guest_put(r, buf, 10) == 10); /* half a header */
    CHECK(conn_input(g) == 0 && conn_output(g) == 0 && r->rsp_prod == 0);
    CHECK(guest_put(r, buf + 10, sizeof(h) + h.len - 10) == sizeof(h) + h.len - 10);
    CHECK(conn_input(g) == 0 && conn_output(g) == 0);
    CHECK(guest_get(r, &rh, sizeof(rh)) == sizeof(rh));
    CHECK(rh.type == XS_WRITE && rh.req_id == 42 && rh.len == 3);
    CHECK(guest_get(r, buf, rh.len) == 3 && !strcmp(buf, "OK"));
    CHECK(req(&x, c, XS_READ, 0, S("/local/domain/8/data/key\0"), &m) == XS_READ &&
          !strcmp(m.body, "value"));
    /* an oversized length is a protocol violation: the connection goes */
    h.len = XS_PAYLOAD_MAX + 1;
    guest_put(r, &h, sizeof(h));
    CHECK(conn_input(g) == -EPROTO);
    conn_free(g);
    xsd_fini(&x);
    free(r);
}

int main(void)
{
    test_wire_numbers();
    test_ring_copy();
    test_ring_conn();
    printf("ring: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
