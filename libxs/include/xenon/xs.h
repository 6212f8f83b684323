/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenonxs: a thread-safe xenstore client, over xenstored's unix socket or
 * over /dev/xen/xenbus inside a guest. Every function returns 0 (or a count)
 * on success and a negative errno on failure; the daemon's error names map to
 * the errno values of the same name. Memory the library returns is one
 * allocation each, released with free().
 */
#ifndef XENON_XS_H
#define XENON_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <xenon/xs_wire.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xs_handle;
typedef uint32_t xs_transaction_t;
#define XS_TXN_NULL ((xs_transaction_t)0)

/* xs_open() flags */
#define XS_OPEN_SOCKETONLY (1u << 0) /* never fall back to /dev/xen/xenbus */
#define XS_OPEN_DOMAINONLY (1u << 1) /* only /dev/xen/xenbus */

#define XS_DEFAULT_SOCKET "/run/xenstored/socket"
#define XS_DEFAULT_DEVICE "/dev/xen/xenbus"

struct xs_permission {
    uint16_t domid;
    uint8_t access; /* enum xs_perm_access */
};

/*
 * Connect. @path NULL means $XENSTORED_PATH, else the default socket, then
 * (unless XS_OPEN_SOCKETONLY) the xenbus device. A path naming something that
 * is not a socket is opened as a xenbus-style device.
 */
int xs_open(struct xs_handle **out, const char *path, unsigned flags);
void xs_close(struct xs_handle *h);

/* *value is NUL-terminated (not counted in *len); len may be NULL. */
int xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, char **value, size_t *len);
int xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
             size_t len);
int xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
int xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* *names is a NULL-terminated vector; returns the number of entries. */
int xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, char ***names);
/* Returns the number of entries; (*perms)[0] is the owner and default. */
int xs_get_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
                 struct xs_permission **perms);
int xs_set_perms(struct xs_handle *h, xs_transaction_t t, const char *path,
                 const struct xs_permission *perms, unsigned num);

int xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_unwatch(struct xs_handle *h, const char *path, const char *token);
/* A descriptor readable while watch events are queued (starts a reader thread). */
int xs_fileno(struct xs_handle *h);
/* (*vec)[0] is the path, (*vec)[1] the token. -EAGAIN if !block and none. */
int xs_read_watch(struct xs_handle *h, char ***vec, bool block);

int xs_transaction_start(struct xs_handle *h, xs_transaction_t *t);
/* -EAGAIN on commit: another client changed what the transaction used. */
int xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

int xs_introduce_domain(struct xs_handle *h, unsigned domid, unsigned long mfn, unsigned port);
int xs_release_domain(struct xs_handle *h, unsigned domid);
int xs_resume_domain(struct xs_handle *h, unsigned domid);
int xs_set_target(struct xs_handle *h, unsigned domid, unsigned target);
/* Returns 1 if introduced, 0 if not. */
int xs_is_domain_introduced(struct xs_handle *h, unsigned domid);
int xs_get_domain_path(struct xs_handle *h, unsigned domid, char **path);
int xs_reset_watches(struct xs_handle *h);
/* XS_CONTROL with NUL-separated arguments; *out is the daemon's text. */
int xs_control(struct xs_handle *h, const char *const *args, unsigned nargs, char **out);

/* Any request; *reply (NUL-terminated beyond *len) may be NULL if unwanted. */
int xs_request(struct xs_handle *h, uint32_t type, xs_transaction_t t, const struct iovec *iov,
               unsigned niov, char **reply, size_t *len);
/* The errno for a daemon error name, e.g. "ENOENT"; EIO if unknown. */
int xs_errno_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* XENON_XS_H */
