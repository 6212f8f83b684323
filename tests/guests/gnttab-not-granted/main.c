// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants that are not for us are refused. The granter (role=0) fills ref 8
 * for another domain (d3, which does not exist), ref 9 as GTF_invalid, ref 10
 * as an accept-transfer grant, and last ref 11 properly to its peer: once the
 * mapper can map ref 11, the others are in place too. The mapper checks every
 * refusal (GNTST_permission_denied for map and copy, bad ref, bad domain,
 * bad flags and addresses), then writes DONE into ref 11's page and unmaps.
 * The granter checks no refused ref ever got a status bit.
 */
#include "guest.h"
#include "gnttab.h"

#define REF_OTHER 8
#define REF_INVALID 9
#define REF_TRANSFER 10
#define REF_OK 11
#define DONE 0x646f6e6521212121ull
#define TRIES 100000

static uint64_t page[512] PAGE_ALIGNED;
static uint64_t other[512] PAGE_ALIGNED;

static bool done(void *arg)
{
    return __atomic_load_n(&page[0], __ATOMIC_ACQUIRE) == DONE;
}
static bool idle(void *arg)
{
    return !(gnttab_flags(arg, REF_OK) & (GTF_reading | GTF_writing));
}

static void granter(domid_t peer)
{
    struct grant_entry_v1 *t = gnttab_setup();

    if (!t)
        return;
    gnttab_grant(t, REF_OTHER, 3, gnttab_gfn_of(other), GTF_permit_access);
    gnttab_grant(t, REF_INVALID, peer, gnttab_gfn_of(other), GTF_invalid);
    gnttab_grant(t, REF_TRANSFER, peer, gnttab_gfn_of(other), GTF_accept_transfer);
    gnttab_grant(t, REF_OK, peer, gnttab_gfn_of(page), GTF_permit_access);
    if (!gnttab_wait(done, NULL, TRIES, "the mapper's DONE") ||
        !gnttab_wait(idle, t, TRIES, "ref 11 idle"))
        return;
    check_eq("ref 8 flags", gnttab_flags(t, REF_OTHER), GTF_permit_access);
    check_eq("ref 9 flags", gnttab_flags(t, REF_INVALID), GTF_invalid);
    check_eq("ref 10 flags", gnttab_flags(t, REF_TRANSFER), GTF_accept_transfer);
    printf("refused grants untouched\n");
}

static void refusals(domid_t peer, uint64_t gpa)
{
    struct gnttab_copy c = {.source = {.u.ref = REF_OTHER, .domid = peer},
                            .dest = {.u.gmfn = gnttab_gfn_of(other), .domid = DOMID_SELF},
                            .len = 8,
                            .flags = GNTCOPY_source_gref};

    check_eq("map a grant for d3", gnttab_map(peer, REF_OTHER, gpa, GNTMAP_host_map, NULL),
             GNTST_permission_denied);
    check_eq("map it read-only",
             gnttab_map(peer, REF_OTHER, gpa, GNTMAP_host_map | GNTMAP_readonly, NULL),
             GNTST_permission_denied);
    check_eq("map an invalid grant", gnttab_map(peer, REF_INVALID, gpa, GNTMAP_host_map, NULL),
             GNTST_permission_denied);
    check_eq("map a transfer grant", gnttab_map(peer, REF_TRANSFER, gpa, GNTMAP_host_map, NULL),
             GNTST_permission_denied);
    check_eq("copy from a grant for d3", gnttab_copy_one(&c), GNTST_permission_denied);
    check_eq("ref past the table", gnttab_map(peer, 512 * 32, gpa, GNTMAP_host_map, NULL),
             GNTST_bad_gntref);
    check_eq("no such domain", gnttab_map(77, REF_OK, gpa, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    check_eq("DOMID_SELF", gnttab_map(DOMID_SELF, REF_OK, gpa, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    check_eq("no host_map flag", gnttab_map(peer, REF_OK, gpa, 0, NULL), GNTST_bad_gntref);
    check_eq("device map", gnttab_map(peer, REF_OK, gpa, GNTMAP_host_map | GNTMAP_device_map, NULL),
             GNTST_general_error);
    check_eq("unaligned address", gnttab_map(peer, REF_OK, gpa + 8, GNTMAP_host_map, NULL),
             GNTST_bad_virt_addr);
    check_eq("a grant mapping is already there",
             gnttab_map(peer, REF_OK, GNTTAB_GPA(GNTTAB_MAP_GFN(0)), GNTMAP_host_map, NULL),
             GNTST_bad_virt_addr);
}

static void mapper(domid_t peer)
{
    volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)GNTTAB_GPA(GNTTAB_MAP_GFN(0));
    grant_handle_t h = 0;
    int st = gnttab_map_when_granted(peer, REF_OK, GNTTAB_GPA(GNTTAB_MAP_GFN(0)), GNTMAP_host_map,
                                     &h, TRIES);
    if (!check_eq("map of ref 11", st, GNTST_okay))
        return;
    refusals(peer, GNTTAB_GPA(GNTTAB_MAP_GFN(1)));
    shared[0] = DONE;
    check_eq("unmap", gnttab_unmap(GNTTAB_GPA(GNTTAB_MAP_GFN(0)), h), GNTST_okay);
    printf("every refusal as expected\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        mapper(peer);
}
