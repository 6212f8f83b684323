// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runtime: C entry, Xen detection and hypercall page, console, results.
 */
#include "guest.h"
#include <public/sched.h>
#include <public/arch-x86/cpuid.h>

const struct hvm_start_info *start_info;
uint32_t xen_cpuid_base;
static bool hypercalls_ready;

static enum test_result result = RESULT_SUCCESS;
static char result_reason[160];

void idt_init(void);

void console_write(const char *buf, size_t len)
{
#ifdef GUEST_DEBUGCON
    /* Debug builds mirror everything to QEMU's debugcon. */
    for (size_t i = 0; i < len; i++)
        outb(0xe9, (uint8_t)buf[i]);
#endif
    if (hypercalls_ready && len)
        HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, buf);
}

long xen_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    return HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

long xen_yield(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static uint32_t find_xen_cpuid_base(void)
{
    for (uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_SCAN_END;
         base += XEN_CPUID_SCAN_STEP) {
        struct cpuid_regs r = cpuid(base);

        if (r.ebx == XEN_CPUID_SIGNATURE_EBX && r.ecx == XEN_CPUID_SIGNATURE_ECX &&
            r.edx == XEN_CPUID_SIGNATURE_EDX && r.eax - base >= 2 &&
            r.eax - base < 0x100)
            return base;
    }
    return 0;
}

/* Xen-style: the MSR named by leaf base+2 fills the page whose GPA we write. */
static void hypercall_page_init(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 2);

    if (r.eax < 1)
        test_abort(RESULT_ERROR, "CPUID 0x%x reports %u hypercall pages",
                   xen_cpuid_base + 2, r.eax);
    wrmsr(r.ebx, (uint64_t)(uintptr_t)hypercall_page);
    if (hypercall_page[0] == 0xcc)
        test_abort(RESULT_ERROR, "hypercall page not filled after wrmsr(0x%x)", r.ebx);
    hypercalls_ready = true;
}

static void set_result(enum test_result r, const char *fmt, va_list ap)
{
    char reason[sizeof(result_reason)];
    static const char *const tag[] = { "SUCCESS", "SKIP", "ERROR", "FAIL" };

    vsnprintf(reason, sizeof(reason), fmt, ap);
    printf("%s: %s\n", tag[r], reason);
    /* Keep the worst result, and the first reason at that level. */
    if (r > result || (r == result && !result_reason[0] && r != RESULT_SUCCESS)) {
        result = r;
        memcpy(result_reason, reason, sizeof(reason));
    }
}

#define DEFINE_RESULT_FN(fn, level)                 \
    void fn(const char *fmt, ...)                   \
    {                                               \
        va_list ap;                                 \
        va_start(ap, fmt);                          \
        set_result(level, fmt, ap);                 \
        va_end(ap);                                 \
    }
DEFINE_RESULT_FN(test_fail, RESULT_FAILURE)
DEFINE_RESULT_FN(test_error, RESULT_ERROR)
DEFINE_RESULT_FN(test_skip, RESULT_SKIP)

bool test_failed(void)
{
    return result >= RESULT_ERROR;
}

bool check_eq_(const char *what, int64_t got, int64_t want)
{
    if (got == want)
        return true;
    test_fail("%s: got %ld (%#lx), expected %ld", what, got, got, want);
    return false;
}

static noreturn void halt_forever(void)
{
    for (;;)
        asm volatile("cli; hlt");
}

noreturn void test_exit(void)
{
    static const char *const name[] = { "SUCCESS", "SKIP", "ERROR", "FAILURE" };

    if (result >= RESULT_ERROR && result_reason[0])
        printf("Test result: %s: %s\n", name[result], result_reason);
    else
        printf("Test result: %s\n", name[result]);
    if (hypercalls_ready) {
        xen_shutdown(result <= RESULT_SKIP ? SHUTDOWN_poweroff : SHUTDOWN_crash);
        printf("SCHEDOP_shutdown returned\n");
    }
#ifdef GUEST_DEBUGCON
    /* Under bare QEMU with isa-debug-exit this ends the run. */
    outb(0xf4, result <= RESULT_SKIP ? 0x10 : 0x11);
#endif
    halt_forever();
}

noreturn void test_abort(enum test_result r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_result(r, fmt, ap);
    va_end(ap);
    test_exit();
}

/*
 * Debug builds booted by bare QEMU with "noxen" on the command line run the
 * test without hypercalls, to exercise the runtime (traps, start info).
 */
static bool debug_without_xen(void)
{
#ifdef GUEST_DEBUGCON
    const char *c = (const char *)(uintptr_t)start_info->cmdline_paddr;

    for (; c && *c; c++)
        if (!strncmp(c, "noxen", 5))
            return true;
#endif
    return false;
}

void guest_start(uint32_t start_info_gpa)
{
    start_info = (const struct hvm_start_info *)(uintptr_t)start_info_gpa;
    idt_init();
    console_write("microguest: runtime up, looking for Xen CPUID leaves\n", 53);
    xen_cpuid_base = find_xen_cpuid_base();
    if (xen_cpuid_base)
        hypercall_page_init();
    else if (!debug_without_xen())
        test_abort(RESULT_ERROR, "no Xen CPUID leaves in 0x40000000-0x4000ff00");
    printf("--- Xenon micro-guest %s (Xen CPUID base %#x) ---\n", test_name,
           xen_cpuid_base);
    test_main();
    test_exit();
}
