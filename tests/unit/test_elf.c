// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for hypervisor/common/elf.c: the ELF header, the program
 * headers and the segments, bad arguments, robustness against truncated and
 * corrupted images, and a real toolchain-made ELF. The Xen notes are tested
 * in test_elf_notes.c. Images are assembled in memory (elf_builder.c) so
 * each case states exactly what is malformed.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "elf_builder.h"
#include <public/elfnote.h>
#include <xenon/elf.h>

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
