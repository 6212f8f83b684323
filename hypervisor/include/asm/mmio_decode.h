/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding guest MMIO accesses to emulated registers (arch/x86/mmio_decode.c). */
#ifndef ASM_MMIO_DECODE_H
#define ASM_MMIO_DECODE_H

#include <xenon/types.h>

struct mmio_insn {
    unsigned int len;  /* instruction bytes, prefixes included */
    bool write;
    bool has_imm;      /* a write of imm, not of a register */
    unsigned int reg;  /* 0 = RAX ... 15 = R15, in ModRM order */
    uint32_t imm;
};

/*
 * Decode a 32-bit MOV to or from memory at insn[0..len). 0, or -EINVAL for
 * anything else (the caller does not emulate it).
 */
int mmio_decode(const uint8_t *insn, size_t len, bool long_mode, struct mmio_insn *out);

#endif
