// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches, hashed by the absolute path they watch, so that a change to a
 * node costs one lookup per ancestor rather than a scan of every watch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

#define WATCH_BUCKETS 1024

static uint32_t whash(const char *p, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

int watch_table_init(struct watch_table *wt)
{
    wt->nbuckets = WATCH_BUCKETS;
    wt->count = 0;
    wt->buckets = calloc(wt->nbuckets, sizeof(*wt->buckets));
    return wt->buckets ? 0 : -ENOMEM;
}

void watch_table_free(struct watch_table *wt)
{
    free(wt->buckets);
    wt->buckets = NULL;
    free(wt->introduce.p);
    free(wt->release.p);
    wt->introduce.p = wt->release.p = NULL;
}

static void watch_unhash(struct xsd *x, struct watch *w)
{
    struct watch **pp = &x->watches.buckets[w->hash & (x->watches.nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext)
        if (*pp == w) {
            *pp = w->hnext;
            x->watches.count--;
            return;
        }
}

static void watch_free(struct xsd *x, struct watch *w)
{
    struct domain *d = domain_get(x, w->c->domid, false);

    if (d && d->watches)
        d->watches--;
    free(w->token);
    free(w);
}

int watch_add(struct xsd *x, struct conn *c, const char *path, const char *token, size_t rel_off)
{
    const struct xsd_quota *q = domain_quota(x, c->domid);
    size_t plen = strlen(path);
    struct domain *d;
    struct watch *w, **b;

    for (w = c->watches; w; w = w->cnext)
        if (!strcmp(w->path, path) && !strcmp(w->token, token))
            return -EEXIST;
    d = domain_get(x, c->domid, true);
    if (!d)
        return -ENOMEM;
    /* As in Xen, whose check comes before its count: one more than the quota. */
    if (q->watches && d->watches > q->watches)
        return -E2BIG;
    w = calloc(1, sizeof(*w) + plen + 1);
    if (!w || !(w->token = strdup(token))) {
        free(w);
        return -ENOMEM;
    }
    memcpy(w->path, path, plen + 1);
    w->plen = plen;
    w->rel_off = rel_off;
    w->c = c;
    w->hash = whash(path, plen);
    b = &x->watches.buckets[w->hash & (x->watches.nbuckets - 1)];
    w->hnext = *b;
    *b = w;
    w->cnext = c->watches;
    c->watches = w;
    x->watches.count++;
    d->watches++;
    return 0;
}

int watch_del(struct xsd *x, struct conn *c, const char *path, const char *token)
{
    for (struct watch **pp = &c->watches; *pp; pp = &(*pp)->cnext) {
        struct watch *w = *pp;

        if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
            *pp = w->cnext;
            watch_unhash(x, w);
            watch_free(x, w);
            return 0;
        }
    }
    return -ENOENT;
}

void watch_del_all(struct xsd *x, struct conn *c)
{
    while (c->watches) {
        struct watch *w = c->watches;

        c->watches = w->cnext;
        watch_unhash(x, w);
        watch_free(x, w);
    }
}

int watch_send(struct xsd *x, struct watch *w, const char *path, size_t plen)
{
    (void)x;
    /* A relative watch reports paths relative to the domain's home. */
    if (path[0] == '/' && w->rel_off && plen > w->rel_off) {
        path += w->rel_off;
        plen -= w->rel_off;
    }
    return conn_queue(w->c, XS_WATCH_EVENT, 0, 0, path, plen + 1, w->token,
                      strlen(w->token) + 1, true);
}

/*
 * Who hears of a node: Xen tells a watcher that may read the node, or failing
 * that its parent (so a directory's reader learns of entries it cannot read).
 * NULL @perms: anyone (the special events check their own).
 */
struct audience {
    const struct xsd_perm *perms;
    unsigned np;
    const struct node_perms *parent;
    const struct node_perms *before; /* SET_PERMS: the node's permissions before */
};

static bool may_read(struct xsd *x, const struct conn *c, const struct node_perms *p)
{
    return p && perms_allow(x, c, p->p, p->n, XS_PERM_READ) == 0;
}

static bool hears(struct xsd *x, const struct conn *c, const struct audience *a)
{
    return !a->perms || perms_allow(x, c, a->perms, a->np, XS_PERM_READ) == 0 ||
           may_read(x, c, a->parent) || may_read(x, c, a->before);
}

XSD_HOT static void fire_exact(struct xsd *x, const char *key, size_t klen, const char *path,
                               size_t plen, const struct audience *a)
{
    uint32_t h = whash(key, klen);

    for (struct watch *w = x->watches.buckets[h & (x->watches.nbuckets - 1)]; w; w = w->hnext) {
        if (w->hash != h || w->plen != klen || memcmp(w->path, key, klen))
            continue;
        if (hears(x, w->c, a))
            watch_send(x, w, path, plen);
    }
}

static void fire(struct xsd *x, const char *path, size_t plen, struct audience *a, bool exact)
{
    const struct node *parent;

    if (!x->watches.count)
        return;
    parent = plen > 1 ? node_table_find(&x->tree, path, path_parent_len(path, plen)) : NULL;
    a->parent = parent ? parent->perms : NULL;
    if (exact) {
        fire_exact(x, path, plen, path, plen, a);
        return;
    }
    /* The node itself and every ancestor, "/" included. */
    fire_exact(x, "/", 1, path, plen, a);
    for (size_t i = 2; i <= plen; i++)
        if (i == plen || path[i] == '/')
            fire_exact(x, path, i, path, plen, a);
}

XSD_HOT void watch_fire(struct xsd *x, const char *path, size_t plen, const struct xsd_perm *perms,
                        unsigned nperms, bool exact)
{
    struct audience a = {perms, nperms, NULL, NULL};

    fire(x, path, plen, &a, exact);
}

void watch_fire_since(struct xsd *x, const char *path, size_t plen, const struct node_perms *now,
                      const struct node_perms *before, bool exact)
{
    struct audience a = {now->p, now->n, NULL, before};

    fire(x, path, plen, &a, exact);
}

static struct special_perms *special_perms(struct xsd *x, const char *name)
{
    if (!strcmp(name, "@introduceDomain"))
        return &x->watches.introduce;
    if (!strcmp(name, "@releaseDomain"))
        return &x->watches.release;
    return NULL;
}

/* Xen's default: owned by domain 0, nobody else hears. */
static const struct xsd_perm special_default = {0, XS_PERM_NONE};

void watch_fire_special(struct xsd *x, const char *name)
{
    const struct special_perms *sp = special_perms(x, name);
    struct audience a = {sp && sp->p ? sp->p : &special_default, sp && sp->p ? sp->n : 1, NULL,
                         NULL};

    fire_exact(x, name, strlen(name), name, strlen(name), &a);
}

void watch_special_forget(struct xsd *x, unsigned domid)
{
    perms_forget(x->watches.introduce.p, x->watches.introduce.n, domid);
    perms_forget(x->watches.release.p, x->watches.release.n, domid);
}

int watch_special_set_perms(struct xsd *x, const struct conn *c, const char *name,
                            struct xsd_perm **p, unsigned np)
{
    struct special_perms *sp = special_perms(x, name);
    const struct xsd_perm *cur;

    if (!sp)
        return -EINVAL;
    cur = sp->p ? sp->p : &special_default;
    if (!c->privileged && c->domid != cur[0].domid)
        return -EACCES;
    free(sp->p);
    sp->p = *p;
    sp->n = np;
    *p = NULL;
    return 0;
}
