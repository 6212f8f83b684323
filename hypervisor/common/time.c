/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC-to-nanosecond scaling in the pvclock format guests also use. */
#include <xenon/time.h>

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
