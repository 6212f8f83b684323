// SPDX-License-Identifier: GPL-2.0-only
/*
 * A read-only grant stays read-only. The granter (role=0) offers page P
 * read-only as ref 8 and page S writable as ref 9 (a mailbox). The mapper
 * (role=1) is refused a writable mapping of ref 8, maps it read-only, reads
 * it, says so in the mailbox, and then writes through the read-only
 * mapping: the NPT fault crashes it (the runner expects that line). The
 * granter waits until the mapper is gone, then checks its page is intact and
 * that the crash released both grants (no GTF_reading/GTF_writing left).
 */
#include "guest.h"
#include "gnttab.h"

#define REF_RO 8
#define REF_MAILBOX 9
#define MAGIC 0x726561646f6e6c79ull
#define READ_OK 0x7265616420206f6bull
#define TRIES 100000

static uint64_t p_page[512] PAGE_ALIGNED;
static uint64_t mailbox[512] PAGE_ALIGNED;

static void granter(domid_t peer)
{
    struct grant_entry_v1 *t = gnttab_setup();

    if (!t)
        return;
    p_page[0] = MAGIC;
    gnttab_grant(t, REF_MAILBOX, peer, gnttab_gfn_of(mailbox), GTF_permit_access);
    gnttab_grant(t, REF_RO, peer, gnttab_gfn_of(p_page), GTF_permit_access | GTF_readonly);
    if (!gnttab_wait(gnttab_peer_gone, &peer, TRIES, "the mapper's end"))
        return;
    check_eq("mapper read the page", mailbox[0], READ_OK);
    check_eq("page intact", p_page[0], MAGIC);
    check_eq("ref 8 flags after the crash", gnttab_flags(t, REF_RO),
             GTF_permit_access | GTF_readonly);
    check_eq("ref 9 flags after the crash", gnttab_flags(t, REF_MAILBOX), GTF_permit_access);
    printf("mapper gone; page intact; its mappings released\n");
}

static void mapper(domid_t peer)
{
    volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)GNTTAB_GPA(GNTTAB_MAP_GFN(0));
    volatile uint64_t *box = (volatile uint64_t *)(uintptr_t)GNTTAB_GPA(GNTTAB_MAP_GFN(1));
    grant_handle_t h = 0;
    int st = gnttab_map_when_granted(peer, REF_RO, GNTTAB_GPA(GNTTAB_MAP_GFN(0)),
                                     GNTMAP_host_map | GNTMAP_readonly, &h, TRIES);
    if (!check_eq("read-only map", st, GNTST_okay))
        return;
    check_eq("writable map of a read-only grant",
             gnttab_map(peer, REF_RO, GNTTAB_GPA(GNTTAB_MAP_GFN(2)), GNTMAP_host_map, NULL),
             GNTST_permission_denied);
    check_eq("mailbox map",
             gnttab_map(peer, REF_MAILBOX, GNTTAB_GPA(GNTTAB_MAP_GFN(1)), GNTMAP_host_map, &h),
             GNTST_okay);
    if (test_failed() || !check_eq("granter's word", ro[0], MAGIC))
        return;
    box[0] = READ_OK;
    printf("writing through the read-only mapping\n");
    ro[0] = 0;
    test_fail("the write through a read-only mapping did not fault");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        mapper(peer);
}
