// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus-check: our libxs over domain 0's kernel xenbus device, for
 * e2e-dom0-xenbus.
 *   xenbus-check DEVICE all BASE [OTHER]  every operation, under BASE
 *   xenbus-check DEVICE read KEY VALUE    KEY reads VALUE
 * OTHER, a second path for xs_open() (e.g. xenstored's unix socket), makes
 * the changes the watch must report, from another connection.
 * DEVICE is a path for xs_open() (e.g. /dev/xen/xenbus), or "-" for
 * XS_OPEN_DOMAINONLY with no path (then $XENSTORED_PATH must be unset).
 * Each check prints "ok: ..." or "FAIL: ..."; the exit status is 0 only if
 * all passed. A daemon that never answers makes the kernel's device block:
 * an alarm ends the run (FAIL, status 3) rather than the test's time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenon/xs.h>

#define TIMEOUT_S 60
#define EVENT_WAIT_MS 10000

static int failures;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("%s: ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    failures += !ok;
}

static void on_alarm(int sig)
{
    static const char msg[] = "FAIL: no answer within the time limit (is the ring served?)\n";

    (void)sig;
    if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
        /* nothing more to do */
    }
    _exit(3);
}

/* KEY reads VALUE exactly; r < 0 names the error. */
static void check_value(struct xs_handle *h, xs_transaction_t t, const char *key,
                        const char *want, const char *what)
{
    char *v = NULL;
    size_t len = 0;
    int r = xs_read(h, t, key, &v, &len);

    check(r == 0 && len == strlen(want) && !strcmp(v, want), "%s: %s = '%s' (%s; want '%s')",
          what, key, r == 0 ? v : "", r == 0 ? "read" : strerror(-r), want);
    free(v);
}

static void check_absent(struct xs_handle *h, xs_transaction_t t, const char *key,
                         const char *what)
{
    char *v = NULL;
    int r = xs_read(h, t, key, &v, NULL);

    check(r == -ENOENT, "%s: %s absent (%s)", what, key, r == 0 ? "it is there" : strerror(-r));
    free(v);
}

static char *path(const char *base, const char *leaf)
{
    static char buf[8][256];
    static unsigned next;
    char *p = buf[next++ % 8];

    snprintf(p, sizeof(buf[0]), "%s/%s", base, leaf);
    return p;
}

static void basic_ops(struct xs_handle *h, const char *base)
{
    char **names = NULL;
    int n, r;
    int have_a = 0, have_dir = 0;

    xs_rm(h, XS_TXN_NULL, base);
    r = xs_write(h, XS_TXN_NULL, path(base, "a"), "alpha", 5);
    check(r == 0, "write %s (%s)", path(base, "a"), strerror(-r));
    check_value(h, XS_TXN_NULL, path(base, "a"), "alpha", "read back");
    r = xs_mkdir(h, XS_TXN_NULL, path(base, "dir"));
    check(r == 0, "mkdir %s (%s)", path(base, "dir"), strerror(-r));
    check_value(h, XS_TXN_NULL, path(base, "dir"), "", "a new directory is empty");
    n = xs_directory(h, XS_TXN_NULL, base, &names);
    for (int i = 0; n > 0 && names[i]; i++) {
        have_a |= !strcmp(names[i], "a");
        have_dir |= !strcmp(names[i], "dir");
    }
    check(n == 2 && have_a && have_dir, "directory %s lists a and dir (%d entries)", base, n);
    free(names);
    r = xs_rm(h, XS_TXN_NULL, path(base, "dir"));
    check(r == 0, "rm %s (%s)", path(base, "dir"), strerror(-r));
    check_absent(h, XS_TXN_NULL, path(base, "dir"), "after rm");
    names = NULL;
    n = xs_directory(h, XS_TXN_NULL, base, &names);
    check(n == 1 && !strcmp(names[0], "a"), "directory %s lists a only (%d entries)", base, n);
    free(names);
}

static void perms_ops(struct xs_handle *h, const char *base)
{
    const struct xs_permission want[] = {{0, XS_PERM_NONE}, {5, XS_PERM_READ}};
    struct xs_permission *p = NULL;
    int n = xs_get_perms(h, XS_TXN_NULL, path(base, "a"), &p);

    check(n >= 1 && p[0].domid == 0, "get_perms: domain 0 owns what it wrote (%d entries)", n);
    free(p);
    p = NULL;
    n = xs_set_perms(h, XS_TXN_NULL, path(base, "a"), want, 2);
    check(n == 0, "set_perms n0,r5 (%s)", strerror(-n));
    n = xs_get_perms(h, XS_TXN_NULL, path(base, "a"), &p);
    check(n == 2 && p[0].domid == 0 && p[0].access == XS_PERM_NONE && p[1].domid == 5 &&
              p[1].access == XS_PERM_READ,
          "get_perms after set_perms: n0,r5 (%d entries)", n);
    free(p);
}

static void txn_ops(struct xs_handle *h, const char *base)
{
    xs_transaction_t t;
    int r = xs_transaction_start(h, &t);

    check(r == 0, "transaction start (%s)", strerror(-r));
    if (r < 0)
        return;
    r = xs_write(h, t, path(base, "t"), "in-txn", 6);
    check(r == 0, "write in the transaction (%s)", strerror(-r));
    check_value(h, t, path(base, "t"), "in-txn", "inside the transaction");
    check_absent(h, XS_TXN_NULL, path(base, "t"), "outside before commit");
    r = xs_transaction_end(h, t, false);
    check(r == 0, "commit (%s)", strerror(-r));
    check_value(h, XS_TXN_NULL, path(base, "t"), "in-txn", "after commit");

    /* A change by someone else to what the transaction read: EAGAIN, nothing applied. */
    if (xs_transaction_start(h, &t) == 0) {
        char *v = NULL;

        xs_read(h, t, path(base, "a"), &v, NULL);
        free(v);
        xs_write(h, XS_TXN_NULL, path(base, "a"), "beta", 4);
        xs_write(h, t, path(base, "b"), "lost", 4);
        r = xs_transaction_end(h, t, false);
        check(r == -EAGAIN, "conflicting commit gives EAGAIN (%s)", strerror(-r));
        check_absent(h, XS_TXN_NULL, path(base, "b"), "after the failed commit");
    }
    if (xs_transaction_start(h, &t) == 0) {
        xs_write(h, t, path(base, "c"), "aborted", 7);
        r = xs_transaction_end(h, t, true);
        check(r == 0, "abort (%s)", strerror(-r));
        check_absent(h, XS_TXN_NULL, path(base, "c"), "after abort");
    }
}

/* The next watch event within ms: 0 and *vec, or -ETIMEDOUT. */
static int next_event(struct xs_handle *h, int fd, int ms, char ***vec)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    if (xs_read_watch(h, vec, false) == 0)
        return 0;
    if (poll(&pfd, 1, ms) <= 0)
        return -ETIMEDOUT;
    return xs_read_watch(h, vec, false);
}

/* Changes come from @o, which may be @h itself. */
static void watch_ops(struct xs_handle *h, struct xs_handle *o, const char *base)
{
    const char *w = path(base, "w"), *wx = path(base, "w/x");
    char **vec = NULL;
    int fd, r;

    r = xs_watch(h, w, "tok1");
    check(r == 0, "watch %s (%s)", w, strerror(-r));
    fd = xs_fileno(h);
    check(fd >= 0, "xs_fileno (%s)", fd < 0 ? strerror(-fd) : "fd");
    if (r < 0 || fd < 0)
        return;
    r = next_event(h, fd, EVENT_WAIT_MS, &vec);
    check(r == 0 && !strcmp(vec[0], w) && !strcmp(vec[1], "tok1"),
          "a new watch fires at once: '%s' '%s'", r == 0 ? vec[0] : "-", r == 0 ? vec[1] : "-");
    free(vec);
    r = xs_write(o, XS_TXN_NULL, wx, "1", 1);
    check(r == 0, "write %s%s (%s)", wx, o == h ? "" : " from the other connection", strerror(-r));
    r = next_event(h, fd, EVENT_WAIT_MS, &vec);
    check(r == 0 && !strcmp(vec[0], wx) && !strcmp(vec[1], "tok1"),
          "a write below fires it: '%s' '%s'", r == 0 ? vec[0] : "-", r == 0 ? vec[1] : "-");
    free(vec);
    r = xs_unwatch(h, w, "tok1");
    check(r == 0, "unwatch (%s)", strerror(-r));
    xs_write(o, XS_TXN_NULL, wx, "2", 1);
    r = next_event(h, fd, 1000, &vec);
    check(r == -ETIMEDOUT, "no event after unwatch");
    if (r == 0)
        free(vec);
}

/* Domain 0's own connection: relative paths are below its home. */
static void domain0_ops(struct xs_handle *h)
{
    char *home = NULL;
    int r = xs_get_domain_path(h, 0, &home);

    check(r == 0 && !strcmp(home, "/local/domain/0"), "domain path of d0: %s",
          r == 0 ? home : strerror(-r));
    free(home);
    r = xs_write(h, XS_TXN_NULL, "data/xenbus-check", "relative", 8);
    check(r == 0, "relative write (%s)", strerror(-r));
    check_value(h, XS_TXN_NULL, "/local/domain/0/data/xenbus-check", "relative",
                "a relative path is domain 0's");
}

int main(int argc, char **argv)
{
    struct xs_handle *h, *o = NULL;
    const char *dev;
    int r;

    if (argc < 4 || (strcmp(argv[2], "all") && strcmp(argv[2], "read")) ||
        (!strcmp(argv[2], "all") && argc > 5) || (!strcmp(argv[2], "read") && argc != 5)) {
        fprintf(stderr, "usage: xenbus-check DEVICE|- all BASE [OTHER] | read KEY VALUE\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(TIMEOUT_S);
    dev = strcmp(argv[1], "-") ? argv[1] : NULL;
    r = xs_open(&h, dev, dev ? 0 : XS_OPEN_DOMAINONLY);
    check(r == 0, "open %s (%s)", dev ? dev : "with XS_OPEN_DOMAINONLY", strerror(-r));
    if (r < 0)
        return 1;
    if (!strcmp(argv[2], "read")) {
        check_value(h, XS_TXN_NULL, argv[3], argv[4], "read");
    } else {
        if (argc == 5) {
            r = xs_open(&o, argv[4], 0);
            check(r == 0, "open %s (%s)", argv[4], strerror(-r));
        }
        basic_ops(h, argv[3]);
        perms_ops(h, argv[3]);
        txn_ops(h, argv[3]);
        domain0_ops(h);
        watch_ops(h, o ? o : h, argv[3]);
    }
    xs_close(o);
    xs_close(h);
    return failures ? 1 : 0;
}
