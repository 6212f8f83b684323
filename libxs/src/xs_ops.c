// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libxenonxs: the requests whose replies need decoding (directory listings,
 * permissions) and the domain and control requests.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenon/xs.h>

/* Turn @n NUL-terminated strings of @len bytes into a NULL-terminated vector. */
static int make_vec(const char *buf, size_t len, char ***out)
{
    unsigned n = 0, i = 0;
    char **v, *copy;

    for (size_t k = 0; k < len; k++)
        n += buf[k] == '\0';
    v = malloc((n + 1) * sizeof(*v) + len + 1);
    if (!v)
        return -ENOMEM;
    copy = (char *)(v + n + 1);
    memcpy(copy, buf, len);
    copy[len] = '\0';
    for (size_t off = 0; i < n; off += strlen(copy + off) + 1)
        v[i++] = copy + off;
    v[n] = NULL;
    *out = v;
    return n;
}

/* Listings larger than one message come in parts; restart if the node changes. */
static int directory_parts(struct xs_handle *h, xs_transaction_t t, const char *path,
                           char ***names)
{
    char *acc = NULL, *gen0 = NULL;
    size_t alen = 0;
    int r, tries = 0;

restart:
    free(acc), free(gen0);
    acc = gen0 = NULL;
    alen = 0;
    if (++tries > 16)
        return -EAGAIN;
    for (;;) {
        char off[24], *rep, *p, *end;
        size_t len, glen;
        struct iovec iov[2] = {{(void *)path, strlen(path) + 1}, {off, 0}};
        bool done = false;

        iov[1].iov_len = snprintf(off, sizeof(off), "%zu", alen) + 1;
        r = xs_request(h, XS_DIRECTORY_PART, t, iov, 2, &rep, &len);
        if (r < 0)
            goto out;
        glen = strnlen(rep, len);
        if (glen == len || (gen0 && strcmp(gen0, rep))) {
            free(rep);
            if (glen == len) {
                r = -EIO;
                goto out;
            }
            goto restart;
        }
        if (!gen0 && !(gen0 = strdup(rep))) {
            free(rep);
            r = -ENOMEM;
            goto out;
        }
        p = rep + glen + 1;
        end = rep + len;
        /* Take whole names; an empty one ends the list. */
        while (p < end) {
            size_t l = strnlen(p, end - p);
            char *na;

            if (l == 0) {
                done = true;
                break;
            }
            na = realloc(acc, alen + l + 1);
            if (!na) {
                free(rep);
                r = -ENOMEM;
                goto out;
            }
            acc = na;
            memcpy(acc + alen, p, l);
            acc[alen + l] = '\0';
            alen += l + 1;
            p += l + 1;
        }
        free(rep);
        if (done)
            break;
    }
    r = make_vec(acc ? acc : "", alen, names);
out:
    free(acc);
    free(gen0);
    return r;
}

int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, char ***names)
{
    struct iovec iov = {(void *)path, strlen(path) + 1};
    char *rep;
    size_t len;
    int r = xs_request(h, XS_DIRECTORY, t, &iov, 1, &rep, &len);

    if (r == -E2BIG)
        return directory_parts(h, t, path, names);
    if (r < 0)
        return r;
    r = make_vec(rep, len, names);
    free(rep);
    return r;
}

int xs_get_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
                 struct xs_permission **perms)
{
    struct iovec iov = {(void *)path, strlen(path) + 1};
    char **v, *rep;
    size_t len;
    int n, r = xs_request(h, XS_GET_PERMS, t, &iov, 1, &rep, &len);

    if (r < 0)
        return r;
    n = make_vec(rep, len, &v);
    free(rep);
    if (n < 0)
        return n;
    *perms = calloc(n ? n : 1, sizeof(**perms));
    if (!*perms) {
        free(v);
        return -ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        const char *letters = "nrwb", *p = strchr(letters, v[i][0]);

        if (!p || !v[i][0]) {
            free(v), free(*perms);
            return -EIO;
        }
        (*perms)[i].access = p - letters;
        (*perms)[i].domid = strtoul(v[i] + 1, NULL, 10);
    }
    free(v);
    return n;
}

int xs_set_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
                 const struct xs_permission *perms, unsigned num)
{
    char buf[XS_PAYLOAD_MAX];
    size_t len = 0;
    struct iovec iov[2];

    for (unsigned i = 0; i < num; i++) {
        if (len + 8 > sizeof(buf) || perms[i].access > XS_PERM_BOTH)
            return -EINVAL;
        len += snprintf(buf + len, sizeof(buf) - len, "%c%u", "nrwb"[perms[i].access],
                        perms[i].domid) + 1;
    }
    iov[0] = (struct iovec){(void *)path, strlen(path) + 1};
    iov[1] = (struct iovec){buf, len};
    return xs_request(h, XS_SET_PERMS, t, iov, 2, NULL, NULL);
}

static int domain_req(struct xs_handle *h, uint32_t type, unsigned nargs, const unsigned long *a,
                      char **reply)
{
    char buf[3][24];
    struct iovec iov[3];

    for (unsigned i = 0; i < nargs; i++) {
        iov[i].iov_base = buf[i];
        iov[i].iov_len = snprintf(buf[i], sizeof(buf[i]), "%lu", a[i]) + 1;
    }
    return xs_request(h, type, XS_TXN_NULL, iov, nargs, reply, NULL);
}

int xs_introduce_domain(struct xs_handle *h, unsigned domid, unsigned long mfn, unsigned port)
{
    unsigned long a[3] = {domid, mfn, port};

    return domain_req(h, XS_INTRODUCE, 3, a, NULL);
}

int xs_release_domain(struct xs_handle *h, unsigned domid)
{
    unsigned long a[1] = {domid};

    return domain_req(h, XS_RELEASE, 1, a, NULL);
}

int xs_resume_domain(struct xs_handle *h, unsigned domid)
{
    unsigned long a[1] = {domid};

    return domain_req(h, XS_RESUME, 1, a, NULL);
}

int xs_set_target(struct xs_handle *h, unsigned domid, unsigned target)
{
    unsigned long a[2] = {domid, target};

    return domain_req(h, XS_SET_TARGET, 2, a, NULL);
}

int xs_is_domain_introduced(struct xs_handle *h, unsigned domid)
{
    unsigned long a[1] = {domid};
    char *rep;
    int r = domain_req(h, XS_IS_DOMAIN_INTRODUCED, 1, a, &rep);

    if (r < 0)
        return r;
    r = rep[0] == 'T';
    free(rep);
    return r;
}

int xs_get_domain_path(struct xs_handle *h, unsigned domid, char **path)
{
    unsigned long a[1] = {domid};

    return domain_req(h, XS_GET_DOMAIN_PATH, 1, a, path);
}

int xs_reset_watches(struct xs_handle *h)
{
    struct iovec iov = {"", 1};

    return xs_request(h, XS_RESET_WATCHES, XS_TXN_NULL, &iov, 1, NULL, NULL);
}

int xs_control(struct xs_handle *h, const char *const *args, unsigned nargs, char **out)
{
    struct iovec iov[8];

    if (nargs == 0 || nargs > 8)
        return -EINVAL;
    for (unsigned i = 0; i < nargs; i++)
        iov[i] = (struct iovec){(void *)args[i], strlen(args[i]) + 1};
    return xs_request(h, XS_CONTROL, XS_TXN_NULL, iov, nargs, out, NULL);
}
