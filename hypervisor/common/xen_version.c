/* SPDX-License-Identifier: GPL-2.0-only */
/* HYPERVISOR_xen_version: which Xen interface we speak and what it offers. */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/version.h>
#include <xenon/xsm.h>
#include <public/features.h>
#include <public/version.h>

#define HYPERVISOR_VIRT_START 0xffff800000000000ull

#include <xenon/setup.h>

static uint32_t feature_submap0(const struct domain *d)
{
    uint32_t f = (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
                 (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock);

    if (is_control_domain(d))
        f |= 1u << XENFEAT_dom0;
    return f;
}

/* Copy a fixed-size, NUL-padded string field to the guest. */
static long put_string(struct vcpu *v, uint64_t arg, const char *s, size_t field)
{
    char buf[XEN_CAPABILITIES_LEN] = { 0 };

    memcpy(buf, s, MIN(strlen(s), field - 1));
    return copy_to_guest(v, arg, buf, field) ? -EFAULT : 0;
}

static long get_features(struct vcpu *v, uint64_t arg)
{
    struct xen_feature_info fi;

    if (copy_from_guest(v, &fi, arg, sizeof(fi)))
        return -EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -EINVAL;
    fi.submap = feature_submap0(v->domain);
    return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -EFAULT : 0;
}

static long compile_info(struct vcpu *v, uint64_t arg)
{
    struct xen_compile_info ci = { 0 };

    memcpy(ci.compiler, "gcc " __VERSION__, MIN(sizeof("gcc " __VERSION__), sizeof(ci.compiler) - 1));
    memcpy(ci.compile_by, "xenon", 5);
    memcpy(ci.compile_domain, "xenon", 5);
    memcpy(ci.compile_date, __DATE__, sizeof(__DATE__) - 1);
    return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -EFAULT : 0;
}

long do_xen_version(struct vcpu *v, const struct hypercall_args *args)
{
    uint64_t arg = args->a[1];
    uint8_t handle[16] = { 0 };

    switch (args->a[0]) {
    case XENVER_version:
        return (XENON_XEN_MAJOR << 16) | XENON_XEN_MINOR;
    case XENVER_extraversion:
        return put_string(v, arg, XENON_EXTRAVERSION, XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info:
        return compile_info(v, arg);
    case XENVER_capabilities:
        return put_string(v, arg, "hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p", XEN_CAPABILITIES_LEN);
    case XENVER_changeset:
        return put_string(v, arg, "xenon " XENON_VERSION_STRING, XEN_CHANGESET_LEN);
    case XENVER_platform_parameters: {
        struct xen_platform_parameters pp = { HYPERVISOR_VIRT_START };
        return copy_to_guest(v, arg, &pp, sizeof(pp)) ? -EFAULT : 0;
    }
    case XENVER_get_features:
        return get_features(v, arg);
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(v, arg, handle, sizeof(handle)) ? -EFAULT : 0;
    case XENVER_commandline:
        /* Host configuration: the control domain's business only, as in Xen. */
        if (xsm_host_info(v->domain))
            return -EPERM;
        return put_string(v, arg, xenon_cmdline, XEN_COMMANDLINE_LEN);
    case XENVER_build_id:
        if (xsm_host_info(v->domain))
            return -EPERM;
        return -ENODATA; /* no build id note in this image */
    }
    return -ENOSYS;
}
