// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenon-introduce: hand the boot domains' xenstore rings to xenstored, in
 * domain 0, once xenstored runs (the part of Xen's init-dom0less Xenon
 * needs; the hypervisor has already set up each ring page, its grant and
 * its event channel).
 *
 *   xenon-introduce           every running domain but 0 that has a ring and
 *                             is not introduced yet: its home in the tree,
 *                             then XS_INTRODUCE
 *   xenon-introduce --reap    for each home under /local/domain whose domain
 *                             is dying or gone: release it if xenstored has
 *                             not already (it does so itself on
 *                             VIRQ_DOM_EXC, removing what the domain owned,
 *                             its home included), then remove the home; a
 *                             domain merely shut down may be resumed and is
 *                             left
 *   xenon-introduce --reap --follow
 *                             the same now and again each time
 *                             @releaseDomain fires; runs until killed
 *
 * One line per domain on stdout ("d1: introduced ..."); errors on stderr.
 * The ring's frame and port come from HVM_PARAM_STORE_PFN and
 * HVM_PARAM_STORE_EVTCHN (HVMOP_get_param through privcmd); xenstored maps
 * the page through the reserved grant, so the frame is informational.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenon/xs.h>
#include "xc.h"
#include <public/hvm/params.h>
#include <public/xen.h>

#define LOCAL_DOMAIN "/local/domain"

struct ctx {
    struct xc *xc;
    struct xs_handle *xs;
    unsigned failed; /* the domain an error is about, 0 if none */
};

static int write_node(struct xs_handle *xs, xs_transaction_t t, const char *path, const char *val,
                      const struct xs_permission *perms, unsigned nperms)
{
    int r = xs_write(xs, t, path, val, strlen(val));

    return r < 0 ? r : xs_set_perms(xs, t, path, perms, nperms);
}

/*
 * The domain's home is its own (it creates what it likes below it, e.g.
 * control/ and data/; domain 0 may read it); what the toolstack says about
 * it (name, id, which vCPUs are online) it may read but not change.
 */
static int write_home_once(struct xs_handle *xs, unsigned domid, unsigned nr_vcpus)
{
    const struct xs_permission home[] = {{domid, XS_PERM_NONE}, {0, XS_PERM_READ}};
    const struct xs_permission ro[] = {{0, XS_PERM_NONE}, {domid, XS_PERM_READ}};
    char path[64], val[16];
    xs_transaction_t t;
    int r, e;

    r = xs_transaction_start(xs, &t);
    if (r < 0)
        return r;
    snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u", domid);
    r = write_node(xs, t, path, "", home, 2);
    snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u/name", domid);
    snprintf(val, sizeof(val), "d%u", domid);
    if (r >= 0)
        r = write_node(xs, t, path, val, ro, 2);
    snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u/domid", domid);
    snprintf(val, sizeof(val), "%u", domid);
    if (r >= 0)
        r = write_node(xs, t, path, val, ro, 2);
    /* Linux reads cpu/N/availability for every vCPU when xenbus comes up. */
    for (unsigned i = 0; i < nr_vcpus && r >= 0; i++) {
        snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u/cpu", domid);
        r = write_node(xs, t, path, "", ro, 2);
        snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u/cpu/%u", domid, i);
        if (r >= 0)
            r = write_node(xs, t, path, "", ro, 2);
        snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u/cpu/%u/availability", domid, i);
        if (r >= 0)
            r = write_node(xs, t, path, "online", ro, 2);
    }
    e = xs_transaction_end(xs, t, r < 0);
    return r < 0 ? r : e;
}

static int write_home(struct xs_handle *xs, unsigned domid, unsigned nr_vcpus)
{
    int r;

    /* Another client may change the tree meanwhile: retry, a bounded number of times. */
    for (int tries = 0; tries < 8; tries++) {
        r = write_home_once(xs, domid, nr_vcpus);
        if (r != -EAGAIN)
            break;
    }
    return r;
}

/* 1 if introduced now, 0 if there was nothing to do, or a negative errno. */
static int introduce(struct ctx *c, const struct xen_domctl_getdomaininfo *info)
{
    unsigned domid = info->domain;
    uint64_t gfn, port;
    int r;

    r = xc_hvm_param_get(c->xc, domid, HVM_PARAM_STORE_PFN, &gfn);
    if (r == 0)
        r = xc_hvm_param_get(c->xc, domid, HVM_PARAM_STORE_EVTCHN, &port);
    if (r < 0)
        return r;
    if (!gfn || !port) {
        printf("d%u: no xenstore ring\n", domid);
        return 0;
    }
    r = xs_is_domain_introduced(c->xs, domid);
    if (r != 0)
        return r < 0 ? r : 0;
    r = write_home(c->xs, domid, info->max_vcpu_id + 1u);
    if (r < 0)
        return r;
    r = xs_introduce_domain(c->xs, domid, (unsigned long)gfn, (unsigned)port);
    if (r < 0)
        return r;
    printf("d%u: introduced (ring gfn %#llx, port %llu)\n", domid, (unsigned long long)gfn,
           (unsigned long long)port);
    return 1;
}

static bool is_alive(const struct xen_domctl_getdomaininfo *info)
{
    return !(info->flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown));
}

/* Every live domain but 0; the first error ends the walk. */
static int introduce_all(struct ctx *c)
{
    struct xen_domctl_getdomaininfo info;
    unsigned next = 1;
    int r;

    while (next < DOMID_FIRST_RESERVED &&
           (r = xc_domain_getinfo(c->xc, (domid_t)next, &info)) == 0) {
        next = info.domain + 1u;
        if (!is_alive(&info))
            continue;
        r = introduce(c, &info);
        if (r < 0) {
            c->failed = info.domain;
            return r;
        }
    }
    /* Past the last domain getdomaininfo says -ESRCH. */
    return r == -ESRCH ? 0 : r;
}

/*
 * 1 if the domain is dying or gone, 0 if it exists (a shut-down one may
 * still be resumed: xenstored keeps it, so do we), or a negative errno.
 */
static int domain_gone(struct ctx *c, unsigned domid)
{
    struct xen_domctl_getdomaininfo info;
    int r = xc_domain_getinfo(c->xc, (domid_t)domid, &info);

    if (r == -ESRCH)
        return 1;
    if (r < 0)
        return r;
    return info.domain != domid || (info.flags & XEN_DOMINF_dying);
}

/*
 * 1 if a dead domain's home was removed, 0 if the domain lives, or a
 * negative errno. xenstored may have released the domain already, or do so
 * between our question and our XS_RELEASE (ENOENT): either way it is
 * released, which is all we want of it.
 */
static int reap_one(struct ctx *c, unsigned domid)
{
    char path[64];
    bool released_here = false;
    int r = domain_gone(c, domid);

    if (r <= 0)
        return r;
    r = xs_is_domain_introduced(c->xs, domid);
    if (r < 0)
        return r;
    if (r == 1) {
        /* Release first: the ring must see nothing more, its page is gone with the domain. */
        r = xs_release_domain(c->xs, domid);
        if (r < 0 && r != -ENOENT)
            return r;
        released_here = r == 0;
    }
    snprintf(path, sizeof(path), LOCAL_DOMAIN "/%u", domid);
    r = xs_rm(c->xs, XS_TXN_NULL, path);
    if (r < 0 && r != -ENOENT)
        return r;
    if (released_here)
        printf("d%u: released\n", domid);
    else
        printf("d%u: home removed (not introduced: xenstored released it)\n", domid);
    return 1;
}

/* The homes under /local/domain name the domains xenstored may know. */
static int reap_all(struct ctx *c)
{
    char **names;
    int n = xs_directory(c->xs, XS_TXN_NULL, LOCAL_DOMAIN, &names), r = 0;

    if (n == -ENOENT)
        return 0;
    if (n < 0)
        return n;
    for (int i = 0; i < n && r >= 0; i++) {
        char *end;
        unsigned long domid = strtoul(names[i], &end, 10);

        if (*end || !domid || domid >= DOMID_FIRST_RESERVED)
            continue;
        r = reap_one(c, (unsigned)domid);
        if (r < 0)
            c->failed = (unsigned)domid;
    }
    free(names);
    return r < 0 ? r : 0;
}

/*
 * Reap on every @releaseDomain (the first event comes at once, when the
 * watch is set). A failed pass is reported and the next event retries;
 * only losing xenstored ends the loop.
 */
static int reap_follow(struct ctx *c)
{
    bool first = true;
    int r = xs_watch(c->xs, "@releaseDomain", "reap");

    if (r < 0)
        return r;
    for (;;) {
        char **vec;

        r = xs_read_watch(c->xs, &vec, true);
        if (r < 0)
            return r;
        free(vec);
        c->failed = 0;
        r = reap_all(c);
        if (r < 0 && c->failed)
            fprintf(stderr, "xenon-introduce: d%u: %s\n", c->failed, strerror(-r));
        else if (r < 0)
            fprintf(stderr, "xenon-introduce: %s\n", strerror(-r));
        if (first)
            printf("following @releaseDomain\n");
        first = false;
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    struct ctx c = {0};
    bool reap = argc >= 2 && !strcmp(argv[1], "--reap");
    bool follow = argc == 3 && reap && !strcmp(argv[2], "--follow");
    int r;

    if (argc > 3 || (argc == 2 && !reap) || (argc == 3 && !follow)) {
        fprintf(stderr, "usage: xenon-introduce [--reap [--follow]]\n");
        return 2;
    }
    r = xc_open(&c.xc);
    if (r < 0) {
        fprintf(stderr, "xenon-introduce: cannot open privcmd: %s\n", strerror(-r));
        return 1;
    }
    r = xs_open(&c.xs, NULL, XS_OPEN_SOCKETONLY);
    if (r < 0) {
        fprintf(stderr, "xenon-introduce: cannot reach xenstored: %s\n", strerror(-r));
        xc_close(c.xc);
        return 1;
    }
    if (follow)
        r = reap_follow(&c);
    else
        r = reap ? reap_all(&c) : introduce_all(&c);
    if (r < 0 && c.failed)
        fprintf(stderr, "xenon-introduce: d%u: %s\n", c.failed, strerror(-r));
    else if (r < 0)
        fprintf(stderr, "xenon-introduce: %s\n", strerror(-r));
    xs_close(c.xs);
    xc_close(c.xc);
    return r < 0 ? 1 : 0;
}
