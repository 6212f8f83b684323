/* SPDX-License-Identifier: MIT */
/*
 * The HVM context stream of XEN_DOMCTL_gethvmcontext / sethvmcontext, in
 * Xen 4.17's format. A stream is a run of records, each a descriptor and
 * then `length` bytes of body: first the header record (once), then any
 * number of state records, and last the END record (typecode 0, length 0).
 * A per-vCPU record names its vCPU in `instance`; a per-domain record has
 * instance 0. XEN_DOMCTL_gethvmcontext_partial returns one body without its
 * descriptor.
 *
 * The x86 records and the full list of type codes are in
 * arch-x86/hvm/save.h; which of them Xenon writes and accepts is said in
 * hypervisor/arch/x86/hvm_context.c.
 */
#ifndef XEN_PUBLIC_HVM_SAVE_H
#define XEN_PUBLIC_HVM_SAVE_H

#include <stdint.h>

struct hvm_save_descriptor {
    uint16_t typecode;             /* HVM_SAVE_CODE_* */
    uint16_t instance;             /* vCPU id for per-vCPU records, else 0 */
    uint32_t length;               /* bytes of body after this descriptor */
};
_Static_assert(sizeof(struct hvm_save_descriptor) == 8, "hvm_save_descriptor layout");

/* The END record has an empty body. */
#define HVM_SAVE_CODE_END 0
struct hvm_save_end {
    uint8_t empty[0];
};

/*
 * Libxenctrl names records by a short tag: HVM_SAVE_CODE(CPU) is the type
 * code, HVM_SAVE_TYPE(CPU) the body's type, HVM_SAVE_LENGTH(CPU) its size.
 * Each record defines HVM_SAVE_CODE_<tag> and the typedef hvm_save_type_<tag>.
 */
#define HVM_SAVE_CODE(tag)   HVM_SAVE_CODE_##tag
#define HVM_SAVE_TYPE(tag)   hvm_save_type_##tag
#define HVM_SAVE_LENGTH(tag) ((uint32_t)sizeof(hvm_save_type_##tag))

typedef struct hvm_save_end hvm_save_type_END;

#include "../arch-x86/hvm/save.h"

#endif
