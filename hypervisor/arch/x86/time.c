/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC calibration against the PIT, system time, and the RTC wallclock. */
#include <asm/cpu.h>
#include <xenon/lib.h>
#include <xenon/time.h>

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20

static uint64_t boot_tsc, khz, boot_wallclock;
static struct time_scale scale;

uint64_t tsc_read(void) { return rdtsc(); }
uint64_t tsc_at_boot(void) { return boot_tsc; }
uint64_t tsc_khz(void) { return khz; }
const struct time_scale *tsc_scale(void) { return &scale; }
uint64_t wallclock_at_boot(void) { return boot_wallclock; }

uint64_t now_ns(void)
{
    return scale_delta(rdtsc() - boot_tsc, &scale);
}

/* PIT channel 2 counts down CALIBRATE_MS; count TSC ticks meanwhile. */
static uint64_t calibrate_tsc_hz(void)
{
    uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t start, end;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    start = rdtsc();
    while (!(inb(0x61) & 0x20))
        cpu_relax();
    end = rdtsc();
    return (end - start) * 1000 / CALIBRATE_MS;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
    unsigned int era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

static uint64_t read_rtc_seconds(void)
{
    uint8_t sec, min, hour, day, mon, year, b;
    bool bin;

    for (unsigned int i = 0; i < 1000000 && (cmos_read(0x0a) & 0x80); i++)
        cpu_relax(); /* update in progress */
    sec = cmos_read(0x00);
    min = cmos_read(0x02);
    hour = cmos_read(0x04);
    day = cmos_read(0x07);
    mon = cmos_read(0x08);
    year = cmos_read(0x09);
    b = cmos_read(0x0b);
    bin = b & 0x04;
    if (!(b & 0x02) && (hour & 0x80)) /* 12-hour clock, PM */
        hour = (uint8_t)(bcd(hour & 0x7f, bin) % 12 + 12);
    else
        hour = (uint8_t)bcd(hour, bin);
    return days_from_civil(2000 + bcd(year, bin), bcd(mon, bin), bcd(day, bin)) * 86400 +
           hour * 3600 + bcd(min, bin) * 60 + bcd(sec, bin);
}

void time_init(void)
{
    uint64_t hz = calibrate_tsc_hz();

    khz = hz / 1000;
    time_scale_from_hz(hz, &scale);
    boot_tsc = rdtsc();
    boot_wallclock = read_rtc_seconds();
    log_info("TSC %lu.%03lu MHz, wallclock %lu", khz / 1000, khz % 1000, boot_wallclock);
}
