// SPDX-License-Identifier: GPL-2.0-only
/*
 * A grant used for sharing: the granter (role=0) offers one page as ref 8 to
 * its peer; the mapper (role=1) maps it, reads the granter's value, writes its
 * own, and unmaps. The granter sees the mapper's write in its own page, sees
 * GTF_reading|GTF_writing while it is mapped and neither after the unmap,
 * and then ends the grant.
 *
 * No xenstore: ref 8 by convention; the mapper retries until the grant is
 * there, both sides yield while they wait for the other's word in the page.
 */
#include "guest.h"
#include "gnttab.h"

#define REF 8
#define FROM_GRANTER 0x6772616e74657221ull /* words of the shared page, by index */
#define FROM_MAPPER 0x6d61707065722121ull
#define ACK 0x61636b6e6f776c64ull
#define TRIES 100000

static uint64_t page[512] PAGE_ALIGNED;
static struct grant_entry_v1 *table;

static bool word_is(void *arg)
{
    const uint64_t *want = arg;

    return __atomic_load_n(&page[want[0]], __ATOMIC_ACQUIRE) == want[1];
}

static bool in_use(void *arg)
{
    return gnttab_flags(table, REF) & (GTF_reading | GTF_writing);
}
static bool idle(void *arg)
{
    return !in_use(arg);
}

static void granter(domid_t peer)
{
    uint64_t mapper_wrote[2] = {1, FROM_MAPPER};

    table = gnttab_setup();
    if (!table)
        return;
    page[0] = FROM_GRANTER;
    gnttab_grant(table, REF, peer, gnttab_gfn_of(page), GTF_permit_access);
    if (!gnttab_wait(word_is, mapper_wrote, TRIES, "the mapper's word"))
        return;
    check_eq("flags while mapped", gnttab_flags(table, REF),
             GTF_permit_access | GTF_reading | GTF_writing);
    __atomic_store_n(&page[2], ACK, __ATOMIC_RELEASE);
    if (!gnttab_wait(idle, NULL, TRIES, "GTF_reading/GTF_writing to clear after the unmap"))
        return;
    if (!gnttab_end_access(table, REF))
        test_fail("grant still in use after the unmap");
    printf("mapper wrote through the grant; grant idle and ended\n");
}

static void mapper(domid_t peer)
{
    volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)GNTTAB_GPA(GNTTAB_MAP_GFN(0));
    grant_handle_t h = 0;
    int st = gnttab_map_when_granted(peer, REF, GNTTAB_GPA(GNTTAB_MAP_GFN(0)), GNTMAP_host_map,
                                     &h, TRIES);
    if (!check_eq("map status", st, GNTST_okay))
        return;
    check_eq("granter's word", shared[0], FROM_GRANTER);
    shared[1] = FROM_MAPPER;
    /* The granter acknowledges in the page: wait through our own mapping. */
    for (unsigned int i = 0; i < TRIES && shared[2] != ACK; i++)
        xen_yield();
    check_eq("granter's ack", shared[2], ACK);
    check_eq("unmap status", gnttab_unmap(GNTTAB_GPA(GNTTAB_MAP_GFN(0)), h), GNTST_okay);
    printf("mapped, wrote, unmapped\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        mapper(peer);
}
