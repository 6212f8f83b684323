// SPDX-License-Identifier: GPL-2.0-only
/* CONSOLEIO_write returns 0 for whole lines, partial lines, long buffers
 * and zero-length writes. */
#include "guest.h"

static char big[3000];

void test_main(void)
{
    static const char line[] = "console-write: a whole line\n";
    static const char part1[] = "console-write: split ";
    static const char part2[] = "across two writes\n";

    check_eq("write of a line", HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1, line), 0);
    check_eq("write of a partial line",
             HYPERVISOR_console_io(CONSOLEIO_write, sizeof(part1) - 1, part1), 0);
    check_eq("write of the rest", HYPERVISOR_console_io(CONSOLEIO_write, sizeof(part2) - 1, part2), 0);
    check_eq("zero-length write", HYPERVISOR_console_io(CONSOLEIO_write, 0, line), 0);
    check_eq("zero-length write, NULL buffer", HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL), 0);

    /* Longer than any sane internal buffer: the hypervisor must chunk it. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (i % 100 == 99) ? '\n' : (char)('a' + i % 26);
    check_eq("3000-byte write", HYPERVISOR_console_io(CONSOLEIO_write, sizeof(big), big), 0);
}
