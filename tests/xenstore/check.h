/* SPDX-License-Identifier: GPL-2.0-only */
/* CHECK for the xenstore tests: count a failure, say where, go on. */
#ifndef XS_TEST_CHECK_H
#define XS_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#endif
