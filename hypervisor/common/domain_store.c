/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A boot domain's xenstore ring, as Xen's dom0less gives one, so that the
 * guest's own xenbus reaches xenstored in domain 0 although no toolstack
 * built the domain:
 *  - a page of the domain's own RAM at a special frame outside its RAM (the
 *    memory map does not list it, so the guest never takes it for RAM;
 *    max_pages grows by one for it), whose connection field says
 *    XENSTORE_RECONNECT: Linux then maps it but waits for an event on the
 *    store port before it uses the rings;
 *  - an unbound event channel port that domain 0 may bind;
 *  - grant entry GNTTAB_RESERVED_XENSTORE granting the page to domain 0,
 *    through which xenstored maps it (gntdev);
 *  - HVM_PARAM_STORE_PFN and HVM_PARAM_STORE_EVTCHN naming both, which the
 *    guest reads, and domain 0 too, to introduce the domain to xenstored.
 * xenstored then writes XENSTORE_CONNECTED and signals the port.
 */
#include <xenon/domain_store.h>
#include <xenon/event.h>
#include <xenon/grant_table.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>
#include <public/grant_table.h>
#include <public/hvm/params.h>
#include <public/io/xs_wire.h>

#define STORE_DOMID 0 /* where xenstored runs */

static gfn_t store_gfn(const struct domain *d)
{
    /* Before the guest runs only its RAM is mapped: [0, max_gpfn]. */
    return _gfn(d->max_gpfn < DOMAIN_STORE_GFN ? DOMAIN_STORE_GFN : d->max_gpfn + 1);
}

static int store_setup(struct domain *d)
{
    const uint32_t reconnect = XENSTORE_RECONNECT;
    const size_t at = __builtin_offsetof(struct xenstore_domain_interface, connection);
    gfn_t gfn = store_gfn(d);
    evtchn_port_t port;
    int rc;

    d->max_pages++;
    rc = domain_populate(d, gfn, 0, 0);
    if (rc)
        return rc;
    /* Fresh pages are zeroed: rings empty, no features, no error. */
    rc = copy_to_gpa(d, gfn_to_gpaddr(gfn) + at, &reconnect, sizeof(reconnect));
    if (!rc)
        rc = evtchn_alloc_unbound_port(d, STORE_DOMID, &port);
    if (!rc)
        rc = grant_table_seed_v1(d, GNTTAB_RESERVED_XENSTORE, STORE_DOMID, gfn, false);
    if (rc)
        return rc;
    d->hvm_params[HVM_PARAM_STORE_PFN] = gfn_x(gfn);
    d->hvm_params[HVM_PARAM_STORE_EVTCHN] = port;
    log_info("d%u: xenstore ring at gfn %#lx, port %u, for d%u", d->id, gfn_x(gfn), port,
             STORE_DOMID);
    return 0;
}

static bool has_store(const struct domain *d)
{
    return d->hvm_params[HVM_PARAM_STORE_PFN] != 0;
}

int domain_store_setup(struct domain *d)
{
    if (!is_control_domain(d))
        return domain_by_id(STORE_DOMID) ? store_setup(d) : 0;
    /* Boot is single-threaded until the scheduler starts: the list holds still. */
    for (struct domain *u = domain_first(); u; u = u->next) {
        int rc;

        if (u == d || has_store(u))
            continue;
        rc = store_setup(u);
        if (rc)
            domain_crash(u, "no xenstore ring for it (error %d)", rc);
    }
    return 0;
}
