// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains: what xenstored knows of each guest (its ring, its quota usage),
 * introduction and release, and the quota settings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd.h"

const char *const xsd_quota_names[] = {
    "nodes", "watches", "transactions", "node-size", "outstanding", "perms", "txn-nodes", NULL,
};

static unsigned *quota_field(struct xsd_quota *q, const char *name)
{
    unsigned *f[] = {&q->nodes,       &q->watches, &q->transactions, &q->node_size,
                     &q->outstanding, &q->perms,   &q->txn_nodes};

    for (unsigned i = 0; xsd_quota_names[i]; i++)
        if (!strcmp(name, xsd_quota_names[i]))
            return f[i];
    return NULL;
}

int xsd_quota_set(struct xsd_quota *q, const char *name, unsigned long val)
{
    unsigned *f = quota_field(q, name);

    if (!f || val > 0xffffffffUL)
        return -EINVAL;
    *f = val;
    return 0;
}

int xsd_quota_get(const struct xsd_quota *q, const char *name, unsigned long *val)
{
    unsigned *f = quota_field((struct xsd_quota *)q, name);

    if (!f)
        return -EINVAL;
    *val = *f;
    return 0;
}

/* Xen's defaults for guests; Dom0 is unlimited unless told otherwise. */
void xsd_config_default(struct xsd_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->domu.nodes = 1000;
    cfg->domu.watches = 128;
    cfg->domu.transactions = 10;
    cfg->domu.node_size = 2048;
    cfg->domu.outstanding = 20;
    cfg->domu.perms = 5;
    cfg->domu.txn_nodes = 1024;
    cfg->out_max = 1024 * 1024;
}

struct domain *domain_get(struct xsd *x, unsigned domid, bool create)
{
    struct domain *d;

    struct domain ***page;

    if (domid >= 65536)
        return NULL;
    page = &x->domains[domid >> 8];
    d = *page ? (*page)[domid & 255] : NULL;
    if (d || !create)
        return d;
    if (!*page && !(*page = calloc(256, sizeof(**page))))
        return NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    (*page)[domid & 255] = d;
    return d;
}

void domain_free_all(struct xsd *x)
{
    for (unsigned p = 0; p < 256; p++) {
        for (unsigned i = 0; x->domains[p] && i < 256; i++)
            free(x->domains[p][i]);
        free(x->domains[p]);
        x->domains[p] = NULL;
    }
}

/* Forget a domain record once nothing refers to it any more. */
void domain_put(struct xsd *x, struct domain *d)
{
    if (d && !d->introduced && !d->nodes && !d->watches && !d->nconns && !d->ring) {
        x->domains[d->domid >> 8][d->domid & 255] = NULL;
        free(d);
    }
}

XSD_HOT const struct xsd_quota *domain_quota(struct xsd *x, unsigned domid)
{
    return domid == 0 ? &x->cfg.dom0 : &x->cfg.domu;
}

XSD_HOT void domain_account(struct xsd *x, unsigned domid, int delta)
{
    struct domain *d = domain_get(x, domid, delta > 0);

    if (!d)
        return;
    if (delta < 0 && (unsigned)-delta > d->nodes)
        d->nodes = 0;
    else
        d->nodes += delta;
    domain_put(x, d);
}

int domain_introduce(struct xsd *x, unsigned domid, unsigned long mfn, uint32_t port)
{
    struct domain *d;
    int r = 0;

    if (domid == 0 || domid >= XSD_DOMID_MAX)
        return -EINVAL;
    d = domain_get(x, domid, true);
    if (!d)
        return -ENOMEM;
    if (d->introduced)
        return 0; /* idempotent, as toolstacks retry */
    d->mfn = mfn;
    d->port = port;
    /* Without Xen devices (a host test) the domain is known but has no ring. */
    if (x->map_ring)
        r = x->map_ring(x, d);
    if (r < 0) {
        domain_put(x, d);
        return r;
    }
    d->introduced = true;
    d->shutdown = false;
    watch_fire_special(x, "@introduceDomain");
    return 0;
}

/*
 * Cut an introduced domain off: its ring connection is dead from now on
 * (conn_queue refuses it, the event loop never reads or writes it again and
 * frees it, which unbinds the port and unmaps the page). May free d.
 */
static int domain_disconnect(struct xsd *x, struct domain *d)
{
    /* Before it stops being introduced, which may free d with its last node.
     * Fails only out of memory, leaving some of its nodes. */
    int r = tree_forget_domain(x, d->domid);

    watch_special_forget(x, d->domid);

    d->introduced = false;
    d->has_target = false;
    if (d->ring) {
        struct conn *c = d->ring;

        d->ring = NULL;
        c->dead = true;
        if (x->conn_changed)
            x->conn_changed(x, c);
    }
    domain_put(x, d);
    return r;
}

int domain_release(struct xsd *x, unsigned domid)
{
    struct domain *d = domain_get(x, domid, false);
    int r;

    if (domid == 0)
        return -EINVAL;
    if (!d || !d->introduced)
        return -ENOENT;
    r = domain_disconnect(x, d);
    watch_fire_special(x, "@releaseDomain");
    return r;
}

bool domain_exists(struct xsd *x, unsigned domid)
{
    const struct domain *d = domain_get(x, domid, false);
    int state;

    if (domid == 0 || (d && d->introduced))
        return true;
    if (!x->domain_state)
        return d != NULL; /* no hypervisor to ask: what this daemon knows */
    state = x->domain_state(x, domid);
    return state >= 0 && state != XSD_DOM_GONE;
}

/*
 * New permissions, as Xen 4.17 takes them: the owner must exist (ENOENT);
 * entries for domains that do not are kept but marked never to match.
 */
int domain_check_perms(struct xsd *x, struct xsd_perm *p, unsigned np)
{
    if (!domain_exists(x, p[0].domid))
        return -ENOENT;
    for (unsigned i = 1; i < np; i++)
        if (!domain_exists(x, p[i].domid))
            p[i].access |= XSD_PERM_IGNORE;
    return 0;
}

void domain_release_dead(struct xsd *x, struct domain_sweep *s)
{
    memset(s, 0, sizeof(*s));
    if (!x->domain_state)
        return;
    for (unsigned p = 0; p < 256; p++) {
        for (unsigned i = 0; x->domains[p] && i < 256; i++) {
            struct domain *d = x->domains[p][i];
            int r;

            if (!d || !d->introduced)
                continue;
            r = x->domain_state(x, d->domid);
            if (r < 0 && !s->failed++) {
                s->err = r;
                s->err_domid = d->domid;
            }
            if (r == XSD_DOM_SHUTDOWN && !d->shutdown) {
                d->shutdown = true;
                s->shut_down++;
            }
            if (r != XSD_DOM_GONE)
                continue;
            if (s->released < sizeof(s->ids) / sizeof(s->ids[0]))
                s->ids[s->released] = d->domid;
            s->released++;
            /* d may be gone; its page of x->domains stays. Out of memory,
             * some of its nodes stay too, owned by an id nobody has now. */
            domain_disconnect(x, d);
        }
    }
    /* One event for the lot, as Xen fires it: watchers look at every domain anyway. */
    if (s->released || s->shut_down)
        watch_fire_special(x, "@releaseDomain");
}
