// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every 32-byte stub of the hypercall page is "mov $nr, %eax;
 * vmmcall|vmcall; ret" (the iret stub may be ud2 instead, as HVM has no
 * use for it), padded with anything after the ret.
 */
#include "guest.h"

static const uint8_t vmmcall[3] = { 0x0f, 0x01, 0xd9 };
static const uint8_t vmcall[3] = { 0x0f, 0x01, 0xc1 };
static const uint8_t ud2[2] = { 0x0f, 0x0b };

static bool stub_ok(const uint8_t *s, uint32_t nr)
{
    uint32_t imm;

    if (nr == __HYPERVISOR_iret && !memcmp(s, ud2, 2))
        return true;
    if (s[0] != 0xb8)
        return false;
    memcpy(&imm, s + 1, 4);
    if (imm != nr)
        return false;
    if (memcmp(s + 5, vmmcall, 3) && memcmp(s + 5, vmcall, 3))
        return false;
    return s[8] == 0xc3;
}

void test_main(void)
{
    unsigned int bad = 0;

    for (uint32_t nr = 0; nr < XEN_NR_HYPERCALLS; nr++) {
        const uint8_t *s = hypercall_page + nr * XEN_HYPERCALL_STUB_SIZE;

        if (!stub_ok(s, nr)) {
            if (bad++ < 8)
                printf("stub %u: %02x %02x %02x %02x %02x %02x %02x %02x %02x\n", nr,
                       s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]);
        }
    }
    if (bad)
        test_fail("%u of %u stubs malformed", bad, XEN_NR_HYPERCALLS);
    /* On AMD the stubs should use vmmcall (vmcall would #UD-exit). */
    if (!memcmp(hypercall_page + 5, vmcall, 3))
        printf("note: stubs use vmcall\n");
}
