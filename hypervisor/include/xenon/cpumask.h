/* SPDX-License-Identifier: GPL-2.0-only */
/* Sets of physical CPUs (at most 64). */
#ifndef XENON_CPUMASK_H
#define XENON_CPUMASK_H

#include <stdint.h>
#include <stdbool.h>

#define NR_CPUS 64

typedef uint64_t cpumask_t;

#define CPUMASK_ALL (~(cpumask_t)0)

static inline cpumask_t cpumask_of(unsigned int cpu) { return (cpumask_t)1 << cpu; }
static inline bool cpumask_test(cpumask_t m, unsigned int cpu) { return (m >> cpu) & 1; }
static inline bool cpumask_empty(cpumask_t m) { return m == 0; }
static inline unsigned int cpumask_weight(cpumask_t m) { return (unsigned int)__builtin_popcountll(m); }
/* Lowest CPU in m, or NR_CPUS if empty. */
static inline unsigned int cpumask_first(cpumask_t m) { return m ? (unsigned int)__builtin_ctzll(m) : NR_CPUS; }
/* Next CPU after cpu in m, or NR_CPUS. */
static inline unsigned int cpumask_next(cpumask_t m, unsigned int cpu)
{
    return cpu + 1 >= NR_CPUS ? NR_CPUS : cpumask_first(m & (CPUMASK_ALL << (cpu + 1)));
}
#define for_each_cpu(cpu, m) for ((cpu) = cpumask_first(m); (cpu) < NR_CPUS; (cpu) = cpumask_next((m), (cpu)))

#endif
