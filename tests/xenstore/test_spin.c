// SPDX-License-Identifier: GPL-2.0-only
/* The learnt polling window shared by libxs and xenstored (xenon/xs_spin.h). */
#define _GNU_SOURCE /* xs_spin.h's CPU count */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xenon/xs_spin.h>

#include "check.h"

#define SEC 1000000000ull

static char stat_path[] = "/tmp/xs-test-stat-XXXXXX";

/* A /proc/stat whose "cpu" line holds @fields (user nice system idle iowait irq softirq [steal...]). */
static void write_stat(const char *fields)
{
    FILE *f = fopen(stat_path, "w");

    fprintf(f, "cpu  %s\ncpu0 %s\nintr 1 2 3\n", fields, fields);
    fclose(f);
}

/* Stolen time turns polling off for the next period, and only past the limit. */
static void steal_verdicts(void)
{
    struct xs_steal st = {0};
    uint64_t steal, total;
    int fd = mkstemp(stat_path);

    CHECK(fd >= 0);
    close(fd);
    write_stat("100 0 100 800 0 0 0 0 0 0");
    CHECK(xs_steal_read(stat_path, &steal, &total) == 0 && steal == 0 && total == 1000);
    /* the first reading is only a baseline */
    CHECK(!xs_steal_check(&st, stat_path, SEC));
    /* 20% stolen since: polling stops, but only once the period is over */
    write_stat("200 0 200 1400 0 0 0 200 0 0");
    CHECK(!xs_steal_check(&st, stat_path, SEC + SEC / 2));
    CHECK(xs_steal_check(&st, stat_path, 2 * SEC));
    CHECK(xs_steal_check(&st, stat_path, 2 * SEC + 1)); /* the verdict holds for a period */
    /* 10% exactly is still allowed; then 1% */
    write_stat("300 0 300 2100 0 0 0 300 0 0");
    CHECK(!xs_steal_check(&st, stat_path, 3 * SEC));
    write_stat("400 0 400 2890 0 0 0 310 0 0");
    CHECK(!xs_steal_check(&st, stat_path, 4 * SEC));
    /* a kernel without the steal column, or no file: nothing is stolen */
    write_stat("100 0 100 800 0 0 0");
    CHECK(xs_steal_read(stat_path, &steal, &total) == -1);
    st.stolen = true;
    CHECK(!xs_steal_check(&st, stat_path, 5 * SEC));
    unlink(stat_path);
    st.stolen = true;
    CHECK(!xs_steal_check(&st, stat_path, 6 * SEC));
    /* the kernel's own has the column */
    CHECK(xs_steal_read("/proc/stat", &steal, &total) == 0 && total > 0);
}

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
    steal_verdicts();
    printf("spin: %s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
