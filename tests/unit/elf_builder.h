// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF images assembled in memory for the tests of hypervisor/common/elf.c
 * (test_elf.c, test_elf_notes.c, each linked with elf_builder.c): ELF32 or
 * ELF64, program headers, optional section headers, Xen-style notes, so
 * each case states exactly what is malformed.
 */
#ifndef XENON_UNIT_ELF_BUILDER_H
#define XENON_UNIT_ELF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Little-endian store of the low `bytes` bytes of v. */
void put(uint8_t *at, uint64_t v, unsigned int bytes);
/* An empty ET_EXEC image for x86 (EM_X86_64 or EM_386), data from DATA_START on. */
void b_init(struct builder *b, bool is64);
/* Append bytes at the given file alignment; returns their file offset. */
uint64_t b_append(struct builder *b, const void *data, size_t n, size_t align);
void b_phdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t paddr, uint64_t filesz,
            uint64_t memsz, uint64_t align);
void b_shdr(struct builder *b, uint32_t type, uint64_t offset, uint64_t size, uint64_t align);
/* A PT_LOAD whose file bytes are `n` bytes of `fill`. Returns its file offset. */
uint64_t b_load(struct builder *b, uint64_t paddr, size_t n, uint64_t memsz, uint8_t fill);
/* Write the headers (section table appended at the end); returns the image size. */
size_t b_finish(struct builder *b);

/* Header field offsets used by the tests to corrupt a finished image. */
enum hdr_field { F_PHOFF, F_PHENTSIZE, F_PHNUM, F_SHOFF, F_SHNUM };

unsigned int field_off(const struct builder *b, enum hdr_field f);

/* Encode one note; name and desc each start `align`-aligned. Returns its size. */
size_t note(uint8_t *out, const char *name, uint32_t namesz, uint32_t type, const void *desc,
            uint32_t descsz, size_t align);
/* A note of owner "Xen", and one whose descriptor is a 4- or 8-byte value. */
size_t xen_note(uint8_t *out, uint32_t type, const void *desc, uint32_t descsz);
size_t xen_note_u32(uint8_t *out, uint32_t type, uint32_t v);
size_t xen_note_u64(uint8_t *out, uint32_t type, uint64_t v);
/* A typical PVH kernel's notes, as Linux emits them on x86-64. */
size_t linux_like_notes(uint8_t *out);
/* A kernel image with one text PT_LOAD, a bss-carrying PT_LOAD and, optionally, notes. */
size_t simple_image(struct builder *b, bool is64, const uint8_t *notes, size_t notes_len);

#endif
