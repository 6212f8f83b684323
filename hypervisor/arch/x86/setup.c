/* SPDX-License-Identifier: GPL-2.0-only */
/* x86 start: from the boot assembly to common code. */
#include <asm/acpi.h>
#include <asm/boot_defs.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/traps.h>
#include <xenon/arch.h>
#include <xenon/console.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/setup.h>
#include <xenon/version.h>

extern char __image_start[], __image_end[];
int multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi);
void time_init(void);
void smp_boot_cpus(paddr_t rsdp, unsigned int max_cpus);

static struct boot_info boot_info;

void arch_start(uint32_t magic, uint32_t info) __attribute__((noreturn));
void arch_start(uint32_t magic, uint32_t info)
{
    int rc;

    arch_console_init();
    percpu_init_this(0, 0);
    desc_init(0);
    rc = multiboot_parse(magic, info, &boot_info);
    setup_parse_cmdline(boot_info.cmdline);
    log_info("Xenon %s (Xen %d.%d interface) booting; loader '%s', command line '%s'",
             XENON_VERSION_STRING, XENON_XEN_MAJOR, XENON_XEN_MINOR, boot_info.loader,
             boot_info.cmdline);
    if (rc)
        panic("not started by a Multiboot loader (magic %#x)", magic);
    time_init();
    mm_relocate_modules(&boot_info, (paddr_t)(uintptr_t)__image_start, (paddr_t)(uintptr_t)__image_end);
    rc = mm_init(&boot_info, (paddr_t)(uintptr_t)__image_start, (paddr_t)(uintptr_t)__image_end);
    if (rc)
        panic("memory set-up failed (%d)", rc);
    apic_init(true);
    percpu_of(0)->apic_id = apic_id();
    rc = hvm_init();
    if (rc)
        panic("no usable hardware virtualisation (%d)", rc);
    boot_info.rsdp = acpi_find_rsdp();
    smp_boot_cpus(boot_info.rsdp, (unsigned int)boot_opts.max_cpus);
    mm_low_memory_reusable(TRAMPOLINE_BASE, TRAMPOLINE_BASE + PAGE_SIZE);
    arch_exit(xenon_main(&boot_info));
}
