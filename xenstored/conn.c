// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections, whatever carries them (unix socket, guest ring, test buffer):
 * message framing on input and a bounded queue of messages on output. Nothing
 * here blocks; the transport's read and write return what they could move.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "bytes.h"
#include "xsd.h"

/* Past this, even a privileged connection is dropped rather than grow. */
#define CONN_OUT_HARD_MAX (64u * 1024 * 1024)

struct conn *conn_new(struct xsd *x, const struct conn_ops *ops, void *priv, uint16_t domid,
                      bool privileged)
{
    struct conn *c = xsd_page_zalloc(sizeof(*c));
    struct domain *d;

    if (!c)
        return NULL;
    c->spare.data = c->spare_data;
    d = domain_get(x, domid, true);
    if (!d) {
        free(c);
        return NULL;
    }
    d->nconns++;
    c->x = x;
    c->ops = ops;
    c->priv = priv;
    c->fd = -1;
    c->domid = domid;
    c->privileged = privileged;
    c->next = x->conns;
    if (x->conns)
        x->conns->prev = c;
    x->conns = c;
    return c;
}

XSD_HOT void conn_out_done(struct conn *c, struct outbuf *o)
{
    if (o == &c->spare)
        c->spare_queued = false; /* kept for the next reply */
    else
        free(o);
}

/* Closing a connection aborts its transactions: they leave no trace. */
void conn_free(struct conn *c)
{
    struct xsd *x;
    struct domain *d;

    if (!c)
        return;
    x = c->x;
    watch_del_all(x, c);
    while (c->txns) {
        struct txn *t = c->txns;

        c->txns = t->next;
        txn_free(t);
    }
    while (c->out_head) {
        struct outbuf *o = c->out_head;

        c->out_head = o->next;
        conn_out_done(c, o);
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        x->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    d = domain_get(x, c->domid, false);
    if (d) {
        d->nconns--;
        if (d->ring == c)
            d->ring = NULL;
        domain_put(x, d);
    }
    if (c->ops && c->ops->destroy)
        c->ops->destroy(c);
    free(c);
}

XSD_HOT int conn_queue(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                       const void *a, size_t alen, const void *b, size_t blen, bool event)
{
    struct xs_msg_hdr h = {type, req_id, tx_id, alen + blen};
    struct outbuf *o;

    if (c->dead)
        return -EPIPE;
    if (event && c->out_bytes > c->x->cfg.out_max && !c->privileged) {
        /* A guest that does not read its events loses them, not our memory. */
        c->events_dropped++;
        return -ENOSPC;
    }
    if (c->out_bytes > CONN_OUT_HARD_MAX) {
        c->dead = true;
        return -EPIPE;
    }
    if (!c->spare_queued && sizeof(h) + alen + blen <= CONN_SPARE_BYTES) {
        o = &c->spare;
        c->spare_queued = true;
    } else if ((o = malloc(sizeof(*o) + sizeof(h) + alen + blen))) {
        o->data = (char *)(o + 1);
    } else {
        return -ENOMEM;
    }
    o->next = NULL;
    o->off = 0;
    o->len = sizeof(h) + alen + blen;
    o->event = event;
    memcpy(o->data, &h, sizeof(h));
    bytes_copy(o->data + sizeof(h), a, alen);
    bytes_copy(o->data + sizeof(h) + alen, b, blen);
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    c->out_bytes += o->len;
    if (!event)
        c->out_replies++;
    if (c->x->conn_changed)
        c->x->conn_changed(c->x, c);
    return 0;
}

/* Too many unsent replies: stop reading requests until the client reads. */
XSD_HOT bool conn_wants_input(const struct conn *c)
{
    const struct xsd_quota *q = domain_quota(c->x, c->domid);

    if (c->dead)
        return false;
    if (q->outstanding && c->out_replies >= q->outstanding)
        return false;
    return c->out_bytes <= c->x->cfg.out_max || !q->outstanding;
}

/*
 * Read what is available and dispatch every complete message. Returns 0, or
 * a negative errno when the connection must be closed (EOF, protocol error).
 */
XSD_HOT int conn_input(struct conn *c)
{
    const size_t hs = sizeof(struct xs_msg_hdr);
    bool may_read = true;

    c->input_held = false;
    while (conn_wants_input(c)) {
        struct xs_msg_hdr h;
        size_t space;
        ssize_t n;
        int r;

        if (c->in_have >= hs) {
            size_t total;

            memcpy(&h, c->in, hs);
            if (h.len > XS_PAYLOAD_MAX)
                return -EPROTO;
            total = hs + h.len;
            if (c->in_have >= total) {
                r = xsd_dispatch(c->x, c, &h, c->in + hs);
                if (r < 0)
                    return r;
                c->in_have -= total;
                if (c->in_have) /* pipelined requests: rare */
                    memmove(c->in, c->in + total, c->in_have);
                continue;
            }
        }
        /* A short read drained the transport: the next event brings more. */
        if (!may_read)
            return 0;
        space = sizeof(c->in) - c->in_have;
        n = c->ops->read(c, c->in + c->in_have, space);
        if (n <= 0)
            return n;
        c->in_have += n;
        may_read = (size_t)n == space;
    }
    c->input_held = !c->dead;
    return 0;
}

/*
 * Input held back for the reply quota goes on once enough replies are out.
 * A socket says so through epoll; a ring cannot: its guest notifies only
 * when we had read all it wrote (xs_ring_read), so the loop asks here
 * after writing a ring's replies.
 */
XSD_HOT int conn_resume_input(struct conn *c)
{
    if (!c->input_held || !conn_wants_input(c))
        return 0;
    return conn_input(c);
}

XSD_HOT void conn_wrote(struct conn *c, size_t n)
{
    while (n) {
        struct outbuf *o = c->out_head;
        size_t k = o->len - o->off;

        if (n < k) {
            o->off += n;
            return;
        }
        n -= k;
        c->out_head = o->next;
        if (!c->out_head)
            c->out_tail = NULL;
        c->out_bytes -= o->len;
        if (!o->event)
            c->out_replies--;
        conn_out_done(c, o);
    }
}

XSD_HOT int conn_output_iov(struct conn *c, struct iovec *iov, int max)
{
    int cnt = 0;

    for (struct outbuf *o = c->out_head; o && cnt < max; o = o->next, cnt++) {
        iov[cnt].iov_base = o->data + o->off;
        iov[cnt].iov_len = o->len - o->off;
    }
    return cnt;
}

/* Write queued output; returns 0 (maybe with output left) or -errno. */
XSD_HOT int conn_output(struct conn *c)
{
    while (c->out_head) {
        struct iovec iov[64];
        int cnt = conn_output_iov(c, iov, 64);
        ssize_t n;

        if (c->ops->writev)
            n = c->ops->writev(c, iov, cnt);
        else
            n = c->ops->write(c, iov[0].iov_base, iov[0].iov_len);
        if (n <= 0)
            return n;
        conn_wrote(c, n);
    }
    return 0;
}
