// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the input is a stream of wire messages, each prefixed by
 * one byte choosing the sender (Dom0, two guests, or a guest's ring-style
 * byte stream). Every reply is decoded and the tree re-checked at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct feed {
    const uint8_t *p;
    size_t len;
};

static ssize_t feed_read(struct conn *c, void *buf, size_t len)
{
    struct feed *f = c->priv;
    size_t n = len < f->len ? len : f->len;

    if (!n)
        return 0;
    memcpy(buf, f->p, n);
    f->p += n;
    f->len -= n;
    return n;
}

static ssize_t sink_write(struct conn *c, const void *buf, size_t len)
{
    return len; /* a client that reads everything */
}

static const struct conn_ops fuzz_ops = {feed_read, sink_write, NULL, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xsd_config cfg;
    struct xsd x;
    struct feed f[3] = {{0}};
    uint8_t msg[sizeof(struct xs_msg_hdr) + 512];
    struct conn *c[3];
    char out[XS_PAYLOAD_MAX];
    size_t olen;

    xsd_config_default(&cfg);
    cfg.domu.nodes = 64;
    cfg.domu.txn_nodes = 64;
    if (xsd_init(&x, &cfg) < 0)
        return 0;
    c[0] = conn_new(&x, &fuzz_ops, &f[0], 0, true);
    c[1] = conn_new(&x, &fuzz_ops, &f[1], 1, false);
    c[2] = conn_new(&x, &fuzz_ops, &f[2], 2, false);
    while (size > sizeof(struct xs_msg_hdr)) {
        unsigned who = data[0] % 3;
        struct xs_msg_hdr h;
        size_t take;

        memcpy(&h, data + 1, sizeof(h));
        h.len %= 512; /* keep messages inside the input */
        take = 1 + sizeof(h) + h.len;
        if (take > size)
            break;
        /* rewrite the length so the stream frames cleanly, then feed it */
        memcpy(msg, &h, sizeof(h));
        memcpy(msg + sizeof(h), data + 1 + sizeof(h), h.len);
        f[who].p = msg;
        f[who].len = take - 1;
        if (c[who] && conn_input(c[who]) < 0) {
            conn_free(c[who]);
            c[who] = NULL;
        }
        for (int i = 0; i < 3; i++)
            if (c[i])
                conn_output(c[i]);
        data += take;
        size -= take;
    }
    if (xsd_control(&x, NULL, "check", 6, out, sizeof(out), &olen) != 0 || strcmp(out, "OK"))
        abort(); /* the tree lost consistency */
    xsd_fini(&x);
    return 0;
}
