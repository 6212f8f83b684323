/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlocks. Not taken in interrupt context (interrupt handlers only
 * set flags), so no irq-save variants are needed yet.
 */
#ifndef XENON_SPINLOCK_H
#define XENON_SPINLOCK_H

#include <stdint.h>

typedef struct {
    uint16_t next;
    uint16_t owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock_init(spinlock_t *l) { l->next = l->owner = 0; }

static inline void spin_lock(spinlock_t *l)
{
    uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
        __builtin_ia32_pause();
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

/*
 * Take the lock only if it is free: for a second lock that would be out of
 * address order, where the caller backs off instead of waiting. Nonzero if taken.
 */
static inline int spin_trylock(spinlock_t *l)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
    uint16_t free_ticket = owner;

    return __atomic_compare_exchange_n(&l->next, &free_ticket, (uint16_t)(owner + 1), 0,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline int spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

/* Two locks of one kind: lower address first (lock order rule). */
static inline void spin_lock_pair(spinlock_t *a, spinlock_t *b)
{
    if (a == b) {
        spin_lock(a);
    } else if (a < b) {
        spin_lock(a);
        spin_lock(b);
    } else {
        spin_lock(b);
        spin_lock(a);
    }
}

static inline void spin_unlock_pair(spinlock_t *a, spinlock_t *b)
{
    spin_unlock(a);
    if (a != b)
        spin_unlock(b);
}

#endif
