/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-time configuration and the common start of the hypervisor. */
#ifndef XENON_SETUP_H
#define XENON_SETUP_H

#include <xenon/boot_info.h>

struct boot_options {
    char console[32];
    char loglvl[16];
    char guest_loglvl[16];
    uint64_t guest_mem;       /* bytes of RAM per boot-module guest */
    char xsm[16];             /* access-control policy: default | test */
    char sched[16];           /* scheduler: credit | rr */
    uint64_t max_cpus;        /* pCPUs to bring up (maxcpus=) */
    uint64_t dom0_mem;        /* domain 0's RAM unless its module says mem= (0: guest_mem) */
    uint64_t dom0_max_vcpus;  /* domain 0's vCPUs unless its module says vcpus= (0: 1) */
};

extern struct boot_options boot_opts;
extern const char *xenon_cmdline;
/* RAM frames the loader reported, and the highest of them (XEN_SYSCTL_physinfo). */
extern uint64_t boot_ram_pages, boot_max_mfn;

/* Parse the hypervisor command line into boot_opts (early: logging depends on it). */
void setup_parse_cmdline(const char *cmdline);
/* Create the boot domains and run them; returns the exit code when none is left. */
unsigned int xenon_main(const struct boot_info *bi) ;

#endif
