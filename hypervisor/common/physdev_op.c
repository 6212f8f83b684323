/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_physdev_op(cmd, arg): the hardware domain reports the PCI
 * functions and MMCONFIG areas it found (common/pci.c records them) and
 * warns of USB2 debug port resets. These are the commands Xen 4.17 takes
 * from a PVH hardware domain, plus the segment-0 forms (manage_pci_*) a
 * kernel falls back to when pci_device_add is -ENOSYS. Everything else is
 * -ENOSYS, which Linux takes as "not available": the PIRQ, I/O-port and
 * APIC commands of PV domains, and restore_msi(_ext), prepare_msix and
 * release_msix, because Xenon does not own the devices' MSI state.
 *
 * Each command: an unknown one is -ENOSYS for everyone; then only the
 * hardware domain may go on (-EPERM); the argument is copied in (-EFAULT)
 * and checked (-EINVAL) before anything is recorded.
 */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/pci.h>
#include <xenon/xsm.h>
#include <public/physdev.h>

#define PCI_DEV_FLAGS_KNOWN (XEN_PCI_DEV_EXTFN | XEN_PCI_DEV_VIRTFN | XEN_PCI_DEV_PXM)

typedef long (*physdev_fn)(struct vcpu *v, uint64_t arg);

static long add_device(struct vcpu *v, const struct pci_dev_info *info)
{
    const struct pci_sbdf *s = &info->sbdf;
    int rc = pci_device_add(info);

    if (rc == -ENOSPC)
        printk_guest(LOG_WARN, "d%u: PCI table full, %04x:%02x:%02x.%u not recorded", v->domain->id,
                     s->seg, s->bus, PCI_SLOT(s->devfn), PCI_FUNC(s->devfn));
    else if (!rc)
        printk_guest(LOG_DEBUG, "d%u: PCI add %04x:%02x:%02x.%u%s%s", v->domain->id, s->seg, s->bus,
                     PCI_SLOT(s->devfn), PCI_FUNC(s->devfn),
                     info->is_virtfn ? " (virtual function)" : "",
                     info->is_extfn ? " (extended function)" : "");
    return rc;
}

static long remove_device(struct vcpu *v, struct pci_sbdf s)
{
    int rc = pci_device_remove(s);

    if (!rc)
        printk_guest(LOG_DEBUG, "d%u: PCI remove %04x:%02x:%02x.%u", v->domain->id, s.seg, s.bus,
                     PCI_SLOT(s.devfn), PCI_FUNC(s.devfn));
    return rc;
}

static long pci_device_add_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_pci_device_add add;
    struct pci_dev_info info;

    if (copy_from_guest(v, &add, arg, sizeof(add)))
        return -EFAULT;
    if (add.flags & ~PCI_DEV_FLAGS_KNOWN)
        return -EINVAL;
    info = (struct pci_dev_info){
        .sbdf = {add.seg, add.bus, add.devfn},
        .is_extfn = add.flags & XEN_PCI_DEV_EXTFN,
        .is_virtfn = add.flags & XEN_PCI_DEV_VIRTFN,
    };
    if (info.is_virtfn) {
        info.physfn_bus = add.physfn.bus;
        info.physfn_devfn = add.physfn.devfn;
    }
    /* The proximity domain is optarr[0], just past the fixed part. */
    if (add.flags & XEN_PCI_DEV_PXM) {
        if (copy_from_guest(v, &info.pxm,
                            arg + __builtin_offsetof(struct physdev_pci_device_add, optarr),
                            sizeof(info.pxm)))
            return -EFAULT;
        info.has_pxm = true;
    }
    return add_device(v, &info);
}

static long pci_device_remove_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_pci_device dev;

    if (copy_from_guest(v, &dev, arg, sizeof(dev)))
        return -EFAULT;
    return remove_device(v, (struct pci_sbdf){dev.seg, dev.bus, dev.devfn});
}

static long manage_pci_add_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_manage_pci m;

    if (copy_from_guest(v, &m, arg, sizeof(m)))
        return -EFAULT;
    return add_device(v, &(struct pci_dev_info){.sbdf = {0, m.bus, m.devfn}});
}

static long manage_pci_add_ext_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_manage_pci_ext m;
    struct pci_dev_info info;

    if (copy_from_guest(v, &m, arg, sizeof(m)))
        return -EFAULT;
    /* Any nonzero is true, as in Xen. */
    info = (struct pci_dev_info){
        .sbdf = {0, m.bus, m.devfn},
        .is_extfn = m.is_extfn != 0,
        .is_virtfn = m.is_virtfn != 0,
    };
    if (info.is_virtfn) {
        info.physfn_bus = m.physfn.bus;
        info.physfn_devfn = m.physfn.devfn;
    }
    return add_device(v, &info);
}

static long manage_pci_remove_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_manage_pci m;

    if (copy_from_guest(v, &m, arg, sizeof(m)))
        return -EFAULT;
    return remove_device(v, (struct pci_sbdf){0, m.bus, m.devfn});
}

/* Reserved: we may use the area; not reserved (Linux never says so): forget it, as Xen stops using
 * it. */
static long pci_mmcfg_reserved_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_pci_mmcfg_reserved r;
    struct pci_mmcfg m;
    int rc;

    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.flags & ~XEN_PCI_MMCFG_RESERVED)
        return -EINVAL;
    m = (struct pci_mmcfg){r.address, r.segment, r.start_bus, r.end_bus};
    if (!(r.flags & XEN_PCI_MMCFG_RESERVED))
        return pci_mmcfg_release(&m);
    rc = pci_mmcfg_reserve(&m);
    if (!rc)
        printk_guest(LOG_INFO, "d%u: PCI MMCONFIG segment %04x buses %02x-%02x at %#lx",
                     v->domain->id, m.seg, m.start_bus, m.end_bus, (unsigned long)m.address);
    return rc;
}

/*
 * Linux brackets a reset of an EHCI controller with these so that a
 * hypervisor driving the controller's debug port can let go of it and take
 * it back. Xenon never drives one: nothing to do, as Xen when it does not.
 */
static long dbgp_op(struct vcpu *v, uint64_t arg)
{
    struct physdev_dbgp_op op;

    if (copy_from_guest(v, &op, arg, sizeof(op)))
        return -EFAULT;
    if (op.op != PHYSDEVOP_DBGP_RESET_PREPARE && op.op != PHYSDEVOP_DBGP_RESET_DONE)
        return -EINVAL;
    if (op.bus != PHYSDEVOP_DBGP_BUS_UNKNOWN && op.bus != PHYSDEVOP_DBGP_BUS_PCI)
        return -EINVAL;
    return 0;
}

static const physdev_fn physdev_ops[] = {
    [PHYSDEVOP_manage_pci_add] = manage_pci_add_op,
    [PHYSDEVOP_manage_pci_remove] = manage_pci_remove_op,
    [PHYSDEVOP_manage_pci_add_ext] = manage_pci_add_ext_op,
    [PHYSDEVOP_pci_mmcfg_reserved] = pci_mmcfg_reserved_op,
    [PHYSDEVOP_pci_device_add] = pci_device_add_op,
    [PHYSDEVOP_pci_device_remove] = pci_device_remove_op,
    [PHYSDEVOP_dbgp_op] = dbgp_op,
};

long do_physdev_op(struct vcpu *v, const struct hypercall_args *args)
{
    uint64_t cmd = args->a[0];

    if (cmd >= ARRAY_SIZE(physdev_ops) || !physdev_ops[cmd]) {
        printk_guest(LOG_DEBUG, "d%u: physdev_op %lu not implemented", v->domain->id,
                     (unsigned long)cmd);
        return -ENOSYS;
    }
    if (xsm_physdev(v->domain, (unsigned int)cmd))
        return -EPERM;
    return physdev_ops[cmd](v, args->a[1]);
}
