// SPDX-License-Identifier: GPL-2.0-only
/*
 * The request dispatcher: decode a message's arguments, check who may do
 * what, act through an access context, queue the reply. This is the code the
 * fuzzer drives, so every argument is treated as hostile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xsd.h"

#define MAX_ARGS 8

static const struct {
    int err;
    const char *name;
} xsd_errors[] = {
    {EINVAL, "EINVAL"}, {EACCES, "EACCES"}, {EEXIST, "EEXIST"},       {EISDIR, "EISDIR"},
    {ENOENT, "ENOENT"}, {ENOMEM, "ENOMEM"}, {ENOSPC, "ENOSPC"},       {EIO, "EIO"},
    {ENOTEMPTY, "ENOTEMPTY"}, {ENOSYS, "ENOSYS"}, {EROFS, "EROFS"},   {EBUSY, "EBUSY"},
    {EAGAIN, "EAGAIN"}, {EISCONN, "EISCONN"}, {E2BIG, "E2BIG"},       {EPERM, "EPERM"},
};

const char *xsd_errname(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].err == err)
            return xsd_errors[i].name;
    return "EIO"; /* Xen's table has no better match for anything else */
}

struct req {
    struct xsd *x;
    struct conn *c;
    const struct xs_msg_hdr *h;
    const char *data;
    size_t len;
    const char *argv[MAX_ARGS];
    unsigned argc;
    struct txn **t; /* the transaction the header names; NULL: none */
    struct access acc;
};

static int reply(struct req *q, const void *data, size_t len)
{
    return conn_queue(q->c, q->h->type, q->h->req_id, q->h->tx_id, data, len, NULL, 0, false);
}

static int reply_ok(struct req *q)
{
    return reply(q, "OK", 3);
}

/* Split the payload into NUL-terminated strings; all bytes must belong to one. */
XSD_HOT static int split_args(struct req *q)
{
    size_t off = 0;

    q->argc = 0;
    while (off < q->len) {
        const char *s = q->data + off;
        const char *z = bytes_nul(s, q->len - off);

        if (!z || q->argc == MAX_ARGS)
            return -EINVAL;
        q->argv[q->argc++] = s;
        off = z - q->data + 1;
    }
    return 0;
}

static int want_args(struct req *q, unsigned n)
{
    return split_args(q) < 0 || q->argc != n ? -EINVAL : 0;
}

/*
 * Xen's path length limit: XS_REL_PATH_MAX bytes, not counting a leading
 * "/local/domain/<domid>/" (so relative and absolute forms of one path agree).
 */
static bool path_fits(const char *p, size_t len)
{
    static const char home[] = "/local/domain/";
    size_t off = 0;

    if (len >= sizeof(home) - 1 && bytes_eq(p, home, sizeof(home) - 1)) {
        size_t d = strspn(p + sizeof(home) - 1, "0123456789");

        if (d && d <= 5 && p[sizeof(home) - 1 + d] == '/')
            off = sizeof(home) + d;
    }
    return len <= off + XS_REL_PATH_MAX;
}

/* Absolute path of @in for this connection; @rel_off is the prefix added. */
XSD_HOT int path_canon(struct conn *c, const char *in, char *out, size_t outmax, size_t *rel_off)
{
    size_t len = bytes_len(in);
    int pre = 0;

    if (in[0] == '@')
        return -EINVAL; /* a special watch name, not a node */
    if (in[0] == '/') {
        if (len > XS_ABS_PATH_MAX || len >= outmax)
            return -EINVAL;
        bytes_copy(out, in, len + 1);
    } else {
        if (!len || len > XS_REL_PATH_MAX)
            return -EINVAL;
        pre = snprintf(out, outmax, "/local/domain/%u/", c->domid);
        if (pre < 0 || pre + len >= outmax || pre + len > XS_ABS_PATH_MAX)
            return -EINVAL;
        bytes_copy(out + pre, in, len + 1);
        len += pre;
    }
    if (rel_off)
        *rel_off = pre;
    return path_fits(out, len) && path_is_valid(out, len) ? 0 : -EINVAL;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno || *end || *out > max ? -EINVAL : 0;
}

/* @arg canonicalised into @path, its node looked up and access checked. */
XSD_HOT static int lookup(struct req *q, const char *arg, char *path, const struct node **n,
                          unsigned perm)
{
    int r = path_canon(q->c, arg, path, XS_ABS_PATH_MAX + 1, NULL);

    if (r < 0)
        return r;
    *n = acc_get(&q->acc, path, bytes_len(path));
    if (!*n)
        return errno == ENOENT ? acc_missing(&q->acc, path, perm) : -errno;
    return acc_check(&q->acc, *n, perm);
}

/* The one path argument's node (lookup). */
XSD_HOT static int get_node(struct req *q, char *path, const struct node **n, unsigned perm)
{
    int r = want_args(q, 1);

    return r < 0 ? r : lookup(q, q->argv[0], path, n, perm);
}

XSD_HOT static int op_read(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    const struct node *n;
    int r = get_node(q, path, &n, XS_PERM_READ);

    return r < 0 ? r : reply(q, node_value(n), n->vlen);
}

XSD_HOT static int op_directory(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    const struct node *n;
    int r = get_node(q, path, &n, XS_PERM_READ);

    if (r < 0)
        return r;
    if (node_clen(n) > XS_PAYLOAD_MAX)
        return -E2BIG; /* the client falls back to DIRECTORY_PART */
    return reply(q, node_children(n), node_clen(n));
}

static int op_directory_part(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1], *buf;
    unsigned long off;
    const struct node *n;
    const char *kids;
    size_t end, glen, clen;
    int r;

    if (split_args(q) < 0 || q->argc != 2 || parse_uint(q->argv[1], 0xffffffffUL, &off) < 0)
        return -EINVAL;
    r = lookup(q, q->argv[0], path, &n, XS_PERM_READ);
    if (r < 0)
        return r;
    kids = node_children(n);
    clen = node_clen(n);
    /* As Xen: past the end is an empty list (the client sees the generation
     * change and starts again); inside a name, the rest of that name. */
    if (off > clen)
        off = clen;
    buf = malloc(XS_PAYLOAD_MAX);
    if (!buf)
        return -ENOMEM;
    glen = snprintf(buf, XS_PAYLOAD_MAX, "%llu", (unsigned long long)n->gen) + 1;
    /* Whole names only; an empty name marks the end of the list. */
    end = off;
    while (end < clen) {
        size_t l = strlen(kids + end) + 1;

        if (glen + (end - off) + l > XS_PAYLOAD_MAX - 1)
            break;
        end += l;
    }
    if (end > off)
        memcpy(buf + glen, kids + off, end - off);
    glen += end - off;
    if (end == clen)
        buf[glen++] = '\0';
    r = reply(q, buf, glen);
    free(buf);
    return r;
}

static int op_get_perms(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1], buf[XS_PAYLOAD_MAX];
    const struct node *n;
    size_t len = 0;
    int r = get_node(q, path, &n, XS_PERM_READ);

    if (r < 0)
        return r;
    for (unsigned i = 0; i < n->perms->n; i++) {
        if (len + 8 > sizeof(buf))
            return -E2BIG;
        len += perm_format(&n->perms->p[i], buf + len, sizeof(buf) - len) + 1;
    }
    return reply(q, buf, len);
}

XSD_HOT static int op_write(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *z = memchr(q->data, '\0', q->len);
    size_t plen;
    int r;

    if (!z)
        return -EINVAL;
    plen = z - q->data + 1;
    r = path_canon(q->c, q->data, path, sizeof(path), NULL);
    if (r == 0)
        r = acc_write(&q->acc, path, q->data + plen, q->len - plen, false);
    return r < 0 ? r : reply_ok(q);
}

static int op_mkdir_rm(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    int r = want_args(q, 1);

    if (r == 0)
        r = path_canon(q->c, q->argv[0], path, sizeof(path), NULL);
    if (r == 0)
        r = q->h->type == XS_MKDIR ? acc_write(&q->acc, path, NULL, 0, true)
                                   : acc_rm(&q->acc, path);
    return r < 0 ? r : reply_ok(q);
}

/* Xen's order: the permissions first, then the node (or special name). */
static int op_set_perms(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    const char *z = memchr(q->data, '\0', q->len);
    struct xsd_perm *p = NULL;
    size_t plen;
    unsigned np;
    int r;

    if (!z || (size_t)(z - q->data) + 1 >= q->len)
        return -EINVAL;
    plen = z - q->data + 1;
    r = perms_parse(q->data + plen, q->len - plen, &p, &np);
    if (r == 0)
        r = domain_check_perms(q->x, p, np);
    if (r == 0 && q->data[0] == '@')
        r = watch_special_set_perms(q->x, q->c, q->data, &p, np);
    else if (r == 0 && (r = path_canon(q->c, q->data, path, sizeof(path), NULL)) == 0)
        r = acc_set_perms(&q->acc, path, p, np);
    free(p);
    return r < 0 ? r : reply_ok(q);
}

static int op_watch(struct req *q)
{
    char path[XS_ABS_PATH_MAX + 1];
    size_t rel = 0;
    int r = want_args(q, 2);

    if (r < 0)
        return r;
    if (q->argv[0][0] == '@') {
        /* Any name is accepted, as by Xen; only the two it knows fire. */
        if (strlen(q->argv[0]) > XS_REL_PATH_MAX)
            return -EINVAL;
        strcpy(path, q->argv[0]);
    } else {
        r = path_canon(q->c, q->argv[0], path, sizeof(path), &rel);
        if (r < 0)
            return r;
    }
    if (q->h->type == XS_UNWATCH)
        r = watch_del(q->x, q->c, path, q->argv[1]);
    else
        r = watch_add(q->x, q->c, path, q->argv[1], rel);
    if (r < 0)
        return r;
    r = reply_ok(q);
    /* Xen fires a new watch once at once, so clients can sync their state. */
    if (r == 0 && q->h->type == XS_WATCH)
        watch_send(q->x, q->c->watches, path, strlen(path));
    return r;
}

static struct txn **txn_find(struct conn *c, uint32_t id)
{
    struct txn **pp = &c->txns;

    while (*pp && (*pp)->id != id)
        pp = &(*pp)->next;
    return *pp ? pp : NULL;
}

XSD_HOT static int op_transaction_start(struct req *q)
{
    const struct xsd_quota *quota = domain_quota(q->x, q->c->domid);
    char buf[16];
    struct txn *t;
    uint32_t id;

    if (q->t)
        return -EBUSY; /* no nesting */
    if (split_args(q) < 0 || q->argc > 1)
        return -EINVAL;
    /* Xen counts after its check, so a connection gets one more than the quota. */
    if (quota->transactions && q->c->ntxns > quota->transactions)
        return -ENOSPC;
    do {
        id = ++q->x->next_txid;
    } while (id == 0 || txn_find(q->c, id));
    t = txn_new(id);
    if (!t)
        return -ENOMEM;
    t->next = q->c->txns;
    q->c->txns = t;
    q->c->ntxns++;
    return reply(q, buf, snprintf(buf, sizeof(buf), "%u", id) + 1);
}

XSD_HOT static int op_transaction_end(struct req *q)
{
    struct txn **pp, *t;
    bool commit;
    int r = 0;

    if (want_args(q, 1) < 0)
        return -EINVAL;
    if (strcmp(q->argv[0], "T") && strcmp(q->argv[0], "F"))
        return -EINVAL;
    commit = q->argv[0][0] == 'T';
    pp = q->t; /* xsd_dispatch looked it up */
    if (!pp)
        return -ENOENT;
    t = *pp;
    *pp = t->next;
    q->c->ntxns--;
    if (commit)
        r = txn_commit(q->x, t);
    txn_free(t);
    return r < 0 ? r : reply_ok(q);
}

static int domid_arg(struct req *q, unsigned i, unsigned *domid)
{
    unsigned long v;

    if (i >= q->argc || parse_uint(q->argv[i], 65535, &v) < 0)
        return -EINVAL;
    *domid = v;
    return 0;
}

static int op_domain(struct req *q)
{
    unsigned domid, target;
    unsigned long mfn, port;
    struct domain *d;
    char buf[32];

    if (split_args(q) < 0 || domid_arg(q, 0, &domid) < 0)
        return -EINVAL;
    switch (q->h->type) {
    case XS_GET_DOMAIN_PATH:
        return q->argc != 1 ? -EINVAL
                            : reply(q, buf, snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1);
    case XS_INTRODUCE:
        if (q->argc != 3 || parse_uint(q->argv[1], ~0UL, &mfn) < 0 ||
            parse_uint(q->argv[2], 0xffffffffUL, &port) < 0)
            return -EINVAL;
        return domain_introduce(q->x, domid, mfn, port) ?: reply_ok(q);
    case XS_RELEASE:
        return q->argc != 1 ? -EINVAL : domain_release(q->x, domid) ?: reply_ok(q);
    case XS_IS_DOMAIN_INTRODUCED:
        d = domain_get(q->x, domid, false);
        if (q->argc != 1)
            return -EINVAL;
        return reply(q, (domid == 0 || (d && d->introduced)) ? "T" : "F", 2);
    case XS_RESUME:
        d = domain_get(q->x, domid, false);
        if (q->argc != 1 || !d || !d->introduced)
            return q->argc != 1 ? -EINVAL : -ENOENT;
        d->shutdown = false;
        return reply_ok(q);
    case XS_SET_TARGET:
        if (q->argc != 2 || domid_arg(q, 1, &target) < 0)
            return -EINVAL;
        d = domain_get(q->x, domid, false);
        if (!d || !d->introduced || !domain_get(q->x, target, false))
            return -ENOENT;
        d->target = target;
        d->has_target = true;
        return reply_ok(q);
    }
    return -EINVAL;
}

static int op_reset_watches(struct req *q)
{
    watch_del_all(q->x, q->c);
    while (q->c->txns) {
        struct txn *t = q->c->txns;

        q->c->txns = t->next;
        txn_free(t);
    }
    q->c->ntxns = 0;
    return reply_ok(q);
}

static int op_control(struct req *q)
{
    char *out = malloc(XS_PAYLOAD_MAX);
    size_t len = 0;
    int r;

    if (!out)
        return -ENOMEM;
    r = xsd_control(q->x, q->c, q->data, q->len, out, XS_PAYLOAD_MAX, &len);
    if (r == 0)
        r = reply(q, out, len);
    free(out);
    return r;
}

typedef int (*op_fn)(struct req *q);

static const struct {
    op_fn fn;
    bool txn;  /* acts inside the transaction named in the header */
    bool priv; /* privileged connections only */
    bool notid; /* ignores the header's transaction id (others: unknown -> ENOENT) */
} ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = {op_control, false, true},
    [XS_DIRECTORY] = {op_directory, true, false},
    [XS_READ] = {op_read, true, false},
    [XS_GET_PERMS] = {op_get_perms, true, false},
    [XS_WATCH] = {op_watch, false, false, true},
    [XS_UNWATCH] = {op_watch, false, false, true},
    [XS_TRANSACTION_START] = {op_transaction_start, false, false},
    [XS_TRANSACTION_END] = {op_transaction_end, false, false},
    [XS_INTRODUCE] = {op_domain, false, true},
    [XS_RELEASE] = {op_domain, false, true},
    [XS_GET_DOMAIN_PATH] = {op_domain, false, false},
    [XS_WRITE] = {op_write, true, false},
    [XS_MKDIR] = {op_mkdir_rm, true, false},
    [XS_RM] = {op_mkdir_rm, true, false},
    [XS_SET_PERMS] = {op_set_perms, true, false},
    [XS_IS_DOMAIN_INTRODUCED] = {op_domain, false, true},
    [XS_RESUME] = {op_domain, false, true},
    [XS_SET_TARGET] = {op_domain, false, true},
    [XS_RESET_WATCHES] = {op_reset_watches, false, false},
    [XS_DIRECTORY_PART] = {op_directory_part, true, false},
};

XSD_HOT int xsd_dispatch(struct xsd *x, struct conn *c, const struct xs_msg_hdr *h,
                         const char *payload)
{
    struct req q = {.x = x, .c = c, .h = h, .data = payload, .len = h->len};
    int r;

    x->stat_requests++;
    if (h->len > XS_PAYLOAD_MAX)
        return -EPROTO;
    q.acc.x = x;
    q.acc.c = c;
    if (h->type >= XS_TYPE_COUNT || !ops[h->type].fn) {
        r = -ENOSYS;
    } else if (ops[h->type].priv && !c->privileged) {
        r = -EACCES;
    } else if (!ops[h->type].notid && h->tx_id && !(q.t = txn_find(c, h->tx_id))) {
        r = -ENOENT;
    } else {
        if (q.t && ops[h->type].txn)
            q.acc.t = *q.t;
        r = ops[h->type].fn(&q);
    }
    if (r < 0) {
        const char *e = xsd_errname(-r);

        r = conn_queue(c, XS_ERROR, h->req_id, h->tx_id, e, strlen(e) + 1, NULL, 0, false);
    }
    /* A full output queue is the client's problem, not a reason to stop. */
    return r == -EPIPE ? r : 0;
}

int xsd_init(struct xsd *x, const struct xsd_config *cfg)
{
    static const struct xsd_perm root_perm = {0, XS_PERM_NONE};
    struct node *root;
    int r;

    memset(x, 0, sizeof(*x));
    x->cfg = *cfg;
    r = node_table_init(&x->tree, 1024);
    if (r == 0)
        r = watch_table_init(&x->watches);
    root = r == 0 ? node_new("/", 1) : NULL;
    if (!root || node_set_perms(root, &root_perm, 1) < 0) {
        node_free(root);
        xsd_fini(x);
        return -ENOMEM;
    }
    root->gen = ++x->gen;
    node_table_insert(&x->tree, root);
    domain_account(x, 0, 1);
    return 0;
}

void xsd_fini(struct xsd *x)
{
    while (x->conns)
        conn_free(x->conns);
    node_table_free(&x->tree);
    watch_table_free(&x->watches);
    domain_free_all(x);
}
