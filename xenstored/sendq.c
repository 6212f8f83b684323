// SPDX-License-Identifier: GPL-2.0-only
/* io_uring batch of socket sends: see sendq.h for why. Raw system calls; no liburing. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sendq.h"

static int uring_setup(unsigned entries, struct io_uring_params *p)
{
    long r = syscall(__NR_io_uring_setup, entries, p);

    return r < 0 ? -errno : (int)r;
}

static int uring_enter(int fd, unsigned submit, unsigned min_complete, unsigned flags)
{
    long r = syscall(__NR_io_uring_enter, fd, submit, min_complete, flags, NULL, 0);

    return r < 0 ? -errno : (int)r;
}

static void *map_ring(int fd, size_t len, off_t off)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);

    return p == MAP_FAILED ? NULL : p;
}

void sendq_fini(struct sendq *q)
{
    if (q->sqes)
        munmap(q->sqes, q->sqes_len);
    if (q->rings)
        munmap(q->rings, q->rings_len);
    if (q->fd >= 0)
        close(q->fd);
    memset(q, 0, sizeof(*q));
    q->fd = -1;
}

int sendq_init(struct sendq *q)
{
    struct io_uring_params p = {0};
    int fd;

    memset(q, 0, sizeof(*q));
    q->fd = -1;
    /* SUBMIT_ALL (5.18): a send that fails its preparation does not leave the rest queued. */
    p.flags = IORING_SETUP_SUBMIT_ALL;
    fd = uring_setup(SENDQ_MAX, &p);
    if (fd < 0)
        return fd;
    q->fd = fd;
    /* Before 5.4 (no single mmap) the rings are mapped apart; we want only kernels that have it. */
    if (!(p.features & IORING_FEAT_SINGLE_MMAP) || p.sq_entries < SENDQ_MAX ||
        p.cq_entries < SENDQ_MAX) {
        sendq_fini(q);
        return -EOPNOTSUPP;
    }
    /* One mapping holds both rings (FEAT_SINGLE_MMAP): as long as the longer of the two. */
    q->rings_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    if (p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe) > q->rings_len)
        q->rings_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    q->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
    q->rings = map_ring(fd, q->rings_len, IORING_OFF_SQ_RING);
    q->sqes = q->rings ? map_ring(fd, q->sqes_len, IORING_OFF_SQES) : NULL;
    if (!q->sqes) {
        sendq_fini(q);
        return -ENOMEM;
    }
    q->sq_tail = (unsigned *)((char *)q->rings + p.sq_off.tail);
    q->sq_mask = (unsigned *)((char *)q->rings + p.sq_off.ring_mask);
    q->sq_array = (unsigned *)((char *)q->rings + p.sq_off.array);
    q->cq_head = (unsigned *)((char *)q->rings + p.cq_off.head);
    q->cq_tail = (unsigned *)((char *)q->rings + p.cq_off.tail);
    q->cq_mask = (unsigned *)((char *)q->rings + p.cq_off.ring_mask);
    q->cqes = (struct io_uring_cqe *)((char *)q->rings + p.cq_off.cqes);
    return 0;
}

bool sendq_full(const struct sendq *q)
{
    return q->queued == SENDQ_MAX;
}

void sendq_add(struct sendq *q, int fd, struct iovec *iov, int cnt, void *tag)
{
    unsigned tail = *q->sq_tail + q->queued, idx = tail & *q->sq_mask;
    struct io_uring_sqe *sqe = &q->sqes[idx];
    struct msghdr *m = &q->msgs[q->queued];

    *m = (struct msghdr){.msg_iov = iov, .msg_iovlen = cnt};
    memset(sqe, 0, sizeof(*sqe));
    sqe->opcode = IORING_OP_SENDMSG;
    sqe->fd = fd;
    sqe->addr = (uintptr_t)m;
    sqe->len = 1;
    /* No wait for room: a full socket fails at once with -EAGAIN, inside the submitting call. */
    sqe->msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
    sqe->user_data = q->queued;
    q->sq_array[idx] = idx;
    q->tags[q->queued++] = tag;
}

int sendq_submit(struct sendq *q, void (*done)(void *tag, int res, void *arg), void *arg)
{
    unsigned n = q->queued, seen = 0, head, tail;
    int r;

    if (!n)
        return 0;
    __atomic_store_n(q->sq_tail, *q->sq_tail + n, __ATOMIC_RELEASE);
    q->queued = 0;
    /* Every send completes inline (MSG_DONTWAIT), so waiting for all n never sleeps. */
    do
        r = uring_enter(q->fd, n, n, IORING_ENTER_GETEVENTS);
    while (r == -EINTR);
    /*
     * A failed call submitted nothing; r < n cannot happen with SUBMIT_ALL.
     * Either way no send may stay queued to outlive its buffers: the ring
     * goes, and the caller writes by itself from now on.
     */
    if (r < 0 || (unsigned)r != n) {
        sendq_fini(q);
        return r < 0 ? r : -EIO;
    }
    head = *q->cq_head;
    tail = __atomic_load_n(q->cq_tail, __ATOMIC_ACQUIRE);
    for (; head != tail; head++, seen++) {
        const struct io_uring_cqe *cqe = &q->cqes[head & *q->cq_mask];

        if (cqe->user_data < SENDQ_MAX)
            done(q->tags[cqe->user_data], cqe->res, arg);
    }
    __atomic_store_n(q->cq_head, head, __ATOMIC_RELEASE);
    /*
     * A send still pending would complete later under a slot number that
     * means another connection by then. Not seen (MSG_DONTWAIT), but should
     * a kernel ever do it, closing the ring cancels it first.
     */
    if (seen != n) {
        sendq_fini(q);
        return -EIO;
    }
    return 0;
}
