// SPDX-License-Identifier: GPL-2.0-only
/* Test runner and the hypervisor services common code expects (see harness.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <xenon/domain.h>
#include <xenon/lib.h>

#define MAX_CASES 256

static const struct unit_case *cases[MAX_CASES];
static unsigned int nr_cases;
static unsigned int failures;
unsigned int unit_panics;

void unit_register(const struct unit_case *c)
{
    if (nr_cases == MAX_CASES) {
        fprintf(stderr, "harness: too many cases\n");
        exit(2);
    }
    cases[nr_cases++] = c;
}

void unit_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    failures++;
}

void printk_level(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "(XEN:%d) ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void printk_guest(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "(guest:%d) ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Spin-waits in code under test: nothing to yield to on the host. */
void arch_cpu_relax(void);
void arch_cpu_relax(void) {}

int unit_allocs_left = -1;
unsigned int unit_live_pages;

void *page_alloc_zeroed(unsigned int order);
__attribute__((weak)) void *page_alloc_zeroed(unsigned int order)
{
    void *p;

    if (unit_allocs_left == 0)
        return NULL;
    if (unit_allocs_left > 0)
        unit_allocs_left--;
    p = aligned_alloc(4096, (size_t)4096 << order);
    if (p) {
        memset(p, 0, (size_t)4096 << order);
        unit_live_pages += 1u << order;
    }
    return p;
}

void page_free(void *p, unsigned int order);
__attribute__((weak)) void page_free(void *p, unsigned int order)
{
    unit_live_pages -= 1u << order;
    free(p);
}

uint64_t unit_readonly_gva;

static bool unit_bad_gva(uint64_t gva)
{
    return !gva || (gva >= BAD_GVA && gva < BAD_GVA + 0x10000);
}

struct vcpu;
int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
__attribute__((weak)) int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    if (unit_bad_gva(gva))
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)gva, len);
    return 0;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
__attribute__((weak)) int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    if (unit_bad_gva(gva) || gva == unit_readonly_gva)
        return -EFAULT;
    memcpy((void *)(uintptr_t)gva, src, len);
    return 0;
}

/* ---- Domains: the lookups of common/domain.c over a registry ---- */

static struct domain *unit_doms[UNIT_MAX_DOMS];
static unsigned int unit_nr_doms;

void unit_domain_add(struct domain *d)
{
    unsigned int i = unit_nr_doms;

    CHECK(unit_nr_doms < UNIT_MAX_DOMS);
    while (i && unit_doms[i - 1]->id > d->id) {
        unit_doms[i] = unit_doms[i - 1];
        i--;
    }
    unit_doms[i] = d;
    unit_nr_doms++;
}

void unit_domain_remove(struct domain *d)
{
    for (unsigned int i = 0; i < unit_nr_doms; i++) {
        if (unit_doms[i] == d) {
            memmove(&unit_doms[i], &unit_doms[i + 1], (unit_nr_doms - i - 1) * sizeof(d));
            unit_nr_doms--;
            return;
        }
    }
}

unsigned int unit_domain_count(void) { return unit_nr_doms; }
struct domain *unit_domain_at(unsigned int i) { return i < unit_nr_doms ? unit_doms[i] : NULL; }

void unit_domains_check_put(void)
{
    for (unsigned int i = 0; i < unit_nr_doms; i++)
        CHECK_EQ(unit_doms[i]->refcnt, 0);
}

__attribute__((weak)) struct domain *domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < unit_nr_doms; i++)
        if (unit_doms[i]->id == id)
            return unit_doms[i];
    return NULL;
}

__attribute__((weak)) struct domain *domain_get_next(domid_t id)
{
    for (unsigned int i = 0; i < unit_nr_doms; i++) {
        if (unit_doms[i]->id >= id) {
            unit_doms[i]->refcnt++;
            return unit_doms[i];
        }
    }
    return NULL;
}

__attribute__((weak)) struct domain *domain_get(domid_t id)
{
    struct domain *d = domain_by_id(id);

    if (d)
        d->refcnt++;
    return d;
}

__attribute__((weak)) void domain_put(struct domain *d)
{
    CHECK(d->refcnt > 0);
    d->refcnt--;
}

__attribute__((weak)) void domain_hold(struct domain *d)
{
    CHECK(d->refcnt > 0); /* only a held domain may be held again */
    d->refcnt++;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    unit_panics++;
    abort();
}

static int run_case(const struct unit_case *c)
{
    unsigned int before = failures;

    c->fn();
    printf("%s: %s\n", c->name, failures == before ? "ok" : "FAILED");
    return failures == before;
}

int main(int argc, char **argv)
{
    unsigned int passed = 0, ran = 0;

    for (unsigned int i = 0; i < nr_cases; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i]->name))
            continue;
        ran++;
        passed += run_case(cases[i]);
    }
    if (!ran) {
        fprintf(stderr, "harness: no case named %s\n", argc > 1 ? argv[1] : "(any)");
        return 2;
    }
    printf("%u passed, %u failed\n", passed, ran - passed);
    return passed == ran ? 0 : 1;
}
