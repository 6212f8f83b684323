// SPDX-License-Identifier: GPL-2.0-only
/*
 * A handle unmaps once. The mapper (role=1) maps the granter's ref 8 twice
 * (read-only and writable, two handles), unmaps each, and gets
 * GNTST_bad_handle for the second unmap of a handle, for a handle it never
 * had, and GNTST_general_error for the wrong address (the mapping stays).
 * The granter (role=0) sees GTF_writing go with the writable mapping and
 * GTF_reading with the last one.
 */
#include "guest.h"
#include "gnttab.h"

#define REF 8
#define STEP_RW_GONE 1
#define TRIES 100000

static uint64_t page[512] PAGE_ALIGNED;
static struct grant_entry_v1 *table;

struct step_wait {
    uint64_t step;
};

/* The mapper's step word, and for STEP_RW_GONE the writable unmap it announces. */
static bool step_reached(void *arg)
{
    uint64_t step = ((struct step_wait *)arg)->step;

    if (__atomic_load_n(&page[0], __ATOMIC_ACQUIRE) < step)
        return false;
    return step != STEP_RW_GONE || !(gnttab_flags(table, REF) & GTF_writing);
}

static bool idle(void *arg)
{
    return !(gnttab_flags(table, REF) & (GTF_reading | GTF_writing));
}

static void granter(domid_t peer)
{
    struct step_wait w = {STEP_RW_GONE};

    table = gnttab_setup();
    if (!table)
        return;
    gnttab_grant(table, REF, peer, gnttab_gfn_of(page), GTF_permit_access);
    if (!gnttab_wait(step_reached, &w, TRIES, "the writable unmap"))
        return;
    /* The mapper still holds the read-only mapping, and waits for us. */
    check_eq("flags with only the read-only mapping", gnttab_flags(table, REF),
             GTF_permit_access | GTF_reading);
    __atomic_store_n(&page[1], 1, __ATOMIC_RELEASE);
    if (!gnttab_wait(idle, NULL, TRIES, "the last unmap"))
        return;
    check_eq("grant ended", gnttab_end_access(table, REF), true);
    printf("status bits followed the mappings\n");
}

static void mapper(domid_t peer)
{
    uint64_t ro_gpa = GNTTAB_GPA(GNTTAB_MAP_GFN(0)), rw_gpa = GNTTAB_GPA(GNTTAB_MAP_GFN(1));
    volatile uint64_t *rw = (volatile uint64_t *)(uintptr_t)rw_gpa;
    volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)ro_gpa;
    grant_handle_t hro = 0, hrw = 0;
    int st = gnttab_map_when_granted(peer, REF, ro_gpa, GNTMAP_host_map | GNTMAP_readonly,
                                     &hro, TRIES);
    if (!check_eq("read-only map", st, GNTST_okay) ||
        !check_eq("writable map", gnttab_map(peer, REF, rw_gpa, GNTMAP_host_map, &hrw), GNTST_okay))
        return;
    if (hro == hrw)
        test_fail("two mappings share handle %u", hro);
    check_eq("unmap at the wrong address", gnttab_unmap(ro_gpa, hrw), GNTST_general_error);
    rw[0] = STEP_RW_GONE; /* still mapped: the failed unmap changed nothing */
    check_eq("unmap writable", gnttab_unmap(rw_gpa, hrw), GNTST_okay);
    check_eq("unmap writable again", gnttab_unmap(rw_gpa, hrw), GNTST_bad_handle);
    check_eq("unmap a handle never given", gnttab_unmap(rw_gpa, 4000), GNTST_bad_handle);
    for (unsigned int i = 0; i < TRIES && !ro[1]; i++)
        xen_yield();
    check_eq("granter's go-ahead", ro[1], 1);
    check_eq("unmap read-only", gnttab_unmap(ro_gpa, hro), GNTST_okay);
    check_eq("unmap read-only again", gnttab_unmap(ro_gpa, hro), GNTST_bad_handle);
    printf("each handle unmapped once\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);

    if (guest_arg("role", 0) == 0)
        granter(peer);
    else
        mapper(peer);
}
