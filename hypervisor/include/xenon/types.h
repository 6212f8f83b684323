/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Basic types. Machine and guest frame numbers are distinct structs so the
 * compiler rejects passing one where the other is expected.
 */
#ifndef XENON_TYPES_H
#define XENON_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenon/errno.h>

typedef uint64_t paddr_t; /* machine physical address */
typedef uint64_t gpaddr_t; /* guest physical address */

typedef struct { uint64_t m; } mfn_t; /* machine frame number */
typedef struct { uint64_t g; } gfn_t; /* guest frame number */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

static inline mfn_t _mfn(uint64_t m) { return (mfn_t){ m }; }
static inline gfn_t _gfn(uint64_t g) { return (gfn_t){ g }; }
static inline uint64_t mfn_x(mfn_t m) { return m.m; }
static inline uint64_t gfn_x(gfn_t g) { return g.g; }
static inline paddr_t mfn_to_paddr(mfn_t m) { return m.m << PAGE_SHIFT; }
static inline mfn_t paddr_to_mfn(paddr_t p) { return _mfn(p >> PAGE_SHIFT); }
static inline gpaddr_t gfn_to_gpaddr(gfn_t g) { return g.g << PAGE_SHIFT; }
static inline gfn_t gpaddr_to_gfn(gpaddr_t p) { return _gfn(p >> PAGE_SHIFT); }

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
