/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall dispatch: arch code reads the registers, common code handles the call. */
#ifndef XENON_HYPERCALL_H
#define XENON_HYPERCALL_H

#include <xenon/types.h>

struct vcpu;

struct hypercall_args {
    uint64_t nr;
    uint64_t a[5];
};

/* Returns the value for the guest's RAX (a negative errno on failure). */
long hypercall_dispatch(struct vcpu *v, const struct hypercall_args *args);

long do_console_io(struct vcpu *v, const struct hypercall_args *args);
long do_xen_version(struct vcpu *v, const struct hypercall_args *args);
long do_sched_op(struct vcpu *v, const struct hypercall_args *args);
long do_memory_op(struct vcpu *v, const struct hypercall_args *args);
long do_hvm_op(struct vcpu *v, const struct hypercall_args *args);
long do_vcpu_op(struct vcpu *v, const struct hypercall_args *args);
long do_set_timer_op(struct vcpu *v, const struct hypercall_args *args);
long do_platform_op(struct vcpu *v, const struct hypercall_args *args);
long do_physdev_op(struct vcpu *v, const struct hypercall_args *args);
/* Arch hypercalls (x86: arch/x86/). */
long do_mca(struct vcpu *v, const struct hypercall_args *args);
long do_grant_table_op(struct vcpu *v, const struct hypercall_args *args);
long do_domctl(struct vcpu *v, const struct hypercall_args *args);
long do_sysctl(struct vcpu *v, const struct hypercall_args *args);

#endif
