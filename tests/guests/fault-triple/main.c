// SPDX-License-Identifier: GPL-2.0-only
/*
 * Triple fault: with an empty IDT, #UD cannot be delivered (#GP), nor can
 * that (#DF), nor that: shutdown. The hypervisor must kill this domain
 * alone (see expect: a survivor runs beside it).
 */
#include "guest.h"

void test_main(void)
{
    static const struct desc_ptr empty = { 0, 0 };

    printf("loading an empty IDT and executing ud2\n");
    lidt(&empty);
    asm volatile("ud2");
    test_fail("still running after a triple fault");
}
