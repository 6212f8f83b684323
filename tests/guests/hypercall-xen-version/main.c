// SPDX-License-Identifier: GPL-2.0-only
/* Every XENVER_* subop Linux uses answers sensibly. */
#include "guest.h"
#include <public/version.h>
#include <public/features.h>

static void strcpy_s(char *d, const char *s)
{
    memcpy(d, s, strlen(s) + 1);
}

static bool terminated(const char *s, size_t n)
{
    return strnlen(s, n) < n;
}

static void check_strings(void)
{
    static xen_extraversion_t extra;
    static struct xen_compile_info ci;
    static xen_capabilities_info_t caps;
    static xen_changeset_info_t cs;
    static xen_commandline_t cmdline;
    long rc;

    memset(&ci, 0xff, sizeof(ci));
    memset(extra, 0xff, sizeof(extra));
    memset(caps, 0xff, sizeof(caps));
    memset(cs, 0xff, sizeof(cs));
    memset(cmdline, 0xff, sizeof(cmdline));
    check_eq("extraversion", HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    check_eq("compile_info", HYPERVISOR_xen_version(XENVER_compile_info, &ci), 0);
    check_eq("capabilities", HYPERVISOR_xen_version(XENVER_capabilities, caps), 0);
    check_eq("changeset", HYPERVISOR_xen_version(XENVER_changeset, cs), 0);
    /* Host configuration: Xen gives it to privileged domains only. */
    rc = HYPERVISOR_xen_version(XENVER_commandline, cmdline);
    if (rc == -XEN_EPERM)
        strcpy_s(cmdline, "(EPERM for a domU)");
    else
        check_eq("commandline", rc, 0);
    if (!terminated(extra, sizeof(extra)) || !terminated(ci.compiler, sizeof(ci.compiler)) ||
        !terminated(ci.compile_by, sizeof(ci.compile_by)) ||
        !terminated(ci.compile_domain, sizeof(ci.compile_domain)) ||
        !terminated(ci.compile_date, sizeof(ci.compile_date)) ||
        !terminated(caps, sizeof(caps)) || !terminated(cs, sizeof(cs)) ||
        !terminated(cmdline, sizeof(cmdline))) {
        test_fail("a string result is not NUL-terminated");
        return;
    }
    printf("extraversion \"%s\", compiler \"%s\", by \"%s@%s\" on \"%s\"\n", extra,
           ci.compiler, ci.compile_by, ci.compile_domain, ci.compile_date);
    printf("capabilities \"%s\", changeset \"%s\", cmdline \"%s\"\n", caps, cs, cmdline);
    /* Linux's PVH/HVM code and tools look for the HVM x86_64 capability. */
    if (!caps[0])
        test_fail("empty capabilities");
}

static void check_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0, .submap = 0xdeadbeef };

    check_eq("get_features submap 0", HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    printf("features submap 0: %#x\n", fi.submap);
    if (!(fi.submap & (1u << XENFEAT_hvm_callback_vector)))
        test_fail("XENFEAT_hvm_callback_vector missing");
    if (!(fi.submap & (1u << XENFEAT_hvm_safe_pvclock)))
        test_fail("XENFEAT_hvm_safe_pvclock missing");
    if (!(fi.submap & (1u << XENFEAT_auto_translated_physmap)))
        test_fail("XENFEAT_auto_translated_physmap missing (PVH is auto-translated)");
    if (fi.submap & (1u << XENFEAT_dom0))
        test_fail("XENFEAT_dom0 set for a domU");
}

void test_main(void)
{
    struct xen_platform_parameters pp = { .virt_start = 0x1234 };
    xen_domain_handle_t handle;
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    if (ver < 0 || (ver >> 16) == 0)
        test_fail("XENVER_version returned %#lx", ver);
    check_strings();
    check_features();
    check_eq("platform_parameters", HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0);
    printf("virt_start %#lx\n", pp.virt_start);
    check_eq("pagesize", HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
    memset(handle, 0xff, sizeof(handle));
    check_eq("guest_handle", HYPERVISOR_xen_version(XENVER_guest_handle, handle), 0);
    printf("guest handle %02x%02x%02x%02x-...\n", handle[0], handle[1], handle[2], handle[3]);
}
