// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nodes and the hash table that holds them, keyed by absolute path. A node
 * keeps its children as the packed list of leaf names that DIRECTORY returns,
 * so a listing is one copy and the tree needs no parent pointers: a
 * transaction's commit can swap records path by path in any order.
 *
 * Memory: a node is one block (header, path, value); its permissions are a
 * set shared with the nodes that have the same (a new node takes its
 * parent's); only nodes with children have a children block. Blocks come
 * from size classes 8 bytes apart carved out of large chunks, so a node costs
 * its size rounded up to 8 bytes and no allocator header. Freed blocks stay
 * in their class for the next node of that size, never returned to the
 * system. Not thread-safe: a daemon is one thread. Under AddressSanitizer
 * every block is its own malloc, so overruns are still caught.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xsd.h"

#if defined(__SANITIZE_ADDRESS__)
#define NODE_MEM_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NODE_MEM_MALLOC 1
#endif
#endif

#define MEM_GRAIN 8u
#define MEM_CLASSES 64u                 /* blocks up to 512 bytes; bigger ones are malloc's */
#define MEM_CHUNK (64u * 1024)

#ifndef NODE_MEM_MALLOC
static size_t mem_round(size_t size)
{
    return (size + MEM_GRAIN - 1) & ~(size_t)(MEM_GRAIN - 1);
}

static struct {
    void *free[MEM_CLASSES + 1]; /* by size / MEM_GRAIN; linked through their first word */
    char *cur, *end;             /* the chunk being carved */
} mem;

static void mem_free(void *p, size_t size)
{
    size_t k = mem_round(size) / MEM_GRAIN;

    if (!p)
        return;
    if (k > MEM_CLASSES) {
        free(p);
        return;
    }
    *(void **)p = mem.free[k];
    mem.free[k] = p;
}

static void *mem_alloc(size_t size)
{
    size_t k = mem_round(size) / MEM_GRAIN;
    void *p;

    if (k > MEM_CLASSES)
        return malloc(size);
    if (mem.free[k]) {
        p = mem.free[k];
        mem.free[k] = *(void **)p;
        return p;
    }
    if ((size_t)(mem.end - mem.cur) < k * MEM_GRAIN) {
        char *c = malloc(MEM_CHUNK);

        if (!c)
            return NULL;
        /* The old chunk's tail (smaller than any class's block) joins its class. */
        if (mem.end - mem.cur >= (ptrdiff_t)MEM_GRAIN)
            mem_free(mem.cur, mem.end - mem.cur);
        mem.cur = c;
        mem.end = c + MEM_CHUNK;
    }
    p = mem.cur;
    mem.cur += k * MEM_GRAIN;
    return p;
}

/* The same block while the size class does not change. */
static void *mem_resize(void *p, size_t old, size_t size)
{
    const size_t big = MEM_CLASSES * MEM_GRAIN;
    void *n;

    if (old > big && size > big)
        return realloc(p, size);
    if (mem_round(old) == mem_round(size))
        return p;
    n = mem_alloc(size);
    if (!n)
        return NULL;
    memcpy(n, p, old < size ? old : size);
    mem_free(p, old);
    return n;
}
#else
static void mem_free(void *p, size_t size)
{
    (void)size;
    free(p);
}

static void *mem_alloc(size_t size)
{
    return malloc(size);
}

static void *mem_resize(void *p, size_t old, size_t size)
{
    (void)old;
    return realloc(p, size);
}
#endif

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

XSD_HOT struct node *node_table_find(const struct node_table *t, const char *path, size_t plen)
{
    uint32_t h = path_hash(path, plen);

    for (struct node *n = t->buckets[h & (t->nbuckets - 1)]; n; n = n->hnext)
        if (n->hash == h && n->plen == plen && bytes_eq(n->path, path, plen))
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

/* Two nodes per bucket on average: chains stay short, the array half the size. */
int node_table_insert(struct node_table *t, struct node *n)
{
    struct node **b;

    if (t->count >= 2 * t->nbuckets)
        node_table_grow(t);
    n->hash = path_hash(n->path, n->plen);
    b = &t->buckets[n->hash & (t->nbuckets - 1)];
    n->hnext = *b;
    *b = n;
    t->count++;
    return 0;
}

static struct node **node_table_link(struct node_table *t, const struct node *n)
{
    struct node **pp = &t->buckets[n->hash & (t->nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext)
        if (*pp == n)
            return pp;
    return NULL;
}

void node_table_remove(struct node_table *t, struct node *n)
{
    struct node **pp = node_table_link(t, n);

    if (pp) {
        *pp = n->hnext;
        t->count--;
    }
}

static size_t node_bytes(size_t plen, size_t vlen)
{
    return offsetof(struct node, path) + plen + 1 + vlen;
}

static size_t kids_bytes(size_t cap)
{
    return offsetof(struct node_kids, names) + cap;
}

struct node *node_new(const char *path, size_t plen)
{
    struct node *n;

    if (plen > UINT16_MAX)
        return NULL;
    n = mem_alloc(node_bytes(plen, 0));
    if (!n)
        return NULL;
    memset(n, 0, offsetof(struct node, path));
    memcpy(n->path, path, plen);
    n->path[plen] = '\0';
    n->plen = plen;
    return n;
}

static void kids_free(struct node_kids *k)
{
    if (k)
        mem_free(k, kids_bytes(k->cap));
}

void node_drop_children(struct node *n)
{
    kids_free(n->kids);
    n->kids = NULL;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    perms_put(n->perms);
    kids_free(n->kids);
    mem_free(n, node_bytes(n->plen, n->vlen));
}

struct node *node_clone(const struct node *o)
{
    size_t size = node_bytes(o->plen, o->vlen);
    struct node *n = mem_alloc(size);

    if (!n)
        return NULL;
    memcpy(n, o, size);
    n->hnext = NULL;
    n->fire = 0;
    n->kids = NULL;
    if (o->kids && o->kids->len) {
        n->kids = mem_alloc(kids_bytes(o->kids->len));
        if (!n->kids) {
            mem_free(n, size);
            return NULL;
        }
        n->kids->len = n->kids->cap = o->kids->len;
        memcpy(n->kids->names, o->kids->names, o->kids->len);
    }
    if (n->perms)
        n->perms->refs++;
    return n;
}

int node_set_value(struct node_table *t, struct node **np, const void *val, size_t len)
{
    struct node *n = *np, **link = NULL;

    if (len > UINT16_MAX)
        return -E2BIG;
    if (len != n->vlen) {
        if (t)
            link = node_table_link(t, n);
        n = mem_resize(n, node_bytes(n->plen, n->vlen), node_bytes(n->plen, len));
        if (!n)
            return -ENOMEM;
        if (link)
            *link = n;
        *np = n;
    }
    if (len)
        memcpy(n->path + n->plen + 1, val, len);
    n->vlen = len;
    return 0;
}

struct node_perms *perms_new(const struct xsd_perm *p, unsigned np)
{
    struct node_perms *s;

    if (!np || np > UINT16_MAX)
        return NULL;
    s = malloc(sizeof(*s) + np * sizeof(*p));
    if (!s)
        return NULL;
    s->refs = 1;
    s->n = np;
    memcpy(s->p, p, np * sizeof(*p));
    return s;
}

void perms_put(struct node_perms *p)
{
    if (p && !--p->refs)
        free(p);
}

void perms_forget(struct xsd_perm *p, unsigned n, unsigned domid)
{
    for (unsigned i = 1; i < n; i++)
        if (p[i].domid == domid)
            p[i].access |= XSD_PERM_IGNORE;
}

void node_share_perms(struct node *n, struct node_perms *p)
{
    p->refs++;
    perms_put(n->perms);
    n->perms = p;
}

int node_set_perms(struct node *n, const struct xsd_perm *p, unsigned np)
{
    struct node_perms *s = perms_new(p, np);

    if (!s)
        return -ENOMEM;
    perms_put(n->perms);
    n->perms = s;
    return 0;
}

int node_add_child(struct node *n, const char *name, size_t len)
{
    struct node_kids *k = n->kids;
    size_t have = k ? k->len : 0;

    if (!k || have + len + 1 > k->cap) {
        size_t cap = k ? k->cap * 2 : 16;

        while (cap < have + len + 1)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -ENOMEM;
        k = k ? mem_resize(k, kids_bytes(k->cap), kids_bytes(cap)) : mem_alloc(kids_bytes(cap));
        if (!k)
            return -ENOMEM;
        k->len = have;
        k->cap = cap;
        n->kids = k;
    }
    memcpy(k->names + k->len, name, len);
    k->names[k->len + len] = '\0';
    k->len += len + 1;
    return 0;
}

void node_del_child(struct node *n, const char *name, size_t len)
{
    struct node_kids *k = n->kids;
    size_t off = 0;

    while (k && off < k->len) {
        size_t l = strlen(k->names + off);

        if (l == len && !memcmp(k->names + off, name, len)) {
            memmove(k->names + off, k->names + off + l + 1, k->len - off - l - 1);
            k->len -= l + 1;
            if (!k->len) {
                kids_free(k);
                n->kids = NULL;
            }
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

/* [A-Za-z0-9_/@-] as a bitmap of the 128 ASCII codes: no table to load. */
static bool path_char(unsigned char ch)
{
    static const uint64_t low = 0x3ffa00000000000ull;   /* codes 0-63 */
    static const uint64_t high = 0x7fffffe87ffffffull; /* codes 64-127 */

    return ch < 64 ? low >> ch & 1 : ch < 128 && high >> (ch - 64) & 1;
}

/* Xen's node names: [A-Za-z0-9_/@-], no empty components, no trailing '/'. */
XSD_HOT bool path_is_valid(const char *p, size_t len)
{
    if (!len || p[0] != '/')
        return false;
    if (len == 1)
        return true;
    if (p[len - 1] == '/')
        return false;
    for (size_t i = 1; i < len; i++)
        if (!path_char(p[i]) || (p[i] == '/' && p[i - 1] == '/'))
            return false;
    return true;
}

size_t path_parent_len(const char *p, size_t len)
{
    while (len > 1 && p[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}
