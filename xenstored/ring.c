// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest transport: a page shared with the guest holding two byte rings
 * (Xen's xenstore-ring.txt), an event channel to kick each other, and the
 * Linux devices that give us both: gntdev maps the guest's reserved xenstore
 * grant, evtchn binds its port. The ring copies are pure functions so that
 * they can be tested against a page in plain memory.
 */
#include <errno.h>
#include <fcntl.h>
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

static size_t ring_copy_out(const char *ring, uint32_t idx, char *dst, size_t n)
{
    size_t first = XS_RING_SIZE - XS_RING_MASK(idx);

    if (first > n)
        first = n;
    memcpy(dst, ring + XS_RING_MASK(idx), first);
    memcpy(dst + first, ring, n - first);
    return n;
}

ssize_t xs_ring_read(struct xs_ring_page *r, void *buf, size_t len)
{
    uint32_t cons = LOAD_ACQ(&r->req_cons), prod = LOAD_ACQ(&r->req_prod);
    size_t n = prod - cons;

    if (n > XS_RING_SIZE)
        return -EIO;
    if (n > len)
        n = len;
    ring_copy_out(r->req, cons, buf, n);
    /* The bytes are copied before the guest may reuse their slots. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    STORE_REL(&r->req_cons, cons + (uint32_t)n);
    return n;
}

ssize_t xs_ring_write(struct xs_ring_page *r, const void *buf, size_t len)
{
    uint32_t cons = LOAD_ACQ(&r->rsp_cons), prod = LOAD_ACQ(&r->rsp_prod);
    size_t used = prod - cons, n, first;

    if (used > XS_RING_SIZE)
        return -EIO;
    n = XS_RING_SIZE - used;
    if (n > len)
        n = len;
    first = XS_RING_SIZE - XS_RING_MASK(prod);
    if (first > n)
        first = n;
    memcpy(r->rsp + XS_RING_MASK(prod), buf, first);
    memcpy(r->rsp, (const char *)buf + first, n - first);
    /* The guest must see the bytes before the index that publishes them. */
    STORE_REL(&r->rsp_prod, prod + (uint32_t)n);
    return n;
}

struct xen_transport {
    int evtchn_fd;
    int gnt_fd;
    int virq_port; /* -1: none bound */
};

struct ring_conn {
    struct xen_transport *xt;
    struct xs_ring_page *page;
    uint64_t gnt_index;
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
    ioctl(rc->xt->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
    free(rc);
}

static const struct conn_ops ring_ops = {
    .read = ring_conn_read,
    .write = ring_conn_write,
    .destroy = ring_conn_destroy,
};

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
    rc->gnt_index = map.index;
    rc->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, xt->gnt_fd, map.index);
    if (rc->page == MAP_FAILED)
        goto fail_unmap;
    port = ioctl(xt->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (port < 0)
        goto fail_munmap;
    rc->local_port = port;
    d->ring = conn_new(x, &ring_ops, rc, d->domid, false);
    if (!d->ring) {
        errno = ENOMEM;
        ring_conn_destroy(&(struct conn){.priv = rc});
        return -ENOMEM;
    }
    rc->page->server_features = XS_SERVER_FEATURE_ERROR;
    /*
     * A page set up before we ran (a boot domain's) says RECONNECT and its
     * guest waits for the event that follows: the page is served from now on.
     */
    STORE_REL(&rc->page->connection, XS_RING_CONNECTED);
    ring_notify(rc);
    return 0;
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
