/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF image parsing for guest kernels: ELF32 and ELF64, x86 / x86-64,
 * little-endian. Every offset and size is bounds-checked against the image;
 * nothing here trusts the file.
 */
#ifndef XENON_ELF_H
#define XENON_ELF_H

#include <xenon/types.h>

struct elf_image {
    const uint8_t *data;
    size_t size;
    bool is64;
    uint64_t entry;      /* e_entry */
    uint64_t load_lo;    /* lowest p_paddr of PT_LOAD segments */
    uint64_t load_hi;    /* highest p_paddr + p_memsz (exclusive) */
};

struct elf_segment {
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;      /* >= filesz; the rest is zero-filled */
    const uint8_t *src;  /* filesz bytes inside the image */
};

/* The Xen notes (name "Xen") a PVH loader cares about. */
struct elf_xen_notes {
    bool has_phys32_entry;
    uint32_t phys32_entry;     /* XEN_ELFNOTE_PHYS32_ENTRY */
    bool has_entry;
    uint64_t entry;            /* XEN_ELFNOTE_ENTRY */
    bool has_hypercall_page;
    uint64_t hypercall_page;   /* XEN_ELFNOTE_HYPERCALL_PAGE */
    bool has_virt_base;
    uint64_t virt_base;        /* XEN_ELFNOTE_VIRT_BASE */
    char guest_os[32];         /* XEN_ELFNOTE_GUEST_OS, "" if absent */
    char features[128];        /* XEN_ELFNOTE_FEATURES string, "" if absent */
    uint32_t supported_features[1]; /* XEN_ELFNOTE_SUPPORTED_FEATURES bitmap word 0 */
};

/*
 * Validate the header and program headers: magic, class, little-endian,
 * machine EM_386/EM_X86_64, executable type, phdrs inside the image, every
 * PT_LOAD's file range inside the image, filesz <= memsz, no address
 * overflow, at least one PT_LOAD. 0 or -ENOEXEC (bad format) / -EINVAL.
 */
int elf_parse(const void *data, size_t size, struct elf_image *img);

/* Number of PT_LOAD segments, and the i-th of them (0 or -ENOENT). */
unsigned int elf_nr_segments(const struct elf_image *img);
int elf_segment(const struct elf_image *img, unsigned int i, struct elf_segment *seg);

/*
 * Read the "Xen" notes from PT_NOTE segments (and SHT_NOTE sections when
 * there is no PT_NOTE). Malformed notes are -ENOEXEC; absent notes leave the
 * has_* flags false. Other owners' notes are skipped.
 */
int elf_xen_notes(const struct elf_image *img, struct elf_xen_notes *notes);

#endif
