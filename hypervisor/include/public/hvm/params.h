/* SPDX-License-Identifier: MIT */
/* HVM parameter indices for HVMOP_get_param / HVMOP_set_param. */
#ifndef XEN_PUBLIC_HVM_PARAMS_H
#define XEN_PUBLIC_HVM_PARAMS_H

#include "hvm_op.h"

/*
 * How event-channel upcalls reach the guest. Bits 63:56 are the type,
 * the rest depends on it:
 *   GSI:      bits 31:0 = GSI number (0 disables the callback)
 *   PCI_INTX: bits 15:8 = device, 1:0 = INTx pin (bus 0 only)
 *   VECTOR:   bits 7:0 = IDT vector, delivered as an edge on every vCPU
 */
#define HVM_PARAM_CALLBACK_IRQ              0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT   56
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK    (0xFFull << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT)
#define HVM_PARAM_CALLBACK_TYPE_GSI         0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX    1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR      2
#define HVM_PARAM_CALLBACK_TYPE_PPI         2   /* Arm's meaning of 2 */
#define HVM_PARAM_CALLBACK_VAL(type, v) \
    (((uint64_t)(type) << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) | (uint64_t)(v))

/* xenstore ring page (GFN) and its event channel */
#define HVM_PARAM_STORE_PFN                 1
#define HVM_PARAM_STORE_EVTCHN              2
#define HVM_PARAM_PAE_ENABLED               4
#define HVM_PARAM_IOREQ_PFN                 5
#define HVM_PARAM_BUFIOREQ_PFN              6
#define HVM_PARAM_VIRIDIAN                  9
#define HVM_PARAM_TIMER_MODE               10
#define HVM_PARAM_HPET_ENABLED             11
#define HVM_PARAM_IDENT_PT                 12
#define HVM_PARAM_DM_DOMAIN                13
#define HVM_PARAM_ACPI_S_STATE             14
#define HVM_PARAM_VM86_TSS                 15
#define HVM_PARAM_VPT_ALIGN                16
/* PV console ring page (GFN) and its event channel */
#define HVM_PARAM_CONSOLE_PFN              17
#define HVM_PARAM_CONSOLE_EVTCHN           18
#define HVM_PARAM_ACPI_IOPORTS_LOCATION    19
#define HVM_PARAM_MEMORY_EVENT_CR0         20
#define HVM_PARAM_MEMORY_EVENT_CR3         21
#define HVM_PARAM_MEMORY_EVENT_CR4         22
#define HVM_PARAM_MEMORY_EVENT_INT3        23
#define HVM_PARAM_NESTEDHVM                24
#define HVM_PARAM_MEMORY_EVENT_SINGLE_STEP 25
#define HVM_PARAM_BUFIOREQ_EVTCHN          26
#define HVM_PARAM_PAGING_RING_PFN          27
#define HVM_PARAM_MONITOR_RING_PFN         28
#define HVM_PARAM_SHARING_RING_PFN         29
#define HVM_PARAM_MEMORY_EVENT_MSR         30
#define HVM_PARAM_TRIPLE_FAULT_REASON      31
#define HVM_PARAM_IOREQ_SERVER_PFN         32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES    33
#define HVM_PARAM_VM_GENERATION_ID_ADDR    34
#define HVM_PARAM_ALTP2M                   35
#define HVM_PARAM_X87_FIP_WIDTH            36
#define HVM_PARAM_VM86_TSS_SIZED           37
#define HVM_PARAM_MCA_CAP                  38

/* Indices >= HVM_NR_PARAMS are rejected with -EINVAL. */
#define HVM_NR_PARAMS                      39

#endif
