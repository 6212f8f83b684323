// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small vsnprintf: %d %i %u %x %X %p %s %c %%, with '0', '-', '#',
 * width, precision for %s, and the l / ll / z / h length modifiers.
 */
#include "guest.h"

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    bool zero, left, alt;
    int width, prec;
};

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    while (!sp->left && pad-- > 0)
        put(o, ' ');
    while (n--)
        put(o, *s++);
    while (sp->left && pad-- > 0)
        put(o, ' ');
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned int base,
                    bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, ndig, width = sp->width;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    ndig = n;
    if (neg) {
        put(o, '-');
        width--;
    }
    if (sp->alt && base == 16) {
        put(o, '0');
        put(o, 'x');
        width -= 2;
    }
    for (int pad = width - n; pad > 0 && !sp->left; pad--)
        put(o, sp->zero ? '0' : ' ');
    while (n)
        put(o, tmp[--n]);
    for (int pad = width - ndig; sp->left && pad > 0; pad--)
        put(o, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng)
{
    *sp = (struct spec){ .prec = -1 };
    for (;; f++) {
        if (*f == '0')
            sp->zero = true;
        else if (*f == '-')
            sp->left = true;
        else if (*f == '#')
            sp->alt = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        sp->prec = 0;
        while (*++f >= '0' && *f <= '9')
            sp->prec = sp->prec * 10 + (*f - '0');
    }
    *lng = 0;
    for (;; f++) {
        if (*f == 'l' || *f == 'z')
            (*lng)++;
        else if (*f != 'h')
            break;
    }
    return f;
}

static void format_one(struct out *o, char conv, int lng, const struct spec *sp,
                       va_list *ap)
{
    uint64_t u;
    int64_t s;

    switch (conv) {
    case 'd':
    case 'i':
        s = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
        put_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, sp);
        break;
    case 'u':
    case 'x':
    case 'X':
        u = lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
        put_num(o, u, false, conv == 'u' ? 10 : 16, conv == 'X', sp);
        break;
    case 'p': {
        struct spec p = *sp;

        p.alt = true;
        put_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, &p);
        break;
    }
    case 's': {
        const char *str = va_arg(*ap, const char *);

        if (!str)
            str = "(null)";
        put_padded(o, str, strnlen(str, sp->prec < 0 ? SIZE_MAX : (size_t)sp->prec), sp);
        break;
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);

        put_padded(o, &c, 1, sp);
        break;
    }
    default:
        put(o, '%');
        put(o, conv);
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list aq;

    va_copy(aq, ap);
    while (*fmt) {
        struct spec sp;
        int lng;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        if (fmt[1] == '%') {
            put(&o, '%');
            fmt += 2;
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &lng);
        if (!*fmt)
            break;
        format_one(&o, *fmt++, lng, &sp, &aq);
    }
    va_end(aq);
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

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, strnlen(buf, sizeof(buf)));
    return n;
}
