// SPDX-License-Identifier: GPL-2.0-only
/*
 * XENMEM_acquire_resource for grant tables (common/memory_op.c) and the
 * lifetime of what it maps (arch/x86/p2m.c, P2M_MAP_RESOURCE): decoding and
 * every error path, the size query, the limits, and the references on the
 * owning domain, taken per mapped frame and dropped when the entry is
 * removed, replaced, relinquished or goes with the caller's P2M.
 *
 * The real memory_op.c, grant_table.c, p2m.c and xsm.c run against fakes of
 * the back end's page tables (a list of entries that reports removed ones to
 * p2m_release as the real one does), frame ownership, the domain list and
 * guest memory (a guest address is a host pointer here).
 */
#include <string.h>

#include "harness.h"
#include <asm/hvm.h>
#include <xenon/domain.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>
#include <xenon/xsm.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/xen.h>

#define RAM_GFN 0x100 /* each test domain has RAM_PAGES pages of RAM here */
#define RAM_PAGES 4
#define MAP_GFN 0x80000 /* where the caller maps resources (unpopulated space) */
#define MAX_FRAMES 8    /* the owners' grant-table maximum */
#define MAX_P2M 1024
#define MAX_DOMS 4

/* ---- Fakes: the back end's page tables ---- */

struct p2m_slot {
    struct domain *d;
    uint64_t gfn;
    mfn_t mfn;
    enum p2m_type t;
};

static struct p2m_slot p2m[MAX_P2M];
static int maps_left = -1; /* back-end maps before one fails with -ENOMEM (-1: never) */

static struct p2m_slot *slot_find(struct domain *d, uint64_t gfn)
{
    for (unsigned int i = 0; i < MAX_P2M; i++)
        if (p2m[i].d == d && (!d || p2m[i].gfn == gfn))
            return &p2m[i];
    return NULL;
}

/* As the real one: the new entry goes in, then the old one is released. */
static int fake_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    struct p2m_slot *s = slot_find(d, gfn_x(gfn)), old = {0};

    CHECK_EQ(order, 0);
    if (maps_left == 0)
        return -ENOMEM;
    if (maps_left > 0)
        maps_left--;
    if (s)
        old = *s;
    else if (!(s = slot_find(NULL, 0)))
        return -ENOMEM;
    *s = (struct p2m_slot){d, gfn_x(gfn), mfn, t};
    if (old.d)
        p2m_release(d, old.mfn, 0, old.t);
    return 0;
}

static int fake_unmap(struct domain *d, gfn_t gfn)
{
    struct p2m_slot *s = slot_find(d, gfn_x(gfn)), old;

    if (!s)
        return -ENOENT;
    old = *s;
    *s = (struct p2m_slot){0};
    p2m_release(d, old.mfn, 0, old.t);
    return 0;
}

static int fake_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t)
{
    struct p2m_slot *s = slot_find(d, gfn_x(gfn));

    if (!s)
        return -ENOENT;
    if (mfn)
        *mfn = s->mfn;
    if (t)
        *t = s->t;
    return 0;
}

static void fake_free(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_P2M; i++) {
        struct p2m_slot old = p2m[i];

        if (old.d != d)
            continue;
        p2m[i] = (struct p2m_slot){0};
        p2m_release(d, old.mfn, 0, old.t);
    }
}

static const struct hvm_vendor fake_vendor = {
    .name = "fake",
    .p2m_map = fake_map,
    .p2m_unmap = fake_unmap,
    .p2m_lookup = fake_lookup,
    .p2m_free = fake_free,
};
const struct hvm_vendor *hvm = &fake_vendor;

/* ---- Fakes: frames, pages, domains, guest memory ---- */

struct ram_page {
    struct domain *owner; /* NULL once given back */
    void *page;
    int refs;
};

static struct ram_page ram[MAX_DOMS * RAM_PAGES];
static unsigned int nr_ram, ram_released;

static struct ram_page *ram_find(mfn_t mfn)
{
    for (unsigned int i = 0; i < nr_ram; i++)
        if (mfn_x(virt_to_mfn(ram[i].page)) == mfn_x(mfn))
            return &ram[i];
    return NULL;
}

bool mm_page_owned_by(const struct domain *d, mfn_t mfn)
{
    struct ram_page *r = ram_find(mfn);

    return r && r->owner == d;
}

int mm_get_page(const struct domain *owner, mfn_t mfn)
{
    struct ram_page *r = ram_find(mfn);

    if (!r || r->owner != owner)
        return -EINVAL;
    r->refs++;
    return 0;
}

int mm_get_page_any(mfn_t mfn)
{
    struct ram_page *r = ram_find(mfn);

    if (!r)
        return -ENOENT;
    r->refs++;
    return 0;
}

void mm_put_page(mfn_t mfn)
{
    struct ram_page *r = ram_find(mfn);

    CHECK(r && r->refs > 0);
    if (r)
        r->refs--;
}

int mm_domain_release(struct domain *d, mfn_t mfn)
{
    struct ram_page *r = ram_find(mfn);

    if (!r || r->owner != d)
        return -EINVAL;
    r->owner = NULL;
    ram_released++;
    return 0;
}

static unsigned int populates;

int domain_populate(struct domain *d, gfn_t gfn, unsigned int order, unsigned int address_bits)
{
    populates++;
    return 0;
}

void domain_raise_max_gpfn(struct domain *d, uint64_t gfn)
{
    if (gfn > d->max_gpfn)
        d->max_gpfn = gfn;
}

/* ---- Fixture ---- */

struct tdom {
    struct domain *d;
    struct vcpu v;
};

static struct tdom d0, d1, d2;
static unsigned int pages_before;

static void tdom_create(struct tdom *t, domid_t id)
{
    memset(t, 0, sizeof(*t));
    t->d = calloc(1, sizeof(*t->d));
    t->d->id = id;
    t->v.domain = t->d;
    for (unsigned int i = 0; i < RAM_PAGES; i++) {
        struct ram_page *r = &ram[nr_ram++];

        r->owner = t->d;
        r->page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
        CHECK_EQ(p2m_map(t->d, _gfn(RAM_GFN + i), virt_to_mfn(r->page), 0, P2M_RAM_RW), 0);
    }
    CHECK_EQ(grant_table_init(t->d, MAX_FRAMES, 1), 0);
    unit_domain_add(t->d);
}

/* As domain_destroy: the P2M first (which drops its resource references), then the grants. */
static void tdom_destroy(struct tdom *t)
{
    if (!t->d)
        return;
    p2m_destroy(t->d);
    grant_table_destroy(t->d);
    unit_domain_remove(t->d);
    free(t->d);
    t->d = NULL;
}

static void setup(void)
{
    memset(p2m, 0, sizeof(p2m));
    maps_left = unit_allocs_left = -1;
    populates = ram_released = 0;
    CHECK_EQ(xsm_set_policy("default"), 0);
    pages_before = unit_live_pages;
    tdom_create(&d0, 0); /* the control domain: may act on the others */
    tdom_create(&d1, 1);
    tdom_create(&d2, 2);
}

static void teardown(void)
{
    tdom_destroy(&d0);
    CHECK_EQ(d1.d->refcnt, 0);
    CHECK_EQ(d2.d->refcnt, 0);
    tdom_destroy(&d1);
    tdom_destroy(&d2);
    CHECK_EQ(unit_live_pages, pages_before);
    for (unsigned int i = 0; i < nr_ram; i++) {
        CHECK_EQ(ram[i].refs, 0);
        free(ram[i].page);
    }
    nr_ram = 0;
    CHECK_EQ(unit_panics, 0);
}

static long memory_op(struct tdom *t, unsigned int cmd, void *arg)
{
    struct hypercall_args a = {__HYPERVISOR_memory_op, {cmd, (uint64_t)(uintptr_t)arg, 0, 0, 0}};

    return do_memory_op(&t->v, &a);
}

/* Map nr frames of domid's grant table from frame at gfns[]. */
static long acquire(struct tdom *t, domid_t domid, uint64_t frame, uint32_t nr, xen_pfn_t *gfns)
{
    struct xen_mem_acquire_resource r = {
        .domid = domid,
        .type = XENMEM_resource_grant_table,
        .id = XENMEM_resource_grant_table_id_shared,
        .nr_frames = nr,
        .frame = frame,
        .frame_list = (uint64_t)(uintptr_t)gfns,
    };

    return memory_op(t, XENMEM_acquire_resource, &r);
}

static long acquire_one(struct tdom *t, domid_t domid, uint64_t frame, uint64_t gfn)
{
    xen_pfn_t g = gfn;

    return acquire(t, domid, frame, 1, &g);
}

static long remove_gfn(struct tdom *t, uint64_t gfn)
{
    struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = gfn};

    return memory_op(t, XENMEM_remove_from_physmap, &x);
}

/* Is gfn of t a resource mapping of mfn, with its record? */
static bool is_resource(struct tdom *t, uint64_t gfn, mfn_t want, struct domain *owner)
{
    struct p2m_resources *r = &t->d->p2m_res;
    enum p2m_type ty;
    mfn_t mfn;

    if (p2m_lookup(t->d, _gfn(gfn), &mfn, &ty) || ty != P2M_MAP_RESOURCE ||
        mfn_x(mfn) != mfn_x(want))
        return false;
    for (unsigned int i = 0; i < r->nr; i++)
        if (r->map[i].gfn == gfn && mfn_x(r->map[i].mfn) == mfn_x(want) && r->map[i].owner == owner)
            return true;
    return false;
}

static mfn_t frame_mfn(struct tdom *owner, unsigned int idx)
{
    mfn_t m = _mfn(0);

    CHECK_EQ(grant_table_get_frames(owner->d, idx, 1, &m), 0);
    return m;
}

static uint32_t table_frames(struct tdom *t)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct hypercall_args a = {__HYPERVISOR_grant_table_op,
                               {GNTTABOP_query_size, (uint64_t)(uintptr_t)&q, 1, 0, 0}};

    CHECK_EQ(do_grant_table_op(&t->v, &a), 0);
    return q.nr_frames;
}

/* Nothing mapped, nothing held: what every failed call must leave. */
static void check_untouched(void)
{
    CHECK_EQ(d0.d->p2m_res.nr, 0);
    CHECK_EQ(d1.d->refcnt, 0);
    CHECK_EQ(d2.d->refcnt, 0);
    for (unsigned int i = 0; i < MAX_P2M; i++)
        CHECK(p2m[i].t != P2M_MAP_RESOURCE);
}

/* ---- Cases ---- */

TEST(size_query)
{
    struct xen_mem_acquire_resource r = {.domid = 1,
                                         .type = XENMEM_resource_grant_table,
                                         .id = XENMEM_resource_grant_table_id_shared};

    setup();
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), 0);
    CHECK_EQ(r.nr_frames, MAX_FRAMES);
    /* The size, not what the table has now; and asking does not grow it. */
    CHECK_EQ(table_frames(&d1), 1);
    /* frame is ignored for a size query. */
    r.nr_frames = 0;
    r.frame = 5;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), 0);
    CHECK_EQ(r.nr_frames, MAX_FRAMES);
    /* frames wanted but nowhere to put them */
    r.nr_frames = 1;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    CHECK_EQ(r.nr_frames, 1);
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, (void *)(uintptr_t)BAD_GVA), -EFAULT);
    /* The same permission as a mapping. */
    r.nr_frames = 0;
    CHECK_EQ(memory_op(&d1, XENMEM_acquire_resource,
                       &(struct xen_mem_acquire_resource){.domid = 2,
                                                          .type = XENMEM_resource_grant_table}),
             -EPERM);
    check_untouched();
    teardown();
}

TEST(decode_errors)
{
    xen_pfn_t gfns[MAX_FRAMES + 1];
    struct xen_mem_acquire_resource r;

    setup();
    for (unsigned int i = 0; i <= MAX_FRAMES; i++)
        gfns[i] = MAP_GFN + i;
    r = (struct xen_mem_acquire_resource){.domid = 1,
                                          .type = XENMEM_resource_grant_table,
                                          .nr_frames = 1,
                                          .frame_list = (uintptr_t)gfns};
    r.pad = 1;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.pad = 0;
    r.frame = 1ull << 32;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.frame = UINT32_MAX;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL); /* frame + nr wraps 32 bits */
    r.frame = 0;
    /* Other resources: not here (ioreq servers, trace buffers, unknown). */
    for (uint16_t type = 0; type < 4; type++) {
        if (type == XENMEM_resource_grant_table)
            continue;
        r.type = type;
        CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EOPNOTSUPP);
    }
    r.type = XENMEM_resource_grant_table;
    /* v1: no status frames; no other ids. */
    r.id = XENMEM_resource_grant_table_id_status;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.id = 7;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.id = XENMEM_resource_grant_table_id_shared;
    /* Whose table. */
    r.domid = 9;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -ESRCH);
    r.domid = DOMID_SELF;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -ESRCH);
    r.domid = 0;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EPERM); /* our own, as Xen */
    r.domid = 2;
    CHECK_EQ(memory_op(&d1, XENMEM_acquire_resource, &r), -EPERM); /* default policy */
    /* Which frames. */
    r.domid = 1;
    r.nr_frames = 0;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.nr_frames = MAX_FRAMES + 1;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.nr_frames = 2;
    r.frame = MAX_FRAMES - 1;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.frame = MAX_FRAMES;
    r.nr_frames = 1;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    r.frame = 0;
    /* Where to. */
    r.frame_list = BAD_GVA;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EFAULT);
    r.frame_list = (uintptr_t)gfns;
    gfns[1] = P2M_GFN_LIMIT;
    r.nr_frames = 2;
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, &r), -EINVAL);
    CHECK_EQ(memory_op(&d0, XENMEM_acquire_resource, (void *)(uintptr_t)BAD_GVA), -EFAULT);
    check_untouched();
    CHECK_EQ(table_frames(&d1), 1); /* nothing grew */
    teardown();
}

TEST(dead_owner_refused)
{
    setup();
    d1.d->state = DOMAIN_SHUTDOWN;
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), -ESRCH);
    check_untouched();
    d1.d->state = DOMAIN_RUNNING;
    teardown();
}

TEST(map_takes_a_reference_per_frame)
{
    xen_pfn_t gfns[3] = {MAP_GFN, MAP_GFN + 1, MAP_GFN + 7};
    uint64_t placed = 0x3000;

    setup();
    CHECK_EQ(acquire(&d0, 1, 0, 3, gfns), 0);
    CHECK_EQ(d1.d->refcnt, 3);
    CHECK_EQ(d0.d->p2m_res.nr, 3);
    CHECK_EQ(table_frames(&d1), 3); /* grown, as XENMAPSPACE_grant_table grows it */
    for (unsigned int i = 0; i < 3; i++)
        CHECK(is_resource(&d0, gfns[i], frame_mfn(&d1, i), d1.d));
    CHECK_EQ(d0.d->max_gpfn, MAP_GFN + 7);
    /* The very page d1 has as its grant frame 0: what d0 writes there, d1 sees. */
    CHECK_EQ(grant_table_map_frame(d1.d, 0, _gfn(placed)), 0);
    {
        mfn_t in_d0, in_d1;
        enum p2m_type t;

        CHECK_EQ(p2m_lookup(d0.d, _gfn(MAP_GFN), &in_d0, &t), 0);
        CHECK_EQ(p2m_is_writable(t), true);
        CHECK_EQ(p2m_lookup(d1.d, _gfn(placed), &in_d1, NULL), 0);
        CHECK_EQ(mfn_x(in_d0), mfn_x(in_d1));
        ((struct grant_entry_v1 *)mfn_to_virt(in_d0))[5].frame = 0x1234;
        CHECK_EQ(((struct grant_entry_v1 *)mfn_to_virt(in_d1))[5].frame, 0x1234);
    }
    /* Frames 3..7 in one more call, the last one in the table. */
    {
        xen_pfn_t more[5] = {MAP_GFN + 10, MAP_GFN + 11, MAP_GFN + 12, MAP_GFN + 13, MAP_GFN + 14};

        CHECK_EQ(acquire(&d0, 1, 3, 5, more), 0);
        CHECK_EQ(d1.d->refcnt, 8);
        CHECK_EQ(table_frames(&d1), MAX_FRAMES);
        CHECK(is_resource(&d0, MAP_GFN + 14, frame_mfn(&d1, 7), d1.d));
    }
    teardown();
}

TEST(unmap_drops_the_reference)
{
    setup();
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    CHECK_EQ(acquire_one(&d0, 2, 0, MAP_GFN + 1), 0);
    CHECK_EQ(d1.d->refcnt, 1);
    CHECK_EQ(d2.d->refcnt, 1);
    CHECK_EQ(remove_gfn(&d0, MAP_GFN), 0);
    CHECK_EQ(d1.d->refcnt, 0);
    CHECK_EQ(d2.d->refcnt, 1);
    CHECK_EQ(d0.d->p2m_res.nr, 1);
    CHECK_EQ(remove_gfn(&d0, MAP_GFN), -ENOENT);
    CHECK_EQ(d2.d->refcnt, 1);
    CHECK_EQ(remove_gfn(&d0, MAP_GFN + 1), 0);
    check_untouched();
    CHECK_EQ(ram_released, 0); /* a hypervisor page: nothing given back */
    teardown();
}

TEST(replace_drops_the_reference)
{
    struct xen_add_to_physmap si = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = MAP_GFN};

    setup();
    d0.d->shared_info = page_alloc_zeroed(0);
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    /* The same frame again at the same place: the old entry's reference goes, the new one's comes.
     */
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    CHECK_EQ(d1.d->refcnt, 1);
    CHECK_EQ(d0.d->p2m_res.nr, 1);
    /* Another owner's frame over it. */
    CHECK_EQ(acquire_one(&d0, 2, 0, MAP_GFN), 0);
    CHECK_EQ(d1.d->refcnt, 0);
    CHECK_EQ(d2.d->refcnt, 1);
    CHECK(is_resource(&d0, MAP_GFN, frame_mfn(&d2, 0), d2.d));
    /* Something else over it (Linux's privcmd never does, a guest may). */
    CHECK_EQ(memory_op(&d0, XENMEM_add_to_physmap, &si), 0);
    check_untouched();
    CHECK_EQ(remove_gfn(&d0, MAP_GFN), 0);
    /* A resource over our own RAM gives that page back, as any replacement does. */
    CHECK_EQ(acquire_one(&d0, 1, 0, RAM_GFN), 0);
    CHECK_EQ(ram_released, 1);
    CHECK_EQ(d1.d->refcnt, 1);
    page_free(d0.d->shared_info, 0);
    teardown();
}

TEST(one_frame_at_two_places)
{
    mfn_t f0;

    setup();
    f0 = frame_mfn(&d1, 0);
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN + 5), 0);
    CHECK_EQ(d1.d->refcnt, 2);
    /* Unmapping one leaves the record of the other, at its own place. */
    CHECK_EQ(remove_gfn(&d0, MAP_GFN), 0);
    CHECK_EQ(d1.d->refcnt, 1);
    CHECK(!is_resource(&d0, MAP_GFN, f0, d1.d));
    CHECK(is_resource(&d0, MAP_GFN + 5, f0, d1.d));
    CHECK_EQ(d0.d->p2m_res.nr, 1);
    teardown();
}

TEST(caller_destroy_drops_the_references)
{
    xen_pfn_t gfns[2] = {MAP_GFN, MAP_GFN + 1};

    setup();
    CHECK_EQ(acquire(&d0, 1, 0, 2, gfns), 0);
    CHECK_EQ(acquire_one(&d0, 2, 3, MAP_GFN + 2), 0);
    CHECK_EQ(d1.d->refcnt, 2);
    CHECK_EQ(d2.d->refcnt, 1);
    p2m_destroy(d0.d);
    CHECK_EQ(d1.d->refcnt, 0);
    CHECK_EQ(d2.d->refcnt, 0);
    CHECK_EQ(d0.d->p2m_res.nr, 0);
    p2m_destroy(d0.d); /* idempotent */
    teardown();
}

TEST(relinquish_drops_the_references)
{
    xen_pfn_t gfns[2] = {MAP_GFN, MAP_GFN + 1};

    setup();
    CHECK_EQ(xsm_set_policy("test"), 0);
    CHECK_EQ(acquire(&d0, 1, 0, 2, gfns), 0);
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN + 9), 0);
    /* A cycle: d1 maps d0's frame too. */
    CHECK_EQ(acquire_one(&d1, 0, 0, MAP_GFN), 0);
    CHECK_EQ(d0.d->refcnt, 1);
    CHECK_EQ(d1.d->refcnt, 3);
    p2m_relinquish_resources(d1.d);
    CHECK_EQ(d0.d->refcnt, 0);
    CHECK_EQ(p2m_lookup(d1.d, _gfn(MAP_GFN), NULL, NULL), -ENOENT);
    p2m_relinquish_resources(d0.d);
    CHECK_EQ(d1.d->refcnt, 0);
    for (unsigned int i = 0; i < MAX_P2M; i++)
        CHECK(p2m[i].t != P2M_MAP_RESOURCE);
    /* Its own RAM stays: only other domains' pages go early. */
    CHECK_EQ(p2m_lookup(d0.d, _gfn(RAM_GFN), NULL, NULL), 0);
    p2m_relinquish_resources(d0.d); /* nothing left: a no-op */
    teardown();
}

TEST(record_limit)
{
    xen_pfn_t gfns[MAX_FRAMES];
    unsigned int n = 0;

    setup();
    for (unsigned int i = 0; i < MAX_FRAMES; i++)
        gfns[i] = MAP_GFN + i;
    /* P2M_MAX_RESOURCES records: four whole tables of d1's, at different places. */
    for (unsigned int round = 0; n + MAX_FRAMES <= P2M_MAX_RESOURCES; round++) {
        for (unsigned int i = 0; i < MAX_FRAMES; i++)
            gfns[i] = MAP_GFN + round * 0x100 + i;
        CHECK_EQ(acquire(&d0, 1, 0, MAX_FRAMES, gfns), 0);
        n += MAX_FRAMES;
    }
    CHECK_EQ(n, P2M_MAX_RESOURCES);
    CHECK_EQ(p2m_resource_room(d0.d), 0);
    CHECK_EQ(acquire_one(&d0, 2, 0, MAP_GFN + 0x1000), -ENOSPC);
    /* Not even over one of them (counted before the map). */
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), -ENOSPC);
    CHECK_EQ(d1.d->refcnt, P2M_MAX_RESOURCES);
    CHECK_EQ(d2.d->refcnt, 0);
    CHECK_EQ(remove_gfn(&d0, MAP_GFN + 3), 0);
    CHECK_EQ(p2m_resource_room(d0.d), 1);
    CHECK_EQ(acquire_one(&d0, 2, 0, MAP_GFN + 0x1000), 0);
    /* Two frames with room for one: refused whole. */
    CHECK_EQ(remove_gfn(&d0, MAP_GFN + 4), 0);
    gfns[0] = MAP_GFN + 3;
    gfns[1] = MAP_GFN + 4;
    CHECK_EQ(acquire(&d0, 2, 0, 2, gfns), -ENOSPC);
    CHECK_EQ(d2.d->refcnt, 1);
    teardown();
}

TEST(partial_failure_keeps_what_was_mapped)
{
    xen_pfn_t gfns[3] = {MAP_GFN, MAP_GFN + 1, MAP_GFN + 2};

    setup();
    /* The first frame fails: its own error, nothing mapped. */
    maps_left = 0;
    CHECK_EQ(acquire(&d0, 1, 0, 3, gfns), -ENOMEM);
    check_untouched();
    /* The second fails: -EIO as Xen, the first stays with its reference. */
    maps_left = 1;
    CHECK_EQ(acquire(&d0, 1, 0, 3, gfns), -EIO);
    maps_left = -1;
    CHECK_EQ(d1.d->refcnt, 1);
    CHECK(is_resource(&d0, MAP_GFN, frame_mfn(&d1, 0), d1.d));
    CHECK_EQ(p2m_lookup(d0.d, _gfn(MAP_GFN + 1), NULL, NULL), -ENOENT);
    CHECK_EQ(remove_gfn(&d0, MAP_GFN), 0);
    check_untouched();
    teardown();
}

TEST(growing_the_table_fails)
{
    xen_pfn_t gfns[3] = {MAP_GFN, MAP_GFN + 1, MAP_GFN + 2};

    setup();
    unit_allocs_left = 2; /* frame 1 (shared + active), then nothing for frame 2 */
    CHECK_EQ(acquire(&d0, 1, 0, 3, gfns), -ENOMEM);
    unit_allocs_left = -1;
    check_untouched();
    CHECK_EQ(table_frames(&d1), 2); /* what grew stays, as in Xen */
    teardown();
}

TEST(not_ram_of_the_caller)
{
    xen_pfn_t gfn = MAP_GFN;
    struct xen_memory_reservation r = {
        .extent_start = (uintptr_t)&gfn, .nr_extents = 1, .domid = DOMID_SELF};
    mfn_t mfn;

    setup();
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    /* Not ours to give back, nor to populate over. */
    CHECK_EQ(memory_op(&d0, XENMEM_decrease_reservation, &r), -EINVAL);
    CHECK_EQ(memory_op(&d0, XENMEM_populate_physmap, &r), -EBUSY);
    CHECK_EQ(populates, 0);
    CHECK_EQ(p2m_remove(d0.d, _gfn(MAP_GFN), P2M_RAM_TYPES), -EINVAL);
    CHECK_EQ(d1.d->refcnt, 1);
    /* Nor the hypervisor's to copy through, nor anyone's to foreign-map or grant. */
    CHECK_EQ(p2m_get_page(d0.d, _gfn(MAP_GFN), 0, &mfn, NULL), -EINVAL);
    CHECK_EQ(p2m_get_page(d0.d, _gfn(MAP_GFN), P2M_GET_WRITE, &mfn, NULL), -EINVAL);
    CHECK_EQ(p2m_get_page(d0.d, _gfn(MAP_GFN), P2M_GET_OWN, &mfn, NULL), -EINVAL);
    /* Only p2m_map_resource makes such entries, records and all. */
    CHECK_EQ(p2m_map(d0.d, _gfn(MAP_GFN + 1), frame_mfn(&d1, 0), 0, P2M_MAP_RESOURCE), -EINVAL);
    CHECK_EQ(p2m_map_resource(d0.d, _gfn(MAP_GFN + 1), frame_mfn(&d0, 0), d0.d), -EINVAL);
    CHECK_EQ(p2m_map_resource(d0.d, _gfn(P2M_GFN_LIMIT), frame_mfn(&d1, 0), d1.d), -EINVAL);
    CHECK_EQ(d1.d->refcnt, 1);
    teardown();
}

TEST(grant_copy_refuses_a_resource_page)
{
    struct gnttab_copy op = {
        .source = {.u.gmfn = MAP_GFN, .domid = DOMID_SELF},
        .dest = {.u.gmfn = RAM_GFN, .domid = DOMID_SELF},
        .len = 8,
        .status = 99,
    };
    struct hypercall_args a = {__HYPERVISOR_grant_table_op,
                               {GNTTABOP_copy, (uint64_t)(uintptr_t)&op, 1, 0, 0}};

    setup();
    CHECK_EQ(acquire_one(&d0, 1, 0, MAP_GFN), 0);
    CHECK_EQ(do_grant_table_op(&d0.v, &a), 0);
    CHECK_EQ(op.status, GNTST_bad_page);
    teardown();
}
