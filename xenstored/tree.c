// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nodes and the hash table that holds them, keyed by absolute path. A node
 * keeps its children as the packed list of leaf names that DIRECTORY returns,
 * so a listing is one copy and the tree needs no parent pointers: a
 * transaction's commit can swap records path by path in any order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

static uint32_t path_hash(const char *p, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

int node_table_init(struct node_table *t, size_t nbuckets)
{
    t->nbuckets = nbuckets;
    t->count = 0;
    t->buckets = calloc(nbuckets, sizeof(*t->buckets));
    return t->buckets ? 0 : -ENOMEM;
}

void node_table_free(struct node_table *t)
{
    for (size_t i = 0; i < t->nbuckets && t->buckets; i++) {
        struct node *n = t->buckets[i], *next;

        for (; n; n = next) {
            next = n->hnext;
            node_free(n);
        }
    }
    free(t->buckets);
    t->buckets = NULL;
    t->count = t->nbuckets = 0;
}

struct node *node_table_find(const struct node_table *t, const char *path, size_t plen)
{
    uint32_t h = path_hash(path, plen);

    for (struct node *n = t->buckets[h & (t->nbuckets - 1)]; n; n = n->hnext)
        if (n->hash == h && n->plen == plen && !memcmp(n->path, path, plen))
            return n;
    return NULL;
}

static void node_table_grow(struct node_table *t)
{
    size_t nb = t->nbuckets * 2;
    struct node **b = calloc(nb, sizeof(*b));

    if (!b)
        return; /* keep the longer chains; still correct */
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct node *n = t->buckets[i], *next;

        for (; n; n = next) {
            next = n->hnext;
            n->hnext = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

int node_table_insert(struct node_table *t, struct node *n)
{
    struct node **b;

    if (t->count >= t->nbuckets)
        node_table_grow(t);
    n->hash = path_hash(n->path, n->plen);
    b = &t->buckets[n->hash & (t->nbuckets - 1)];
    n->hnext = *b;
    *b = n;
    t->count++;
    return 0;
}

void node_table_remove(struct node_table *t, struct node *n)
{
    struct node **pp = &t->buckets[n->hash & (t->nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext) {
        if (*pp == n) {
            *pp = n->hnext;
            t->count--;
            return;
        }
    }
}

struct node *node_new(const char *path, size_t plen)
{
    struct node *n = calloc(1, sizeof(*n) + plen + 1);

    if (!n)
        return NULL;
    memcpy(n->path, path, plen);
    n->plen = plen;
    return n;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    free(n->perms);
    free(n->value);
    free(n->children);
    free(n);
}

static void *dup_mem(const void *p, size_t len)
{
    void *r;

    if (!p)
        return NULL;
    r = malloc(len ? len : 1);
    if (r)
        memcpy(r, p, len);
    return r;
}

struct node *node_clone(const struct node *o)
{
    struct node *n = node_new(o->path, o->plen);

    if (!n)
        return NULL;
    n->kind = o->kind;
    n->gen = o->gen;
    n->nperms = o->nperms;
    n->vlen = o->vlen;
    n->clen = n->ccap = o->clen;
    n->perms = dup_mem(o->perms, o->nperms * sizeof(*o->perms));
    n->value = dup_mem(o->value, o->vlen);
    n->children = dup_mem(o->children, o->clen);
    if ((o->perms && !n->perms) || (o->value && !n->value) || (o->children && !n->children)) {
        node_free(n);
        return NULL;
    }
    return n;
}

int node_set_value(struct node *n, const void *val, size_t len)
{
    char *v = malloc(len ? len : 1);

    if (!v)
        return -ENOMEM;
    if (len)
        memcpy(v, val, len);
    free(n->value);
    n->value = v;
    n->vlen = len;
    return 0;
}

int node_set_perms(struct node *n, const struct xsd_perm *p, unsigned np)
{
    struct xsd_perm *c = malloc(np * sizeof(*c));

    if (!c)
        return -ENOMEM;
    memcpy(c, p, np * sizeof(*c));
    free(n->perms);
    n->perms = c;
    n->nperms = np;
    return 0;
}

int node_add_child(struct node *n, const char *name, size_t len)
{
    if (n->clen + len + 1 > n->ccap) {
        size_t cap = n->ccap ? n->ccap * 2 : 32;
        char *c;

        while (cap < n->clen + len + 1)
            cap *= 2;
        c = realloc(n->children, cap);
        if (!c)
            return -ENOMEM;
        n->children = c;
        n->ccap = cap;
    }
    memcpy(n->children + n->clen, name, len);
    n->children[n->clen + len] = '\0';
    n->clen += len + 1;
    return 0;
}

void node_del_child(struct node *n, const char *name, size_t len)
{
    size_t off = 0;

    while (off < n->clen) {
        size_t l = strlen(n->children + off);

        if (l == len && !memcmp(n->children + off, name, len)) {
            memmove(n->children + off, n->children + off + l + 1, n->clen - off - l - 1);
            n->clen -= l + 1;
            return;
        }
        off += l + 1;
    }
}

/* "<r|w|b|n><domid>" strings, NUL-terminated, back to back. */
int perms_parse(const char *buf, size_t len, struct xsd_perm **out, unsigned *np)
{
    unsigned count = 0, i = 0;
    struct xsd_perm *p;

    for (size_t k = 0; k < len; k++)
        count += buf[k] == '\0';
    if (!count || buf[len - 1] != '\0')
        return -EINVAL;
    p = calloc(count, sizeof(*p));
    if (!p)
        return -ENOMEM;
    for (const char *s = buf; s < buf + len; s += strlen(s) + 1, i++) {
        unsigned long id;
        char *end;

        switch (s[0]) {
        case 'n': p[i].access = XS_PERM_NONE; break;
        case 'r': p[i].access = XS_PERM_READ; break;
        case 'w': p[i].access = XS_PERM_WRITE; break;
        case 'b': p[i].access = XS_PERM_BOTH; break;
        default: goto bad;
        }
        if (s[1] < '0' || s[1] > '9')
            goto bad;
        errno = 0;
        id = strtoul(s + 1, &end, 10);
        if (errno || *end || id >= 65536)
            goto bad;
        p[i].domid = id;
    }
    *out = p;
    *np = count;
    return 0;
bad:
    free(p);
    return -EINVAL;
}

int perm_format(const struct xsd_perm *p, char *buf, size_t len)
{
    static const char letter[] = "nrwb";

    return snprintf(buf, len, "%c%u", letter[p->access & 3], p->domid);
}

/* Xen's node names: [A-Za-z0-9_/@-], no empty components, no trailing '/'. */
bool path_is_valid(const char *p, size_t len)
{
    if (!len || p[0] != '/')
        return false;
    if (len == 1)
        return true;
    if (p[len - 1] == '/')
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];

        if (ch == '/' && i && p[i - 1] == '/')
            return false;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '/' || ch == '@'))
            return false;
    }
    return true;
}

size_t path_parent_len(const char *p, size_t len)
{
    while (len > 1 && p[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}
