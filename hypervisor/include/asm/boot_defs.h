/* SPDX-License-Identifier: GPL-2.0-only */
/* Constants shared by the boot assembly and C. */
#ifndef ASM_BOOT_DEFS_H
#define ASM_BOOT_DEFS_H

#define MB1_HEADER_MAGIC 0x1BADB002
#define MB1_LOADER_MAGIC 0x2BADB002
/* page-align modules | memory info | address fields valid */
#define MB1_HEADER_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_LOADER_MAGIC 0x36d76289

#define PTE_PRESENT_RW 0x003
#define PTE_LARGE_RW 0x083
#define PTE_PCD_PWT 0x018

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_WP (1 << 16)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define CR4_OSFXSR (1 << 9)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_LMA (1 << 10)
#define EFER_NXE (1 << 11)
#define EFER_SVME (1 << 12)

#define BOOT_CS64 0x08
#define BOOT_DS 0x10
#define BOOT_STACK_SIZE (16 * 1024)
#define TRAMPOLINE_BASE 0x8000 /* AP real-mode entry, below 1 MiB */

#endif
