/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory: one buddy allocator over all RAM the loader reported, and
 * the direct map (all RAM is identity-mapped in the hypervisor's page tables,
 * so a machine address is also a hypervisor pointer).
 */
#ifndef XENON_MM_H
#define XENON_MM_H

#include <xenon/types.h>
#include <xenon/boot_info.h>

/* Initialise the allocator from the memory map, excluding the image and modules. */
int mm_init(const struct boot_info *bi, paddr_t image_start, paddr_t image_end);

int frames_alloc(unsigned int order, mfn_t *out);
void frames_free(mfn_t mfn, unsigned int order);
uint64_t frames_nr_free(void);

/* Zeroed pages for the hypervisor's own structures; NULL when out of memory. */
void *page_alloc_zeroed(unsigned int order);
void page_free(void *p, unsigned int order);

static inline void *maddr_to_virt(paddr_t pa) { return (void *)(uintptr_t)pa; }
static inline paddr_t virt_to_maddr(const void *p) { return (paddr_t)(uintptr_t)p; }
static inline void *mfn_to_virt(mfn_t m) { return maddr_to_virt(mfn_to_paddr(m)); }
static inline mfn_t virt_to_mfn(const void *p) { return paddr_to_mfn(virt_to_maddr(p)); }

#endif
