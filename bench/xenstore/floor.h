/* SPDX-License-Identifier: GPL-2.0-only */
/* The floor: canned replies, no tree (floor.c says why it is the anchor). */
#ifndef XENON_BENCH_XENSTORE_FLOOR_H
#define XENON_BENCH_XENSTORE_FLOOR_H

#include <stddef.h>
#include <sys/types.h>

/* Serve on a private socket (its path into @sock); the child's pid, or -1. */
pid_t floor_start(char *sock, size_t len);
void floor_stop(pid_t pid, const char *sock);

#endif
