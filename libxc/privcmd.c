// SPDX-License-Identifier: LGPL-2.1-only
/* Hypercalls through Linux's privcmd driver (IOCTL_PRIVCMD_HYPERCALL). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xc.h"
#include <public/hvm/hvm_op.h>
#include <public/xen.h>
/* Linux's uapi header, after ours: it expects domid_t and xen_pfn_t defined. */
#include <xen/sys/privcmd.h>

struct xc {
    int fd;
};

int xc_open(struct xc **out)
{
    const char *path = getenv("XC_PRIVCMD");
    struct xc *xc = calloc(1, sizeof(*xc));

    if (!xc)
        return -ENOMEM;
    xc->fd = open(path ? path : "/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (xc->fd < 0) {
        int r = -errno;

        free(xc);
        return r;
    }
    *out = xc;
    return 0;
}

void xc_close(struct xc *xc)
{
    if (!xc)
        return;
    close(xc->fd);
    free(xc);
}

long xc_hypercall(struct xc *xc, unsigned int op, const uint64_t args[5])
{
    privcmd_hypercall_t call = { .op = op };
    long r;

    memcpy(call.arg, args, sizeof(call.arg));
    r = ioctl(xc->fd, IOCTL_PRIVCMD_HYPERCALL, &call);
    return r < 0 ? -errno : r;
}

/*
 * The hypervisor reads and writes the argument through the caller's page
 * tables: keep it resident for the call, as Xen's own libxc does with its
 * hypercall buffers.
 */
static long call_with_buffer(struct xc *xc, unsigned int op, void *buf, size_t len)
{
    uint64_t args[5] = { (uint64_t)(uintptr_t)buf };
    long r;

    if (mlock(buf, len))
        return -errno;
    r = xc_hypercall(xc, op, args);
    munlock(buf, len);
    return r;
}

int xc_sysctl(struct xc *xc, struct xen_sysctl *s)
{
    s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return (int)call_with_buffer(xc, __HYPERVISOR_sysctl, s, sizeof(*s));
}

int xc_domctl(struct xc *xc, struct xen_domctl *d)
{
    d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return (int)call_with_buffer(xc, __HYPERVISOR_domctl, d, sizeof(*d));
}

int xc_physinfo(struct xc *xc, struct xen_sysctl_physinfo *out)
{
    struct xen_sysctl s = { .cmd = XEN_SYSCTL_physinfo };
    int r = xc_sysctl(xc, &s);

    if (!r)
        *out = s.u.physinfo;
    return r;
}

int xc_domain_getinfo(struct xc *xc, domid_t domid, struct xen_domctl_getdomaininfo *out)
{
    struct xen_domctl d = { .cmd = XEN_DOMCTL_getdomaininfo, .domain = domid };
    int r = xc_domctl(xc, &d);

    if (!r)
        *out = d.u.getdomaininfo;
    return r;
}

int xc_hvm_param_get(struct xc *xc, domid_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index };
    uint64_t args[5] = { HVMOP_get_param, (uint64_t)(uintptr_t)&p };
    long r;

    if (mlock(&p, sizeof(p)))
        return -errno;
    r = xc_hypercall(xc, __HYPERVISOR_hvm_op, args);
    munlock(&p, sizeof(p));
    if (!r)
        *value = p.value;
    return (int)r;
}
