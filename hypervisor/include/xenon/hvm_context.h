/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's vCPU state as an HVM context stream (public/hvm/save.h), for
 * XEN_DOMCTL_gethvmcontext, _sethvmcontext and _gethvmcontext_partial. The
 * records are the architecture's (arch/x86/hvm_context.c); common/domctl.c
 * decodes the call and sees to it that d is alive, not the caller's own
 * domain, and paused (none of its vCPUs runs) for the duration.
 * Buffers are addresses in the caller's memory.
 */
#ifndef XENON_HVM_CONTEXT_H
#define XENON_HVM_CONTEXT_H

#include <xenon/types.h>

struct domain;
struct vcpu;

/* The most bytes arch_hvm_context_save() can write for d. */
uint32_t arch_hvm_context_size(const struct domain *d);

/*
 * Write d's stream to buf, which has room for size bytes; *written says how
 * many were. -ENOSPC if it does not fit, -EFAULT, -ENOMEM.
 */
int arch_hvm_context_save(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size,
                          uint32_t *written);

/*
 * The body of one record (type, instance) to buf; *bufsz is the room in and
 * the body's length out. buf 0 only sets *bufsz. -EINVAL for a type not
 * saved per record, -ENOENT for no such vCPU, -ENODATA if it has no such
 * record (a CPU record of a vCPU that is down), -ENOBUFS, -EFAULT, -ENOMEM.
 */
int arch_hvm_context_save_one(struct vcpu *caller, struct domain *d, uint32_t type,
                              uint32_t instance, uint64_t buf, uint64_t *bufsz);

/*
 * Read size bytes of stream from buf and check all of it, then load it:
 * every vCPU of d goes down, and those with a CPU record come up with its
 * state. -ENODATA for a stream that does not start with its header or
 * stops before its END record, -EINVAL for a malformed stream or state a
 * vCPU cannot have, -EOPNOTSUPP for records and values Xenon does not
 * implement, -EFAULT, -ENOMEM. On error nothing has changed.
 */
int arch_hvm_context_load(struct vcpu *caller, struct domain *d, uint64_t buf, uint32_t size);

#endif
