/* SPDX-License-Identifier: MIT */
/*
 * The xenstore ring page shared by a guest and xenstored (Xen's
 * xenstore-ring.txt): two byte rings, their indices, and the connection
 * state a guest waits on until xenstored has taken the page over.
 */
#ifndef XEN_PUBLIC_IO_XS_WIRE_H
#define XEN_PUBLIC_IO_XS_WIRE_H

#include "../xen-types.h"

#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE]; /* guest -> xenstored */
    char rsp[XENSTORE_RING_SIZE]; /* xenstored -> guest, replies and watch events */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;      /* XENSTORE_CONNECTED or XENSTORE_RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* */
};
_Static_assert(__builtin_offsetof(struct xenstore_domain_interface, connection) == 2068, "");

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

/*
 * connection: a page that says RECONNECT is not served yet; a guest waits
 * for an event on the store port and looks again. xenstored writes
 * CONNECTED when it takes the page over.
 */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

#endif
