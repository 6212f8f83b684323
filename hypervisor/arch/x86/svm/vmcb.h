/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCB: AMD64 Architecture Programmer's Manual vol. 2, appendix B
 * ("Layout of VMCB"), table B-1 (control area) and B-2 (state save area).
 */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stddef.h>
#include <xenon/types.h>

struct __attribute__((packed)) vmcb_seg {
    uint16_t sel;
    uint16_t attr; /* descriptor bits 40-47 in 0-7, bits 52-55 in 8-11 */
    uint32_t limit;
    uint64_t base;
};

struct __attribute__((packed)) vmcb_control {
    uint32_t intercept_cr;         /* 0x000: reads 0-15, writes 16-31 */
    uint32_t intercept_dr;         /* 0x004 */
    uint32_t intercept_exceptions; /* 0x008 */
    uint32_t intercept_misc1;      /* 0x00c */
    uint32_t intercept_misc2;      /* 0x010 */
    uint32_t intercept_misc3;      /* 0x014 */
    uint8_t reserved1[0x03c - 0x018];
    uint16_t pause_filter_thresh;  /* 0x03c */
    uint16_t pause_filter_count;   /* 0x03e */
    uint64_t iopm_base_pa;         /* 0x040 */
    uint64_t msrpm_base_pa;        /* 0x048 */
    uint64_t tsc_offset;           /* 0x050 */
    uint32_t asid;                 /* 0x058 */
    uint8_t tlb_control;           /* 0x05c */
    uint8_t reserved2[3];
    uint64_t vintr;                /* 0x060 */
    uint64_t interrupt_shadow;     /* 0x068 */
    uint64_t exitcode;             /* 0x070 */
    uint64_t exitinfo1;            /* 0x078 */
    uint64_t exitinfo2;            /* 0x080 */
    uint64_t exitintinfo;          /* 0x088 */
    uint64_t np_enable;            /* 0x090 */
    uint64_t avic_apic_bar;        /* 0x098 */
    uint64_t ghcb_pa;              /* 0x0a0 */
    uint64_t eventinj;             /* 0x0a8 */
    uint64_t n_cr3;                /* 0x0b0 */
    uint64_t virt_ext;             /* 0x0b8: LBR / VMSAVE-VMLOAD virtualisation */
    uint32_t clean;                /* 0x0c0 */
    uint32_t reserved3;
    uint64_t nrip;                 /* 0x0c8 */
    uint8_t insn_len;              /* 0x0d0 */
    uint8_t insn_bytes[15];
    uint8_t reserved4[0x400 - 0x0e0];
};

struct __attribute__((packed)) vmcb_save {
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t reserved1[0x4cb - 0x4a0];
    uint8_t cpl;                   /* 0x4cb */
    uint32_t reserved2;
    uint64_t efer;                 /* 0x4d0 */
    uint8_t reserved3[0x548 - 0x4d8];
    uint64_t cr4;                  /* 0x548 */
    uint64_t cr3;
    uint64_t cr0;
    uint64_t dr7;
    uint64_t dr6;
    uint64_t rflags;
    uint64_t rip;                  /* 0x578 */
    uint8_t reserved4[0x5d8 - 0x580];
    uint64_t rsp;                  /* 0x5d8 */
    uint64_t s_cet, ssp, isst_addr;
    uint64_t rax;                  /* 0x5f8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t cr2;                  /* 0x640 */
    uint8_t reserved5[0x668 - 0x648];
    uint64_t g_pat;                /* 0x668 */
    uint64_t dbgctl;
    uint64_t br_from, br_to, last_excp_from, last_excp_to;
    uint8_t reserved6[0x1000 - 0x698];
};

struct vmcb {
    struct vmcb_control control;
    struct vmcb_save save;
};

#define VMCB_CHECK(type, field, off) \
    _Static_assert(offsetof(type, field) == (off), #type "." #field " at " #off " (APM vol. 2, app. B)")
VMCB_CHECK(struct vmcb_control, intercept_misc1, 0x00c);
VMCB_CHECK(struct vmcb_control, iopm_base_pa, 0x040);
VMCB_CHECK(struct vmcb_control, asid, 0x058);
VMCB_CHECK(struct vmcb_control, vintr, 0x060);
VMCB_CHECK(struct vmcb_control, exitcode, 0x070);
VMCB_CHECK(struct vmcb_control, np_enable, 0x090);
VMCB_CHECK(struct vmcb_control, eventinj, 0x0a8);
VMCB_CHECK(struct vmcb_control, n_cr3, 0x0b0);
VMCB_CHECK(struct vmcb_control, clean, 0x0c0);
VMCB_CHECK(struct vmcb_control, nrip, 0x0c8);
VMCB_CHECK(struct vmcb_control, insn_len, 0x0d0);
_Static_assert(sizeof(struct vmcb_control) == 0x400, "VMCB control area is 0x400 bytes");
#define VMCB_SAVE_CHECK(field, off) VMCB_CHECK(struct vmcb, save.field, off)
VMCB_SAVE_CHECK(es, 0x400);
VMCB_SAVE_CHECK(tr, 0x490);
VMCB_SAVE_CHECK(cpl, 0x4cb);
VMCB_SAVE_CHECK(efer, 0x4d0);
VMCB_SAVE_CHECK(cr4, 0x548);
VMCB_SAVE_CHECK(cr0, 0x558);
VMCB_SAVE_CHECK(rflags, 0x570);
VMCB_SAVE_CHECK(rip, 0x578);
VMCB_SAVE_CHECK(rsp, 0x5d8);
VMCB_SAVE_CHECK(rax, 0x5f8);
VMCB_SAVE_CHECK(star, 0x600);
VMCB_SAVE_CHECK(sysenter_eip, 0x638);
VMCB_SAVE_CHECK(cr2, 0x640);
VMCB_SAVE_CHECK(g_pat, 0x668);
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB is one page");

/* intercept_misc1 */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_NMI (1u << 1)
#define INTERCEPT_SMI (1u << 2)
#define INTERCEPT_INIT (1u << 3)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_INVD (1u << 22)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_IOIO (1u << 27)
#define INTERCEPT_MSR (1u << 28)
#define INTERCEPT_TASK_SWITCH (1u << 29)
#define INTERCEPT_SHUTDOWN (1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD (1u << 2)
#define INTERCEPT_VMSAVE (1u << 3)
#define INTERCEPT_STGI (1u << 4)
#define INTERCEPT_CLGI (1u << 5)
#define INTERCEPT_SKINIT (1u << 6)
#define INTERCEPT_RDTSCP (1u << 7)
#define INTERCEPT_ICEBP (1u << 8)
#define INTERCEPT_MONITOR (1u << 10)
#define INTERCEPT_MWAIT (1u << 11)
#define INTERCEPT_XSETBV (1u << 13)

#define VINTR_MASKING (1ull << 24)
#define VINTR_IRQ (1ull << 8)
#define VINTR_PRIO_SHIFT 16
#define VINTR_IGN_TPR (1ull << 20)
#define VINTR_VECTOR_SHIFT 32
#define NP_ENABLE (1ull << 0)
#define TLB_CONTROL_FLUSH_ALL 1

#define EVENTINJ_VALID (1ull << 31)
#define EVENTINJ_TYPE_EXCEPTION (3ull << 8)
#define EVENTINJ_ERROR_VALID (1ull << 11)

/* Exit codes (APM vol. 2, appendix C) */
#define VMEXIT_EXCEPTION_BASE 0x040
#define VMEXIT_INTR 0x060
#define VMEXIT_NMI 0x061
#define VMEXIT_SMI 0x062
#define VMEXIT_INIT 0x063
#define VMEXIT_CPUID 0x072
#define VMEXIT_INVD 0x076
#define VMEXIT_HLT 0x078
#define VMEXIT_IOIO 0x07b
#define VMEXIT_MSR 0x07c
#define VMEXIT_TASK_SWITCH 0x07d
#define VMEXIT_SHUTDOWN 0x07f
#define VMEXIT_VMRUN 0x080
#define VMEXIT_VMMCALL 0x081
#define VMEXIT_VMLOAD 0x082
#define VMEXIT_VMSAVE 0x083
#define VMEXIT_STGI 0x084
#define VMEXIT_CLGI 0x085
#define VMEXIT_SKINIT 0x086
#define VMEXIT_ICEBP 0x088
#define VMEXIT_MONITOR 0x08a
#define VMEXIT_MWAIT 0x08b
#define VMEXIT_XSETBV 0x08d
#define VMEXIT_NPF 0x400
#define VMEXIT_INVALID ((uint64_t)-1)

#endif
