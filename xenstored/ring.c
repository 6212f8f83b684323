// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ring transport: a page holding two byte rings (Xen's
 * xenstore-ring.txt), an event channel to kick each other, and the Linux
 * devices that give us both. A guest's page is its reserved xenstore grant,
 * mapped through gntdev; domain 0's own kernel's page is a page of that
 * kernel, which xenfs lets us mmap (/proc/xen/xsd_kva). Either port is bound
 * through evtchn. The ring copies and the reading of xenfs's files are pure
 * functions so that they can be tested against plain memory and files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <stdint.h>
#include <unistd.h>

/* The Linux uapi headers expect Xen's domid type from elsewhere. */
typedef uint16_t domid_t;
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>

#include "xsd.h"

#define LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define XSD_DOMID_SELF 0x7ff0u /* DOMID_SELF: the caller's own domain */

/* @n bytes out of or into a ring from index @idx on, across its end. */
static void ring_copy_out(const char *ring, uint32_t idx, char *dst, size_t n)
{
    size_t first = XS_RING_SIZE - XS_RING_MASK(idx);

    if (first > n)
        first = n;
    memcpy(dst, ring + XS_RING_MASK(idx), first);
    memcpy(dst + first, ring, n - first);
}

static void ring_copy_in(char *ring, uint32_t idx, const char *src, size_t n)
{
    size_t first = XS_RING_SIZE - XS_RING_MASK(idx);

    if (first > n)
        first = n;
    memcpy(ring + XS_RING_MASK(idx), src, first);
    memcpy(ring, src + first, n - first);
}

/*
 * A guest notifies us only when it finds we had taken everything it wrote
 * before (Linux: prod <= req_cons, read after publishing req_prod), and
 * again only when it frees space in a ring it found full. So a read that
 * stops short must have seen the ring empty after publishing req_cons, and
 * a write that stops short must have seen it full after publishing
 * rsp_prod: each looks again behind a full fence, as the guest does, or
 * bytes published in between would wait for an event that never comes.
 */
ssize_t xs_ring_read(struct xs_ring_page *r, void *buf, size_t len)
{
    uint32_t cons = LOAD_ACQ(&r->req_cons);
    size_t got = 0;

    while (got < len) {
        size_t n = LOAD_ACQ(&r->req_prod) - cons;

        if (n > XS_RING_SIZE)
            return -EIO;
        if (!n)
            break;
        if (n > len - got)
            n = len - got;
        ring_copy_out(r->req, cons, (char *)buf + got, n);
        got += n;
        cons += (uint32_t)n;
        /* The bytes are copied before the guest may reuse their slots. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        STORE_REL(&r->req_cons, cons);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    return got;
}

ssize_t xs_ring_write(struct xs_ring_page *r, const void *buf, size_t len)
{
    uint32_t prod = LOAD_ACQ(&r->rsp_prod);
    size_t put = 0;

    while (put < len) {
        size_t used = prod - LOAD_ACQ(&r->rsp_cons), n;

        if (used > XS_RING_SIZE)
            return -EIO;
        n = XS_RING_SIZE - used;
        if (!n)
            break;
        if (n > len - put)
            n = len - put;
        ring_copy_in(r->rsp, prod, (const char *)buf + put, n);
        put += n;
        prod += (uint32_t)n;
        /* The guest must see the bytes before the index that publishes them. */
        STORE_REL(&r->rsp_prod, prod);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    return put;
}

struct xen_transport {
    int evtchn_fd;
    int gnt_fd;
    int virq_port; /* -1: none bound */
};

struct ring_conn {
    struct xen_transport *xt;
    struct xs_ring_page *page;
    bool granted;       /* page is a gntdev mapping (a guest's), not our kernel's */
    uint64_t gnt_index; /* when granted */
    uint32_t local_port;
};

static void ring_notify(struct ring_conn *rc)
{
    struct ioctl_evtchn_notify n = {.port = rc->local_port};

    ioctl(rc->xt->evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

static ssize_t ring_conn_read(struct conn *c, void *buf, size_t len)
{
    struct ring_conn *rc = c->priv;
    ssize_t n = xs_ring_read(rc->page, buf, len);

    if (n < 0)
        rc->page->error = XS_RING_ERROR_RINGIDX;
    if (n > 0)
        ring_notify(rc);
    return n;
}

static ssize_t ring_conn_write(struct conn *c, const void *buf, size_t len)
{
    struct ring_conn *rc = c->priv;
    ssize_t n = xs_ring_write(rc->page, buf, len);

    if (n < 0)
        rc->page->error = XS_RING_ERROR_RINGIDX;
    if (n > 0)
        ring_notify(rc);
    return n;
}

/*
 * The port first, so no event names the page any more; then the page. The
 * connection is dead by now and nothing has touched the page since: a dead
 * guest's frame may already be out of our P2M (Xenon revokes a dead
 * granter's grants), and only the unmap, which the hypervisor still honours
 * for an orphaned handle, may follow.
 */
static void ring_conn_destroy(struct conn *c)
{
    struct ring_conn *rc = c->priv;
    struct ioctl_evtchn_unbind ub = {.port = rc->local_port};
    struct ioctl_gntdev_unmap_grant_ref um = {.index = rc->gnt_index, .count = 1};

    ioctl(rc->xt->evtchn_fd, IOCTL_EVTCHN_UNBIND, &ub);
    munmap(rc->page, 4096);
    if (rc->granted)
        ioctl(rc->xt->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
    free(rc);
}

static const struct conn_ops ring_ops = {
    .read = ring_conn_read,
    .write = ring_conn_write,
    .destroy = ring_conn_destroy,
};

/*
 * The page and port are ours: make the connection and tell the other end.
 * On failure rc is torn down and NULL returned.
 */
static struct conn *ring_serve(struct xsd *x, struct ring_conn *rc, uint16_t domid,
                               bool privileged)
{
    struct conn *c = conn_new(x, &ring_ops, rc, domid, privileged);

    if (!c) {
        ring_conn_destroy(&(struct conn){.priv = rc});
        return NULL;
    }
    rc->page->server_features = XS_SERVER_FEATURE_ERROR;
    /*
     * A page set up before we ran (a boot domain's) says RECONNECT and its
     * guest waits for the event that follows: the page is served from now
     * on. Domain 0's kernel zeroed its page, which already reads CONNECTED;
     * it too waits for the event before it probes xenbus.
     */
    STORE_REL(&rc->page->connection, XS_RING_CONNECTED);
    ring_notify(rc);
    return c;
}

static int xen_map_ring(struct xsd *x, struct domain *d)
{
    struct xen_transport *xt = x->transport;
    struct ioctl_gntdev_map_grant_ref map = {.count = 1};
    struct ioctl_evtchn_bind_interdomain bind = {.remote_domain = d->domid,
                                                 .remote_port = d->port};
    struct ring_conn *rc = calloc(1, sizeof(*rc));
    int port;

    if (!rc)
        return -ENOMEM;
    rc->xt = xt;
    map.refs[0].domid = d->domid;
    map.refs[0].ref = XS_GNTTAB_RESERVED_XENSTORE;
    if (ioctl(xt->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
        goto fail;
    rc->granted = true;
    rc->gnt_index = map.index;
    rc->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, xt->gnt_fd, map.index);
    if (rc->page == MAP_FAILED)
        goto fail_unmap;
    port = ioctl(xt->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (port < 0)
        goto fail_munmap;
    rc->local_port = port;
    d->ring = ring_serve(x, rc, d->domid, false);
    return d->ring ? 0 : -ENOMEM;
fail_munmap:
    munmap(rc->page, 4096);
fail_unmap: {
    struct ioctl_gntdev_unmap_grant_ref um = {.index = map.index, .count = 1};
    int e = errno;

    ioctl(xt->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
    errno = e;
}
fail:
    free(rc);
    return -errno;
}

/* ---- domain 0's own kernel's ring ---- */

/*
 * A domain 0 kernel that the hypervisor gave no xenstore (Linux: the initial
 * domain with HVM_PARAM_STORE_EVTCHN 0, "XS_LOCAL") allocates a page and an
 * unbound port of its own for itself, and waits for a xenstored in its user
 * space; xenfs shows the page's kernel address as xsd_kva (which maps the
 * page) and the port as xsd_port. A kernel with no page prints a NULL
 * address, all zero digits (pointers are otherwise hashed), and no port is
 * 0: -ENXIO then. A port that is not a positive decimal int: -EINVAL.
 */
int xs_local_ring_parse(const char *kva, const char *port_text, uint32_t *port)
{
    const char *p = kva;
    char *end;
    unsigned long v;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (*p && p[strspn(p, "0")] == '\0')
        return -ENXIO;
    if (*port_text < '0' || *port_text > '9')
        return -EINVAL;
    errno = 0;
    v = strtoul(port_text, &end, 10);
    if (errno || *end || v > INT_MAX)
        return -EINVAL;
    if (v == 0)
        return -ENXIO;
    *port = v;
    return 0;
}

/* A small proc file's first line, NUL-terminated. */
static int read_text(int fd, char *buf, size_t size)
{
    ssize_t n = read(fd, buf, size - 1);

    if (n < 0)
        return -errno;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

int xs_local_ring_map(const char *kva_path, const char *port_path, struct xs_ring_page **page,
                      uint32_t *port)
{
    char kva[64], port_text[32];
    int kfd, pfd, r;
    void *p;

    kfd = open(kva_path, O_RDWR | O_CLOEXEC);
    if (kfd < 0)
        return -errno;
    pfd = open(port_path, O_RDONLY | O_CLOEXEC);
    if (pfd < 0) {
        r = -errno;
        goto out_kfd;
    }
    r = read_text(kfd, kva, sizeof(kva));
    if (r == 0)
        r = read_text(pfd, port_text, sizeof(port_text));
    if (r == 0)
        r = xs_local_ring_parse(kva, port_text, port);
    if (r == 0) {
        p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0);
        if (p == MAP_FAILED)
            r = -errno;
        else
            *page = p;
    }
    close(pfd);
out_kfd:
    close(kfd);
    return r;
}

int xen_transport_local_ring(struct xsd *x, const char *kva_path, const char *port_path)
{
    struct xen_transport *xt = x->transport;
    struct ioctl_evtchn_bind_interdomain bind = {.remote_domain = XSD_DOMID_SELF};
    struct xs_ring_page *page;
    struct ring_conn *rc;
    struct conn *c;
    int r = xs_local_ring_map(kva_path, port_path, &page, &bind.remote_port);

    if (r < 0)
        return r;
    rc = calloc(1, sizeof(*rc));
    if (!xt || !rc) {
        free(rc);
        munmap(page, 4096);
        return xt ? -ENOMEM : -ENODEV;
    }
    rc->xt = xt;
    rc->page = page;
    /* The kernel offered its port to itself: we bind it as our own domain. */
    r = ioctl(xt->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (r < 0) {
        r = -errno;
        free(rc);
        munmap(page, 4096);
        return r;
    }
    rc->local_port = r;
    c = ring_serve(x, rc, 0, true);
    if (!c)
        return -ENOMEM;
    domain_get(x, 0, false)->ring = c;
    /*
     * Requests its user space wrote before we ran wait in the ring, their
     * events lost on the unbound port: serve them now.
     */
    if (conn_input(c) < 0)
        c->dead = true;
    if (x->conn_changed)
        x->conn_changed(x, c);
    return 0;
}

int xen_transport_open(struct xsd *x, int *evtchn_fd)
{
    struct xen_transport *xt = calloc(1, sizeof(*xt));

    if (!xt)
        return -ENOMEM;
    xt->evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    xt->gnt_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    if (xt->evtchn_fd < 0 || xt->gnt_fd < 0) {
        int e = errno;

        if (xt->evtchn_fd >= 0)
            close(xt->evtchn_fd);
        if (xt->gnt_fd >= 0)
            close(xt->gnt_fd);
        free(xt);
        return -e;
    }
    xt->virq_port = -1;
    x->transport = xt;
    x->map_ring = xen_map_ring;
    *evtchn_fd = xt->evtchn_fd;
    return 0;
}

void xen_transport_close(struct xsd *x)
{
    struct xen_transport *xt = x->transport;

    if (!xt)
        return;
    close(xt->evtchn_fd);
    close(xt->gnt_fd);
    free(xt);
    x->transport = NULL;
    x->map_ring = NULL;
}

int xen_transport_bind_virq(struct xsd *x, unsigned virq)
{
    struct xen_transport *xt = x->transport;
    struct ioctl_evtchn_bind_virq bind = {.virq = virq};
    int port;

    if (!xt)
        return -ENODEV;
    if (xt->virq_port >= 0)
        return -EBUSY;
    port = ioctl(xt->evtchn_fd, IOCTL_EVTCHN_BIND_VIRQ, &bind);
    if (port < 0)
        return -errno;
    xt->virq_port = port;
    return 0;
}

/*
 * Pending ports: serve their connections and mark them for the loop, then
 * unmask the ports. The VIRQ comes first, so that a domain that died is
 * released before its own port (a last kick) could have us read its page; a
 * dead connection is never read.
 */
void xen_transport_event(struct xsd *x)
{
    struct xen_transport *xt = x->transport;
    uint32_t ports[64];
    ssize_t n;

    if (!xt)
        return;
    while ((n = read(xt->evtchn_fd, ports, sizeof(ports))) > 0) {
        size_t cnt = (size_t)n / sizeof(ports[0]);

        for (size_t i = 0; i < cnt && xt->virq_port >= 0; i++) {
            if (ports[i] == (uint32_t)xt->virq_port) {
                if (x->dom_exc)
                    x->dom_exc(x);
                break;
            }
        }
        for (size_t i = 0; i < cnt; i++) {
            for (struct conn *c = x->conns; c; c = c->next) {
                if (c->ops != &ring_ops || c->dead ||
                    ((struct ring_conn *)c->priv)->local_port != ports[i])
                    continue;
                if (conn_input(c) < 0)
                    c->dead = true;
                if (x->conn_changed)
                    x->conn_changed(x, c);
            }
        }
        if (write(xt->evtchn_fd, ports, n) != n)
            break;
    }
}
