// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the serial debug keys (hypervisor/common/keyhandler.c): who
 * gets each character, and which dump a key asks for. The dumps themselves
 * are checked end to end (microguest-debug-keys).
 */
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/keyhandler.h>
#include <xenon/sched.h>

static char got[64];
static unsigned int ngot, sched_dumps, vcpu_dumps;

void sched_dump(void) { sched_dumps++; }
uint64_t now_ns(void) { return 0; }
void arch_vcpu_dump(struct vcpu *v) { (void)v; vcpu_dumps++; }

static void deliver(char c)
{
    if (ngot < sizeof(got))
        got[ngot++] = c;
}

static void type(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        keyhandler_input(s[i], deliver);
}

static void reset(void)
{
    ngot = sched_dumps = vcpu_dumps = 0;
    memset(got, 0, sizeof(got));
}

TEST(domain_gets_plain_input)
{
    reset();
    type("ls\r", 3);
    CHECK_EQ(ngot, 3);
    CHECK(!memcmp(got, "ls\r", 3));
}

/* Fewer than three Ctrl-A are the domain's (readline's start-of-line). */
TEST(short_ctrl_a_runs_reach_the_domain)
{
    reset();
    type("\x01x\x01\x01y", 5);
    CHECK_EQ(ngot, 5);
    CHECK(!memcmp(got, "\x01x\x01\x01y", 5));
}

TEST(three_ctrl_a_switch_to_the_hypervisor_and_back)
{
    reset();
    type("\x01\x01\x01r", 4);
    CHECK_EQ(ngot, 0);
    CHECK_EQ(sched_dumps, 1);
    type("zq\x01r", 4); /* keys, and a lone Ctrl-A the hypervisor ignores */
    CHECK_EQ(ngot, 0);
    CHECK_EQ(sched_dumps, 2);
    type("\x01\x01\x01" "ab", 5);
    CHECK_EQ(sched_dumps, 2);
    CHECK_EQ(ngot, 2);
    CHECK(!memcmp(got, "ab", 2));
}

/* 'q' walks every domain holding a reference, and every vCPU it has. */
TEST(q_dumps_each_vcpu_of_each_domain)
{
    struct domain d0 = { .id = 0, .nr_vcpus = 2 }, d7 = { .id = 7, .nr_vcpus = 1 };
    struct vcpu v[3] = { { .domain = &d0 }, { .domain = &d0, .id = 1 }, { .domain = &d7 } };

    d0.vcpus[0] = &v[0];
    d0.vcpus[1] = &v[1];
    d7.vcpus[0] = &v[2];
    unit_domain_add(&d7);
    unit_domain_add(&d0);
    reset();
    type("\x01\x01\x01q\x01\x01\x01", 7);
    CHECK_EQ(vcpu_dumps, 3);
    CHECK_EQ(ngot, 0);
    unit_domains_check_put();
    unit_domain_remove(&d0);
    unit_domain_remove(&d7);
}
