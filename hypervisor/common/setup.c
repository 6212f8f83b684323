/* SPDX-License-Identifier: GPL-2.0-only */
/* Common start-up: options, the boot domains, the scheduler loop. */
#include <xenon/arch.h>
#include <xenon/cmdline.h>
#include <xenon/console.h>
#include <xenon/domain_build.h>
#include <xenon/domain_store.h>
#include <xenon/hwdom.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/percpu.h>
#include <xenon/sched.h>
#include <xenon/setup.h>
#include <xenon/version.h>
#include <xenon/xsm.h>

#define DEFAULT_GUEST_MEM (16ull << 20)
#define MIN_GUEST_MEM (2ull << 20)

struct boot_options boot_opts = {
    .console = "com1",
    .loglvl = "info",
    .guest_loglvl = "warning",
    .guest_mem = DEFAULT_GUEST_MEM,
    .xsm = "default",
    .sched = "credit",
    .max_cpus = MAX_PCPUS,
};
const char *xenon_cmdline = "";
uint64_t boot_ram_pages, boot_max_mfn;

void setup_parse_cmdline(const char *cmdline)
{
    static const struct cmdline_param params[] = {
        { "console", CMDLINE_STRING, boot_opts.console, sizeof(boot_opts.console) },
        { "loglvl", CMDLINE_STRING, boot_opts.loglvl, sizeof(boot_opts.loglvl) },
        { "guest_loglvl", CMDLINE_STRING, boot_opts.guest_loglvl, sizeof(boot_opts.guest_loglvl) },
        { "guest_mem", CMDLINE_SIZE, &boot_opts.guest_mem, 0 },
        { "xsm", CMDLINE_STRING, boot_opts.xsm, sizeof(boot_opts.xsm) },
        { "sched", CMDLINE_STRING, boot_opts.sched, sizeof(boot_opts.sched) },
        { "maxcpus", CMDLINE_UINT, &boot_opts.max_cpus, 0 },
        { "dom0_mem", CMDLINE_SIZE, &boot_opts.dom0_mem, 0 },
        { "dom0_max_vcpus", CMDLINE_UINT, &boot_opts.dom0_max_vcpus, 0 },
    };
    char bad[32];

    xenon_cmdline = cmdline;
    if (cmdline_parse(cmdline, params, ARRAY_SIZE(params), bad, sizeof(bad)))
        log_warn("command line: bad value for '%s', default kept", bad);
    if (console_set_loglvl(boot_opts.loglvl, boot_opts.guest_loglvl))
        log_warn("command line: unknown log level in loglvl=%s guest_loglvl=%s", boot_opts.loglvl,
                 boot_opts.guest_loglvl);
    if (sched_select(boot_opts.sched))
        log_warn("command line: unknown sched=%s; using the default", boot_opts.sched);
    if (!boot_opts.max_cpus || boot_opts.max_cpus > MAX_PCPUS)
        boot_opts.max_cpus = MAX_PCPUS;
    if (xsm_set_policy(boot_opts.xsm))
        log_warn("command line: unknown xsm=%s; using the default policy", boot_opts.xsm);
    if (boot_opts.guest_mem < MIN_GUEST_MEM || boot_opts.guest_mem & (PAGE_SIZE - 1)) {
        log_warn("guest_mem=%lu is not a page-aligned size >= 2M; using 16M", boot_opts.guest_mem);
        boot_opts.guest_mem = DEFAULT_GUEST_MEM;
    }
}

/* How one boot module becomes a domain. */
struct module_opts {
    uint64_t domid;
    uint64_t vcpus;
    uint64_t mem;
    uint64_t weight;   /* credit scheduler weight */
    uint64_t cap;      /* percent of one pCPU, 0 = none */
    uint64_t affinity; /* hard affinity of every vCPU: a mask of pCPUs */
    bool ramdisk;      /* not a kernel: a module (initrd) for the kernel before it */
    bool hw;           /* the hardware domain (domid=0): devices, identity-mapped RAM, own pCPUs */
};

/*
 * A module string may start with hypervisor options for that domain,
 * "[domid=N vcpus=N mem=SIZE weight=N cap=PCT affinity=MASK hw] guest arguments...";
 * the rest is the guest's. "hw" (with domid=0) makes the hardware domain.
 */
static int parse_module_opts(const char *s, struct module_opts *o, const char **guest_args)
{
    const struct cmdline_param params[] = {
        { "domid", CMDLINE_UINT, &o->domid, 0 },
        { "vcpus", CMDLINE_UINT, &o->vcpus, 0 },
        { "mem", CMDLINE_SIZE, &o->mem, 0 },
        { "weight", CMDLINE_UINT, &o->weight, 0 },
        { "cap", CMDLINE_UINT, &o->cap, 0 },
        { "affinity", CMDLINE_UINT, &o->affinity, 0 },
        { "ramdisk", CMDLINE_BOOL, &o->ramdisk, 0 },
        { "hw", CMDLINE_BOOL, &o->hw, 0 },
    };
    char opts[128], bad[16];
    const char *end;

    *guest_args = s;
    if (*s != '[')
        return 0;
    end = strchr(s, ']');
    if (!end || (size_t)(end - s - 1) >= sizeof(opts))
        return -EINVAL;
    memcpy(opts, s + 1, end - s - 1);
    opts[end - s - 1] = '\0';
    for (*guest_args = end + 1; **guest_args == ' ';)
        (*guest_args)++;
    if (cmdline_parse(opts, params, ARRAY_SIZE(params), bad, sizeof(bad)))
        return -EINVAL;
    if (o->ramdisk)
        return 0;
    /* domid=0 makes the control domain; domain_create() refuses a second one. */
    if (o->domid >= DOMID_FIRST_RESERVED || !o->vcpus || o->vcpus > MAX_VIRT_CPUS ||
        o->mem < MIN_GUEST_MEM || o->mem & (PAGE_SIZE - 1) || !o->weight || o->weight > UINT16_MAX ||
        o->cap > UINT16_MAX || !(o->affinity & cpu_online_mask) || (o->hw && (o->domid || o->vcpus > nr_cpus)))
        return -EINVAL;
    return 0;
}

/* Scheduling parameters from the module options; before any vCPU runs. */
static int apply_sched_opts(struct domain *d, const struct module_opts *o)
{
    struct sched_credit_params sp = { (uint16_t)o->weight, (uint16_t)o->cap };
    int rc = sched_set_params(d, &sp);

    /* The rr scheduler has no parameters: only the defaults are accepted there. */
    if (rc == -EOPNOTSUPP && o->weight == 256 && !o->cap)
        rc = 0;
    for (unsigned int i = 0; !rc && i < d->nr_vcpus; i++)
        rc = sched_set_affinity(d->vcpus[i], o->hw ? cpumask_of(i) : o->affinity);
    return rc;
}

/*
 * The module's options over the defaults: domain 0's come from dom0_mem= and
 * dom0_max_vcpus= (as in Xen), and other domains stay off the hardware
 * domain's pCPUs (hw_cpus) while there are others.
 */
static int module_opts_with_defaults(const char *cmdline, struct module_opts *o, const char **guest_args,
                                     cpumask_t hw_cpus)
{
    int rc = parse_module_opts(cmdline, o, guest_args);

    if (!rc && o->domid == 0 && !o->ramdisk && (boot_opts.dom0_mem || boot_opts.dom0_max_vcpus)) {
        o->mem = boot_opts.dom0_mem ? boot_opts.dom0_mem : o->mem;
        o->vcpus = boot_opts.dom0_max_vcpus ? boot_opts.dom0_max_vcpus : o->vcpus;
        rc = parse_module_opts(cmdline, o, guest_args); /* what the module says wins */
    }
    if (!rc && !o->hw && o->affinity == CPUMASK_ALL && (cpu_online_mask & ~hw_cpus))
        o->affinity = cpu_online_mask & ~hw_cpus;
    return rc;
}

/*
 * The hardware domain's vCPU i owns pCPU i: pinned there, its APIC id that
 * pCPU's (the I/O APIC and MSIs it programs name it), its device interrupts.
 */
static int claim_pcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (!arch_cpu_apic_id_is(i, i)) {
            log_err("d%u: pCPU %u's APIC id is not %u: cannot give it to the hardware domain", d->id, i, i);
            return -EINVAL;
        }
        arch_hwdom_bind_vcpu(d->vcpus[i], i);
    }
    return 0;
}

static const void *module_data(const struct boot_module *m)
{
    return (const uint8_t *)mfn_to_virt(paddr_to_mfn(m->start)) + (m->start & (PAGE_SIZE - 1));
}

/*
 * The ramdisk modules that follow kernel module i become its PVH modules.
 * Returns how many there are.
 */
static unsigned int collect_ramdisks(const struct boot_info *bi, unsigned int i, struct pvh_build_params *p)
{
    unsigned int n = 0;

    for (unsigned int j = i + 1; j < bi->nr_modules && n < PVH_BUILD_MAX_MODULES; j++) {
        struct module_opts o = { 0 };
        const char *args;

        if (parse_module_opts(bi->modules[j].cmdline, &o, &args) || !o.ramdisk)
            break;
        p->modules[n++] = (struct pvh_build_module){ module_data(&bi->modules[j]), bi->modules[j].size, args };
    }
    p->nr_modules = n;
    return n;
}

static int build_boot_domain(const struct module_opts *o, const struct pvh_build_params *p)
{
    struct domain *d;
    int rc = domain_create((domid_t)o->domid, (unsigned int)o->vcpus, o->mem >> PAGE_SHIFT,
                           o->hw ? DOMAIN_HARDWARE : 0, &d);

    if (rc)
        return rc;
    rc = apply_sched_opts(d, o);
    if (!rc && o->hw)
        rc = claim_pcpus(d);
    if (!rc)
        rc = domain_build_pvh(d, p);
    if (!rc)
        rc = domain_store_setup(d);
    if (rc)
        domain_destroy(d);
    return rc;
}

/*
 * Every boot module is a PVH guest, d1, d2, ... in module order unless it
 * names its id, except "[ramdisk]" modules, which belong to the kernel
 * module before them.
 */
static unsigned int create_boot_domains(const struct boot_info *bi, unsigned int *failed)
{
    unsigned int created = 0, nr_kernels = 0;
    cpumask_t hw_cpus = 0;

    *failed = 0;
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        struct module_opts o = { nr_kernels + 1, 1, boot_opts.guest_mem, 256, 0, CPUMASK_ALL, false, false };
        struct pvh_build_params p = { .image = module_data(m), .image_size = m->size };
        int rc = module_opts_with_defaults(m->cmdline, &o, &p.cmdline, hw_cpus);

        if (rc) {
            log_err("module %u: bad options in '%s' (want [domid=0..32751 vcpus=1..%u mem=SIZE>=2M weight=1..65535 cap=PCT affinity=PCPU-MASK hw] or [ramdisk]; hw only with domid=0 and vcpus <= pCPUs)",
                    i, m->cmdline, MAX_VIRT_CPUS);
            (*failed)++;
            continue;
        }
        if (o.ramdisk) {
            log_err("module %u: a ramdisk must follow a kernel module", i);
            (*failed)++;
            continue;
        }
        nr_kernels++;
        p.mem_bytes = o.mem;
        i += collect_ramdisks(bi, i, &p);
        rc = build_boot_domain(&o, &p);
        if (rc) {
            log_err("module %u: cannot build a domain from it (error %d)", i - p.nr_modules, rc);
            (*failed)++;
            continue;
        }
        if (o.hw)
            hw_cpus = (cpumask_of((unsigned int)o.vcpus) - 1) & cpu_online_mask;
        created++;
    }
    return created;
}

/* What XEN_SYSCTL_physinfo reports about RAM: every RAM frame the loader listed. */
static void note_ram(const struct boot_info *bi)
{
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct boot_mem_region *r = &bi->memmap[i];

        if (r->type != BOOT_MEM_RAM || r->size < PAGE_SIZE)
            continue;
        boot_ram_pages += r->size >> PAGE_SHIFT;
        boot_max_mfn = MAX(boot_max_mfn, ((r->start + r->size) >> PAGE_SHIFT) - 1);
    }
}

unsigned int xenon_main(const struct boot_info *bi)
{
    uint64_t in_use_before = frames_nr_in_use();
    unsigned int created, failed;

    note_ram(bi);
    hwdom_init(bi);
    if (sched_init())
        panic("scheduler %s failed to start", boot_opts.sched);
    created = create_boot_domains(bi, &failed);
    if (failed)
        log_err("%u of %u boot modules did not start", failed, bi->nr_modules);
    if (!created) {
        log_err("no domain to run");
        return EXIT_SOME_FAILED;
    }
    /*
     * Serial input (domain 0's, and the debug keys) only with a domain 0:
     * polling it preempts whatever runs on pCPU 0 every 20 ms, which the
     * time-share tests of domain-0-less boots would see.
     */
    if (domain_by_id(0))
        console_input_start();
    sched_run();
    if (frames_nr_in_use() != in_use_before)
        log_err("memory leak: %ld frames not returned", (long)(frames_nr_in_use() - in_use_before));
    log_info("all domains gone");
    return domains_all_powered_off() && !failed && frames_nr_in_use() == in_use_before
               ? EXIT_ALL_POWEROFF
               : EXIT_SOME_FAILED;
}
