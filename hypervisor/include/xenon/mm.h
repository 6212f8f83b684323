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
/* Before mm_init(): move the modules out of low memory (to the top of RAM) when there is room. */
void mm_relocate_modules(struct boot_info *bi, paddr_t image_start, paddr_t image_end);
/* Arch code, once the APs run: low memory (below 1 MiB) but [keep_start, keep_end) is no longer needed. */
void mm_low_memory_reusable(paddr_t keep_start, paddr_t keep_end);
/*
 * Put that low memory, but frame 0, in the pool (once): just before the
 * hardware domain claims it for its identity map, which Linux's real-mode
 * trampoline wants, so no hypervisor allocation takes it first.
 */
void mm_release_low_memory(const struct boot_info *bi);

int frames_alloc(unsigned int order, mfn_t *out);
void frames_free(mfn_t mfn, unsigned int order);
uint64_t frames_nr_free(void);
/* Frames of the pool in use (domains, hypervisor); the pool may grow (low memory). */
uint64_t frames_nr_in_use(void);

/* Zeroed pages for the hypervisor's own structures; NULL when out of memory. */
void *page_alloc_zeroed(unsigned int order);
void page_free(void *p, unsigned int order);

/*
 * Domain RAM, frame by frame (frame_table.h). frames_lock, inside these, is
 * a leaf lock.
 */
struct domain;

/*
 * 2^order fresh frames for d, each its own frame owned by d (on d->pages,
 * counted in tot_pages), not zeroed and not mapped anywhere. -ENOMEM if d
 * would exceed max_pages or memory (below 2^address_bits if nonzero) is
 * short; -EINVAL for an impossible order or address width.
 */
int mm_domain_alloc(struct domain *d, unsigned int order, unsigned int address_bits, mfn_t *mfn);
/*
 * Give d exactly the 2^order frames at mfn: -EBUSY if any is not free,
 * -ENOMEM past max_pages or if they reach 2^address_bits (0: no limit).
 */
int mm_domain_claim(struct domain *d, mfn_t mfn, unsigned int order, unsigned int address_bits);
/* d gives the frame up; it is freed unless others still reference it. -EINVAL if not d's. */
int mm_domain_release(struct domain *d, mfn_t mfn);
/* Reference a frame owner owns now (-EINVAL if it does not): the frame stays until mm_put_page. */
int mm_get_page(const struct domain *owner, mfn_t mfn);
/* Reference a domain's frame whoever owns it; -ENOENT for a hypervisor page (needs none). */
int mm_get_page_any(mfn_t mfn);
void mm_put_page(mfn_t mfn);
bool mm_page_owned_by(const struct domain *d, mfn_t mfn);
/* Give up every frame d still owns (its P2M is gone). */
void mm_domain_teardown(struct domain *d);

static inline void *maddr_to_virt(paddr_t pa) { return (void *)(uintptr_t)pa; }
static inline paddr_t virt_to_maddr(const void *p) { return (paddr_t)(uintptr_t)p; }
static inline void *mfn_to_virt(mfn_t m) { return maddr_to_virt(mfn_to_paddr(m)); }
static inline mfn_t virt_to_mfn(const void *p) { return paddr_to_mfn(virt_to_maddr(p)); }

#endif
