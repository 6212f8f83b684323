// SPDX-License-Identifier: GPL-2.0-only
/*
 * HYPERVISOR_physdev_op (common/physdev_op.c) with the real device and
 * MMCONFIG tables (common/pci.c) and access-control hooks (common/xsm.c):
 * the order of the checks (unknown command, caller, guest memory,
 * arguments), what each command records, and the tables' limits. Guest
 * memory is a small host buffer: a guest address is a host pointer into it,
 * and a copy that leaves it is -EFAULT, so arguments can be placed to
 * straddle its end.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/pci.h>
#include <public/physdev.h>
#include <public/xen.h>

/* ---- Fakes ---- */

static uint8_t guest_mem[256];
static unsigned int nr_copies_in;

static bool in_guest_mem(uint64_t gva, size_t len)
{
    uintptr_t lo = (uintptr_t)guest_mem, hi = lo + sizeof(guest_mem);

    return gva >= lo && gva <= hi && len <= hi - gva;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    nr_copies_in++;
    if (!in_guest_mem(gva, len))
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)gva, len);
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    if (!in_guest_mem(gva, len))
        return -EFAULT;
    memcpy((void *)(uintptr_t)gva, src, len);
    return 0;
}

/* ---- Helpers ---- */

static struct domain dom0 = {.id = 0}, dom1 = {.id = 1};
static struct vcpu vcpu0 = {.domain = &dom0}, vcpu1 = {.domain = &dom1};

static void reset(void)
{
    pci_reset();
    memset(guest_mem, 0, sizeof(guest_mem));
    nr_copies_in = 0;
}

static long physdev_at(struct vcpu *v, uint64_t cmd, uint64_t gva)
{
    struct hypercall_args a = {__HYPERVISOR_physdev_op, {cmd, gva}};

    return do_physdev_op(v, &a);
}

/* Copy the argument into guest memory at offset off and make the call. */
static long physdev_off(struct vcpu *v, uint64_t cmd, const void *arg, size_t len, size_t off)
{
    memcpy(guest_mem + off, arg, len);
    return physdev_at(v, cmd, (uint64_t)(uintptr_t)(guest_mem + off));
}

#define physdev(v, cmd, argp) physdev_off((v), (cmd), (argp), sizeof(*(argp)), 0)

static struct pci_sbdf sbdf(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    return (struct pci_sbdf){seg, bus, devfn};
}

static long add(struct vcpu *v, uint16_t seg, uint8_t bus, uint8_t devfn, uint32_t flags)
{
    struct physdev_pci_device_add a = {.seg = seg, .bus = bus, .devfn = devfn, .flags = flags};

    return physdev(v, PHYSDEVOP_pci_device_add, &a);
}

static long remove_dev(struct vcpu *v, uint16_t seg, uint8_t bus, uint8_t devfn)
{
    struct physdev_pci_device d = {seg, bus, devfn};

    return physdev(v, PHYSDEVOP_pci_device_remove, &d);
}

static long mmcfg(struct vcpu *v, uint64_t addr, uint16_t seg, uint8_t start, uint8_t end,
                  uint32_t flags)
{
    struct physdev_pci_mmcfg_reserved r = {addr, seg, start, end, flags};

    return physdev(v, PHYSDEVOP_pci_mmcfg_reserved, &r);
}

static long dbgp(struct vcpu *v, uint8_t op, uint8_t bus)
{
    struct physdev_dbgp_op d = {.op = op, .bus = bus, .u.pci = {0, 0, 0x1d << 3}};

    return physdev(v, PHYSDEVOP_dbgp_op, &d);
}

/* ---- Dispatch and access control ---- */

TEST(unknown_commands)
{
    static const uint64_t cmds[] = {
        0,
        PHYSDEVOP_eoi,
        PHYSDEVOP_irq_status_query,
        PHYSDEVOP_map_pirq,
        PHYSDEVOP_pirq_eoi_gmfn_v2,
        PHYSDEVOP_restore_msi,
        PHYSDEVOP_restore_msi_ext,
        PHYSDEVOP_prepare_msix,
        PHYSDEVOP_release_msix,
        32,
        999,
        (1ull << 32) | PHYSDEVOP_pci_device_add,
        UINT64_MAX,
    };

    reset();
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
        CHECK_EQ(physdev_at(&vcpu0, cmds[i], (uint64_t)(uintptr_t)guest_mem), -ENOSYS);
        CHECK_EQ(physdev_at(&vcpu1, cmds[i], (uint64_t)(uintptr_t)guest_mem), -ENOSYS);
    }
    /* Nothing was read for a command we do not know. */
    CHECK_EQ(nr_copies_in, 0);
}

TEST(unprivileged_caller)
{
    static const uint64_t cmds[] = {
        PHYSDEVOP_manage_pci_add,
        PHYSDEVOP_manage_pci_remove,
        PHYSDEVOP_manage_pci_add_ext,
        PHYSDEVOP_pci_mmcfg_reserved,
        PHYSDEVOP_pci_device_add,
        PHYSDEVOP_pci_device_remove,
        PHYSDEVOP_dbgp_op,
    };

    reset();
    CHECK_EQ(add(&vcpu1, 0, 0, 0x08, 0), -EPERM);
    CHECK_EQ(mmcfg(&vcpu1, 0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -EPERM);
    CHECK_EQ(dbgp(&vcpu1, PHYSDEVOP_DBGP_RESET_PREPARE, PHYSDEVOP_DBGP_BUS_PCI), -EPERM);
    /* Even with an unreadable argument: the caller is checked first. */
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        CHECK_EQ(physdev_at(&vcpu1, cmds[i], 0), -EPERM);
    CHECK_EQ(nr_copies_in, 0);
    CHECK_EQ(pci_device_count(), 0);
    CHECK_EQ(pci_mmcfg_count(), 0);
    /* What d1 could not remove is still there. */
    CHECK_EQ(add(&vcpu0, 0, 0, 0x08, 0), 0);
    CHECK_EQ(remove_dev(&vcpu1, 0, 0, 0x08), -EPERM);
    CHECK(pci_device_find(sbdf(0, 0, 0x08), NULL));
}

TEST(unreadable_argument)
{
    static const uint64_t cmds[] = {
        PHYSDEVOP_manage_pci_add,
        PHYSDEVOP_manage_pci_remove,
        PHYSDEVOP_manage_pci_add_ext,
        PHYSDEVOP_pci_mmcfg_reserved,
        PHYSDEVOP_pci_device_add,
        PHYSDEVOP_pci_device_remove,
        PHYSDEVOP_dbgp_op,
    };
    struct physdev_pci_device_add a = {.bus = 3};
    struct physdev_manage_pci_ext ext = {.bus = 3};
    struct physdev_pci_mmcfg_reserved r = {0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED};

    reset();
    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
        CHECK_EQ(physdev_at(&vcpu0, cmds[i], 0), -EFAULT);
        CHECK_EQ(physdev_at(&vcpu0, cmds[i], 0xdead0000), -EFAULT);
    }
    /* Structs whose last byte is past the end of guest memory. */
    CHECK_EQ(physdev_off(&vcpu0, PHYSDEVOP_pci_device_add, &a, sizeof(a) - 1,
                         sizeof(guest_mem) - sizeof(a) + 1),
             -EFAULT);
    CHECK_EQ(physdev_off(&vcpu0, PHYSDEVOP_manage_pci_add_ext, &ext, sizeof(ext) - 1,
                         sizeof(guest_mem) - sizeof(ext) + 1),
             -EFAULT);
    CHECK_EQ(physdev_off(&vcpu0, PHYSDEVOP_pci_mmcfg_reserved, &r, sizeof(r) - 1,
                         sizeof(guest_mem) - sizeof(r) + 1),
             -EFAULT);
    CHECK_EQ(pci_device_count(), 0);
    CHECK_EQ(pci_mmcfg_count(), 0);
}

/* ---- pci_device_add / pci_device_remove ---- */

TEST(add_records_function)
{
    struct pci_dev_info info;

    reset();
    CHECK_EQ(add(&vcpu0, 0, 0, 0x00, 0), 0);
    CHECK_EQ(add(&vcpu0, 0, 0, (0x1f << 3) | 2, 0), 0);
    CHECK_EQ(add(&vcpu0, 0x10, 0xff, 0xff, XEN_PCI_DEV_EXTFN), 0);
    CHECK_EQ(pci_device_count(), 3);
    CHECK(pci_device_find(sbdf(0, 0, 0xfa), &info));
    CHECK(!info.is_extfn && !info.is_virtfn && !info.has_pxm);
    CHECK(pci_device_find(sbdf(0x10, 0xff, 0xff), &info));
    CHECK(info.is_extfn && !info.is_virtfn);
    /* Segment, bus and devfn all take part in the match. */
    CHECK(!pci_device_find(sbdf(1, 0, 0), NULL));
    CHECK(!pci_device_find(sbdf(0, 1, 0), NULL));
    CHECK(!pci_device_find(sbdf(0, 0, 1), NULL));
}

TEST(add_with_proximity)
{
    struct {
        struct physdev_pci_device_add add;
        uint32_t pxm;
    } a = {{.seg = 0, .bus = 2, .devfn = 0x10, .flags = XEN_PCI_DEV_PXM}, 3};
    struct pci_dev_info info;

    reset();
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &a), 0);
    CHECK(pci_device_find(sbdf(0, 2, 0x10), &info));
    CHECK(info.has_pxm);
    CHECK_EQ(info.pxm, 3);
    /* The proximity domain is read only with XEN_PCI_DEV_PXM. */
    a.add.devfn = 0x11;
    a.add.flags = 0;
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &a), 0);
    CHECK(pci_device_find(sbdf(0, 2, 0x11), &info));
    CHECK(!info.has_pxm && !info.pxm);
}

TEST(add_proximity_unreadable)
{
    struct physdev_pci_device_add a = {.bus = 2, .devfn = 0x10, .flags = XEN_PCI_DEV_PXM};

    reset();
    /* The fixed part fits at the end of guest memory, optarr[0] does not. */
    CHECK_EQ(
        physdev_off(&vcpu0, PHYSDEVOP_pci_device_add, &a, sizeof(a), sizeof(guest_mem) - sizeof(a)),
        -EFAULT);
    CHECK_EQ(pci_device_count(), 0);
    /* Without the flag the same placement is fine. */
    a.flags = 0;
    CHECK_EQ(
        physdev_off(&vcpu0, PHYSDEVOP_pci_device_add, &a, sizeof(a), sizeof(guest_mem) - sizeof(a)),
        0);
    CHECK_EQ(pci_device_count(), 1);
}

TEST(add_bad_flags)
{
    reset();
    CHECK_EQ(add(&vcpu0, 0, 1, 0, 0x8), -EINVAL);
    CHECK_EQ(add(&vcpu0, 0, 1, 0, XEN_PCI_DEV_EXTFN | 0x80000000u), -EINVAL);
    CHECK_EQ(pci_device_count(), 0);
}

TEST(readd_updates_record)
{
    struct physdev_pci_device_add a = {
        .bus = 5,
        .devfn = 0x01,
        .flags = XEN_PCI_DEV_VIRTFN,
        .physfn = {5, 0x00},
    };
    struct pci_dev_info info;

    reset();
    CHECK_EQ(add(&vcpu0, 0, 5, 0x01, XEN_PCI_DEV_EXTFN), 0);
    /* Linux reports the same function again after a rescan: not an error. */
    CHECK_EQ(add(&vcpu0, 0, 5, 0x01, XEN_PCI_DEV_EXTFN), 0);
    CHECK_EQ(pci_device_count(), 1);
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &a), 0);
    CHECK(pci_device_find(sbdf(0, 5, 0x01), &info));
    CHECK(info.is_virtfn && !info.is_extfn);
    CHECK_EQ(info.physfn_bus, 5);
    CHECK_EQ(info.physfn_devfn, 0);
    /* ...and its physical function came with it. */
    CHECK_EQ(pci_device_count(), 2);
}

TEST(virtual_function)
{
    struct physdev_pci_device_add vf = {
        .seg = 2,
        .bus = 0x81,
        .devfn = 0x10,
        .flags = XEN_PCI_DEV_VIRTFN,
        .physfn = {0x80, 0x00},
    };
    struct pci_dev_info info;

    reset();
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), 0);
    CHECK_EQ(pci_device_count(), 2);
    CHECK(pci_device_find(sbdf(2, 0x80, 0x00), &info));
    CHECK(!info.is_virtfn);
    /* A second VF of that PF adds only itself. */
    vf.devfn = 0x11;
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), 0);
    CHECK_EQ(pci_device_count(), 3);
    /* A VF cannot be its own PF. */
    vf.devfn = 0x12;
    vf.physfn.bus = 0x81;
    vf.physfn.devfn = 0x12;
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), -EINVAL);
    CHECK_EQ(pci_device_count(), 3);
    /* physfn means nothing without XEN_PCI_DEV_VIRTFN. */
    vf.flags = 0;
    vf.physfn.bus = 0x40;
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), 0);
    CHECK(pci_device_find(sbdf(2, 0x81, 0x12), &info));
    CHECK(!info.is_virtfn && !info.physfn_bus && !info.physfn_devfn);
    CHECK_EQ(pci_device_count(), 4);
}

TEST(remove_and_readd)
{
    reset();
    CHECK_EQ(remove_dev(&vcpu0, 0, 0, 0x08), -ENODEV);
    CHECK_EQ(add(&vcpu0, 0, 0, 0x08, 0), 0);
    CHECK_EQ(add(&vcpu0, 0, 0, 0x10, 0), 0);
    CHECK_EQ(add(&vcpu0, 0, 0, 0x18, 0), 0);
    CHECK_EQ(remove_dev(&vcpu0, 1, 0, 0x08), -ENODEV);
    CHECK_EQ(remove_dev(&vcpu0, 0, 0, 0x08), 0);
    CHECK_EQ(remove_dev(&vcpu0, 0, 0, 0x08), -ENODEV);
    CHECK_EQ(pci_device_count(), 2);
    /* The others are untouched by the removal. */
    CHECK(pci_device_find(sbdf(0, 0, 0x10), NULL));
    CHECK(pci_device_find(sbdf(0, 0, 0x18), NULL));
    CHECK_EQ(add(&vcpu0, 0, 0, 0x08, 0), 0);
    CHECK_EQ(pci_device_count(), 3);
}

TEST(table_full)
{
    struct physdev_pci_device_add vf = {
        .bus = 0xfe,
        .devfn = 0x01,
        .flags = XEN_PCI_DEV_VIRTFN,
        .physfn = {0xfe, 0x00},
    };

    reset();
    for (unsigned int i = 0; i < PCI_MAX_DEVICES - 1; i++)
        CHECK_EQ(add(&vcpu0, (uint16_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i, 0), 0);
    /* One slot left: a VF whose PF is unknown needs two, and takes neither. */
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), -ENOSPC);
    CHECK_EQ(pci_device_count(), PCI_MAX_DEVICES - 1);
    CHECK(!pci_device_find(sbdf(0, 0xfe, 0x00), NULL));
    CHECK_EQ(add(&vcpu0, 0, 0xfe, 0x00, 0), 0);
    CHECK_EQ(pci_device_count(), PCI_MAX_DEVICES);
    CHECK_EQ(add(&vcpu0, 0, 0xfe, 0x02, 0), -ENOSPC);
    /* A full table still takes what it already holds... */
    CHECK_EQ(add(&vcpu0, 0, 0, 0x00, XEN_PCI_DEV_EXTFN), 0);
    /* ...and has room again after a removal. */
    CHECK_EQ(remove_dev(&vcpu0, 0, 0, 0x05), 0);
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_pci_device_add, &vf), 0);
    CHECK_EQ(pci_device_count(), PCI_MAX_DEVICES);
}

/* ---- The segment-0 forms ---- */

TEST(manage_pci)
{
    struct physdev_manage_pci m = {3, 0x20};
    struct physdev_manage_pci_ext ext = {.bus = 4, .devfn = 0x21, .is_extfn = 1};
    struct pci_dev_info info;

    reset();
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_add, &m), 0);
    CHECK(pci_device_find(sbdf(0, 3, 0x20), &info));
    CHECK(!info.is_extfn && !info.is_virtfn);
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_add_ext, &ext), 0);
    CHECK(pci_device_find(sbdf(0, 4, 0x21), &info));
    CHECK(info.is_extfn && !info.is_virtfn);
    /* Any nonzero is true; physfn counts only for a VF. */
    ext = (struct physdev_manage_pci_ext){
        .bus = 4, .devfn = 0x22, .is_virtfn = 2, .physfn = {4, 0x20}};
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_add_ext, &ext), 0);
    CHECK(pci_device_find(sbdf(0, 4, 0x22), &info));
    CHECK(info.is_virtfn);
    CHECK_EQ(info.physfn_devfn, 0x20);
    CHECK(pci_device_find(sbdf(0, 4, 0x20), NULL));
    ext.physfn.devfn = 0x22;
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_add_ext, &ext), -EINVAL);
    CHECK_EQ(pci_device_count(), 4);
    /* manage_pci_remove and pci_device_remove see one table. */
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_remove, &m), 0);
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_remove, &m), -ENODEV);
    CHECK_EQ(remove_dev(&vcpu0, 0, 4, 0x21), 0);
    CHECK_EQ(add(&vcpu0, 0, 3, 0x20, 0), 0);
    CHECK_EQ(physdev(&vcpu0, PHYSDEVOP_manage_pci_remove, &m), 0);
    CHECK_EQ(pci_device_count(), 2);
}

/* ---- pci_mmcfg_reserved ---- */

TEST(mmcfg_reserve)
{
    struct pci_mmcfg m;

    reset();
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(pci_mmcfg_count(), 1);
    CHECK(pci_mmcfg_find(0, 0x80, &m));
    CHECK_EQ(m.address, 0xe0000000);
    CHECK_EQ(m.start_bus, 0);
    CHECK_EQ(m.end_bus, 0xff);
    CHECK(!pci_mmcfg_find(1, 0x80, NULL));
    /* Reported again: fine; at another address: Xen's -EIO. */
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(mmcfg(&vcpu0, 0xf0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -EIO);
    /* Another segment, and a part of a segment (address is still bus 0's). */
    CHECK_EQ(mmcfg(&vcpu0, 0x3f0000000000ull, 1, 0x40, 0x7f, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK(!pci_mmcfg_find(1, 0x3f, NULL));
    CHECK(pci_mmcfg_find(1, 0x7f, &m));
    CHECK_EQ(m.seg, 1);
    CHECK(!pci_mmcfg_find(1, 0x80, NULL));
    /* Overlaps on the same segment. */
    CHECK_EQ(mmcfg(&vcpu0, 0x3f0000000000ull, 1, 0x00, 0x40, XEN_PCI_MMCFG_RESERVED), -EEXIST);
    CHECK_EQ(mmcfg(&vcpu0, 0x3f0000000000ull, 1, 0x7f, 0x90, XEN_PCI_MMCFG_RESERVED), -EEXIST);
    CHECK_EQ(mmcfg(&vcpu0, 0x3f0000000000ull, 1, 0x80, 0x90, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(pci_mmcfg_count(), 3);
}

TEST(mmcfg_bad_arguments)
{
    reset();
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0x10, 0x0f, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 0, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0080000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 1ull << 52, 0, 0, 0, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, (1ull << 52) - (1ull << 20), 0, 0, 1, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 0xfff0000000000000ull, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED | 2), -EINVAL);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, 0x80000000u), -EINVAL);
    CHECK_EQ(pci_mmcfg_count(), 0);
    /* The highest area that fits: its last bus ends at the limit. */
    CHECK_EQ(mmcfg(&vcpu0, (1ull << 52) - (1ull << 20), 0, 0, 0, XEN_PCI_MMCFG_RESERVED), 0);
}

TEST(mmcfg_release)
{
    reset();
    /* Without XEN_PCI_MMCFG_RESERVED the area is forgotten, as Xen stops using it. */
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, 0), -ENODEV);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0x7f, 0), -ENODEV);
    CHECK_EQ(mmcfg(&vcpu0, 0xd0000000, 0, 0, 0xff, 0), -EIO);
    CHECK_EQ(pci_mmcfg_count(), 1);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 0, 0, 0xff, 0), 0);
    CHECK_EQ(pci_mmcfg_count(), 0);
    CHECK(!pci_mmcfg_find(0, 0, NULL));
}

TEST(mmcfg_table_full)
{
    reset();
    for (unsigned int i = 0; i < PCI_MAX_MMCFG; i++)
        CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, (uint16_t)i, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, PCI_MAX_MMCFG, 0, 0xff, XEN_PCI_MMCFG_RESERVED), -ENOSPC);
    /* What is there may still be reported again. */
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 3, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, 3, 0, 0xff, 0), 0);
    CHECK_EQ(mmcfg(&vcpu0, 0xe0000000, PCI_MAX_MMCFG, 0, 0xff, XEN_PCI_MMCFG_RESERVED), 0);
    CHECK_EQ(pci_mmcfg_count(), PCI_MAX_MMCFG);
}

/* ---- dbgp_op ---- */

TEST(dbgp)
{
    reset();
    CHECK_EQ(dbgp(&vcpu0, PHYSDEVOP_DBGP_RESET_PREPARE, PHYSDEVOP_DBGP_BUS_PCI), 0);
    CHECK_EQ(dbgp(&vcpu0, PHYSDEVOP_DBGP_RESET_DONE, PHYSDEVOP_DBGP_BUS_PCI), 0);
    CHECK_EQ(dbgp(&vcpu0, PHYSDEVOP_DBGP_RESET_PREPARE, PHYSDEVOP_DBGP_BUS_UNKNOWN), 0);
    CHECK_EQ(dbgp(&vcpu0, 0, PHYSDEVOP_DBGP_BUS_PCI), -EINVAL);
    CHECK_EQ(dbgp(&vcpu0, 3, PHYSDEVOP_DBGP_BUS_PCI), -EINVAL);
    CHECK_EQ(dbgp(&vcpu0, PHYSDEVOP_DBGP_RESET_DONE, 2), -EINVAL);
    CHECK_EQ(pci_device_count(), 0);
}

/* ---- The table directly ---- */

TEST(table_api)
{
    struct pci_dev_info vf = {.sbdf = {0, 1, 1}, .is_virtfn = true, .physfn_bus = 1};

    reset();
    CHECK_EQ(pci_device_add(&vf), 0);
    CHECK_EQ(pci_device_count(), 2);
    CHECK_EQ(pci_device_remove(sbdf(0, 1, 0)), 0);
    /* The PF's removal leaves its VF (Xen does the same). */
    CHECK(pci_device_find(sbdf(0, 1, 1), NULL));
    pci_reset();
    pci_reset();
    CHECK_EQ(pci_device_count(), 0);
    CHECK_EQ(pci_mmcfg_count(), 0);
    CHECK(!pci_device_find(sbdf(0, 1, 1), NULL));
    CHECK_EQ(unit_panics, 0);
}
