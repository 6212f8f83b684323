/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypervisor-internal errno names: the public Xen values, independent of any libc. */
#ifndef XENON_ERRNO_H
#define XENON_ERRNO_H

#include <public/errno.h>

#ifdef XENON_HOST
/* Host unit tests: libc's values are Linux's, which are Xen's. */
#include <errno.h>
#else
#define EPERM XEN_EPERM
#define ENOENT XEN_ENOENT
#define ESRCH XEN_ESRCH
#define EINTR XEN_EINTR
#define EIO XEN_EIO
#define E2BIG XEN_E2BIG
#define ENOEXEC XEN_ENOEXEC
#define EBADF XEN_EBADF
#define EAGAIN XEN_EAGAIN
#define ENOMEM XEN_ENOMEM
#define EACCES XEN_EACCES
#define EFAULT XEN_EFAULT
#define EBUSY XEN_EBUSY
#define EEXIST XEN_EEXIST
#define ENODEV XEN_ENODEV
#define EINVAL XEN_EINVAL
#define ENOSPC XEN_ENOSPC
#define ERANGE XEN_ERANGE
#define ENAMETOOLONG XEN_ENAMETOOLONG
#define ENOSYS XEN_ENOSYS
#define ENODATA XEN_ENODATA
#define ETIME XEN_ETIME
#define ETIMEDOUT XEN_ETIMEDOUT
#define EOVERFLOW XEN_EOVERFLOW
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define ENOBUFS XEN_ENOBUFS
#endif

#endif
