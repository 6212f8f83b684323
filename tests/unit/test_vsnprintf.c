/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's vsnprintf (built here as xenon_vsnprintf / xenon_snprintf)
 * prints what C's printf prints, for every conversion, flag, width, precision
 * and length modifier it takes; and it truncates as snprintf does.
 */
#include "harness.h"

#include <limits.h>
#include <string.h>

/* The formats below are odd on purpose (flags that cancel, stray '%'). */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

int xenon_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Ours and libc's output of one call, compared; the format's line on failure. */
#define SAME(...)                                                                         \
    do {                                                                                  \
        char ours_[128], libc_[128];                                                      \
        int n_ours_ = xenon_snprintf(ours_, sizeof(ours_), __VA_ARGS__);                 \
        int n_libc_ = snprintf(libc_, sizeof(libc_), __VA_ARGS__);                        \
        if (n_ours_ != n_libc_ || strcmp(ours_, libc_)) {                                 \
            fprintf(stderr, "%s:%d: [%s] (%d), libc [%s] (%d)\n", __FILE__, __LINE__,    \
                    ours_, n_ours_, libc_, n_libc_);                                      \
            unit_fail(__FILE__, __LINE__, "output differs from libc's");                 \
        }                                                                                 \
    } while (0)

TEST(plain_text_and_percent)
{
    SAME("plain");
    SAME("%%");
    SAME("a%%b%%");
    SAME("%s", "");
}

TEST(signed_decimal)
{
    SAME("%d", 0);
    SAME("%d", 42);
    SAME("%i", -42);
    SAME("%d", INT_MAX);
    SAME("%d", INT_MIN);
    SAME("%ld", LONG_MIN);
    SAME("%lld", LLONG_MIN);
    SAME("%lld", LLONG_MAX);
    SAME("%+d", 7);
    SAME("% d", 7);
    SAME("%+ d", 7);
    SAME("% +d", -7);
}

TEST(unsigned_bases)
{
    SAME("%u", UINT_MAX);
    SAME("%lu", ULONG_MAX);
    SAME("%llu", ULLONG_MAX);
    SAME("%zu", (size_t)12345);
    SAME("%x", 0xdeadbeefu);
    SAME("%X", 0xdeadbeefu);
    SAME("%lx", 0x123456789abcdefUL);
    SAME("%o", 8u);
    SAME("%o", 0u);
}

TEST(alternate_forms)
{
    SAME("%#x", 0u);
    SAME("%#x", 255u);
    SAME("%#X", 255u);
    SAME("%#o", 0u);
    SAME("%#o", 8u);
    SAME("%#.5o", 8u);
    SAME("%#08x", 1u);
    SAME("%#.3x", 1u);
}

TEST(width_and_flags)
{
    SAME("[%5d]", 42);
    SAME("[%-5d]", 42);
    SAME("[%05d]", 42);
    SAME("[%05d]", -42);
    SAME("[%-05d]", 42);
    SAME("[%+05d]", 42);
    SAME("[%2d]", 12345);
    SAME("[%*d]", 6, 42);
    SAME("[%*d]", -6, 42);
    SAME("[%08lx]", 0xbeefUL);
}

TEST(precision_of_numbers)
{
    SAME("[%.3d]", 7);
    SAME("[%.3d]", -7);
    SAME("[%8.3d]", -7);
    SAME("[%08.3d]", 7); /* '0' is ignored with a precision */
    SAME("[%.0d]", 0);
    SAME("[%5.0d]", 0);
    SAME("[%.0x]", 0u);
    SAME("[%.*d]", 4, 3);
    SAME("[%.*d]", -1, 3);
}

TEST(length_modifiers_narrow)
{
    SAME("%hhu", 0x1ff);
    SAME("%hhx", 0x1ff);
    SAME("%hhd", 0xff);
    SAME("%hu", 0x12345);
    SAME("%hd", 0x8000);
    SAME("%hx", 0xabcdef);
}

TEST(strings_and_chars)
{
    SAME("[%s]", "hello");
    SAME("[%8s]", "hello");
    SAME("[%-8s]", "hello");
    SAME("[%.3s]", "hello");
    SAME("[%8.3s]", "hello");
    SAME("[%.*s]", 2, "hello");
    SAME("[%c]", 'x');
    SAME("[%3c]", 'x');
    SAME("[%-3c]", 'x');
    SAME("%s=%d, %s=%#x", "a", 1, "b", 2u);
}

TEST(pointers)
{
    int x;

    SAME("%p", (void *)&x);
    SAME("%p", (void *)0x1000);
    SAME("[%20p]", (void *)0x1000);
    SAME("[%-20p]", (void *)0x1000);
    /* libc prints "(nil)"; a hypervisor log wants the number. */
    char buf[16];

    CHECK_EQ(xenon_snprintf(buf, sizeof(buf), "%p", NULL), 3);
    CHECK(!strcmp(buf, "0x0"));
}

TEST(unknown_conversion_kept)
{
    char buf[16];

    CHECK_EQ(xenon_snprintf(buf, sizeof(buf), "a%yb"), 4);
    CHECK(!strcmp(buf, "a%yb"));
    CHECK_EQ(xenon_snprintf(buf, sizeof(buf), "end%"), 3);
    CHECK(!strcmp(buf, "end"));
}

TEST(truncation_counts_what_would_be_written)
{
    char buf[8];

    memset(buf, 'z', sizeof(buf));
    CHECK_EQ(xenon_snprintf(buf, 5, "%s-%d", "abcdef", 12), 9);
    CHECK(!strcmp(buf, "abcd"));
    CHECK_EQ(buf[5], 'z'); /* nothing past the size */
    CHECK_EQ(xenon_snprintf(buf, 1, "%d", 123), 3);
    CHECK_EQ(buf[0], '\0');
    buf[0] = 'q';
    CHECK_EQ(xenon_snprintf(buf, 0, "%d", 123), 3);
    CHECK_EQ(buf[0], 'q'); /* size 0: buf untouched */
}
