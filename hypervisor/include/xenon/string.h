/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few C string functions the hypervisor has (hypervisor/common/string.c).
 * Host unit tests (XENON_HOST) use libc's, which have the same prototypes.
 */
#ifndef XENON_STRING_H
#define XENON_STRING_H

#ifdef XENON_HOST
#include <string.h>
#else
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#endif
