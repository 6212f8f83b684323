/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small vsnprintf: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#' '+' ' ', width,
 * precision (for strings and numbers), length modifiers hh h l ll z; what it
 * prints is what C's printf prints (tests/unit/test_vsnprintf.c compares).
 * The micro-guests' library (tests/guests/lib) builds it too.
 */
#include <xenon/lib.h>

struct out {
    char *buf;
    size_t size;
    size_t len; /* total that would have been written */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    bool left, zero, alt;
    char sign; /* what a non-negative signed number starts with: '+', ' ' or 0 */
    int width, prec;
};

/* n characters of s, padded with spaces to the field's width. */
static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
    if (!sp->left)
        pad(o, ' ', sp->width - (int)n);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - (int)n);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    if (!s)
        s = "(null)";
    put_padded(o, s, strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX), sp);
}

/* sign: '-', '+', ' ' or 0 (none); prefix: "0x", "0X" or NULL. */
static void put_num(struct out *o, uint64_t v, char sign, unsigned int base, bool upper,
                    const struct spec *sp, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = prefix ? (int)strlen(prefix) : 0;
    int zeros, total;

    /* A zero with precision 0 has no digits; "%#o" always starts with one. */
    while (v || (!n && sp->prec != 0)) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    if (base == 8 && sp->alt && (!n || tmp[n - 1] != '0') && sp->prec <= n)
        tmp[n++] = '0';
    zeros = sp->prec > n ? sp->prec - n : 0;
    total = n + zeros + plen + (sign ? 1 : 0);
    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left)
        pad(o, ' ', sp->width - total);
    if (sign)
        put(o, sign);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .prec = -1 };
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else if (*f == '#')
            sp->alt = true;
        else if (*f == '+' || *f == ' ')
            sp->sign = sp->sign == '+' ? '+' : *f; /* '+' wins over ' ' */
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) { /* a negative width is the '-' flag */
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            if (sp->prec < 0) /* as if there were none */
                sp->prec = -1;
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    return f;
}

/* Length modifiers, as the argument's type. */
enum lmod { LM_CHAR = -2, LM_SHORT, LM_INT, LM_LONG, LM_LLONG };

static const char *parse_lmod(const char *f, enum lmod *lm)
{
    *lm = LM_INT;
    if (*f == 'h') {
        *lm = f[1] == 'h' ? LM_CHAR : LM_SHORT;
        return f + (f[1] == 'h' ? 2 : 1);
    }
    if (*f == 'l') {
        *lm = f[1] == 'l' ? LM_LLONG : LM_LONG;
        return f + (f[1] == 'l' ? 2 : 1);
    }
    if (*f == 'z')
        *lm = LM_LONG; /* size_t is unsigned long on x86-64 */
    return f + (*f == 'z');
}

/* Fetch an integer argument of the given length; char and short come as int. */
static uint64_t get_arg(va_list *ap, enum lmod lm, bool is_signed, bool *neg)
{
    int64_t s;

    *neg = false;
    if (!is_signed) {
        switch (lm) {
        case LM_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
        case LM_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
        case LM_INT: return va_arg(*ap, unsigned int);
        case LM_LONG: return va_arg(*ap, unsigned long);
        default: return va_arg(*ap, unsigned long long);
        }
    }
    switch (lm) {
    case LM_CHAR: s = (signed char)va_arg(*ap, int); break;
    case LM_SHORT: s = (short)va_arg(*ap, int); break;
    case LM_INT: s = va_arg(*ap, int); break;
    case LM_LONG: s = va_arg(*ap, long); break;
    default: s = va_arg(*ap, long long); break;
    }
    if (s < 0) {
        *neg = true;
        return -(uint64_t)s;
    }
    return (uint64_t)s;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list ap;
    bool neg;
    enum lmod lmod;

    va_copy(ap, ap_in);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f = parse_lmod(parse_spec(f + 1, &sp, &ap), &lmod);
        switch (*f) {
        case 'd': case 'i': {
            uint64_t v = get_arg(&ap, lmod, true, &neg);
            put_num(&o, v, neg ? '-' : sp.sign, 10, false, &sp, NULL);
            break;
        }
        case 'u': put_num(&o, get_arg(&ap, lmod, false, &neg), 0, 10, false, &sp, NULL); break;
        case 'x':
        case 'X': {
            uint64_t v = get_arg(&ap, lmod, false, &neg);
            put_num(&o, v, 0, 16, *f == 'X', &sp, sp.alt && v ? (*f == 'X' ? "0X" : "0x") : NULL);
            break;
        }
        case 'o': put_num(&o, get_arg(&ap, lmod, false, &neg), 0, 8, false, &sp, NULL); break;
        case 'p': put_num(&o, (uintptr_t)va_arg(ap, void *), 0, 16, false, &sp, "0x"); break;
        case 'c': {
            char c = (char)va_arg(ap, int);

            put_padded(&o, &c, 1, &sp);
            break;
        }
        case 's': put_str(&o, va_arg(ap, const char *), &sp); break;
        case '%': put(&o, '%'); break;
        case '\0': f--; break;
        default: put(&o, '%'); put(&o, *f); break;
        }
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
