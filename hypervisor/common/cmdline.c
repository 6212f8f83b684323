/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Table-driven command-line parser (see cmdline.h).
 *
 * The input is never modified and nothing is allocated: each token is
 * described by pointers into the caller's string. Details the header leaves
 * open, chosen here:
 *   - separators are space, tab, CR and LF (loaders may leave a newline);
 *   - a '"' toggles quoting anywhere in a token and is dropped from the value,
 *     so name="a b" gives a b; an unterminated quote runs to the end;
 *   - the name is everything before the first '='; "name=" is an empty value;
 *   - bool words are lower case only; "no-name" takes no value, and "no-" in
 *     front of a known non-bool name is a bad value for it;
 *   - uint, size and bool need a value of at most NUM_MAX - 1 characters;
 *     a string needs "=" (possibly empty) and must fit with its NUL.
 */
#include <xenon/cmdline.h>
#include <xenon/lib.h>
#include <xenon/string.h>

#define NUM_MAX 64 /* longest number or bool word accepted, NUL included */

struct token {
    const char *name;
    size_t name_len;
    const char *val; /* raw, quotes still in */
    size_t val_len;
    bool has_val;
};

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Split off the next token at *p; false at the end of the string. */
static bool next_token(const char **p, struct token *t)
{
    const char *s = *p, *start, *eq = NULL;
    bool quoted = false;

    while (is_sep(*s))
        s++;
    if (!*s)
        return false;
    for (start = s; *s && (quoted || !is_sep(*s)); s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (*s == '=' && !eq)
            eq = s;
    }
    *p = s;
    t->name = start;
    t->name_len = (size_t)((eq ? eq : s) - start);
    t->has_val = eq != NULL;
    t->val = eq ? eq + 1 : s;
    t->val_len = (size_t)(s - t->val);
    return true;
}

/* Length of a raw value once its quote characters are dropped. */
static size_t unquoted_len(const char *v, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += v[i] != '"';
    return n;
}

/* Copy a raw value without its quotes and NUL-terminate; dst has room (unquoted_len + 1). */
static void unquote_copy(char *dst, const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] != '"')
            *dst++ = v[i];
    *dst = '\0';
}

static int digit_value(char c, unsigned int base)
{
    int d;

    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
    else
        return -1;
    return (unsigned int)d < base ? d : -1;
}

/*
 * Parse the longest decimal or 0x-hex number at the start of s[0..len).
 * Leading zeros are decimal, not octal. -EINVAL without digits or on overflow.
 */
static int parse_number(const char *s, size_t len, uint64_t *out, size_t *used)
{
    unsigned int base = 10;
    size_t i = 0, first;
    uint64_t v = 0;
    int d;

    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    for (first = i; i < len && (d = digit_value(s[i], base)) >= 0; i++) {
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return -EINVAL;
        v = v * base + (uint64_t)d;
    }
    if (i == first)
        return -EINVAL;
    *out = v;
    *used = i;
    return 0;
}

int cmdline_parse_size(const char *s, size_t len, uint64_t *out)
{
    unsigned int shift;
    uint64_t v;
    size_t used;

    if (!s || parse_number(s, len, &v, &used))
        return -EINVAL;
    if (used == len) {
        *out = v;
        return 0;
    }
    if (used + 1 != len)
        return -EINVAL;
    switch (s[used]) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    default: return -EINVAL;
    }
    if (v > (UINT64_MAX >> shift))
        return -EINVAL;
    *out = v << shift;
    return 0;
}

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "1", "yes", "true", "on" };
    static const char *const no[] = { "0", "no", "false", "off" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -EINVAL;
}

/* Bool, uint or size value of a token; var untouched on error. */
static int apply_scalar(const struct cmdline_param *p, const struct token *t)
{
    char buf[NUM_MAX];
    uint64_t v;
    size_t used;
    bool flag;

    if (!t->has_val) {
        if (p->type != CMDLINE_BOOL)
            return -EINVAL;
        *(bool *)p->var = true;
        return 0;
    }
    if (unquoted_len(t->val, t->val_len) >= sizeof(buf))
        return -EINVAL;
    unquote_copy(buf, t->val, t->val_len);
    switch (p->type) {
    case CMDLINE_BOOL:
        if (parse_bool(buf, &flag))
            return -EINVAL;
        *(bool *)p->var = flag;
        return 0;
    case CMDLINE_UINT:
        if (parse_number(buf, strlen(buf), &v, &used) || used != strlen(buf))
            return -EINVAL;
        break;
    case CMDLINE_SIZE:
        if (cmdline_parse_size(buf, strlen(buf), &v))
            return -EINVAL;
        break;
    default:
        return -EINVAL;
    }
    *(uint64_t *)p->var = v;
    return 0;
}

static int apply_string(const struct cmdline_param *p, const struct token *t)
{
    /* A bare "console" is almost certainly a mistake; "console=" sets it empty. */
    if (!t->has_val || unquoted_len(t->val, t->val_len) >= p->len)
        return -EINVAL;
    unquote_copy(p->var, t->val, t->val_len);
    return 0;
}

static const struct cmdline_param *find_param(const struct cmdline_param *params, size_t nr,
                                              const char *name, size_t len)
{
    for (size_t i = 0; i < nr; i++)
        if (params[i].name && !strncmp(params[i].name, name, len) && params[i].name[len] == '\0')
            return &params[i];
    return NULL;
}

/* Apply one token: 0 if fine or unknown, -EINVAL for a known name with a bad value. */
static int apply_token(const struct cmdline_param *params, size_t nr, const struct token *t)
{
    const struct cmdline_param *p;

    if (!t->name_len)
        return 0;
    p = find_param(params, nr, t->name, t->name_len);
    if (p)
        return p->type == CMDLINE_STRING ? apply_string(p, t) : apply_scalar(p, t);
    if (t->name_len <= 3 || strncmp(t->name, "no-", 3))
        return 0;
    p = find_param(params, nr, t->name + 3, t->name_len - 3);
    if (!p)
        return 0;
    /* "no-name" is the bool false form only, and takes no value of its own. */
    if (p->type != CMDLINE_BOOL || t->has_val)
        return -EINVAL;
    *(bool *)p->var = false;
    return 0;
}

int cmdline_parse(const char *cmdline, const struct cmdline_param *params, size_t nr_params,
                  char *bad, size_t bad_len)
{
    const char *p = cmdline ? cmdline : "";
    struct token t;
    int rc = 0;

    if (bad && bad_len)
        bad[0] = '\0';
    while (next_token(&p, &t)) {
        if (!apply_token(params, nr_params, &t) || rc)
            continue;
        /* Only the first bad name is reported; later tokens are still applied. */
        rc = -EINVAL;
        if (bad && bad_len) {
            size_t n = MIN(t.name_len, bad_len - 1);

            memcpy(bad, t.name, n);
            bad[n] = '\0';
        }
    }
    return rc;
}
