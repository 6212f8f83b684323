/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI functions and MMCONFIG areas the hardware domain reported
 * (common/pci.c). Xenon does not scan PCI itself: the hardware domain owns
 * the devices and tells us what it found, as a Xen Dom0 does, so that later
 * work (passthrough, MSI) has a list to start from. Both tables are bounded;
 * every function returns 0 or a negative errno and changes nothing on error.
 */
#ifndef XENON_PCI_H
#define XENON_PCI_H

#include <xenon/types.h>

/* Enough for a large server with SR-IOV; each record is a few bytes. */
#define PCI_MAX_DEVICES 1024
/* One area per segment in practice (ACPI MCFG), a few segments at most. */
#define PCI_MAX_MMCFG 16

#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)
/* ECAM: one MiB of configuration space per bus. */
#define PCI_MMCFG_BUS_SHIFT 20
/* The largest physical address x86-64 defines (52 bits). */
#define PCI_MMCFG_ADDR_LIMIT (1ull << 52)

/* A function's address: segment, bus, device and function. */
struct pci_sbdf {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};

static inline bool pci_sbdf_eq(struct pci_sbdf a, struct pci_sbdf b)
{
    return a.seg == b.seg && a.bus == b.bus && a.devfn == b.devfn;
}

/* What the hardware domain told us about one function. */
struct pci_dev_info {
    struct pci_sbdf sbdf;
    bool is_extfn;      /* an ARI extended function */
    bool is_virtfn;     /* an SR-IOV virtual function of physfn */
    uint8_t physfn_bus; /* with is_virtfn: the physical function, same segment */
    uint8_t physfn_devfn;
    bool has_pxm;
    uint32_t pxm; /* with has_pxm: the ACPI proximity domain */
};

/* An MMCONFIG (ECAM) area: address is where bus 0 of seg would be. */
struct pci_mmcfg {
    uint64_t address;
    uint16_t seg;
    uint8_t start_bus;
    uint8_t end_bus;
};

/*
 * Record a function. A function already recorded is updated and is not an
 * error (Linux reports a device again, e.g. after a rescan). A virtual
 * function's physical function is recorded too if it is not yet.
 * -EINVAL if a virtual function names itself as its physical function,
 * -ENOSPC if the table is full.
 */
int pci_device_add(const struct pci_dev_info *info);
/* Forget a function: -ENODEV if it was not recorded. */
int pci_device_remove(struct pci_sbdf sbdf);
/* Copy a recorded function to *out (if out): false if not recorded. */
bool pci_device_find(struct pci_sbdf sbdf, struct pci_dev_info *out);
unsigned int pci_device_count(void);

/*
 * Record an MMCONFIG area. -EINVAL unless start_bus <= end_bus and the
 * address is nonzero, MiB-aligned and the area below PCI_MMCFG_ADDR_LIMIT;
 * reporting the same area again is 0, with another address -EIO; an area
 * overlapping another on its segment -EEXIST; -ENOSPC if the table is full.
 */
int pci_mmcfg_reserve(const struct pci_mmcfg *m);
/* Forget an area (same segment and buses): -ENODEV if unknown, -EIO at another address. */
int pci_mmcfg_release(const struct pci_mmcfg *m);
/* The area that covers seg:bus, copied to *out (if out): false if none. */
bool pci_mmcfg_find(uint16_t seg, uint8_t bus, struct pci_mmcfg *out);
unsigned int pci_mmcfg_count(void);

/* Forget everything (unit tests; a hardware domain that starts over). */
void pci_reset(void);

#endif
