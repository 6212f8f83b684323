/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between generic x86 code and a virtualization back end
 * (svm/ for AMD-V + NPT, vmx/ for VT-x + EPT). The back end is chosen at boot
 * from CPUID; nothing outside arch/x86/svm or arch/x86/vmx sees its types.
 */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <xenon/domain.h>
#include <xenon/p2m.h>

/* Paging state of a vCPU, for guest page-table walks. */
struct hvm_paging {
    uint64_t cr0, cr3, cr4, efer;
};

#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PAE (1ull << 5)
#define X86_CR4_PSE (1ull << 4)
#define X86_EFER_LMA (1ull << 10)
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_SVME (1ull << 12)
#define X86_EFLAGS_IF (1ull << 9)

#define X86_EXC_UD 6
#define X86_EXC_GP 13
#define X86_EXC_PF 14

/* A segment as both back ends store it: attributes in the VMCB/_ar format. */
struct hvm_seg {
    uint16_t sel;
    uint16_t ar;
    uint32_t limit;
    uint64_t base;
};

/* How an event is delivered: the same encoding in VMX and SVM. */
#define X86_EVENTTYPE_EXT_INTR 0
#define X86_EVENTTYPE_NMI 2
#define X86_EVENTTYPE_HW_EXCEPTION 3
#define X86_EVENTTYPE_SW_INTERRUPT 4

/* An event a vCPU takes at its next entry. */
struct hvm_event {
    bool pending;
    uint8_t vector;
    uint8_t type; /* X86_EVENTTYPE_* */
    bool has_error;
    uint32_t error;
};

/*
 * A vCPU's register state. Boot entries (PVH entry, STARTUP IPI,
 * VCPUOP_initialise) fill the first group and leave full false: the back
 * end gives the rest its reset values. A saved vCPU
 * (XEN_DOMCTL_sethvmcontext) sets full and every field; vcpu_get_state
 * fills everything.
 */
struct hvm_boot_state {
    struct guest_regs regs;
    uint64_t rsp, rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
    struct hvm_seg cs, ds, es, ss, tr;

    bool full;
    struct hvm_seg fs, gs, ldtr, gdtr, idtr; /* gdtr, idtr: base and limit only */
    uint64_t cr2, dr6, dr7;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    struct hvm_event event;
    bool fpu_valid;   /* fpu is the vCPU's FXSAVE image; false: the reset image */
    uint8_t fpu[512];
    /* Reported by vcpu_get_state, never loaded: */
    uint64_t pat;     /* the guest PAT, which guests cannot change */
    uint64_t tsc;     /* the guest's TSC now: the host's, as there is no offset */
};

/*
 * The checks every guest-supplied start state passes before the back end
 * loads it (vcpu_context.c): usable segments, control registers a vCPU may
 * start with. Sets EFER.LMA from LME and CR0.PG. 0 or -EINVAL.
 */
int hvm_check_boot_state(struct hvm_boot_state *b);

/*
 * MTRRs as guests see them: MTRRcap offers no ranges (so the fixed and
 * variable range MSRs do not exist), the default type is each vCPU's own
 * (arch_vcpu.mtrr_def_type). They describe memory types only to the guest:
 * with nested paging the host's types apply.
 */
#define HVM_MTRR_CAP 0

/*
 * A default type the CPU would take: enable (bit 11) and UC, WT, WP or WB
 * (bits 0-7). MTRRcap offers no fixed ranges and no WC, so their enable bit
 * and type are reserved (SDM vol. 3A, "IA32_MTRR_DEF_TYPE MSR").
 */
static inline bool hvm_mtrr_def_type_valid(uint64_t val)
{
    const uint64_t enable = 1ull << 11;
    unsigned int type = val & 0xff;

    return !(val & ~(enable | 0xff)) && (type == 0 || type == 4 || type == 5 || type == 6);
}

struct hvm_vendor {
    const char *name;
    int (*cpu_init)(void);                       /* enable on this pCPU */
    int (*domain_init)(struct domain *d);
    void (*domain_destroy)(struct domain *d);
    int (*vcpu_init)(struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    /* Load a validated boot state (generic code checked it); v is not running. */
    void (*vcpu_set_boot_state)(struct vcpu *v, const struct hvm_boot_state *s);
    /* Fill every field of s (full set) from v, which is not running. */
    void (*vcpu_get_state)(struct vcpu *v, struct hvm_boot_state *s);
    /* Enter the guest until it must be descheduled. */
    void (*vcpu_run)(struct vcpu *v);
    /* Debug key: print v's entry state (RIP, interrupt window, what is offered). */
    void (*vcpu_dump)(struct vcpu *v);
    void (*get_paging)(struct vcpu *v, struct hvm_paging *p);
    bool (*is_64bit)(struct vcpu *v);
    unsigned int (*cpl)(struct vcpu *v);
    void (*inject_exception)(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error);
    /* Write the 3-byte hypercall instruction (VMMCALL / VMCALL). */
    void (*hypercall_insn)(uint8_t insn[3]);
    /* Nested page tables, in the vendor's format. */
    int (*p2m_map)(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t);
    int (*p2m_unmap)(struct domain *d, gfn_t gfn);
    int (*p2m_lookup)(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t);
    /* d is dead: release every entry (p2m_release), free every table page. */
    void (*p2m_free)(struct domain *d);
};

extern const struct hvm_vendor *hvm;
extern const struct hvm_vendor svm_vendor;

/* Generic exit handling, called by the back end. Each returns 0 or a negative errno. */
struct cpuid_regs;
void hvm_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
/* -EINVAL means: inject #GP. */
int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
void hvm_hypercall(struct vcpu *v);
/* Port I/O the guest does not own: reads float high, writes are dropped. */
void hvm_io(struct vcpu *v, uint16_t port, unsigned int bytes, bool in, uint32_t *val);
/*
 * HLT: block until an event. With interrupts off nothing can wake the vCPU,
 * so, as on Xen, it goes offline; when the last one does, the domain powers
 * off (how a guest without ACPI power control halts).
 */
void hvm_halt(struct vcpu *v, bool interrupts_enabled);
/*
 * The vector to offer v at its next entry: its event-channel upcall or a
 * virtual-APIC interrupt, whichever is higher; 0 if none. A vLAPIC vector
 * (*from_vlapic) must be acked with vlapic_ack() once the guest takes it;
 * the upcall is level-triggered and needs no ack.
 */
int hvm_pending_interrupt(struct vcpu *v, bool *from_vlapic);
/* Start v in real mode at vector * 4 KiB, as a STARTUP IPI does. */
void arch_vcpu_set_sipi_entry(struct vcpu *v, uint8_t vector);

/* Select and enable the back end on the boot CPU. */
int hvm_init(void);

#endif
