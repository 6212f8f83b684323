// SPDX-License-Identifier: GPL-2.0-only
/* The PVH entry state (captured by head.S): protected mode, paging off,
 * CR4 clear, IF/TF/VM clear, CPL 0. */
#include "guest.h"

#define CR0_PE (1u << 0)
#define CR0_PG (1u << 31)
#define EFLAGS_TF (1u << 8)
#define EFLAGS_IF (1u << 9)
#define EFLAGS_VM (1u << 17)

void test_main(void)
{
    printf("entry: cr0 %#x cr4 %#x eflags %#x cs %#x ds %#x\n", entry_cr0, entry_cr4,
           entry_eflags, entry_cs, entry_ds);
    if (!(entry_cr0 & CR0_PE))
        test_fail("CR0.PE clear at entry");
    if (entry_cr0 & CR0_PG)
        test_fail("CR0.PG set at entry");
    if (entry_cr4)
        test_fail("CR4 = %#x at entry, expected 0", entry_cr4);
    if (entry_eflags & (EFLAGS_IF | EFLAGS_TF | EFLAGS_VM))
        test_fail("EFLAGS %#x has IF/TF/VM set", entry_eflags);
    /* Selector values are unspecified by the ABI; CPL 0 needs CS.RPL = 0. */
    if (entry_cs & 3)
        test_fail("CS selector %#x has RPL != 0", entry_cs);
}
