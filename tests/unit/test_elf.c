// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for hypervisor/common/elf.c. Images are assembled in memory by a
 * small builder (ELF32 or ELF64, program headers, optional section headers,
 * Xen-style notes) so each case states exactly what is malformed.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include <public/elfnote.h>
#include <xenon/elf.h>

#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define EM_ARM 40
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551u
#define SHT_PROGBITS 1
#define SHT_NOTE 7

#define MAX_PH 8
#define MAX_SH 8
#define IMG_MAX 8192
#define DATA_START 0x400 /* room for the ELF header and MAX_PH program headers */

struct phdr_spec {
    uint32_t type;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct shdr_spec {
    uint32_t type;
    uint64_t offset, size, align;
};

struct builder {
    uint8_t buf[IMG_MAX];
    size_t len;
    bool is64;
    uint16_t type, machine;
    uint64_t entry;
    unsigned int nph, nsh;
    struct phdr_spec ph[MAX_PH];
    struct shdr_spec sh[MAX_SH];
};

/* Little-endian stores into the image (the host is x86, but be explicit). */
static void put(uint8_t *at, uint64_t v, unsigned int bytes)
{
    for (unsigned int i = 0; i < bytes; i++)
        at[i] = (uint8_t)(v >> (8 * i));
}

static void b_init(struct builder *b, bool is64)
{
    memset(b, 0, sizeof(*b));
    b->is64 = is64;
    b->type = ET_EXEC;
    b->machine = is64 ? EM_X86_64 : EM_386;
    b->entry = 0x100000;
    b->len = DATA_START;
}

/* Append bytes at the given file alignment; returns their file offset. */
static uint64_t b_append(struct builder *b, const void *data, size_t n, size_t align)
{
    size_t off = (b->len + align - 1) & ~(align - 1);

    if (off + n > IMG_MAX) {
        fprintf(stderr, "builder: image too large\n");
        abort();
    }
    memset(b->buf + b->len, 0, off - b->len);
    memcpy(b->buf + off, data, n);
    b->len = off + n;
    return off;
}

static void b_phdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t paddr,
                   uint64_t filesz, uint64_t memsz, uint64_t align)
{
    if (b->nph == MAX_PH)
        abort();
    b->ph[b->nph++] = (struct phdr_spec){ type, offset, paddr, paddr, filesz, memsz, align };
}

static void b_shdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t size, uint64_t align)
{
    if (b->nsh == MAX_SH)
        abort();
    b->sh[b->nsh++] = (struct shdr_spec){ type, offset, size, align };
}

/* A PT_LOAD whose file bytes are `n` bytes of `fill`. Returns its file offset. */
static uint64_t b_load(struct builder *b, uint64_t paddr, size_t n, uint64_t memsz, uint8_t fill)
{
    uint8_t tmp[1024];
    uint64_t off;

    memset(tmp, fill, sizeof(tmp));
    off = b_append(b, tmp, n, 16);
    b_phdr(b, PT_LOAD, off, paddr, n, memsz, 0x1000);
    return off;
}

static void write_phdr(struct builder *b, uint8_t *at, const struct phdr_spec *p)
{
    if (b->is64) {
        put(at + 0, p->type, 4);
        put(at + 4, 7, 4); /* p_flags */
        put(at + 8, p->offset, 8);
        put(at + 16, p->vaddr, 8);
        put(at + 24, p->paddr, 8);
        put(at + 32, p->filesz, 8);
        put(at + 40, p->memsz, 8);
        put(at + 48, p->align, 8);
    } else {
        put(at + 0, p->type, 4);
        put(at + 4, p->offset, 4);
        put(at + 8, p->vaddr, 4);
        put(at + 12, p->paddr, 4);
        put(at + 16, p->filesz, 4);
        put(at + 20, p->memsz, 4);
        put(at + 24, 7, 4);
        put(at + 28, p->align, 4);
    }
}

static void write_shdr(struct builder *b, uint8_t *at, const struct shdr_spec *s)
{
    unsigned int w = b->is64 ? 8 : 4;

    /* sh_name, sh_type, then flags/addr/offset/size/link/info/addralign/entsize. */
    put(at + 4, s->type, 4);
    put(at + 8 + 2 * w, s->offset, w);
    put(at + 8 + 3 * w, s->size, w);
    put(at + 16 + 4 * w, s->align, w);
}

/* Write the headers (section table appended at the end); returns the image size. */
static size_t b_finish(struct builder *b)
{
    unsigned int phsz = b->is64 ? 56 : 32, shsz = b->is64 ? 64 : 40, w = b->is64 ? 8 : 4;
    unsigned int ehsz = b->is64 ? 64 : 52;
    uint8_t *h = b->buf;
    uint64_t shoff = 0;

    if (b->nsh) {
        uint8_t zero[MAX_SH * 64] = { 0 };

        /* Section 0 is the reserved null section, as real linkers emit. */
        shoff = b_append(b, zero, (b->nsh + 1) * shsz, 8);
        for (unsigned int i = 0; i < b->nsh; i++)
            write_shdr(b, b->buf + shoff + (i + 1) * shsz, &b->sh[i]);
    }
    memcpy(h, "\177ELF", 4);
    h[4] = b->is64 ? 2 : 1; /* EI_CLASS */
    h[5] = 1;               /* EI_DATA: little-endian */
    h[6] = 1;               /* EI_VERSION */
    put(h + 16, b->type, 2);
    put(h + 18, b->machine, 2);
    put(h + 20, 1, 4);
    put(h + 24, b->entry, w);
    put(h + 24 + w, ehsz, w);       /* e_phoff: right after the header */
    put(h + 24 + 2 * w, shoff, w);  /* e_shoff */
    put(h + 28 + 3 * w, ehsz, 2);   /* e_ehsize (after e_flags) */
    put(h + 30 + 3 * w, phsz, 2);
    put(h + 32 + 3 * w, b->nph, 2);
    put(h + 34 + 3 * w, shsz, 2);
    put(h + 36 + 3 * w, b->nsh ? b->nsh + 1 : 0, 2);
    for (unsigned int i = 0; i < b->nph; i++)
        write_phdr(b, h + ehsz + i * phsz, &b->ph[i]);
    return b->len;
}

/* Header field offsets used by the tests to corrupt a finished image. */
enum hdr_field { F_PHOFF, F_PHENTSIZE, F_PHNUM, F_SHOFF, F_SHNUM };

static unsigned int field_off(const struct builder *b, enum hdr_field f)
{
    static const unsigned int off64[] = { 32, 54, 56, 40, 60 };
    static const unsigned int off32[] = { 28, 42, 44, 32, 48 };

    return b->is64 ? off64[f] : off32[f];
}

/* Encode one note; name and desc each start `align`-aligned. Returns its size. */
static size_t note(uint8_t *out, const char *name, uint32_t namesz, uint32_t type,
                   const void *desc, uint32_t descsz, size_t align)
{
    size_t desc_off = (12 + namesz + align - 1) & ~(align - 1);
    size_t end = (desc_off + descsz + align - 1) & ~(align - 1);

    memset(out, 0, end);
    put(out, namesz, 4);
    put(out + 4, descsz, 4);
    put(out + 8, type, 4);
    memcpy(out + 12, name, namesz);
    memcpy(out + desc_off, desc, descsz);
    return end;
}

static size_t xen_note(uint8_t *out, uint32_t type, const void *desc, uint32_t descsz)
{
    return note(out, "Xen", 4, type, desc, descsz, 4);
}

static size_t xen_note_u32(uint8_t *out, uint32_t type, uint32_t v)
{
    uint8_t d[4];

    put(d, v, 4);
    return xen_note(out, type, d, 4);
}

static size_t xen_note_u64(uint8_t *out, uint32_t type, uint64_t v)
{
    uint8_t d[8];

    put(d, v, 8);
    return xen_note(out, type, d, 8);
}

/* A typical PVH kernel's notes, as Linux emits them on x86-64. */
static size_t linux_like_notes(uint8_t *out)
{
    size_t n = 0;

    n += xen_note(out + n, XEN_ELFNOTE_GUEST_OS, "linux", 6);
    n += xen_note_u64(out + n, XEN_ELFNOTE_ENTRY, 0xffffffff81234560ull);
    n += xen_note_u64(out + n, XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff81001000ull);
    n += xen_note_u32(out + n, XEN_ELFNOTE_VIRT_BASE, 0x80000000u);
    n += xen_note(out + n, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", 42);
    n += xen_note_u32(out + n, XEN_ELFNOTE_SUPPORTED_FEATURES, 0x801);
    n += xen_note_u32(out + n, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000040);
    return n;
}

/* A kernel image with one text PT_LOAD, a bss-carrying PT_LOAD and, optionally, notes. */
static size_t simple_image(struct builder *b, bool is64, const uint8_t *notes, size_t notes_len)
{
    b_init(b, is64);
    b_load(b, 0x100000, 256, 256, 0xaa);
    b_load(b, 0x200000, 64, 0x3000, 0xbb);
    if (notes_len) {
        uint64_t off = b_append(b, notes, notes_len, 4);

        b_phdr(b, PT_NOTE, off, 0, notes_len, notes_len, 4);
    }
    return b_finish(b);
}

static int parse(struct builder *b, size_t len)
{
    struct elf_image img;

    return elf_parse(b->buf, len, &img);
}

TEST(valid_elf64)
{
    struct builder b;
    struct elf_image img;
    struct elf_segment seg;
    size_t len = simple_image(&b, true, NULL, 0);

    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK(img.is64);
    CHECK(img.data == b.buf);
    CHECK_EQ(img.size, len);
    CHECK_EQ(img.entry, 0x100000);
    CHECK_EQ(img.load_lo, 0x100000);
    CHECK_EQ(img.load_hi, 0x203000);
    CHECK_EQ(elf_nr_segments(&img), 2);
    CHECK_EQ(elf_segment(&img, 0, &seg), 0);
    CHECK_EQ(seg.paddr, 0x100000);
    CHECK_EQ(seg.filesz, 256);
    CHECK_EQ(seg.memsz, 256);
    CHECK(seg.src >= b.buf && seg.src + seg.filesz <= b.buf + len);
    CHECK_EQ(seg.src[0], 0xaa);
    CHECK_EQ(seg.src[255], 0xaa);
    CHECK_EQ(elf_segment(&img, 1, &seg), 0);
    CHECK_EQ(seg.paddr, 0x200000);
    CHECK_EQ(seg.filesz, 64);
    CHECK_EQ(seg.memsz, 0x3000);
    CHECK_EQ(seg.src[0], 0xbb);
    CHECK_EQ(seg.src[63], 0xbb);
}

TEST(valid_elf32)
{
    struct builder b;
    struct elf_image img;
    struct elf_segment seg;
    size_t len;

    b_init(&b, false);
    b.entry = 0x1000c0;
    b_load(&b, 0x100000, 128, 0x1000, 0x11);
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK(!img.is64);
    CHECK_EQ(img.entry, 0x1000c0);
    CHECK_EQ(img.load_lo, 0x100000);
    CHECK_EQ(img.load_hi, 0x101000);
    CHECK_EQ(elf_nr_segments(&img), 1);
    CHECK_EQ(elf_segment(&img, 0, &seg), 0);
    CHECK_EQ(seg.filesz, 128);
    CHECK_EQ(seg.memsz, 0x1000);
    CHECK_EQ(seg.src[127], 0x11);
    CHECK_EQ(elf_segment(&img, 1, &seg), -ENOENT);

    /* x32 layout (ELF32 + EM_X86_64) is accepted as well. */
    b.machine = EM_X86_64;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), 0);
}

TEST(et_dyn_accepted_et_rel_rejected)
{
    struct builder b;
    struct elf_image img;
    size_t len = simple_image(&b, true, NULL, 0);

    b.type = ET_DYN;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(img.load_lo, 0x100000); /* not relocated */
    b.type = ET_REL;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.type = 4; /* ET_CORE */
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(bad_magic_and_short_images)
{
    struct builder b;
    struct elf_image img = { .size = 12345 };
    size_t len = simple_image(&b, true, NULL, 0);

    b.buf[1] = 'X';
    CHECK_EQ(elf_parse(b.buf, len, &img), -ENOEXEC);
    CHECK_EQ(img.size, 12345); /* untouched on failure */
    b.buf[1] = 'E';
    CHECK_EQ(parse(&b, len), 0);
    CHECK_EQ(parse(&b, 0), -ENOEXEC);
    CHECK_EQ(parse(&b, 4), -ENOEXEC);
    CHECK_EQ(parse(&b, 16), -ENOEXEC);
    CHECK_EQ(parse(&b, 63), -ENOEXEC); /* shorter than an ELF64 header */
    b.buf[6] = 2; /* EI_VERSION */
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.buf[6] = 1;
    b.buf[4] = 3; /* EI_CLASS neither 32 nor 64 */
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.buf[4] = 0;
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(wrong_machine)
{
    struct builder b;
    size_t len;

    simple_image(&b, true, NULL, 0);
    b.machine = EM_ARM;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.machine = EM_386; /* either x86 machine in either class */
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), 0);
    b.machine = 0;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(big_endian_rejected)
{
    struct builder b;
    size_t len = simple_image(&b, true, NULL, 0);

    b.buf[5] = 2; /* ELFDATA2MSB */
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.buf[5] = 0;
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    len = simple_image(&b, false, NULL, 0);
    b.buf[5] = 2;
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(phdr_table_out_of_bounds)
{
    struct builder b;
    size_t len;

    for (int is64 = 0; is64 < 2; is64++) {
        unsigned int w = is64 ? 8 : 4;

        len = simple_image(&b, is64, NULL, 0);
        put(b.buf + field_off(&b, F_PHOFF), len - 8, w);
        CHECK_EQ(parse(&b, len), -ENOEXEC);
        put(b.buf + field_off(&b, F_PHOFF), is64 ? UINT64_MAX - 16 : UINT32_MAX - 16, w);
        CHECK_EQ(parse(&b, len), -ENOEXEC);

        len = simple_image(&b, is64, NULL, 0);
        put(b.buf + field_off(&b, F_PHNUM), 0xfffe, 2);
        CHECK_EQ(parse(&b, len), -ENOEXEC);
        put(b.buf + field_off(&b, F_PHNUM), 0xffff, 2); /* PN_XNUM */
        CHECK_EQ(parse(&b, len), -ENOEXEC);
        put(b.buf + field_off(&b, F_PHNUM), 0, 2);
        CHECK_EQ(parse(&b, len), -ENOEXEC);

        len = simple_image(&b, is64, NULL, 0);
        put(b.buf + field_off(&b, F_PHENTSIZE), is64 ? 32 : 16, 2); /* smaller than a phdr */
        CHECK_EQ(parse(&b, len), -ENOEXEC);

        /* Table ends exactly at the end of the image: fine. */
        len = simple_image(&b, is64, NULL, 0);
        CHECK_EQ(parse(&b, len), 0);
        CHECK_EQ(parse(&b, (is64 ? 64 : 52) + 2 * (is64 ? 56 : 32) - 1), -ENOEXEC);
    }
}

TEST(pt_load_past_end)
{
    struct builder b;
    size_t len;

    for (int is64 = 0; is64 < 2; is64++) {
        uint64_t off;

        b_init(&b, is64);
        off = b_load(&b, 0x100000, 64, 64, 1);
        len = b_finish(&b);
        CHECK_EQ(parse(&b, len), 0);
        CHECK_EQ(parse(&b, off + 63), -ENOEXEC); /* last file byte cut off */

        b_init(&b, is64);
        b_load(&b, 0x100000, 64, 64, 1);
        b.ph[0].filesz = b.ph[0].memsz = 0x10000;
        len = b_finish(&b);
        CHECK_EQ(parse(&b, len), -ENOEXEC);

        /* offset + filesz wraps around */
        b_init(&b, is64);
        b_load(&b, 0x100000, 64, 64, 1);
        b.ph[0].offset = is64 ? UINT64_MAX - 8 : UINT32_MAX - 8;
        len = b_finish(&b);
        CHECK_EQ(parse(&b, len), -ENOEXEC);
    }
}

TEST(filesz_greater_than_memsz)
{
    struct builder b;
    size_t len;

    b_init(&b, true);
    b_load(&b, 0x100000, 64, 63, 1);
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b_init(&b, false);
    b_load(&b, 0x100000, 64, 0, 1);
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(address_overflow)
{
    struct builder b;
    size_t len;

    /* ELF64: paddr + memsz past 2^64. */
    b_init(&b, true);
    b_load(&b, UINT64_MAX - 0xfff, 16, 0x2000, 1);
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    /* Ending exactly at 2^64 leaves load_hi unrepresentable. */
    b.ph[0].memsz = 0x1000;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.ph[0].memsz = 0xfff;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), 0);

    /* vaddr wrapping is rejected too. */
    b_init(&b, true);
    b_load(&b, 0x100000, 16, 0x2000, 1);
    b.ph[0].vaddr = UINT64_MAX - 0xfff;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);

    /* ELF32: a segment must end at or below 4 GiB. */
    b_init(&b, false);
    b_load(&b, 0xfffff000u, 16, 0x2000, 1);
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
    b.ph[0].memsz = 0x1000;
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), 0);
}

TEST(no_pt_load)
{
    struct builder b;
    uint8_t notes[64];
    size_t n = xen_note_u32(notes, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000);
    uint64_t off;
    size_t len;

    b_init(&b, true);
    off = b_append(&b, notes, n, 4);
    b_phdr(&b, PT_NOTE, off, 0, n, n, 4);
    b_phdr(&b, PT_GNU_STACK, 0, 0, 0, 0, 16);
    len = b_finish(&b);
    CHECK_EQ(parse(&b, len), -ENOEXEC);
}

TEST(segment_iteration_and_enoent)
{
    struct builder b;
    struct elf_image img;
    struct elf_segment seg;
    uint8_t notes[64];
    size_t n = xen_note_u32(notes, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000), len;
    uint64_t off;

    /* PT_LOADs interleaved with other program headers, unsorted by address. */
    b_init(&b, true);
    b_load(&b, 0x300000, 32, 32, 3);
    off = b_append(&b, notes, n, 4);
    b_phdr(&b, PT_NOTE, off, 0, n, n, 4);
    b_load(&b, 0x100000, 32, 32, 1);
    b_phdr(&b, PT_GNU_STACK, 0, 0, 0, 0, 16);
    b_load(&b, 0x200000, 0, 0x1000, 2); /* pure bss */
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(img.load_lo, 0x100000);
    CHECK_EQ(img.load_hi, 0x300020);
    CHECK_EQ(elf_nr_segments(&img), 3);
    CHECK_EQ(elf_segment(&img, 0, &seg), 0);
    CHECK_EQ(seg.paddr, 0x300000);
    CHECK_EQ(seg.src[0], 3);
    CHECK_EQ(elf_segment(&img, 1, &seg), 0);
    CHECK_EQ(seg.paddr, 0x100000);
    CHECK_EQ(seg.src[0], 1);
    CHECK_EQ(elf_segment(&img, 2, &seg), 0);
    CHECK_EQ(seg.paddr, 0x200000);
    CHECK_EQ(seg.filesz, 0);
    CHECK_EQ(seg.memsz, 0x1000);
    CHECK_EQ(elf_segment(&img, 3, &seg), -ENOENT);
    CHECK_EQ(elf_segment(&img, 4, &seg), -ENOENT);
    CHECK_EQ(elf_segment(&img, ~0u, &seg), -ENOENT);
}

TEST(notes_elf64_4_and_8_byte_values)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[512];
    size_t len = simple_image(&b, true, notes, linux_like_notes(notes));

    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(x.has_entry);
    CHECK_EQ(x.entry, 0xffffffff81234560ull);
    CHECK(x.has_hypercall_page);
    CHECK_EQ(x.hypercall_page, 0xffffffff81001000ull);
    CHECK(x.has_virt_base);
    CHECK_EQ(x.virt_base, 0x80000000u);
    CHECK(x.has_phys32_entry);
    CHECK_EQ(x.phys32_entry, 0x1000040);
    CHECK(!strcmp(x.guest_os, "linux"));
    CHECK(!strcmp(x.features, "!writable_page_tables|pae_pgdir_above_4gb"));
    CHECK_EQ(x.supported_features[0], 0x801);
}

TEST(notes_elf32)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[256];
    size_t n = 0, len;

    n += xen_note_u32(notes + n, XEN_ELFNOTE_ENTRY, 0xc0100000u);
    n += xen_note_u32(notes + n, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000);
    n += xen_note(notes + n, XEN_ELFNOTE_GUEST_OS, "mini", 5);
    len = simple_image(&b, false, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(x.has_entry);
    CHECK_EQ(x.entry, 0xc0100000u);
    CHECK_EQ(x.phys32_entry, 0x100000);
    CHECK(!x.has_hypercall_page && !x.has_virt_base);
    CHECK(!strcmp(x.guest_os, "mini"));
    CHECK_EQ(x.features[0], '\0');
}

TEST(notes_absent)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    size_t len = simple_image(&b, true, NULL, 0);

    memset(&x, 0x5a, sizeof(x));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(!x.has_phys32_entry && !x.has_entry && !x.has_hypercall_page && !x.has_virt_base);
    CHECK_EQ(x.guest_os[0], '\0');
    CHECK_EQ(x.features[0], '\0');
    CHECK_EQ(x.supported_features[0], 0);
}

TEST(truncated_note)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[256];
    size_t n = linux_like_notes(notes), len;

    /* The note segment's size cuts through the last note's descriptor... */
    len = simple_image(&b, true, notes, n);
    b.ph[2].filesz = b.ph[2].memsz = n - 6;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* ...through a header... */
    b.ph[2].filesz = n - 20 + 5;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* ...also when the partial header is the image's last bytes (ASan watches the end). */
    {
        uint8_t hdr_part[5] = { 4, 0, 0, 0, 4 };
        uint64_t off;
        uint8_t *heap;

        b_init(&b, true);
        b_load(&b, 0x100000, 64, 64, 1);
        off = b_append(&b, notes, n, 4);
        b_append(&b, hdr_part, sizeof(hdr_part), 1);
        b_phdr(&b, PT_NOTE, off, 0, n + sizeof(hdr_part), n + sizeof(hdr_part), 4);
        len = b_finish(&b);
        heap = malloc(len);
        memcpy(heap, b.buf, len);
        CHECK_EQ(elf_parse(heap, len, &img), 0);
        CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
        free(heap);
    }
    /* ...and a descsz that claims far more than is there. */
    put(notes + 4, 0xfffffff0u, 4);
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* A namesz running past the segment. */
    n = linux_like_notes(notes);
    put(notes, 0xffffffffu, 4);
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* A namesz running past the segment on a note without descriptor. */
    n = xen_note(notes, XEN_ELFNOTE_PAE_MODE, "", 0);
    n += xen_note(notes + n, XEN_ELFNOTE_PAE_MODE, "", 0);
    put(notes + n / 2, 64, 4);
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
}

TEST(note_segment_out_of_bounds)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[256];
    size_t n = linux_like_notes(notes), len;

    len = simple_image(&b, true, notes, n);
    b.ph[2].offset = len - 8;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0); /* PT_NOTE is not checked by elf_parse */
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    b.ph[2].offset = UINT64_MAX;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
}

TEST(bad_note_value_sizes)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[64];
    size_t len;

    len = simple_image(&b, true, notes, xen_note(notes, XEN_ELFNOTE_ENTRY, "\1\2", 2));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* PHYS32_ENTRY: an 8-byte value is fine while it fits in 32 bits. */
    len = simple_image(&b, true, notes, xen_note_u64(notes, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK_EQ(x.phys32_entry, 0x100000);
    len = simple_image(&b, true, notes, xen_note_u64(notes, XEN_ELFNOTE_PHYS32_ENTRY, 1ull << 32));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    len = simple_image(&b, true, notes, xen_note(notes, XEN_ELFNOTE_SUPPORTED_FEATURES, "\1", 1));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* A note type this loader does not use may have any size. */
    len = simple_image(&b, true, notes, xen_note(notes, XEN_ELFNOTE_PAE_MODE, "yes", 3));
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
}

TEST(string_notes_truncated_and_terminated)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[512];
    char longname[200];
    size_t n = 0, len;

    memset(longname, 'L', sizeof(longname));
    /* No NUL inside the descriptor at all, and longer than the field. */
    n += xen_note(notes + n, XEN_ELFNOTE_GUEST_OS, longname, sizeof(longname));
    n += xen_note(notes + n, XEN_ELFNOTE_FEATURES, longname, sizeof(longname));
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK_EQ(strlen(x.guest_os), sizeof(x.guest_os) - 1);
    CHECK_EQ(strlen(x.features), sizeof(x.features) - 1);
    CHECK_EQ(x.guest_os[0], 'L');

    /* Stops at an embedded NUL; an empty descriptor gives "". */
    n = xen_note(notes, XEN_ELFNOTE_GUEST_OS, "ab\0cd", 5);
    n += xen_note(notes + n, XEN_ELFNOTE_FEATURES, "", 0);
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(!strcmp(x.guest_os, "ab"));
    CHECK_EQ(x.features[0], '\0');
}

TEST(other_owner_notes_skipped)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[512], d[8];
    size_t n = 0, len;

    put(d, 0xdeadbeef, 4);
    /* The real note first: a later note wrongly taken as Xen's would override it. */
    n += xen_note_u32(notes + n, XEN_ELFNOTE_PHYS32_ENTRY, 0x100040);
    /* Same type numbers as Xen notes, other owners. */
    n += note(notes + n, "GNU", 4, XEN_ELFNOTE_PHYS32_ENTRY, d, 4, 4);
    n += note(notes + n, "Xenon", 6, XEN_ELFNOTE_PHYS32_ENTRY, d, 4, 4);
    n += note(notes + n, "Xen", 3, XEN_ELFNOTE_PHYS32_ENTRY, d, 4, 4); /* no NUL counted */
    n += note(notes + n, "XEN", 4, XEN_ELFNOTE_GUEST_OS, "bad", 4, 4);
    n += note(notes + n, "", 0, XEN_ELFNOTE_GUEST_OS, "bad", 4, 4);
    /* An odd-sized descriptor other owners are free to use. */
    n += note(notes + n, "GNU", 4, XEN_ELFNOTE_ENTRY, "\1\2\3", 3, 4);
    len = simple_image(&b, true, notes, n);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(x.has_phys32_entry);
    CHECK_EQ(x.phys32_entry, 0x100040);
    CHECK(!x.has_entry);
    CHECK_EQ(x.guest_os[0], '\0');
}

TEST(notes_8_aligned_segment)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[256], d[8];
    size_t n = 0, len;
    uint64_t off;

    /* GNU property notes use 8-byte padding in an 8-aligned PT_NOTE. */
    put(d, 0, 8);
    n += note(notes + n, "GNU", 4, 5, d, 4, 8);
    n += note(notes + n, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "os8", 4, 8);
    b_init(&b, true);
    b_load(&b, 0x100000, 64, 64, 1);
    off = b_append(&b, notes, n, 8);
    b_phdr(&b, PT_NOTE, off, 0, n, n, 8);
    n = xen_note_u32(notes, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000);
    off = b_append(&b, notes, n, 4);
    b_phdr(&b, PT_NOTE, off, 0, n, n, 4); /* and a second PT_NOTE, 4-aligned */
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(!strcmp(x.guest_os, "os8"));
    CHECK(x.has_phys32_entry);
}

TEST(section_note_fallback)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[512];
    size_t n = linux_like_notes(notes), len;
    uint64_t off;

    for (int is64 = 0; is64 < 2; is64++) {
        b_init(&b, is64);
        b_load(&b, 0x100000, 64, 64, 1);
        b_shdr(&b, SHT_PROGBITS, DATA_START, 64, 16);
        off = b_append(&b, notes, n, 4);
        b_shdr(&b, SHT_NOTE, off, n, 4);
        len = b_finish(&b);
        CHECK_EQ(elf_parse(b.buf, len, &img), 0);
        CHECK_EQ(elf_xen_notes(&img, &x), 0);
        CHECK(x.has_phys32_entry);
        CHECK_EQ(x.phys32_entry, 0x1000040);
        CHECK(!strcmp(x.guest_os, "linux"));
        CHECK_EQ(x.supported_features[0], 0x801);
    }

    /* With a PT_NOTE present, sections are not consulted. */
    b_init(&b, true);
    b_load(&b, 0x100000, 64, 64, 1);
    off = b_append(&b, notes, n, 4);
    b_shdr(&b, SHT_NOTE, off, n, 4);
    n = xen_note(notes, XEN_ELFNOTE_GUEST_OS, "seg", 4);
    off = b_append(&b, notes, n, 4);
    b_phdr(&b, PT_NOTE, off, 0, n, n, 4);
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(!strcmp(x.guest_os, "seg"));
    CHECK(!x.has_phys32_entry);
}

TEST(section_table_out_of_bounds)
{
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    uint8_t notes[512];
    size_t n = linux_like_notes(notes), len;
    uint64_t off;

    b_init(&b, true);
    b_load(&b, 0x100000, 64, 64, 1);
    off = b_append(&b, notes, n, 4);
    b_shdr(&b, SHT_NOTE, off, n, 4);
    len = b_finish(&b);
    put(b.buf + field_off(&b, F_SHNUM), 200, 2);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    len = b_finish(&b);
    put(b.buf + field_off(&b, F_SHOFF), UINT64_MAX - 10, 8);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
    /* A SHT_NOTE section whose contents lie outside the image. */
    b.sh[0].size = 0x100000;
    len = b_finish(&b);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, &x), -ENOEXEC);
}

TEST(unaligned_image_buffer)
{
    static uint8_t copy[IMG_MAX + 8];
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    struct elf_segment seg;
    uint8_t notes[512];
    size_t len = simple_image(&b, true, notes, linux_like_notes(notes));

    for (unsigned int shift = 1; shift < 8; shift++) {
        memcpy(copy + shift, b.buf, len);
        CHECK_EQ(elf_parse(copy + shift, len, &img), 0);
        CHECK_EQ(elf_xen_notes(&img, &x), 0);
        CHECK_EQ(x.entry, 0xffffffff81234560ull);
        CHECK_EQ(elf_segment(&img, 1, &seg), 0);
        CHECK(seg.src == copy + shift + b.ph[1].offset);
    }
}

TEST(null_arguments)
{
    struct builder b;
    struct elf_image img;
    size_t len = simple_image(&b, true, NULL, 0);

    CHECK_EQ(elf_parse(NULL, len, &img), -EINVAL);
    CHECK_EQ(elf_parse(b.buf, len, NULL), -EINVAL);
    CHECK_EQ(elf_parse(b.buf, len, &img), 0);
    CHECK_EQ(elf_xen_notes(&img, NULL), -EINVAL);
    CHECK_EQ(elf_xen_notes(NULL, NULL), -EINVAL);
}

/* Every prefix of a valid image and random corruptions: no crash, no panic. */
TEST(truncation_and_mutation_robustness)
{
    static uint8_t copy[IMG_MAX];
    struct builder b;
    struct elf_image img;
    struct elf_xen_notes x;
    struct elf_segment seg;
    uint8_t notes[512];
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    size_t len;

    for (int is64 = 0; is64 < 2; is64++) {
        len = simple_image(&b, is64, notes, linux_like_notes(notes));
        for (size_t cut = 0; cut < len; cut++) {
            /* A fresh heap copy so ASan sees reads past the cut. */
            uint8_t *p = malloc(cut ? cut : 1);

            memcpy(p, b.buf, cut);
            if (!elf_parse(p, cut, &img))
                (void)elf_xen_notes(&img, &x);
            free(p);
        }
        for (int iter = 0; iter < 20000; iter++) {
            memcpy(copy, b.buf, len);
            for (int k = 0; k < 4; k++) {
                rng = rng * 6364136223846793005ull + 1442695040888963407ull;
                copy[(rng >> 33) % len] = (uint8_t)(rng >> 17);
            }
            if (elf_parse(copy, len, &img))
                continue;
            (void)elf_xen_notes(&img, &x);
            for (unsigned int i = 0; elf_segment(&img, i, &seg) == 0; i++)
                CHECK(seg.src >= copy && seg.filesz <= len && seg.src + seg.filesz <= copy + len);
        }
    }
    CHECK_EQ(unit_panics, 0);
}

/* A real toolchain-produced ELF: this test binary (a PIE, i.e. ET_DYN, usually). */
TEST(parse_self_exe)
{
    FILE *f = fopen("/proc/self/exe", "rb");
    struct elf_image img;
    struct elf_xen_notes x;
    struct elf_segment seg;
    uint8_t *data;
    long size;

    if (!f) {
        printf("parse_self_exe: /proc/self/exe unavailable, skipped\n");
        return;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    data = malloc((size_t)size);
    CHECK(data && fread(data, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    CHECK_EQ(elf_parse(data, (size_t)size, &img), 0);
    CHECK_EQ(img.is64, sizeof(void *) == 8);
    CHECK(elf_nr_segments(&img) >= 1);
    CHECK(img.load_lo < img.load_hi);
    for (unsigned int i = 0; i < elf_nr_segments(&img); i++) {
        CHECK_EQ(elf_segment(&img, i, &seg), 0);
        CHECK(seg.filesz <= seg.memsz);
        CHECK(seg.src >= data && seg.src + seg.filesz <= data + size);
    }
    /* Its GNU notes (build id, ABI tag, properties) are not Xen's. */
    CHECK_EQ(elf_xen_notes(&img, &x), 0);
    CHECK(!x.has_phys32_entry && !x.has_entry);
    CHECK_EQ(x.guest_os[0], '\0');
    free(data);
}
