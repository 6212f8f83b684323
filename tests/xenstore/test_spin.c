// SPDX-License-Identifier: GPL-2.0-only
/* The learnt polling window shared by libxs and xenstored (xenon/xs_spin.h). */
#define _GNU_SOURCE /* xs_spin.h's CPU count */
#include <stdio.h>
#include <xenon/xs_spin.h>

#include "check.h"

int main(void)
{
    struct xs_spin s;

    CHECK(xs_spin_spare_cpus() >= 0);

    /* no spare CPU: never polls, whatever it learns */
    xs_spin_init(&s, 0);
    CHECK(s.window_ns == 0);
    xs_spin_slept(&s, 1000);
    CHECK(s.window_ns == 0);

    /* a small maximum is the first window */
    xs_spin_init(&s, 20000);
    CHECK(s.window_ns == 20000);

    xs_spin_init(&s, 10000000);
    CHECK(s.window_ns == XS_SPIN_START_NS);
    /* until a poll is timed, the limit is XS_SPIN_POLLS polls of XS_SPIN_POLL_NS */
    CHECK(xs_spin_limit(&s) == XS_SPIN_POLLS * XS_SPIN_POLL_NS);
    /* just too short: doubles, up to the limit */
    xs_spin_slept(&s, 80000);
    CHECK(s.window_ns == 2 * XS_SPIN_START_NS);
    for (int i = 0; i < 10; i++)
        xs_spin_slept(&s, 300000);
    CHECK(s.window_ns == 500000);
    /* a peer within the limit exactly still counts as close */
    xs_spin_slept(&s, 500000);
    CHECK(s.window_ns == 500000);
    /* nothing coming: halves, and an idle waiter stops polling */
    xs_spin_slept(&s, 500001);
    CHECK(s.window_ns == 250000);
    for (int i = 0; i < 20; i++)
        xs_spin_slept(&s, 100000000);
    CHECK(s.window_ns == 0);
    /* and polls again once its peer answers promptly */
    xs_spin_slept(&s, 3000);
    CHECK(s.window_ns == XS_SPIN_MIN_NS);
    xs_spin_slept(&s, 3000);
    CHECK(s.window_ns == 2 * XS_SPIN_MIN_NS);

    /* a slow (emulated) machine: polls cost 40x more, the limit follows, up to max_ns */
    for (int i = 0; i < 64; i++)
        xs_spin_polled(&s, 100 * 20000, 100);
    CHECK(s.poll_ns > 19000 && s.poll_ns <= 20000);
    CHECK(xs_spin_limit(&s) == 10000000);
    for (int i = 0; i < 20; i++)
        xs_spin_slept(&s, 3000000); /* a wake-up there takes 3 ms: worth polling for */
    CHECK(s.window_ns == 10000000);
    xs_spin_polled(&s, 0, 0); /* no poll: nothing learnt */
    CHECK(s.poll_ns > 19000);
    printf("spin: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
