// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVM parameters (common/hvm_op.c, with the real access-control hooks of
 * common/xsm.c): a guest reads its own, sets only the few that are its own,
 * and the control domain reads and sets another's (domain 0 reads a boot
 * domain's STORE_PFN / STORE_EVTCHN to introduce it to xenstored), against
 * the harness's domain list and guest memory (a guest address is a host
 * pointer here). Every case checks each domain_get() was paired with a
 * domain_put().
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/hypercall.h>
#include <xenon/xsm.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/xen.h>

/* ---- Fixture ---- */

static struct domain *add_domain(domid_t id)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->id = id;
    d->nr_vcpus = 1;
    d->vcpus[0] = calloc(1, sizeof(struct vcpu));
    d->vcpus[0]->domain = d;
    unit_domain_add(d);
    return d;
}

static struct domain *d0, *d1, *d2;

static void setup(void)
{
    CHECK_EQ(xsm_set_policy("default"), 0);
    d0 = add_domain(0);
    d1 = add_domain(1);
    d2 = add_domain(2);
    /* What domain_store.c gives a boot domain. */
    d1->hvm_params[HVM_PARAM_STORE_PFN] = 0xfeffc;
    d1->hvm_params[HVM_PARAM_STORE_EVTCHN] = 1;
}

static void teardown(void)
{
    unit_domains_check_put();
    for (struct domain *d; (d = unit_domain_at(0));) {
        unit_domain_remove(d);
        free(d->vcpus[0]);
        free(d);
    }
    CHECK_EQ(xsm_set_policy("default"), 0);
    CHECK_EQ(unit_panics, 0);
}

static long hvm_op(struct domain *caller, uint64_t cmd, uint64_t arg)
{
    struct hypercall_args a = { __HYPERVISOR_hvm_op, { cmd, arg } };

    return do_hvm_op(caller->vcpus[0], &a);
}

static long get_param(struct domain *caller, domid_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index, .value = 0x5a5a };
    long rc = hvm_op(caller, HVMOP_get_param, (uint64_t)(uintptr_t)&p);

    *value = p.value;
    return rc;
}

static long set_param(struct domain *caller, domid_t domid, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index, .value = value };

    return hvm_op(caller, HVMOP_set_param, (uint64_t)(uintptr_t)&p);
}

/* ---- Cases ---- */

TEST(control_domain_reads_store_params)
{
    uint64_t v;

    setup();
    CHECK_EQ(get_param(d0, 1, HVM_PARAM_STORE_PFN, &v), 0);
    CHECK_EQ(v, 0xfeffc);
    CHECK_EQ(get_param(d0, 1, HVM_PARAM_STORE_EVTCHN, &v), 0);
    CHECK_EQ(v, 1);
    /* A domain without a ring reads 0, which Linux takes for "no xenstore". */
    CHECK_EQ(get_param(d0, 2, HVM_PARAM_STORE_PFN, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(get_param(d0, 7, HVM_PARAM_STORE_PFN, &v), -ESRCH);
    teardown();
}

TEST(guest_reads_its_own)
{
    uint64_t v;

    setup();
    CHECK_EQ(get_param(d1, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
    CHECK_EQ(v, 0xfeffc);
    /* Its own id works like DOMID_SELF. */
    CHECK_EQ(get_param(d1, 1, HVM_PARAM_STORE_EVTCHN, &v), 0);
    CHECK_EQ(v, 1);
    teardown();
}

TEST(guest_cannot_reach_another)
{
    uint64_t v;

    setup();
    CHECK_EQ(get_param(d2, 1, HVM_PARAM_STORE_PFN, &v), -EPERM);
    CHECK_EQ(v, 0x5a5a); /* nothing written back */
    CHECK_EQ(set_param(d2, 1, HVM_PARAM_STORE_PFN, 0x1234), -EPERM);
    CHECK_EQ(d1->hvm_params[HVM_PARAM_STORE_PFN], 0xfeffc);
    CHECK_EQ(get_param(d1, 0, HVM_PARAM_STORE_PFN, &v), -EPERM);
    /* A device model acts on its target (XEN_DOMCTL_set_target), and on nothing else. */
    d2->target = d1;
    CHECK_EQ(get_param(d2, 1, HVM_PARAM_STORE_PFN, &v), 0);
    CHECK_EQ(v, 0xfeffc);
    CHECK_EQ(get_param(d2, 0, HVM_PARAM_STORE_PFN, &v), -EPERM);
    d2->target = NULL;
    /* The test policy lets boot domains act on each other. */
    CHECK_EQ(xsm_set_policy("test"), 0);
    CHECK_EQ(get_param(d2, 1, HVM_PARAM_STORE_EVTCHN, &v), 0);
    CHECK_EQ(v, 1);
    teardown();
}

TEST(set_rules)
{
    uint64_t v;

    setup();
    /* A guest sets only its callback and timer mode; where its ring is, the toolstack says. */
    CHECK_EQ(set_param(d1, DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1234), -EPERM);
    CHECK_EQ(set_param(d1, DOMID_SELF, HVM_PARAM_STORE_EVTCHN, 5), -EPERM);
    CHECK_EQ(set_param(d1, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
                       HVM_PARAM_CALLBACK_VAL(HVM_PARAM_CALLBACK_TYPE_VECTOR, 0xf3)), 0);
    CHECK_EQ(d1->hvm_params[HVM_PARAM_STORE_PFN], 0xfeffc);
    CHECK_EQ(set_param(d0, 2, HVM_PARAM_STORE_PFN, 0x1234), 0);
    CHECK_EQ(get_param(d2, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
    CHECK_EQ(v, 0x1234);
    teardown();
}

TEST(bad_arguments)
{
    struct xen_hvm_param p = { .domid = 1, .index = HVM_PARAM_STORE_PFN };
    uint64_t v;

    setup();
    CHECK_EQ(get_param(d0, 1, HVM_NR_PARAMS, &v), -EINVAL);
    CHECK_EQ(set_param(d0, 1, HVM_NR_PARAMS, 1), -EINVAL);
    CHECK_EQ(hvm_op(d0, HVMOP_get_param, BAD_GVA), -EFAULT);
    CHECK_EQ(hvm_op(d0, HVMOP_get_param, 0), -EFAULT);
    /* The answer cannot be written back: the reference on d1 is dropped all the same. */
    unit_readonly_gva = (uint64_t)(uintptr_t)&p;
    CHECK_EQ(hvm_op(d0, HVMOP_get_param, unit_readonly_gva), -EFAULT);
    unit_readonly_gva = 0;
    CHECK_EQ(hvm_op(d0, 0x7777, (uint64_t)(uintptr_t)&p), -ENOSYS);
    teardown();
}
