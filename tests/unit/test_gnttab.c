// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables (common/grant_table.c): the pin/status state machine, map,
 * unmap, copy, limits, error paths and teardown when either side dies,
 * against small fakes of the P2M, guest memory (a guest address is a host
 * pointer here), the page allocator and access control.
 */
#include <string.h>

#include "harness.h"
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
#define TABLE_GFN 0x1000 /* where the granter puts grant frame 0 */
#define MAP_GFN 0x2000   /* where the mapper maps grants */
#define MAX_P2M 1024
#define MAPTRACK_PER_PAGE (4096 / 24)

/* ---- Fakes ---- */

struct p2m_slot {
    struct domain *d;
    uint64_t gfn;
    mfn_t mfn;
    enum p2m_type t;
};

static struct p2m_slot p2m[MAX_P2M];
static unsigned int p2m_unmaps;
static bool deny_grant, deny_control;

static struct p2m_slot *p2m_find(struct domain *d, uint64_t gfn)
{
    for (unsigned int i = 0; i < MAX_P2M; i++)
        if (p2m[i].d == d && p2m[i].gfn == gfn)
            return &p2m[i];
    return NULL;
}

int p2m_map(struct domain *d, gfn_t gfn, mfn_t mfn, unsigned int order, enum p2m_type t)
{
    struct p2m_slot *s = p2m_find(d, gfn_x(gfn));

    CHECK_EQ(order, 0);
    if (!s)
        s = p2m_find(NULL, 0);
    if (!s)
        return -ENOMEM;
    *s = (struct p2m_slot){d, gfn_x(gfn), mfn, t};
    return 0;
}

int p2m_unmap(struct domain *d, gfn_t gfn)
{
    struct p2m_slot *s = p2m_find(d, gfn_x(gfn));

    if (!s)
        return -ENOENT;
    *s = (struct p2m_slot){0};
    p2m_unmaps++;
    return 0;
}

int p2m_lookup(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t)
{
    struct p2m_slot *s = p2m_find(d, gfn_x(gfn));

    if (!s || !d)
        return -ENOENT;
    if (mfn)
        *mfn = s->mfn;
    if (t)
        *t = s->t;
    return 0;
}

void *gfn_to_virt(struct domain *d, gfn_t gfn, bool write)
{
    enum p2m_type t;
    mfn_t mfn;

    if (p2m_lookup(d, gfn, &mfn, &t) || (write && !p2m_is_writable(t)))
        return NULL;
    return mfn_to_virt(mfn);
}

/*
 * Frame references (mm.c): counted, so a test can see that every reference
 * the grant code takes is dropped. A domain's own RAM is what tdom_create
 * maps at RAM_GFN; grant frames are hypervisor pages.
 */
static int page_refs;

int p2m_get_page(struct domain *d, gfn_t gfn, unsigned int flags, mfn_t *mfn, enum p2m_type *t)
{
    struct p2m_slot *s = d ? p2m_find(d, gfn_x(gfn)) : NULL;
    bool own_ram;

    if (!s)
        return -ENOENT;
    own_ram = p2m_is_ram(s->t) && s->gfn >= RAM_GFN && s->gfn < RAM_GFN + RAM_PAGES;
    if ((flags & P2M_GET_OWN) && !own_ram)
        return -EINVAL;
    if ((flags & P2M_GET_WRITE) && !p2m_is_writable(s->t))
        return -EINVAL;
    *mfn = s->mfn;
    if (t)
        *t = s->t;
    if (p2m_is_ram(s->t) && !own_ram)
        return 1;
    page_refs++;
    return 0;
}

void mm_put_page(mfn_t mfn)
{
    CHECK(page_refs > 0);
    page_refs--;
}

int xsm_grant_access(const struct domain *mapper, const struct domain *granter)
{
    return deny_grant ? -EPERM : 0;
}

int xsm_domain_control(const struct domain *caller, const struct domain *target)
{
    return caller == target || !deny_control ? 0 : -EPERM;
}

/* ---- Fixture ---- */

struct tdom {
    struct domain *d;
    struct vcpu v;
    uint8_t *ram[RAM_PAGES];
    struct grant_entry_v1 *entries; /* grant frame 0, as the guest sees it */
};

static void tdom_create(struct tdom *t, domid_t id, unsigned int max_maptrack_pages)
{
    memset(t, 0, sizeof(*t));
    t->d = calloc(1, sizeof(*t->d));
    t->d->id = id;
    t->v.domain = t->d;
    for (unsigned int i = 0; i < RAM_PAGES; i++) {
        t->ram[i] = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
        memset(t->ram[i], 0, PAGE_SIZE);
        CHECK_EQ(p2m_map(t->d, _gfn(RAM_GFN + i), virt_to_mfn(t->ram[i]), 0, P2M_RAM_RW), 0);
    }
    CHECK_EQ(grant_table_init(t->d, GNTTAB_DEFAULT_MAX_FRAMES, max_maptrack_pages), 0);
    CHECK_EQ(grant_table_map_frame(t->d, 0, _gfn(TABLE_GFN)), 0);
    t->entries = gfn_to_virt(t->d, _gfn(TABLE_GFN), true);
    CHECK(t->entries != NULL);
}

/* As domain_destroy: grants first, then the P2M, then the RAM. */
static void tdom_destroy(struct tdom *t)
{
    if (!t->d)
        return;
    grant_table_destroy(t->d);
    for (unsigned int i = 0; i < MAX_P2M; i++)
        if (p2m[i].d == t->d)
            p2m[i] = (struct p2m_slot){0};
    for (unsigned int i = 0; i < RAM_PAGES; i++)
        free(t->ram[i]);
    free(t->d);
    t->d = NULL;
}

/* The granter's side of the protocol: frame and domid first, then the flags. */
static void grant(struct tdom *g, grant_ref_t ref, domid_t to, uint64_t gfn, uint16_t flags)
{
    g->entries[ref].domid = to;
    g->entries[ref].frame = (uint32_t)gfn;
    __atomic_store_n(&g->entries[ref].flags, flags, __ATOMIC_RELEASE);
}

static long gnttab_op(struct tdom *t, unsigned int cmd, void *arg, unsigned int count)
{
    struct hypercall_args a = {__HYPERVISOR_grant_table_op,
                               {cmd, (uint64_t)(uintptr_t)arg, count, 0, 0}};

    return do_grant_table_op(&t->v, &a);
}

/* Map ref of granter into t at gfn; returns the status, the handle in *h. */
static int16_t map(struct tdom *t, domid_t granter, grant_ref_t ref, uint64_t gfn, uint32_t flags,
                   grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << PAGE_SHIFT, .flags = flags, .ref = ref, .dom = granter, .status = 99};

    CHECK_EQ(gnttab_op(t, GNTTABOP_map_grant_ref, &op, 1), 0);
    if (h)
        *h = op.handle;
    return op.status;
}

static int16_t unmap(struct tdom *t, grant_handle_t h, uint64_t gfn)
{
    struct gnttab_unmap_grant_ref op = {.host_addr = gfn << PAGE_SHIFT, .handle = h, .status = 99};

    CHECK_EQ(gnttab_op(t, GNTTABOP_unmap_grant_ref, &op, 1), 0);
    return op.status;
}

static int16_t copy(struct tdom *t, const struct gnttab_copy *in)
{
    struct gnttab_copy op = *in;

    op.status = 99;
    CHECK_EQ(gnttab_op(t, GNTTABOP_copy, &op, 1), 0);
    return op.status;
}

static uint16_t flags_of(struct tdom *g, grant_ref_t ref)
{
    return __atomic_load_n(&g->entries[ref].flags, __ATOMIC_ACQUIRE);
}

static bool mapped(struct tdom *t, uint64_t gfn, void *page, enum p2m_type want)
{
    mfn_t mfn;
    enum p2m_type ty;

    return !p2m_lookup(t->d, _gfn(gfn), &mfn, &ty) && mfn_x(mfn) == mfn_x(virt_to_mfn(page)) &&
           ty == want;
}

static struct tdom d1, d2, d3;
static unsigned int pages_before;

static void setup(unsigned int d2_maptrack_pages)
{
    memset(p2m, 0, sizeof(p2m));
    deny_grant = deny_control = false;
    unit_allocs_left = -1;
    pages_before = unit_live_pages;
    tdom_create(&d1, 1, GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    tdom_create(&d2, 2, d2_maptrack_pages);
    tdom_create(&d3, 3, GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
}

static void teardown(void)
{
    tdom_destroy(&d1);
    tdom_destroy(&d2);
    tdom_destroy(&d3);
    CHECK_EQ(unit_live_pages, pages_before);
    CHECK_EQ(page_refs, 0);
    CHECK_EQ(unit_panics, 0);
}

/* ---- Cases ---- */

TEST(permit_by_domid)
{
    grant_handle_t h;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    strcpy((char *)d1.ram[0], "hello from d1");
    /* Granted to d3, not d2: refused, and the entry is left alone. */
    grant(&d1, 8, 3, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_permission_denied);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    CHECK(p2m_lookup(d2.d, _gfn(MAP_GFN), NULL, NULL) == -ENOENT);
    /* Not a permit-access grant at all. */
    grant(&d1, 9, 2, RAM_GFN, GTF_accept_transfer);
    CHECK_EQ(map(&d2, 1, 9, MAP_GFN, GNTMAP_host_map, &h), GNTST_permission_denied);
    grant(&d1, 10, 2, RAM_GFN, GTF_invalid);
    CHECK_EQ(map(&d2, 1, 10, MAP_GFN, GNTMAP_host_map, &h), GNTST_permission_denied);
    /* Granted to d2: mapped writable at the GFN it asked for. */
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[0], P2M_GRANT_MAP_RW));
    CHECK(!strcmp(gfn_to_virt(d2.d, _gfn(MAP_GFN), false), "hello from d1"));
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access | GTF_reading | GTF_writing);
    /* While pinned for d2, d3 cannot use it even if the granter retargets the entry. */
    d1.entries[8].domid = 3;
    CHECK_EQ(map(&d3, 1, 8, MAP_GFN, GNTMAP_host_map, NULL), GNTST_permission_denied);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    teardown();
}

TEST(readonly_enforced)
{
    grant_handle_t h;
    struct gnttab_copy c = {.source = {.u.gmfn = RAM_GFN, .domid = DOMID_SELF},
                            .dest = {.u.ref = 5, .domid = 1},
                            .len = 8,
                            .flags = GNTCOPY_dest_gref};

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 5, 2, RAM_GFN + 1, GTF_permit_access | GTF_readonly);
    /* Writable mapping of a read-only grant: refused, no status bit left behind. */
    CHECK_EQ(map(&d2, 1, 5, MAP_GFN, GNTMAP_host_map, &h), GNTST_permission_denied);
    CHECK_EQ(flags_of(&d1, 5), GTF_permit_access | GTF_readonly);
    /* Read-only mapping: RO in d2's P2M, only GTF_reading. */
    CHECK_EQ(map(&d2, 1, 5, MAP_GFN, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[1], P2M_GRANT_MAP_RO));
    CHECK(gfn_to_virt(d2.d, _gfn(MAP_GFN), true) == NULL);
    CHECK_EQ(flags_of(&d1, 5), GTF_permit_access | GTF_readonly | GTF_reading);
    /* Upgrading through a second, writable mapping is refused too. */
    CHECK_EQ(map(&d2, 1, 5, MAP_GFN + 1, GNTMAP_host_map, NULL), GNTST_permission_denied);
    /* And a copy into it. */
    CHECK_EQ(copy(&d2, &c), GNTST_permission_denied);
    CHECK_EQ(flags_of(&d1, 5), GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 5), GTF_permit_access | GTF_readonly);
    teardown();
}

TEST(status_bits_follow_pins)
{
    grant_handle_t ro, rw;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map | GNTMAP_readonly, &ro), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access | GTF_reading);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN + 1, GNTMAP_host_map, &rw), GNTST_okay);
    CHECK(ro != rw);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access | GTF_reading | GTF_writing);
    CHECK(grant_table_mfn_in_use(d1.d, virt_to_mfn(d1.ram[0])));
    CHECK(!grant_table_mfn_in_use(d1.d, virt_to_mfn(d1.ram[1])));
    /* Writable one gone: GTF_writing cleared, GTF_reading stays. */
    CHECK_EQ(unmap(&d2, rw, MAP_GFN + 1), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access | GTF_reading);
    CHECK(p2m_lookup(d2.d, _gfn(MAP_GFN + 1), NULL, NULL) == -ENOENT);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[0], P2M_GRANT_MAP_RO));
    CHECK_EQ(unmap(&d2, ro, MAP_GFN), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    CHECK(!grant_table_mfn_in_use(d1.d, virt_to_mfn(d1.ram[0])));
    /* A grant mapping already at the GFN is not silently replaced. */
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &rw), GNTST_okay);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, NULL), GNTST_bad_virt_addr);
    CHECK_EQ(unmap(&d2, rw, MAP_GFN), GNTST_okay);
    teardown();
}

TEST(double_unmap)
{
    grant_handle_t h;
    struct gnttab_unmap_grant_ref dev = {.dev_bus_addr = 0x1000};

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    /* Wrong address or a device address: refused, the mapping stays. */
    CHECK_EQ(unmap(&d2, h, MAP_GFN + 7), GNTST_general_error);
    dev.handle = h;
    dev.host_addr = (uint64_t)MAP_GFN << PAGE_SHIFT;
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_unmap_grant_ref, &dev, 1), 0);
    CHECK_EQ(dev.status, GNTST_bad_dev_addr);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[0], P2M_GRANT_MAP_RW));
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_bad_handle);
    CHECK_EQ(unmap(&d2, 0xffffffu, MAP_GFN), GNTST_bad_handle);
    CHECK_EQ(unmap(&d3, h, MAP_GFN), GNTST_bad_handle); /* handles are per domain */
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    teardown();
}

TEST(maptrack_exhaustion)
{
    grant_handle_t h[MAPTRACK_PER_PAGE + 1];

    setup(1); /* d2 may hold one maptrack page of mappings */
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    for (unsigned int i = 0; i < MAPTRACK_PER_PAGE; i++)
        CHECK_EQ(map(&d2, 1, 8, MAP_GFN + i, GNTMAP_host_map | GNTMAP_readonly, &h[i]), GNTST_okay);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN + MAPTRACK_PER_PAGE, GNTMAP_host_map | GNTMAP_readonly, NULL),
             GNTST_no_space);
    CHECK(p2m_lookup(d2.d, _gfn(MAP_GFN + MAPTRACK_PER_PAGE), NULL, NULL) == -ENOENT);
    /* One handle back: the next map gets it. */
    CHECK_EQ(unmap(&d2, h[3], MAP_GFN + 3), GNTST_okay);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN + 3, GNTMAP_host_map | GNTMAP_readonly, &h[3]), GNTST_okay);
    for (unsigned int i = 0; i < MAPTRACK_PER_PAGE; i++)
        CHECK_EQ(unmap(&d2, h[i], MAP_GFN + i), GNTST_okay);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    teardown();
}

TEST(copy_both_ways)
{
    struct gnttab_copy in = {.source = {.u.ref = 8, .domid = 1, .offset = 100},
                             .dest = {.u.gmfn = RAM_GFN + 2, .domid = DOMID_SELF, .offset = 200},
                             .len = 6,
                             .flags = GNTCOPY_source_gref};
    struct gnttab_copy out = {.source = {.u.gmfn = RAM_GFN + 2, .domid = DOMID_SELF, .offset = 200},
                              .dest = {.u.ref = 8, .domid = 1, .offset = 4090},
                              .len = 6,
                              .flags = GNTCOPY_dest_gref};

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    memcpy(d1.ram[0] + 100, "gnttab", 6);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(copy(&d2, &in), GNTST_okay);
    CHECK(!memcmp(d2.ram[2] + 200, "gnttab", 6));
    CHECK_EQ(copy(&d2, &out), GNTST_okay); /* ends exactly at the page end */
    CHECK(!memcmp(d1.ram[0] + 4090, "gnttab", 6));
    /* No pin outlives the copy. */
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    /* Crossing the page end on either side. */
    out.dest.offset = 4091;
    CHECK_EQ(copy(&d2, &out), GNTST_bad_copy_arg);
    in.source.offset = 4095;
    in.len = 2;
    CHECK_EQ(copy(&d2, &in), GNTST_bad_copy_arg);
    /* A frame of another domain cannot be named directly. */
    in = (struct gnttab_copy){.source = {.u.gmfn = RAM_GFN, .domid = 1},
                              .dest = {.u.gmfn = RAM_GFN, .domid = DOMID_SELF},
                              .len = 1};
    CHECK_EQ(copy(&d2, &in), GNTST_permission_denied);
    /* A local frame that is not there. */
    in.source.domid = DOMID_SELF;
    in.source.u.gmfn = 0x7777;
    CHECK_EQ(copy(&d2, &in), GNTST_bad_page);
    /* Not granted to the copier. */
    grant(&d1, 9, 3, RAM_GFN, GTF_permit_access);
    out.dest = (struct gnttab_copy_ptr){.u.ref = 9, .domid = 1};
    CHECK_EQ(copy(&d2, &out), GNTST_permission_denied);
    CHECK_EQ(flags_of(&d1, 9), GTF_permit_access);
    teardown();
}

TEST(bad_refs_and_args)
{
    grant_handle_t h;
    struct gnttab_map_grant_ref op = {0};

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 512, MAP_GFN, GNTMAP_host_map, &h),
             GNTST_bad_gntref); /* one frame: 512 refs */
    CHECK_EQ(map(&d2, 1, 0xffffffffu, MAP_GFN, GNTMAP_host_map, &h), GNTST_bad_gntref);
    CHECK_EQ(map(&d2, 42, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_bad_domain);
    CHECK_EQ(map(&d2, DOMID_SELF, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_bad_domain);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, 0, &h), GNTST_bad_gntref);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map | GNTMAP_device_map, &h), GNTST_general_error);
    CHECK_EQ(map(&d2, 1, 8, 1ull << 40, GNTMAP_host_map, &h), GNTST_bad_virt_addr);
    op = (struct gnttab_map_grant_ref){
        .host_addr = (MAP_GFN << PAGE_SHIFT) + 8, .flags = GNTMAP_host_map, .ref = 8, .dom = 1};
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_map_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_bad_virt_addr);
    /* A grant of a frame the granter does not have: bad page, no status bits left. */
    grant(&d1, 11, 2, 0x9999, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 11, MAP_GFN, GNTMAP_host_map, &h), GNTST_bad_page);
    CHECK_EQ(flags_of(&d1, 11), GTF_permit_access);
    /* Access control says no. */
    deny_grant = true;
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_permission_denied);
    deny_grant = false;
    /* The hypercall itself: bad memory, bad count, unknown op. */
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_map_grant_ref, (void *)(uintptr_t)BAD_GVA, 1), -EFAULT);
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_map_grant_ref, &op, 0x80000000u), -EINVAL);
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_map_grant_ref, NULL, 0), 0);
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_transfer, &op, 1), -ENOSYS);
    CHECK_EQ(gnttab_op(&d2, 99, &op, 1), -ENOSYS);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    teardown();
}

TEST(granter_dies_while_mapped)
{
    grant_handle_t h, h3;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    grant(&d3, 8, 2, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK_EQ(map(&d2, 3, 8, MAP_GFN + 1, GNTMAP_host_map, &h3), GNTST_okay);
    memset(d1.ram[0], 0x5a, PAGE_SIZE);
    p2m_unmaps = 0;
    tdom_destroy(&d1);
    /*
     * d1's frame left d2's P2M before d1's memory went, and d2's own zeroed
     * page stands in: a back end still writing there is not faulted. d3's
     * mapping is untouched.
     */
    CHECK_EQ(p2m_unmaps, 1);
    {
        uint8_t *stand_in = gfn_to_virt(d2.d, _gfn(MAP_GFN), true);
        enum p2m_type ty = P2M_INVALID;

        CHECK(p2m_lookup(d2.d, _gfn(MAP_GFN), NULL, &ty) == 0 && ty == P2M_GRANT_MAP_RW);
        CHECK(stand_in != NULL && stand_in[0] == 0 && stand_in[PAGE_SIZE - 1] == 0);
    }
    CHECK(mapped(&d2, MAP_GFN + 1, d3.ram[0], P2M_GRANT_MAP_RW));
    /* d1 is gone: no new mapping; the old handle unmaps once, the stand-in with it. */
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN + 2, GNTMAP_host_map, NULL), GNTST_bad_domain);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK(p2m_lookup(d2.d, _gfn(MAP_GFN), NULL, NULL) == -ENOENT);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_bad_handle);
    CHECK_EQ(unmap(&d2, h3, MAP_GFN + 1), GNTST_okay);
    CHECK_EQ(flags_of(&d3, 8), GTF_permit_access);
    teardown();
}

TEST(mapper_dies_while_mapped)
{
    grant_handle_t h;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    grant(&d1, 9, 2, RAM_GFN + 1, GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK_EQ(map(&d2, 1, 9, MAP_GFN + 1, GNTMAP_host_map | GNTMAP_readonly, &h), GNTST_okay);
    CHECK(grant_table_mfn_in_use(d1.d, virt_to_mfn(d1.ram[0])));
    tdom_destroy(&d2);
    /* The pins went with d2: the granter sees its grants idle again. */
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    CHECK_EQ(flags_of(&d1, 9), GTF_permit_access | GTF_readonly);
    CHECK(!grant_table_mfn_in_use(d1.d, virt_to_mfn(d1.ram[0])));
    /* And may give them to someone else. */
    d1.entries[8].domid = 3;
    CHECK_EQ(map(&d3, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK_EQ(unmap(&d3, h, MAP_GFN), GNTST_okay);
    teardown();
}

TEST(self_grant_and_teardown)
{
    grant_handle_t h;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 1, RAM_GFN, GTF_permit_access);
    CHECK_EQ(map(&d1, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK(mapped(&d1, MAP_GFN, d1.ram[0], P2M_GRANT_MAP_RW));
    /* Dying with a mapping of its own grant: no pin may survive (BUG_ON otherwise). */
    tdom_destroy(&d1);
    teardown();
}

TEST(frames_setup_and_query)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_set_version sv = {.version = 2};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    uint64_t frames[4] = {0};
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 4, .frame_list = (uint64_t)(uintptr_t)frames};

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);
    CHECK_EQ(q.max_nr_frames, GNTTAB_DEFAULT_MAX_FRAMES);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_query_size, &q, 2), -EINVAL);
    /* Placing frame 2 grows the table to 3; moving frame 0 unmaps its old place. */
    CHECK_EQ(grant_table_map_frame(d1.d, 2, _gfn(TABLE_GFN + 2)), 0);
    CHECK_EQ(grant_table_map_frame(d1.d, 0, _gfn(TABLE_GFN + 5)), 0);
    CHECK(p2m_lookup(d1.d, _gfn(TABLE_GFN), NULL, NULL) == -ENOENT);
    CHECK_EQ(grant_table_map_frame(d1.d, GNTTAB_DEFAULT_MAX_FRAMES, _gfn(TABLE_GFN)), -EINVAL);
    CHECK_EQ(grant_table_map_frame(d1.d, XENMAPIDX_grant_table_status, _gfn(TABLE_GFN)), -EINVAL);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(frames[0], TABLE_GFN + 5);
    CHECK_EQ(frames[1], UINT64_MAX);
    CHECK_EQ(frames[2], TABLE_GFN + 2);
    CHECK_EQ(frames[3], UINT64_MAX);
    st.nr_frames = GNTTAB_DEFAULT_MAX_FRAMES + 1;
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_general_error);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, 4);
    /* Another domain's size: only if access control allows. */
    q.dom = 1;
    deny_control = true;
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_permission_denied);
    q.dom = 77;
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_bad_domain);
    /* Version 1 only. */
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_set_version, &sv, 1), -ENOSYS);
    CHECK_EQ(sv.version, 1);
    sv.version = 3;
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_set_version, &sv, 1), -EINVAL);
    sv.version = 1;
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 1);
    gv.dom = 1;
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_get_version, &gv, 1), -EPERM);
    gv.dom = 77;
    CHECK_EQ(gnttab_op(&d2, GNTTABOP_get_version, &gv, 1), -ESRCH);
    teardown();
}

TEST(grants_in_grown_frames)
{
    grant_handle_t h;
    struct grant_entry_v1 *f1;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    CHECK_EQ(grant_table_map_frame(d1.d, 1, _gfn(TABLE_GFN + 1)), 0);
    f1 = gfn_to_virt(d1.d, _gfn(TABLE_GFN + 1), true);
    f1[3] = (struct grant_entry_v1){GTF_permit_access, 2, RAM_GFN + 3};
    CHECK_EQ(map(&d2, 1, 512 + 3, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[3], P2M_GRANT_MAP_RW));
    CHECK_EQ(f1[3].flags, GTF_permit_access | GTF_reading | GTF_writing);
    /* A frame the granter grants must be its own memory, not another grant mapping. */
    grant(&d2, 8, 3, MAP_GFN, GTF_permit_access);
    CHECK_EQ(map(&d3, 2, 8, MAP_GFN, GNTMAP_host_map, NULL), GNTST_bad_page);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK_EQ(f1[3].flags, GTF_permit_access);
    teardown();
}

TEST(allocation_failures)
{
    struct domain *d = calloc(1, sizeof(*d));
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    grant_handle_t h;
    unsigned int before = unit_live_pages;

    /* A table whose first frame cannot be had: nothing half-built stays behind. */
    for (int n = 0; n < 3; n++) {
        unit_allocs_left = n;
        CHECK_EQ(grant_table_init(d, 4, 1), -ENOMEM);
        CHECK(d->grant_table == NULL);
        CHECK_EQ(unit_live_pages, before);
    }
    unit_allocs_left = -1;
    CHECK_EQ(grant_table_init(d, 0, 1), -EINVAL);
    CHECK_EQ(grant_table_init(d, GNTTAB_MAX_FRAMES + 1, 1), -EINVAL);
    free(d);

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    grant(&d1, 8, 2, RAM_GFN, GTF_permit_access);
    /* No page for d2's first maptrack page: the map fails cleanly. */
    unit_allocs_left = 0;
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_no_space);
    CHECK_EQ(flags_of(&d1, 8), GTF_permit_access);
    /* No page to grow the table: add_to_physmap fails, the table keeps its size. */
    CHECK_EQ(grant_table_map_frame(d1.d, 3, _gfn(TABLE_GFN + 3)), -ENOMEM);
    unit_allocs_left = 3; /* frame 1 whole (two pages), frame 2 half: only frame 1 stays */
    CHECK_EQ(grant_table_map_frame(d1.d, 2, _gfn(TABLE_GFN + 2)), -ENOMEM);
    unit_allocs_left = -1;
    CHECK(p2m_lookup(d1.d, _gfn(TABLE_GFN + 2), NULL, NULL) == -ENOENT);
    CHECK_EQ(gnttab_op(&d1, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, 2);
    CHECK_EQ(map(&d2, 1, 8, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    teardown();
}

/* The hypervisor fills a reserved entry for the guest (a boot domain's xenstore page for d0). */
TEST(seed_reserved_entry)
{
    grant_handle_t h;

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    strcpy((char *)d1.ram[1], "ring");
    CHECK_EQ(grant_table_seed_v1(d1.d, GNTTAB_RESERVED_XENSTORE, 2, _gfn(RAM_GFN + 1), false), 0);
    /* The guest sees what it would have written itself. */
    CHECK_EQ(flags_of(&d1, GNTTAB_RESERVED_XENSTORE), GTF_permit_access);
    CHECK_EQ(d1.entries[GNTTAB_RESERVED_XENSTORE].domid, 2);
    CHECK_EQ(d1.entries[GNTTAB_RESERVED_XENSTORE].frame, RAM_GFN + 1);
    /* Only the grantee maps it, writable. */
    CHECK_EQ(map(&d3, 1, GNTTAB_RESERVED_XENSTORE, MAP_GFN, GNTMAP_host_map, &h),
             GNTST_permission_denied);
    CHECK_EQ(map(&d2, 1, GNTTAB_RESERVED_XENSTORE, MAP_GFN, GNTMAP_host_map, &h), GNTST_okay);
    CHECK(mapped(&d2, MAP_GFN, d1.ram[1], P2M_GRANT_MAP_RW));
    /* In use: not re-seeded under the mapper, and left as it was. */
    CHECK_EQ(grant_table_seed_v1(d1.d, GNTTAB_RESERVED_XENSTORE, 3, _gfn(RAM_GFN), false), -EBUSY);
    CHECK_EQ(d1.entries[GNTTAB_RESERVED_XENSTORE].domid, 2);
    CHECK_EQ(d1.entries[GNTTAB_RESERVED_XENSTORE].frame, RAM_GFN + 1);
    CHECK_EQ(unmap(&d2, h, MAP_GFN), GNTST_okay);
    CHECK_EQ(flags_of(&d1, GNTTAB_RESERVED_XENSTORE), GTF_permit_access);
    /* Read-only: a writable map is refused, a read-only one works. */
    CHECK_EQ(grant_table_seed_v1(d1.d, GNTTAB_RESERVED_XENSTORE, 3, _gfn(RAM_GFN), true), 0);
    CHECK_EQ(flags_of(&d1, GNTTAB_RESERVED_XENSTORE), GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(&d3, 1, GNTTAB_RESERVED_XENSTORE, MAP_GFN, GNTMAP_host_map, &h),
             GNTST_permission_denied);
    CHECK_EQ(map(&d3, 1, GNTTAB_RESERVED_XENSTORE, MAP_GFN, GNTMAP_host_map | GNTMAP_readonly, &h),
             GNTST_okay);
    CHECK(mapped(&d3, MAP_GFN, d1.ram[0], P2M_GRANT_MAP_RO));
    CHECK_EQ(unmap(&d3, h, MAP_GFN), GNTST_okay);
    teardown();
}

TEST(seed_errors)
{
    struct domain bare = { .id = 9 };

    setup(GNTTAB_DEFAULT_MAX_MAPTRACK_PAGES);
    /* One frame so far: refs past it do not exist yet. */
    CHECK_EQ(grant_table_seed_v1(d1.d, 4096 / 8, 0, _gfn(RAM_GFN), false), -EINVAL);
    CHECK_EQ(grant_table_seed_v1(d1.d, 4096 / 8 - 1, 0, _gfn(RAM_GFN), false), 0);
    /* A v1 entry holds a 32-bit frame number. */
    CHECK_EQ(grant_table_seed_v1(d1.d, 1, 0, _gfn(1ull << 32), false), -EINVAL);
    CHECK_EQ(flags_of(&d1, 1), GTF_invalid);
    CHECK_EQ(grant_table_seed_v1(&bare, 1, 0, _gfn(RAM_GFN), false), -EINVAL);
    teardown();
}
