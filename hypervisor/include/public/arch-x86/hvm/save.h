/* SPDX-License-Identifier: MIT */
/*
 * x86 records of the HVM context stream (hvm/save.h), Xen 4.17's type codes
 * and layouts. Only the records Xenon writes or reads have a body type here;
 * the other codes are listed so a stream from Xen can be told apart from a
 * malformed one. Segment attributes ("arbytes") are in the 12-bit packed
 * form: descriptor bits 40-47 in bits 0-7, bits 52-55 in bits 8-11.
 */
#ifndef XEN_PUBLIC_ARCH_X86_HVM_SAVE_H
#define XEN_PUBLIC_ARCH_X86_HVM_SAVE_H

#include <stdint.h>

/* ---- Header (code 1): first in every stream ---- */

#define HVM_FILE_MAGIC   0x54381286u
#define HVM_FILE_VERSION 1u

#define HVM_SAVE_CODE_HEADER 1
struct hvm_save_header {
    uint32_t magic;                /* HVM_FILE_MAGIC */
    uint32_t version;              /* HVM_FILE_VERSION */
    uint64_t changeset;            /* the saving hypervisor's build, ~0 if unknown */
    uint32_t cpuid;                /* CPUID leaf 1 EAX of the saving host */
    uint32_t gtsc_khz;             /* the guest's TSC frequency, 0 = unspecified */
};
typedef struct hvm_save_header hvm_save_type_HEADER;
_Static_assert(sizeof(struct hvm_save_header) == 24, "hvm_save_header layout");

/* ---- Processor (code 2): one per vCPU that is up ---- */

/* pending_event: an event the vCPU takes at its next entry. */
#define HVM_CPU_EVENT_VECTOR(e)   ((e) & 0xffu)
#define HVM_CPU_EVENT_TYPE(e)     (((e) >> 8) & 7u)   /* X86_EVENTTYPE_* as in VMX/SVM */
#define HVM_CPU_EVENT_ERROR_VALID (1u << 11)          /* error_code is pushed */
#define HVM_CPU_EVENT_RESERVED    0x7ffff000u
#define HVM_CPU_EVENT_VALID       (1u << 31)

/* flags */
#define XEN_X86_FPU_INITIALISED (1u << 0)  /* fpu_regs holds the vCPU's FXSAVE image */

#define HVM_SAVE_CODE_CPU 2
struct hvm_hw_cpu {
    uint8_t fpu_regs[512];         /* FXSAVE image (64-bit format) */

    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr2, cr3, cr4;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;

    /* Segments: selector, limit, base, attributes, each group in this order. */
    uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel, ldtr_sel;
    uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit, tr_limit, ldtr_limit;
    uint32_t idtr_limit, gdtr_limit;
    uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base, tr_base, ldtr_base;
    uint64_t idtr_base, gdtr_base;
    uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes, ss_arbytes;
    uint32_t tr_arbytes, ldtr_arbytes;

    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t shadow_gs;            /* MSR_KERNEL_GS_BASE */
    uint64_t msr_flags;            /* obsolete: written 0, ignored */
    uint64_t msr_lstar, msr_star, msr_cstar, msr_syscall_mask, msr_efer, msr_tsc_aux;

    uint64_t tsc;                  /* the guest's TSC when saved */
    uint32_t pending_event;        /* HVM_CPU_EVENT_* */
    uint32_t error_code;           /* of the pending event */
    uint32_t flags;                /* XEN_X86_FPU_INITIALISED */
    uint32_t pad0;                 /* 0 */
};
typedef struct hvm_hw_cpu hvm_save_type_CPU;
_Static_assert(sizeof(struct hvm_hw_cpu) == 1032, "hvm_hw_cpu layout");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, rax) == 512, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, rip) == 640, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, cr0) == 656, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, dr0) == 688, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, cs_sel) == 736, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, cs_limit) == 768, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, cs_base) == 808, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, cs_arbytes) == 888, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, sysenter_cs) == 920, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, shadow_gs) == 944, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, msr_efer) == 992, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, tsc) == 1008, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, pending_event) == 1016, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, flags) == 1024, "");

/* ---- Devices and state Xenon does not have (codes only) ---- */

#define HVM_SAVE_CODE_PIC             3
#define HVM_SAVE_CODE_IOAPIC          4
#define HVM_SAVE_CODE_LAPIC           5
#define HVM_SAVE_CODE_LAPIC_REGS      6
#define HVM_SAVE_CODE_PCI_IRQ         7
#define HVM_SAVE_CODE_ISA_IRQ         8
#define HVM_SAVE_CODE_PCI_LINK        9
#define HVM_SAVE_CODE_PIT            10
#define HVM_SAVE_CODE_RTC            11
#define HVM_SAVE_CODE_HPET           12
#define HVM_SAVE_CODE_PMTIMER        13
#define HVM_SAVE_CODE_VIRIDIAN_DOMAIN 15
#define HVM_SAVE_CODE_CPU_XSAVE      16
#define HVM_SAVE_CODE_VIRIDIAN_VCPU  17
#define HVM_SAVE_CODE_VMCE_VCPU      18
#define HVM_SAVE_CODE_TSC_ADJUST     19
#define HVM_SAVE_CODE_CPU_MSR        20

/* ---- MTRRs and PAT (code 14): one per vCPU ---- */

#define HVM_HW_MTRR_VAR_PAIRS 8    /* PHYSBASE/PHYSMASK pairs the record has room for */
#define HVM_HW_MTRR_FIXED     11   /* fixed-range MTRR MSRs */

#define HVM_SAVE_CODE_MTRR 14
struct hvm_hw_mtrr {
    uint64_t msr_pat_cr;                              /* IA32_PAT */
    uint64_t msr_mtrr_var[HVM_HW_MTRR_VAR_PAIRS * 2]; /* base, mask, base, mask, ... */
    uint64_t msr_mtrr_fixed[HVM_HW_MTRR_FIXED];
    uint64_t msr_mtrr_cap;                            /* IA32_MTRRCAP */
    uint64_t msr_mtrr_def_type;                       /* IA32_MTRR_DEF_TYPE */
};
typedef struct hvm_hw_mtrr hvm_save_type_MTRR;
_Static_assert(sizeof(struct hvm_hw_mtrr) == 240, "hvm_hw_mtrr layout");
_Static_assert(__builtin_offsetof(struct hvm_hw_mtrr, msr_mtrr_fixed) == 136, "");
_Static_assert(__builtin_offsetof(struct hvm_hw_mtrr, msr_mtrr_cap) == 224, "");

#define HVM_SAVE_CODE_MAX 20

#endif
