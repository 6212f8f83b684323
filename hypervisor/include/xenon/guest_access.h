/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one way hypervisor code reads or writes guest memory. Addresses are
 * guest-virtual (what a hypercall argument holds), translated through the
 * vCPU's own page tables and then the domain's P2M; every byte is checked.
 * A bad address is -EFAULT, never a hypervisor fault.
 */
#ifndef XENON_GUEST_ACCESS_H
#define XENON_GUEST_ACCESS_H

#include <xenon/types.h>

struct vcpu;
struct domain;

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);

/* Guest-physical access (domain building, no vCPU translation). */
int copy_to_gpa(struct domain *d, gpaddr_t gpa, const void *src, size_t len);
int copy_from_gpa(struct domain *d, void *dst, gpaddr_t gpa, size_t len);
int clear_gpa(struct domain *d, gpaddr_t gpa, size_t len);

/* Host pointer to a guest frame's contents, for pages the hypervisor keeps mapped. */
void *gfn_to_virt(struct domain *d, gfn_t gfn, bool write);

/* Arch hook: guest-virtual to guest-physical through the vCPU's paging. */
int arch_gva_to_gpa(struct vcpu *v, uint64_t gva, bool write, gpaddr_t *gpa);

#endif
