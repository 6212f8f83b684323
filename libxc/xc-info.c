// SPDX-License-Identifier: LGPL-2.1-only
/* xc-info: the host (sysctl physinfo) and every domain (domctl getdomaininfo), through libxc. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xc.h"
#include <public/xen.h>

static int print_domains(struct xc *xc)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int next = 0;
    int r;

    while (next < DOMID_FIRST_RESERVED && !(r = xc_domain_getinfo(xc, (domid_t)next, &info))) {
        printf("domain %u: tot_pages %llu max_pages %llu vcpus %u cpu_time_ns %llu flags %#x\n",
               info.domain, (unsigned long long)info.tot_pages, (unsigned long long)info.max_pages,
               info.nr_online_vcpus, (unsigned long long)info.cpu_time, info.flags);
        next = info.domain + 1u;
    }
    /* Past the last domain, getdomaininfo says -ESRCH: that ends the list. */
    return r == -ESRCH ? 0 : r;
}

int main(void)
{
    struct xen_sysctl_physinfo pi;
    struct xc *xc;
    int r = xc_open(&xc);

    if (r) {
        fprintf(stderr, "xc-info: cannot open privcmd: %s\n", strerror(-r));
        return 1;
    }
    r = xc_physinfo(xc, &pi);
    if (r) {
        fprintf(stderr, "xc-info: physinfo: %s\n", strerror(-r));
        xc_close(xc);
        return 1;
    }
    printf("physinfo: nr_cpus %u cpu_khz %u total_pages %llu free_pages %llu\n", pi.nr_cpus, pi.cpu_khz,
           (unsigned long long)pi.total_pages, (unsigned long long)pi.free_pages);
    r = print_domains(xc);
    if (r)
        fprintf(stderr, "xc-info: getdomaininfo: %s\n", strerror(-r));
    xc_close(xc);
    return r ? 1 : 0;
}
