/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding the few instructions guests use on emulated MMIO registers (the
 * local APIC page): 32-bit MOV between a general register and memory, and
 * MOV of an immediate to memory. The faulting address comes from the exit;
 * only the length, the direction and the register or immediate are needed.
 * Everything else is refused, and the caller crashes the guest.
 */
#include <asm/mmio_decode.h>

#define OP_MOV_STORE 0x89 /* mov r/m32, r32 */
#define OP_MOV_LOAD 0x8b  /* mov r32, r/m32 */
#define OP_MOV_IMM 0xc7   /* mov r/m32, imm32 (/0) */

/* Bytes of SIB and displacement after a ModRM byte, in 64- or 32-bit mode; -1 if out of bounds. */
static int addressing_bytes(const uint8_t *insn, size_t len, size_t at)
{
    uint8_t modrm = insn[at], mod = modrm >> 6, rm = modrm & 7;
    int n = 0;

    if (mod == 3)
        return -1; /* register operand: not a memory access */
    if (rm == 4) {
        if (at + 1 >= len)
            return -1;
        n = 1;
        if (mod == 0 && (insn[at + 1] & 7) == 5)
            n += 4; /* SIB with no base: disp32 */
    } else if (mod == 0 && rm == 5) {
        n = 4; /* RIP-relative (64-bit) or absolute (32-bit) disp32 */
    }
    n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
    return at + 1 + (size_t)n <= len ? n : -1;
}

int mmio_decode(const uint8_t *insn, size_t len, bool long_mode, struct mmio_insn *out)
{
    size_t at = 0;
    uint8_t rex = 0, op;
    int extra;

    /* Segment overrides are harmless (flat guests); operand-size changes are not handled. */
    while (at < len && (insn[at] == 0x2e || insn[at] == 0x3e || insn[at] == 0x26 || insn[at] == 0x36))
        at++;
    if (long_mode && at < len && (insn[at] & 0xf0) == 0x40)
        rex = insn[at++];
    if (at + 2 > len || (rex & 0x08))
        return -EINVAL; /* REX.W: a 64-bit access, not an APIC register */
    op = insn[at++];
    if (op != OP_MOV_STORE && op != OP_MOV_LOAD && op != OP_MOV_IMM)
        return -EINVAL;
    if (op == OP_MOV_IMM && ((insn[at] >> 3) & 7))
        return -EINVAL;
    extra = addressing_bytes(insn, len, at);
    if (extra < 0)
        return -EINVAL;
    *out = (struct mmio_insn){
        .write = op != OP_MOV_LOAD,
        .reg = ((insn[at] >> 3) & 7) | ((rex & 0x04) ? 8 : 0),
        .has_imm = op == OP_MOV_IMM,
    };
    at += 1 + (size_t)extra;
    if (op == OP_MOV_IMM) {
        if (at + 4 > len)
            return -EINVAL;
        out->imm = (uint32_t)insn[at] | (uint32_t)insn[at + 1] << 8 | (uint32_t)insn[at + 2] << 16 |
                   (uint32_t)insn[at + 3] << 24;
        at += 4;
    }
    out->len = (unsigned int)at;
    return 0;
}
