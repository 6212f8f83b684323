// SPDX-License-Identifier: GPL-2.0-only
/*
 * The granter dies while its page is mapped. The granter (role=0) offers a
 * page as ref 8, waits until the mapper (role=1) has written through its
 * mapping, and powers off with the grant still mapped. The hypervisor must
 * pull the page out of the mapper's P2M before freeing it (the runner checks
 * no frame leaked and the hypervisor outlived both). The mapper waits until
 * the granter is gone (GNTST_bad_domain from query_size), probes without
 * touching it that the GFN is no longer backed (a GNTTABOP_copy from it is
 * GNTST_bad_page, where it worked while mapped), unmaps its handle once
 * (still GNTST_okay, as on Xen) and cannot map from the dead domain again.
 */
#include "guest.h"
#include "gnttab.h"

#define REF 8
#define MAPPED 0x6d61707065642121ull
#define TRIES 100000

static uint64_t page[512] PAGE_ALIGNED;
static uint64_t scratch[512] PAGE_ALIGNED;

/* Copy 8 bytes from our own frame gfn: GNTST_bad_page if nothing is mapped there. */
static int probe(uint64_t gfn)
{
    struct gnttab_copy c = {.source = {.u.gmfn = gfn, .domid = DOMID_SELF},
                            .dest = {.u.gmfn = gnttab_gfn_of(scratch), .domid = DOMID_SELF},
                            .len = 8};

    return gnttab_copy_one(&c);
}

static bool mapped(void *arg)
{
    return __atomic_load_n(&page[0], __ATOMIC_ACQUIRE) == MAPPED;
}

static void granter(domid_t peer)
{
    struct grant_entry_v1 *t = gnttab_setup();

    if (!t)
        return;
    gnttab_grant(t, REF, peer, gnttab_gfn_of(page), GTF_permit_access);
    if (!gnttab_wait(mapped, NULL, TRIES, "the mapper's write"))
        return;
    check_eq("flags while mapped", gnttab_flags(t, REF),
             GTF_permit_access | GTF_reading | GTF_writing);
    printf("leaving with the page still mapped by d%u\n", peer);
}

static void mapper(domid_t peer)
{
    uint64_t gpa = GNTTAB_GPA(GNTTAB_MAP_GFN(0));
    grant_handle_t h = 0;
    int st = gnttab_map_when_granted(peer, REF, gpa, GNTMAP_host_map, &h, TRIES);
    if (!check_eq("map", st, GNTST_okay))
        return;
    /* Before telling the granter: it leaves as soon as it sees our word. */
    *(volatile uint64_t *)(uintptr_t)gpa = ~MAPPED;
    check_eq("probe while mapped", probe(GNTTAB_MAP_GFN(0)), GNTST_okay);
    check_eq("probe read the page", scratch[0], ~MAPPED);
    *(volatile uint64_t *)(uintptr_t)gpa = MAPPED;
    if (!gnttab_wait(gnttab_peer_gone, &peer, TRIES, "the granter's end"))
        return;
    check_eq("probe after the granter died", probe(GNTTAB_MAP_GFN(0)), GNTST_bad_page);
    check_eq("unmap after the granter died", gnttab_unmap(gpa, h), GNTST_okay);
    check_eq("unmap again", gnttab_unmap(gpa, h), GNTST_bad_handle);
    check_eq("map from the dead domain", gnttab_map(peer, REF, gpa, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    printf("granter gone; handle unmapped once\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        mapper(peer);
}
