/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_platform_op(struct xen_platform_op *): host platform operations
 * for the control domain (Xen 4.17 numbers and layouts).
 */
#ifndef XEN_PUBLIC_PLATFORM_H
#define XEN_PUBLIC_PLATFORM_H

#include "xen-types.h"

#define XENPF_INTERFACE_VERSION 0x03000001

/* Set the time of day: it was secs.nsecs at system time system_time. */
#define XENPF_settime32 17
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
_Static_assert(sizeof(struct xenpf_settime32) == 16, "");
#define XENPF_settime64 62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
_Static_assert(sizeof(struct xenpf_settime64) == 24, "");

/* Describe one physical CPU (how Linux's xen-pcpu driver lists them). */
#define XENPF_get_cpuinfo 55
#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2  /* no such CPU */
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;    /* IN */
    uint32_t max_present;  /* OUT: highest CPU id present */
    uint32_t flags;        /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;
    uint32_t acpi_id;
};
_Static_assert(sizeof(struct xenpf_pcpuinfo) == 20, "");

struct xen_platform_op {
    uint32_t cmd;                  /* XENPF_* */
    uint32_t interface_version;    /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        struct xenpf_pcpuinfo pcpu_info;
        uint8_t pad[128];          /* fixes the size for every operation, known or not */
    } u;
};
_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op layout");
_Static_assert(__builtin_offsetof(struct xen_platform_op, u) == 8, "");

#endif
