// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ELF image builder of the elf.c tests (elf_builder.h).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "elf_builder.h"
#include <public/elfnote.h>

/* Little-endian stores into the image (the host is x86, but be explicit). */
void put(uint8_t *at, uint64_t v, unsigned int bytes)
{
    for (unsigned int i = 0; i < bytes; i++)
        at[i] = (uint8_t)(v >> (8 * i));
}

void b_init(struct builder *b, bool is64)
{
    memset(b, 0, sizeof(*b));
    b->is64 = is64;
    b->type = ET_EXEC;
    b->machine = is64 ? EM_X86_64 : EM_386;
    b->entry = 0x100000;
    b->len = DATA_START;
}

/* Append bytes at the given file alignment; returns their file offset. */
uint64_t b_append(struct builder *b, const void *data, size_t n, size_t align)
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

void b_phdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t paddr,
            uint64_t filesz, uint64_t memsz, uint64_t align)
{
    if (b->nph == MAX_PH)
        abort();
    b->ph[b->nph++] = (struct phdr_spec){ type, offset, paddr, paddr, filesz, memsz, align };
}

void b_shdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t size, uint64_t align)
{
    if (b->nsh == MAX_SH)
        abort();
    b->sh[b->nsh++] = (struct shdr_spec){ type, offset, size, align };
}

/* A PT_LOAD whose file bytes are `n` bytes of `fill`. Returns its file offset. */
uint64_t b_load(struct builder *b, uint64_t paddr, size_t n, uint64_t memsz, uint8_t fill)
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
size_t b_finish(struct builder *b)
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

unsigned int field_off(const struct builder *b, enum hdr_field f)
{
    static const unsigned int off64[] = { 32, 54, 56, 40, 60 };
    static const unsigned int off32[] = { 28, 42, 44, 32, 48 };

    return b->is64 ? off64[f] : off32[f];
}

/* Encode one note; name and desc each start `align`-aligned. Returns its size. */
size_t note(uint8_t *out, const char *name, uint32_t namesz, uint32_t type,
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

size_t xen_note(uint8_t *out, uint32_t type, const void *desc, uint32_t descsz)
{
    return note(out, "Xen", 4, type, desc, descsz, 4);
}

size_t xen_note_u32(uint8_t *out, uint32_t type, uint32_t v)
{
    uint8_t d[4];

    put(d, v, 4);
    return xen_note(out, type, d, 4);
}

size_t xen_note_u64(uint8_t *out, uint32_t type, uint64_t v)
{
    uint8_t d[8];

    put(d, v, 8);
    return xen_note(out, type, d, 8);
}

/* A typical PVH kernel's notes, as Linux emits them on x86-64. */
size_t linux_like_notes(uint8_t *out)
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
size_t simple_image(struct builder *b, bool is64, const uint8_t *notes, size_t notes_len)
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
