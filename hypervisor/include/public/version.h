/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_xen_version(cmd, XEN_GUEST_HANDLE(void) arg) */
#ifndef XEN_PUBLIC_VERSION_H
#define XEN_PUBLIC_VERSION_H

#include "xen-types.h"

/* Returns (major << 16) | minor; arg is ignored. */
#define XENVER_version              0

/* arg: char[16], NUL-terminated, e.g. ".0-xenon" */
#define XENVER_extraversion         1
typedef char xen_extraversion_t[16];

#define XENVER_compile_info         2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info layout");

/* arg: char[1024], space-separated, e.g. "xen-3.0-x86_64 hvm-3.0-x86_64" */
#define XENVER_capabilities         3
typedef char xen_capabilities_info_t[1024];

#define XENVER_changeset            4
typedef char xen_changeset_info_t[64];

/* Lowest hypervisor virtual address a PV guest may not use. */
#define XENVER_platform_parameters  5
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "");

/* arg: in submap_idx, out submap (bit n = XENFEAT n + 32 * submap_idx) */
#define XENVER_get_features         6
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "");

/* Returns the hypervisor page size; arg is ignored. */
#define XENVER_pagesize             7

/* arg: xen_domain_handle_t (16-byte UUID of the calling domain) */
#define XENVER_guest_handle         8

/* arg: char[1024], the hypervisor's own command line */
#define XENVER_commandline          9
typedef char xen_commandline_t[1024];

/*
 * arg: struct xen_build_id with len = size of buf. Returns the number of
 * bytes written, or -ENOBUFS if len is too small (a NULL arg asks for
 * the size, as Xen does).
 */
#define XENVER_build_id            10
struct xen_build_id {
    uint32_t len;
    uint8_t buf[];
};
_Static_assert(sizeof(struct xen_build_id) == 4, "");

#define XEN_EXTRAVERSION_LEN   16
#define XEN_CAPABILITIES_LEN   1024
#define XEN_CHANGESET_LEN      64
#define XEN_COMMANDLINE_LEN    1024

#endif
