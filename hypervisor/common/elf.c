/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF parsing for guest kernel images (see xenon/elf.h).
 *
 * The image is untrusted and may sit at any alignment, so every structure is
 * copied out with memcpy and every offset/size is checked with overflow-safe
 * arithmetic before it is used. Both ELF classes are read into one
 * class-neutral form (struct ehdr_info / phdr_info / shdr_info) so the
 * validation logic exists only once.
 *
 * Accepted types: ET_EXEC and ET_DYN. An ET_DYN image is not relocated: its
 * PT_LOAD segments go to their p_paddr exactly as for ET_EXEC. This admits
 * kernels linked as position-independent executables at a fixed address; the
 * domain builder still checks every segment against the guest's RAM.
 *
 * Both machines are accepted in either class (ELF32 EM_X86_64 is the x32
 * layout); the loader only consumes physical addresses, which the class
 * bounds: an ELF32 segment must end at or below 4 GiB.
 */
#include <xenon/elf.h>
#include <xenon/lib.h>
#include <xenon/string.h>
#include <public/elfnote.h>

/* ABI constants (System V gABI), only those used here. */
#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7
#define PN_XNUM 0xffff

struct elf32_ehdr {
    uint8_t e_ident[EI_NIDENT];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_ehdr {
    uint8_t e_ident[EI_NIDENT];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf32_shdr {
    uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
    uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
};

struct elf64_shdr {
    uint32_t sh_name, sh_type;
    uint64_t sh_flags, sh_addr, sh_offset, sh_size;
    uint32_t sh_link, sh_info;
    uint64_t sh_addralign, sh_entsize;
};

struct elf_nhdr {
    uint32_t n_namesz, n_descsz, n_type;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header layout");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 phdr layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr layout");
_Static_assert(sizeof(struct elf32_shdr) == 40, "ELF32 shdr layout");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 shdr layout");
_Static_assert(sizeof(struct elf_nhdr) == 12, "note header layout");

/* Class-neutral views of the headers. */
struct ehdr_info {
    uint16_t type, machine;
    uint64_t entry, phoff, shoff;
    uint16_t phentsize, phnum, shentsize, shnum;
};

struct phdr_info {
    uint32_t type;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct shdr_info {
    uint32_t type;
    uint64_t offset, size, align;
};

/* Is [off, off + len) inside an object of `size` bytes? Overflow-safe. */
static bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static void read_ehdr(const uint8_t *data, bool is64, struct ehdr_info *e)
{
    if (is64) {
        struct elf64_ehdr h;

        memcpy(&h, data, sizeof(h));
        *e = (struct ehdr_info){ h.e_type, h.e_machine, h.e_entry, h.e_phoff, h.e_shoff,
                                 h.e_phentsize, h.e_phnum, h.e_shentsize, h.e_shnum };
    } else {
        struct elf32_ehdr h;

        memcpy(&h, data, sizeof(h));
        *e = (struct ehdr_info){ h.e_type, h.e_machine, h.e_entry, h.e_phoff, h.e_shoff,
                                 h.e_phentsize, h.e_phnum, h.e_shentsize, h.e_shnum };
    }
}

/* Callers have checked that program header i lies inside the image. */
static void read_phdr(const struct elf_image *img, const struct ehdr_info *e, unsigned int i,
                      struct phdr_info *ph)
{
    const uint8_t *at = img->data + e->phoff + (uint64_t)i * e->phentsize;

    if (img->is64) {
        struct elf64_phdr p;

        memcpy(&p, at, sizeof(p));
        *ph = (struct phdr_info){ p.p_type, p.p_offset, p.p_vaddr, p.p_paddr,
                                  p.p_filesz, p.p_memsz, p.p_align };
    } else {
        struct elf32_phdr p;

        memcpy(&p, at, sizeof(p));
        *ph = (struct phdr_info){ p.p_type, p.p_offset, p.p_vaddr, p.p_paddr,
                                  p.p_filesz, p.p_memsz, p.p_align };
    }
}

static void read_shdr(const struct elf_image *img, const struct ehdr_info *e, unsigned int i,
                      struct shdr_info *sh)
{
    const uint8_t *at = img->data + e->shoff + (uint64_t)i * e->shentsize;

    if (img->is64) {
        struct elf64_shdr s;

        memcpy(&s, at, sizeof(s));
        *sh = (struct shdr_info){ s.sh_type, s.sh_offset, s.sh_size, s.sh_addralign };
    } else {
        struct elf32_shdr s;

        memcpy(&s, at, sizeof(s));
        *sh = (struct shdr_info){ s.sh_type, s.sh_offset, s.sh_size, s.sh_addralign };
    }
}

/* Identification bytes: magic, class, byte order, version. Sets img->is64. */
static int check_ident(const uint8_t *d, size_t size, struct elf_image *img)
{
    if (size < EI_NIDENT || memcmp(d, "\177ELF", 4))
        return -ENOEXEC;
    if (d[EI_DATA] != ELFDATA2LSB || d[EI_VERSION] != EV_CURRENT)
        return -ENOEXEC;
    if (d[EI_CLASS] == ELFCLASS64)
        img->is64 = true;
    else if (d[EI_CLASS] == ELFCLASS32)
        img->is64 = false;
    else
        return -ENOEXEC;
    if (size < (img->is64 ? sizeof(struct elf64_ehdr) : sizeof(struct elf32_ehdr)))
        return -ENOEXEC;
    return 0;
}

/*
 * Header fields and the program header table's placement. PN_XNUM (count
 * stored in section 0) is not supported: no kernel needs 65535 segments.
 */
static int check_ehdr(const struct elf_image *img, const struct ehdr_info *e)
{
    size_t phsz = img->is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);

    if (e->type != ET_EXEC && e->type != ET_DYN)
        return -ENOEXEC;
    if (e->machine != EM_386 && e->machine != EM_X86_64)
        return -ENOEXEC;
    if (e->phnum == 0 || e->phnum == PN_XNUM || e->phentsize < phsz)
        return -ENOEXEC;
    /* phnum and phentsize are 16-bit, so the product cannot overflow. */
    if (!range_ok(e->phoff, (uint64_t)e->phnum * e->phentsize, img->size))
        return -ENOEXEC;
    return 0;
}

/* One PT_LOAD: file bytes inside the image, sane sizes, no address wrap. */
static int check_load(const struct elf_image *img, const struct phdr_info *ph)
{
    uint64_t limit = img->is64 ? UINT64_MAX : UINT32_MAX;

    if (!range_ok(ph->offset, ph->filesz, img->size) || ph->filesz > ph->memsz)
        return -ENOEXEC;
    /* Last byte (start + memsz - 1) must not pass the class's address space. */
    if (ph->memsz && (ph->paddr > limit || ph->memsz - 1 > limit - ph->paddr))
        return -ENOEXEC;
    if (ph->memsz && (ph->vaddr > limit || ph->memsz - 1 > limit - ph->vaddr))
        return -ENOEXEC;
    /* load_hi is exclusive, so it must be representable in 64 bits. */
    if (ph->memsz > UINT64_MAX - ph->paddr)
        return -ENOEXEC;
    return 0;
}

/* Check every PT_LOAD and compute the physical extent of the image. */
static int scan_loads(struct elf_image *img, const struct ehdr_info *e)
{
    struct phdr_info ph;
    unsigned int loads = 0;

    img->load_lo = UINT64_MAX;
    img->load_hi = 0;
    for (unsigned int i = 0; i < e->phnum; i++) {
        read_phdr(img, e, i, &ph);
        if (ph.type != PT_LOAD)
            continue;
        if (check_load(img, &ph))
            return -ENOEXEC;
        img->load_lo = MIN(img->load_lo, ph.paddr);
        img->load_hi = MAX(img->load_hi, ph.paddr + ph.memsz);
        loads++;
    }
    return loads ? 0 : -ENOEXEC;
}

int elf_parse(const void *data, size_t size, struct elf_image *img)
{
    struct elf_image tmp = { .data = data, .size = size };
    struct ehdr_info e;
    int rc;

    if (!data || !img)
        return -EINVAL;
    rc = check_ident(data, size, &tmp);
    if (rc)
        return rc;
    read_ehdr(data, tmp.is64, &e);
    rc = check_ehdr(&tmp, &e);
    if (rc)
        return rc;
    tmp.entry = e.entry;
    rc = scan_loads(&tmp, &e);
    if (rc)
        return rc;
    /* Publish only a fully validated image. */
    *img = tmp;
    return 0;
}

/* The i-th PT_LOAD's program header, or -ENOENT. */
static int find_load(const struct elf_image *img, unsigned int i, struct phdr_info *ph)
{
    struct ehdr_info e;

    read_ehdr(img->data, img->is64, &e);
    for (unsigned int n = 0; n < e.phnum; n++) {
        read_phdr(img, &e, n, ph);
        if (ph->type == PT_LOAD && i-- == 0)
            return 0;
    }
    return -ENOENT;
}

unsigned int elf_nr_segments(const struct elf_image *img)
{
    struct ehdr_info e;
    struct phdr_info ph;
    unsigned int n = 0;

    read_ehdr(img->data, img->is64, &e);
    for (unsigned int i = 0; i < e.phnum; i++) {
        read_phdr(img, &e, i, &ph);
        n += ph.type == PT_LOAD;
    }
    return n;
}

int elf_segment(const struct elf_image *img, unsigned int i, struct elf_segment *seg)
{
    struct phdr_info ph;

    if (find_load(img, i, &ph))
        return -ENOENT;
    /* elf_parse() checked this segment's file range against the image. */
    *seg = (struct elf_segment){
        .paddr = ph.paddr,
        .filesz = ph.filesz,
        .memsz = ph.memsz,
        .src = img->data + ph.offset,
    };
    return 0;
}

/* Little-endian value of a 4- or 8-byte note descriptor; false for other sizes. */
static bool note_number(const uint8_t *desc, uint32_t descsz, uint64_t *val)
{
    if (descsz != 4 && descsz != 8)
        return false;
    *val = 0;
    for (uint32_t i = 0; i < descsz; i++)
        *val |= (uint64_t)desc[i] << (8 * i);
    return true;
}

/* Copy a string descriptor: stops at its first NUL, always terminates dst. */
static void note_string(char *dst, size_t dst_len, const uint8_t *desc, uint32_t descsz)
{
    size_t n = MIN((size_t)descsz, dst_len - 1);
    const uint8_t *nul = NULL;

    for (size_t i = 0; i < n && !nul; i++)
        if (!desc[i])
            nul = desc + i;
    if (nul)
        n = (size_t)(nul - desc);
    memcpy(dst, desc, n);
    dst[n] = '\0';
}

/* Numeric notes that may be 4 or 8 bytes (Linux emits _ASM_PTR values). */
static int note_addr(const uint8_t *desc, uint32_t descsz, bool *has, uint64_t *out)
{
    if (!note_number(desc, descsz, out))
        return -ENOEXEC;
    *has = true;
    return 0;
}

/* Apply one "Xen" note. Unknown types are ignored. */
static int apply_xen_note(struct elf_xen_notes *x, uint32_t type, const uint8_t *desc,
                          uint32_t descsz)
{
    uint64_t v;

    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        return note_addr(desc, descsz, &x->has_entry, &x->entry);
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        return note_addr(desc, descsz, &x->has_hypercall_page, &x->hypercall_page);
    case XEN_ELFNOTE_VIRT_BASE:
        return note_addr(desc, descsz, &x->has_virt_base, &x->virt_base);
    case XEN_ELFNOTE_PHYS32_ENTRY:
        /* A 32-bit entry point; an 8-byte note is tolerated if it fits. */
        if (!note_number(desc, descsz, &v) || v > UINT32_MAX)
            return -ENOEXEC;
        x->phys32_entry = (uint32_t)v;
        x->has_phys32_entry = true;
        return 0;
    case XEN_ELFNOTE_GUEST_OS:
        note_string(x->guest_os, sizeof(x->guest_os), desc, descsz);
        return 0;
    case XEN_ELFNOTE_FEATURES:
        note_string(x->features, sizeof(x->features), desc, descsz);
        return 0;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        if (descsz < sizeof(x->supported_features[0]))
            return -ENOEXEC;
        memcpy(&x->supported_features[0], desc, sizeof(x->supported_features[0]));
        return 0;
    default:
        return 0;
    }
}

/*
 * Walk the notes in [buf, buf + len). Name and descriptor are padded to
 * `align` (4, or 8 for 8-aligned note segments such as GNU properties).
 * The final padding may be cut off by the end of the area; anything else
 * running past the end is malformed.
 */
static int walk_notes(const uint8_t *buf, uint64_t len, uint64_t align, struct elf_xen_notes *x)
{
    uint64_t off = 0;

    while (off < len) {
        uint64_t rest = len - off, desc_off, end;
        struct elf_nhdr nh;
        int rc;

        if (rest < sizeof(nh))
            return -ENOEXEC;
        memcpy(&nh, buf + off, sizeof(nh));
        /* 32-bit sizes cannot overflow 64-bit sums of this magnitude. */
        desc_off = ALIGN_UP(sizeof(nh) + (uint64_t)nh.n_namesz, align);
        end = desc_off + nh.n_descsz;
        if (sizeof(nh) + (uint64_t)nh.n_namesz > rest || (nh.n_descsz && end > rest))
            return -ENOEXEC;
        if (nh.n_namesz == 4 && !memcmp(buf + off + sizeof(nh), "Xen", 4)) {
            rc = apply_xen_note(x, nh.n_type, buf + off + desc_off, nh.n_descsz);
            if (rc)
                return rc;
        }
        off += MIN(ALIGN_UP(end, align), rest);
    }
    return 0;
}

/* ELF64 notes are nominally 8-aligned, but producers pad to 4 unless the area says 8. */
static uint64_t note_align(uint64_t area_align)
{
    return area_align == 8 ? 8 : 4;
}

/* Notes from PT_NOTE segments; *found says whether there was any PT_NOTE. */
static int notes_from_segments(const struct elf_image *img, const struct ehdr_info *e,
                               struct elf_xen_notes *x, bool *found)
{
    struct phdr_info ph;
    int rc;

    *found = false;
    for (unsigned int i = 0; i < e->phnum; i++) {
        read_phdr(img, e, i, &ph);
        if (ph.type != PT_NOTE)
            continue;
        *found = true;
        if (!range_ok(ph.offset, ph.filesz, img->size))
            return -ENOEXEC;
        rc = walk_notes(img->data + ph.offset, ph.filesz, note_align(ph.align), x);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * Notes from SHT_NOTE sections. No section table (e_shnum 0, which also
 * covers the extended-count form) simply means no notes.
 */
static int notes_from_sections(const struct elf_image *img, const struct ehdr_info *e,
                               struct elf_xen_notes *x)
{
    size_t shsz = img->is64 ? sizeof(struct elf64_shdr) : sizeof(struct elf32_shdr);
    struct shdr_info sh;
    int rc;

    if (e->shnum == 0)
        return 0;
    if (e->shentsize < shsz || !range_ok(e->shoff, (uint64_t)e->shnum * e->shentsize, img->size))
        return -ENOEXEC;
    for (unsigned int i = 0; i < e->shnum; i++) {
        read_shdr(img, e, i, &sh);
        if (sh.type != SHT_NOTE)
            continue;
        if (!range_ok(sh.offset, sh.size, img->size))
            return -ENOEXEC;
        rc = walk_notes(img->data + sh.offset, sh.size, note_align(sh.align), x);
        if (rc)
            return rc;
    }
    return 0;
}

int elf_xen_notes(const struct elf_image *img, struct elf_xen_notes *notes)
{
    struct ehdr_info e;
    bool found;
    int rc;

    if (!img || !notes)
        return -EINVAL;
    memset(notes, 0, sizeof(*notes));
    read_ehdr(img->data, img->is64, &e);
    rc = notes_from_segments(img, &e, notes, &found);
    if (!rc && !found)
        rc = notes_from_sections(img, &e, notes);
    return rc;
}
