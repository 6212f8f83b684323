// SPDX-License-Identifier: GPL-2.0-only
/*
 * XS_CONTROL: check, log, quota and help. Privileged connections only (the
 * dispatcher enforces it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

struct out {
    char *buf;
    size_t len, max;
};

static void outf(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len >= o->max)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, o->max - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n < o->max - o->len ? (size_t)n : o->max - o->len - 1;
}

static bool has_child(const struct node *p, const char *name, size_t len)
{
    const char *kids = node_children(p);

    for (size_t off = 0; off < node_clen(p); off += strlen(kids + off) + 1)
        if (strlen(kids + off) == len && !memcmp(kids + off, name, len))
            return true;
    return false;
}

/* Tree consistency: links both ways and per-owner node counts. */
static int control_check(struct xsd *x, struct out *o)
{
    unsigned bad = 0;

    for (unsigned p = 0; p < 256; p++)
        for (unsigned i = 0; x->domains[p] && i < 256; i++)
            if (x->domains[p][i])
                x->domains[p][i]->checked = 0;
    for (size_t b = 0; b < x->tree.nbuckets; b++)
        for (const struct node *n = x->tree.buckets[b]; n; n = n->hnext) {
            size_t pl = path_parent_len(n->path, n->plen);
            size_t leaf = pl == 1 ? 1 : pl + 1;
            struct domain *owner = domain_get(x, node_owner(n), false);
            const char *kids = node_children(n);
            const struct node *p;
            char child[XS_ABS_PATH_MAX + 2];

            if (owner)
                owner->checked++;
            else
                outf(o, "unaccounted owner of %s\n", n->path), bad++;
            for (size_t off = 0; off < node_clen(n); off += strlen(kids + off) + 1) {
                int l = snprintf(child, sizeof(child), "%s/%s", n->plen == 1 ? "" : n->path,
                                 kids + off);

                if (l < 0 || (size_t)l >= sizeof(child) || !node_table_find(&x->tree, child, l)) {
                    outf(o, "missing child %s\n", child);
                    bad++;
                }
            }
            if (n->plen == 1)
                continue;
            p = node_table_find(&x->tree, n->path, pl);
            if (!p || !has_child(p, n->path + leaf, n->plen - leaf)) {
                outf(o, "orphan %s\n", n->path);
                bad++;
            }
        }
    for (unsigned p = 0; p < 256; p++)
        for (unsigned i = 0; x->domains[p] && i < 256; i++) {
            const struct domain *d = x->domains[p][i];

            if (d && d->checked != d->nodes) {
                outf(o, "domain %u owns %u nodes, accounted %u\n", d->domid, d->checked, d->nodes);
                bad++;
            }
        }
    if (!bad)
        outf(o, "OK");
    return 0;
}

static int control_quota(struct xsd *x, unsigned argc, const char **argv, struct out *o)
{
    unsigned long v;

    if (argc == 1) {
        for (unsigned i = 0; xsd_quota_names[i]; i++) {
            xsd_quota_get(&x->cfg.domu, xsd_quota_names[i], &v);
            outf(o, "%-14s %lu\n", xsd_quota_names[i], v);
        }
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "set")) {
        char *end;

        errno = 0;
        v = strtoul(argv[3], &end, 10);
        if (errno || *end || !*argv[3])
            return -EINVAL;
        if (xsd_quota_set(&x->cfg.domu, argv[2], v) < 0)
            return -EINVAL;
        outf(o, "OK");
        return 0;
    }
    if (argc == 2) {
        char *end;
        unsigned long id = strtoul(argv[1], &end, 10);
        struct domain *d;

        if (*end || !*argv[1] || id >= 65536)
            return -EINVAL;
        d = domain_get(x, id, false);
        if (!d)
            return -ENOENT;
        outf(o, "nodes %u\nwatches %u\nconnections %u\n", d->nodes, d->watches, d->nconns);
        return 0;
    }
    return -EINVAL;
}

int xsd_control(struct xsd *x, struct conn *c, const char *payload, size_t len, char *out,
                size_t outmax, size_t *outlen)
{
    const char *argv[8];
    unsigned argc = 0;
    struct out o = {out, 0, outmax};
    int r = -EINVAL;

    (void)c;
    out[0] = '\0';
    for (size_t off = 0; off < len && argc < 8;) {
        const char *z = memchr(payload + off, '\0', len - off);

        if (!z)
            return -EINVAL;
        argv[argc++] = payload + off;
        off = z - payload + 1;
    }
    if (!argc)
        return -EINVAL;
    if (!strcmp(argv[0], "check")) {
        r = control_check(x, &o);
    } else if (!strcmp(argv[0], "log")) {
        if (argc == 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
            x->log = argv[1][1] == 'n';
            outf(&o, "OK");
            r = 0;
        }
    } else if (!strcmp(argv[0], "quota")) {
        r = control_quota(x, argc, argv, &o);
    } else if (!strcmp(argv[0], "help")) {
        outf(&o, "check\nlog on|off\nquota [set <name> <value>|<domid>]\nhelp\n");
        r = 0;
    }
    if (r == 0)
        *outlen = o.len + 1; /* with the NUL */
    return r;
}
