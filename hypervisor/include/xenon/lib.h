/* SPDX-License-Identifier: GPL-2.0-only */
/* Logging, panic and assertion helpers. */
#ifndef XENON_LIB_H
#define XENON_LIB_H

#include <stdarg.h>
#include <xenon/types.h>
#include <xenon/string.h>

enum log_level { LOG_NONE = -1, LOG_ERR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Hypervisor messages: "(XEN) " prefixed, filtered by loglvl=. */
void printk_level(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...) printk_level(LOG_ERR, __VA_ARGS__)
#define log_warn(...) printk_level(LOG_WARN, __VA_ARGS__)
#define log_info(...) printk_level(LOG_INFO, __VA_ARGS__)
#define log_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

/*
 * Messages a guest can trigger: filtered by guest_loglvl= and rate-limited
 * so a guest cannot flood the serial line.
 */
void printk_guest(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG_ON(c)                                                                 \
    do {                                                                          \
        if (__builtin_expect(!!(c), 0))                                           \
            panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__);                 \
    } while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#ifdef NDEBUG
#define ASSERT(c) ((void)0)
#else
#define ASSERT(c) BUG_ON(!(c))
#endif

#endif
