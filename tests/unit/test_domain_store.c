// SPDX-License-Identifier: GPL-2.0-only
/*
 * A boot domain's xenstore ring (common/domain_store.c): which domains get
 * one, where the page goes, what the page, the port, the grant and the HVM
 * parameters say, module order, and the error paths, against fakes of the
 * domain list, domain memory, event channels and grant tables (their own
 * tests cover evtchn_alloc_unbound_port and grant_table_seed_v1).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/domain_store.h>
#include <xenon/event.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/io/xs_wire.h>

#define MAX_DOMS 4
#define RAM_PAGES 4096 /* 16 MiB */

/* ---- Fakes ---- */

struct fake_dom {
    struct domain d;
    uint64_t store_gfn;  /* the one page populated beyond RAM, 0 if none */
    uint8_t *store_page; /* its contents */
    unsigned int next_port;
    bool seeded;
    struct {
        grant_ref_t ref;
        domid_t grantee;
        uint64_t gfn;
        bool readonly;
    } grant;
};

static struct fake_dom doms[MAX_DOMS];
static struct domain *list; /* linked by id, as the real one */
static bool fail_populate, fail_evtchn, fail_grant;
static unsigned int crashes;

struct domain *domain_first(void) { return list; }

struct domain *domain_by_id(domid_t id)
{
    for (struct domain *d = list; d; d = d->next)
        if (d->id == id)
            return d;
    return NULL;
}

static struct fake_dom *fake_of(struct domain *d)
{
    return (struct fake_dom *)d;
}

int domain_populate(struct domain *d, gfn_t gfn, unsigned int order, unsigned int address_bits)
{
    struct fake_dom *f = fake_of(d);

    CHECK_EQ(order, 0);
    CHECK_EQ(address_bits, 0);
    if (fail_populate || d->pages.nr + 1 > d->max_pages)
        return -ENOMEM;
    CHECK_EQ(f->store_gfn, 0); /* one page, once */
    f->store_gfn = gfn_x(gfn);
    f->store_page = calloc(1, PAGE_SIZE);
    d->pages.nr++;
    d->max_gpfn = MAX(d->max_gpfn, gfn_x(gfn));
    return 0;
}

int copy_to_gpa(struct domain *d, gpaddr_t gpa, const void *src, size_t len)
{
    struct fake_dom *f = fake_of(d);
    gpaddr_t base = f->store_gfn << PAGE_SHIFT;

    if (!f->store_page || gpa < base || gpa + len > base + PAGE_SIZE)
        return -EFAULT;
    memcpy(f->store_page + (gpa - base), src, len);
    return 0;
}

int evtchn_alloc_unbound_port(struct domain *d, domid_t remote, evtchn_port_t *port)
{
    CHECK_EQ(remote, 0);
    if (fail_evtchn)
        return -ENOSPC;
    *port = ++fake_of(d)->next_port;
    return 0;
}

int grant_table_seed_v1(struct domain *d, grant_ref_t ref, domid_t grantee, gfn_t gfn,
                        bool readonly)
{
    struct fake_dom *f = fake_of(d);

    if (fail_grant)
        return -EBUSY;
    f->seeded = true;
    f->grant.ref = ref;
    f->grant.grantee = grantee;
    f->grant.gfn = gfn_x(gfn);
    f->grant.readonly = readonly;
    return 0;
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    d->state = DOMAIN_CRASHED;
    crashes++;
}

/* ---- Fixture ---- */

/* A domain as domain_build_pvh leaves it: RAM [0, ram_pages) populated, in the list. */
static struct domain *build(domid_t id, uint64_t ram_pages)
{
    struct fake_dom *f = &doms[id];
    struct domain **p;

    memset(f, 0, sizeof(*f));
    f->d.id = id;
    f->d.max_pages = ram_pages;
    f->d.pages.nr = ram_pages;
    f->d.max_gpfn = ram_pages - 1;
    for (p = &list; *p && (*p)->id < id;)
        p = &(*p)->next;
    f->d.next = *p;
    *p = &f->d;
    return &f->d;
}

static void reset(void)
{
    for (unsigned int i = 0; i < MAX_DOMS; i++) {
        free(doms[i].store_page);
        memset(&doms[i], 0, sizeof(doms[i]));
    }
    list = NULL;
    fail_populate = fail_evtchn = fail_grant = false;
    crashes = 0;
    CHECK_EQ(unit_panics, 0);
}

static uint32_t connection_of(struct domain *d)
{
    const struct xenstore_domain_interface *ring = (const void *)fake_of(d)->store_page;

    return ring->connection;
}

static bool has_ring(struct domain *d)
{
    return d->hvm_params[HVM_PARAM_STORE_PFN] || d->hvm_params[HVM_PARAM_STORE_EVTCHN] ||
           fake_of(d)->store_gfn || fake_of(d)->seeded;
}

/* Everything a ring at gfn, granted to domain 0, with port 1 means. */
static void check_ring(struct domain *d, uint64_t ram_pages, uint64_t gfn)
{
    const struct fake_dom *f = fake_of(d);
    const uint8_t *page = f->store_page;
    const size_t at = __builtin_offsetof(struct xenstore_domain_interface, connection);

    CHECK_EQ(d->hvm_params[HVM_PARAM_STORE_PFN], gfn);
    CHECK_EQ(d->hvm_params[HVM_PARAM_STORE_EVTCHN], 1);
    CHECK_EQ(f->store_gfn, gfn);
    /* Its own RAM, one page more than it was given, and counted as such. */
    CHECK_EQ(d->max_pages, ram_pages + 1);
    CHECK_EQ(d->pages.nr, ram_pages + 1);
    CHECK(f->seeded);
    CHECK_EQ(f->grant.ref, GNTTAB_RESERVED_XENSTORE);
    CHECK_EQ(f->grant.grantee, 0);
    CHECK_EQ(f->grant.gfn, gfn);
    CHECK(!f->grant.readonly); /* xenstored writes replies into it */
    /* Not served yet: Linux waits for the port. Everything else zero. */
    CHECK_EQ(connection_of(d), XENSTORE_RECONNECT);
    for (size_t i = 0; i < PAGE_SIZE; i++)
        if (i < at || i >= at + sizeof(uint32_t))
            CHECK_EQ(page[i], 0);
}

/* ---- Cases ---- */

TEST(domu_gets_ring_with_dom0)
{
    struct domain *d0 = build(0, RAM_PAGES), *d1;

    CHECK_EQ(domain_store_setup(d0), 0);
    CHECK(!has_ring(d0)); /* its kernel keeps a local ring; xenstored runs there */
    CHECK_EQ(d0->max_pages, RAM_PAGES);
    d1 = build(1, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d1), 0);
    check_ring(d1, RAM_PAGES, DOMAIN_STORE_GFN);
    CHECK_EQ(crashes, 0);
    reset();
}

TEST(no_dom0_no_ring)
{
    struct domain *d1 = build(1, RAM_PAGES), *d2 = build(2, RAM_PAGES);

    /* Micro-guests without a control domain stay exactly as built. */
    CHECK_EQ(domain_store_setup(d1), 0);
    CHECK_EQ(domain_store_setup(d2), 0);
    CHECK(!has_ring(d1));
    CHECK(!has_ring(d2));
    CHECK_EQ(d1->max_pages, RAM_PAGES);
    CHECK_EQ(d1->pages.nr, RAM_PAGES);
    reset();
}

TEST(dom0_after_domus)
{
    struct domain *d1 = build(1, RAM_PAGES), *d3 = build(3, 2 * RAM_PAGES), *d0;

    CHECK_EQ(domain_store_setup(d1), 0);
    CHECK_EQ(domain_store_setup(d3), 0);
    CHECK(!has_ring(d1));
    /* Domain 0 comes last: the DomUs before it get their rings now, once each. */
    d0 = build(0, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d0), 0);
    check_ring(d1, RAM_PAGES, DOMAIN_STORE_GFN);
    check_ring(d3, 2 * RAM_PAGES, DOMAIN_STORE_GFN);
    CHECK(!has_ring(d0));
    CHECK_EQ(crashes, 0);
    reset();
}

TEST(big_guest_ring_above_ram)
{
    uint64_t ram = DOMAIN_STORE_GFN + 16;
    struct domain *d0 = build(0, RAM_PAGES), *d1;

    CHECK_EQ(domain_store_setup(d0), 0);
    /* RAM covers the usual frame: the page goes just above RAM instead. */
    d1 = build(1, ram);
    CHECK_EQ(domain_store_setup(d1), 0);
    check_ring(d1, ram, ram);
    reset();
}

TEST(errors_fail_the_domain)
{
    struct domain *d0 = build(0, RAM_PAGES), *d1, *d2, *d3;

    CHECK_EQ(domain_store_setup(d0), 0);
    /* Each failure is the new domain's: its builder destroys it. */
    fail_populate = true;
    d1 = build(1, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d1), -ENOMEM);
    CHECK_EQ(d1->hvm_params[HVM_PARAM_STORE_PFN], 0);
    fail_populate = false;
    fail_evtchn = true;
    d2 = build(2, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d2), -ENOSPC);
    CHECK_EQ(d2->hvm_params[HVM_PARAM_STORE_PFN], 0);
    CHECK(!fake_of(d2)->seeded);
    fail_evtchn = false;
    fail_grant = true;
    d3 = build(3, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d3), -EBUSY);
    CHECK_EQ(d3->hvm_params[HVM_PARAM_STORE_PFN], 0);
    CHECK_EQ(d3->hvm_params[HVM_PARAM_STORE_EVTCHN], 0);
    CHECK_EQ(crashes, 0);
    reset();
}

TEST(errors_before_dom0_crash_the_domu)
{
    struct domain *d1 = build(1, RAM_PAGES), *d2 = build(2, RAM_PAGES), *d0;

    CHECK_EQ(domain_store_setup(d1), 0);
    CHECK_EQ(domain_store_setup(d2), 0);
    /* Domain 0 itself still builds; a DomU left without its ring is crashed, not half-served. */
    fail_evtchn = true;
    d0 = build(0, RAM_PAGES);
    CHECK_EQ(domain_store_setup(d0), 0);
    CHECK_EQ(crashes, 2);
    CHECK_EQ(d1->state, DOMAIN_CRASHED);
    CHECK_EQ(d2->state, DOMAIN_CRASHED);
    CHECK_EQ(d0->state, DOMAIN_RUNNING);
    CHECK_EQ(d1->hvm_params[HVM_PARAM_STORE_PFN], 0);
    reset();
}
