// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest ring against a page in plain memory, checked against Xen's own
 * xs_wire.h for layout and numbering; then a whole request/reply round trip
 * through a ring-backed connection, as a guest kernel would drive it, and
 * one whose requests outrun its reply quota; then
 * what xenfs says of domain 0's own kernel ring, with plain files standing in
 * for /proc/xen/xsd_kva and xsd_port.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

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
    g = conn_new(&x, &page_ops, r, 8, false); /* domain 8 exists: it may own */
    req(&x, c, XS_MKDIR, 0, S("/local/domain/8\0"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/8\0n8\0"), &m) == XS_SET_PERMS);
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

/*
 * A guest with more requests in its ring than its reply quota: we stop
 * reading at the quota, and once the replies are out we read on without an
 * event, for none comes (a guest notifies only when we had read all it
 * wrote).
 */
static void test_ring_held_input(void)
{
    struct xs_ring_page *r = calloc(1, sizeof(*r));
    struct xs_msg_hdr h = {XS_GET_DOMAIN_PATH, 0, 0, 2};
    struct xsd x;
    struct conn *g;
    unsigned quota;

    core_init(&x);
    g = conn_new(&x, &page_ops, r, 8, false);
    quota = domain_quota(&x, 8)->outstanding;
    CHECK(quota > 0 && (quota + 5) * (sizeof(h) + 16) <= XS_RING_SIZE); /* all replies fit */
    for (h.req_id = 0; h.req_id < quota + 5; h.req_id++)
        CHECK(guest_put(r, &h, sizeof(h)) == sizeof(h) && guest_put(r, "8", 2) == 2);
    CHECK(conn_input(g) == 0);
    CHECK(g->out_replies == quota && g->input_held && g->in_have > 0);
    CHECK(conn_resume_input(g) == 0 && g->out_replies == quota); /* none out yet */
    CHECK(conn_output(g) == 0 && g->out_replies == 0);
    CHECK(conn_resume_input(g) == 0);
    CHECK(g->out_replies == 5 && !g->input_held && !g->in_have);
    CHECK(conn_output(g) == 0);
    for (uint32_t id = 0; id < quota + 5; id++) {
        struct xs_msg_hdr rh;
        char body[32];

        CHECK(guest_get(r, &rh, sizeof(rh)) == sizeof(rh));
        CHECK(rh.type == XS_GET_DOMAIN_PATH && rh.req_id == id && rh.len < sizeof(body));
        CHECK(guest_get(r, body, rh.len) == rh.len && !strcmp(body, "/local/domain/8"));
    }
    CHECK(r->rsp_cons == r->rsp_prod);
    conn_free(g);
    xsd_fini(&x);
    free(r);
}

static void test_local_ring_parse(void)
{
    uint32_t port = 77;

    /* a hashed kernel address, or what the kernel prints when it cannot hash */
    CHECK(xs_local_ring_parse("0x00000000b5e8a1c2", "5", &port) == 0 && port == 5);
    CHECK(xs_local_ring_parse("0xffff888004f3a000", "4095", &port) == 0 && port == 4095);
    CHECK(xs_local_ring_parse("(____ptrval____)", "9", &port) == 0 && port == 9);
    CHECK(xs_local_ring_parse("", "2147483647", &port) == 0 && port == 2147483647u);
    /* the kernel set no page aside (NULL prints as zeros), or no port */
    port = 77;
    CHECK(xs_local_ring_parse("0x0000000000000000", "5", &port) == -ENXIO);
    CHECK(xs_local_ring_parse("0", "5", &port) == -ENXIO);
    CHECK(xs_local_ring_parse("0xffff888004f3a000", "0", &port) == -ENXIO);
    /* anything but a positive decimal int is no port */
    CHECK(xs_local_ring_parse("0x1", "", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "-1", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", " 5", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "+5", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "5x", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "0x10", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "2147483648", &port) == -EINVAL);
    CHECK(xs_local_ring_parse("0x1", "99999999999999999999999", &port) == -EINVAL);
    CHECK(port == 77); /* untouched by every failure */
}

static void put_file(const char *path, const char *text, size_t size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    if (size)
        CHECK(ftruncate(fd, size) == 0);
    close(fd);
}

/*
 * xs_local_ring_map against files: the kva file's text is what its first
 * line says and its first page is the ring, as xenfs's xsd_kva is.
 */
static void test_local_ring_map(void)
{
    char dir[] = "/tmp/xs-local-ring-XXXXXX", kva[64], port[64], buf[16];
    struct xs_ring_page *page = NULL;
    uint32_t p = 0;
    struct xsd x;
    struct xsd_config cfg;
    int fd;

    CHECK(mkdtemp(dir) != NULL);
    snprintf(kva, sizeof(kva), "%s/xsd_kva", dir);
    snprintf(port, sizeof(port), "%s/xsd_port", dir);
    /* neither file, then one: not a domain 0 that waits for us */
    CHECK(xs_local_ring_map(kva, port, &page, &p) == -ENOENT);
    put_file(kva, "0xffff888004f3a000\n", 4096);
    CHECK(xs_local_ring_map(kva, port, &page, &p) == -ENOENT);
    put_file(port, "0", 0);
    CHECK(xs_local_ring_map(kva, port, &page, &p) == -ENXIO);
    put_file(port, "banana\n", 0);
    CHECK(xs_local_ring_map(kva, port, &page, &p) == -EINVAL);
    put_file(kva, "0x0000000000000000\n", 4096);
    put_file(port, "7\n", 0);
    CHECK(xs_local_ring_map(kva, port, &page, &p) == -ENXIO);
    /* a page the file lets us share: what we write is in the file */
    put_file(kva, "0xffff888004f3a000\n", 4096);
    CHECK(xs_local_ring_map(kva, port, &page, &p) == 0 && p == 7 && page);
    if (page) {
        CHECK(!memcmp(page, "0xffff8880", 10));
        memset(page, 0, sizeof(*page));
        CHECK(xs_ring_write(page, "reply", 5) == 5);
        fd = open(kva, O_RDONLY);
        CHECK(pread(fd, buf, 5, offsetof(struct xs_ring_page, rsp)) == 5);
        CHECK(!memcmp(buf, "reply", 5));
        close(fd);
        munmap(page, 4096);
    }
    /* without the Xen devices there is nothing to bind the port with */
    xsd_config_default(&cfg);
    xsd_init(&x, &cfg);
    put_file(kva, "0xffff888004f3a000\n", 4096);
    CHECK(xen_transport_local_ring(&x, kva, port) == -ENODEV);
    CHECK(x.conns == NULL);
    unlink(kva);
    CHECK(xen_transport_local_ring(&x, kva, port) == -ENOENT);
    xsd_fini(&x);
    unlink(port);
    rmdir(dir);
}

int main(void)
{
    test_wire_numbers();
    test_ring_copy();
    test_ring_conn();
    test_ring_held_input();
    test_local_ring_parse();
    test_local_ring_map();
    printf("ring: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
