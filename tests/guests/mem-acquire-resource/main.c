// SPDX-License-Identifier: GPL-2.0-only
/*
 * XENMEM_acquire_resource on a grant table, as privcmd's
 * IOCTL_PRIVCMD_MMAP_RESOURCE does for a PVH Dom0 (libxenctrl seeding a new
 * guest's grant table): the caller passes GFNs of its own, unpopulated, and
 * the hypervisor maps the target's grant frames there.
 *
 * role=0, the control domain (d0): checks the errors, maps frames 0 and 1
 * of the peer's table, writes a v1 grant entry there that grants the peer's
 * page to d0 and maps that grant: the peer's table took it. The peer
 * (role=1) sees the entry appear in its own table and the grant in use,
 * then powers off while d0 still maps its frames. The peer must stay (shut
 * down, not freed: its grant frames are in d0's P2M) until d0 unmaps them;
 * then the hypervisor reaps it.
 *
 * exit=1: d0 maps the peer's frame and powers off without unmapping; the
 * peer outlives it (d0's destruction drops the mapping's reference).
 *
 * role=2 (xsm=test, two plain domains): each maps the other's frame 0 and
 * powers off without unmapping. The hypervisor drops a stopped domain's
 * mappings of others, so neither keeps the other forever.
 *
 * The two talk through words at the end of the peer's grant frame 0 (grant
 * references nobody uses), which both see.
 */
#include "guest.h"
#include "ctl.h"
#include "gnttab.h"
#include "mem.h"

#define REF 8
#define MB_REF 500   /* the mailbox: refs 500.. of frame 0, as 64-bit words */
#define TABLE_MAX 32 /* a domain's grant frames (GNTTAB_DEFAULT_MAX_FRAMES) */
#define MAGIC 0x7265736f75726365ull
#define ACK 0x61636b6e6f776c64ull
#define TRIES 200000
#define MS 1000000ull

enum { W_READY, W_SEEN, W_MAPPED, W_CHECKED };

static uint64_t page[512] PAGE_ALIGNED; /* the peer's page that d0 grants itself */
static struct shared_info *si;

static volatile uint64_t *mailbox(struct grant_entry_v1 *t)
{
    return (volatile uint64_t *)&t[MB_REF];
}

static bool wait_word(volatile uint64_t *w, uint64_t want, const char *what)
{
    for (unsigned int i = 0; i < TRIES; i++) {
        if (__atomic_load_n(w, __ATOMIC_ACQUIRE) == want)
            return true;
        xen_yield();
    }
    test_fail("gave up waiting for %s", what);
    return false;
}

static long acquire(struct xen_mem_acquire_resource *r)
{
    return HYPERVISOR_memory_op(XENMEM_acquire_resource, r);
}

/* Map nr grant frames of dom from frame at gfns[]. */
static long acquire_frames(domid_t dom, uint64_t frame, uint32_t nr, xen_pfn_t *gfns)
{
    struct xen_mem_acquire_resource r = {
        .domid = dom,
        .type = XENMEM_resource_grant_table,
        .id = XENMEM_resource_grant_table_id_shared,
        .nr_frames = nr,
        .frame = frame,
        .frame_list = XEN_GUEST_HANDLE_FROM_PTR(gfns),
    };

    return acquire(&r);
}

/* The size query: frames in *nr. */
static long table_size(domid_t dom, uint32_t *nr)
{
    struct xen_mem_acquire_resource r = {.domid = dom, .type = XENMEM_resource_grant_table};
    long rc = acquire(&r);

    *nr = r.nr_frames;
    return rc;
}

static void check_errors(domid_t peer, xen_pfn_t gfn)
{
    struct xen_mem_acquire_resource r = {.domid = peer,
                                         .type = XENMEM_resource_grant_table,
                                         .nr_frames = 1,
                                         .frame_list = XEN_GUEST_HANDLE_FROM_PTR(&gfn)};
    xen_pfn_t beyond = 1ull << 36;
    uint32_t nr = 0;

    check_eq("size query", table_size(peer, &nr), 0);
    check_eq("  the table's maximum", nr, TABLE_MAX);
    r.pad = 1;
    check_eq("pad set", acquire(&r), -XEN_EINVAL);
    r.pad = 0;
    r.id = XENMEM_resource_grant_table_id_status;
    check_eq("status frames (v1)", acquire(&r), -XEN_EINVAL);
    r.id = XENMEM_resource_grant_table_id_shared;
    r.type = XENMEM_resource_ioreq_server;
    check_eq("ioreq server pages", acquire(&r), -XEN_EOPNOTSUPP);
    r.type = XENMEM_resource_vmtrace_buf;
    check_eq("trace buffers", acquire(&r), -XEN_EOPNOTSUPP);
    r.type = XENMEM_resource_grant_table;
    check_eq("frame past the table", acquire_frames(peer, TABLE_MAX, 1, &gfn), -XEN_EINVAL);
    check_eq("frames running past it", acquire_frames(peer, TABLE_MAX - 1, 2, &gfn), -XEN_EINVAL);
    check_eq("no frames but a list", acquire_frames(peer, 0, 0, &gfn), -XEN_EINVAL);
    check_eq("a GFN the P2M cannot map", acquire_frames(peer, 0, 1, &beyond), -XEN_EINVAL);
    check_eq("our own table", acquire_frames(0, 0, 1, &gfn), -XEN_EPERM);
    check_eq("DOMID_SELF", acquire_frames(DOMID_SELF, 0, 1, &gfn), -XEN_ESRCH);
    check_eq("no such domain", acquire_frames(77, 0, 1, &gfn), -XEN_ESRCH);
    check_eq("  nothing mapped by any of them", mem_remove_from_physmap(gfn), -XEN_ENOENT);
}

/* The peer is shut down but still there: our mapping holds it. */
static bool wait_shut_down(domid_t peer)
{
    uint64_t end = pvclock_read(&si->vcpu_info[0].time) + 2000 * MS;
    struct xen_domctl_getdomaininfo in;

    while (pvclock_read(&si->vcpu_info[0].time) < end) {
        if (domctl_domain_info(peer, &in) == 0 && (in.flags & XEN_DOMINF_shutdown))
            return true;
        xen_yield();
    }
    test_fail("d%u never shut down", peer);
    return false;
}

/* Grant ourselves the peer's page through its table, map it, write through it. */
static bool use_grant(domid_t peer, struct grant_entry_v1 *t)
{
    uint64_t gpa = GNTTAB_GPA(GNTTAB_MAP_GFN(0));
    volatile uint64_t *mb = mailbox(t);
    grant_handle_t h = 0;

    if (!wait_word(&mb[W_READY], gnttab_gfn_of(page), "the peer's page number"))
        return false;
    gnttab_grant(t, REF, 0, mb[W_READY], GTF_permit_access);
    if (!check_eq("map the grant we wrote", gnttab_map(peer, REF, gpa, GNTMAP_host_map, &h),
                  GNTST_okay))
        return false;
    check_eq("  the peer's page", *(volatile uint64_t *)(uintptr_t)gpa, MAGIC);
    check_eq("  in use, as our mapping of its table shows", gnttab_flags(t, REF),
             GTF_permit_access | GTF_reading | GTF_writing);
    ((volatile uint64_t *)(uintptr_t)gpa)[1] = ACK;
    if (!wait_word(&mb[W_SEEN], ACK, "the peer to see the grant used"))
        return false;
    check_eq("unmap the grant", gnttab_unmap(gpa, h), GNTST_okay);
    check_eq("  no longer in use", gnttab_flags(t, REF), GTF_permit_access);
    return true;
}

static void caller(domid_t peer, bool leave_mapped)
{
    xen_pfn_t gfns[2] = {find_free_gfn() + 64, find_free_gfn() + 65};
    struct grant_entry_v1 *t = (struct grant_entry_v1 *)(uintptr_t)MEM_GPA(gfns[0]);
    xen_pfn_t g = gfns[0];

    si = map_shared_info();
    if (!si)
        return;
    check_errors(peer, gfns[0]);
    if (!check_eq("map frames 0 and 1 of the peer's table", acquire_frames(peer, 0, 2, gfns), 0))
        return;
    /* Not our RAM: neither to give back nor to populate over. */
    check_eq("decrease over the mapping", mem_decrease(&g, 1, 0), -XEN_EINVAL);
    check_eq("populate over the mapping", mem_populate(&g, 1, 0), -XEN_EBUSY);
    if (leave_mapped) {
        __atomic_store_n(&mailbox(t)[W_MAPPED], MAGIC, __ATOMIC_RELEASE);
        /* Not before the peer has seen us refused while we live (-EPERM,
         * not the -ESRCH of a domain gone): one pCPU may run us to the end first. */
        if (!wait_word(&mailbox(t)[W_CHECKED], ACK, "the peer's checks while we live"))
            return;
        printf("leaving with d%u's grant frames mapped\n", peer);
        return;
    }
    if (!use_grant(peer, t) || !wait_shut_down(peer))
        return;
    /* A while later (the hypervisor reaping meanwhile) it is still there, and its frame. */
    check_eq("d1 kept while we map its frames",
             ctl_wait_gone(peer, &si->vcpu_info[0].time, 200 * MS), false);
    check_eq("  its frame still there", mailbox(t)[W_SEEN], ACK);
    check_eq("unmap frame 1", mem_remove_from_physmap(gfns[1]), 0);
    check_eq("  still kept for frame 0", ctl_wait_gone(peer, &si->vcpu_info[0].time, 200 * MS),
             false);
    check_eq("unmap frame 0", mem_remove_from_physmap(gfns[0]), 0);
    if (!check_eq("reaped once unmapped", ctl_wait_gone(peer, &si->vcpu_info[0].time, 2000 * MS),
                  true))
        return;
    check_eq("map from it now", acquire_frames(peer, 0, 1, gfns), -XEN_ESRCH);
    printf("d%u stayed until its frames were unmapped, then went\n", peer);
}

static void owner(domid_t peer)
{
    struct grant_entry_v1 *t = gnttab_setup();
    volatile uint64_t *mb;
    uint32_t nr;

    if (!t)
        return;
    mb = mailbox(t);
    /* The default policy: not ours to map. */
    check_eq("size of d0's table", table_size(peer, &nr), -XEN_EPERM);
    check_eq("map d0's table", acquire_frames(peer, 0, 1, &(xen_pfn_t){find_free_gfn() + 64}),
             -XEN_EPERM);
    __atomic_store_n(&mb[W_CHECKED], ACK, __ATOMIC_RELEASE);
    if (guest_arg("exit", 0)) {
        if (!wait_word(&mb[W_MAPPED], MAGIC, "d0's mapping"))
            return;
        /* Gone: -ESRCH where it was -EPERM. */
        for (unsigned int i = 0;
             i < TRIES && mem_query(XENMEM_current_reservation, peer) != -XEN_ESRCH; i++)
            xen_yield();
        check_eq("d0 gone", mem_query(XENMEM_current_reservation, peer), -XEN_ESRCH);
        gnttab_grant(t, REF, peer, 0, GTF_permit_access);
        check_eq("our table still ours", gnttab_flags(t, REF), GTF_permit_access);
        printf("d%u went with our frame mapped; we carry on\n", peer);
        return;
    }
    page[0] = MAGIC;
    __atomic_store_n(&mb[W_READY], gnttab_gfn_of(page), __ATOMIC_RELEASE);
    if (!wait_word(&page[1], ACK, "d0's write through the grant"))
        return;
    check_eq("the entry d0 wrote in our table", t[REF].domid, 0);
    check_eq("  for our page", t[REF].frame, gnttab_gfn_of(page));
    check_eq("  in use", gnttab_flags(t, REF), GTF_permit_access | GTF_reading | GTF_writing);
    __atomic_store_n(&mb[W_SEEN], ACK, __ATOMIC_RELEASE);
    printf("leaving while d%u maps our grant frames\n", peer);
}

/* Two plain domains (xsm=test) map each other's frame 0 and both leave so. */
static void cycle(domid_t peer)
{
    struct grant_entry_v1 *own = gnttab_setup();
    xen_pfn_t g = find_free_gfn() + 64;
    struct grant_entry_v1 *theirs = (struct grant_entry_v1 *)(uintptr_t)MEM_GPA(g);
    unsigned int i;
    long rc = -XEN_ESRCH;

    if (!own)
        return;
    /* The peer's table exists from its creation, placed or not; the peer may come up later. */
    for (i = 0; i < TRIES && (rc = acquire_frames(peer, 0, 1, &g)) == -XEN_ESRCH; i++)
        xen_yield();
    if (!check_eq("map the peer's frame 0", rc, 0))
        return;
    __atomic_store_n(&mailbox(theirs)[W_MAPPED], MAGIC, __ATOMIC_RELEASE);
    if (!wait_word(&mailbox(own)[W_MAPPED], MAGIC, "the peer's mapping of our frame"))
        return;
    printf("each maps the other's grant frame; leaving so\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 1);

    switch (guest_arg("role", 0)) {
    case 0:
        caller(peer, guest_arg("exit", 0));
        break;
    case 1:
        owner(peer);
        break;
    default:
        cycle(peer);
        break;
    }
}
