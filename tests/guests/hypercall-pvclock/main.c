// SPDX-License-Identifier: GPL-2.0-only
/* pvclock from shared_info: system time computed from the TSC is
 * monotonic and advances at a plausible rate. */
#include "guest.h"

static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static uint64_t pvclock_ns(const volatile struct vcpu_time_info *t)
{
    uint32_t v;
    uint64_t ns;

    do {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time + scale(rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul,
                                    t->tsc_shift);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1) || v != t->version);
    return ns;
}

void test_main(void)
{
    struct shared_info *si = map_shared_info();
    const volatile struct vcpu_time_info *t;
    uint64_t first, prev, now;

    if (!si)
        return;
    t = &si->vcpu_info[0].time;
    printf("pvclock: version %u, system_time %lu, mul %#x, shift %d, flags %#x\n",
           t->version, t->system_time, t->tsc_to_system_mul, t->tsc_shift, t->flags);
    if (!t->tsc_to_system_mul) {
        test_fail("tsc_to_system_mul is 0");
        return;
    }
    first = prev = pvclock_ns(t);
    for (int i = 0; i < 20000; i++) {
        now = pvclock_ns(t);
        if (now < prev) {
            test_fail("time went backwards: %lu -> %lu", prev, now);
            return;
        }
        prev = now;
        if (i % 1000 == 0)
            xen_yield();
    }
    printf("pvclock advanced %lu ns over the loop\n", prev - first);
    if (prev == first)
        test_fail("pvclock did not advance");
    /* Under TCG everything is slow, but 20000 reads should take < 60 s. */
    if (prev - first > 60ull * 1000000000)
        test_fail("pvclock advanced %lu ns: implausible", prev - first);
}
