// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for hypervisor/common/elf.c: the Xen notes (elf_xen_notes), in
 * PT_NOTE segments or, without one, SHT_NOTE sections, and every way they
 * can be truncated, out of bounds, of a wrong size or of another owner.
 * Images are assembled in memory (elf_builder.c) so each case states exactly
 * what is malformed.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "elf_builder.h"
#include <public/elfnote.h>
#include <xenon/elf.h>

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
