/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_console_io: guest writes go to the serial line; the control domain reads its input. */
#include <xenon/console.h>
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <public/xen.h>

#define CHUNK 128

static long console_io_write(struct vcpu *v, uint64_t count, uint64_t buf)
{
    char tmp[CHUNK];

    while (count) {
        size_t n = MIN(count, sizeof(tmp));

        if (copy_from_guest(v, tmp, buf, n))
            return -EFAULT;
        console_guest_write(v->domain, tmp, n);
        buf += n;
        count -= n;
    }
    return 0;
}

static long console_io_read(struct vcpu *v, uint64_t count, uint64_t buf)
{
    char tmp[CHUNK];
    size_t n;

    /* Serial input belongs to the control domain; others never have any pending. */
    if (!is_control_domain(v->domain) || !count)
        return 0;
    n = console_read(tmp, MIN(count, sizeof(tmp)));
    if (n && copy_to_guest(v, buf, tmp, n))
        return -EFAULT;
    return (long)n;
}

long do_console_io(struct vcpu *v, const struct hypercall_args *args)
{
    switch (args->a[0]) {
    case CONSOLEIO_write:
        return console_io_write(v, args->a[1], args->a[2]);
    case CONSOLEIO_read:
        return console_io_read(v, args->a[1], args->a[2]);
    }
    return -ENOSYS;
}
