/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small vsnprintf: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#', width,
 * precision (for strings and numbers), length modifiers hh h l ll z.
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
    int width, prec;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
    size_t n;

    if (!s)
        s = "(null)";
    n = strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX);
    if (!sp->left)
        pad(o, ' ', sp->width - (int)n);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned int base, bool upper,
                    const struct spec *sp, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = prefix ? (int)strlen(prefix) : 0;
    int zeros, total;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    zeros = sp->prec > n ? sp->prec - n : 0;
    total = n + zeros + plen + (neg ? 1 : 0);
    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left)
        pad(o, ' ', sp->width - total);
    if (neg)
        put(o, '-');
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
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    return f;
}

/* Fetch an integer argument of the given length modifier (0 int, 1 long, 2 long long). */
static uint64_t get_arg(va_list *ap, int lmod, bool is_signed, bool *neg)
{
    int64_t s;

    *neg = false;
    if (!is_signed)
        return lmod == 2 ? va_arg(*ap, unsigned long long)
               : lmod == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
    s = lmod == 2 ? va_arg(*ap, long long) : lmod == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
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
    int lmod;

    va_copy(ap, ap_in);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f = parse_spec(f + 1, &sp, &ap);
        for (lmod = 0; *f == 'l' || *f == 'h' || *f == 'z'; f++)
            lmod += (*f == 'l' || *f == 'z') ? (*f == 'z' ? 2 : 1) : 0;
        lmod = lmod > 2 ? 2 : lmod;
        switch (*f) {
        case 'd': case 'i': {
            uint64_t v = get_arg(&ap, lmod, true, &neg);
            put_num(&o, v, neg, 10, false, &sp, NULL);
            break;
        }
        case 'u': put_num(&o, get_arg(&ap, lmod, false, &neg), false, 10, false, &sp, NULL); break;
        case 'x':
        case 'X': {
            uint64_t v = get_arg(&ap, lmod, false, &neg);
            put_num(&o, v, false, 16, *f == 'X', &sp, sp.alt && v ? (*f == 'X' ? "0X" : "0x") : NULL);
            break;
        }
        case 'o': put_num(&o, get_arg(&ap, lmod, false, &neg), false, 8, false, &sp, NULL); break;
        case 'p': put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp, "0x"); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
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
