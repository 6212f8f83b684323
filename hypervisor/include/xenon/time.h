/* SPDX-License-Identifier: GPL-2.0-only */
/* System time: nanoseconds since boot from the TSC; wallclock from the RTC. */
#ifndef XENON_TIME_H
#define XENON_TIME_H

#include <xenon/types.h>

#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ull)
#define SECONDS(s) ((uint64_t)(s) * 1000000000ull)

/* TSC to nanoseconds: ns = ((tsc_delta << shift) * mul_frac) >> 32 (shift may be negative). */
struct time_scale {
    int8_t shift;
    uint32_t mul_frac;
};

uint64_t now_ns(void);               /* system time */
/* Microseconds from system time now to t (negative: past; -1 for UINT64_MAX, never). */
static inline long long time_us_from(uint64_t now, uint64_t t)
{
    return t == UINT64_MAX ? -1 : ((long long)t - (long long)now) / 1000;
}
uint64_t tsc_read(void);
uint64_t tsc_at_boot(void);
const struct time_scale *tsc_scale(void);
uint64_t tsc_khz(void);
uint64_t wallclock_at_boot(void);    /* seconds since the epoch at system time 0, from the RTC */
/* The wallclock guests see (shared_info): ns since the epoch at system time 0. */
uint64_t wallclock_base_ns(void);
/* The control domain sets the time of day: it was secs.nsecs at system_time. */
int wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time);
uint64_t scale_delta(uint64_t delta, const struct time_scale *s);
void time_scale_from_hz(uint64_t hz, struct time_scale *s);

#endif
