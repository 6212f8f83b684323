/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One system call for all of an event-loop pass's socket replies
 * (io_uring). A reply wakes its client; a woken client that has waited
 * longer than the daemon ran usually preempts it on return from the
 * write, so with one write per client the daemon is switched out once per
 * reply. Submitted together, the writes wake every client before the
 * daemon returns to user space: one switch per pass where the kernel
 * preempts only there (seen on 6.18). Linux 6.1 with voluntary preemption
 * still switches at the first point inside the submission that may sleep;
 * there the gain is one system call per pass instead of one per client.
 *
 * Sends are MSG_DONTWAIT: each completes (or fails with -EAGAIN) inside
 * the submitting call, so nothing refers to the caller's buffers after
 * sendq_submit() returns. Where io_uring is missing or refused
 * (sendq_init() < 0) the caller writes each connection itself.
 */
#ifndef XENON_XENSTORED_SENDQ_H
#define XENON_XENSTORED_SENDQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define SENDQ_MAX 64 /* sends per submission */

struct io_uring_sqe;
struct io_uring_cqe;

struct sendq {
    int fd; /* the io_uring, or -1 */
    unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
    void *rings; /* both rings, one mapping */
    size_t rings_len, sqes_len;
    unsigned queued;
    struct msghdr msgs[SENDQ_MAX];
    void *tags[SENDQ_MAX];
};

/* 0, or -errno when io_uring cannot be used (the caller falls back to writev). */
int sendq_init(struct sendq *q);
void sendq_fini(struct sendq *q);
bool sendq_full(const struct sendq *q);
/* Queue a send of @iov (kept by the caller until sendq_submit returns) to @fd. */
void sendq_add(struct sendq *q, int fd, struct iovec *iov, int cnt, void *tag);
/*
 * Submit what is queued and call @done for each send with its result:
 * bytes sent, -EAGAIN (socket full) or another -errno. Returns 0, or
 * -errno with the ring gone (fd -1) for good: the call failed and nothing
 * was sent, or (never seen) some send did not complete at once, and
 * @done was called for the others only.
 */
int sendq_submit(struct sendq *q, void (*done)(void *tag, int res, void *arg), void *arg);

#endif
