/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor CPUID leaves. The Xen block starts at 0x40000000 + 0x100*k;
 * guests scan for the signature because another hypervisor interface
 * (e.g. Viridian) may sit at 0x40000000 first. Below, "leaf N" is
 * base + N - 1 as in Xen's numbering, XEN_CPUID_LEAF(i) = base + i.
 */
#ifndef XEN_PUBLIC_ARCH_X86_CPUID_H
#define XEN_PUBLIC_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF   0x40000000u
#define XEN_CPUID_LEAF(i)      (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SCAN_END     0x40010000u
#define XEN_CPUID_SCAN_STEP    0x100u

/* base + 0: EAX = highest Xen leaf; EBX,ECX,EDX = "XenVMMXenVMM" */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558u  /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4du  /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566eu  /* "nVMM" */

/* base + 1: EAX = (major << 16) | minor, the same as XENVER_version */

/*
 * base + 2: EAX = number of hypercall pages (1), EBX = MSR that installs
 * them (write the GPA of page i ORed with i), ECX = features 1.
 */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD (1u << 0)

/*
 * base + 3: time. Subleaf 0: EAX bit 0 emulated TSC, bit 1 TSC reliable,
 * bit 2 RDTSCP; EBX tsc_mode; ECX guest TSC kHz; EDX incarnation.
 * Subleaf 1: TSC offset and tsc->ns mul/shift. Subleaf 2: EAX host TSC kHz.
 */
#define XEN_CPUID_TSC_EMULATED       (1u << 0)
#define XEN_CPUID_HOST_TSC_RELIABLE  (1u << 1)
#define XEN_CPUID_RDTSCP_INSTR       (1u << 2)

/*
 * base + 4: HVM features (subleaf 0). EAX flags below; EBX = vCPU id if
 * VCPU_ID_PRESENT; ECX = domain id if DOMID_PRESENT.
 */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)
/* HVMOP_set_evtchn_upcall_vector is implemented and usable */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)

/* base + 5: PV parameters. EBX bits 7:0 = max machine address width. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK 0xffu

/* Leaves base+0 .. base+XEN_CPUID_MAX_NUM_LEAVES exist. */
#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif
