// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's own numbers, read from the public header installed by libxen-dev, so
 * that test_ring.c can compare ours with them (the two headers cannot share
 * a translation unit: they name the same enumerators).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

const unsigned xen_msg_types[] = {
    XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH,
    XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE, XS_GET_DOMAIN_PATH,
    XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_WATCH_EVENT, XS_ERROR, XS_IS_DOMAIN_INTRODUCED,
    XS_RESUME, XS_SET_TARGET, XS_RESET_WATCHES, XS_DIRECTORY_PART, XS_TYPE_COUNT, XS_INVALID,
};

const size_t xen_layout[] = {
    sizeof(struct xenstore_domain_interface),
    offsetof(struct xenstore_domain_interface, req_cons),
    offsetof(struct xenstore_domain_interface, req_prod),
    offsetof(struct xenstore_domain_interface, rsp_cons),
    offsetof(struct xenstore_domain_interface, rsp_prod),
    offsetof(struct xenstore_domain_interface, server_features),
    offsetof(struct xenstore_domain_interface, connection),
    offsetof(struct xenstore_domain_interface, error),
    sizeof(struct xsd_sockmsg),
    XENSTORE_RING_SIZE,
    XENSTORE_PAYLOAD_MAX,
    XENSTORE_ABS_PATH_MAX,
    XENSTORE_REL_PATH_MAX,
};

const struct xsd_errors *const xen_errors = xsd_errors;
const size_t xen_nerrors = sizeof(xsd_errors) / sizeof(xsd_errors[0]);
