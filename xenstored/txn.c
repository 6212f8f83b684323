// SPDX-License-Identifier: GPL-2.0-only
/*
 * Access to the tree, live or through a transaction, and transaction commit.
 *
 * A transaction never copies the tree. It keeps, per path it touched, one
 * record: the generation it first saw there (0 = absent) and, when it changed
 * the node, its private copy (LIVE) or a tombstone (TOMB). Commit succeeds
 * only if every recorded path still has the generation the transaction saw,
 * which is Xen's optimistic concurrency: otherwise the client gets EAGAIN.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static const struct xsd_quota *acc_quota(struct access *a)
{
    return a->c ? domain_quota(a->x, a->c->domid) : &a->x->cfg.dom0;
}

/* The table holding the nodes this access changes. */
static struct node_table *acc_table(struct access *a)
{
    return a->t ? &a->t->nodes : &a->x->tree;
}

XSD_HOT static int txn_record(struct access *a, const char *path, size_t plen, struct node **out)
{
    struct txn *t = a->t;
    struct node *e = node_table_find(&t->nodes, path, plen);
    const struct node *m;
    unsigned lim = acc_quota(a)->txn_nodes;

    if (e) {
        *out = e;
        return 0;
    }
    if (lim && t->nodes.count >= lim)
        return -ENOSPC;
    if (t->nseen == t->capseen) {
        unsigned cap = t->capseen ? 2 * t->capseen : 16;
        struct txn_seen *seen = realloc(t->seen, cap * sizeof(*seen));

        if (!seen)
            return -ENOMEM;
        t->seen = seen;
        t->capseen = cap;
    }
    m = node_table_find(&a->x->tree, path, plen);
    e = node_new(path, plen);
    if (!e || !(t->seen[t->nseen].path = strndup(path, plen))) {
        node_free(e);
        return -ENOMEM;
    }
    t->seen[t->nseen].before = m ? m->perms : NULL;
    if (m)
        m->perms->refs++;
    t->nseen++;
    e->kind = NODE_SEEN;
    e->gen = m ? m->gen : 0;
    node_table_insert(&t->nodes, e);
    *out = e;
    return 0;
}

/* The node at @path as this access sees it; *out is NULL if absent. */
XSD_HOT static int acc_find(struct access *a, const char *path, size_t plen,
                            const struct node **out)
{
    struct node *e;
    int r;

    if (!a->t) {
        *out = node_table_find(&a->x->tree, path, plen);
        return 0;
    }
    r = txn_record(a, path, plen, &e);
    if (r < 0)
        return r;
    if (e->kind == NODE_SEEN)
        *out = node_table_find(&a->x->tree, path, plen);
    else
        *out = e->kind == NODE_LIVE ? e : NULL;
    return 0;
}

XSD_HOT const struct node *acc_get(struct access *a, const char *path, size_t plen)
{
    const struct node *n = NULL;
    int r = acc_find(a, path, plen, &n);

    errno = r < 0 ? -r : (n ? 0 : ENOENT);
    return n;
}

/* A writable version of an existing node, or NULL with errno. */
static struct node *acc_modify(struct access *a, const char *path, size_t plen)
{
    struct node *e, *c;
    const struct node *m;
    int r;

    if (!a->t) {
        e = node_table_find(&a->x->tree, path, plen);
        if (e)
            e->gen = ++a->x->gen;
        errno = e ? 0 : ENOENT;
        return e;
    }
    r = txn_record(a, path, plen, &e);
    if (r < 0) {
        errno = -r;
        return NULL;
    }
    if (e->kind != NODE_SEEN) {
        errno = e->kind == NODE_LIVE ? 0 : ENOENT;
        return e->kind == NODE_LIVE ? e : NULL;
    }
    m = node_table_find(&a->x->tree, path, plen);
    if (!m) {
        errno = ENOENT;
        return NULL;
    }
    c = node_clone(m);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    c->kind = NODE_LIVE;
    c->gen = e->gen; /* what we first saw, checked at commit */
    node_table_remove(&a->t->nodes, e);
    node_free(e);
    node_table_insert(&a->t->nodes, c);
    return c;
}

static void txn_delta(struct txn *t, uint16_t domid, int d)
{
    for (unsigned i = 0; i < t->ndelta; i++) {
        if (t->delta[i].domid == domid) {
            t->delta[i].delta += d;
            return;
        }
    }
    if (t->ndelta == sizeof(t->delta) / sizeof(t->delta[0])) {
        t->overflow = true;
        return;
    }
    t->delta[t->ndelta].domid = domid;
    t->delta[t->ndelta++].delta = d;
}

static void acc_account(struct access *a, uint16_t domid, int d)
{
    if (a->t)
        txn_delta(a->t, domid, d);
    else
        domain_account(a->x, domid, d);
}

static unsigned acc_owned(struct access *a, uint16_t domid)
{
    struct domain *d = domain_get(a->x, domid, false);
    long n = d ? d->nodes : 0;

    for (unsigned i = 0; a->t && i < a->t->ndelta; i++)
        if (a->t->delta[i].domid == domid)
            n += a->t->delta[i].delta;
    return n < 0 ? 0 : n;
}

XSD_HOT int perms_allow(struct xsd *x, const struct conn *c, const struct xsd_perm *p, unsigned np,
                        unsigned want)
{
    struct domain *d;
    uint16_t ids[2];
    unsigned nid = 1, have = p[0].access;

    if (!c || c->privileged)
        return 0;
    ids[0] = c->domid;
    d = domain_get(x, c->domid, false);
    if (d && d->has_target)
        ids[nid++] = d->target;
    for (unsigned k = 0; k < nid; k++) {
        if (p[0].domid == ids[k])
            return 0;
        for (unsigned i = 1; i < np; i++)
            if (p[i].domid == ids[k] && !(p[i].access & XSD_PERM_IGNORE)) {
                have = p[i].access;
                goto found;
            }
    }
found:
    return (have & want) == want ? 0 : -EACCES;
}

XSD_HOT int acc_check(struct access *a, const struct node *n, unsigned want)
{
    return perms_allow(a->x, a->c, n->perms->p, n->perms->n, want);
}

XSD_HOT int acc_missing(struct access *a, const char *path, unsigned want)
{
    size_t pl = strlen(path);
    const struct node *anc = NULL;

    while (!anc && pl > 1) {
        pl = path_parent_len(path, pl);
        if (acc_find(a, path, pl, &anc) < 0)
            return -ENOENT;
    }
    return anc && acc_check(a, anc, want) < 0 ? -EACCES : -ENOENT;
}

/*
 * Xen's node-size quota counts the record it stores: a 24-byte header, 8
 * bytes per permission, the value and the child names. A write that would
 * make one that large (equal counts) gets ENOSPC, be it to the node itself
 * or to the parent whose list of children grows.
 */
#define XEN_RECORD_HDR 24
#define XEN_RECORD_PERM 8

static bool acc_too_big(struct access *a, unsigned nperms, size_t vlen, size_t clen)
{
    const struct xsd_quota *q = acc_quota(a);

    return a->c && q->node_size &&
           XEN_RECORD_HDR + XEN_RECORD_PERM * nperms + vlen + clen >= q->node_size;
}

/* @n changed: its watchers hear now, or at commit inside a transaction. */
static void acc_fire(struct access *a, struct node *n, bool exact)
{
    uint8_t how = exact ? FIRE_EXACT : FIRE_NODE;

    if (!a->t)
        watch_fire(a->x, n->path, n->plen, n->perms->p, n->perms->n, exact);
    else if (n->fire < how)
        n->fire = how;
}

/*
 * Create @path under its existing parent, sharing the parent's permissions
 * (a guest gets its own set, owning what it creates, unless the parent's
 * says so already). Nothing changes unless everything succeeds.
 */
static int acc_create(struct access *a, const char *path, size_t plen, struct node **out)
{
    size_t pl = path_parent_len(path, plen);
    const size_t leaf = pl == 1 ? 1 : pl + 1;
    struct node *parent, *n;
    const struct xsd_quota *q = acc_quota(a);
    struct node_perms *perms;
    int r;

    parent = acc_modify(a, path, pl);
    if (!parent)
        return -errno;
    if (a->c && q->nodes && acc_owned(a, a->c->domid) >= q->nodes)
        return -ENOSPC;
    if (acc_too_big(a, parent->perms->n, parent->vlen, node_clen(parent) + plen - leaf + 1))
        return -ENOSPC;
    if (a->t) {
        /* Reuse the record, keeping the generation it saw; a tombstone's value goes. */
        r = txn_record(a, path, plen, &n);
        if (r == 0)
            r = node_set_value(&a->t->nodes, &n, NULL, 0);
        if (r < 0)
            return r;
    } else {
        n = node_new(path, plen);
        if (!n)
            return -ENOMEM;
    }
    perms = parent->perms;
    if (a->c && !a->c->privileged && perms->p[0].domid != a->c->domid) {
        perms = perms_new(parent->perms->p, parent->perms->n);
        if (perms)
            perms->p[0].domid = a->c->domid; /* guests own what they create */
    } else {
        perms->refs++;
    }
    r = perms ? node_add_child(parent, path + leaf, plen - leaf) : -ENOMEM;
    if (r < 0) {
        perms_put(perms);
        if (!a->t)
            node_free(n);
        return r;
    }
    perms_put(n->perms);
    n->perms = perms;
    node_drop_children(n);
    if (a->t) {
        n->kind = NODE_LIVE;
    } else {
        n->gen = ++a->x->gen;
        node_table_insert(&a->x->tree, n);
    }
    acc_account(a, perms->p[0].domid, 1);
    *out = n;
    return 0;
}

XSD_HOT int acc_write(struct access *a, const char *path, const void *val, size_t len, bool mkdir)
{
    const struct node *cur, *anc;
    struct node *n = NULL;
    size_t pl;
    int r;

    r = acc_find(a, path, strlen(path), &cur);
    if (r < 0)
        return r;
    if (cur && mkdir)
        return 0;
    if (cur) {
        r = acc_check(a, cur, XS_PERM_WRITE);
        if (r == 0 && acc_too_big(a, cur->perms->n, len, node_clen(cur)))
            r = -ENOSPC;
        if (r < 0)
            return r;
        n = acc_modify(a, path, strlen(path));
        if (!n)
            return -errno;
        r = node_set_value(acc_table(a), &n, val, len);
        if (r == 0)
            acc_fire(a, n, false);
        return r;
    }
    /* Find the closest existing ancestor: the caller must be able to write it. */
    pl = strlen(path);
    do {
        pl = path_parent_len(path, pl);
        r = acc_find(a, path, pl, &anc);
        if (r < 0)
            return r;
    } while (!anc);
    r = acc_check(a, anc, XS_PERM_WRITE);
    if (r < 0)
        return r;
    /* The new node's record: as many permissions as its parent's. */
    if (acc_too_big(a, anc->perms->n, len, 0))
        return -ENOSPC;
    /* Create each missing component, top down. */
    while (pl < strlen(path)) {
        pl = pl == 1 ? 1 : pl + 1;
        while (path[pl] && path[pl] != '/')
            pl++;
        r = acc_create(a, path, pl, &n);
        if (r < 0)
            return r;
    }
    r = node_set_value(acc_table(a), &n, val, len);
    if (r == 0)
        acc_fire(a, n, false);
    return r;
}

/*
 * Delete one node whose children are gone. Its watchers hear of it now,
 * while its permissions are known: a node below the one removed only those
 * watching it exactly (@exact), the removed one also its ancestors' (Xen).
 */
static int acc_delete_one(struct access *a, const char *path, size_t plen, bool exact)
{
    struct node *e;

    if (!a->t) {
        e = node_table_find(&a->x->tree, path, plen);
        if (!e)
            return 0;
        acc_account(a, node_owner(e), -1);
        acc_fire(a, e, exact);
        node_table_remove(&a->x->tree, e);
        node_free(e);
        return 0;
    }
    e = acc_modify(a, path, plen);
    if (!e)
        return errno == ENOENT ? 0 : -errno;
    acc_account(a, node_owner(e), -1);
    node_drop_children(e);
    e->kind = NODE_TOMB; /* keeps perms for the watch event */
    acc_fire(a, e, exact);
    return 0;
}

/* @parent's child @name (@nl bytes), allocated; NULL out of memory. */
static char *child_path(const char *parent, size_t plen, const char *name, size_t nl)
{
    size_t at = plen == 1 ? 1 : plen + 1;
    char *cp = malloc(at + nl + 1);

    if (cp) {
        memcpy(cp, parent, plen);
        cp[at - 1] = '/';
        memcpy(cp + at, name, nl + 1);
    }
    return cp;
}

/* A node still to delete, and how far through its children the walk is. */
struct rm_frame {
    char *path;
    size_t plen, off;
};

/* Delete a subtree children first, as Xen does (and fires), without recursion. */
static int acc_delete_tree(struct access *a, const char *root)
{
    size_t n = 0, cap = 16;
    struct rm_frame *stack = malloc(cap * sizeof(*stack));
    char *top = strdup(root);
    int r = 0;

    if (!stack || !top) {
        free(stack);
        free(top);
        return -ENOMEM;
    }
    stack[n++] = (struct rm_frame){top, strlen(root), 0};
    while (n && r == 0) {
        struct rm_frame *f = &stack[n - 1];
        const struct node *nd;
        const char *name;
        size_t nl;
        char *cp;

        r = acc_find(a, f->path, f->plen, &nd);
        if (r < 0)
            break;
        if (!nd || f->off >= node_clen(nd)) {
            r = acc_delete_one(a, f->path, f->plen, n > 1);
            free(f->path);
            n--;
            continue;
        }
        name = node_children(nd) + f->off;
        nl = strlen(name);
        f->off += nl + 1;
        if (n == cap) {
            struct rm_frame *ns = realloc(stack, (cap *= 2) * sizeof(*stack));

            if (!ns) {
                r = -ENOMEM;
                break;
            }
            stack = ns;
            f = &stack[n - 1];
        }
        cp = child_path(f->path, f->plen, name, nl);
        if (!cp) {
            r = -ENOMEM;
            break;
        }
        stack[n++] = (struct rm_frame){cp, f->plen + nl + 1, 0};
    }
    while (n)
        free(stack[--n].path);
    free(stack);
    return r;
}

int acc_rm(struct access *a, const char *path)
{
    size_t plen = strlen(path), pl = path_parent_len(path, plen);
    const struct node *cur, *parent;
    struct node *pn;
    int r;

    if (plen == 1)
        return -EINVAL;
    r = acc_find(a, path, plen, &cur);
    if (r < 0)
        return r;
    if (!cur) {
        /* Xen acknowledges removing an absent node whose parent exists,
         * unless that would tell what the caller may not know. */
        r = acc_missing(a, path, XS_PERM_WRITE);
        if (r == -ENOENT)
            r = acc_find(a, path, pl, &parent);
        return r < 0 ? r : parent ? 0 : -ENOENT;
    }
    r = acc_check(a, cur, XS_PERM_WRITE);
    if (r < 0)
        return r;
    pn = acc_modify(a, path, pl);
    if (!pn)
        return -errno;
    node_del_child(pn, path + (pl == 1 ? 1 : pl + 1), plen - (pl == 1 ? 1 : pl + 1));
    return acc_delete_tree(a, path);
}

/* Pushes @n's children's paths on @stack (first child on top); 0 or -ENOMEM. */
static int push_children(const struct node *n, char ***stack, size_t *depth, size_t *cap)
{
    size_t k = 0, at;

    for (size_t off = 0; off < node_clen(n); off += strlen(node_children(n) + off) + 1)
        k++;
    if (*depth + k > *cap) {
        size_t ncap = 2 * (*depth + k);
        char **ns = realloc(*stack, ncap * sizeof(*ns));

        if (!ns)
            return -ENOMEM;
        *stack = ns;
        *cap = ncap;
    }
    at = *depth + k;
    for (size_t off = 0; off < node_clen(n);) {
        const char *name = node_children(n) + off;
        size_t nl = strlen(name);

        (*stack)[--at] = child_path(n->path, n->plen, name, nl);
        if (!(*stack)[at]) {
            while (at < *depth + k)
                free((*stack)[at++]);
            return -ENOMEM;
        }
        off += nl + 1;
    }
    *depth += k;
    return 0;
}

/*
 * --keep-orphans: a dead domain's node stays, owned by Dom0, as Xen's
 * daemon keeps it (the other entries stay; no watch fires).
 */
static int give_to_dom0(struct access *a, struct node *n)
{
    size_t bytes = n->perms->n * sizeof(struct xsd_perm);
    struct xsd_perm *p = malloc(bytes);
    uint16_t old = node_owner(n);
    int r;

    if (!p)
        return -ENOMEM;
    memcpy(p, n->perms->p, bytes);
    p[0].domid = 0;
    acc_modify(a, n->path, n->plen); /* a new generation: transactions that read it conflict */
    r = node_set_perms(n, p, n->perms->n);
    free(p);
    if (r == 0) {
        acc_account(a, old, -1);
        acc_account(a, 0, 1);
    }
    return r;
}

int tree_forget_domain(struct xsd *x, unsigned domid)
{
    struct access a = {.x = x};
    struct node *root = node_table_find(&x->tree, "/", 1);
    size_t depth = 0, cap = 0;
    char **stack = NULL;
    int r;

    perms_forget(root->perms->p, root->perms->n, domid);
    r = push_children(root, &stack, &depth, &cap);
    while (r == 0 && depth) {
        char *p = stack[--depth];
        struct node *n = node_table_find(&x->tree, p, strlen(p));

        if (n && node_owner(n) == domid && !x->cfg.keep_orphans) {
            r = acc_rm(&a, p);
        } else if (n) {
            if (node_owner(n) == domid)
                r = give_to_dom0(&a, n);
            perms_forget(n->perms->p, n->perms->n, domid);
            if (r == 0)
                r = push_children(n, &stack, &depth, &cap);
        }
        free(p);
    }
    while (depth)
        free(stack[--depth]);
    free(stack);
    return r;
}

int acc_set_perms(struct access *a, const char *path, const struct xsd_perm *p, unsigned np)
{
    const struct xsd_quota *q = acc_quota(a);
    const struct node *cur;
    struct node_perms *was;
    struct node *n;
    uint16_t old;
    int r;

    if (a->c && q->perms && np > q->perms)
        return -ENOSPC;
    r = acc_find(a, path, strlen(path), &cur);
    if (r < 0)
        return r;
    if (!cur)
        return acc_missing(a, path, XS_PERM_WRITE);
    r = acc_check(a, cur, XS_PERM_WRITE);
    if (r == 0 && a->c && !a->c->privileged && node_owner(cur) != a->c->domid)
        r = -EACCES; /* only the owner may change permissions */
    if (r == 0 && a->c && !a->c->privileged && p[0].domid != node_owner(cur))
        r = -EPERM; /* nor give a node away */
    if (r == 0 && acc_too_big(a, np, cur->vlen, node_clen(cur)))
        r = -ENOSPC;
    if (r < 0)
        return r;
    n = acc_modify(a, path, strlen(path));
    if (!n)
        return -errno;
    was = n->perms;
    was->refs++;
    old = node_owner(n);
    r = node_set_perms(n, p, np);
    if (r == 0 && old != p[0].domid) {
        acc_account(a, old, -1);
        acc_account(a, p[0].domid, 1);
    }
    /* Those who could read it before hear of the change too (Xen). */
    if (r == 0 && !a->t)
        watch_fire_since(a->x, n->path, n->plen, n->perms, was, false);
    else if (r == 0)
        acc_fire(a, n, false);
    perms_put(was);
    return r;
}

XSD_HOT struct txn *txn_new(uint32_t id)
{
    struct txn *t = calloc(1, sizeof(*t));

    if (!t || node_table_init(&t->nodes, 16) < 0) {
        free(t);
        return NULL;
    }
    t->id = id;
    return t;
}

XSD_HOT void txn_free(struct txn *t)
{
    if (!t)
        return;
    node_table_free(&t->nodes);
    while (t->nseen) {
        struct txn_seen *s = &t->seen[--t->nseen];

        free(s->path);
        perms_put(s->before);
    }
    free(t->seen);
    free(t);
}

static bool txn_valid(struct xsd *x, struct txn *t)
{
    for (size_t i = 0; i < t->nodes.nbuckets; i++)
        for (struct node *e = t->nodes.buckets[i]; e; e = e->hnext) {
            const struct node *m = node_table_find(&x->tree, e->path, e->plen);

            if ((m ? m->gen : 0) != e->gen)
                return false;
        }
    return true;
}

/* Apply one record to the live tree, moving a changed node there; cannot fail. */
static void txn_apply(struct xsd *x, struct txn *t, struct node *e)
{
    struct node *m = node_table_find(&x->tree, e->path, e->plen);

    if (m) {
        node_table_remove(&x->tree, m);
        node_free(m);
    }
    if (e->kind == NODE_TOMB)
        return;
    node_table_remove(&t->nodes, e);
    e->gen = ++x->gen;
    node_table_insert(&x->tree, e);
}

XSD_HOT int txn_commit(struct xsd *x, struct txn *t)
{
    struct firing {
        struct node *e;
        const struct node_perms *before;
    } *fire;
    struct node **live;
    size_t nfire = 0, nlive = 0;

    if (t->overflow || !txn_valid(x, t))
        return -EAGAIN;
    fire = malloc((t->nodes.count + 1) * sizeof(*fire));
    live = malloc((t->nodes.count + 1) * sizeof(*live));
    if (!fire || !live) {
        free(fire), free(live);
        return -ENOMEM;
    }
    for (size_t i = 0; i < t->nodes.nbuckets; i++)
        for (struct node *e = t->nodes.buckets[i]; e; e = e->hnext)
            if (e->kind != NODE_SEEN)
                live[nlive++] = e;
    for (unsigned i = 0; i < t->nseen; i++) {
        struct node *e = node_table_find(&t->nodes, t->seen[i].path, strlen(t->seen[i].path));

        if (e && e->fire)
            fire[nfire++] = (struct firing){e, t->seen[i].before};
    }
    for (size_t i = 0; i < nlive; i++)
        txn_apply(x, t, live[i]);
    for (unsigned i = 0; i < t->ndelta; i++)
        domain_account(x, t->delta[i].domid, t->delta[i].delta);
    /* Each changed node as committed (or its tombstone); those who could read
     * it when the transaction first touched it hear too, as in Xen. */
    for (size_t i = 0; i < nfire; i++) {
        struct node *e = fire[i].e;

        watch_fire_since(x, e->path, e->plen, e->perms, fire[i].before, e->fire == FIRE_EXACT);
        e->fire = 0; /* it may be in the live tree now */
    }
    free(fire);
    free(live);
    return 0;
}
