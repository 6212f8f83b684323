/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HYPERVISOR_mca for the control domain: the physical-CPU list Linux's
 * xen-mcelog reads at start-up. Machine-check telemetry itself is not
 * forwarded (no vMCE), so every other command is -ENOSYS.
 */
#include <asm/cpu.h>
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/lib.h>
#include <xenon/percpu.h>
#include <xenon/xsm.h>
#include <public/arch-x86/xen-mca.h>

static void describe_cpu(unsigned int cpu, struct mcinfo_logical_cpu *c)
{
    struct cpuid_regs vendor = cpuid(0), sig = cpuid(1);
    uint32_t family = (sig.eax >> 8) & 0xf, model = (sig.eax >> 4) & 0xf;

    if (family == 0xf) {
        family += (sig.eax >> 20) & 0xff;
        model |= ((sig.eax >> 16) & 0xf) << 4;
    }
    *c = (struct mcinfo_logical_cpu){
        .mc_cpunr = cpu, .mc_apicid = percpu_of(cpu)->apic_id, .mc_ncores = nr_cpus,
        .mc_ncores_active = nr_cpus, .mc_nthreads = 1, .mc_cpuid_level = (int32_t)vendor.eax,
        .mc_family = family, .mc_model = model, .mc_step = sig.eax & 0xf,
    };
    memcpy(c->mc_vendorid, &vendor.ebx, 4);
    memcpy(c->mc_vendorid + 4, &vendor.edx, 4);
    memcpy(c->mc_vendorid + 8, &vendor.ecx, 4);
}

static long physcpuinfo(struct vcpu *v, uint64_t arg, struct xen_mc *mc)
{
    struct xen_mc_physcpuinfo *p = &mc->u.mc_physcpuinfo;

    if (p->info) {
        unsigned int n = MIN(p->ncpus, nr_cpus);

        for (unsigned int cpu = 0; cpu < n; cpu++) {
            struct mcinfo_logical_cpu c;

            describe_cpu(cpu, &c);
            if (copy_to_guest(v, p->info + cpu * sizeof(c), &c, sizeof(c)))
                return -EFAULT;
        }
    }
    p->ncpus = nr_cpus;
    return copy_to_guest(v, arg, mc, sizeof(*mc)) ? -EFAULT : 0;
}

long do_mca(struct vcpu *v, const struct hypercall_args *args)
{
    struct xen_mc mc;

    if (copy_from_guest(v, &mc, args->a[0], sizeof(mc)))
        return -EFAULT;
    if (mc.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -EACCES;
    if (xsm_host_info(v->domain))
        return -EPERM;
    if (mc.cmd == XEN_MC_physcpuinfo)
        return physcpuinfo(v, args->a[0], &mc);
    printk_guest(LOG_DEBUG, "d%u: mca op %u not implemented", v->domain->id, mc.cmd);
    return -ENOSYS;
}
