/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC-to-nanosecond scaling in the pvclock format guests also use. */
#include <xenon/time.h>

/* Nanoseconds since the epoch at system time 0; 0 until first asked (then the RTC's). */
static uint64_t wallclock_base;

uint64_t wallclock_base_ns(void)
{
    uint64_t base = __atomic_load_n(&wallclock_base, __ATOMIC_ACQUIRE);

    return base ? base : wallclock_at_boot() * SECONDS(1);
}

int wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    uint64_t now_epoch;

    if (nsecs >= SECONDS(1) || secs > UINT64_MAX / SECONDS(1) - 1)
        return -EINVAL;
    now_epoch = secs * SECONDS(1) + nsecs;
    if (now_epoch < system_time)
        return -EINVAL; /* before the epoch at boot */
    __atomic_store_n(&wallclock_base, now_epoch - system_time, __ATOMIC_RELEASE);
    return 0;
}

uint64_t scale_delta(uint64_t delta, const struct time_scale *s)
{
    if (s->shift < 0)
        delta >>= -s->shift;
    else
        delta <<= s->shift;
    return (uint64_t)(((unsigned __int128)delta * s->mul_frac) >> 32);
}

/*
 * Pick shift so that the tick rate, scaled by 2^shift, lies in (1 GHz, 2 GHz]:
 * then mul_frac = 1e9 / scaled_rate * 2^32 lies in [2^31, 2^32), full precision.
 */
void time_scale_from_hz(uint64_t hz, struct time_scale *s)
{
    const uint64_t ns_per_s = 1000000000ull;
    int shift = 0;

    if (!hz)
        hz = 1;
    while (hz > 2 * ns_per_s) {
        hz >>= 1;
        shift--;
    }
    while (hz <= ns_per_s) {
        hz <<= 1;
        shift++;
    }
    s->shift = (int8_t)shift;
    s->mul_frac = (uint32_t)((ns_per_s << 32) / hz);
}
