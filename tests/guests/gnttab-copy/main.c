// SPDX-License-Identifier: GPL-2.0-only
/*
 * GNTTABOP_copy both ways. The granter (role=0) offers page P writable as
 * ref 8 and page Q read-only as ref 9. The copier (role=1) copies from ref 8
 * into its own page, from its page into ref 8, from ref 9 to ref 8 (both
 * sides grants), and checks the refusals: past the page end, into a
 * read-only grant, a foreign frame named directly, a bad ref, a bad domain.
 * The granter checks the bytes that arrived and that no pin outlived a copy.
 */
#include "guest.h"
#include "gnttab.h"

#define REF_RW 8
#define REF_RO 9
#define TRIES 100000
#define DONE_OFF 2048 /* the copier's last copy lands here */
#define BOTH_OFF 3000 /* ref 9 -> ref 8 */

static uint8_t p_page[4096] PAGE_ALIGNED;
static uint8_t q_page[4096] PAGE_ALIGNED;
static uint8_t local[4096] PAGE_ALIGNED;

static bool done(void *arg)
{
    return !memcmp((const void *)&p_page[DONE_OFF], "from-d2!", 8);
}
static bool idle(void *arg)
{
    return !(gnttab_flags(arg, REF_RW) & (GTF_reading | GTF_writing));
}

static void granter(domid_t peer)
{
    struct grant_entry_v1 *t = gnttab_setup();

    if (!t)
        return;
    memcpy(p_page, "from-d1:", 8);
    memcpy(q_page + 16, "ro-data", 8);
    gnttab_grant(t, REF_RO, peer, gnttab_gfn_of(q_page), GTF_permit_access | GTF_readonly);
    gnttab_grant(t, REF_RW, peer, gnttab_gfn_of(p_page), GTF_permit_access);
    if (!gnttab_wait(done, NULL, TRIES, "the copier's bytes"))
        return;
    if (memcmp(&p_page[BOTH_OFF], "ro-data", 8))
        test_fail("grant-to-grant copy did not arrive");
    /* On another pCPU the last copy may still hold its pin for a moment. */
    if (!gnttab_wait(idle, t, TRIES, "the last copy's pin"))
        return;
    check_eq("ref 8 flags", gnttab_flags(t, REF_RW), GTF_permit_access);
    check_eq("ref 9 flags", gnttab_flags(t, REF_RO), GTF_permit_access | GTF_readonly);
    if (!gnttab_end_access(t, REF_RW) || !gnttab_end_access(t, REF_RO))
        test_fail("a grant is still in use after the copies");
    printf("copies arrived; no pin left behind\n");
}

static struct gnttab_copy from_gref(domid_t dom, grant_ref_t ref, uint16_t off, uint16_t len,
                                    uint16_t loff)
{
    return (struct gnttab_copy){
        .source = {.u.ref = ref, .domid = dom, .offset = off},
        .dest = {.u.gmfn = gnttab_gfn_of(local), .domid = DOMID_SELF, .offset = loff},
        .len = len,
        .flags = GNTCOPY_source_gref};
}

static struct gnttab_copy to_gref(domid_t dom, grant_ref_t ref, uint16_t off, uint16_t len,
                                  uint16_t loff)
{
    return (struct gnttab_copy){
        .source = {.u.gmfn = gnttab_gfn_of(local), .domid = DOMID_SELF, .offset = loff},
        .dest = {.u.ref = ref, .domid = dom, .offset = off},
        .len = len,
        .flags = GNTCOPY_dest_gref};
}

static void refusals(domid_t peer)
{
    struct gnttab_copy c = to_gref(peer, REF_RW, 4090, 8, 0);

    check_eq("past the destination page end", gnttab_copy_one(&c), GNTST_bad_copy_arg);
    c = from_gref(peer, REF_RW, 4095, 2, 0);
    check_eq("past the source page end", gnttab_copy_one(&c), GNTST_bad_copy_arg);
    c = to_gref(peer, REF_RO, 0, 8, 0);
    check_eq("into a read-only grant", gnttab_copy_one(&c), GNTST_permission_denied);
    c = from_gref(peer, REF_RW, 0, 8, 0);
    c.source = (struct gnttab_copy_ptr){.u.gmfn = gnttab_gfn_of(p_page), .domid = peer};
    c.flags = 0;
    check_eq("a foreign frame by number", gnttab_copy_one(&c), GNTST_permission_denied);
    c = from_gref(peer, 600, 0, 8, 0);
    check_eq("a ref past the table", gnttab_copy_one(&c), GNTST_bad_gntref);
    c = from_gref(77, REF_RW, 0, 8, 0);
    check_eq("no such domain", gnttab_copy_one(&c), GNTST_bad_domain);
}

static void copier(domid_t peer)
{
    struct gnttab_copy c = from_gref(peer, REF_RW, 0, 8, 100);
    struct gnttab_copy both = {.source = {.u.ref = REF_RO, .domid = peer, .offset = 16},
                               .dest = {.u.ref = REF_RW, .domid = peer, .offset = BOTH_OFF},
                               .len = 8,
                               .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref};
    int st = GNTST_permission_denied;

    for (unsigned int i = 0; i < TRIES && st != GNTST_okay; i++) {
        st = gnttab_copy_one(&c);
        if (st != GNTST_okay)
            xen_yield();
    }
    if (!check_eq("copy from ref 8", st, GNTST_okay))
        return;
    if (memcmp(local + 100, "from-d1:", 8))
        test_fail("copied bytes differ");
    c = from_gref(peer, REF_RO, 16, 8, 200);
    check_eq("copy from read-only ref 9", gnttab_copy_one(&c), GNTST_okay);
    if (memcmp(local + 200, "ro-data", 8))
        test_fail("bytes from the read-only grant differ");
    refusals(peer);
    check_eq("ref 9 -> ref 8", gnttab_copy_one(&both), GNTST_okay);
    memcpy(local + 300, "from-d2!", 8);
    c = to_gref(peer, REF_RW, DONE_OFF, 8, 300);
    check_eq("copy into ref 8", gnttab_copy_one(&c), GNTST_okay);
    printf("copied both ways; refusals as expected\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        copier(peer);
}
