// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture of the HVM context stream tests (test_hvm_context.c,
 * test_hvm_context_checks.c, each linked with hvm_context_fixture.c): a
 * domain of NVCPUS vCPUs whose state a fake back end keeps in vstate[], and
 * streams and records built from Xen's public header as the toolstack sees
 * it; the numbers below (CR bits, attribute bytes) are the SDM's and APM's.
 * A guest address is a host pointer; page allocations can be made to fail.
 */
#ifndef XENON_UNIT_HVM_CONTEXT_FIXTURE_H
#define XENON_UNIT_HVM_CONTEXT_FIXTURE_H

#include <stdint.h>

#include <asm/hvm.h>
#include <xenon/domain.h>
#include <public/hvm/save.h>

#define TSC_KHZ 2500000u
#define GUEST_PAT 0x0007040600070406ull
#define FAKE_TSC 0x123456789ull
#define NVCPUS 3

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define DR6_DEFAULT 0xffff0ff0ull
#define DR7_DEFAULT 0x400ull

#define DESC sizeof(struct hvm_save_descriptor)
#define CPU_LEN sizeof(struct hvm_hw_cpu)
#define MTRR_LEN sizeof(struct hvm_hw_mtrr)
#define HDR_LEN sizeof(struct hvm_save_header)

extern struct domain dom;
extern struct vcpu vcpus[NVCPUS], caller;
extern struct hvm_boot_state vstate[NVCPUS]; /* what the back end holds */
/* Per vCPU: boot states set by the back end, scheduler starts and stops. */
extern unsigned int set_calls[NVCPUS], starts[NVCPUS], stops[NVCPUS];
extern uint64_t fault_at; /* guest memory from this address on is not mapped (0: all is) */

/*
 * A domain of NVCPUS vCPUs: up vCPUs (in mask) run a 64-bit kernel's state,
 * the others are down and never initialised.
 */
void setup(unsigned int up_mask);

/* A stream being built in memory. */
struct stream {
    uint8_t bytes[16384] __attribute__((aligned(8)));
    uint32_t len;
};

/* Append a record: descriptor, then len bytes of body. */
void put(struct stream *s, uint16_t type, uint16_t instance, const void *body, uint32_t len);
struct hvm_save_header good_header(void);
/* Start s over with a good header record. */
void put_header(struct stream *s);
void put_end(struct stream *s);
/* vCPU 0's CPU record as libxenctrl 4.17 makes it for a PVH guest (xg_dom_x86.c, vcpu_hvm). */
struct hvm_hw_cpu libxc_cpu(uint32_t entry, uint32_t start_info);
struct hvm_hw_mtrr good_mtrr(uint64_t def_type);
uint64_t gva(const void *p);
/* arch_hvm_context_load() of s into the domain, or of header + CPU record 0 + END. */
int load(const struct stream *s);
int load_cpu_record(const struct hvm_hw_cpu *c);

#endif
