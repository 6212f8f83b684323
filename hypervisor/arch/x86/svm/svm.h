/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to the SVM back end. */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include "vmcb.h"
#include <asm/hvm.h>

struct svm_vcpu {
    struct vmcb *vmcb;
    paddr_t vmcb_pa;
    int offered_vlapic;    /* vLAPIC vector in V_IRQ at the last entry, or -1 */
    uint64_t shadow_rip;   /* where an exit last reported an interrupt shadow (svm.c), or ~0 */
    uint64_t last_exit, last_exit_rip; /* the #VMEXIT before this one, for crash reports */
    uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE image while descheduled */
};

static inline struct svm_vcpu *to_svm(struct vcpu *v) { return v->arch.vendor; }
static inline struct vmcb *vmcb_of(struct vcpu *v) { return to_svm(v)->vmcb; }

extern bool svm_has_nrips;
extern paddr_t svm_iopm_pa, svm_hwdom_iopm_pa, svm_msrpm_pa;

/* entry.S: load guest GPRs, VMLOAD, VMRUN, VMSAVE, store guest GPRs, VMLOAD host. */
void svm_vmrun(paddr_t vmcb_pa, struct guest_regs *regs, paddr_t host_vmcb_pa);
extern const char svm_vmexit_rip[]; /* the instruction after svm_vmrun's VMRUN */

void svm_handle_exit(struct vcpu *v);
void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error);
void svm_flush_guest_tlbs(struct domain *d);

int npt_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t);
int npt_unmap(struct domain *d, gfn_t gfn);
int npt_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t);
void npt_free(struct domain *d);

#endif
