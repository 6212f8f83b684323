/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Byte-string helpers for the request path (paths of at most 3 KiB, replies
 * of a few hundred bytes), inlined where they are used. libc's versions sit
 * on pages of their own, one or two per function, and every page a request
 * touches costs a TLB refill after each switch between processes: in domain
 * 0 under QEMU's emulation, where a switch flushes the whole TLB and a refill
 * walks two levels of page tables, those pages cost a read more than the
 * instructions do. The daemon is built with -fno-tree-loop-distribute-patterns
 * so that GCC does not turn these loops back into libc calls.
 */
#ifndef XENON_XENSTORED_BYTES_H
#define XENON_XENSTORED_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline size_t bytes_len(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return p - s;
}

/* The first NUL in @s's @n bytes, or NULL. */
static inline const char *bytes_nul(const char *s, size_t n)
{
    for (const char *end = s + n; s < end; s++)
        if (!*s)
            return s;
    return NULL;
}

/* Eight bytes at a time: a fixed-size memcpy is one load or store, not a call. */
static inline uint64_t bytes_word(const unsigned char *p)
{
    uint64_t w;

    __builtin_memcpy(&w, p, sizeof(w));
    return w;
}

static inline bool bytes_eq(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n >= 8; x += 8, y += 8, n -= 8)
        if (bytes_word(x) != bytes_word(y))
            return false;
    for (; n; x++, y++, n--)
        if (*x != *y)
            return false;
    return true;
}

static inline void bytes_copy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    for (; n >= 8; d += 8, s += 8, n -= 8) {
        uint64_t w = bytes_word(s);

        __builtin_memcpy(d, &w, sizeof(w));
    }
    for (; n; d++, s++, n--)
        *d = *s;
}

#endif
