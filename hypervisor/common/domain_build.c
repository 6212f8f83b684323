/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH domain builder: the guest's RAM starts at guest-physical 0 (the
 * hardware domain's is the machine's, with holes: hwdom.c); the kernel's
 * PT_LOAD segments go to their physical addresses; hvm_start_info (with the
 * command line and memory map) follows the highest loaded byte; vCPU 0 starts
 * at XEN_ELFNOTE_PHYS32_ENTRY with EBX pointing at the start info.
 */
#include <xenon/acpi_build.h>
#include <xenon/arch.h>
#include <xenon/domain_build.h>
#include <xenon/elf.h>
#include <xenon/guest_access.h>
#include <xenon/hwdom.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/pvh_start_info.h>
#include <xenon/sched.h>

#define LARGE_ORDER 9

static int populate_ram(struct domain *d, uint64_t nr_pages)
{
    for (uint64_t gfn = 0; gfn < nr_pages;) {
        bool large = !(gfn & ((1u << LARGE_ORDER) - 1)) && gfn + (1u << LARGE_ORDER) <= nr_pages;
        unsigned int order = large ? LARGE_ORDER : 0;
        int rc = domain_populate(d, _gfn(gfn), order, 0);

        if (rc)
            return rc;
        gfn += 1ull << order;
    }
    return 0;
}

static int load_segments(struct domain *d, const struct elf_image *img, uint64_t mem)
{
    struct elf_segment seg;

    for (unsigned int i = 0; i < elf_nr_segments(img); i++) {
        int rc = elf_segment(img, i, &seg);

        if (rc)
            return rc;
        if (seg.paddr + seg.memsz > mem || seg.paddr + seg.memsz < seg.paddr)
            return -ENOMEM;
        rc = copy_to_gpa(d, seg.paddr, seg.src, seg.filesz);
        if (rc)
            return rc;
        /* The tail (memsz - filesz) is already zero: fresh RAM is zeroed. */
    }
    return 0;
}

/* Copy the modules to guest memory from *at on; *at moves past them. */
static int load_modules(struct domain *d, const struct pvh_build_params *bp, uint64_t mem, gpaddr_t *at,
                        struct pvh_module *out)
{
    for (unsigned int i = 0; i < bp->nr_modules; i++) {
        const struct pvh_build_module *m = &bp->modules[i];
        int rc;

        if (!m->size || *at + m->size > mem || *at + m->size < *at)
            return -ENOMEM;
        rc = copy_to_gpa(d, *at, m->data, m->size);
        if (rc)
            return rc;
        out[i] = (struct pvh_module){ *at, m->size, m->cmdline };
        *at = ALIGN_UP(*at + m->size, PAGE_SIZE);
    }
    return 0;
}

/* Ours, or for the hardware domain the firmware's behind a MADT of its own vCPUs. */
static int build_acpi(struct domain *d, void *buf, gpaddr_t at)
{
    uint64_t tables[32];
    struct acpi_host_view host;
    int rc;

    if (!is_hardware_domain(d))
        return acpi_build_tables(buf, PAGE_SIZE, at, d->nr_vcpus);
    rc = acpi_host_view(hwdom_host_rsdp(), tables, ARRAY_SIZE(tables), &host);
    if (rc) {
        log_err("d%u: the firmware has no ACPI tables (MADT) to pass on", d->id);
        return rc;
    }
    return acpi_build_hwdom_tables(buf, PAGE_SIZE, at, &host, d->nr_vcpus);
}

/* The guest's ACPI tables, in the page at *at; *at moves past it. */
static int write_acpi_tables(struct domain *d, gpaddr_t *at, uint64_t mem)
{
    void *buf;
    int rc;

    if (*at + ACPI_BUILD_SIZE > mem)
        return -ENOMEM;
    buf = page_alloc_zeroed(0);
    if (!buf)
        return -ENOMEM;
    rc = build_acpi(d, buf, *at);
    if (!rc)
        rc = copy_to_gpa(d, *at, buf, ACPI_BUILD_SIZE);
    page_free(buf, 0);
    if (!rc)
        *at += ACPI_BUILD_SIZE;
    return rc;
}

static int write_start_info(struct domain *d, gpaddr_t at, const char *cmdline, uint64_t mem,
                            const struct pvh_module *mods, unsigned int nr_mods, gpaddr_t rsdp)
{
    struct pvh_start_params p = { 0 };
    void *buf = page_alloc_zeroed(0);
    size_t used = 0;
    int rc;

    if (!buf)
        return -ENOMEM;
    /* RAM, with the ACPI tables' page marked so the guest keeps it. */
    if (is_hardware_domain(d)) {
        rc = hwdom_build_memmap(d, rsdp, ACPI_BUILD_SIZE);
        if (rc) {
            page_free(buf, 0);
            return rc;
        }
    } else {
        d->memmap[0] = (struct hvm_memmap_table_entry){ 0, rsdp, XEN_HVM_MEMMAP_TYPE_RAM, 0 };
        d->memmap[1] = (struct hvm_memmap_table_entry){ rsdp, ACPI_BUILD_SIZE, XEN_HVM_MEMMAP_TYPE_ACPI, 0 };
        d->memmap[2] = (struct hvm_memmap_table_entry){ rsdp + ACPI_BUILD_SIZE, mem - rsdp - ACPI_BUILD_SIZE,
                                                        XEN_HVM_MEMMAP_TYPE_RAM, 0 };
        d->nr_memmap = 3;
    }
    p.cmdline = cmdline;
    p.rsdp_paddr = rsdp;
    /* The control domain is told so: Linux then calls itself the initial domain (xenfs, privcmd). */
    p.flags = is_control_domain(d) ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
    p.modules = mods;
    p.nr_modules = nr_mods;
    p.memmap = d->memmap;
    p.nr_memmap = d->nr_memmap;
    rc = pvh_start_info_build(buf, PAGE_SIZE, at, &p, &used);
    if (!rc && at + used > mem)
        rc = -ENOMEM;
    if (!rc)
        rc = copy_to_gpa(d, at, buf, used);
    page_free(buf, 0);
    return rc;
}

int domain_build_pvh(struct domain *d, const struct pvh_build_params *p)
{
    struct pvh_module mods[PVH_BUILD_MAX_MODULES];
    struct elf_xen_notes notes;
    struct elf_image img;
    gpaddr_t start_info, rsdp;
    uint64_t ram_end;
    int rc;

    rc = elf_parse(p->image, p->image_size, &img);
    if (rc)
        return rc;
    rc = elf_xen_notes(&img, &notes);
    if (rc)
        return rc;
    if (!notes.has_phys32_entry) {
        log_err("d%u: kernel has no XEN_ELFNOTE_PHYS32_ENTRY: not a PVH kernel", d->id);
        return -ENOEXEC;
    }
    if (p->mem_bytes & (PAGE_SIZE - 1))
        return -ENOMEM;
    /* The hardware domain's RAM has holes (hwdom.c): copies into them fail. */
    rc = is_hardware_domain(d) ? hwdom_populate(d, p->mem_bytes >> PAGE_SHIFT)
                               : populate_ram(d, p->mem_bytes >> PAGE_SHIFT);
    if (rc)
        return rc;
    ram_end = is_hardware_domain(d) ? (d->max_gpfn + 1) << PAGE_SHIFT : p->mem_bytes;
    if (img.load_hi > ram_end)
        return -ENOMEM;
    rc = load_segments(d, &img, ram_end);
    if (rc)
        return rc;
    start_info = ALIGN_UP(img.load_hi, PAGE_SIZE);
    rc = load_modules(d, p, ram_end, &start_info, mods);
    if (rc)
        return rc;
    rsdp = start_info;
    rc = write_acpi_tables(d, &start_info, ram_end);
    if (rc)
        return rc;
    rc = write_start_info(d, start_info, p->cmdline, ram_end, mods, p->nr_modules, rsdp);
    if (rc)
        return rc;
    arch_vcpu_set_pvh_entry(d->vcpus[0], notes.phys32_entry, (uint32_t)start_info);
    d->vcpus[0]->initialised = true;
    sched_vcpu_start(d->vcpus[0]);
    log_info("d%u: PVH kernel %s%s, %lu MiB, entry %#x", d->id, notes.guest_os[0] ? notes.guest_os : "",
             notes.guest_os[0] ? "" : "(unnamed)", p->mem_bytes >> 20, notes.phys32_entry);
    return 0;
}
