// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of xenstored's core through its dispatcher: the tree,
 * permissions, watches, transactions, quotas and the message parser.
 * Run one group by name, or all of them.
 */
#include "harness.h"

static void test_tree(void)
{
    struct xsd x;
    struct conn *c, *g;
    struct msg m;
    uint32_t t;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    CHECK(req(&x, c, XS_WRITE, 0, S("/a/b/c\0hello"), &m) == XS_WRITE && !strcmp(m.body, "OK"));
    CHECK(m.len == 3);
    t = req(&x, c, XS_READ, 0, S("/a/b/c\0"), &m);
    CHECK(t == XS_READ && m.len == 5 && !memcmp(m.body, "hello", 5));
    /* implicit parents exist and are empty */
    t = req(&x, c, XS_READ, 0, S("/a/b\0"), &m);
    CHECK(t == XS_READ && m.len == 0);
    req(&x, c, XS_WRITE, 0, S("/a/z\0"), &m);
    t = req(&x, c, XS_DIRECTORY, 0, S("/a\0"), &m);
    CHECK(t == XS_DIRECTORY && m.len == 4 && !memcmp(m.body, "b\0z\0", 4));
    /* binary values survive */
    CHECK(req(&x, c, XS_WRITE, 0, S("/bin\0x\0y"), &m) == XS_WRITE);
    t = req(&x, c, XS_READ, 0, S("/bin\0"), &m);
    CHECK(t == XS_READ && m.len == 3 && !memcmp(m.body, "x\0y", 3));
    /* mkdir of an existing node is a no-op, keeps the value */
    CHECK(req(&x, c, XS_MKDIR, 0, S("/a/b/c\0"), &m) == XS_MKDIR);
    t = req(&x, c, XS_READ, 0, S("/a/b/c\0"), &m);
    CHECK(t == XS_READ && m.len == 5);
    /* rm is recursive; absent node with parent is OK; without parent ENOENT */
    CHECK(req(&x, c, XS_RM, 0, S("/a/b\0"), &m) == XS_RM);
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/a/b/c\0"), &m), &m, "ENOENT"));
    CHECK(req(&x, c, XS_RM, 0, S("/a/nothere\0"), &m) == XS_RM);
    CHECK(is_err(req(&x, c, XS_RM, 0, S("/nope/x\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_RM, 0, S("/\0"), &m), &m, "EINVAL"));
    t = req(&x, c, XS_DIRECTORY, 0, S("/a\0"), &m);
    CHECK(t == XS_DIRECTORY && m.len == 2 && !memcmp(m.body, "z\0", 2));
    /* invalid names */
    CHECK(is_err(req(&x, c, XS_WRITE, 0, S("/a//b\0v"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_WRITE, 0, S("/a/b/\0v"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_WRITE, 0, S("/a/b c\0v"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("\0"), &m), &m, "EINVAL"));
    {
        /* Xen's limit: 2048 bytes, not counting a "/local/domain/N/" prefix */
        char big[XS_ABS_PATH_MAX + 8];
        size_t home = strlen("/local/domain/12/");

        memset(big, 'a', sizeof(big));
        big[0] = '/';
        big[XS_REL_PATH_MAX + 1] = '\0';
        CHECK(is_err(req(&x, c, XS_MKDIR, 0, big, XS_REL_PATH_MAX + 2, &m), &m, "EINVAL"));
        big[XS_REL_PATH_MAX] = '\0'; /* exactly the limit is fine */
        CHECK(req(&x, c, XS_MKDIR, 0, big, XS_REL_PATH_MAX + 1, &m) == XS_MKDIR);
        memset(big, 'a', sizeof(big));
        memcpy(big, "/local/domain/12/", home);
        big[home + XS_REL_PATH_MAX] = '\0';
        CHECK(req(&x, c, XS_MKDIR, 0, big, home + XS_REL_PATH_MAX + 1, &m) == XS_MKDIR);
        big[home + XS_REL_PATH_MAX] = 'a';
        big[home + XS_REL_PATH_MAX + 1] = '\0';
        CHECK(is_err(req(&x, c, XS_MKDIR, 0, big, home + XS_REL_PATH_MAX + 2, &m), &m,
                     "EINVAL"));
        memset(big, 'r', sizeof(big));
        big[XS_REL_PATH_MAX + 1] = '\0';
        CHECK(is_err(req(&x, c, XS_MKDIR, 0, big, XS_REL_PATH_MAX + 2, &m), &m, "EINVAL"));
        big[XS_REL_PATH_MAX] = '\0';
        CHECK(req(&x, c, XS_MKDIR, 0, big, XS_REL_PATH_MAX + 1, &m) == XS_MKDIR);
    }
    /* relative paths live under the domain's home */
    g = mkconn(&x, 7, 0);
    req(&x, c, XS_MKDIR, 0, S("/local/domain/7\0"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/7\0n7\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, g, XS_WRITE, 0, S("data/k\0v"), &m) == XS_WRITE);
    t = req(&x, c, XS_READ, 0, S("/local/domain/7/data/k\0"), &m);
    CHECK(t == XS_READ && !strcmp(m.body, "v"));
    t = req(&x, c, XS_READ, 0, S("local/domain/7/data/k\0"), &m); /* dom0's home */
    CHECK(is_err(t, &m, "ENOENT"));
    t = req(&x, g, XS_GET_DOMAIN_PATH, 0, S("7\0"), &m);
    CHECK(t == XS_GET_DOMAIN_PATH && !strcmp(m.body, "/local/domain/7"));
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

static void test_perms(void)
{
    struct xsd x;
    struct conn *c, *g, *h;
    struct msg m;
    uint32_t t;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    g = mkconn(&x, 5, 0);
    h = mkconn(&x, 6, 0);
    req(&x, c, XS_WRITE, 0, S("/priv\0secret"), &m);
    CHECK(is_err(req(&x, g, XS_READ, 0, S("/priv\0"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_WRITE, 0, S("/priv\0x"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_WRITE, 0, S("/priv/child\0x"), &m), &m, "EACCES"));
    /* owner 0, default none, domain 5 may read */
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/priv\0n0\0r5\0"), &m) == XS_SET_PERMS);
    t = req(&x, g, XS_READ, 0, S("/priv\0"), &m);
    CHECK(t == XS_READ && !strcmp(m.body, "secret"));
    CHECK(is_err(req(&x, g, XS_WRITE, 0, S("/priv\0x"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, h, XS_READ, 0, S("/priv\0"), &m), &m, "EACCES"));
    t = req(&x, c, XS_GET_PERMS, 0, S("/priv\0"), &m);
    CHECK(t == XS_GET_PERMS && m.len == 6 && !memcmp(m.body, "n0\0r5\0", 6));
    /* a node domain 5 owns: it creates below, inherits perms, owns the child */
    req(&x, c, XS_MKDIR, 0, S("/home5\0"), &m);
    req(&x, c, XS_SET_PERMS, 0, S("/home5\0n5\0r6\0"), &m);
    CHECK(req(&x, g, XS_WRITE, 0, S("/home5/a/b\0v"), &m) == XS_WRITE);
    t = req(&x, c, XS_GET_PERMS, 0, S("/home5/a/b\0"), &m);
    CHECK(t == XS_GET_PERMS && m.len == 6 && !memcmp(m.body, "n5\0r6\0", 6));
    t = req(&x, h, XS_READ, 0, S("/home5/a/b\0"), &m);
    CHECK(t == XS_READ && !strcmp(m.body, "v"));
    /* only the owner changes perms */
    CHECK(is_err(req(&x, h, XS_SET_PERMS, 0, S("/home5/a\0b6\0"), &m), &m, "EACCES"));
    CHECK(req(&x, g, XS_SET_PERMS, 0, S("/home5/a\0n5\0b6\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, h, XS_WRITE, 0, S("/home5/a\0six"), &m) == XS_WRITE);
    /* as Xen: a guest may not give a node away */
    CHECK(is_err(req(&x, g, XS_SET_PERMS, 0, S("/home5/a\0n6\0"), &m), &m, "EPERM"));
    /* absent below what one may not read: EACCES, telling nothing */
    CHECK(is_err(req(&x, h, XS_READ, 0, S("/priv/absent\0"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_READ, 0, S("/priv/absent\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, g, XS_RM, 0, S("/priv/absent\0"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_DIRECTORY, 0, S("/priv/absent/deeper\0"), &m), &m, "ENOENT"));
    /* the owner must exist; entries for absent domains never match */
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/priv\0n77\0"), &m), &m, "ENOENT"));
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/priv\0n0\0r5\0r77\0"), &m) == XS_SET_PERMS);
    t = req(&x, c, XS_GET_PERMS, 0, S("/priv\0"), &m);
    CHECK(t == XS_GET_PERMS && m.len == 10 && !memcmp(m.body, "n0\0r5\0r77\0", 10));
    /* a domain 77 now: it inherits nothing */
    CHECK(is_err(req_as(&x, 77, XS_READ, S("/priv\0"), &m), &m, "EACCES"));
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/priv\0n0\0r5\0"), &m) == XS_SET_PERMS);
    /* dom0 creating under a guest's node: the guest still owns it */
    CHECK(req(&x, c, XS_WRITE, 0, S("/home5/fromdom0\0v"), &m) == XS_WRITE);
    t = req(&x, c, XS_GET_PERMS, 0, S("/home5/fromdom0\0"), &m);
    CHECK(t == XS_GET_PERMS && !strcmp(m.body, "n5"));
    /* malformed permission strings */
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/priv\0x0\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/priv\0r\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/priv\0r99999\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/priv\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("/absent\0n0\0"), &m), &m, "ENOENT"));
    /* SET_TARGET: a device model for domain 5 acts with 5's rights */
    CHECK(req(&x, c, XS_INTRODUCE, 0, S("6\0" "1234\0" "9\0"), &m) == XS_INTRODUCE);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/home5/fromdom0\0n5\0"), &m) == XS_SET_PERMS);
    CHECK(is_err(req(&x, h, XS_READ, 0, S("/home5/fromdom0\0"), &m), &m, "EACCES"));
    CHECK(req(&x, c, XS_SET_TARGET, 0, S("6\0" "5\0"), &m) == XS_SET_TARGET);
    CHECK(req(&x, h, XS_READ, 0, S("/home5/fromdom0\0"), &m) == XS_READ);
    /* guests cannot use privileged requests */
    CHECK(is_err(req(&x, g, XS_INTRODUCE, 0, S("9\0" "1\0" "1\0"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_CONTROL, 0, S("check\0"), &m), &m, "EACCES"));
    CHECK(is_err(req(&x, g, XS_IS_DOMAIN_INTRODUCED, 0, S("5\0"), &m), &m, "EACCES"));
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

static int expect_event(struct conn *c, const char *path, const char *token)
{
    struct msg m;

    if (!take(c, 1, &m) || m.type != XS_WATCH_EVENT) {
        fprintf(stderr, "no event (wanted %s)\n", path);
        return 0;
    }
    if (strcmp(m.body, path) || strcmp(m.body + strlen(m.body) + 1, token)) {
        fprintf(stderr, "event %s/%s, wanted %s/%s\n", m.body, m.body + strlen(m.body) + 1,
                path, token);
        return 0;
    }
    return 1;
}

static uint32_t txstart(struct xsd *x, struct conn *c)
{
    struct msg m;

    if (req(x, c, XS_TRANSACTION_START, 0, S("\0"), &m) != XS_TRANSACTION_START)
        return 0;
    return strtoul(m.body, NULL, 10);
}

static void test_watches(void)
{
    struct xsd x;
    struct conn *c, *w, *g;
    struct msg m;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    w = mkconn(&x, 0, 1);
    g = mkconn(&x, 3, 0);
    CHECK(req(&x, w, XS_WATCH, 0, S("/w\0tok\0"), &m) == XS_WATCH);
    CHECK(expect_event(w, "/w", "tok")); /* the initial event */
    CHECK(is_err(req(&x, w, XS_WATCH, 0, S("/w\0tok\0"), &m), &m, "EEXIST"));
    req(&x, c, XS_WRITE, 0, S("/w/a/b\0v"), &m);
    CHECK(expect_event(w, "/w/a/b", "tok"));
    CHECK(!take(w, 1, &m));
    req(&x, c, XS_WRITE, 0, S("/other\0v"), &m);
    CHECK(!take(w, 1, &m));
    /* removal, as Xen: each node below first, to its exact watchers, then
     * the removed one to its own and its ancestors'; none for a watch below
     * a node that never existed */
    CHECK(req(&x, w, XS_WATCH, 0, S("/w/a/b\0deep\0"), &m) == XS_WATCH);
    CHECK(req(&x, w, XS_WATCH, 0, S("/w/a/b/c/d\0deeper\0"), &m) == XS_WATCH);
    drain_events(w);
    req(&x, c, XS_RM, 0, S("/w/a\0"), &m);
    CHECK(expect_event(w, "/w/a/b", "deep"));
    CHECK(expect_event(w, "/w/a", "tok"));
    CHECK(!take(w, 1, &m));
    CHECK(req(&x, w, XS_UNWATCH, 0, S("/w/a/b/c/d\0deeper\0"), &m) == XS_UNWATCH);
    CHECK(req(&x, w, XS_UNWATCH, 0, S("/w/a/b\0deep\0"), &m) == XS_UNWATCH);
    CHECK(is_err(req(&x, w, XS_UNWATCH, 0, S("/w/a/b\0deep\0"), &m), &m, "ENOENT"));
    /* relative watch reports relative paths; events respect read perms */
    req(&x, c, XS_MKDIR, 0, S("/local/domain/3\0"), &m);
    req(&x, c, XS_SET_PERMS, 0, S("/local/domain/3\0n3\0"), &m);
    CHECK(req(&x, g, XS_WATCH, 0, S("device\0dev\0"), &m) == XS_WATCH);
    CHECK(expect_event(g, "device", "dev"));
    req(&x, c, XS_WRITE, 0, S("/local/domain/3/device/vif\0x"), &m);
    CHECK(expect_event(g, "device/vif", "dev"));
    CHECK(req(&x, g, XS_WATCH, 0, S("/\0root\0"), &m) == XS_WATCH);
    drain_events(g);
    req(&x, c, XS_WRITE, 0, S("/hidden\0x"), &m); /* n0: guest 3 may not read */
    CHECK(!take(g, 1, &m));
    /* as Xen: a node it may not read, in a directory it may */
    req(&x, c, XS_WRITE, 0, S("/pub/secret\0x"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/pub\0n0\0r3\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/pub/secret\0n0\0"), &m) == XS_SET_PERMS);
    drain_events(g);
    req(&x, c, XS_WRITE, 0, S("/pub/secret\0y"), &m);
    CHECK(expect_event(g, "/pub/secret", "root"));
    req(&x, c, XS_WRITE, 0, S("/hidden/below\0y"), &m);
    CHECK(!take(g, 1, &m));
    /* losing read access is news to the one who had it */
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/hidden/below\0n0\0r3\0"), &m) == XS_SET_PERMS);
    CHECK(expect_event(g, "/hidden/below", "root"));
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/hidden/below\0n0\0"), &m) == XS_SET_PERMS);
    CHECK(expect_event(g, "/hidden/below", "root"));
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/hidden/below\0n0\0"), &m) == XS_SET_PERMS);
    CHECK(!take(g, 1, &m));
    /* the same through a transaction, at its commit: what the node granted when
     * the transaction first touched it counts (Xen), and so does the parent */
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/hidden/below\0n0\0r3\0"), &m) == XS_SET_PERMS);
    CHECK(expect_event(g, "/hidden/below", "root"));
    {
        uint32_t t = txstart(&x, c);

        CHECK(req(&x, c, XS_SET_PERMS, t, S("/hidden/below\0n0\0"), &m) == XS_SET_PERMS);
        CHECK(req(&x, c, XS_WRITE, t, S("/hidden/new\0"), &m) == XS_WRITE);
        CHECK(req(&x, c, XS_WRITE, t, S("/pub/secret\0z"), &m) == XS_WRITE);
        CHECK(!take(g, 1, &m));
        CHECK(req(&x, c, XS_TRANSACTION_END, t, S("T\0"), &m) == XS_TRANSACTION_END);
        CHECK(expect_event(g, "/hidden/below", "root"));
        CHECK(expect_event(g, "/pub/secret", "root"));
        CHECK(!take(g, 1, &m)); /* /hidden/new: never readable by 3 */
    }
    /* special watches */
    CHECK(req(&x, w, XS_WATCH, 0, S("@introduceDomain\0in\0"), &m) == XS_WATCH);
    CHECK(expect_event(w, "@introduceDomain", "in"));
    CHECK(req(&x, w, XS_WATCH, 0, S("@releaseDomain\0out\0"), &m) == XS_WATCH);
    CHECK(expect_event(w, "@releaseDomain", "out"));
    /* any @name is a watch, as in Xen, but only the two above ever fire */
    CHECK(req(&x, w, XS_WATCH, 0, S("@bogus\0x\0"), &m) == XS_WATCH);
    CHECK(expect_event(w, "@bogus", "x"));
    /* a guest hears of releases only once allowed to read @releaseDomain */
    CHECK(req(&x, g, XS_WATCH, 0, S("@releaseDomain\0gout\0"), &m) == XS_WATCH);
    CHECK(expect_event(g, "@releaseDomain", "gout"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("@releaseDomain\0n9\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_SET_PERMS, 0, S("@bogus\0n0\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_GET_PERMS, 0, S("@releaseDomain\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, g, XS_SET_PERMS, 0, S("@releaseDomain\0n0\0r3\0"), &m), &m,
                 "EACCES"));
    drain_events(w);
    CHECK(req(&x, c, XS_INTRODUCE, 0, S("4\0" "99\0" "3\0"), &m) == XS_INTRODUCE);
    CHECK(expect_event(w, "@introduceDomain", "in"));
    CHECK(req(&x, c, XS_IS_DOMAIN_INTRODUCED, 0, S("4\0"), &m) == XS_IS_DOMAIN_INTRODUCED &&
          !strcmp(m.body, "T"));
    CHECK(req(&x, c, XS_RESUME, 0, S("4\0"), &m) == XS_RESUME);
    CHECK(req(&x, c, XS_RELEASE, 0, S("4\0"), &m) == XS_RELEASE);
    CHECK(expect_event(w, "@releaseDomain", "out"));
    CHECK(!take(w, 1, &m) && !take(g, 1, &m));
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("@releaseDomain\0n0\0r3\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_INTRODUCE, 0, S("4\0" "99\0" "3\0"), &m) == XS_INTRODUCE);
    /* a released domain loses what it owns, with all below; watchers hear */
    req(&x, c, XS_WRITE, 0, S("/local/domain/4/dev/x\0"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/4\0n4\0"), &m) == XS_SET_PERMS);
    req(&x, c, XS_WRITE, 0, S("/other/of4\0"), &m);
    req(&x, c, XS_WRITE, 0, S("/other/of0\0"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/other/of4\0n4\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/other/of0\0n0\0r4\0"), &m) == XS_SET_PERMS);
    CHECK(req_as(&x, 4, XS_READ, S("/other/of0\0"), &m) == XS_READ);
    CHECK(req(&x, w, XS_WATCH, 0, S("/other\0oth\0"), &m) == XS_WATCH);
    drain_events(w);
    CHECK(req(&x, c, XS_RELEASE, 0, S("4\0"), &m) == XS_RELEASE);
    CHECK(expect_event(g, "@releaseDomain", "gout"));
    CHECK(expect_event(w, "/other/of4", "oth"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/local/domain/4/dev/x\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/local/domain/4\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/other/of4\0"), &m), &m, "ENOENT"));
    CHECK(req(&x, c, XS_READ, 0, S("/other/of0\0"), &m) == XS_READ);
    /* nor does a later domain 4 get what the first was granted */
    CHECK(req(&x, c, XS_INTRODUCE, 0, S("4\0" "99\0" "3\0"), &m) == XS_INTRODUCE);
    CHECK(is_err(req_as(&x, 4, XS_READ, S("/other/of0\0"), &m), &m, "EACCES"));
    CHECK(req(&x, c, XS_RELEASE, 0, S("4\0"), &m) == XS_RELEASE);
    CHECK(req(&x, w, XS_UNWATCH, 0, S("/other\0oth\0"), &m) == XS_UNWATCH);
    drain_events(w);
    CHECK(req(&x, c, XS_IS_DOMAIN_INTRODUCED, 0, S("4\0"), &m) == XS_IS_DOMAIN_INTRODUCED &&
          !strcmp(m.body, "F"));
    CHECK(is_err(req(&x, c, XS_RELEASE, 0, S("4\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_RESUME, 0, S("4\0"), &m), &m, "ENOENT"));
    /* reset drops every watch of the connection */
    CHECK(req(&x, w, XS_RESET_WATCHES, 0, S("\0"), &m) == XS_RESET_WATCHES);
    req(&x, c, XS_WRITE, 0, S("/w\0again"), &m);
    CHECK(!take(w, 1, &m));
    CHECK(x.watches.count == 3); /* g's three remain */
    conn_free(g);
    CHECK(x.watches.count == 0);
    xsd_fini(&x);
}

static void test_txn(void)
{
    struct xsd x;
    struct conn *c, *d, *w;
    struct msg m;
    uint32_t t1, t2, ty;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    d = mkconn(&x, 0, 1);
    w = mkconn(&x, 0, 1);
    req(&x, w, XS_WATCH, 0, S("/t\0tw\0"), &m);
    drain_events(w);
    t1 = txstart(&x, c);
    CHECK(t1 != 0);
    CHECK(req(&x, c, XS_WRITE, t1, S("/t/a\0one"), &m) == XS_WRITE);
    /* invisible outside, visible inside, no event yet */
    CHECK(is_err(req(&x, d, XS_READ, 0, S("/t/a\0"), &m), &m, "ENOENT"));
    ty = req(&x, c, XS_READ, t1, S("/t/a\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "one"));
    ty = req(&x, c, XS_DIRECTORY, t1, S("/t\0"), &m);
    CHECK(ty == XS_DIRECTORY && !memcmp(m.body, "a\0", 2));
    CHECK(!take(w, 1, &m));
    CHECK(req(&x, c, XS_TRANSACTION_END, t1, S("T\0"), &m) == XS_TRANSACTION_END);
    CHECK(expect_event(w, "/t/a", "tw"));
    ty = req(&x, d, XS_READ, 0, S("/t/a\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "one"));
    /* conflict: both read /t/a, both write it, the second commit loses */
    t1 = txstart(&x, c);
    t2 = txstart(&x, d);
    req(&x, c, XS_READ, t1, S("/t/a\0"), &m);
    req(&x, d, XS_READ, t2, S("/t/a\0"), &m);
    CHECK(req(&x, c, XS_WRITE, t1, S("/t/a\0c"), &m) == XS_WRITE);
    CHECK(req(&x, d, XS_WRITE, t2, S("/t/a\0d"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_TRANSACTION_END, t1, S("T\0"), &m) == XS_TRANSACTION_END);
    CHECK(is_err(req(&x, d, XS_TRANSACTION_END, t2, S("T\0"), &m), &m, "EAGAIN"));
    ty = req(&x, d, XS_READ, 0, S("/t/a\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "c"));
    /* a read-only dependency that changed also conflicts */
    t2 = txstart(&x, d);
    req(&x, d, XS_READ, t2, S("/t/a\0"), &m);
    req(&x, d, XS_WRITE, t2, S("/t/b\0x"), &m);
    req(&x, c, XS_WRITE, 0, S("/t/a\0changed"), &m);
    CHECK(is_err(req(&x, d, XS_TRANSACTION_END, t2, S("T\0"), &m), &m, "EAGAIN"));
    CHECK(is_err(req(&x, d, XS_READ, 0, S("/t/b\0"), &m), &m, "ENOENT"));
    /* independent nodes under existing parents both commit */
    req(&x, c, XS_WRITE, 0, S("/p/x\0" "0"), &m);
    req(&x, c, XS_WRITE, 0, S("/q/y\0" "0"), &m);
    t1 = txstart(&x, c);
    t2 = txstart(&x, d);
    CHECK(req(&x, c, XS_WRITE, t1, S("/p/x\0" "1"), &m) == XS_WRITE);
    CHECK(req(&x, d, XS_WRITE, t2, S("/q/y\0" "1"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_TRANSACTION_END, t1, S("T\0"), &m) == XS_TRANSACTION_END);
    CHECK(req(&x, d, XS_TRANSACTION_END, t2, S("T\0"), &m) == XS_TRANSACTION_END);
    /* rm and re-create inside a transaction; abort leaves nothing */
    t1 = txstart(&x, c);
    CHECK(req(&x, c, XS_RM, t1, S("/t\0"), &m) == XS_RM);
    CHECK(is_err(req(&x, c, XS_READ, t1, S("/t/a\0"), &m), &m, "ENOENT"));
    CHECK(req(&x, c, XS_WRITE, t1, S("/t/new\0n"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_TRANSACTION_END, t1, S("F\0"), &m) == XS_TRANSACTION_END);
    ty = req(&x, c, XS_READ, 0, S("/t/a\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "changed"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/t/new\0"), &m), &m, "ENOENT"));
    t1 = txstart(&x, c);
    CHECK(req(&x, c, XS_RM, t1, S("/t\0"), &m) == XS_RM);
    CHECK(req(&x, c, XS_WRITE, t1, S("/t/new\0n"), &m) == XS_WRITE);
    drain_events(w);
    CHECK(req(&x, c, XS_TRANSACTION_END, t1, S("T\0"), &m) == XS_TRANSACTION_END);
    CHECK(take(w, 1, &m));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/t/a\0"), &m), &m, "ENOENT"));
    ty = req(&x, c, XS_READ, 0, S("/t/new\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "n"));
    /* bad transaction ids and arguments */
    CHECK(is_err(req(&x, c, XS_READ, 999, S("/t\0"), &m), &m, "ENOENT"));
    CHECK(is_err(req(&x, c, XS_TRANSACTION_END, 999, S("T\0"), &m), &m, "ENOENT"));
    t1 = txstart(&x, c);
    CHECK(is_err(req(&x, c, XS_TRANSACTION_END, t1, S("X\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, d, XS_TRANSACTION_END, t1, S("T\0"), &m), &m, "ENOENT"));
    /* as Xen: no nesting; every request but (UN)WATCH must name a live transaction */
    CHECK(is_err(req(&x, c, XS_TRANSACTION_START, t1, S("\0"), &m), &m, "EBUSY"));
    CHECK(is_err(req(&x, c, XS_GET_DOMAIN_PATH, 999, S("1\0"), &m), &m, "ENOENT"));
    CHECK(req(&x, c, XS_GET_DOMAIN_PATH, t1, S("1\0"), &m) == XS_GET_DOMAIN_PATH);
    drain_events(w);
    CHECK(req(&x, w, XS_WATCH, 999, S("/order\0o\0"), &m) == XS_WATCH);
    CHECK(expect_event(w, "/order", "o"));
    /* commit fires in the order the transaction first touched the nodes */
    req(&x, c, XS_WRITE, 0, S("/order/b\0"), &m);
    t2 = txstart(&x, c);
    CHECK(req(&x, c, XS_READ, t2, S("/order/b\0"), &m) == XS_READ);
    CHECK(req(&x, c, XS_WRITE, t2, S("/order/z\0"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_WRITE, t2, S("/order/a\0"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_RM, t2, S("/order/b\0"), &m) == XS_RM);
    drain_events(w);
    CHECK(req(&x, c, XS_TRANSACTION_END, t2, S("T\0"), &m) == XS_TRANSACTION_END);
    CHECK(expect_event(w, "/order/b", "o") && expect_event(w, "/order/z", "o") &&
          expect_event(w, "/order/a", "o"));
    /* closing mid-transaction: no trace */
    req(&x, c, XS_WRITE, t1, S("/ghost\0boo"), &m);
    conn_free(c);
    CHECK(is_err(req(&x, d, XS_READ, 0, S("/ghost\0"), &m), &m, "ENOENT"));
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

static void test_quota(void)
{
    struct xsd x;
    struct conn *c, *g;
    struct msg m;
    char p[64];
    unsigned ok = 0;
    uint32_t ty;

    core_init(&x);
    x.cfg.domu.nodes = 20;
    x.cfg.domu.watches = 4;
    x.cfg.domu.transactions = 2;
    c = mkconn(&x, 0, 1);
    g = mkconn(&x, 9, 0);
    req(&x, c, XS_MKDIR, 0, S("/local/domain/9\0"), &m);
    req(&x, c, XS_SET_PERMS, 0, S("/local/domain/9\0n9\0"), &m); /* owns 1 */
    for (int i = 0; i < 40; i++) {
        int n = snprintf(p, sizeof(p), "n%d", i) + 1;

        ty = req(&x, g, XS_WRITE, 0, p, n, &m);
        if (ty == XS_WRITE)
            ok++;
        else
            CHECK(is_err(ty, &m, "ENOSPC"));
    }
    CHECK(ok == 19);
    /* dom0 is not limited */
    for (int i = 0; i < 100; i++) {
        int n = snprintf(p, sizeof(p), "/d0/n%d", i) + 1;

        CHECK(req(&x, c, XS_WRITE, 0, p, n, &m) == XS_WRITE);
    }
    /* removing frees quota */
    CHECK(req(&x, g, XS_RM, 0, S("n0\0"), &m) == XS_RM);
    CHECK(req(&x, g, XS_WRITE, 0, S("again\0"), &m) == XS_WRITE);
    CHECK(is_err(req(&x, g, XS_WRITE, 0, S("again2\0"), &m), &m, "ENOSPC"));
    /* node size, Xen's way: a 24-byte header, 8 per permission, the value
     * and the child names must stay under the quota, for the node written
     * and for a parent whose list of children grows */
    x.cfg.domu.node_size = 100;
    {
        char big[200] = "n1";

        memset(big + 3, 'v', sizeof(big) - 3);
        CHECK(is_err(req(&x, g, XS_WRITE, 0, big, 3 + 68, &m), &m, "ENOSPC"));
        CHECK(req(&x, g, XS_WRITE, 0, big, 3 + 67, &m) == XS_WRITE);
        CHECK(is_err(req(&x, g, XS_SET_PERMS, 0, S("n1\0n9\0r0\0"), &m), &m, "ENOSPC"));
        /* (room under the node quota for three more) */
        CHECK(req(&x, g, XS_RM, 0, S("n1\0"), &m) == XS_RM);
        CHECK(req(&x, g, XS_RM, 0, S("n2\0"), &m) == XS_RM);
        CHECK(req(&x, g, XS_RM, 0, S("again\0"), &m) == XS_RM);
        /* kids: 24 + 8 + 32 bytes of a first child's name; +36 reaches 100 */
        CHECK(req(&x, g, XS_WRITE, 0, S("kids/a123456789012345678901234567890\0"), &m) ==
              XS_WRITE);
        CHECK(is_err(req(&x, g, XS_WRITE, 0, S("kids/b1234567890123456789012345678901234\0"),
                         &m), &m, "ENOSPC"));
        CHECK(req(&x, g, XS_WRITE, 0, S("kids/c123456789012345678901234567890123\0"), &m) ==
              XS_WRITE);
        CHECK(req(&x, g, XS_RM, 0, S("kids/c123456789012345678901234567890123\0"), &m) ==
              XS_RM);
        /* dom0 is not held to it */
        CHECK(req(&x, c, XS_WRITE, 0,
                  S("/local/domain/9/kids/b1234567890123456789012345678901234\0"), &m) == XS_WRITE);
        CHECK(req(&x, g, XS_RM, 0, S("kids\0"), &m) == XS_RM);
    }
    x.cfg.domu.node_size = 2048;
    CHECK(req(&x, g, XS_WRITE, 0, S("n1\0"), &m) == XS_WRITE);
    CHECK(req(&x, g, XS_WRITE, 0, S("n2\0"), &m) == XS_WRITE);
    CHECK(req(&x, g, XS_WRITE, 0, S("again\0"), &m) == XS_WRITE);
    /* watches: E2BIG, one past the quota as in Xen (it checks before counting) */
    for (int i = 0; i < 5; i++) {
        int n = snprintf(p, sizeof(p), "n1%c%d", 0, i) + 1;

        CHECK(req(&x, g, XS_WATCH, 0, p, n, &m) == XS_WATCH);
    }
    CHECK(is_err(req(&x, g, XS_WATCH, 0, S("n1\0x\0"), &m), &m, "E2BIG"));
    /* transactions: ENOSPC, also one past the quota */
    CHECK(txstart(&x, g) && txstart(&x, g) && txstart(&x, g));
    CHECK(is_err(req(&x, g, XS_TRANSACTION_START, 0, S("\0"), &m), &m, "ENOSPC"));
    /* perms count */
    CHECK(is_err(req(&x, g, XS_SET_PERMS, 0, S("n1\0n9\0r1\0r2\0r3\0r4\0r5\0"), &m), &m,
                 "ENOSPC"));
    /* node quota inside a transaction */
    conn_free(g);
    g = mkconn(&x, 9, 0);
    {
        uint32_t t = txstart(&x, g);

        CHECK(req(&x, g, XS_RM, t, S("again\0"), &m) == XS_RM);
        CHECK(req(&x, g, XS_WRITE, t, S("tx1\0"), &m) == XS_WRITE);
        CHECK(is_err(req(&x, g, XS_WRITE, t, S("tx2\0"), &m), &m, "ENOSPC"));
        CHECK(req(&x, g, XS_TRANSACTION_END, t, S("T\0"), &m) == XS_TRANSACTION_END);
    }
    /* quota control */
    ty = req(&x, c, XS_CONTROL, 0, S("quota\0set\0nodes\0" "50\0"), &m);
    CHECK(ty == XS_CONTROL && x.cfg.domu.nodes == 50);
    ty = req(&x, c, XS_CONTROL, 0, S("quota\0"), &m);
    CHECK(ty == XS_CONTROL && strstr(m.body, "nodes") && strstr(m.body, "50"));
    ty = req(&x, c, XS_CONTROL, 0, S("quota\0" "9\0"), &m);
    CHECK(ty == XS_CONTROL && strstr(m.body, "nodes 20"));
    CHECK(is_err(req(&x, c, XS_CONTROL, 0, S("quota\0set\0bogus\0" "1\0"), &m), &m, "EINVAL"));
    CHECK(req(&x, g, XS_WRITE, 0, S("tx2\0"), &m) == XS_WRITE);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

static void test_parser(void)
{
    struct xsd x;
    struct conn *c, *g;
    struct msg m;
    uint32_t ty;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    g = mkconn(&x, 2, 0);
    /* not requests: Xen says ENOSYS */
    CHECK(is_err(req(&x, c, 20, 0, S("\0"), &m), &m, "ENOSYS"));
    CHECK(is_err(req(&x, c, XS_TYPE_COUNT, 0, S("\0"), &m), &m, "ENOSYS"));
    CHECK(is_err(req(&x, c, 0xdeadbeef, 0, S("\0"), &m), &m, "ENOSYS"));
    CHECK(is_err(req(&x, c, XS_WATCH_EVENT, 0, S("/a\0b\0"), &m), &m, "ENOSYS"));
    CHECK(is_err(req(&x, c, XS_ERROR, 0, S("EINVAL\0"), &m), &m, "ENOSYS"));
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/a"), &m), &m, "EINVAL"));       /* no NUL */
    CHECK(is_err(req(&x, c, XS_READ, 0, S("/a\0/b\0"), &m), &m, "EINVAL")); /* two args */
    CHECK(is_err(req(&x, c, XS_READ, 0, NULL, 0, &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_WRITE, 0, S("/novalue-nul"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_WATCH, 0, S("/a\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_INTRODUCE, 0, S("x\0" "1\0" "1\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_INTRODUCE, 0, S("0\0" "1\0" "1\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_GET_DOMAIN_PATH, 0, S("-1\0"), &m), &m, "EINVAL"));
    CHECK(is_err(req(&x, c, XS_CONTROL, 0, S("nonsense\0"), &m), &m, "EINVAL"));
    ty = req(&x, c, XS_CONTROL, 0, S("log\0on\0"), &m);
    CHECK(ty == XS_CONTROL && x.log);
    ty = req(&x, c, XS_CONTROL, 0, S("help\0"), &m);
    CHECK(ty == XS_CONTROL && strstr(m.body, "quota"));
    /* the header echoes req_id and tx_id */
    {
        struct xs_msg_hdr h = {XS_READ, 0xabcdef, 0, 2};

        CHECK(xsd_dispatch(&x, c, &h, "/\0") == 0 && take(c, 0, &m));
        CHECK(m.type == XS_READ && m.req_id == 0xabcdef);
        h.len = XS_PAYLOAD_MAX + 1;
        CHECK(xsd_dispatch(&x, c, &h, "") == -EPROTO);
    }
    /* a listing too big for one message: E2BIG, then in parts */
    {
        char name[64], *all = malloc(200000);
        size_t alen = 0, off = 0, got = 0;
        char gen[32] = "";
        int parts = 0;

        for (int i = 0; i < 600; i++) {
            int n = snprintf(name, sizeof(name), "/big/entry-number-%04d", i) + 1;

            req(&x, c, XS_WRITE, 0, name, n, &m);
            alen += strlen(name + 5) + 1;
        }
        CHECK(is_err(req(&x, c, XS_DIRECTORY, 0, S("/big\0"), &m), &m, "E2BIG"));
        for (;;) {
            char arg[64];
            int n = snprintf(arg, sizeof(arg), "/big%c%zu", 0, off) + 1;
            size_t gl, p;

            ty = req(&x, c, XS_DIRECTORY_PART, 0, arg, n, &m);
            CHECK(ty == XS_DIRECTORY_PART);
            if (ty != XS_DIRECTORY_PART || ++parts > 20)
                break;
            gl = strlen(m.body) + 1;
            CHECK(!gen[0] || !strcmp(gen, m.body));
            snprintf(gen, sizeof(gen), "%s", m.body);
            for (p = gl; p < m.len && m.body[p]; p += strlen(m.body + p) + 1)
                memcpy(all + got, m.body + p, strlen(m.body + p) + 1), got += strlen(m.body + p) + 1;
            off = got;
            if (p < m.len)
                break; /* the empty terminator */
        }
        CHECK(parts > 1 && got == alen);
        CHECK(!memcmp(all, "entry-number-0000", 18));
        /* as Xen: inside a name, the rest of it; past the end, an empty list
         * (a client whose directory shrank sees the generation change) */
        CHECK(req(&x, c, XS_DIRECTORY_PART, 0, S("/big\0" "3\0"), &m) == XS_DIRECTORY_PART &&
              !strcmp(m.body + strlen(m.body) + 1, "ry-number-0000"));
        CHECK(req(&x, c, XS_DIRECTORY_PART, 0, S("/big\0" "99999999\0"), &m) ==
                  XS_DIRECTORY_PART && !strcmp(m.body, gen) && m.len == strlen(gen) + 2 &&
              m.body[m.len - 1] == '\0');
        CHECK(is_err(req(&x, c, XS_DIRECTORY_PART, 0, S("/big\0" "x\0"), &m), &m, "EINVAL"));
        free(all);
    }
    CHECK(!strcmp(xsd_errname(EPERM), "EPERM") && !strcmp(xsd_errname(ETIMEDOUT), "EIO"));
    conn_free(g);
    xsd_fini(&x);
}

/*
 * The node layout: values stored in the node block change size (the node
 * moves and is relinked in its hash chain), children blocks come and go,
 * permission sets are shared between parent and child and never changed in
 * place. Live and inside transactions, with enough nodes for long chains.
 */
static void test_layout(void)
{
    static const size_t sizes[] = {0, 1, 7, 8, 9, 16, 100, 500, 600, 4000, 3, 0, 2000, 17};
    char path[64], val[4096], buf[4200];
    struct xsd x;
    struct conn *c, *g;
    struct msg m;
    uint32_t t, ty;
    int ok = 1;

    core_init(&x);
    c = mkconn(&x, 0, 1);
    g = mkconn(&x, 5, 0);
    for (size_t i = 0; i < sizeof(val); i++)
        val[i] = 'a' + i % 26;
    for (unsigned i = 0; i < 3000; i++) {
        int l = snprintf(path, sizeof(path), "/l/d%u/n%u", i % 7, i);

        memcpy(buf, path, l + 1);
        memcpy(buf + l + 1, val, i % 40);
        ok &= req(&x, c, XS_WRITE, 0, buf, l + 1 + i % 40, &m) == XS_WRITE;
    }
    CHECK(ok);
    /* every size, on every node, in turn: each read sees its own value */
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        for (unsigned i = 0; i < 3000; i += 7) {
            int l = snprintf(path, sizeof(path), "/l/d%u/n%u", i % 7, i);
            size_t vl = (sizes[k] + i) % 4001;

            memcpy(buf, path, l + 1);
            memcpy(buf + l + 1, val + i % 26, vl);
            ok &= req(&x, c, XS_WRITE, 0, buf, l + 1 + vl, &m) == XS_WRITE;
        }
        for (unsigned i = 0; i < 3000; i++) {
            int l = snprintf(path, sizeof(path), "/l/d%u/n%u", i % 7, i);
            size_t vl = i % 7 ? i % 40 : (sizes[k] + i) % 4001;

            ty = req(&x, c, XS_READ, 0, path, l + 1, &m);
            ok &= ty == XS_READ && m.len == vl && !memcmp(m.body, val + (i % 7 ? 0 : i % 26), vl);
        }
    }
    CHECK(ok);
    /* the same inside a transaction: private until commit, then live */
    t = txstart(&x, c);
    CHECK(req(&x, c, XS_WRITE, t, S("/l/d0/n0\0a-longer-value-than-before-by-far"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_WRITE, t, S("/l/d1/n1\0"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_RM, t, S("/l/d2\0"), &m) == XS_RM);
    CHECK(req(&x, c, XS_WRITE, t, S("/l/d2/again\0back"), &m) == XS_WRITE);
    CHECK(req(&x, c, XS_WRITE, t, S("/l/d2/again\0back, longer"), &m) == XS_WRITE);
    ty = req(&x, c, XS_READ, 0, S("/l/d1/n1\0"), &m);
    CHECK(ty == XS_READ && m.len == 1);
    CHECK(req(&x, c, XS_TRANSACTION_END, t, S("T\0"), &m) == XS_TRANSACTION_END);
    ty = req(&x, c, XS_READ, 0, S("/l/d0/n0\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "a-longer-value-than-before-by-far"));
    ty = req(&x, c, XS_READ, 0, S("/l/d1/n1\0"), &m);
    CHECK(ty == XS_READ && m.len == 0);
    ty = req(&x, c, XS_DIRECTORY, 0, S("/l/d2\0"), &m);
    CHECK(ty == XS_DIRECTORY && m.len == 6 && !memcmp(m.body, "again\0", 6));
    ty = req(&x, c, XS_READ, 0, S("/l/d2/again\0"), &m);
    CHECK(ty == XS_READ && !strcmp(m.body, "back, longer"));
    /* children: all removed, then a first child again */
    CHECK(req(&x, c, XS_RM, 0, S("/l/d2/again\0"), &m) == XS_RM);
    ty = req(&x, c, XS_DIRECTORY, 0, S("/l/d2\0"), &m);
    CHECK(ty == XS_DIRECTORY && m.len == 0);
    CHECK(req(&x, c, XS_WRITE, 0, S("/l/d2/x\0"), &m) == XS_WRITE);
    ty = req(&x, c, XS_DIRECTORY, 0, S("/l/d2\0"), &m);
    CHECK(ty == XS_DIRECTORY && m.len == 2 && !memcmp(m.body, "x\0", 2));
    /* shared permissions: changing the parent's leaves the children's */
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/l\0n0\0w5\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_WRITE, 0, S("/l/p/q\0v"), &m) == XS_WRITE);
    CHECK(req(&x, g, XS_WRITE, 0, S("/l/p/g\0v"), &m) == XS_WRITE); /* 5 may write /l/p */
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/l/p\0n0\0"), &m) == XS_SET_PERMS);
    ty = req(&x, c, XS_GET_PERMS, 0, S("/l/p/q\0"), &m);
    CHECK(ty == XS_GET_PERMS && m.len == 6 && !memcmp(m.body, "n0\0w5\0", 6));
    ty = req(&x, c, XS_GET_PERMS, 0, S("/l/p/g\0"), &m);
    CHECK(ty == XS_GET_PERMS && m.len == 6 && !memcmp(m.body, "n5\0w5\0", 6));
    ty = req(&x, c, XS_GET_PERMS, 0, S("/l/p\0"), &m);
    CHECK(ty == XS_GET_PERMS && m.len == 3 && !memcmp(m.body, "n0\0", 3));
    /* a removed node's watchers hear of it with the perms it had */
    CHECK(req(&x, g, XS_WATCH, 0, S("/l/p/g\0tok\0"), &m) == XS_WATCH);
    drain_events(g);
    CHECK(req(&x, c, XS_RM, 0, S("/l/p/g\0"), &m) == XS_RM);
    CHECK(expect_event(g, "/l/p/g", "tok"));
    CHECK(req(&x, c, XS_RM, 0, S("/l/p\0"), &m) == XS_RM);
    CHECK(tree_ok(&x));
    xsd_fini(&x);
}

/* --keep-orphans: a released domain's nodes pass to Dom0, the rest of their permissions kept. */
static void test_keep_orphans(void)
{
    struct xsd_config cfg;
    struct xsd x;
    struct conn *c, *w;
    struct msg m;
    uint32_t t, tx;

    xsd_config_default(&cfg);
    cfg.keep_orphans = true;
    if (xsd_init(&x, &cfg) < 0)
        abort();
    c = mkconn(&x, 0, 1);
    w = mkconn(&x, 0, 1);
    CHECK(req(&x, c, XS_INTRODUCE, 0, S("4\0" "99\0" "3\0"), &m) == XS_INTRODUCE);
    req(&x, c, XS_WRITE, 0, S("/local/domain/4/dev/x\0v"), &m);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/4\0n4\0r7\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_SET_PERMS, 0, S("/local/domain/4/dev/x\0n4\0"), &m) == XS_SET_PERMS);
    CHECK(req(&x, c, XS_WATCH, 0, S("/local/domain/4\0k\0"), &m) == XS_WATCH);
    drain_events(c);
    tx = txstart(&x, w);
    CHECK(tx && req(&x, w, XS_READ, tx, S("/local/domain/4/dev/x\0"), &m) == XS_READ);
    req(&x, w, XS_WRITE, tx, S("/elsewhere\0"), &m);
    CHECK(req(&x, c, XS_RELEASE, 0, S("4\0"), &m) == XS_RELEASE);
    CHECK(!take(c, 1, &m)); /* nothing was removed, so no watch fired */
    t = req(&x, c, XS_GET_PERMS, 0, S("/local/domain/4\0"), &m);
    CHECK(t == XS_GET_PERMS && m.len == 6 && !memcmp(m.body, "n0\0r7\0", 6));
    t = req(&x, c, XS_GET_PERMS, 0, S("/local/domain/4/dev/x\0"), &m);
    CHECK(t == XS_GET_PERMS && m.len == 3 && !memcmp(m.body, "n0\0", 3));
    CHECK(req(&x, c, XS_READ, 0, S("/local/domain/4/dev/x\0"), &m) == XS_READ &&
          !strcmp(m.body, "v"));
    /* the change of owner is a change: a transaction that read the node conflicts */
    CHECK(is_err(req(&x, w, XS_TRANSACTION_END, tx, S("T\0"), &m), &m, "EAGAIN"));
    xsd_fini(&x);
}

static const struct test_group tests[] = {
    {"tree", test_tree},   {"perms", test_perms},   {"watches", test_watches},
    {"txn", test_txn},     {"quota", test_quota},   {"parser", test_parser},
    {"layout", test_layout}, {"keep-orphans", test_keep_orphans},
};

int main(int argc, char **argv)
{
    return run_groups(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
