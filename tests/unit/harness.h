/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host harness for unit tests of hypervisor/common/ code. The code under test
 * is compiled unchanged with XENON_HOST defined (libc string functions and
 * errno values, which are Xen's on Linux); harness.c supplies the few
 * hypervisor services it calls (logging, panic).
 *
 * A test file defines cases with TEST(name) { ... } and uses CHECK / CHECK_EQ.
 * CMake reads the TEST(...) lines and registers one ctest per case; the binary
 * runs the case named on its command line, or all of them without arguments.
 */
#ifndef XENON_UNIT_HARNESS_H
#define XENON_UNIT_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct unit_case {
    const char *name;
    void (*fn)(void);
};

void unit_register(const struct unit_case *c);
void unit_fail(const char *file, int line, const char *what);

#define TEST(name)                                                                  \
    static void test_##name(void);                                                  \
    __attribute__((constructor)) static void register_##name(void)                  \
    {                                                                               \
        static const struct unit_case c = { #name, test_##name };                   \
        unit_register(&c);                                                          \
    }                                                                               \
    static void test_##name(void)

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond))                                                                \
            unit_fail(__FILE__, __LINE__, #cond);                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                              \
    do {                                                                            \
        long long a_ = (long long)(a), b_ = (long long)(b);                         \
        if (a_ != b_) {                                                             \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__,   \
                    __LINE__, #a, a_, #b, b_);                                      \
            unit_fail(__FILE__, __LINE__, #a " == " #b);                            \
        }                                                                           \
    } while (0)

/* Number of panic() calls so far: code under test must never reach one on bad input. */
extern unsigned int unit_panics;

/*
 * The hypervisor's page allocator, faked (weak: a test that links the real
 * one gets it): zeroed, page-aligned host memory, so an address is its mfn.
 * unit_allocs_left: page_alloc_zeroed calls before one fails (-1: never);
 * unit_live_pages: pages allocated and not yet freed (a leak check).
 */
extern int unit_allocs_left;
extern unsigned int unit_live_pages;

/*
 * Guest memory, faked (weak, as above): a guest address is a host pointer.
 * copy_from_guest/copy_to_guest fail with -EFAULT at 0 and in the 64 KiB
 * from BAD_GVA; copy_to_guest also at unit_readonly_gva (0: none).
 */
#define BAD_GVA 0xdead0000ull
extern uint64_t unit_readonly_gva;

/*
 * The domains the harness's weak domain_by_id/domain_get/domain_get_next/
 * domain_put/domain_hold find (a test may define its own instead): sorted
 * by id, as the hypervisor's list. A test adds and removes its domains;
 * unit_domains_check_put() checks that every get was put.
 */
#define UNIT_MAX_DOMS 16
struct domain;
void unit_domain_add(struct domain *d);
void unit_domain_remove(struct domain *d);
unsigned int unit_domain_count(void);
struct domain *unit_domain_at(unsigned int i); /* in id order; NULL past the last */
void unit_domains_check_put(void);

#endif
