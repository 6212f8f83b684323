// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID base+2: EAX >= 1 hypercall page, EBX = the MSR. Writing the GPA of
 * a second page to it installs stubs there too, and calls through that
 * copy work.
 */
#include "guest.h"
#include <public/version.h>

static uint8_t second_page[PAGE_SIZE] PAGE_ALIGNED __attribute__((section(".text.scratch")));

void test_main(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 2);
    long via_copy;

    printf("hypercall pages %u, MSR %#x, features %#x/%#x\n", r.eax, r.ebx, r.ecx, r.edx);
    if (r.eax < 1)
        test_fail("EAX = %u hypercall pages", r.eax);
    /* Xen uses 0x40000000; anything in the architectural MSR space would clash. */
    if (r.ebx < 0x40000000 || r.ebx > 0x4fffffff)
        test_fail("hypercall MSR %#x outside 0x40000000-0x4fffffff", r.ebx);
    if (test_failed())
        return;

    memset(second_page, 0xcc, sizeof(second_page));
    wrmsr(r.ebx, (uint64_t)(uintptr_t)second_page);
    if (memcmp(second_page, hypercall_page, PAGE_SIZE))
        test_fail("a second write filled the page differently from the first");
    /* Bind the argument registers here: calls above would clobber them. */
    register uint64_t rdi asm("rdi") = XENVER_version;
    register uint64_t rsi asm("rsi") = 0;
    asm volatile("call *%[stub]"
                 : "=a"(via_copy), "+r"(rdi), "+r"(rsi)
                 : [stub] "r"(second_page + __HYPERVISOR_xen_version * 32)
                 : "memory", "rcx", "rdx", "r8", "r10", "r11");
    check_eq("xen_version through the second page", via_copy,
             HYPERVISOR_xen_version(XENVER_version, NULL));
}
