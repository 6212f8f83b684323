/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_physdev_op(cmd, void *arg): the hardware domain tells the
 * hypervisor about physical devices (Xen 4.17 numbers and layouts). Every
 * command number is listed so callers can name them; the argument structs
 * are those of the commands a PVH initial domain issues.
 */
#ifndef XEN_PUBLIC_PHYSDEV_H
#define XEN_PUBLIC_PHYSDEV_H

#include "xen-types.h"

/* Interrupt commands of PV domains and of guests with PIRQs. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4
#define PHYSDEVOP_irq_status_query  5
#define PHYSDEVOP_set_iopl          6
#define PHYSDEVOP_set_iobitmap      7
#define PHYSDEVOP_apic_read         8
#define PHYSDEVOP_apic_write        9
#define PHYSDEVOP_alloc_irq_vector  10
#define PHYSDEVOP_free_irq_vector   11
#define PHYSDEVOP_eoi               12
#define PHYSDEVOP_map_pirq          13
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17
#define PHYSDEVOP_setup_gsi         21
#define PHYSDEVOP_get_free_pirq     23
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28

/* PCI: the older segment-0-only forms, then the forms that carry a segment. */
#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_remove  16
#define PHYSDEVOP_restore_msi        19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_restore_msi_ext    27
#define PHYSDEVOP_dbgp_op            29
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_release_msix       31

/* manage_pci_add, manage_pci_remove: a function on segment 0. */
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_manage_pci) == 2, "physdev_manage_pci layout");

/* restore_msi: same shape as manage_pci. */
struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_restore_msi) == 2, "physdev_restore_msi layout");

/* manage_pci_add_ext: a segment-0 function that is an ARI extended or a virtual function. */
struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;   /* nonzero: ARI extended function */
    uint32_t is_virtfn;  /* nonzero: SR-IOV virtual function of physfn */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
};
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "physdev_manage_pci_ext layout");
_Static_assert(__builtin_offsetof(struct physdev_manage_pci_ext, is_extfn) == 4, "");
_Static_assert(__builtin_offsetof(struct physdev_manage_pci_ext, physfn) == 12, "");

/*
 * pci_mmcfg_reserved: the domain found an MMCONFIG (ECAM) area reserved in
 * the firmware's memory map. address is where bus 0 of the segment would
 * be, one MiB per bus; the area covers start_bus..end_bus.
 */
#define XEN_PCI_MMCFG_RESERVED 0x1
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;      /* XEN_PCI_MMCFG_* */
};
_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "physdev_pci_mmcfg_reserved layout");
_Static_assert(__builtin_offsetof(struct physdev_pci_mmcfg_reserved, flags) == 12, "");

/*
 * pci_device_add: a function the domain found. With XEN_PCI_DEV_PXM, one
 * uint32_t follows the struct (optarr[0]): the function's ACPI proximity
 * domain.
 */
#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;      /* XEN_PCI_DEV_* */
    struct {             /* the physical function, with XEN_PCI_DEV_VIRTFN */
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[];
};
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "physdev_pci_device_add layout");
_Static_assert(__builtin_offsetof(struct physdev_pci_device_add, flags) == 4, "");
_Static_assert(__builtin_offsetof(struct physdev_pci_device_add, physfn) == 8, "");
_Static_assert(__builtin_offsetof(struct physdev_pci_device_add, optarr) == 12, "");

/* pci_device_remove, restore_msi_ext, prepare_msix, release_msix: one function. */
struct physdev_pci_device {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};
_Static_assert(sizeof(struct physdev_pci_device) == 4, "physdev_pci_device layout");

/* dbgp_op: the domain is about to reset, or has reset, a USB2 (EHCI) controller. */
#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN   0
#define PHYSDEVOP_DBGP_BUS_PCI       1
struct physdev_dbgp_op {
    uint8_t op;          /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;         /* PHYSDEVOP_DBGP_BUS_* */
    union {
        struct physdev_pci_device pci;
    } u;
};
_Static_assert(sizeof(struct physdev_dbgp_op) == 6, "physdev_dbgp_op layout");
_Static_assert(__builtin_offsetof(struct physdev_dbgp_op, u) == 2, "");

#endif
