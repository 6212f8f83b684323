// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the command-line parser (hypervisor/common/cmdline.c). */
#include <string.h>

#include "harness.h"
#include <xenon/cmdline.h>

/* One table shared by most cases, shaped like setup.c's. */
static bool flag;
static uint64_t count;
static uint64_t mem;
static char name[8];
static char bad[16];

static const struct cmdline_param params[] = {
    { "flag", CMDLINE_BOOL, &flag, 0 },
    { "count", CMDLINE_UINT, &count, 0 },
    { "mem", CMDLINE_SIZE, &mem, 0 },
    { "name", CMDLINE_STRING, name, sizeof(name) },
};

static void reset(void)
{
    flag = false;
    count = 7;
    mem = 4096;
    strcpy(name, "init");
    strcpy(bad, "junk");
}

static int parse(const char *s)
{
    return cmdline_parse(s, params, ARRAY_SIZE(params), bad, sizeof(bad));
}

/* A known name with a bad value: -EINVAL, reported by name, defaults kept. */
static void expect_bad(const char *s, const char *who)
{
    reset();
    CHECK_EQ(parse(s), -EINVAL);
    if (strcmp(bad, who))
        fprintf(stderr, "input '%s': bad='%s', expected '%s'\n", s, bad, who);
    CHECK(!strcmp(bad, who));
    CHECK(!flag);
    CHECK_EQ(count, 7);
    CHECK_EQ(mem, 4096);
    CHECK(!strcmp(name, "init"));
}

static void expect_bool(const char *s, bool start, bool want)
{
    reset();
    flag = start;
    CHECK_EQ(parse(s), 0);
    if (flag != want)
        fprintf(stderr, "input '%s': flag=%d, expected %d\n", s, flag, want);
    CHECK_EQ(flag, want);
}

TEST(bool_forms)
{
    static const char *const yes[] = { "flag", "flag=1", "flag=yes", "flag=true", "flag=on", "flag=\"on\"" };
    static const char *const no[] = { "flag=0", "flag=no", "flag=false", "flag=off" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
        expect_bool(yes[i], false, true);
    for (size_t i = 0; i < ARRAY_SIZE(no); i++)
        expect_bool(no[i], true, false);
    expect_bad("flag=", "flag");
    expect_bad("flag=maybe", "flag");
    expect_bad("flag=2", "flag");
    expect_bad("flag=YES", "flag");
    expect_bad("flag=onn", "flag");
    expect_bad("flag=o", "flag");
}

TEST(no_prefix)
{
    expect_bool("no-flag", true, false);
    expect_bool("flag no-flag", false, false);
    expect_bool("no-flag flag", false, true);
    expect_bool("no-", true, true);           /* nothing after the prefix: unknown */
    expect_bool("no-flags", true, true);      /* unknown */
    expect_bool("noflag", true, true);        /* the prefix needs its dash */
    expect_bad("no-flag=1", "no-flag");       /* the negated form takes no value */
    expect_bad("no-count", "no-count");       /* only bools can be negated */
    expect_bad("no-name=x", "no-name");
}

TEST(uint_decimal_and_hex)
{
    static const struct {
        const char *s;
        uint64_t v;
    } ok[] = {
        { "count=0", 0 },
        { "count=42", 42 },
        { "count=007", 7 }, /* decimal, not octal */
        { "count=0x2A", 42 },
        { "count=0X2a", 42 },
        { "count=0x0", 0 },
        { "count=\"99\"", 99 },
        { "count=18446744073709551615", UINT64_MAX },
        { "count=0xffffffffffffffff", UINT64_MAX },
        { "count=0x00000000000000000000001", 1 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        reset();
        CHECK_EQ(parse(ok[i].s), 0);
        CHECK(count == ok[i].v);
        CHECK_EQ(mem, 4096);
    }
    expect_bad("count", "count");
    expect_bad("count=", "count");
    expect_bad("count=-1", "count");
    expect_bad("count=+1", "count");
    expect_bad("count=12a", "count");
    expect_bad("count=0x", "count");
    expect_bad("count=0xg", "count");
    expect_bad("count=1K", "count"); /* suffixes are for sizes */
    expect_bad("count=\"\"", "count");
}

TEST(uint_overflow_rejected)
{
    expect_bad("count=18446744073709551616", "count");
    expect_bad("count=99999999999999999999", "count");
    expect_bad("count=0x10000000000000000", "count");
    expect_bad("count=0xfffffffffffffffff", "count");
}

TEST(size_suffixes)
{
    static const struct {
        const char *s;
        uint64_t v;
    } ok[] = {
        { "mem=100", 100 },
        { "mem=0", 0 },
        { "mem=4k", 4ull << 10 },
        { "mem=4K", 4ull << 10 },
        { "mem=512M", 512ull << 20 },
        { "mem=512m", 512ull << 20 },
        { "mem=3g", 3ull << 30 },
        { "mem=1G", 1ull << 30 },
        { "mem=2T", 2ull << 40 },
        { "mem=2t", 2ull << 40 },
        { "mem=0x1000", 0x1000 },
        { "mem=0x10K", 16ull << 10 },
        { "mem=16777215T", 16777215ull << 40 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        reset();
        CHECK_EQ(parse(ok[i].s), 0);
        CHECK(mem == ok[i].v);
    }
    expect_bad("mem", "mem");
    expect_bad("mem=", "mem");
    expect_bad("mem=M", "mem");
    expect_bad("mem=1P", "mem");
    expect_bad("mem=1KB", "mem");
    expect_bad("mem=1MM", "mem");
    expect_bad("mem=16777216T", "mem");       /* 2^64 */
    expect_bad("mem=17179869184G", "mem");    /* 2^64 */
    expect_bad("mem=18446744073709551616", "mem");
}

TEST(quoted_strings)
{
    reset();
    CHECK_EQ(parse("name=\"a b c\" count=3"), 0);
    CHECK(!strcmp(name, "a b c"));
    CHECK_EQ(count, 3);

    reset();
    CHECK_EQ(parse("name=plain"), 0);
    CHECK(!strcmp(name, "plain"));

    reset();
    CHECK_EQ(parse("name=\"\" flag"), 0);
    CHECK(!strcmp(name, ""));
    CHECK(flag);

    reset();
    CHECK_EQ(parse("name="), 0); /* an explicit empty string */
    CHECK(!strcmp(name, ""));

    reset();
    CHECK_EQ(parse("name=x\"y z\"w"), 0); /* quotes may sit mid-value */
    CHECK(!strcmp(name, "xy zw"));

    reset();
    CHECK_EQ(parse("count=1 name=\"a flag"), 0); /* unterminated: runs to the end */
    CHECK(!strcmp(name, "a flag"));
    CHECK(!flag);
    CHECK_EQ(count, 1);

    reset();
    CHECK_EQ(parse("name=\"=x=\""), 0);
    CHECK(!strcmp(name, "=x="));
    expect_bad("name", "name");
}

TEST(string_too_long)
{
    reset();
    CHECK_EQ(parse("name=1234567"), 0); /* 7 characters + NUL fill the buffer */
    CHECK(!strcmp(name, "1234567"));
    expect_bad("name=12345678", "name");
    expect_bad("name=\"1234 5678\"", "name");

    /* Quotes do not count towards the length. */
    reset();
    CHECK_EQ(parse("name=\"123 567\""), 0);
    CHECK(!strcmp(name, "123 567"));

    /* A zero-sized buffer can hold nothing, not even "". */
    char none[1] = { 'q' };
    const struct cmdline_param p = { "s", CMDLINE_STRING, none, 0 };
    CHECK_EQ(cmdline_parse("s=", &p, 1, NULL, 0), -EINVAL);
    CHECK_EQ(none[0], 'q');
}

TEST(unknown_names_ignored)
{
    reset();
    CHECK_EQ(parse("console=com1 noreboot loglvl=all x=\"a b\" flagx=1 fla=0 count2=zz = =5"), 0);
    CHECK(!flag);
    CHECK_EQ(count, 7);
    CHECK_EQ(mem, 4096);
    CHECK(!strcmp(name, "init"));
    CHECK(!strcmp(bad, ""));

    /* Known names around unknown ones still apply. */
    reset();
    CHECK_EQ(parse("foo flag bar=1 count=5 baz"), 0);
    CHECK(flag);
    CHECK_EQ(count, 5);
}

TEST(bad_value_keeps_var_and_reports_first)
{
    reset();
    CHECK_EQ(parse("count=x name=ok mem=zz flag=maybe"), -EINVAL);
    CHECK(!strcmp(bad, "count"));
    CHECK_EQ(count, 7);
    CHECK_EQ(mem, 4096);
    CHECK(!flag);
    CHECK(!strcmp(name, "ok")); /* parsing went on past the bad token */

    /* The report is truncated to fit, and may be absent. */
    char small[4] = "zzz";
    CHECK_EQ(cmdline_parse("name=waytoolongvalue", params, ARRAY_SIZE(params), small, sizeof(small)),
             -EINVAL);
    CHECK(!strcmp(small, "nam"));
    CHECK_EQ(cmdline_parse("count=x", params, ARRAY_SIZE(params), NULL, 0), -EINVAL);
    small[0] = 'z';
    CHECK_EQ(cmdline_parse("count=x", params, ARRAY_SIZE(params), small, 0), -EINVAL);
    CHECK_EQ(small[0], 'z');

    /* A later good value of the same name still applies. */
    reset();
    CHECK_EQ(parse("count=bad count=9"), -EINVAL);
    CHECK_EQ(count, 9);
    CHECK(!strcmp(bad, "count"));
}

TEST(empty_input)
{
    static const char *const empty[] = { "", " ", "   \t\n\r  " };

    for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
        reset();
        CHECK_EQ(parse(empty[i]), 0);
        CHECK(!strcmp(bad, ""));
        CHECK_EQ(count, 7);
    }
    reset();
    CHECK_EQ(parse(NULL), 0);
    CHECK_EQ(cmdline_parse("flag count=1", NULL, 0, NULL, 0), 0);
    CHECK(!flag);
}

TEST(separators_and_last_wins)
{
    reset();
    CHECK_EQ(parse("  count=1\tcount=2\ncount=3  mem=1M\r\nflag  "), 0);
    CHECK_EQ(count, 3);
    CHECK(mem == 1ull << 20);
    CHECK(flag);
}

TEST(parse_size_edges)
{
    uint64_t v = 123;

    CHECK_EQ(cmdline_parse_size("", 0, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size(NULL, 0, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("K", 1, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("1 K", 3, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size(" 1", 2, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("-1", 2, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("0x", 2, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("0xK", 3, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("1.5G", 4, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("18446744073709551616", 20, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("16777216T", 9, &v), -EINVAL);
    CHECK_EQ(cmdline_parse_size("17179869184g", 12, &v), -EINVAL); /* 2^34 G = 2^64 */
    CHECK_EQ(v, 123);                                               /* untouched on error */

    CHECK_EQ(cmdline_parse_size("8589934591g", 11, &v), 0);
    CHECK(v == 8589934591ull << 30);
    CHECK_EQ(cmdline_parse_size("18446744073709551615", 20, &v), 0);
    CHECK(v == UINT64_MAX);
    CHECK_EQ(cmdline_parse_size("0", 1, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(cmdline_parse_size("0K", 2, &v), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(cmdline_parse_size("0x1000", 6, &v), 0);
    CHECK_EQ(v, 0x1000);
    CHECK_EQ(cmdline_parse_size("4k", 2, &v), 0);
    CHECK_EQ(v, 4096);
    /* len bounds the input: nothing past it is read. */
    CHECK_EQ(cmdline_parse_size("512Mxyz", 4, &v), 0);
    CHECK(v == 512ull << 20);
    CHECK_EQ(cmdline_parse_size("12345", 2, &v), 0);
    CHECK_EQ(v, 12);
    CHECK_EQ(cmdline_parse_size("0x10", 1, &v), 0);
    CHECK_EQ(v, 0);
}

TEST(setup_style_table)
{
    char console[32] = "com1", loglvl[16] = "info";
    uint64_t guest_mem = 16ull << 20, max_cpus = 64;
    const struct cmdline_param p[] = {
        { "console", CMDLINE_STRING, console, sizeof(console) },
        { "loglvl", CMDLINE_STRING, loglvl, sizeof(loglvl) },
        { "guest_mem", CMDLINE_SIZE, &guest_mem, 0 },
        { "maxcpus", CMDLINE_UINT, &max_cpus, 0 },
    };
    char b[32];

    CHECK_EQ(cmdline_parse("console=com2 guest_mem=64M maxcpus=4 loglvl=debug noreboot", p,
                           ARRAY_SIZE(p), b, sizeof(b)),
             0);
    CHECK(!strcmp(console, "com2"));
    CHECK(!strcmp(loglvl, "debug"));
    CHECK(guest_mem == 64ull << 20);
    CHECK_EQ(max_cpus, 4);
    CHECK_EQ(cmdline_parse("loglvl=much_too_long_level maxcpus=2", p, ARRAY_SIZE(p), b, sizeof(b)),
             -EINVAL);
    CHECK(!strcmp(b, "loglvl"));
    CHECK(!strcmp(loglvl, "debug"));
    CHECK_EQ(max_cpus, 2);
}
