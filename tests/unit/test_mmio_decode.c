// SPDX-License-Identifier: GPL-2.0-only
/* The MMIO instruction decoder against the encodings Linux's readl/writel produce. */
#include "harness.h"
#include <asm/mmio_decode.h>

static int decode(const uint8_t *b, size_t n, bool lm, struct mmio_insn *out)
{
    return mmio_decode(b, n, lm, out);
}

TEST(load_register_indirect)
{
    static const uint8_t b[] = { 0x8b, 0x07, 0x90, 0x90 }; /* mov (%rdi),%eax */
    struct mmio_insn i;

    CHECK_EQ(decode(b, sizeof(b), true, &i), 0);
    CHECK_EQ(i.len, 2);
    CHECK(!i.write);
    CHECK_EQ(i.reg, 0);
}

TEST(store_with_disp8_and_rex_r)
{
    static const uint8_t b[] = { 0x44, 0x89, 0x40, 0x30 }; /* mov %r8d,0x30(%rax) */
    struct mmio_insn i;

    CHECK_EQ(decode(b, sizeof(b), true, &i), 0);
    CHECK_EQ(i.len, 4);
    CHECK(i.write);
    CHECK_EQ(i.reg, 8);
}

TEST(store_immediate_disp32)
{
    /* movl $0x0,0xb0(%rax) */
    static const uint8_t b[] = { 0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 };
    struct mmio_insn i;

    CHECK_EQ(decode(b, sizeof(b), true, &i), 0);
    CHECK_EQ(i.len, 10);
    CHECK(i.write && i.has_imm);
    CHECK_EQ(i.imm, 0x12345678);
}

TEST(sib_and_rip_relative)
{
    static const uint8_t sib[] = { 0x8b, 0x04, 0x24 };             /* mov (%rsp),%eax */
    static const uint8_t nobase[] = { 0x8b, 0x04, 0x25, 0x20, 0x00, 0xe0, 0xfe }; /* mov 0xfee00020,%eax */
    static const uint8_t rip[] = { 0x8b, 0x05, 1, 2, 3, 4 };       /* mov disp32(%rip),%eax */
    struct mmio_insn i;

    CHECK_EQ(decode(sib, sizeof(sib), true, &i), 0);
    CHECK_EQ(i.len, 3);
    CHECK_EQ(decode(nobase, sizeof(nobase), true, &i), 0);
    CHECK_EQ(i.len, 7);
    CHECK_EQ(decode(rip, sizeof(rip), true, &i), 0);
    CHECK_EQ(i.len, 6);
}

TEST(segment_prefix_and_32bit_mode)
{
    static const uint8_t b[] = { 0x3e, 0x89, 0x1d, 0x00, 0x03, 0xe0, 0xfe }; /* ds: mov %ebx,0xfee00300 */
    static const uint8_t rexlike[] = { 0x41, 0x8b, 0x00 };                  /* inc %ecx in 32-bit mode */
    struct mmio_insn i;

    CHECK_EQ(decode(b, sizeof(b), false, &i), 0);
    CHECK_EQ(i.len, 7);
    CHECK_EQ(i.reg, 3);
    CHECK_EQ(decode(rexlike, sizeof(rexlike), false, &i), -EINVAL);
}

TEST(refuses_what_it_does_not_emulate)
{
    static const uint8_t wide[] = { 0x48, 0x8b, 0x07 };  /* 64-bit load */
    static const uint8_t regreg[] = { 0x89, 0xc0 };      /* register to register */
    static const uint8_t other[] = { 0x0f, 0xb6, 0x07 }; /* movzbl */
    static const uint8_t imm_reg[] = { 0xc7, 0x08, 0, 0, 0, 0 }; /* c7 /1 is not a MOV */
    struct mmio_insn i;

    CHECK_EQ(decode(wide, sizeof(wide), true, &i), -EINVAL);
    CHECK_EQ(decode(regreg, sizeof(regreg), true, &i), -EINVAL);
    CHECK_EQ(decode(other, sizeof(other), true, &i), -EINVAL);
    CHECK_EQ(decode(imm_reg, sizeof(imm_reg), true, &i), -EINVAL);
}

TEST(truncated_instructions)
{
    static const uint8_t b[] = { 0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12 };
    struct mmio_insn i;

    for (size_t n = 0; n < sizeof(b); n++)
        CHECK_EQ(decode(b, n, true, &i), -EINVAL);
}
