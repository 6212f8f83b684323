// SPDX-License-Identifier: GPL-2.0-only
/*
 * HYPERVISOR_physdev_op, the calls Linux's drivers/xen/pci.c and
 * drivers/xen/dbgp.c make in a PVH initial domain: pci_mmcfg_reserved once,
 * pci_device_add per function (again after a rescan), pci_device_remove on
 * hot-unplug, dbgp_op around an EHCI reset. Booted twice: ctl=1 as the
 * control domain d0, which may do all of it, and ctl=0 as an ordinary d1,
 * which gets -EPERM. Commands Xenon does not implement are -ENOSYS for
 * both, before any access check.
 */
#include "guest.h"
#include <public/physdev.h>

static long physdev_op(unsigned int cmd, void *arg)
{
    return hypercall_raw(__HYPERVISOR_physdev_op, cmd, hcall_ptr(arg), 0, 0, 0);
}

static long device_add(uint8_t bus, uint8_t devfn, uint32_t flags)
{
    struct physdev_pci_device_add add = {.seg = 0, .bus = bus, .devfn = devfn, .flags = flags};

    return physdev_op(PHYSDEVOP_pci_device_add, &add);
}

static long device_remove(uint8_t bus, uint8_t devfn)
{
    struct physdev_pci_device dev = {.seg = 0, .bus = bus, .devfn = devfn};

    return physdev_op(PHYSDEVOP_pci_device_remove, &dev);
}

static long mmcfg_reserved(uint64_t address, uint16_t seg, uint8_t start, uint8_t end)
{
    struct physdev_pci_mmcfg_reserved r = {
        .address = address,
        .segment = seg,
        .start_bus = start,
        .end_bus = end,
        .flags = XEN_PCI_MMCFG_RESERVED,
    };

    return physdev_op(PHYSDEVOP_pci_mmcfg_reserved, &r);
}

static long dbgp(uint8_t op)
{
    struct physdev_dbgp_op d = {
        .op = op, .bus = PHYSDEVOP_DBGP_BUS_PCI, .u.pci = {0, 0, 0x1d << 3}};

    return physdev_op(PHYSDEVOP_dbgp_op, &d);
}

/* Commands that are -ENOSYS whoever asks. */
static void check_not_implemented(void)
{
    struct physdev_pci_device dev = {0, 0, 0x18};

    check_eq("unknown command 999", physdev_op(999, &dev), -XEN_ENOSYS);
    check_eq("restore_msi_ext", physdev_op(PHYSDEVOP_restore_msi_ext, &dev), -XEN_ENOSYS);
    check_eq("prepare_msix", physdev_op(PHYSDEVOP_prepare_msix, &dev), -XEN_ENOSYS);
    check_eq("map_pirq", physdev_op(PHYSDEVOP_map_pirq, &dev), -XEN_ENOSYS);
    check_eq("pirq_eoi_gmfn_v2", physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &dev), -XEN_ENOSYS);
}

static void check_unprivileged(void)
{
    struct physdev_manage_pci m = {0, 0x18};

    check_eq("pci_device_add", device_add(0, 0x18, 0), -XEN_EPERM);
    check_eq("pci_device_remove", device_remove(0, 0x18), -XEN_EPERM);
    check_eq("manage_pci_add", physdev_op(PHYSDEVOP_manage_pci_add, &m), -XEN_EPERM);
    check_eq("manage_pci_remove", physdev_op(PHYSDEVOP_manage_pci_remove, &m), -XEN_EPERM);
    check_eq("pci_mmcfg_reserved", mmcfg_reserved(0xb0000000, 0, 0, 0xff), -XEN_EPERM);
    check_eq("dbgp_op", dbgp(PHYSDEVOP_DBGP_RESET_PREPARE), -XEN_EPERM);
    /* The caller is checked before the argument is read. */
    check_eq("pci_device_add, unmapped", physdev_op(PHYSDEVOP_pci_device_add, (void *)UNMAPPED_GPA),
             -XEN_EPERM);
}

/* What Linux does at boot and on a rescan or hot-unplug. */
static void check_linux_sequence(void)
{
    struct {
        struct physdev_pci_device_add add;
        uint32_t pxm;
    } with_pxm = {{.bus = 0, .devfn = 0x20, .flags = XEN_PCI_DEV_PXM}, 0};
    struct physdev_pci_device_add vf = {
        .bus = 1,
        .devfn = 0x01,
        .flags = XEN_PCI_DEV_VIRTFN,
        .physfn = {1, 0x00},
    };

    check_eq("pci_mmcfg_reserved", mmcfg_reserved(0xb0000000, 0, 0, 0xff), 0);
    check_eq("pci_device_add 00:00.0", device_add(0, 0x00, 0), 0);
    check_eq("pci_device_add 00:03.0", device_add(0, 0x18, 0), 0);
    check_eq("pci_device_add 00:04.0 with PXM", physdev_op(PHYSDEVOP_pci_device_add, &with_pxm), 0);
    check_eq("pci_device_add 01:00.1 (VF)", physdev_op(PHYSDEVOP_pci_device_add, &vf), 0);
    check_eq("pci_device_add 00:03.0 again", device_add(0, 0x18, 0), 0);
    check_eq("dbgp_op reset prepare", dbgp(PHYSDEVOP_DBGP_RESET_PREPARE), 0);
    check_eq("dbgp_op reset done", dbgp(PHYSDEVOP_DBGP_RESET_DONE), 0);
    check_eq("pci_device_remove 00:03.0", device_remove(0, 0x18), 0);
    check_eq("pci_device_remove 00:03.0 again", device_remove(0, 0x18), -XEN_ENODEV);
    check_eq("pci_device_add 00:03.0 back", device_add(0, 0x18, 0), 0);
    /* The VF brought its PF 01:00.0 in. */
    check_eq("pci_device_remove 01:00.0", device_remove(1, 0x00), 0);
}

static void check_errors(void)
{
    struct physdev_manage_pci m = {2, 0x08};

    check_eq("pci_device_add, unknown flag", device_add(0, 0x28, 0x8), -XEN_EINVAL);
    check_eq("pci_device_remove, never added", device_remove(0, 0x28), -XEN_ENODEV);
    check_eq("pci_device_add, unmapped", physdev_op(PHYSDEVOP_pci_device_add, (void *)UNMAPPED_GPA),
             -XEN_EFAULT);
    check_eq("pci_mmcfg_reserved, buses reversed", mmcfg_reserved(0xb0000000, 1, 0x20, 0x10),
             -XEN_EINVAL);
    check_eq("pci_mmcfg_reserved, moved", mmcfg_reserved(0xc0000000, 0, 0, 0xff), -XEN_EIO);
    check_eq("dbgp_op, unknown op", dbgp(7), -XEN_EINVAL);
    check_eq("manage_pci_add", physdev_op(PHYSDEVOP_manage_pci_add, &m), 0);
    check_eq("manage_pci_remove", physdev_op(PHYSDEVOP_manage_pci_remove, &m), 0);
    check_eq("manage_pci_remove again", physdev_op(PHYSDEVOP_manage_pci_remove, &m), -XEN_ENODEV);
}

void test_main(void)
{
    check_not_implemented();
    if (!guest_arg("ctl", 0)) {
        check_unprivileged();
        return;
    }
    check_linux_sequence();
    check_errors();
}
