/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI functions and MMCONFIG areas the hardware domain reported (see
 * xenon/pci.h). Two small arrays kept dense (a removal moves the last record
 * into the hole), searched linearly: a few hundred functions, reported once
 * at boot. Every operation checks all it needs before it changes anything.
 *
 * One lock, pci_lock, guards both tables; nothing else is taken under it.
 */
#include <xenon/lib.h>
#include <xenon/pci.h>
#include <xenon/spinlock.h>

static spinlock_t pci_lock = SPINLOCK_INIT;
static struct pci_dev_info devices[PCI_MAX_DEVICES];
static unsigned int nr_devices;
static struct pci_mmcfg mmcfgs[PCI_MAX_MMCFG];
static unsigned int nr_mmcfgs;

/* ---- Functions ---- */

/* Index of sbdf in devices[], or nr_devices. Under pci_lock. */
static unsigned int device_index(struct pci_sbdf sbdf)
{
    unsigned int i;

    for (i = 0; i < nr_devices; i++)
        if (pci_sbdf_eq(devices[i].sbdf, sbdf))
            break;
    return i;
}

static struct pci_sbdf physfn_of(const struct pci_dev_info *info)
{
    return (struct pci_sbdf){info->sbdf.seg, info->physfn_bus, info->physfn_devfn};
}

int pci_device_add(const struct pci_dev_info *info)
{
    struct pci_sbdf pf = physfn_of(info);
    unsigned int i;
    bool add_pf;

    if (info->is_virtfn && pci_sbdf_eq(pf, info->sbdf))
        return -EINVAL;
    spin_lock(&pci_lock);
    i = device_index(info->sbdf);
    /* As Xen does: a virtual function reported before its physical one brings it in. */
    add_pf = info->is_virtfn && device_index(pf) == nr_devices;
    if (nr_devices + (i == nr_devices) + add_pf > PCI_MAX_DEVICES) {
        spin_unlock(&pci_lock);
        return -ENOSPC;
    }
    if (i == nr_devices)
        nr_devices++;
    devices[i] = *info;
    if (add_pf)
        devices[nr_devices++] = (struct pci_dev_info){.sbdf = pf};
    spin_unlock(&pci_lock);
    return 0;
}

int pci_device_remove(struct pci_sbdf sbdf)
{
    unsigned int i;
    int rc = -ENODEV;

    spin_lock(&pci_lock);
    i = device_index(sbdf);
    if (i < nr_devices) {
        devices[i] = devices[--nr_devices];
        rc = 0;
    }
    spin_unlock(&pci_lock);
    return rc;
}

bool pci_device_find(struct pci_sbdf sbdf, struct pci_dev_info *out)
{
    unsigned int i;
    bool found;

    spin_lock(&pci_lock);
    i = device_index(sbdf);
    found = i < nr_devices;
    if (found && out)
        *out = devices[i];
    spin_unlock(&pci_lock);
    return found;
}

unsigned int pci_device_count(void)
{
    return __atomic_load_n(&nr_devices, __ATOMIC_RELAXED);
}

/* ---- MMCONFIG areas ---- */

static bool mmcfg_valid(const struct pci_mmcfg *m)
{
    uint64_t end = m->address + (((uint64_t)m->end_bus + 1) << PCI_MMCFG_BUS_SHIFT);

    return m->start_bus <= m->end_bus && m->address &&
           !(m->address & ((1ull << PCI_MMCFG_BUS_SHIFT) - 1)) &&
           m->address < PCI_MMCFG_ADDR_LIMIT && end <= PCI_MMCFG_ADDR_LIMIT;
}

/* Index of the area on m's segment with m's buses, or nr_mmcfgs. Under pci_lock. */
static unsigned int mmcfg_index(const struct pci_mmcfg *m)
{
    unsigned int i;

    for (i = 0; i < nr_mmcfgs; i++)
        if (mmcfgs[i].seg == m->seg && mmcfgs[i].start_bus == m->start_bus &&
            mmcfgs[i].end_bus == m->end_bus)
            break;
    return i;
}

static bool mmcfg_overlaps(const struct pci_mmcfg *m)
{
    for (unsigned int i = 0; i < nr_mmcfgs; i++)
        if (mmcfgs[i].seg == m->seg && mmcfgs[i].start_bus <= m->end_bus &&
            m->start_bus <= mmcfgs[i].end_bus)
            return true;
    return false;
}

int pci_mmcfg_reserve(const struct pci_mmcfg *m)
{
    unsigned int i;
    int rc = 0;

    if (!mmcfg_valid(m))
        return -EINVAL;
    spin_lock(&pci_lock);
    i = mmcfg_index(m);
    if (i < nr_mmcfgs)
        rc = mmcfgs[i].address == m->address ? 0 : -EIO;
    else if (mmcfg_overlaps(m))
        rc = -EEXIST;
    else if (nr_mmcfgs == PCI_MAX_MMCFG)
        rc = -ENOSPC;
    else
        mmcfgs[nr_mmcfgs++] = *m;
    spin_unlock(&pci_lock);
    return rc;
}

int pci_mmcfg_release(const struct pci_mmcfg *m)
{
    unsigned int i;
    int rc = -ENODEV;

    spin_lock(&pci_lock);
    i = mmcfg_index(m);
    if (i < nr_mmcfgs && mmcfgs[i].address != m->address) {
        rc = -EIO;
    } else if (i < nr_mmcfgs) {
        mmcfgs[i] = mmcfgs[--nr_mmcfgs];
        rc = 0;
    }
    spin_unlock(&pci_lock);
    return rc;
}

bool pci_mmcfg_find(uint16_t seg, uint8_t bus, struct pci_mmcfg *out)
{
    bool found = false;

    spin_lock(&pci_lock);
    for (unsigned int i = 0; i < nr_mmcfgs && !found; i++) {
        found = mmcfgs[i].seg == seg && mmcfgs[i].start_bus <= bus && bus <= mmcfgs[i].end_bus;
        if (found && out)
            *out = mmcfgs[i];
    }
    spin_unlock(&pci_lock);
    return found;
}

unsigned int pci_mmcfg_count(void)
{
    return __atomic_load_n(&nr_mmcfgs, __ATOMIC_RELAXED);
}

void pci_reset(void)
{
    spin_lock(&pci_lock);
    nr_devices = 0;
    nr_mmcfgs = 0;
    spin_unlock(&pci_lock);
}
