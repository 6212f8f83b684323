// SPDX-License-Identifier: GPL-2.0-only
/*
 * XENMEM_add_to_physmap_batch with XENMAPSPACE_gmfn_foreign, as privcmd on a
 * PVH Dom0 maps a guest's pages. The source (role=0) writes magic words in
 * two pages of its RAM; the mapper (role=1, allowed by xsm=test) maps both
 * into its physmap and reads them.
 *
 * Reference counting: the source balloons one mapped page out and its
 * reservation drops, yet the mapper still reads the old frame until it
 * removes the mapping; the source then dies while the other page is mapped,
 * and the mapper still reads it, and dies without unmapping: the hypervisor's
 * leak check at the end says every frame came back.
 *
 * With denied=1 (default policy) the mapper only checks that each entry's
 * error is -EPERM while the call itself succeeds.
 *
 * The two talk through the first page (words by index), no xenstore.
 */
#include "guest.h"
#include "mem.h"

#define PAGE_A MEM_SCRATCH_GFN
#define PAGE_B (MEM_SCRATCH_GFN + 1)
#define MAGIC_A 0x666f726569676e41ull
#define MAGIC_B 0x666f726569676e42ull
#define ACK 0x61636b6e6f776c64ull
#define REQ_BALLOON 0x62616c6c6f6f6e3full
#define DONE 0x646f6e6521212121ull
#define TRIES 200000

enum { W_MAGIC, W_ACK, W_REQ, W_DONE };

static bool wait_word(volatile uint64_t *page, unsigned int w, uint64_t want, const char *what)
{
    for (unsigned int i = 0; i < TRIES; i++) {
        if (__atomic_load_n(&page[w], __ATOMIC_ACQUIRE) == want)
            return true;
        xen_yield();
    }
    test_fail("gave up waiting for %s", what);
    return false;
}

/* Until the peer is reaped: its reservation query answers -ESRCH then. */
static void wait_gone(domid_t peer)
{
    for (unsigned int i = 0; i < TRIES; i++) {
        if (mem_query(XENMEM_current_reservation, peer) == -XEN_ESRCH)
            return;
        xen_yield();
    }
    test_fail("gave up waiting for d%u to go", peer);
}

static void source(domid_t peer, bool denied)
{
    volatile uint64_t *a = (volatile uint64_t *)MEM_PTR(PAGE_A);
    xen_pfn_t b = PAGE_B;

    ((volatile uint64_t *)MEM_PTR(PAGE_B))[0] = MAGIC_B;
    __atomic_store_n(&a[W_MAGIC], MAGIC_A, __ATOMIC_RELEASE);
    /* A hypervisor page in our physmap, which nobody may foreign-map. */
    if (!map_shared_info())
        return;
    if (denied) {
        wait_gone(peer);
        return;
    }
    if (!wait_word(a, W_ACK, ACK, "the mapper's ack") ||
        !wait_word(a, W_REQ, REQ_BALLOON, "the request to balloon page B"))
        return;
    check_eq("balloon out page B, mapped by the peer", mem_decrease(&b, 1, 0), 1);
    __atomic_store_n(&a[W_DONE], DONE, __ATOMIC_RELEASE);
    printf("page B ballooned out while mapped; leaving with page A mapped\n");
}

static bool map_one(domid_t from, uint64_t fgfn, uint64_t gpfn, int want, const char *what)
{
    int err;

    if (!check_eq(what, mem_map_foreign(from, fgfn, gpfn, &err), 0))
        return false;
    return check_eq(what, err, want);
}

/* After page B left the source: the mapper's frame is the old one, still whole. */
static void after_balloon(domid_t peer, uint64_t mb)
{
    long max = mem_query(XENMEM_maximum_reservation, peer);

    check_eq("the source's reservation dropped", mem_query(XENMEM_current_reservation, peer),
             max - 1);
    check_eq("page B still readable through our mapping", ((volatile uint64_t *)MEM_PTR(mb))[0],
             MAGIC_B);
    check_eq("unmap page B (its frame is freed now)", mem_remove_from_physmap(mb), 0);
    check_eq("unmap page B again", mem_remove_from_physmap(mb), -XEN_ENOENT);
}

static void mapper(domid_t peer, bool denied)
{
    uint64_t ma = find_free_gfn() + 32, mb = ma + 1, spare = ma + 2;
    volatile uint64_t *a = (volatile uint64_t *)MEM_PTR(ma);

    if (denied) {
        if (map_one(peer, PAGE_A, ma, -XEN_EPERM, "foreign map without permission"))
            printf("foreign map refused: -EPERM in errs[]\n");
        return;
    }
    if (!map_one(peer, PAGE_A, ma, 0, "foreign map of page A") ||
        !wait_word(a, W_MAGIC, MAGIC_A, "the source's magic word"))
        return;
    map_one(peer, PAGE_B, mb, 0, "foreign map of page B");
    check_eq("page B's magic word", ((volatile uint64_t *)MEM_PTR(mb))[0], MAGIC_B);
    map_one(peer, find_free_gfn(), spare, -XEN_EINVAL, "foreign map of the source's shared_info");
    map_one(peer, 0x100000, spare, -XEN_EINVAL, "foreign map of a hole");
    map_one(peer, PAGE_A, spare, 0, "page A mapped twice"); /* a second reference */
    check_eq("  and the same word there", ((volatile uint64_t *)MEM_PTR(spare))[W_MAGIC], MAGIC_A);
    check_eq("remove the second mapping", mem_remove_from_physmap(spare), 0);
    {
        xen_pfn_t gfn = ma;

        /* Not ours to give back, nor to populate over (Xen: -EBUSY). */
        check_eq("decrease a foreign mapping", mem_decrease(&gfn, 1, 0), -XEN_EINVAL);
        check_eq("populate over a foreign mapping", mem_populate(&gfn, 1, 0), -XEN_EBUSY);
    }

    __atomic_store_n(&a[W_ACK], ACK, __ATOMIC_RELEASE); /* writable through the mapping */
    __atomic_store_n(&a[W_REQ], REQ_BALLOON, __ATOMIC_RELEASE);
    if (!wait_word(a, W_DONE, DONE, "the source to balloon page B out"))
        return;
    after_balloon(peer, mb);

    wait_gone(peer);
    check_eq("page A still readable after its owner died", a[W_MAGIC], MAGIC_A);
    map_one(peer, PAGE_A, mb, -XEN_ESRCH, "foreign map from a dead domain");
    printf("foreign pages outlived ballooning and their owner; leaving one mapped\n");
}

void test_main(void)
{
    domid_t peer = (domid_t)guest_arg("peer", 0);
    bool denied = guest_arg("denied", 0);

    if (guest_arg("role", 0) == 0)
        source(peer, denied);
    else
        mapper(peer, denied);
}
