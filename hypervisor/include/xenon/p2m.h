/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's guest-physical to machine map. It lives in the nested page tables
 * (NPT or EPT); the vendor back end implements these hooks.
 */
#ifndef XENON_P2M_H
#define XENON_P2M_H

#include <xenon/types.h>

struct domain;

enum p2m_type {
    P2M_INVALID = 0,
    P2M_RAM_RW,     /* the domain's own RAM */
    P2M_RAM_RO,
};

int p2m_init(struct domain *d);
void p2m_destroy(struct domain *d);
/* Map 2^order frames (order 0 or 9) at gfn; replaces what was there. */
int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t);
int p2m_unmap(struct domain *d, gfn_t gfn);
/* -ENOENT if gfn is not mapped. */
int p2m_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t);

#endif
