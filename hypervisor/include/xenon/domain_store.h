/* SPDX-License-Identifier: GPL-2.0-only */
/* A boot domain's xenstore ring, page and event channel (common/domain_store.c). */
#ifndef XENON_DOMAIN_STORE_H
#define XENON_DOMAIN_STORE_H

#include <xenon/domain.h>

/*
 * Where a boot domain's xenstore page goes: Xen's x86 special-page frame
 * for it, above the RAM of any guest smaller than 4 GiB. A guest whose RAM
 * reaches it gets the frame just above its RAM instead.
 */
#define DOMAIN_STORE_GFN 0xfeffcull

/*
 * Called once per boot domain, after it is built and before any vCPU runs.
 * A DomU gets its xenstore ring when a control domain (domain 0, where
 * xenstored runs) is among the boot domains; domain 0 itself keeps none (its
 * kernel allocates a local one), but DomUs built before it get theirs when
 * it comes, so module order does not matter.
 * 0, or a negative errno for d: then d is half set up and its builder
 * destroys it. A DomU built earlier that cannot get its ring is crashed.
 */
int domain_store_setup(struct domain *d);

#endif
