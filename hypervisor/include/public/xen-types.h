/* SPDX-License-Identifier: MIT */
/*
 * Scalar types of the Xen guest ABI (x86-64) and the guest-handle convention.
 *
 * A guest handle is an address in the calling guest's virtual address space,
 * 64 bits wide. Xen wraps it in a one-pointer struct; here it is a plain
 * uint64_t so the hypervisor never dereferences it by mistake: it must
 * translate it (guest-virtual -> guest-physical -> machine) and copy.
 * Only <stdint.h> is required, so guests, the hypervisor and the toolstack
 * can all include this header.
 */
#ifndef XEN_PUBLIC_XEN_TYPES_H
#define XEN_PUBLIC_XEN_TYPES_H

#include <stdint.h>

typedef uint64_t xen_guest_handle_t;

/* The element type is documentation only; the representation never changes. */
#define XEN_GUEST_HANDLE(type)       xen_guest_handle_t
#define XEN_GUEST_HANDLE_64(type)    xen_guest_handle_t
#define XEN_GUEST_HANDLE_PARAM(type) xen_guest_handle_t

/* Guest side: make a handle out of a pointer (identity-mapped or not). */
#define XEN_GUEST_HANDLE_FROM_PTR(p) ((xen_guest_handle_t)(uintptr_t)(p))
#define XEN_NULL_HANDLE              ((xen_guest_handle_t)0)

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;      /* a guest or machine frame number */
typedef uint64_t xen_ulong_t;    /* "unsigned long" of a 64-bit guest */
typedef int64_t  xen_long_t;
typedef uint32_t evtchn_port_t;
typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint8_t  xen_domain_handle_t[16]; /* a UUID */

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1u << XEN_PAGE_SHIFT)

_Static_assert(sizeof(xen_guest_handle_t) == 8, "guest handle is 64-bit");
_Static_assert(sizeof(xen_ulong_t) == 8, "xen_ulong_t is 64-bit on x86-64");

#endif
